#!/bin/bash
# Staff accounts and sessions (issue 13): users made with the tool (the
# password on stdin) and POST /users; signing in sets an HttpOnly,
# SameSite=Strict cookie; roles are checked on the server by URL; a write
# with the cookie but without its CSRF token changes nothing; signing out
# ends the session; 10 wrong passwords lock the account, and 10 from one
# address lock that address, even for the right password; the bearer
# token still works everywhere; a malformed Cookie header is refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
. "$(dirname "$0")/session_lib.sh"
C1=$(case_code 1)

sim_script() {
	cat <<S
wait_bind 10
expect 0912000001 30s ^Hồ sơ $C1:
expect 0912000099 30s ^end of test\$
expect_total 2
expect_nodup
S
}
admin_up
HEX64='[0-9a-f]\{64\}'

# ---- accounts ----
out=$(printf 'clerk-pass-1\n' | $TOOL user add alice --role clerk) ||
    fail "user add: $out"
[ "$out" = "user alice added, role clerk" ] || fail "user add: $out"
printf 'head-pass-12\n' | $TOOL user add bob --role head >/dev/null ||
    fail "user add bob"
printf 'carol-pass-1\n' | $TOOL user add carol --role clerk >/dev/null
call POST /users "{\"name\": \"dave\", \"password\": \"admin-pass-1$(printf '%0116d' 0)\", \"role\": \"admin\"}"
want_exact 201 '{"name":"dave","role":"admin"}'
out=$(printf 'another-pw\n' | $TOOL user add alice --role head 2>&1) &&
    fail "a second alice: $out"
case $out in *"a user with this name exists (HTTP 409)"*) ;; *) fail "409: $out" ;; esac
call POST /users '{"name": "eve", "password": "short", "role": "clerk"}'
want 400 'password: 8 to 128 bytes'
call POST /users '{"name": "eve", "password": "long-enough", "role": "boss"}'
want 400 'role: clerk, head or admin'
call POST /users '{"name": "Eve!", "password": "long-enough", "role": "clerk"}'
want 400 'name: 1 to 32 characters'
call POST /users '{"name": "eve", "password": "long-enough", "role": "clerk", "x": 1}'
want 400 'unknown field \"x\"'
# On a terminal: asked twice, not echoed; two different ones refused.
tty_add() {	# tty_add NAME FIRST SECOND: the terminal's output
	python3 - "$BIN/motcua" "$WORK/motcua.conf" "$@" <<'P'
import os, pty, select, sys, time
tool, conf, name, first, second = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(tool, [tool, "-c", conf, "user", "add", name, "--role", "clerk"])
out = b""
def read(until):
    global out
    end = time.time() + 10
    while until not in out and time.time() < end:
        if not select.select([fd], [], [], 0.2)[0]:
            continue
        try:
            out += os.read(fd, 1024)
        except OSError:
            break
read(b"Password: ")
os.write(fd, first.encode() + b"\n")
read(b"again: ")
os.write(fd, second.encode() + b"\n")
read(b"\n" * 99)
done, st = os.waitpid(pid, os.WNOHANG)
if done == 0:
    os.kill(pid, 9)
    _, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace") + "exit %d\n" % os.waitstatus_to_exitcode(st))
P
}
out=$(tty_add tina tty-pass-123 tty-pass-124)
case $out in *"the two passwords differ"*"exit 1") ;; *) fail "tty, two passwords: $out" ;; esac
out=$(tty_add tina tty-pass-123 tty-pass-123)
case $out in *"user tina added, role clerk"*"exit 0") ;; *) fail "tty: $out" ;; esac
case $out in *tty-pass*) fail "the password echoed: $out" ;; esac
signin tina tty-pass-123
want 200 '"name":"tina"'
out=$(printf '' | $TOOL user add eve --role clerk 2>&1) && fail "no password: $out"
out=$($TOOL user add eve 2>&1 </dev/null); [ $? = 2 ] || fail "no role: $out"
same "select count(*) from users" 5
same "select count(*) from users where pw_hash like '\$argon2id\$v=19\$m=19456,t=2,p=1\$%'" 5
out=$($TOOL user list)
grep -q '^alice  *clerk' <<<"$out" && grep -q '^dave  *admin' <<<"$out" ||
    fail "user list: $out"

# ---- signing in ----
signin alice wrong-password
want_exact 401 '{"error":"wrong name or password"}'
[ -z "$SETCOOKIE" ] || fail "a cookie for a wrong password: $SETCOOKIE"
signin nobody clerk-pass-1
want_exact 401 '{"error":"wrong name or password"}'
# Not cut to the 128 bytes a password may have.
signin dave "admin-pass-1$(printf '%0116d' 0)"
want 200
signin dave "admin-pass-1$(printf '%0116d' 0)x"
want_exact 401 '{"error":"wrong name or password"}'
signin alice clerk-pass-1
want 200 '"name":"alice"' '"role":"clerk"' '"csrf":"'
grep -qx "Set-Cookie: motcua_session=$HEX64; Path=/; HttpOnly; SameSite=Strict" \
    <<<"$SETCOOKIE" || fail "Set-Cookie: $SETCOOKIE"
