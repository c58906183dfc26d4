// The audit log (GET /audit, head and admin): read only, newest first,
// paged with `before`. A clerk who comes here by URL sees the server's
// refusal: the page does not decide.
import { t, fmtTime } from './i18n.js';
import { h, clear, notice, table, errorText } from './dom.js';
import { api, qs } from './api.js';

export async function render(main, args, query) {
  document.title = t('audit.title') + ' · ' + t('app.title');
  const out = h('div', { id: 'audit' }, h('p', {}, t('loading')));
  main.append(h('h1', {}, t('audit.title')), out);
  const before = query.get('before') || '';
  try {
    const d = await api('GET', '/audit' + qs({ before, limit: 50 }));
    clear(out, table(null, [t('audit.at'), t('audit.actor'), t('audit.role'), t('audit.peer'),
      t('audit.what'), t('audit.status'), t('audit.summary')], (d.entries || []).map((x) => [
      fmtTime(x.at), x.actor || '', x.role || '', x.peer || '',
      h('code', {}, (x.method || '') + ' ' + (x.path || '')), String(x.status ?? ''),
      x.summary || '']), 'audit'),
    h('p', { class: 'pager' }, before ? h('a', { href: '#/audit' }, t('audit.newest')) : null, ' ',
      d.next ? h('a', { id: 'audit-older', href: '#/audit' + qs({ before: d.next }) },
        t('audit.older')) : null));
  } catch (e) {
    clear(out, notice('error', errorText(e)));
  }
}
