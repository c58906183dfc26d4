# Shared by the admin API and staff tool tests (2x_*.sh), sourced after
# lib.sh. The daemon's API listens on a port the kernel picks
# (listen = 127.0.0.1:0), read from its log; then the config's listen line
# is rewritten to that port, so `motcua -c $WORK/motcua.conf` finds it too.
# curl talks to the API directly.

TOKEN=${TOKEN-t0k3n-e2e}
TOOL="$BIN/motcua -c $WORK/motcua.conf"

# admin_up: the simulator, the daemon, its API port in $API, link bound.
admin_up() {
	local port= _
	OFFICE_EXTRA="${OFFICE_EXTRA:-}"$'\n[admin]\nlisten = '"${ADMIN_LISTEN:-127.0.0.1:0}"$'\ntoken = '"$TOKEN"${ADMIN_EXTRA:+$'\n'"$ADMIN_EXTRA"}
	sim_script >"$WORK/script"
	start_sim
	write_config
	start_daemon
	for _ in $(seq 200); do
		port=$(sed -n 's/.* admin listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' \
		    "$WORK/motcuad.log" | tail -n 1)
		[ -n "$port" ] && break
		sleep 0.05
	done
	[ -n "$port" ] || fail "the admin API did not start"
	API=${API_SCHEME:-http}://127.0.0.1:$port
	sed -i "s/^listen = .*/listen = 127.0.0.1:$port/" "$WORK/motcua.conf"
	for _ in $(seq 200); do
		curl -s ${CURL_TLS:-} "$API/health" | grep -q '"status":"ok"' && return 0
		sleep 0.05
	done
	fail "the link did not come up: $(curl -s "$API/health")"
}

# admin_down: the simulator's verdict, then a clean stop.
admin_down() {
	wait_sim "${E2E_TIMEOUT:-60}"
	stop_daemon
}

# call METHOD PATH [BODY [CURL-ARGS...]]: the answer in $STATUS and $BODY.
# The token goes as $AUTH (default: the right one; AUTH=Authorization:
# sends none).
call() {
	local method=$1 path=$2 data=${3-}
	shift 2
	[ $# -gt 0 ] && shift
	LAST="$method $path"
	STATUS=$(curl -sS ${CURL_TLS:-} -o "$WORK/answer" -w '%{http_code}' -X "$method" \
	    -H "${AUTH-Authorization: Bearer $TOKEN}" -H 'Expect:' \
	    -H 'Content-Type: application/json' ${data:+--data-binary "$data"} \
	    "$@" "$API$path") || fail "$LAST: curl failed"
	BODY=$(cat "$WORK/answer")
}

# want STATUS [TEXT...]: the last answer had this status and holds each TEXT.
want() {
	local st=$1 t
	shift
	[ "$STATUS" = "$st" ] || fail "$LAST: HTTP $STATUS, want $st: $BODY"
	for t in "$@"; do
		case $BODY in *"$t"*) ;; *) fail "$LAST: want $t in $BODY" ;; esac
	done
}

# want_exact STATUS JSON: the whole answer.
want_exact() {
	[ "$STATUS" = "$1" ] && [ "$BODY" = "$2" ] ||
	    fail "$LAST: HTTP $STATUS $BODY, want $1 $2"
}

# same QUERY VALUE: the database agrees.
same() {
	local got
	got=$(sql "$1")
	[ "$got" = "$2" ] || fail "$1: got $got, want $2"
}

# holiday DATE: true when DATE is in the holidays.list the daemon reads
# (one date or FROM..TO a line), as the due dates must skip them too.
holiday() {
	local first from to
	while read -r first _; do
		case $first in ''|'#'*) continue ;; esac
		from=${first%%..*} to=${first##*..}
		[[ ! "$1" < "$from" && ! "$1" > "$to" ]] && return 0
	done <"${TEMPLATES:-$TEMPLATES_SRC}/holidays.list"
	return 1
}

# workdays N [FROM]: the date N working days after FROM (default today),
# Saturdays, Sundays and holidays skipped, as the daemon counts them.
workdays() {
	local n=$1 d=${2:-$(date +%F)}
	while [ "$n" -gt 0 ]; do
		d=$(date -d "$d +1 day" +%F)
		[ "$(date -d "$d" +%u)" -lt 6 ] && ! holiday "$d" && n=$((n - 1))
	done
	echo "$d"
}

# The last message every test's script waits for before it counts.
end_of_test() {
	call POST /messages '{"to": "0912000099", "text": "end of test"}'
	want 201 '"to":"84912000099"'
}
