// The admin API as the console uses it: the session cookie (HttpOnly: the
// page never sees it) plus the CSRF token the sign-in answered, sent as
// X-CSRF-Token on every request but GET and HEAD. The server decides
// everything; a refusal comes back as an ApiError with its "error" text.
import { t } from './i18n.js';

let csrf = null;
let onLost = () => {};
export let me = null;		// {name, role} once signed in

export class ApiError extends Error {
  constructor(status, message, data) {
    super(message);
    this.status = status;
    this.data = data;
  }
}

// Called when the server says the session is gone (401).
export function onSessionLost(fn) { onLost = fn; }

export async function api(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  let payload;
  if (body !== undefined) {
    if (opts.type) { headers['Content-Type'] = opts.type; payload = body; }
    else { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin',
      cache: 'no-store', redirect: 'error' });
  } catch (e) {
    throw new ApiError(0, t('err.network'), null);
  }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (!res.ok) {
    const msg = (data && typeof data.error === 'string') ? data.error : t('err.http', res.status);
    if (res.status === 401 && path !== '/session' && me) { me = null; csrf = null; onLost(); }
    throw new ApiError(res.status, msg, data);
  }
  return data ?? {};
}

function keep(s) {
  me = { name: s.name, role: s.role };
  csrf = s.csrf || null;
  return me;
}

// The session the cookie holds, or null.
export async function loadSession() {
  try {
    return keep(await api('GET', '/session'));
  } catch (e) {
    me = null; csrf = null;
    // 401: not signed in; another refusal (a server without accounts)
    // also leaves only the sign-in page, where its words will show.
    if (e.status >= 400 && e.status < 500) return null;
    throw e;
  }
}

export async function signIn(name, password) {
  return keep(await api('POST', '/session', { name, password }));
}

export async function signOut() {
  try { await api('DELETE', '/session'); } finally { me = null; csrf = null; }
}

const RANK = { clerk: 1, head: 2, admin: 3 };
export function can(role) { return !!me && (RANK[me.role] || 0) >= RANK[role]; }

// A query string from an object, empty values left out.
export function qs(o) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? '?' + s : '';
}

let office = null;
// The office's name (/ui/office.json), fetched once.
export async function officeInfo() {
  if (!office) {
    try { office = await api('GET', '/ui/office.json'); } catch (e) { office = { name: '' }; }
  }
  return office;
}
