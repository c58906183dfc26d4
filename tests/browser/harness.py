"""The browser tests' harness: the real smsc-sim and motcuad, as
tests/e2e/lib.sh starts them (a free loopback port, a fresh database in a
temporary folder, the API on a port the kernel picks, read from the log),
and Debian's chromium headless driven by Selenium through
/usr/bin/chromedriver.

The simulator runs in its interactive mode with a pipe on its stdin, so a
test types as a phone would ("0912345678> TC MC2600017") and reads what
the phones received from its stdout ("[84912345678 <- 8077] text").

A test is a function test(env, b) given to run(): it prints "ok NAME" or
"FAIL NAME: why" and exits 0 or 1, as the e2e scripts do. On a failure the
screenshot, the page's HTML and the browser's console log are saved to
build/browser/NAME.png, .html and .log, and the daemon's and the
simulator's logs are shown. The daemon must stop cleanly on SIGTERM (under
the sanitizer build a leak makes that fail). E2E_KEEP=1 keeps the folder.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("BIN", "bin")
if not os.path.isabs(BIN):
    BIN = os.path.join(ROOT, BIN)
TOKEN = "t0k3n-browser"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")


class Failure(Exception):
    pass


def check(cond, why):
    if not cond:
        raise Failure(why)


def wait_for(what, fn, timeout=10.0, step=0.05):
    """fn() until it is true; its value, or a Failure naming what."""
    end = time.monotonic() + timeout
    while True:
        try:
            v = fn()
        except StaleElementReferenceException:	# redrawn meanwhile: look again
            v = None
        if v:
            return v
        if time.monotonic() > end:
            raise Failure("timed out waiting for " + what)
        time.sleep(step)


class Env:
    """smsc-sim and motcuad in a temporary folder."""

    def __init__(self, name, office_extra=""):
        self.name = name
        self.work = tempfile.mkdtemp(prefix="motcua-" + name + ".")
        self.office_extra = office_extra
        self.sim = self.daemon = None
        self.api_url = None
        self.sim_seen = 0

    def path(self, f):
        return os.path.join(self.work, f)

    def start(self):
        self.sim = subprocess.Popen(
            [BIN + "/smsc-sim", "-i", "-p", "0", "-P", self.path("port")],
            stdin=subprocess.PIPE, stdout=open(self.path("sim.out"), "wb"),
            stderr=open(self.path("sim.log"), "wb"))
        port = wait_for("smsc-sim to listen", lambda: self._read("port").strip())
        with open(self.path("motcua.conf"), "w") as f:
            f.write(f"""[smsc]
host = 127.0.0.1
port = {port}
system_id = motcua
password = secret
reconnect_max = 2

[store]
path = motcua.db

[admin]
listen = 127.0.0.1:0
token = {TOKEN}

