# Shared by the end-to-end tests: each test starts smsc-sim with a script on
# a free loopback port, starts the real motcuad against it with a fresh
# database, and passes when the script passes and the daemon stops cleanly
# (under the sanitizer build, a leak makes that exit status non-zero).
#
# A test defines sim_script (the dialogue), may add config lines with
# extra_config, and calls e2e_run. Set E2E_KEEP=1 to keep the work folder.

set -u
BIN=${BIN:-bin}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NAME=$(basename "$0" .sh)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/motcua-$NAME.XXXXXX")
SIM_PID= D_PID=
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac
SIM_ARGS=${SIM_ARGS:-}

# A pinned clock (tests/run.sh runs the date-sensitive tests so):
# E2E_NOW="2026-12-31 10:00" runs the whole test as if it were that local
# time in E2E_TZ (Asia/Ho_Chi_Minh by default). Every program the test
# starts (motcuad, smsc-sim, motcua, sqlite3, date, curl) gets the same
# offset from libfaketime, so they agree with one another, and the clock
# still ticks; the monotonic clock stays true, as the daemon's intervals
# need. E2E_HOLIDAY adds one line to the holidays of the default templates
# (a holiday right after the pinned day, say).
if [ -n "${E2E_NOW:-}" ]; then
	LIBFT=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1)
	[ -n "$LIBFT" ] || { echo "FAIL $NAME: libfaketime is not installed"; exit 1; }
	export TZ=${E2E_TZ:-Asia/Ho_Chi_Minh}
	_pin=$(date -d "$E2E_NOW" +%s) || { echo "FAIL $NAME: E2E_NOW=$E2E_NOW"; exit 1; }
	_pin=$((_pin - $(date +%s)))
	export FAKETIME=$([ "$_pin" -ge 0 ] && echo +)$_pin
	export FAKETIME_DONT_FAKE_MONOTONIC=1
	# The sanitizer runtime must otherwise be the first library loaded.
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
	export LD_PRELOAD=$LIBFT
	unset _pin
fi
# The templates a test starts from (or copies, to change one file).
TEMPLATES_SRC=$ROOT/templates/vi
if [ -n "${E2E_HOLIDAY:-}" ]; then
	cp -r "$TEMPLATES_SRC" "$WORK/tpl-pinned"
	echo "$E2E_HOLIDAY" >>"$WORK/tpl-pinned/holidays.list"
	TEMPLATES_SRC=$WORK/tpl-pinned
fi

