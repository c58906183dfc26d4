#!/usr/bin/python3
"""The console's files: served without a sign-in from the binary, with
the security headers on every answer (a CSP with no inline script or
style, nosniff, no referrer), the right types, HEAD, 304 on a validator
and 404 for an unknown file; no page builds HTML from strings. In the
browser: the sign-in page in Vietnamese with proper diacritics, a form
error next to its field, the English switch kept across a reload, the
office's name in the header, and no CSP refusal in the console."""
import glob
import os
import re
import urllib.request

from harness import ROOT, check, no_stray_words, run

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def headers_ok(env, path, ctype):
    st, body = env.api("GET", path, token=False)
    h = env.last_headers
    check(st == 200, f"GET {path}: HTTP {st}")
    check(h["Content-Type"] == ctype, f"GET {path}: Content-Type {h['Content-Type']}")
    check(h["Content-Security-Policy"] == CSP, f"GET {path}: CSP {h['Content-Security-Policy']}")
    check(h["X-Content-Type-Options"] == "nosniff", f"GET {path}: no nosniff")
    check(h["Referrer-Policy"] == "no-referrer", f"GET {path}: Referrer-Policy")
    check(h["Cache-Control"] == "no-cache", f"GET {path}: Cache-Control {h['Cache-Control']}")
    check(h["ETag"], f"GET {path}: no ETag")
    return body, h


def static_checks():
    ui = os.path.join(ROOT, "gateway/admin/ui")
    html = open(os.path.join(ui, "index.html"), encoding="utf-8").read()
    check(not re.search(r"<script(?![^>]*\bsrc=)", html), "index.html: an inline script")
    check(not re.search(r"<style|\sstyle=|\son\w+=", html), "index.html: inline style or handler")
    for f in glob.glob(os.path.join(ui, "*.js")):
        src = open(f, encoding="utf-8").read()
        for bad in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                    "new Function", ".style."):
            check(bad not in src, f"{os.path.basename(f)} uses {bad}")


def test(env, b):
    static_checks()
    body, h = headers_ok(env, "/", "text/html; charset=utf-8")
    check("<main" in body and 'src="/ui/app.js"' in body, "GET / is not the console")
    headers_ok(env, "/ui/app.js", "text/javascript; charset=utf-8")
    headers_ok(env, "/ui/app.css", "text/css; charset=utf-8")
    headers_ok(env, "/ui/icon.svg", "image/svg+xml; charset=utf-8")
    st, office = env.api("GET", "/ui/office.json", token=False)
    check(st == 200 and office.get("name"), f"/ui/office.json: {st} {office}")
    # HEAD: the same headers, no body.
    req = urllib.request.Request(env.api_url + "/ui/app.js", method="HEAD")
    with urllib.request.urlopen(req) as r:
        check(r.status == 200 and r.read() == b"", "HEAD /ui/app.js has a body")
        check(int(r.headers["Content-Length"]) == len(env.api("GET", "/ui/app.js")[1].encode()),
              "HEAD's Content-Length is not GET's")
    # The validator: 304 while the binary is the same.
    st, _ = env.api("GET", "/ui/app.css", headers={"If-None-Match": h["ETag"]}, token=False)
    st, _ = env.api("GET", "/", headers={"If-None-Match": h["ETag"]}, token=False)
    check(st == 304, f"GET / with its ETag: HTTP {st}, want 304")
    st, _ = env.api("GET", "/ui/nope.js", token=False)
    check(st == 404, f"GET /ui/nope.js: HTTP {st}")
    check(env.last_headers["Content-Security-Policy"] == CSP, "a 404 without the CSP")
    st, _ = env.api("GET", "/ui/..%2fhttp.c", token=False)
    check(st in (400, 404), f"GET /ui/..%2fhttp.c: HTTP {st}")
    st, _ = env.api("POST", "/ui/app.js", b"", token=False)
    check(st == 405, f"POST /ui/app.js: HTTP {st}")

    # The browser: Vietnamese by default.
    b.go("today")
    b.text("h1", "Đăng nhập")
    check(b.js("return document.documentElement.lang") == "vi", "html lang is not vi")
    b.text("#office-name", office["name"])
    no_stray_words(b)
    b.click("#signin-submit")
    b.text(".error-summary", "Hãy nhập tên đăng nhập.")
    b.text("#signin-name-error", "Hãy nhập tên đăng nhập.")
    b.text("#signin-password-error", "Hãy nhập mật khẩu.")
    check(b.js("return document.activeElement.classList.contains('error-summary')"),
          "the error summary does not take the focus")
    # English, kept across a reload; then back.
    b.click("#lang")
    b.text("h1", "Sign in")
    b.reload()
    b.text("h1", "Sign in")
    check(b.js("return document.documentElement.lang") == "en", "html lang is not en")
    b.click("#lang")
    b.text("h1", "Đăng nhập")
    # A page that needs a session sends the visitor to sign in.
    b.go("audit")
    b.text("h1", "Đăng nhập")
    check(b.js("return location.hash") == "#/signin", "an unsigned visitor is not at #/signin")


run(test)