[office]
templates = {ROOT}/templates/vi
quiet_hours =
{self.office_extra}
""")
        self.daemon = subprocess.Popen(
            [BIN + "/motcuad", "-d", "-c", self.path("motcua.conf")],
            stdin=subprocess.DEVNULL, stdout=open(self.path("motcuad.log"), "ab"),
            stderr=subprocess.STDOUT)

        def api_port():
            m = re.findall(r"admin listening on 127\.0\.0\.1:(\d+)$",
                           self._read("motcuad.log"), re.M)
            return m[-1] if m else None
        self.api_url = "http://127.0.0.1:" + wait_for("the admin API", api_port)
        with open(self.path("motcua.conf")) as f:
            conf = f.read().replace("listen = 127.0.0.1:0",
                                    "listen = 127.0.0.1:" + self.api_url.rsplit(":", 1)[1])
        with open(self.path("motcua.conf"), "w") as f:
            f.write(conf)
        wait_for("the link to come up",
                 lambda: self.api("GET", "/health")[1].get("status") == "ok")

    def _read(self, f):
        try:
            with open(self.path(f), encoding="utf-8", errors="replace") as fh:
                return fh.read()
        except FileNotFoundError:
            return ""

    def api(self, method, path, body=None, headers=None, token=True):
        """One request; (status, parsed JSON or the text)."""
        h = {"Content-Type": "application/json"}
        if token:
            h["Authorization"] = "Bearer " + TOKEN
        h.update(headers or {})
        data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
        req = urllib.request.Request(self.api_url + path, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                status, raw, hdrs = r.status, r.read(), r.headers
        except urllib.error.HTTPError as e:
            status, raw, hdrs = e.code, e.read(), e.headers
        self.last_headers = hdrs
        try:
            return status, json.loads(raw) if raw else {}
        except ValueError:
            return status, raw.decode("utf-8", "replace")

    def user(self, name, password, role):
        st, b = self.api("POST", "/users", {"name": name, "password": password, "role": role})
        check(st == 201, f"POST /users {name}: HTTP {st} {b}")

    def sql(self, q):
        return subprocess.run(["sqlite3", self.path("motcua.db"), q], capture_output=True,
                              text=True, timeout=10).stdout.strip()

    # The phones.
    def phone(self, number, text):
        self.sim.stdin.write(f"{number}> {text}\n".encode())
        self.sim.stdin.flush()

    def sms(self, number, pattern, timeout=10):
        """The first SMS to number (84...) whose text matches, not matched before."""
        rx = re.compile(pattern)
        head = re.compile(r"^\[(\d+) <- [^\]]*\] (.*)$")

        def find():
            lines = self._read("sim.out").split("\n")
            for i in range(self.sim_seen, len(lines)):
                m = head.match(lines[i])
                if not m or m.group(1) != number:
                    continue
                text = m.group(2)
                j = i + 1
                while j < len(lines) and lines[j].startswith("    "):
                    text += "\n" + lines[j][4:]
                    j += 1
                # "(2 parts, UCS-2)": how it came, not what it says
                m = re.search(r" \((\d+) parts, ([^)]*)\)$", text)
                self.sms_parts = (int(m.group(1)), m.group(2)) if m else (1, None)
                if m:
                    text = text[:m.start()]
                if rx.search(text):
                    self.sim_seen = i + 1
                    return text
            return None
        return wait_for(f"an SMS to {number} matching {pattern!r}", find, timeout)

    def stop(self):
        """SIGTERM; the daemon must exit 0 within 10 s."""
        rc = None
        if self.daemon and self.daemon.poll() is None:
            self.daemon.send_signal(signal.SIGTERM)
            try:
                rc = self.daemon.wait(10)
            except subprocess.TimeoutExpired:
                self.daemon.kill()
                raise Failure("motcuad did not stop on SIGTERM")
        elif self.daemon:
            rc = self.daemon.returncode
        if self.sim and self.sim.poll() is None:
            self.sim.kill()
            self.sim.wait()
        check(rc == 0, f"motcuad exited with status {rc}")

    def kill(self):
        for p in (self.daemon, self.sim):
            if p and p.poll() is None:
                p.kill()
                p.wait()

    def tails(self):
        out = []
        for f in ("motcuad.log", "sim.log", "sim.out"):
            lines = self._read(f).splitlines()[-40:]
            if lines:
                out.append(f"--- {f} (tail)\n" + "\n".join(lines))
        return "\n".join(out)

    def cleanup(self):
        if os.environ.get("E2E_KEEP") == "1":
            print("kept " + self.work)
        else:
            shutil.rmtree(self.work, ignore_errors=True)


class Browser:
    """A headless chromium on the console, with the waits a test needs."""

    def __init__(self, base):
        o = webdriver.ChromeOptions()
        o.binary_location = CHROMIUM
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--window-size=1366,768", "--lang=vi", "--no-first-run",
                  "--disable-extensions", "--disable-background-networking"):
            o.add_argument(a)
        o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=o)
        self.d.set_page_load_timeout(20)
        self.base = base
        self.logs = []

    def go(self, route):
        """Opens #/route (a full load the first time, a hash change after)."""
        if self.d.current_url.startswith(self.base):
            self.d.execute_script("location.hash = arguments[0]", "#/" + route)
        else:
            self.d.get(self.base + "/#/" + route)

    def reload(self):
        self.d.refresh()

    def el(self, css, timeout=10):
        """The first element matching css once it is shown."""
        def find():
            for e in self.d.find_elements(By.CSS_SELECTOR, css):
                if e.is_displayed():
                    return e
            return None
        return wait_for(f"{css} to show", find, timeout)

    def els(self, css):
        return self.d.find_elements(By.CSS_SELECTOR, css)

    def gone(self, css, timeout=10):
        wait_for(f"{css} to go", lambda: not any(e.is_displayed() for e in self.els(css)),
                 timeout)

    def text(self, css, want, timeout=10):
        """Waits until the element's text holds want (a string or a regex)."""
        rx = want if hasattr(want, "search") else re.compile(re.escape(want))
        shown = want if isinstance(want, str) else rx.pattern
        last = [""]

        def find():
            for e in self.d.find_elements(By.CSS_SELECTOR, css):
                last[0] = e.get_attribute("textContent") or ""
                if rx.search(last[0]):
                    return last[0]
            return None
        try:
            return wait_for(f"{css} to say {shown!r}", find, timeout)
        except Failure:
            raise Failure(f"{css} does not say {shown!r}: it says {last[0][:300]!r}")

    def fill(self, css, value):
        e = self.el(css)
        e.clear()
        e.send_keys(value)
        return e

    def pick(self, css, value):
        Select(self.el(css)).select_by_value(value)

    def click(self, css):
        def ready():
            e = self.el(css)
            return e if e.is_enabled() else None
        e = wait_for(f"{css} to be enabled", ready)
        e.click()
        return e

    def sign_in(self, name, password):
        self.go("signin")
        self.fill("#signin-name", name)
        self.fill("#signin-password", password)
        self.click("#signin-submit")

    def js(self, script, *args):
        return self.d.execute_script(script, *args)

    def console(self):
        """The browser's console lines since the last call."""
        try:
            self.logs += self.d.get_log("browser")
        except Exception:
            pass
        return self.logs

    def save(self, name):
        out = os.path.join(ROOT, "build", "browser")
        os.makedirs(out, exist_ok=True)
        try:
            self.d.save_screenshot(os.path.join(out, name + ".png"))
            with open(os.path.join(out, name + ".html"), "w") as f:
                f.write(self.d.page_source)
            with open(os.path.join(out, name + ".log"), "w") as f:
                for m in self.console():
                    f.write(f"{m.get('level')} {m.get('message')}\n")
        except Exception as e:
            print(f"(could not save the page: {e})")
        return out

    def quit(self):
        try:
            self.d.quit()
        except Exception:
            pass


