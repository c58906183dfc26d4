#!/usr/bin/python3
"""A clerk's day in the console (issue 13), against the real daemon and
the SMSC simulator: sign in; open a case at the counter and check the slip
as rendered (code, due date, how to follow it, the QR image, the print
stylesheet for A5 and for an 80 mm printer); the citizen texts TC <code>
and the reply shows on the case page; a status change shows the exact SMS
first and the simulator receives that text; a CSV with one bad row shows
its error and changes nothing until confirmed; the Today page shows a new
citizen message without a reload and the clerk answers it in the inbox;
the head finds all of it in the audit log."""
import base64
import re
import time

from harness import check, no_stray_words, run

CITIZEN = "0912345678"
CITIZEN84 = "84912345678"
ASKER = "0987654321"
ASKER84 = "84987654321"


def norm(s):
    return " ".join(s.split())


def ddmmyyyy(iso):
    y, m, d = iso[:10].split("-")
    return f"{d}/{m}/{y}"


def pdf_pages(b):
    """The page printed to PDF with its own @page sizes: [(width, height)] in pt."""
    pdf = base64.b64decode(b.d.execute_cdp_cmd("Page.printToPDF",
                                                {"preferCSSPageSize": True})["data"])
    n = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return n, (float(box.group(1)), float(box.group(2))) if box else None


def sign_in(env, b):
    env.user("lan", "mat-khau-cua-lan", "clerk")
    env.user("hoa", "mat-khau-cua-hoa", "head")
    b.sign_in("lan", "mat-khau-cua-lan")
    b.text("#whoami", "lan")
    b.text("h1", "Hôm nay")
    b.el("#today-queue")
    check(not b.els("#nav-audit"), "a clerk's menu shows the audit log")


def counter(env, b):
    b.click("#nav-counter")
    b.text("h1", "Tiếp nhận hồ sơ tại quầy")
    b.click("#counter-submit")			# empty: each field says what is missing
    b.text("#counter-procedure-error", "Hãy chọn thủ tục.")
    b.text("#counter-name-error", "Hãy nhập họ tên công dân.")
    b.pick("#counter-procedure", "KS")
    b.fill("#counter-msisdn", "091234")
    b.fill("#counter-name", "Nguyễn Thị Lan Anh")
    b.click("#counter-submit")
    b.text("#counter-msisdn-error", "Số điện thoại không đúng")
    b.fill("#counter-msisdn", CITIZEN)
    b.click("#counter-submit")
    code = b.text("#slip-code", re.compile(r"^MC\d{7,}$")).strip()
    st, c = env.api("GET", "/cases/" + code)
    check(st == 200 and c["channel"] == "counter", f"GET /cases/{code}: {st} {c}")
    b.text("#slip-due", ddmmyyyy(c["due"]))
    b.text("#slip-name", "Nguyễn Thị Lan Anh")
    b.text("#slip-procedure", "khai sinh")
    b.text("#slip-sms", f"Nhắn TC {code} gửi 8077")
    b.text("#slip-ussd", "*8077#")
    no_stray_words(b)
    b.text("#slip-office", env.api("GET", "/ui/office.json", token=False)[1]["name"])
    check(b.js("const i = document.getElementById('slip-qr');"
               "return i.complete && i.naturalWidth > 0 && i.src.startsWith('data:image/svg+xml')"),
          "the QR code is not a decoded image")
    # Printed: only the slip, on A5; then on the 80 mm printer.
    b.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    style = "return getComputedStyle(document.querySelector(arguments[0]))[arguments[1]]"
    check(b.js(style, ".top", "display") == "none", "the header prints")
    check(b.js(style, "#slip-print", "display") == "none", "the print button prints")
    check(b.js(style, "#slip", "display") != "none", "the slip does not print")
    check(b.js(style, "#slip", "page") == "a5", "the slip is not on the A5 page")
    b.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    b.click("#slip-layout-receipt")
    b.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    check(b.js(style, "#slip", "page") == "receipt", "the receipt layout is not on its page")
    b.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    # One sheet each: A5 is 420 x 595 pt, the receipt 80 mm (227 pt) wide.
    n, size = pdf_pages(b)
    check(n == 1 and abs(size[0] - 227) < 2, f"the receipt prints as {n} pages of {size}")
    b.click("#slip-layout-a5")
    n, size = pdf_pages(b)
    check(n == 1 and abs(size[0] - 420) < 2 and abs(size[1] - 595) < 2,
          f"the A5 slip prints as {n} pages of {size}")
    return code


def citizen_asks(env, b, code):
    env.phone(CITIZEN, "TC " + code)
    reply = env.sms(CITIZEN84, re.escape(code))
    b.go("cases/" + code)
    b.text("#case-code", code)
    # The reply is stored once the SMSC took it: refresh until it shows.
    deadline = time.monotonic() + 10
    while norm(reply)[:40] not in norm(b.el("#case-messages").get_attribute("textContent")):
        check(time.monotonic() < deadline, "the TC reply is not on the case page")
        b.click("#case-refresh")
        time.sleep(0.3)
    b.text("#case-messages", "TC " + code)
    no_stray_words(b)


