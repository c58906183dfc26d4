#!/usr/bin/python3
"""The case search: by code, by number in another form, by name; the
filters (procedure, status, channel, timeliness) kept in the URL across
a reload; the server's pages followed with its cursor and back; Enter
submits; the words in English after the switch."""
import re

from selenium.webdriver.common.keys import Keys

from harness import Failure, check, run, wait_for


def rows(b):
    return [r.text for r in b.els("table.cases tbody tr")]


def seed(env):
    env.user("lan", "mat-khau-cua-lan", "clerk")
    codes = []
    for i in range(30):
        proc, name = ("HN", "Hoàng Văn Thái") if i in (7, 21) else ("KS", f"Công dân số {i}")
        st, c = env.api("POST", "/cases", {"procedure": proc, "msisdn": f"09120002{i:02d}",
                                          "name": name})
        check(st == 201, f"POST /cases: {st} {c}")
        codes.append(c["code"])
    st, c = env.api("PATCH", "/cases/" + codes[21], {"status": "processing"})
    check(st == 200, f"PATCH: {st} {c}")
    return codes


def test(env, b):
    codes = seed(env)
    b.sign_in("lan", "mat-khau-cua-lan")
    b.text("#whoami", "lan")
    b.click("#nav-cases")
    b.el("table.cases")
    first = wait_rows(b, 25)
    b.click("#cases-next")
    rest = wait_rows(b, 5)
    check(not set(first) & set(rest), "a case on both pages")
    check(not b.els("#cases-next"), "a next page after the last")
    b.d.back()
    wait_rows(b, 25)
    # By code, by number as +84, by name (Enter in the box submits).
    for q, want, has in ((codes[3], 1, codes[3]), ("+84912000205", 1, codes[5]),
                         ("Hoàng Văn Thái", 2, "Hoàng Văn Thái")):
        e = b.fill("#cases-q", q)
        e.send_keys(Keys.ENTER)
        wait_rows(b, want, has)
    # Filters, kept in the URL and across a reload.
    b.fill("#cases-q", "")
    b.pick("#cases-procedure", "HN")
    b.pick("#cases-status", "processing")
    b.click("#cases-search")
    got = wait_rows(b, 1, codes[21])
    check("đang xử lý" in got[0], f"HN + processing: {got}")
    check(re.search(r"procedure=HN", b.js("return location.hash")), "the filters are not in the URL")
    b.reload()
    wait_rows(b, 1, codes[21])
    check(b.el("#cases-status").get_attribute("value") == "processing", "the filter was lost")
    b.pick("#cases-status", "")
    b.pick("#cases-channel", "counter")
    b.pick("#cases-timeliness", "within")
    b.click("#cases-search")
    wait_rows(b, 2, "Hoàng Văn Thái")
    b.pick("#cases-channel", "import")
    b.click("#cases-search")
    b.text("#cases-results", "Không có hồ sơ nào khớp.")
    # English.
    b.click("#lang")
    b.text("#cases-results", "No case matches.")
    b.text("label[for=cases-q]", "Search by code, number or name")
    b.click("#lang")


def wait_rows(b, n, has=None):
    """The result table once it has n rows, each holding has (the page
    redraws after each search)."""
    def ok():
        r = rows(b)
        return r if len(r) == n and all(has in x for x in r if has) else None
    try:
        return wait_for(f"{n} result rows", ok)
    except Failure:
        raise Failure(f"want {n} rows with {has!r}, got {rows(b)}")


run(test)