def no_stray_words(b):
    """No "null", "undefined" or "NaN" shown: a value the page missed."""
    words = b.js("return document.body.innerText")
    m = re.search(r"\b(null|undefined|NaN|\[object Object\])\b", words)
    check(not m, f"the page shows {m.group(0) if m else ''!r}: {words[:300]!r}")


def no_console_errors(b):
    """Nothing the console should never see: a CSP refusal, a script error."""
    bad = [m["message"] for m in b.console() if m.get("level") == "SEVERE" and (
        "Content-Security-Policy" in m.get("message", "") or "Uncaught" in m.get("message", ""))]
    check(not bad, "browser console: " + "; ".join(bad[:3]))


def run(test, office_extra=""):
    """Runs test(env, browser) and prints ok / FAIL like the e2e scripts."""
    name = os.path.splitext(os.path.basename(sys.argv[0]))[0]
    env = Env(name, office_extra)
    b = None
    t0 = time.monotonic()
    try:
        env.start()
        b = Browser(env.api_url)
        test(env, b)
        no_stray_words(b)
        no_console_errors(b)
        b.quit()
        b = None
        env.stop()
    except Exception as e:
        why = str(e) if isinstance(e, Failure) else traceback.format_exc()
        if isinstance(e, TimeoutException):
            why = "selenium timed out: " + (e.msg or "")
        print(f"FAIL {name}: {why}")
        if b:
            print("saved the page in " + b.save(name) + "/" + name + ".{png,html,log}")
            b.quit()
        env.kill()
        print(env.tails())
        print(f"FAIL {name}: {why.splitlines()[0] if why else ''}")
        env.cleanup()
        sys.exit(1)
    env.cleanup()
    print(f"ok {name} ({time.monotonic() - t0:.0f} s)")
