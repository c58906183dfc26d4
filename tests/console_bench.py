#!/usr/bin/env python3
"""The console's list pages against a seeded daemon (tests/bench.sh,
ONLY_CONSOLE=1), dependency-free.

  console_bench.py HOST:PORT TOKEN ROUNDS [SECONDS [PAUSE]]
      Times ROUNDS of each page shape (search, filters, pages deep into
      the list, a case page, today, the inbox, an import's preview of
      1,000 rows) and prints one line per
      shape: requests, p50, p99 and max in ms, and the worst overall.
      With SECONDS, pages for that long instead (the load beside an SMS
      run), PAUSE seconds between requests (0: back to back), and prints
      one summary line.
"""
import http.client
import json
import os
import sys
import time
import urllib.parse

HOST, PORT = sys.argv[1].rsplit(":", 1)
TOKEN = sys.argv[2]
ROUNDS = int(sys.argv[3])
SECONDS = float(sys.argv[4]) if len(sys.argv) > 4 else 0
PAUSE = float(sys.argv[5]) if len(sys.argv) > 5 else 0
CASES = int(os.environ.get("CONSOLE_CASES", "100000"))


def get(path):
    c = http.client.HTTPConnection(HOST, int(PORT), timeout=30)
    t0 = time.perf_counter()
    c.request("GET", path, headers={"Authorization": "Bearer " + TOKEN})
    r = c.getresponse()
    body = r.read()
    ms = (time.perf_counter() - t0) * 1000
    c.close()
    if r.status != 200:
        raise SystemExit("%s: HTTP %d %s" % (path, r.status, body[:200]))
    return ms, json.loads(body)


def post(path, body, ctype):
    c = http.client.HTTPConnection(HOST, int(PORT), timeout=60)
    t0 = time.perf_counter()
    c.request("POST", path, body=body, headers={
        "Authorization": "Bearer " + TOKEN, "Content-Type": ctype})
    r = c.getresponse()
    out = r.read()
    ms = (time.perf_counter() - t0) * 1000
    c.close()
    if r.status not in (200, 201):
        raise SystemExit("%s: HTTP %d %s" % (path, r.status, out[:200]))
    return ms, json.loads(out)


# A day's export from the case system: 1,000 rows, half of them cases the
# store has (a status each), half new.
IMPORT_CSV = ("Mã hồ sơ;Thủ tục;Số điện thoại;Họ tên;Ngày tiếp nhận;"
              "Ngày hẹn trả;Trạng thái\r\n" + "".join(
                  "%s;KS;0910%06d;Nguyễn Văn %d;01/12/2026;05/12/2026;"
                  "Đang xử lý\r\n" % (
                      "HS-%06d" % (i + 1) if i % 2 else "IMP-%06d" % i,
                      i, i) for i in range(1000))).encode()


def import_preview(i):
    """An import's preview (the check of 1,000 rows), then its discard."""
    ms, j = post("/imports", IMPORT_CSV, "text/csv")
    post("/imports/%d/discard" % j["id"], b"", "application/json")
    return [ms]


def q(**kw):
    return "/cases?" + urllib.parse.urlencode(kw)


def deep(path, key, pages):
    """Follows next for pages pages; the time of each."""
    out, after = [], None
    for _ in range(pages):
        sep = "&" if "?" in path else "?"
        ms, j = get(path + (sep + "after=" + after if after else ""))
        out.append(ms)
        after = j["next"]
        if not after:
            break
    return out


SHAPES = [
    ("cases, first page", lambda i: [get(q(limit=50))[0]]),
    ("cases ?status=need_more", lambda i: [get(q(status="need_more", limit=50))[0]]),
    ("cases ?procedure=HN&timeliness=overdue",
     lambda i: [get(q(procedure="HN", timeliness="overdue", limit=50))[0]]),
    ("cases ?q=code", lambda i: [get(q(q="hs %06d" % (i * 397 % CASES + 1)))[0]]),
    ("cases ?q=number", lambda i: [get(q(q="0910%06d" % (i * 397 % min(CASES, 100000))))[0]]),
    ("cases ?q=name (folded)", lambda i: [get(q(q="tran thi hoa", limit=50))[0]]),
    ("cases ?q=name, no match (a budget)", lambda i: [get(q(q="zzz", limit=50))[0]]),
    ("cases, 40 pages deep (2,000 in)", lambda i: deep("/cases?limit=50", "cases", 40)),
    ("case page ?messages=1",
     lambda i: [get("/cases/HS-%06d?messages=1" % (i * 397 % CASES + 1))[0]]),
    ("today", lambda i: [get("/today")[0]]),
    ("inbox, 20 pages", lambda i: deep("/inbox?limit=50", "threads", 20)),
    ("inbox thread", lambda i: [get("/inbox/0910%06d" % (i * 7 % 5000))[0]]),
    ("import preview, 1,000 rows", import_preview),
]


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))]


def timed():
    worst = 0
    for name, f in SHAPES:
        xs = []
        for i in range(ROUNDS):
            xs += f(i)
        worst = max(worst, pct(xs, 0.99))
        print("  %-40s n=%-5d p50=%.1fms p99=%.1fms max=%.1fms"
              % (name, len(xs), pct(xs, 0.5), pct(xs, 0.99), max(xs)))
    print("  worst page p99=%.1fms (the issue's figure: <= 100 ms)" % worst)


def paging():
    xs, i, t_end = [], 0, time.time() + SECONDS
    while time.time() < t_end:
        xs += SHAPES[i % len(SHAPES)][1](i)
        i += 1
        if PAUSE:
            time.sleep(PAUSE)
    print("  the pager (%s): %d requests p50=%.1fms p99=%.1fms max=%.1fms"
          % ("%g s between requests" % PAUSE if PAUSE else "back to back",
             len(xs), pct(xs, 0.5), pct(xs, 0.99), max(xs)))


if SECONDS:
    paging()
else:
    timed()
