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
SIM_ARGS=${SIM_ARGS:-}

e2e_cleanup() {
	[ -n "$D_PID" ] && kill -9 "$D_PID" 2>/dev/null
	[ -n "$SIM_PID" ] && kill -9 "$SIM_PID" 2>/dev/null
	if [ "${E2E_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap e2e_cleanup EXIT

fail() {
	echo "FAIL $NAME: $*"
	for f in "$WORK"/motcuad*.log "$WORK"/sim.log; do
		[ -f "$f" ] && { echo "--- $f (tail)"; tail -n 40 "$f"; }
	done
	exit 1
}

# Writes the daemon's config; extra lines come from $EXTRA_CONFIG.
write_config() {
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
path = motcua.db

[office]
templates = $ROOT/templates/vi
${OFFICE_EXTRA:-}
CONF
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

# start_daemon [LOGNAME]: motcuad in the background, pid in D_PID.
start_daemon() {
	"$BIN/motcuad" -d -c "$WORK/motcua.conf" \
	    >>"$WORK/${1:-motcuad}.log" 2>&1 &
	D_PID=$!
	echo "$D_PID" >"$WORK/motcuad.pid"
}

# stop_daemon: SIGTERM, and the daemon must exit 0 within 10 s.
stop_daemon() {
	[ -n "$D_PID" ] || return 0
	kill -TERM "$D_PID" 2>/dev/null
	local rc=0
	for _ in $(seq 200); do
		kill -0 "$D_PID" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$D_PID" 2>/dev/null; then
		kill -9 "$D_PID"; D_PID=; fail "motcuad did not stop on SIGTERM"
	fi
	wait "$D_PID" || rc=$?
	D_PID=
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

# sql QUERY: ask the test's database.
sql() {
	sqlite3 "$WORK/motcua.db" "$1"
}
