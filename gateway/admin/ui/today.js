// Today: GET /today, redrawn every 15 s without a reload (the timer stops
// when the clerk leaves the page).
import { t, word, fmtTime } from './i18n.js';
import { h, clear, notice, table, errorText } from './dom.js';
import { api } from './api.js';
import { caseTable } from './cases.js';

const EVERY_MS = 15000;

function figure(id, label, value) {
  return h('div', { class: 'figure' }, h('span', { class: 'figure-label' }, label),
    h('span', { class: 'figure-value', id }, String(value ?? 0)));
}

function needsPerson(list) {
  if (!list.length) return h('p', {}, t('none'));
  return table(null, [t('inbox.from'), t('h.at'), t('inbox.kind'), t('inbox.last')],
    list.map((m) => [h('a', { href: '#/inbox/' + encodeURIComponent(m.msisdn) }, m.msisdn),
      fmtTime(m.at), word('kind', m.kind), h('span', { class: 'sms-text' }, m.text)]));
}

function draw(box, d) {
  const links = d.links || [];
  clear(box,
    h('section', { class: 'figures', 'aria-label': t('today.links') },
      h('div', { class: 'figure' }, h('span', { class: 'figure-label' }, t('today.links')),
        h('ul', { class: 'links', id: 'today-links' }, links.map((l) =>
          h('li', { class: 'link-' + (l.state === 'bound' ? 'up' : 'down') },
            l.name + ': ' + word('link', l.state))))),
      figure('today-queue', t('today.queue'), d.queue),
      figure('today-in', t('today.in'), d.messages && d.messages.in),
      figure('today-out', t('today.out'), d.messages && d.messages.out)),
    h('section', { id: 'today-overdue' }, h('h2', {}, t('today.overdue')),
      caseTable(d.overdue || [])),
    h('section', { id: 'today-due-today' }, h('h2', {}, t('today.due_today')),
      caseTable(d.due_today || [])),
    h('section', { id: 'today-due-tomorrow' }, h('h2', {}, t('today.due_tomorrow')),
      caseTable(d.due_tomorrow || [])),
    h('section', { id: 'today-needs' }, h('h2', {}, t('today.needs')),
      needsPerson(d.needs_person || [])));
}

export async function render(main) {
  document.title = t('today.title') + ' · ' + t('app.title');
  const stamp = h('p', { class: 'hint', id: 'today-updated', 'aria-live': 'polite' });
  const err = h('div');
  const box = h('div', { id: 'today' }, h('p', {}, t('loading')));
  main.append(h('h1', {}, t('today.title')), stamp, err, box);
  let timer = null, live = true;
  async function load() {
    try {
      const d = await api('GET', '/today');
      if (!live) return;
      draw(box, d);
      clear(err);
      stamp.textContent = t('today.updated', new Date().toTimeString().slice(0, 8));
    } catch (e) {
      if (live) clear(err, notice('error', errorText(e)));
    }
  }
  await load();
  // A tab in the background asks nothing; it catches up when shown.
  timer = setInterval(() => { if (!document.hidden) load(); }, EVERY_MS);
  const shown = () => { if (!document.hidden) load(); };
  document.addEventListener('visibilitychange', shown);
  return () => {
    live = false;
    clearInterval(timer);
    document.removeEventListener('visibilitychange', shown);
  };
}