[ ${#CSRF} = 64 ] || fail "csrf: $BODY"
ALICE=$COOKIE ALICE_CSRF=$CSRF
# Only a hash of the token is kept.
same "select count(*) from sessions where token_hash = '${COOKIE#motcua_session=}'" 0
same "select count(*) from sessions where name = 'alice'" 1
as GET /session
want_exact 200 "{\"name\":\"alice\",\"role\":\"clerk\",\"csrf\":\"$CSRF\"}"
AUTH=Authorization: call GET /session
want 401

# ---- roles, by URL ----
as GET /cases
want 200
as GET /audit
want_exact 403 '{"error":"this needs the head role"}'
as GET /report
want_exact 403 '{"error":"this needs the head role"}'
as POST /users '{"name": "mallory", "password": "long-enough", "role": "admin"}'
want_exact 403 '{"error":"this needs the admin role"}'
as GET /users
want_exact 403 '{"error":"this needs the admin role"}'
as POST /broadcasts '{"to": ["0912000001"], "text": "x", "dry_run": true}'
want_exact 403 '{"error":"this needs the head role"}'
same "select count(*) from users" 5

# ---- CSRF ----
as_nocsrf POST /cases '{"procedure": "KS", "msisdn": "0912000001"}'
want_exact 403 '{"error":"missing or wrong CSRF token"}'
CSRF=$(printf '%064d' 0) as POST /cases '{"procedure": "KS", "msisdn": "0912000001"}'
want_exact 403 '{"error":"missing or wrong CSRF token"}'
CSRF=short as POST /cases '{"procedure": "KS", "msisdn": "0912000001"}'
want_exact 403 '{"error":"missing or wrong CSRF token"}'
# bob's token is not alice's
signin bob head-pass-12
want 200 '"role":"head"'
BOB=$COOKIE BOB_CSRF=$CSRF
COOKIE=$ALICE CSRF=$BOB_CSRF as POST /cases '{"procedure": "KS", "msisdn": "0912000001"}'
want 403 'CSRF'
same "select count(*) from cases" 0
COOKIE=$ALICE CSRF=$ALICE_CSRF
as POST /cases '{"procedure": "KS", "msisdn": "0912000001"}'
want 201 "\"code\":\"$C1\""
same "select count(*) from cases" 1
as PATCH "/cases/$C1" '{"status": "processing"}'
want 200 '"status":"processing"' '"actor":"alice"'
# A GET needs no CSRF token.
as_nocsrf GET "/cases/$C1"
want 200
# The head role reads the report and the audit log.
COOKIE=$BOB CSRF=$BOB_CSRF as GET /audit
want 200 '"entries":['
COOKIE=$BOB CSRF=$BOB_CSRF as GET /report
want 200

# ---- malformed Cookie headers: 400, or 401 for a session not known ----
bad_cookie() {
	AUTH=Authorization: call GET /session '' -H "Cookie: $1"
	want "$2" "$3"
}
bad_cookie 'motcua_session' 400 'malformed'
bad_cookie "$ALICE; $ALICE" 400 'given twice'
bad_cookie "$ALICE;" 400 'separator'
bad_cookie "a=b;;$ALICE" 400 'malformed'
bad_cookie 'motcua_session=a b' 400 'malformed'
bad_cookie "motcua_session=$(printf '%0200d' 1)" 400 'too long'
bad_cookie 'motcua_session=zzz' 401 'not signed in'
bad_cookie "motcua_session=$(printf '%064d' 7)" 401 'not signed in'
bad_cookie 'other=1' 401 'missing bearer token'
AUTH=Authorization: call GET /session '' -H "Cookie: $ALICE" -H 'Cookie: x=1'
want 400 'one Cookie header'
AUTH=Authorization: call GET /session '' -H "Cookie: theme=dark; $ALICE; lang=\"vi\""
want 200 '"name":"alice"'

# ---- signing out ----
as_nocsrf DELETE /session
want 403 'CSRF'
as DELETE /session '' -D "$WORK/headers"
want_exact 200 '{}'
tr -d '\r' <"$WORK/headers" | grep -qx 'Set-Cookie: motcua_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0' ||
    fail "sign-out cookie: $(cat "$WORK/headers")"
as GET /session
want 401 'not signed in'
as POST /cases '{"procedure": "KS", "msisdn": "0912000002"}'
want 401
same "select count(*) from sessions where name = 'alice'" 0
same "select count(*) from cases" 1

# ---- sessions expire: 8 h idle, 12 h in all ----
ms=$(($(date +%s) * 1000))
signin alice clerk-pass-1
want 200
sql "update sessions set last_seen = $((ms - 8 * 3600000 - 60000)) where name = 'alice'"
as GET /session
want 401 'expired'
same "select count(*) from sessions where name = 'alice'" 0
signin alice clerk-pass-1
want 200
sql "update sessions set created_at = $((ms - 12 * 3600000 - 60000)) where name = 'alice'"
as GET /cases
want 401 'expired'
signin alice clerk-pass-1
want 200
# Seen 7 h ago, made 11 h ago: still good, and seen now.
sql "update sessions set last_seen = $((ms - 7 * 3600000)), created_at = $((ms - 11 * 3600000)) where name = 'alice'"
as GET /session
want 200 '"name":"alice"'
[ "$(sql "select last_seen > $((ms - 60000)) from sessions where name = 'alice'")" = 1 ] ||
    fail "last_seen not moved: $(sql "select * from sessions")"
as DELETE /session
want 200

# ---- the bearer token works everywhere ----
for p in /audit /report /users /cases /session; do
	call GET $p
	want 200
done

# ---- throttling: per account (from several addresses) ----
for i in 1 2 3 4 5 6 7 8 9 10; do
	signin carol "wrong-$i" --interface 127.0.0.$((2 + i % 2))
	want_exact 401 '{"error":"wrong name or password"}'
done
signin carol carol-pass-1 --interface 127.0.0.4
want_exact 429 '{"error":"too many wrong passwords: try again in 15 minutes"}'
[ -z "$SETCOOKIE" ] || fail "a cookie while throttled"
signin alice clerk-pass-1 --interface 127.0.0.4
want 200 '"name":"alice"'

# ---- throttling: per address (across accounts) ----
for i in 1 2 3 4 5 6 7 8 9 10; do
	signin "user$i" "wrong-$i" --interface 127.0.0.5
	want 401
done
signin bob head-pass-12 --interface 127.0.0.5
want 429 'too many wrong passwords'
signin bob head-pass-12 --interface 127.0.0.6
want 200 '"role":"head"'
same "select count(*) from login_failures" 23

# One address cannot hold the password worker for everyone: 16 sign-ins
# at once from it, and those past 4 waiting get 503 at once.
pids=
for i in $(seq 16); do
	curl -sS -o /dev/null -w '%{http_code}\n' --interface 127.0.0.7 \
	    -H 'Content-Type: application/json' -H 'Expect:' \
	    --data-binary '{"name": "bob", "password": "not-his"}' \
	    "$API/session" >>"$WORK/parallel" &
	pids="$pids $!"
done
wait $pids	# not the simulator
sort "$WORK/parallel" | uniq -c | tr '\n' ' ' >"$WORK/parallel.sum"
grep -q ' 503' "$WORK/parallel.sum" || fail "16 at once, none refused: $(cat "$WORK/parallel.sum")"
[ "$(grep -cvE '^(401|429|503)$' "$WORK/parallel")" = 0 ] ||
    fail "16 at once: $(cat "$WORK/parallel.sum")"
signin bob head-pass-12 --interface 127.0.0.8
want 200
nfail=$(sql "select count(*) from login_failures")

# A client that resets its connection while its password is checked:
# the check is cancelled (a wrong password still counts), nothing breaks.
rst_signin() {
	python3 - "${API##*:}" <<'P'
import socket, struct, sys
b = b'{"name": "alice", "password": "wrong-and-gone"}'
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"POST /session HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s" % (len(b), b))
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()
P
}
for i in 1 2 3; do rst_signin; done
for _ in $(seq 100); do
	[ "$(sql "select count(*) from login_failures")" = $((nfail + 3)) ] && break
	sleep 0.05
done
same "select count(*) from login_failures" $((nfail + 3))
call GET /health
want 200

end_of_test
wait_sim "${E2E_TIMEOUT:-60}"
# Stopping while sign-ins are queued and one is being checked: the
# waiting connections and their jobs are freed (the sanitizer build
# fails the exit status on a leak or a use after free).
for fd in 3 4 5 6 7; do
	eval "exec $fd<>/dev/tcp/127.0.0.1/${API##*:}"
	printf 'POST /session HTTP/1.1\r\nHost: x\r\nContent-Length: 43\r\n\r\n{"name": "bob", "password": "head-pass-12"}' >&$fd
done
stop_daemon
for fd in 3 4 5 6 7; do eval "exec $fd>&-"; done
# Passwords never reach the log.
for pw in clerk-pass-1 head-pass-12 carol-pass-1 admin-pass-1 wrong-1; do
	! grep -q -- "$pw" "$WORK/motcuad.log" || fail "a password in the log: $pw"
done
echo "ok $NAME"
