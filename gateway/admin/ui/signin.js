// Sign-in: POST /session. The server throttles wrong passwords and says
// for how long; the page shows its words.
import { t } from './i18n.js';
import { h, field, summary, busy, notice } from './dom.js';
import { signIn } from './api.js';
import { signedIn } from './app.js';

export function render(main) {
  document.title = t('signin.title') + ' · ' + t('app.title');
  const name = field(t('signin.name'), { id: 'signin-name', autocomplete: 'username' });
  const pw = field(t('signin.password'), { id: 'signin-password', type: 'password',
    autocomplete: 'current-password' });
  const sum = summary();
  const btn = h('button', { type: 'submit', id: 'signin-submit' }, t('signin.submit'));
  const lost = sessionStorage.getItem('motcua.lost');
  sessionStorage.removeItem('motcua.lost');
  const form = h('form', { class: 'narrow', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    sum.clear([name, pw]);
    const errs = [];
    if (!name.value()) errs.push([name, t('err.required', t('f.name'))]);
    if (!pw.input.value) errs.push([pw, t('err.required', t('f.password'))]);
    if (errs.length) return sum.show(errs);
    await busy(btn, t('signin.busy'), async () => {
      try {
        await signIn(name.value(), pw.input.value);
        signedIn();
      } catch (err) {
        pw.input.value = '';
        sum.server(err);
      }
    });
  } }, sum.el, name.el, pw.el, btn);
  main.append(h('h1', {}, t('signin.title')));
  if (lost) main.append(notice('error', t('err.session')));
  main.append(form);
  name.input.focus();
}
