// Import: the file's bytes go as they are (POST /imports, text/csv); the
// server answers a preview and nothing changes until Confirm (POST
// /imports/{id}/apply), which applies all or nothing while the page polls
// GET /imports/{id} for a progress bar. Discard drops it.
import { t } from './i18n.js';
import { h, clear, field, summary, notice, table, busy, errorText } from './dom.js';
import { api } from './api.js';

const MAX = 16 * 1024 * 1024;
const POLL_MS = 500;

function counts(p) {
  const item = (id, key, n) => h('div', { class: 'figure' },
    h('span', { class: 'figure-label' }, t(key)),
    h('span', { class: 'figure-value', id }, String(n ?? 0)));
  return h('div', { class: 'figures' },
    item('import-new', 'import.new', p.new), item('import-changes', 'import.changes', p.changes),
    item('import-unchanged', 'import.unchanged', p.unchanged),
    item('import-errors', 'import.errors', p.rows_with_errors ?? (p.errors || []).length),
    item('import-total', 'import.total', p.total));
}

function errorsTable(errs, count) {
  if (!errs || !errs.length) return null;
  return [table(t('import.errtable'), [t('import.row'), t('import.field'), t('import.reason')],
    errs.map((e) => [String(e.row), e.field || '', e.reason || '']), 'import-errors'),
  count > errs.length ? h('p', { class: 'hint' }, t('import.more', errs.length, count)) : null];
}

export async function render(main) {
  document.title = t('import.title') + ' · ' + t('app.title');
  const file = field(t('import.file'), { id: 'import-file', type: 'file', accept: '.csv,text/csv',
    hint: t('import.hint') });
  const sum = summary();
  const btn = h('button', { type: 'submit', id: 'import-upload' }, t('import.upload'));
  const out = h('div', { id: 'import-preview', 'aria-live': 'polite' });
  let stopped = false;
  const form = h('form', { novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    sum.clear([file]);
    clear(out);
    const f = file.input.files[0];
    if (!f) return sum.show([[file, t('err.file')]]);
    if (f.size > MAX) return sum.show([[file, t('err.filebig')]]);
    await busy(btn, t('import.busy'), async () => {
      try {
        const p = await api('POST', '/imports', await f.arrayBuffer(), { type: 'text/csv' });
        preview(p);
      } catch (err) {
        sum.server(err);
      }
    });
  } }, sum.el, file.el, btn);

  function preview(p) {
    const apply = h('button', { type: 'button', id: 'import-apply', class: 'primary' },
      t('import.apply'));
    const discard = h('button', { type: 'button', id: 'import-discard', class: 'secondary' },
      t('import.discard'));
    const state = h('div', { id: 'import-state', 'aria-live': 'polite' });
    const id = encodeURIComponent(p.id);
    apply.addEventListener('click', async () => {
      apply.disabled = discard.disabled = true;
      try {
        await api('POST', '/imports/' + id + '/apply');
        await progress(id, state);
      } catch (err) {
        clear(state, notice('error', errorText(err)));
        apply.disabled = discard.disabled = false;
      }
    });
    discard.addEventListener('click', () => busy(discard, t('loading'), async () => {
      try {
        await api('POST', '/imports/' + id + '/discard');
        clear(out, notice('success', t('import.discarded')));
      } catch (err) {
        clear(state, notice('error', errorText(err)));
      }
    }));
    clear(out, h('h2', {}, t('import.preview')), counts(p), errorsTable(p.errors, p.rows_with_errors),
      (p.errors || []).length ? h('p', { id: 'import-skip' }, t('import.skip')) : null,
      p.state === 'preview' ? h('p', { class: 'actions' }, apply, ' ', discard) : null, state);
  }

  // Polls until the import is applied or failed.
  async function progress(id, state) {
    const bar = h('progress', { id: 'import-progress', max: 1, value: 0 });
    const label = h('p', {});
    clear(state, label, bar);
    for (;;) {
      const s = await api('GET', '/imports/' + id);
      const done = (s.progress && s.progress.done) || 0;
      const total = (s.progress && s.progress.total) || s.total || 0;
      bar.max = total || 1;
      bar.value = s.state === 'applied' ? bar.max : done;
      label.textContent = t('import.applying', done, total);
      if (s.state === 'applied')
        return clear(state, notice('success', t('import.applied', total)), bar);
      if (s.state === 'failed' || s.state === 'discarded')
        return clear(state, notice('error', t('import.failed', s.reason || s.error || s.state)));
      if (stopped) return;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  main.append(h('h1', {}, t('import.title')), form, out);
  return () => { stopped = true; };
}