def change_status(env, b, code):
    note = "Mang theo bản chính giấy chứng sinh"
    b.click("#change-preview")			# no status chosen yet
    b.text("#change-status-error", "Hãy chọn trạng thái mới.")
    b.pick("#change-status", "need_more")
    b.fill("#change-note", note)
    b.click("#change-preview")
    text = b.text("#preview-text", note)
    meta = b.text("#preview-meta", re.compile(r"\d+ phần tin · (Unicode|bảng chữ GSM)"))
    parts = int(meta.split()[0])
    ok = b.el("#change-confirm")
    # The click disables the button at once: a second click sends nothing.
    check(b.js("arguments[0].click(); const d = arguments[0].disabled; arguments[0].click();"
               "return d", ok), "the confirm button stays enabled while it runs")
    b.text("#case-banner", "Đã đổi trạng thái")
    b.text("#case-status", "yêu cầu bổ sung giấy tờ")
    got = env.sms(CITIZEN84, re.escape(note))
    check(norm(got) == norm(text), f"the SMS sent is not the preview: {got!r} vs {text!r}")
    check(env.sms_parts[0] == parts, f"sent in {env.sms_parts[0]} parts, the preview said {parts}")
    st, c = env.api("GET", "/cases/" + code)
    check([h["status"] for h in c["history"]].count("need_more") == 1,
          f"the status change was recorded {c['history']}")


def import_csv(env, b, code):
    # One case already imported, to be changed by the file.
    old = "000.00.20.H12-261201-0007"
    st, c = env.api("POST", "/cases", {"code": old, "procedure": "HN", "msisdn": "0912000007",
                                      "name": "Lê Văn Cường"})
    check(st == 201, f"POST /cases {old}: {st} {c}")
    new = "000.00.20.H12-261201-0008"
    csv = ("Mã hồ sơ;Mã thủ tục;Chủ hồ sơ;Số điện thoại;Trạng thái\r\n"
           f"{new};KS;Phạm Thị Dung;0912000008;Đã tiếp nhận\r\n"
           f"{old};HN;Lê Văn Cường;0912000007;Đang xử lý\r\n"
           "000.00.20.H12-261201-0009;XYZ;Đỗ Văn Em;0912000009;Đã tiếp nhận\r\n")
    path = env.path("hom-nay.csv")
    with open(path, "w", encoding="utf-8-sig") as f:
        f.write(csv)
    b.click("#nav-import")
    b.click("#import-upload")			# no file
    b.text("#import-file-error", "Hãy chọn tệp CSV.")
    b.el("#import-file").send_keys(path)
    b.click("#import-upload")
    b.text("#import-new", "1")
    b.text("#import-changes", "1")
    b.text("#import-errors", "1")
    b.text("table.import-errors tbody td:first-child", re.compile(r"^4$"))	# header: row 1
    b.text("table.import-errors", "XYZ")
    no_stray_words(b)
    # Nothing changed before the confirm.
    check(env.api("GET", "/cases/" + new)[0] == 404, "the new case exists before the confirm")
    check(env.api("GET", "/cases/" + old)[1]["status"] == "received",
          "the status changed before the confirm")
    check(env.sql("select count(*) from outbound where msisdn = '84912000007'") == "0",
          "a citizen was texted before the confirm")
    b.click("#import-apply")
    b.text("#import-state", "Đã nhập xong", timeout=20)
    check(b.el("#import-progress").get_attribute("value") ==
          b.el("#import-progress").get_attribute("max"), "the progress bar is not full")
    check(env.api("GET", "/cases/" + new)[0] == 200, "the new case was not imported")
    check(env.api("GET", "/cases/" + old)[1]["status"] == "processing",
          "the status change was not imported")
    check(env.api("GET", "/cases/000.00.20.H12-261201-0009")[0] == 404, "the bad row was imported")
    env.sms("84912000007", re.escape(old))


def inbox(env, b):
    b.click("#nav-today")
    b.el("#today-needs")
    b.js("window.__same_page = 1")
    question = "PA Đèn đường thôn Đông bị hỏng ba hôm nay"
    env.phone(ASKER, question)
    env.sms(ASKER84, ".")			# the automatic answer
    b.text("#today-needs", question, timeout=20)	# the 15 s refresh
    no_stray_words(b)
    check(b.js("return window.__same_page") == 1, "the Today page reloaded")
    b.click("#nav-inbox")
    b.text("#inbox", "84987654321")
    b.click("a.thread-link[href$='84987654321']")
    b.text("#thread-messages", question)
    no_stray_words(b)
    b.click("#reply-preview")
    b.text("#reply-text-error", "Hãy nhập nội dung tin nhắn.")
    answer = "Dạ, sáng thứ bảy xã tiếp dân từ 7h30 đến 11h30."
    b.fill("#reply-text", answer)
    b.click("#reply-preview")
    b.text("#preview-text", answer)
    b.text("#preview-meta", re.compile(r"\d+ phần tin"))
    b.click("#reply-send")
    b.text("#thread-banner", "Đã gửi trả lời.")
    check(norm(env.sms(ASKER84, re.escape("7h30"))) == norm(answer), "the reply sent differs")
    b.click("#thread-markdone")
    b.text("#thread-done", "đã xử lý xong")


def audit(env, b, code):
    b.click("#signout")
    b.text("h1", "Đăng nhập")
    b.sign_in("hoa", "mat-khau-cua-hoa")
    b.click("#nav-audit")
    log = b.text("#audit", "lan")
    for what in ("POST /cases", "PATCH /cases/" + code, "POST /imports",
                 "POST /inbox/84987654321/reply", "POST /inbox/84987654321/done"):
        check(what in log, f"the audit log lacks {what}")


def test(env, b):
    sign_in(env, b)
    code = counter(env, b)
    citizen_asks(env, b, code)
    change_status(env, b, code)
    import_csv(env, b, code)
    inbox(env, b)
    audit(env, b, code)


run(test)
