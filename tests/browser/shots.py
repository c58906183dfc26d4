#!/usr/bin/python3
"""Screenshots of the console for the README, taken against the real
daemon and simulator: docs/console-signin.png, console-today.png,
console-case.png and console-slip.png (1280x800). Not a test (run.sh runs
only the numbered files): `BIN=bin /usr/bin/python3 tests/browser/shots.py`.
The PNGs are not committed by this script."""
import os
import re
import time

from harness import ROOT, check, run

DOCS = os.path.join(ROOT, "docs")


def shot(b, name):
    os.makedirs(DOCS, exist_ok=True)
    time.sleep(0.3)				# fonts and the QR image settle
    b.d.save_screenshot(os.path.join(DOCS, f"console-{name}.png"))


def seed(env):
    env.user("lan", "mat-khau-cua-lan", "clerk")
    people = [("KS", "0912000101", "Nguyễn Văn An"), ("HN", "0912000102", "Trần Thị Bích"),
              ("CT", "0912000103", "Lê Hoàng Cường"), ("BS", "0912000104", "Phạm Thu Dung")]
    codes = []
    for proc, num, name in people:
        st, c = env.api("POST", "/cases", {"procedure": proc, "msisdn": num, "name": name})
        check(st == 201, f"POST /cases: {st} {c}")
        codes.append(c["code"])
    env.api("PATCH", "/cases/" + codes[1], {"status": "processing", "note": ""},
            headers={"X-Actor": "lan"})
    env.phone("0912000103", "PA Đường vào thôn Đông ngập nước sau mưa")
    env.phone("0912000102", "TC " + codes[1])
    env.sms("84912000102", re.escape(codes[1]))
    return codes


def test(env, b):
    b.d.set_window_size(1280, 800)
    codes = seed(env)
    b.go("signin")
    b.el("#signin-name")
    shot(b, "signin")
    b.sign_in("lan", "mat-khau-cua-lan")
    b.text("h1", "Hôm nay")
    b.text("#today-needs", "ngập nước", timeout=20)
    shot(b, "today")
    b.go("cases/" + codes[1])
    b.text("#case-messages", "TC " + codes[1])
    b.pick("#change-status", "ready")
    b.fill("#change-note", "Mời ông/bà mang CCCD đến nhận kết quả")
    b.click("#change-preview")
    b.el("#preview-text")
    shot(b, "case")
    b.go("slip/" + codes[0])
    b.el("#slip-qr")
    shot(b, "slip")
    print("saved " + ", ".join(f"docs/console-{n}.png" for n in ("signin", "today", "case", "slip")))


run(test)
