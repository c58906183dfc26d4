// Cases: the search (GET /cases, paged on the server with its `next`
// cursor, the filters kept in the URL), and a case's page (GET
// /cases/{code}?messages=1) with the status change: the exact SMS first
// (POST /preview), then one confirm (PATCH /cases/{code}).
import { t, word, fmtDate, fmtTime, STATUSES, TIMELINESS, CHANNELS } from './i18n.js';
import { h, clear, field, summary, notice, table, button, busy, errorText } from './dom.js';
import { api, qs } from './api.js';

const PAGE = 25;
let procs = null;

// GET /procedures, once.
export async function procedures() {
  if (!procs) procs = await api('GET', '/procedures');
  return procs;
}

export function caseLink(code) {
  return h('a', { href: '#/cases/' + encodeURIComponent(code), class: 'code' }, code);
}

export function caseTable(list, caption) {
  if (!list.length) return h('p', {}, t('none'));
  return table(caption, [t('c.code'), t('c.name'), t('c.procedure'), t('c.status'),
    t('c.due'), t('c.timeliness'), t('c.channel')],
  list.map((c) => [caseLink(c.code), c.name || '', c.procedure || '', word('st', c.status),
    fmtDate(c.due), h('span', { class: 'tl-' + c.timeliness }, word('tl', c.timeliness)),
    word('ch', c.channel)]), 'cases');
}

function choices(list, prefix) {
  return [['', t('cases.all')], ...list.map((v) => [v, word(prefix, v)])];
}

export async function renderList(main, args, query) {
  document.title = t('cases.title') + ' · ' + t('app.title');
  const ps = await procedures().catch(() => []);
  const f = {
    q: field(t('cases.q'), { id: 'cases-q', type: 'search', value: query.get('q') || '' }),
    status: field(t('c.status'), { id: 'cases-status', options: choices(STATUSES, 'st'),
      value: query.get('status') || '' }),
    procedure: field(t('c.procedure'), { id: 'cases-procedure',
      options: [['', t('cases.all')], ...ps.map((p) => [p.code, p.code + ' — ' + p.name])],
      value: query.get('procedure') || '' }),
    channel: field(t('c.channel'), { id: 'cases-channel', options: choices(CHANNELS, 'ch'),
      value: query.get('channel') || '' }),
    timeliness: field(t('c.timeliness'), { id: 'cases-timeliness',
      options: choices(TIMELINESS, 'tl'), value: query.get('timeliness') || '' }),
  };
  const form = h('form', { class: 'filters', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    const o = {};
    for (const [k, fl] of Object.entries(f)) o[k] = fl.value();
    location.hash = '#/cases' + qs(o);
  } }, Object.values(f).map((x) => x.el),
  h('button', { type: 'submit', id: 'cases-search' }, t('cases.search')));
  const out = h('div', { id: 'cases-results' }, h('p', {}, t('loading')));
  main.append(h('h1', {}, t('cases.title')), form, out);
  const want = {};
  for (const k of ['q', 'status', 'procedure', 'channel', 'timeliness', 'after'])
    want[k] = query.get(k) || '';
  try {
    const d = await api('GET', '/cases' + qs({ ...want, limit: PAGE }));
    const pager = h('p', { class: 'pager' },
      want.after ? h('a', { href: '#/cases' + qs({ ...want, after: '' }) }, t('cases.first')) : null,
      ' ',
      d.next ? h('a', { id: 'cases-next', href: '#/cases' + qs({ ...want, after: d.next }) },
        t('cases.next')) : null);
    clear(out, d.cases && d.cases.length ? caseTable(d.cases) : h('p', {}, t('cases.empty')),
      pager);
  } catch (e) {
    clear(out, notice('error', errorText(e)));
  }
}

function rating(r) {
  if (r === null || r === undefined) return t('c.rating.none');
  if (typeof r === 'number') return r + '/5';
  return t('c.rating.val', r.score, fmtTime(r.at));
}

function details(c) {
  const rows = [
    ['c.code', h('span', { class: 'code', id: 'case-code' }, c.code)],
    ['c.name', c.name], ['c.msisdn', c.msisdn], ['c.procedure', c.procedure],
    ['c.status', h('strong', { id: 'case-status' }, word('st', c.status))],
    ['c.channel', word('ch', c.channel)], ['c.received', fmtTime(c.received_at)],
    ['c.due', fmtDate(c.due)], ['c.finished', fmtTime(c.finished_at)],
    ['c.timeliness', word('tl', c.timeliness)], ['c.request', c.request],
    ['c.rating', h('span', { id: 'case-rating' }, rating(c.rating))],
  ];
  return h('dl', { class: 'details' }, rows.filter(([, v]) => v).map(([k, v]) =>
    h('div', {}, h('dt', {}, t(k)), h('dd', {}, v))));
}

