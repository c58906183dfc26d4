#!/bin/sh
# make bench: motcuad against smsc-sim in load mode on loopback. Prints, for
# each load shape, messages per second, latency percentiles, replies missing
# or duplicated, and the daemon's peak RSS. Not part of make test.
#   BENCH_N (20000)  messages per run
set -eu
BIN=${1:-bin}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/motcua-bench.XXXXXX")
N=${BENCH_N:-20000}
trap 'rm -rf "$WORK"' EXIT

# run NAME SIM-ARGS...: one load shape against a fresh daemon and database.
run() {
	name=$1; shift
	rm -f "$WORK/port" "$WORK"/motcua.db*
	"$BIN/smsc-sim" -p 0 -P "$WORK/port" "$@" >"$WORK/load.out" 2>"$WORK/sim.log" &
	sim=$!
	for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done
	cat >"$WORK/motcua.conf" <<CONF
[smsc]
port = $(cat "$WORK/port")
system_id = motcua
password = secret
window = ${BENCH_WINDOW:-100}

[store]
path = motcua.db
sync = ${BENCH_SYNC:-normal}

[office]
templates = $ROOT/templates/vi
CONF
	"$BIN/motcuad" -c "$WORK/motcua.conf" 2>"$WORK/motcuad.log" &
	d=$!
	peak=0
	while kill -0 $sim 2>/dev/null; do
		rss=$(awk '/VmHWM/ { print $2 }' /proc/$d/status 2>/dev/null || echo 0)
		[ "${rss:-0}" -gt "$peak" ] && peak=$rss
		sleep 0.2
	done
	wait $sim || true
	rss=$(awk '/VmHWM/ { print $2 }' /proc/$d/status 2>/dev/null || echo 0)
	[ "${rss:-0}" -gt "$peak" ] && peak=$rss
	kill $d; wait $d || true
	printf '%-28s %s peak_rss_kb=%s\n' "$name" "$(tail -n 1 "$WORK/load.out")" "$peak"
}

echo "motcua bench: $N messages, $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d)"
grep -m1 'model name' /proc/cpuinfo | sed 's/^.*: /cpu: /'
run "HD, window 10" -l "$N" -n "$N" -W 10 -T HD
run "HD, window 100" -l "$N" -n "$N" -W 100 -T HD
run "HD, 1 in flight" -l "$((N / 4))" -n "$N" -W 1 -T HD
