// Inbox: the citizens' messages no rule answered and feedback, one thread
// per number (GET /inbox, /inbox/{msisdn}); a reply shows its exact SMS,
// parts and alphabet first (POST /preview), then goes once (POST
// /inbox/{msisdn}/reply); a thread can be marked done.
import { t, word, fmtTime } from './i18n.js';
import { h, clear, field, summary, notice, table, button, busy, errorText } from './dom.js';
import { api, qs } from './api.js';
import { messages, previewBox } from './cases.js';

export async function renderList(main, args, query) {
  document.title = t('inbox.title') + ' · ' + t('app.title');
  const out = h('div', { id: 'inbox' }, h('p', {}, t('loading')));
  main.append(h('h1', {}, t('inbox.title')), out);
  const after = query.get('after') || '';
  try {
    const d = await api('GET', '/inbox' + qs({ after, limit: 50 }));
    const list = d.threads || [];
    clear(out, list.length ? table(null, [t('inbox.from'), t('h.at'), t('inbox.last'),
      t('inbox.count'), t('inbox.kind'), t('inbox.state')], list.map((x) => [
      h('a', { href: '#/inbox/' + encodeURIComponent(x.msisdn), class: 'thread-link' }, x.msisdn),
      fmtTime(x.last_at), h('span', { class: 'sms-text' }, x.last_text || ''), String(x.count ?? ''),
      word('kind', x.kind), x.done ? t('inbox.done') : h('strong', {}, t('inbox.open'))]), 'inbox')
      : h('p', {}, t('inbox.empty')),
    h('p', { class: 'pager' }, after ? h('a', { href: '#/inbox' }, t('cases.first')) : null, ' ',
      d.next ? h('a', { href: '#/inbox' + qs({ after: d.next }) }, t('cases.next')) : null));
  } catch (e) {
    clear(out, notice('error', errorText(e)));
  }
}

function replyForm(msisdn, reload) {
  const text = field(t('thread.reply'), { id: 'reply-text', textarea: true, rows: 4 });
  const sum = summary();
  const step = h('div', { id: 'reply-step' });
  const pbtn = h('button', { type: 'submit', id: 'reply-preview' }, t('change.preview'));
  const form = h('form', { novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    sum.clear([text]);
    clear(step);
    if (!text.value()) return sum.show([[text, t('err.required', t('f.text'))]]);
    const body = { text: text.value() };
    await busy(pbtn, t('loading'), async () => {
      try {
        confirmStep(await api('POST', '/preview', body), body);
      } catch (err) {
        sum.server(err, { text });
      }
    });
  } }, sum.el, text.el, pbtn);
  function confirmStep(p, body) {
    const send = h('button', { type: 'button', id: 'reply-send', class: 'primary' }, t('thread.send'));
    const res = h('div');
    send.addEventListener('click', () => busy(send, t('change.busy'), async () => {
      try {
        await api('POST', '/inbox/' + encodeURIComponent(msisdn) + '/reply', body);
        reload(notice('success', t('thread.sent')));
      } catch (err) {
        clear(res, notice('error', errorText(err)));
      }
    }));
    clear(step, previewBox(p, msisdn), h('p', { class: 'actions' }, send, ' ',
      button(t('change.edit'), () => { clear(step); text.input.focus(); }, 'secondary')), res);
    send.focus();
  }
  text.input.addEventListener('input', () => clear(step));
  return h('section', { class: 'noprint' }, form, step);
}

export async function renderThread(main, [msisdn]) {
  document.title = t('thread.title', msisdn) + ' · ' + t('app.title');
  const banner = h('div', { id: 'thread-banner' });
  const body = h('div', {}, h('p', {}, t('loading')));
  main.append(h('h1', {}, t('thread.title', msisdn)), banner, body);
  const path = '/inbox/' + encodeURIComponent(msisdn);
  async function load(msg) {
    clear(banner, msg || null);
    try {
      const d = await api('GET', path);
      const done = d.done ? h('p', { id: 'thread-done' }, t('thread.isdone'))
        : button(t('thread.markdone'), async (e) => busy(e.target, t('loading'), async () => {
          try {
            await api('POST', path + '/done');
            load(notice('success', t('thread.marked')));
          } catch (err) {
            clear(banner, notice('error', errorText(err)));
          }
        }), 'secondary');
      if (!d.done) done.id = 'thread-markdone';
      clear(body, h('section', { id: 'thread-messages' }, messages(d.messages)),
        replyForm(msisdn, load), h('p', { class: 'actions noprint' }, done));
    } catch (e) {
      clear(body, notice('error', errorText(e)));
    }
  }
  await load();
}
