#!/bin/bash
# The audit log (issue 13): every change made through the API (the token,
# with X-Actor), the console (a session cookie) or the tool (X-Actor: the
# Unix user) gets a row with who, which role, from where, the method, the
# path, the status and a short summary; failed sign-ins too; reads get
# none. GET /audit pages it newest first (head and admin only); no route
# and no SQL statement can change or delete a row; no password is ever in
# the audit log or the daemon's log. All of it over HTTPS ([admin] cert
# and key), where the session cookie is also Secure.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
. "$(dirname "$0")/session_lib.sh"
C1=$(case_code 1) C2=$(case_code 2) C3=$(case_code 3)
ME=$(id -un)

sim_script() {
	cat <<S
wait_bind 10
expect 0912000002 30s ^Hồ sơ $C2:
expect 0912000099 30s ^end of test\$
expect_total 2
S
}
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -days 3650 -subj "/CN=motcua-e2e" -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$WORK/tls.key" -out "$WORK/tls.pem" 2>/dev/null ||
    fail "openssl could not make a test certificate"
ADMIN_EXTRA="cert = $WORK/tls.pem"$'\n'"key = $WORK/tls.key"
API_SCHEME=https CURL_TLS="--cacert $WORK/tls.pem"
admin_up
ROW='"actor":"%s","role":"%s","peer":"%s","method":"%s","path":"%s","status":%s,"summary":"%s"'
# row ACTOR ROLE PEER METHOD PATH STATUS SUMMARY: the last GET /audit has it.
row() {
	local r
	r=$(printf "$ROW" "$@")
	case $BODY in *"$r"*) ;; *) fail "audit: want $r in $BODY" ;; esac
}

call POST /users '{"name": "hana", "password": "head-secret-1", "role": "head"}' -H 'X-Actor: lead'
want 201
printf 'clerk-secret-1\n' | $TOOL user add kim --role clerk >/dev/null || fail "user add"

# A case with the token and X-Actor, one signed in, one with the tool.
call POST /cases '{"procedure": "KS", "msisdn": "0912000001"}' -H 'X-Actor: chi.mai'
want 201 "\"code\":\"$C1\""
signin kim wrong-secret
want 401
signin kim clerk-secret-1
want 200 '"role":"clerk"'
grep -qx "Set-Cookie: motcua_session=[0-9a-f]\{64\}; Path=/; HttpOnly; SameSite=Strict; Secure" \
    <<<"$SETCOOKIE" || fail "Set-Cookie over HTTPS: $SETCOOKIE"
as POST /cases '{"procedure": "KS", "msisdn": "0912000002"}' -H 'X-Actor: not-kim'
want 201 "\"code\":\"$C2\""
as PATCH "/cases/$C2" '{"status": "processing", "note": "đang xử lý"}'
want 200 '"actor":"kim"'
$TOOL case add KS 0912000003 >/dev/null || fail "case add with the tool"
# Reads and refusals are not changes.
as GET /cases
as_nocsrf POST /cases '{"procedure": "KS", "msisdn": "0912000004"}'
want 403
as GET /audit
want_exact 403 '{"error":"this needs the head role"}'

call GET /audit
want 200 '"next":null'
row lead admin 127.0.0.1 POST /users 201 "user hana role head"
row "$ME" admin 127.0.0.1 POST /users 201 "user kim role clerk"
row chi.mai admin 127.0.0.1 POST /cases 201 "case $C1 opened"
row kim "" 127.0.0.1 POST /session 401 "sign-in refused: wrong name or password"
row kim clerk 127.0.0.1 POST /session 200 "sign-in"
row kim clerk 127.0.0.1 POST /cases 201 "case $C2 opened"
row kim clerk 127.0.0.1 PATCH "/cases/$C2" 200 "case $C2: processing"
row "$ME" admin 127.0.0.1 POST /cases 201 "case $C3 opened"
grep -qE '"entries":\[\{"id":8,"at":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}[+-][0-9]{2}:[0-9]{2}",' <<<"$BODY" ||
    fail "newest first, with its time: $BODY"
same "select count(*) from audit" 8
same "select count(*) from audit where method = 'GET'" 0

# Pages: newest first, next names where the next page starts.
call GET '/audit?limit=3'
want 200 '"entries":[{"id":8,' '"next":6}'
call GET '/audit?limit=3&before=6'
want 200 '"entries":[{"id":5,' '"next":3}'
call GET '/audit?limit=3&before=3'
want 200 '"entries":[{"id":2,' '{"id":1,' '"next":null}'
call GET '/audit?limit=0'
want 400 'limit: a number from 1 to'
call GET '/audit?before=x'
want 400 'before: a number'
call GET '/audit?id=1'
want 400 'unknown parameter'

# The head role reads it in the console.
signin hana head-secret-1
want 200
as GET '/audit?limit=1'
want 200 '"actor":"hana","role":"head"' '"summary":"sign-in"'

# Nothing edits it: no route, no statement.
for m in POST PUT PATCH DELETE; do
	call $m /audit '{}'
	want 405
	call $m /audit/1 '{}'
	want 404
done
out=$(sql "update audit set actor = 'x' where id = 1" 2>&1) && fail "update: $out"
case $out in *"append-only"*) ;; *) fail "update: $out" ;; esac
out=$(sql "delete from audit" 2>&1) && fail "delete: $out"
same "select count(*) from audit" 9
same "select actor from audit where id = 1" lead

end_of_test
call GET '/audit?limit=1'
row api admin 127.0.0.1 POST /messages 201 "SMS to 84912000099"
admin_down
# No password in the audit log, the sessions or the daemon's log.
sqlite3 "$WORK/motcua.db" .dump >"$WORK/dump.sql"
for pw in head-secret-1 clerk-secret-1 wrong-secret; do
	! grep -q -- "$pw" "$WORK/dump.sql" || fail "a password in the database: $pw"
	! grep -q -- "$pw" "$WORK/motcuad.log" || fail "a password in the log: $pw"
done
echo "ok $NAME"