function history(list) {
  return table(t('case.history'), [t('h.at'), t('c.status'), t('h.note'), t('h.actor')],
    (list || []).map((x) => [fmtTime(x.at), word('st', x.status), x.note || '', x.actor || '']),
    'history');
}

export function messages(list) {
  if (!list || !list.length) return h('p', {}, t('none'));
  return h('ol', { class: 'messages' }, list.map((m) =>
    h('li', { class: 'msg msg-' + m.dir },
      h('p', { class: 'msg-meta' }, (m.dir === 'in' ? t('m.in') : t('m.out')) + ' · ' +
        fmtTime(m.at) + (m.state ? ' · ' + t('m.state', m.state) : '')),
      h('p', { class: 'sms-text' }, m.text))));
}

// The exact SMS a send will make: {text, alphabet, parts, chars}.
export function previewBox(p, to) {
  return h('div', { class: 'preview', id: 'preview' },
    h('h3', {}, t('preview.title')),
    to ? h('p', {}, t('preview.to', to)) : null,
    h('pre', { class: 'sms-text', id: 'preview-text' }, p.text),
    h('p', { id: 'preview-meta' }, t('preview.meta', p.parts,
      p.alphabet === 'gsm' ? t('preview.gsm') : t('preview.ucs2'), p.chars)),
    p.truncated ? h('p', { class: 'notice error', id: 'preview-cut' }, t('preview.cut')) : null,
    h('p', { class: 'hint' }, t('preview.check')));
}

function changeForm(c, reload) {
  const status = field(t('f.status').replace(/^./, (x) => x.toUpperCase()), { id: 'change-status',
    options: [['', '—'], ...STATUSES.filter((s) => s !== c.status).map((s) => [s, word('st', s)])] });
  const note = field(t('change.note'), { id: 'change-note', textarea: true });
  const sum = summary();
  const step = h('div', { id: 'change-step' });
  const result = h('div', { id: 'change-result', 'aria-live': 'polite' });
  const previewBtn = h('button', { type: 'submit', id: 'change-preview' }, t('change.preview'));
  const form = h('form', { novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    sum.clear([status, note]);
    clear(step);
    clear(result);
    if (!status.value()) return sum.show([[status, t('err.choose', t('f.status'))]]);
    const body = { status: status.value(), note: note.value() };
    await busy(previewBtn, t('loading'), async () => {
      try {
        const p = await api('POST', '/preview', { case: c.code, ...body });
        confirmStep(p, body);
      } catch (err) {
        sum.server(err, { status, note });
      }
    });
  } }, sum.el, status.el, note.el, previewBtn);
  function confirmStep(p, body) {
    const ok = h('button', { type: 'button', id: 'change-confirm', class: 'primary' },
      t('change.confirm'));
    ok.addEventListener('click', () => busy(ok, t('change.busy'), async () => {
      try {
        await api('PATCH', '/cases/' + encodeURIComponent(c.code), body);
        reload(notice('success', t('change.done', word('st', body.status), c.msisdn)));
      } catch (err) {
        clear(result, notice('error', errorText(err)));
      }
    }));
    clear(step, previewBox(p, c.msisdn), h('p', { class: 'actions' }, ok, ' ',
      button(t('change.edit'), () => { clear(step); status.input.focus(); }, 'secondary')));
    ok.focus();
  }
  // A changed form needs a new preview.
  for (const x of [status.input, note.input]) x.addEventListener('input', () => clear(step));
  return h('section', { class: 'noprint', id: 'change' }, h('h2', {}, t('change.title')),
    form, step, result);
}

export async function renderCase(main, [code]) {
  document.title = t('case.title', code) + ' · ' + t('app.title');
  const banner = h('div', { id: 'case-banner' });
  const body = h('div', {}, h('p', {}, t('loading')));
  main.append(h('h1', {}, t('case.title', code)), banner, body);
  async function load(msg) {
    clear(banner, msg || null);
    try {
      const c = await api('GET', '/cases/' + encodeURIComponent(code) + '?messages=1');
      clear(body,
        h('p', { class: 'actions noprint' },
          button(t('case.refresh'), () => load(), 'secondary', 'case-refresh'), ' ',
          h('a', { href: '#/slip/' + encodeURIComponent(c.code), id: 'case-slip' }, t('case.slip'))),
        details(c), history(c.history),
        h('section', { id: 'case-messages' }, h('h2', {}, t('case.messages')), messages(c.messages)),
        changeForm(c, load));
    } catch (e) {
      clear(body, notice('error', errorText(e)));
    }
  }
  await load();
}
