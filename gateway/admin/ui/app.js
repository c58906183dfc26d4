// The console's shell: the header, the menu for the signed-in role, the
// language switch and the hash router. Each page is a module whose
// render(main, args, query) fills <main> and may return a function that
// stops what it started (a refresh timer). The menu hides what a role
// cannot do; the server refuses it anyway, and a page reached by URL shows
// the server's refusal.
import { t, getLang, setLang } from './i18n.js';
import { h, clear, notice, errorText } from './dom.js';
import { me, can, loadSession, signOut, onSessionLost, officeInfo } from './api.js';
import * as signin from './signin.js';
import * as today from './today.js';
import * as cases from './cases.js';
import * as counter from './counter.js';
import * as imports from './import.js';
import * as inbox from './inbox.js';
import * as audit from './audit.js';
import * as users from './users.js';

const routes = [
  [/^signin$/, signin.render, null],
  [/^today$/, today.render, 'nav.today'],
  [/^cases$/, cases.renderList, 'nav.cases'],
  [/^cases\/([^/]+)$/, cases.renderCase, 'nav.cases'],
  [/^counter$/, counter.render, 'nav.counter'],
  [/^slip\/([^/]+)$/, counter.renderSlip, 'nav.counter'],
  [/^import$/, imports.render, 'nav.import'],
  [/^inbox$/, inbox.renderList, 'nav.inbox'],
  [/^inbox\/([^/]+)$/, inbox.renderThread, 'nav.inbox'],
  [/^audit$/, audit.render, 'nav.audit'],
  [/^users$/, users.render, 'nav.users'],
];

// The menu: [route, words, the role it needs].
const menu = [
  ['today', 'nav.today', 'clerk'], ['cases', 'nav.cases', 'clerk'],
  ['counter', 'nav.counter', 'clerk'], ['import', 'nav.import', 'clerk'],
  ['inbox', 'nav.inbox', 'clerk'], ['audit', 'nav.audit', 'head'],
  ['users', 'nav.users', 'admin'],
];

const main = document.getElementById('main');
let stop = null;
let wanted = 'today';
let gen = 0;

function where() {
  const raw = location.hash.replace(/^#\/?/, '');
  const i = raw.indexOf('?');
  const path = i < 0 ? raw : raw.slice(0, i);
  return { path: path || 'today', query: new URLSearchParams(i < 0 ? '' : raw.slice(i + 1)) };
}

function header(active) {
  const nav = document.getElementById('nav');
  clear(nav);
  if (me) {
    nav.append(h('ul', {}, menu.filter(([, , role]) => can(role)).map(([r, key]) =>
      h('li', {}, h('a', { href: '#/' + r, id: 'nav-' + r,
        'aria-current': key === active ? 'page' : null }, t(key))))));
  }
  nav.setAttribute('aria-label', t('nav.label'));
  const who = document.getElementById('who');
  clear(who, me ? h('span', { id: 'whoami' }, t('who', me.name, t('role.' + me.role))) : null,
    me ? h('button', { type: 'button', id: 'signout', onclick: doSignOut }, t('signout')) : null,
    h('button', { type: 'button', id: 'lang', lang: getLang() === 'vi' ? 'en' : 'vi',
      onclick: switchLang }, t('lang.other')));
  document.getElementById('skip').textContent = t('skip');
}

async function doSignOut() {
  await signOut().catch(() => {});
  location.hash = '#/signin';
}

function switchLang() {
  setLang(getLang() === 'vi' ? 'en' : 'vi');
  route();
}

async function route() {
  if (stop) { stop(); stop = null; }
  const { path, query } = where();
  if (!me && path !== 'signin') {
    wanted = path + (query.toString() ? '?' + query : '');
    location.replace('#/signin');
    return;
  }
  if (me && path === 'signin') { location.replace('#/' + wanted); return; }
  for (const [re, render, key] of routes) {
    const m = re.exec(path);
    if (!m) continue;
    header(key);
    // Each page renders into its own box: one left behind by a quick
    // click writes into a box no longer shown.
    const box = h('div', { class: 'page' });
    clear(main, box);
    const args = m.slice(1).map(decodeURIComponent);
    const mine = ++gen;
    let s = null;
    try {
      s = (await render(box, args, query)) || null;
    } catch (e) {
      box.append(notice('error', errorText(e)));
    }
    if (mine === gen) stop = s;
    else if (s) s();
    return;
  }
  header(null);
  clear(main, h('h1', {}, t('err.notfound')));
}

// After signing in: where the clerk was going.
export function signedIn() {
  location.replace('#/' + (wanted === 'signin' ? 'today' : wanted));
}

onSessionLost(() => {
  const { path, query } = where();
  wanted = path + (query.toString() ? '?' + query : '');
  location.replace('#/signin');
  sessionStorage.setItem('motcua.lost', '1');
});

async function start() {
  setLang(getLang());
  document.getElementById('skip').addEventListener('click', (e) => {
    e.preventDefault();
    main.focus();
  });
  officeInfo().then((o) => {
    document.getElementById('office-name').textContent = o.name || '';
  });
  try {
    await loadSession();
  } catch (e) {
    header(null);
    clear(main, notice('error', errorText(e)));
    return;
  }
  window.addEventListener('hashchange', route);
  route();
}

start();