e2e_cleanup() {
	[ -s "$WORK/motcuad.pid" ] && kill -9 "$(cat "$WORK/motcuad.pid")" 2>/dev/null
	[ -n "$SIM_PID" ] && kill -9 "$SIM_PID" 2>/dev/null
	if [ "${E2E_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap e2e_cleanup EXIT

fail() {
	echo "FAIL $NAME: $*"
	for f in "$WORK"/motcuad*.log "$WORK"/sim.log; do
		[ -f "$f" ] && { echo "--- $f (tail)"; tail -n 40 "$f"; }
	done
	# Again at the end, where a cut log still shows it.
	[ -f "$WORK/sim.log" ] && grep '^script:' "$WORK/sim.log" | tail -n 3
	echo "FAIL $NAME: $*"
	exit 1
}

# Writes the daemon's config; extra lines come from $SMSC_EXTRA,
# $STORE_EXTRA and $OFFICE_EXTRA.
write_config() {
	local store_lines="path = motcua.db"

	[ -n "${STORE_EXTRA:-}" ] && store_lines="$store_lines"$'\n'"$STORE_EXTRA"
	cat >"$WORK/motcua.conf" <<CONF
[smsc]
host = 127.0.0.1
port = $PORT
system_id = motcua
password = ${PASSWORD:-secret}
reconnect_max = ${RECONNECT_MAX:-2}
enquire_link = ${ENQUIRE_LINK:-30}
response_timeout = ${RESPONSE_TIMEOUT:-10}
window = ${WINDOW:-10}
throughput = ${THROUGHPUT:-0}
${SMSC_EXTRA:-}

[store]
$store_lines

[office]
templates = ${TEMPLATES:-$TEMPLATES_SRC}
${OFFICE_EXTRA:-}
CONF
	chmod 600 "$WORK/motcua.conf"	# it holds the SMSC password
}

start_sim() {
	rm -f "$WORK/port"
	"$BIN/smsc-sim" -p 0 -P "$WORK/port" -s "$WORK/script" $SIM_ARGS \
	    >"$WORK/sim.out" 2>"$WORK/sim.log" &
	SIM_PID=$!
	for _ in $(seq 100); do
		[ -s "$WORK/port" ] && break
		sleep 0.05
	done
	[ -s "$WORK/port" ] || fail "smsc-sim did not start"
	PORT=$(cat "$WORK/port")
}

# The daemon runs under a small wrapper that records its exit status, so a
# test (or the simulator's `exec`) can kill -9 and restart it and the last
# one's status is still checked: $WORK/restart.sh does exactly that.
# $D_WRAP, if set, goes before the daemon's command (env VAR=... for it);
# $D_FLAGS replaces its -d (debug logging, every line at once).
write_runner() {
	cat >"$WORK/start.sh" <<RUN
#!/bin/sh
rm -f "$WORK/motcuad.rc"
(
	${D_WRAP:-} "$BIN/motcuad" ${D_FLAGS--d} -c "$WORK/motcua.conf" >>"$WORK/motcuad.log" 2>&1 &
	echo \$! >"$WORK/motcuad.pid"
	wait \$!
	echo \$? >"$WORK/motcuad.rc"
) </dev/null >/dev/null 2>&1 &
for i in \$(seq 100); do [ -s "$WORK/motcuad.pid" ] && break; sleep 0.02; done
RUN
	# settled.sh: waits (10 s at most) until no reply is still queued.
	cat >"$WORK/settled.sh" <<RUN
#!/bin/sh
for i in \$(seq 200); do
	[ "\$(sqlite3 "$WORK/motcua.db" "select count(*) from outbound where state = 'queued'")" = 0 ] && exit 0
	sleep 0.05
done
echo "settled.sh: replies still queued after 10 s" >&2
exit 1
RUN
	cat >"$WORK/restart.sh" <<RUN
#!/bin/sh
kill -9 \$(cat "$WORK/motcuad.pid")
for i in \$(seq 100); do [ -s "$WORK/motcuad.rc" ] && break; sleep 0.02; done
rm -f "$WORK/motcuad.pid"
echo "--- restart after kill -9" >>"$WORK/motcuad.log"
sh "$WORK/start.sh"
RUN
}

start_daemon() {
	write_runner
	rm -f "$WORK/motcuad.pid"
	sh "$WORK/start.sh"
	[ -s "$WORK/motcuad.pid" ] || fail "motcuad did not start"
	D_PID=$(cat "$WORK/motcuad.pid")
}

# stop_daemon: SIGTERM, and the daemon must exit 0 within 10 s.
stop_daemon() {
	[ -s "$WORK/motcuad.pid" ] || return 0
	local pid rc
	pid=$(cat "$WORK/motcuad.pid")
	kill -TERM "$pid" 2>/dev/null
	for _ in $(seq 200); do
		[ -s "$WORK/motcuad.rc" ] && break
		sleep 0.05
	done
	[ -s "$WORK/motcuad.rc" ] || { kill -9 "$pid"; fail "motcuad did not stop on SIGTERM"; }
	rc=$(cat "$WORK/motcuad.rc")
	rm -f "$WORK/motcuad.pid"
	[ "$rc" = 0 ] || fail "motcuad exited with status $rc"
}

# wait_sim [SECONDS]: the script's verdict.
wait_sim() {
	local limit=$(( ${1:-60} * 20 )) rc=0
	for _ in $(seq "$limit"); do
		kill -0 "$SIM_PID" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$SIM_PID" 2>/dev/null; then
		kill -9 "$SIM_PID"; SIM_PID=; fail "smsc-sim script timed out"
	fi
	wait "$SIM_PID" || rc=$?
	SIM_PID=
	[ "$rc" = 0 ] || fail "smsc-sim script failed (status $rc)"
}

# e2e_run: the usual shape: sim, daemon, script, clean stop.
e2e_run() {
	sim_script >"$WORK/script"
	start_sim
	write_config
	start_daemon
	wait_sim "${E2E_TIMEOUT:-60}"
	stop_daemon
	echo "ok $NAME"
}

# For a simulator script's `exec`, which must not block the loop itself:
# sh $WORK/await.sh NAME waits up to 90 s for the file $WORK/NAME, and
# sh $WORK/await_done.sh up to 30 s for broadcast 1 to be done.
write_awaits() {
	cat >"$WORK/await.sh" <<W
for i in \$(seq 900); do [ -f "$WORK/\$1" ] && exit 0; sleep 0.1; done
exit 1
W
	cat >"$WORK/await_done.sh" <<W
for i in \$(seq 300); do
	[ "\$(sqlite3 "$WORK/motcua.db" "select state from broadcasts where id = 1")" = done ] && exit 0
	sleep 0.1
done
exit 1
W
}

# sql QUERY: ask the test's database.
sql() {
	sqlite3 "$WORK/motcua.db" "$1"
}

# case_code SEQ: the code the daemon gives its SEQth case this year
# (code_prefix MC, two-digit year, four-digit sequence, Damm check digit).
case_code() {
	local t=(0317598642 7092154863 4206871359 1750983426 6123045978
	    3674209581 5869720134 8945362017 9438617205 2581436790)
	local digits i d row=0
	digits=$(date +%y)$(printf '%04d' "$1")
	for ((i = 0; i < ${#digits}; i++)); do
		d=${digits:i:1}
		row=${t[row]:d:1}
	done
	echo "MC$digits$row"
}

ussd_hex() {
	printf '%s' "$1" | od -An -tx1 | tr -d ' \n'
}

# ussd_pdu FROM OP ITS [TEXT [UMR]]: the hex of one USSD deliver_sm for send_raw,
# for what the simulator's `ussd` cannot say: a vendor op (0x81, user
# abort), the end bit from the network, a dialog id that stays the same
# (Sixdee). FROM is 84...; ITS -1 leaves its_session_info out; TEXT is
# ASCII. The sequence number is far above the simulator's own.
ussd_pdu() {
	local from=$1 op=$2 its=$3 text=${4:-} umr=${5:--1} body
	body=$(ussd_hex USSD)000101$(ussd_hex "$from")000000$(ussd_hex '*8077#')00
	body=${body}000000000000000000$(printf '%02x' ${#text})$(ussd_hex "$text")
	body=${body}05010001$(printf '%02x' $((op)))
	(( its >= 0 )) && body=${body}13830002$(printf '%04x' $((its)))
	(( umr >= 0 )) && body=${body}02040002$(printf '%04x' $((umr)))
	printf '%08x00000005%08x%08x%s\n' $((16 + ${#body} / 2)) 0 \
	    $((0x70000000 + RANDOM)) "$body"
}
