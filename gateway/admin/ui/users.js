// Accounts (admin): the list (GET /users) and a new account (POST /users).
// Reached by URL with a lower role, the server's refusal is shown.
import { t, word } from './i18n.js';
import { h, clear, field, summary, notice, table, busy, errorText } from './dom.js';
import { api } from './api.js';

export async function render(main) {
  document.title = t('users.title') + ' · ' + t('app.title');
  const list = h('div', { id: 'users' }, h('p', {}, t('loading')));
  const done = h('div', { 'aria-live': 'polite' });
  const name = field(t('users.name'), { id: 'user-name' });
  const pw = field(t('users.password'), { id: 'user-password', type: 'password',
    autocomplete: 'new-password' });
  const role = field(t('users.role'), { id: 'user-role',
    options: ['clerk', 'head', 'admin'].map((r) => [r, word('role', r)]) });
  const sum = summary();
  const btn = h('button', { type: 'submit', id: 'user-add' }, t('users.add'));
  const form = h('form', { class: 'narrow', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    sum.clear([name, pw, role]);
    clear(done);
    const errs = [];
    if (!name.value()) errs.push([name, t('err.required', t('f.name'))]);
    if (!pw.input.value) errs.push([pw, t('err.required', t('f.password'))]);
    if (errs.length) return sum.show(errs);
    await busy(btn, t('loading'), async () => {
      try {
        const u = await api('POST', '/users', { name: name.value(), password: pw.input.value,
          role: role.value() });
        pw.input.value = '';
        clear(done, notice('success', t('users.added', u.name)));
        load();
      } catch (err) {
        sum.server(err, { name, password: pw, role });
      }
    });
  } }, sum.el, name.el, pw.el, role.el, btn);
  async function load() {
    try {
      const d = await api('GET', '/users');
      const us = Array.isArray(d) ? d : (d.users || []);
      clear(list, table(null, [t('users.name'), t('users.role')],
        us.map((u) => [u.name, word('role', u.role)])));
    } catch (e) {
      clear(list, notice('error', errorText(e)));
    }
  }
  main.append(h('h1', {}, t('users.title')), list, h('h2', {}, t('users.add')), done, form);
  await load();
}
