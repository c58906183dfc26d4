// Building the page from DOM nodes only: text goes in as text nodes, never
// as HTML, so nothing a citizen or an import wrote can become markup.
import { t, serverText } from './i18n.js';

// h('p', {class: 'x', onclick: fn}, 'text', child, [more]) -> element
export function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'hidden')
      el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  add(el, kids);
  return el;
}

function add(el, kids) {
  for (const k of kids) {
    if (k === null || k === undefined || k === false) continue;
    if (Array.isArray(k)) add(el, k);
    else el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
}

export function clear(el, ...kids) {
  el.replaceChildren();
  add(el, kids);
  return el;
}

let uid = 0;

// A labelled form field with its hint and its error line (GOV.UK's
// pattern): {el, input, error(msg), value()}.
export function field(label, opts = {}) {
  const id = opts.id || 'f' + (++uid);
  const hint = opts.hint ? h('p', { class: 'hint', id: id + '-hint' }, opts.hint) : null;
  const err = h('p', { class: 'field-error', id: id + '-error', hidden: true });
  let input;
  if (opts.options) {
    input = h('select', { id, name: opts.name || id },
      opts.options.map(([v, text]) => h('option', { value: v }, text)));
    if (opts.value !== undefined) input.value = opts.value;
  } else if (opts.textarea) {
    input = h('textarea', { id, name: opts.name || id, rows: opts.rows || 3 });
    if (opts.value) input.value = opts.value;
  } else {
    input = h('input', { id, name: opts.name || id, type: opts.type || 'text',
      autocomplete: opts.autocomplete || 'off', inputmode: opts.inputmode,
      accept: opts.accept });
    if (opts.value) input.value = opts.value;
  }
  if (hint) input.setAttribute('aria-describedby', hint.id);
  const el = h('div', { class: 'field' }, h('label', { for: id }, label), hint, err, input);
  return {
    el, input,
    error(msg) {
      err.textContent = msg || '';
      err.hidden = !msg;
      el.classList.toggle('has-error', !!msg);
      if (msg) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    },
    value() { return input.value.trim(); },
  };
}

// The box at the top of a form that lists its errors, each a link to its
// field; errs is [[field or null, message]]. Empty list: hidden.
export function summary() {
  const list = h('ul');
  const box = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true },
    h('h2', {}, t('err.title')), list);
  return {
    el: box,
    show(errs) {
      list.replaceChildren();
      for (const [f, msg] of errs) {
        if (f) f.error(msg);
        list.append(h('li', {}, f ? h('a', { href: '#', onclick: (e) => {
          e.preventDefault(); f.input.focus(); } }, msg) : msg));
      }
      box.hidden = errs.length === 0;
      if (errs.length) box.focus();
    },
    // A server's refusal: its words, and next to the field it names.
    server(e, fields = {}) {
      const msg = e.status === 0 ? e.message : serverText(e.message);
      let f = null;
      for (const [name, fl] of Object.entries(fields))
        if (new RegExp('\\b' + name + '\\b').test(e.message)) { f = fl; break; }
      this.show([[f, msg]]);
    },
    clear(fields = []) {
      for (const f of fields) f.error('');
      this.show([]);
    },
  };
}

// A one-line message that assistive technology reads out.
export function notice(kind, text) {
  return h('p', { class: 'notice ' + kind, role: kind === 'error' ? 'alert' : 'status' }, text);
}

export function errorText(e) {
  return e.status === 0 ? e.message : serverText(e.message);
}

// A table: heads are strings, rows are arrays of cells (nodes or text).
export function table(caption, heads, rows, cls) {
  return h('table', { class: cls || null },
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, heads.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))));
}

export function button(text, onclick, cls, id) {
  return h('button', { type: 'button', class: cls || null, id: id || null, onclick }, text);
}

// Runs fn with the button disabled (no double submit), restored after.
export async function busy(btn, text, fn) {
  const old = btn.textContent;
  btn.disabled = true;
  btn.textContent = text;
  btn.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    btn.disabled = false;
    btn.textContent = old;
    btn.removeAttribute('aria-busy');
  }
}
