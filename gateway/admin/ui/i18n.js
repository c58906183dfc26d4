// The console's words, Vietnamese first (the default) and English. The
// choice is kept in localStorage. t('key', a, b) fills {0}, {1}.
const S = {
vi: {
  'app.title': 'Bộ phận một cửa',
  'lang.other': 'English',
  'nav.label': 'Các trang',
  'nav.today': 'Hôm nay', 'nav.cases': 'Hồ sơ', 'nav.counter': 'Tiếp nhận',
  'nav.import': 'Nhập danh sách', 'nav.inbox': 'Tin nhắn đến',
  'nav.audit': 'Nhật ký', 'nav.users': 'Tài khoản',
  'who': '{0} ({1})', 'signout': 'Đăng xuất', 'skip': 'Bỏ qua, đến nội dung chính',
  'role.clerk': 'cán bộ', 'role.head': 'lãnh đạo', 'role.admin': 'quản trị',
  'loading': 'Đang tải…', 'none': 'Không có.', 'yes': 'có', 'no': 'không',
  'err.title': 'Có lỗi cần sửa', 'err.network': 'Không kết nối được với máy chủ. Kiểm tra mạng rồi thử lại.',
  'err.http': 'Máy chủ báo lỗi {0}.', 'err.notfound': 'Không có trang này.',
  'err.required': 'Hãy nhập {0}.', 'err.choose': 'Hãy chọn {0}.',
  'err.phone': 'Số điện thoại không đúng: nhập 10 chữ số, ví dụ 0912345678.',
  'err.file': 'Hãy chọn tệp CSV.', 'err.filebig': 'Tệp quá lớn: tối đa 16 MB.',
  'err.session': 'Phiên làm việc đã hết. Hãy đăng nhập lại.',
  'srv.wrongpw': 'Sai tên đăng nhập hoặc mật khẩu.',
  'srv.locked': 'Sai mật khẩu quá nhiều lần: hãy thử lại sau {0} phút.',
  'srv.csrf': 'Thiếu mã bảo vệ hoặc mã không đúng (CSRF). Hãy tải lại trang.',
  'srv.role': 'Việc này cần quyền {0}.',
  'signin.title': 'Đăng nhập', 'signin.name': 'Tên đăng nhập', 'signin.password': 'Mật khẩu',
  'signin.submit': 'Đăng nhập', 'signin.busy': 'Đang đăng nhập…',
  'f.name': 'tên đăng nhập', 'f.password': 'mật khẩu', 'f.procedure': 'thủ tục',
  'f.msisdn': 'số điện thoại', 'f.citizen': 'họ tên công dân', 'f.status': 'trạng thái mới',
  'f.text': 'nội dung tin nhắn', 'f.role': 'quyền',
  'today.title': 'Hôm nay', 'today.updated': 'Cập nhật lúc {0}, tự làm mới mỗi 15 giây.',
  'today.links': 'Kết nối nhà mạng', 'today.queue': 'Tin đang chờ gửi',
  'today.in': 'Tin nhận hôm nay', 'today.out': 'Tin gửi hôm nay',
  'today.due_today': 'Hẹn trả hôm nay', 'today.due_tomorrow': 'Hẹn trả ngày mai',
  'today.overdue': 'Quá hạn', 'today.needs': 'Tin nhắn cần người trả lời',
  'link.bound': 'đang hoạt động', 'link.down': 'mất kết nối', 'link.connecting': 'đang kết nối lại',
  'link.binding': 'đang đăng nhập', 'link.unbinding': 'đang ngắt',
  'kind.unknown': 'không hiểu', 'kind.feedback': 'phản ánh',
  'c.code': 'Mã hồ sơ', 'c.name': 'Họ tên', 'c.msisdn': 'Số điện thoại', 'c.procedure': 'Thủ tục',
  'c.status': 'Trạng thái', 'c.due': 'Hẹn trả', 'c.timeliness': 'Tiến độ', 'c.channel': 'Kênh',
  'c.received': 'Ngày nhận', 'c.finished': 'Có kết quả', 'c.request': 'Nội dung yêu cầu',
  'c.rating': 'Đánh giá của công dân', 'c.rating.none': 'Chưa đánh giá',
  'c.rating.val': '{0}/5 (lúc {1})',
  'cases.title': 'Hồ sơ', 'cases.q': 'Tìm theo mã, số điện thoại hoặc tên',
  'cases.search': 'Tìm', 'cases.all': 'Tất cả', 'cases.next': 'Trang sau →',
  'cases.first': '← Về trang đầu', 'cases.empty': 'Không có hồ sơ nào khớp.',
  'case.title': 'Hồ sơ {0}', 'case.history': 'Quá trình xử lý', 'case.messages': 'Tin nhắn',
  'case.refresh': 'Làm mới', 'case.slip': 'In giấy hẹn',
  'h.at': 'Thời gian', 'h.note': 'Ghi chú', 'h.actor': 'Người thực hiện',
  'm.in': 'Công dân gửi', 'm.out': 'Gửi công dân', 'm.state': 'tình trạng: {0}',
  'change.title': 'Đổi trạng thái', 'change.note': 'Ghi chú gửi công dân (không bắt buộc)',
  'change.preview': 'Xem trước tin nhắn', 'change.confirm': 'Xác nhận và gửi tin',
  'change.edit': 'Sửa lại', 'change.busy': 'Đang gửi…',
  'change.done': 'Đã đổi trạng thái thành “{0}”. Tin nhắn đã được xếp hàng gửi tới {1}.',
  'preview.title': 'Tin nhắn công dân sẽ nhận', 'preview.to': 'Gửi tới {0}:',
  'preview.meta': '{0} phần tin · {1} · {2} ký tự',
  'preview.gsm': 'bảng chữ GSM (không dấu)', 'preview.ucs2': 'Unicode (UCS-2, có dấu: 70 ký tự một phần)',
  'preview.check': 'Kiểm tra lại nội dung, rồi xác nhận một lần.',
  'preview.cut': 'Tin quá dài: sẽ bị cắt ở số phần tối đa, kết thúc bằng “...”. Hãy viết ngắn lại.',
  'counter.title': 'Tiếp nhận hồ sơ tại quầy', 'counter.submit': 'Tiếp nhận và in giấy hẹn',
  'counter.busy': 'Đang tạo hồ sơ…', 'counter.choose': '— chọn thủ tục —',
  'counter.hint.msisdn': 'Số của công dân, để nhận tin báo kết quả. Ví dụ 0912345678.',
  'slip.title': 'Giấy hẹn {0}', 'slip.print': 'In giấy hẹn', 'slip.layout': 'Khổ giấy',
  'slip.a5': 'A5', 'slip.receipt': 'Máy in hóa đơn 80 mm',
  'slip.open': 'Mở hồ sơ', 'slip.new': 'Tiếp nhận hồ sơ khác',
  'import.title': 'Nhập danh sách hồ sơ (CSV)',
  'import.file': 'Tệp CSV xuất từ hệ thống một cửa điện tử',
  'import.hint': 'UTF-8, dấu phẩy hoặc chấm phẩy. Chưa có gì thay đổi cho tới khi bạn xác nhận.',
  'import.upload': 'Tải lên và xem trước', 'import.busy': 'Đang đọc tệp…',
  'import.preview': 'Xem trước: chưa có gì thay đổi',
  'import.new': 'Hồ sơ mới', 'import.changes': 'Đổi trạng thái (mỗi thay đổi nhắn tin cho một công dân)',
  'import.unchanged': 'Không đổi', 'import.errors': 'Dòng có lỗi', 'import.total': 'Tổng số dòng',
  'import.errtable': 'Các dòng có lỗi (không được nhập)', 'import.row': 'Dòng', 'import.field': 'Cột',
  'import.reason': 'Lý do', 'import.more': 'Đang hiện {0} lỗi đầu tiên trong số {1} dòng có lỗi.',
  'import.skip': 'Các dòng có lỗi sẽ không được nhập; các dòng khác được nhập khi bạn xác nhận.', 'import.apply': 'Xác nhận nhập', 'import.discard': 'Hủy bỏ',
  'import.applying': 'Đang nhập: {0}/{1} dòng', 'import.applied': 'Đã nhập xong {0} dòng.',
  'import.failed': 'Nhập không thành công, không có gì thay đổi: {0}',
  'import.discarded': 'Đã hủy. Không có gì thay đổi.',
  'inbox.title': 'Tin nhắn đến cần trả lời', 'inbox.from': 'Số điện thoại', 'inbox.last': 'Tin cuối',
  'inbox.count': 'Số tin', 'inbox.kind': 'Loại', 'inbox.state': 'Tình trạng',
  'inbox.done': 'đã xử lý', 'inbox.open': 'chưa xử lý', 'inbox.empty': 'Không có tin nào.',
  'thread.title': 'Tin nhắn với {0}', 'thread.reply': 'Trả lời', 'thread.send': 'Gửi tin',
  'thread.sent': 'Đã gửi trả lời.', 'thread.markdone': 'Đánh dấu đã xử lý',
  'thread.isdone': 'Cuộc trò chuyện này đã xử lý xong.', 'thread.marked': 'Đã đánh dấu đã xử lý.',
  'audit.title': 'Nhật ký thao tác', 'audit.at': 'Thời gian', 'audit.actor': 'Người',
  'audit.role': 'Quyền', 'audit.peer': 'Từ máy', 'audit.what': 'Thao tác', 'audit.status': 'Kết quả',
  'audit.summary': 'Nội dung', 'audit.older': 'Cũ hơn →', 'audit.newest': '← Mới nhất',
  'users.title': 'Tài khoản', 'users.add': 'Thêm tài khoản', 'users.added': 'Đã thêm tài khoản {0}.',
  'users.name': 'Tên đăng nhập', 'users.role': 'Quyền', 'users.password': 'Mật khẩu (ít nhất 8 ký tự)',
  'st.received': 'đã tiếp nhận', 'st.rejected': 'không được tiếp nhận', 'st.processing': 'đang xử lý',
  'st.need_more': 'yêu cầu bổ sung giấy tờ', 'st.need_fee': 'yêu cầu nộp phí, lệ phí',
  'st.withdrawn': 'công dân rút hồ sơ', 'st.suspended': 'dừng xử lý', 'st.ready': 'đã có kết quả',
  'st.returned': 'đã trả kết quả',
  'tl.within': 'trong hạn', 'tl.overdue': 'quá hạn', 'tl.early': 'trước hạn',
  'tl.on_time': 'đúng hạn', 'tl.late': 'trễ hạn',
  'ch.sms': 'tin nhắn', 'ch.ussd': 'USSD', 'ch.counter': 'tại quầy', 'ch.import': 'nhập từ danh sách',
},
en: {
  'app.title': 'One-stop office',
  'lang.other': 'Tiếng Việt',
  'nav.label': 'Pages',
  'nav.today': 'Today', 'nav.cases': 'Cases', 'nav.counter': 'Counter',
  'nav.import': 'Import', 'nav.inbox': 'Inbox', 'nav.audit': 'Audit log', 'nav.users': 'Accounts',
  'who': '{0} ({1})', 'signout': 'Sign out', 'skip': 'Skip to main content',
  'role.clerk': 'clerk', 'role.head': 'head', 'role.admin': 'admin',
  'loading': 'Loading…', 'none': 'None.', 'yes': 'yes', 'no': 'no',
  'err.title': 'There is a problem', 'err.network': 'Cannot reach the server. Check the network and try again.',
  'err.http': 'The server answered {0}.', 'err.notfound': 'No such page.',
  'err.required': 'Enter the {0}.', 'err.choose': 'Choose the {0}.',
  'err.phone': 'This is not a phone number: enter 10 digits, for example 0912345678.',
  'err.file': 'Choose a CSV file.', 'err.filebig': 'The file is too large: 16 MB at most.',
  'err.session': 'Your session has ended. Sign in again.',
  'srv.wrongpw': 'wrong name or password',
  'srv.locked': 'too many wrong passwords: try again in {0} minutes',
  'srv.csrf': 'missing or wrong CSRF token',
  'srv.role': 'this needs the {0} role',
  'signin.title': 'Sign in', 'signin.name': 'Name', 'signin.password': 'Password',
  'signin.submit': 'Sign in', 'signin.busy': 'Signing in…',
  'f.name': 'name', 'f.password': 'password', 'f.procedure': 'procedure',
  'f.msisdn': 'phone number', 'f.citizen': "citizen's name", 'f.status': 'new status',
  'f.text': 'message text', 'f.role': 'role',
  'today.title': 'Today', 'today.updated': 'Updated at {0}; refreshes every 15 seconds.',
  'today.links': 'Carrier links', 'today.queue': 'Messages waiting to go',
  'today.in': 'Messages in today', 'today.out': 'Messages out today',
  'today.due_today': 'Due today', 'today.due_tomorrow': 'Due tomorrow',
  'today.overdue': 'Overdue', 'today.needs': 'Messages that need a person',
  'link.bound': 'up', 'link.down': 'down', 'link.connecting': 'connecting',
  'link.binding': 'binding', 'link.unbinding': 'unbinding',
  'kind.unknown': 'not understood', 'kind.feedback': 'feedback',
  'c.code': 'Case code', 'c.name': 'Name', 'c.msisdn': 'Phone number', 'c.procedure': 'Procedure',
  'c.status': 'Status', 'c.due': 'Due', 'c.timeliness': 'Timeliness', 'c.channel': 'Channel',
  'c.received': 'Received', 'c.finished': 'Result ready', 'c.request': 'Request',
  'c.rating': "Citizen's rating", 'c.rating.none': 'Not rated', 'c.rating.val': '{0}/5 (at {1})',
  'cases.title': 'Cases', 'cases.q': 'Search by code, number or name',
  'cases.search': 'Search', 'cases.all': 'All', 'cases.next': 'Next page →',
  'cases.first': '← First page', 'cases.empty': 'No case matches.',
  'case.title': 'Case {0}', 'case.history': 'History', 'case.messages': 'Messages',
  'case.refresh': 'Refresh', 'case.slip': 'Print the slip',
  'h.at': 'When', 'h.note': 'Note', 'h.actor': 'By',
  'm.in': 'From the citizen', 'm.out': 'To the citizen', 'm.state': 'state: {0}',
  'change.title': 'Change the status', 'change.note': 'Note for the citizen (optional)',
  'change.preview': 'Preview the message', 'change.confirm': 'Confirm and send',
  'change.edit': 'Change it', 'change.busy': 'Sending…',
  'change.done': 'Status changed to “{0}”. The message to {1} is queued.',
  'preview.title': 'The message the citizen will get', 'preview.to': 'To {0}:',
  'preview.meta': '{0} part(s) · {1} · {2} characters',
  'preview.gsm': 'GSM alphabet', 'preview.ucs2': 'Unicode (UCS-2: 70 characters a part)',
  'preview.check': 'Check the text, then confirm once.',
  'preview.cut': 'Too long: it will be cut at the most parts allowed, ending in "...". Shorten it.',
  'counter.title': 'Open a case at the counter', 'counter.submit': 'Open the case and print the slip',
  'counter.busy': 'Opening the case…', 'counter.choose': '— choose a procedure —',
  'counter.hint.msisdn': "The citizen's number, for the result's SMS. For example 0912345678.",
  'slip.title': 'Slip {0}', 'slip.print': 'Print the slip', 'slip.layout': 'Paper',
  'slip.a5': 'A5', 'slip.receipt': '80 mm receipt printer',
  'slip.open': 'Open the case', 'slip.new': 'Open another case',
  'import.title': 'Import cases (CSV)',
  'import.file': 'CSV file exported from the case system',
  'import.hint': 'UTF-8, comma or semicolon. Nothing changes until you confirm.',
  'import.upload': 'Upload and preview', 'import.busy': 'Reading the file…',
  'import.preview': 'Preview: nothing has changed yet',
  'import.new': 'New cases', 'import.changes': 'Status changes (each texts a citizen)',
  'import.unchanged': 'Unchanged', 'import.errors': 'Rows with errors', 'import.total': 'Rows',
  'import.errtable': 'Rows with errors (not imported)', 'import.row': 'Row', 'import.field': 'Column',
  'import.reason': 'Reason', 'import.more': 'The first {0} problems of {1} rows with errors.',
  'import.skip': 'Rows with errors are not imported; the others are, once you confirm.', 'import.apply': 'Confirm the import', 'import.discard': 'Discard',
  'import.applying': 'Importing: {0}/{1} rows', 'import.applied': 'Imported {0} rows.',
  'import.failed': 'The import failed and nothing changed: {0}',
  'import.discarded': 'Discarded. Nothing changed.',
  'inbox.title': 'Inbox', 'inbox.from': 'Number', 'inbox.last': 'Last message',
  'inbox.count': 'Messages', 'inbox.kind': 'Kind', 'inbox.state': 'State',
  'inbox.done': 'done', 'inbox.open': 'open', 'inbox.empty': 'No messages.',
  'thread.title': 'Messages with {0}', 'thread.reply': 'Reply', 'thread.send': 'Send',
  'thread.sent': 'Reply sent.', 'thread.markdone': 'Mark as done',
  'thread.isdone': 'This conversation is done.', 'thread.marked': 'Marked as done.',
  'audit.title': 'Audit log', 'audit.at': 'When', 'audit.actor': 'Who', 'audit.role': 'Role',
  'audit.peer': 'From', 'audit.what': 'Action', 'audit.status': 'Result', 'audit.summary': 'What',
  'audit.older': 'Older →', 'audit.newest': '← Newest',
  'users.title': 'Accounts', 'users.add': 'Add an account', 'users.added': 'Account {0} added.',
  'users.name': 'Name', 'users.role': 'Role', 'users.password': 'Password (8 characters or more)',
  'st.received': 'received', 'st.rejected': 'rejected', 'st.processing': 'processing',
  'st.need_more': 'more documents needed', 'st.need_fee': 'fee to pay', 'st.withdrawn': 'withdrawn',
  'st.suspended': 'suspended', 'st.ready': 'result ready', 'st.returned': 'result returned',
  'tl.within': 'within time', 'tl.overdue': 'overdue', 'tl.early': 'early',
  'tl.on_time': 'on time', 'tl.late': 'late',
  'ch.sms': 'SMS', 'ch.ussd': 'USSD', 'ch.counter': 'counter', 'ch.import': 'import',
},
};

