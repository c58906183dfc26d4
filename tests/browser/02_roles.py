#!/usr/bin/python3
"""Roles, CSRF and the sign-in throttle, as a browser sees them: a clerk's
menu has no head or admin pages, and reaching them by URL shows the
server's refusal (and the server refuses the request under the page too);
a request with the session cookie but without the CSRF token, or with a
wrong one, is refused and changes nothing; the head sees the audit log;
the admin makes an account in the page and it signs in; 10 wrong
passwords lock the sign-in for a while, even the right password, and the
page says for how long."""
import re

from harness import check, run

# A request from the page itself, with its cookie: (status, body).
FETCH = """
const [method, path, body, csrf] = arguments;
const done = arguments[arguments.length - 1];
const headers = {'Content-Type': 'application/json'};
if (csrf) headers['X-CSRF-Token'] = csrf;
fetch(path, {method, headers, body: body ? JSON.stringify(body) : undefined,
  credentials: 'same-origin'})
  .then(async (r) => done([r.status, await r.text()]), (e) => done([0, String(e)]));
"""


def fetch(b, method, path, body=None, csrf=None):
    return b.d.execute_async_script(FETCH, method, path, body, csrf)


def cases_count(env):
    return env.sql("select count(*) from cases")


def clerk(env, b):
    b.sign_in("lan", "mat-khau-cua-lan")
    b.text("#whoami", "lan")
    check(b.els("#nav-cases") and not b.els("#nav-audit") and not b.els("#nav-users"),
          "a clerk's menu is wrong")
    b.go("audit")
    b.text("h1", "Nhật ký thao tác")
    b.text(".notice.error", "Việc này cần quyền lãnh đạo.")
    check(not b.els("table.audit"), "a clerk sees audit entries")
    b.go("users")
    b.text("#users .notice.error", "Việc này cần quyền quản trị.")
    # The form is there, but the server refuses the account.
    b.fill("#user-name", "ke-gian")
    b.fill("#user-password", "mat-khau-ke-gian")
    b.pick("#user-role", "admin")
    b.click("#user-add")
    b.text(".error-summary", "Việc này cần quyền quản trị.")
    st, users = env.api("GET", "/users")
    check("ke-gian" not in str(users), "a clerk made an account")
    for method, path in (("GET", "/audit"), ("GET", "/users"), ("GET", "/report")):
        st, _ = fetch(b, method, path)
        check(st == 403, f"a clerk's {method} {path}: HTTP {st}")


def csrf(env, b):
    before = cases_count(env)
    body = {"procedure": "KS", "msisdn": "0912000001", "name": "Không có mã"}
    st, text = fetch(b, "POST", "/cases", body)
    check(st == 403 and "missing or wrong CSRF token" in text, f"no CSRF token: {st} {text}")
    st, text = fetch(b, "POST", "/cases", body, "0" * 64)
    check(st == 403 and "CSRF" in text, f"a wrong CSRF token: {st} {text}")
    check(cases_count(env) == before, "a request without the CSRF token made a case")
    # The page's own request carries it and works.
    b.go("counter")
    b.pick("#counter-procedure", "KS")
    b.fill("#counter-msisdn", "0912000001")
    b.fill("#counter-name", "Có mã")
    b.click("#counter-submit")
    b.el("#slip-code")
    check(int(cases_count(env)) == int(before) + 1, "the console's own request failed")


def session_lost(env, b):
    """The cookie gone (expired): the next request leads to the sign-in,
    which then leads back."""
    b.d.delete_all_cookies()
    b.click("#nav-cases")
    b.text(".notice.error", "Phiên làm việc đã hết")
    b.text("h1", "Đăng nhập")
    b.fill("#signin-name", "hoa")
    b.fill("#signin-password", "mat-khau-cua-hoa")
    b.click("#signin-submit")
    b.text("#whoami", "hoa")
    b.text("h1", "Hồ sơ")


def head(env, b):
    b.click("#nav-audit")
    b.text("table.audit", "POST /cases")
    check(not b.els("#nav-users"), "a head's menu shows the accounts")
    b.click("#signout")
    b.text("h1", "Đăng nhập")
    st, _ = fetch(b, "GET", "/session")
    check(st == 401, f"GET /session after signing out: {st}")


def admin(env, b):
    """The admin's menu has the accounts; an account made there can sign in."""
    b.sign_in("tuan", "mat-khau-cua-tuan")
    b.click("#nav-users")
    b.text("#users", "hoa")
    b.click("#user-add")
    b.text("#user-name-error", "Hãy nhập tên đăng nhập.")
    b.fill("#user-name", "mai")
    b.fill("#user-password", "mat-khau-cua-mai")
    b.pick("#user-role", "clerk")
    b.click("#user-add")
    b.text(".notice.success", "Đã thêm tài khoản mai.")
    b.text("#users", "mai")
    check("mai" in str(env.api("GET", "/users")[1]), "the account is not in GET /users")
    b.click("#signout")
    b.sign_in("mai", "mat-khau-cua-mai")
    b.text("#whoami", "mai")
    b.click("#signout")
    b.text("h1", "Đăng nhập")


def lockout(env, b):
    for i in range(10):
        b.fill("#signin-name", "lan")
        b.fill("#signin-password", f"sai-{i}")
        b.click("#signin-submit")
        b.text(".error-summary", re.compile("Sai tên đăng nhập hoặc mật khẩu|quá nhiều lần"))
        b.el("#signin-submit")
    b.fill("#signin-name", "lan")
    b.fill("#signin-password", "mat-khau-cua-lan")
    b.click("#signin-submit")
    b.text(".error-summary", re.compile(r"Sai mật khẩu quá nhiều lần: hãy thử lại sau \d+ phút"))
    check(fetch(b, "GET", "/session")[0] == 401, "signed in while locked")
    # In English, the server's words as they are.
    b.click("#lang")
    b.fill("#signin-name", "lan")
    b.fill("#signin-password", "mat-khau-cua-lan")
    b.click("#signin-submit")
    b.text(".error-summary", re.compile(r"too many wrong passwords: try again in \d+ minutes?"))
    b.click("#lang")


def test(env, b):
    env.user("lan", "mat-khau-cua-lan", "clerk")
    env.user("hoa", "mat-khau-cua-hoa", "head")
    env.user("tuan", "mat-khau-cua-tuan", "admin")
    clerk(env, b)
    csrf(env, b)
    session_lost(env, b)
    head(env, b)
    admin(env, b)
    lockout(env, b)


run(test)
