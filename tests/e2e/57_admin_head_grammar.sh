#!/bin/bash
# The request head's grammar (parsers/httphead.c) at the admin door, with
# raw bytes on a socket: a NUL in a header or in the request line, a bare
# LF line ending, a control byte in a header value or in the target are
# answered 400 at once with the reason, and change nothing (no case, no
# SMS), where they used to be cut or let through: a token followed by a
# NUL and junk used to authenticate. What curl, python's http.client and
# the motcua tool send still works; an unknown method is still 501 before
# its version is judged; a stray CRLF before the request is still let be.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
problems= nproblems=0

sim_script() {
	cat <<S
wait_bind 10
exec 60s while [ ! -f $WORK/done ]; do sleep 0.05; done
expect_total 0
S
}

# problem TEXT: noted; the test fails at the end with every one.
problem() {
	echo "problem: $*"
	nproblems=$((nproblems + 1))
	problems="$problems
  - $*"
}

# raw BYTES: what the API answers to BYTES (printf %b) within 3 s, in $RAW.
raw() {
	exec 3<>"/dev/tcp/127.0.0.1/${API##*:}"
	printf '%b' "$1" >&3
	RAW=$(timeout 3 cat <&3 | tr -d '\r')
	exec 3>&-
}

# raw_want BYTES STATUS JSON: answered at once, with that status and body.
raw_want() {
	local got

	raw "$1"
	got=${RAW:+${RAW%%$'\n'*} ... ${RAW##*$'\n'}}
	case $RAW in
	"HTTP/1.1 $2 "*"$3") ;;
	*) problem "$(printf '%q' "$1" | cut -c1-80): want $2 $3," \
	    "got: ${got:-nothing in 3 s}" ;;
	esac
}

admin_up
H='Host: x\r\nContent-Type: application/json'
A="Authorization: Bearer $TOKEN"
CASE='{"procedure": "KS", "msisdn": "0912000002"}'
MSG='{"to": "0912000003", "text": "hi"}'

# Refused now: each was cut at its NUL, or let through, before.
raw_want "POST /cases HTTP/1.1\r\n$H\r\n$A\0junk\r\nContent-Length: ${#CASE}\r\n\r\n$CASE" \
    400 '{"error":"bad header value"}'
raw_want "POST /messages HTTP/1.1\r\n$H\r\n$A\r\nX-Note: a\0b\r\nContent-Length: ${#MSG}\r\n\r\n$MSG" \
    400 '{"error":"bad header value"}'
raw_want "GET /health HTTP/1.1\0junk\r\nHost: x\r\n\r\n" \
    400 '{"error":"bad request line"}'
raw_want "GET /health HTTP/1.1\r\nX-Escape: \033[2J\r\n\r\n" \
    400 '{"error":"bad header value"}'
raw_want "GET /health\tjunk HTTP/1.1\r\nHost: x\r\n\r\n" \
    400 '{"error":"bad request line"}'
raw_want "GET /hea\177lth HTTP/1.1\r\nHost: x\r\n\r\n" \
    400 '{"error":"bad request line"}'
raw_want "GET /health HTTP/1.1\nHost: x\n\n" \
    400 '{"error":"bare LF line ending"}'
raw_want "GET /health HTTP/1.1\r\nHost: x\n\r\n" \
    400 '{"error":"bare LF line ending"}'
raw_want "POST /messages HTTP/1.1\n$A\nContent-Type: application/json\nContent-Length: ${#MSG}\n\n$MSG" \
    400 '{"error":"bare LF line ending"}'
# Refused before as now, with the same words.
raw_want "GET  /health HTTP/1.1\r\nHost: x\r\n\r\n" 400 '{"error":"bad request line"}'
raw_want "GET /health HTTP/1.1\r\nX: a\rb\r\n\r\n" 400 '{"error":"bad header value"}'
raw_want "POST /cases HTTP/1.1\r\n$H\r\n$A\r\nContent-Length: 0000000000000000001\r\n\r\n{}" \
    400 '{"error":"bad Content-Length"}'
raw_want "POST /cases HTTP/1.1\r\n$H\r\n$A\r\nContent-Length: 99999999999999999999999\r\n\r\n{}" \
    400 '{"error":"bad Content-Length"}'
raw_want "GET /health HTTP/1.1\r\n folded\r\n\r\n" \
    400 '{"error":"folded header lines are not accepted"}'
raw_want "GET /health HTTP/1.1\r\nHost : x\r\n\r\n" 400 '{"error":"bad header name"}'
raw_want "BREW /health HTTP/2.0\r\nHost: x\r\n\r\n" 501 '{"error":"method not implemented"}'
raw_want "GET /health HTTP/2.0\r\nHost: x\r\n\r\n" 505 '{"error":"HTTP/1.1 or HTTP/1.0 only"}'
raw_want "GET health HTTP/1.1\r\nHost: x\r\n\r\n" 400 '{"error":"bad request target"}'
n=$(sql "select count(*) from cases"); [ "$n" = 0 ] || problem "$n cases made by refused requests"
n=$(sql "select count(*) from outbound"); [ "$n" = 0 ] || problem "$n SMS sent by refused requests"

# Still fine: a stray CRLF first, a tab inside a value, HTTP/1.0, HEAD.
raw_want "\r\nGET /health HTTP/1.1\r\nHost: x\r\nX-Tab: a\tb  \r\n\r\n" 200 '"queue":0}'
raw_want "GET /health HTTP/1.0\r\n\r\n" 200 '"queue":0}'
raw "HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n"
case $RAW in "HTTP/1.1 200 OK"*) ;; *) problem "HEAD /health: ${RAW%%$'\n'*}" ;; esac
# python's http.client, curl (call) and the motcua tool.
py=$(python3 - "${API##*:}" "$TOKEN" <<'P'
import http.client, json, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=5)
c.request("POST", "/cases", body=json.dumps({"procedure": "KS",
    "msisdn": "0912000004", "name": "Nguyễn Văn A"}),
    headers={"Authorization": "Bearer " + sys.argv[2],
    "Content-Type": "application/json", "User-Agent": "py\tx"})
r = c.getresponse()
print(r.status, r.read().decode())
P
)
case $py in "201 "*'"procedure":"KS"'*) ;; *) problem "python http.client: $py" ;; esac
call GET /health '' -H 'X-Long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
[ "$STATUS" = 200 ] || problem "curl GET /health: $STATUS $BODY"
code=$(sql "select code from cases order by rowid desc limit 1")
out=$($TOOL case show "$code" 2>&1) || problem "motcua case show $code: $out"
case $out in *"$code"*) ;; *) problem "motcua case show: $out" ;; esac

[ -z "$problems" ] || fail "$nproblems problems:$problems"
touch "$WORK/done"
admin_down
echo "ok $NAME"