export const STATUSES = ['received', 'rejected', 'processing', 'need_more', 'need_fee',
  'withdrawn', 'suspended', 'ready', 'returned'];
export const TIMELINESS = ['within', 'overdue', 'early', 'on_time', 'late'];
export const CHANNELS = ['sms', 'ussd', 'counter', 'import'];

let lang = 'vi';
try {
  if (localStorage.getItem('motcua.lang') === 'en') lang = 'en';
} catch (e) { /* storage off: Vietnamese */ }

export function getLang() { return lang; }

export function setLang(l) {
  lang = l === 'en' ? 'en' : 'vi';
  try { localStorage.setItem('motcua.lang', lang); } catch (e) { /* kept for this page */ }
  document.documentElement.lang = lang;
}

export function t(key, ...args) {
  const s = S[lang][key] ?? S.vi[key] ?? key;
  return s.replace(/\{(\d)\}/g, (m, i) => String(args[+i] ?? ''));
}

// A code's words (status, timeliness, channel, kind, role), or the code.
export function word(prefix, code) {
  if (code === null || code === undefined || code === '') return '';
  const k = prefix + '.' + code;
  return S[lang][k] ?? code;
}

// What the server said, in the page's language when it is a known phrase.
export function serverText(msg) {
  let m;
  if (msg === 'wrong name or password') return t('srv.wrongpw');
  if ((m = /^too many wrong passwords: try again in (\d+) minutes?$/.exec(msg)))
    return t('srv.locked', m[1]);
  if (msg === 'missing or wrong CSRF token') return t('srv.csrf');
  if ((m = /^this needs the (\w+) role$/.exec(msg))) return t('srv.role', word('role', m[1]));
  return msg;
}

// ISO 8601 as the office reads it: 2026-12-04T09:15:00+07:00 -> 04/12/2026 09:15
// (the server's local time, as written; no conversion).
export function fmtDate(iso) {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

export function fmtTime(iso) {
  if (!iso) return '';
  const m = /T(\d{2}):(\d{2})/.exec(iso);
  return fmtDate(iso) + (m ? ` ${m[1]}:${m[2]}` : '');
}
