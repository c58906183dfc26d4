// At the counter: open a case for the citizen at the desk (POST /cases),
// then its appointment slip (GET /cases/{code}/slip), printed from the
// browser on A5 or on an 80 mm receipt printer. The slip is for the
// citizen, so its words are always Vietnamese.
import { t, fmtDate } from './i18n.js';
import { h, clear, field, summary, notice, busy, errorText } from './dom.js';
import { api, officeInfo } from './api.js';
import { procedures } from './cases.js';

// The forms a number may be typed in (0912…, 84912…, +84912…, 0084912…),
// spaces, dots and dashes allowed; the server has the last word.
const PHONE = /^(?:\+84|0084|84|0)[1-9]\d{7,9}$/;

export async function render(main) {
  document.title = t('counter.title') + ' · ' + t('app.title');
  const ps = await procedures();
  const proc = field(t('c.procedure'), { id: 'counter-procedure',
    options: [['', t('counter.choose')], ...ps.map((p) => [p.code, p.code + ' — ' + p.name])] });
  const phone = field(t('c.msisdn'), { id: 'counter-msisdn', type: 'tel', inputmode: 'tel',
    hint: t('counter.hint.msisdn'), autocomplete: 'off' });
  const name = field(t('c.name'), { id: 'counter-name' });
  const sum = summary();
  const btn = h('button', { type: 'submit', id: 'counter-submit', class: 'primary' },
    t('counter.submit'));
  const form = h('form', { class: 'narrow', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    sum.clear([proc, phone, name]);
    const errs = [];
    const num = phone.value().replace(/[\s.\-()]/g, '');
    if (!proc.value()) errs.push([proc, t('err.choose', t('f.procedure'))]);
    if (!num) errs.push([phone, t('err.required', t('f.msisdn'))]);
    else if (!PHONE.test(num)) errs.push([phone, t('err.phone')]);
    if (!name.value()) errs.push([name, t('err.required', t('f.citizen'))]);
    if (errs.length) return sum.show(errs);
    await busy(btn, t('counter.busy'), async () => {
      try {
        const c = await api('POST', '/cases', { procedure: proc.value(), msisdn: num,
          name: name.value() });
        location.hash = '#/slip/' + encodeURIComponent(c.code);
      } catch (err) {
        sum.server(err, { procedure: proc, msisdn: phone, name });
      }
    });
  } }, sum.el, proc.el, phone.el, name.el, btn);
  main.append(h('h1', {}, t('counter.title')), form);
  proc.input.focus();
}

function row(label, value, id) {
  return h('div', { class: 'slip-row' }, h('dt', {}, label), h('dd', { id }, value));
}

// The QR code as an image: the server's SVG goes in a data: URL, so it is
// never parsed into this page.
function qr(svg, text) {
  return h('img', { class: 'slip-qr', id: 'slip-qr', alt: 'Mã QR: ' + text,
    src: 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg) });
}

function slip(s, office) {
  const how = `Nhắn ${s.sms_text} gửi ${s.short_code}`;
  return h('article', { class: 'slip', id: 'slip', 'aria-label': 'Giấy hẹn trả kết quả', lang: 'vi' },
    h('header', {}, h('p', { class: 'slip-office', id: 'slip-office' }, s.office || office.name || ''),
      h('h2', {}, 'GIẤY HẸN TRẢ KẾT QUẢ')),
    h('p', { class: 'slip-code', id: 'slip-code' }, s.code),
    h('dl', {},
      row('Người nộp', s.name || '', 'slip-name'),
      row('Thủ tục', s.procedure_name || s.procedure, 'slip-procedure'),
      row('Ngày nhận', fmtDate(s.received_at), 'slip-received'),
      row('Ngày hẹn trả', fmtDate(s.due), 'slip-due')),
    h('div', { class: 'slip-follow' },
      h('div', {},
        h('p', {}, 'Theo dõi hồ sơ:'),
        h('p', { class: 'slip-how', id: 'slip-sms' }, how),
        s.ussd ? h('p', { id: 'slip-ussd' }, 'Hoặc bấm gọi ', h('strong', {}, s.ussd)) : null),
      s.qr_svg ? qr(s.qr_svg, how) : null));
}

export async function renderSlip(main, [code]) {
  document.title = t('slip.title', code) + ' · ' + t('app.title');
  let s, office;
  try {
    [s, office] = await Promise.all([
      api('GET', '/cases/' + encodeURIComponent(code) + '/slip'), officeInfo()]);
  } catch (e) {
    main.append(h('h1', {}, t('slip.title', code)), notice('error', errorText(e)));
    return;
  }
  const paper = slip(s, office);
  const pick = (v) => {
    paper.classList.toggle('receipt', v === 'receipt');
    try { localStorage.setItem('motcua.slip', v); } catch (e) { /* this page only */ }
  };
  let layout = 'a5';
  try { layout = localStorage.getItem('motcua.slip') === 'receipt' ? 'receipt' : 'a5'; } catch (e) { /* a5 */ }
  const radio = (v, label) => h('label', { class: 'inline' },
    h('input', { type: 'radio', name: 'slip-layout', id: 'slip-layout-' + v, value: v,
      checked: v === layout, onchange: () => pick(v) }), ' ', label);
  pick(layout);
  const printBtn = h('button', { type: 'button', id: 'slip-print', class: 'primary',
    onclick: () => window.print() }, t('slip.print'));
  main.append(h('div', { class: 'noprint' },
    h('h1', {}, t('slip.title', s.code)),
    h('fieldset', { class: 'inline' }, h('legend', {}, t('slip.layout')),
      radio('a5', t('slip.a5')), ' ', radio('receipt', t('slip.receipt'))),
    h('p', { class: 'actions' }, printBtn, ' ',
      h('a', { href: '#/cases/' + encodeURIComponent(s.code) }, t('slip.open')), ' · ',
      h('a', { href: '#/counter' }, t('slip.new')))),
  paper);
  printBtn.focus();
}
