#!/bin/sh
# make bench: motcuad against smsc-sim in load mode on loopback. For each
# load shape: messages per second, latency p50/p99/max, replies missing or
# duplicated, and the daemon's peak RSS; then the memory a 100,000-recipient
# broadcast adds. Not part of make test.
#   BENCH_N (20000)   messages per run       BENCH_SYNC (normal)  [store] sync
#   BENCH_CASES (10000) cases queried         BENCH_BROADCAST (100000)
#   BENCH_ORPHANS (100000) expiring parts     ONLY_ORPHANS=1 runs just those
set -eu
BIN=${1:-bin}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/motcua-bench.XXXXXX")
N=${BENCH_N:-20000}
CASES=${BENCH_CASES:-10000}
trap 'rm -rf "$WORK"' EXIT

config() {	# config PORT WINDOW
	cat >"$WORK/motcua.conf" <<CONF
[smsc]
port = $1
system_id = motcua
password = secret
window = $2

[store]
path = motcua.db
sync = ${BENCH_SYNC:-normal}

[sms]
flood_per_minute = 0

[admin]
listen = 127.0.0.1:0
token = bench

[office]
templates = $ROOT/templates/vi
quiet_hours =
broadcast_daily_cap = 5
CONF
}

# A database with the schema and BENCH_CASES imported cases HS-000001…,
# the codes the load asks for ("TRACUU HS-nnnnnn", as the reference load).
seed() {
	config 1 10
	"$BIN/motcuad" -c "$WORK/motcua.conf" 2>/dev/null &
	d=$!
	for _ in $(seq 100); do
		[ -s "$WORK/motcua.db" ] && sqlite3 "$WORK/motcua.db" \
		    "select 1 from cases limit 0" 2>/dev/null && break
		sleep 0.05
	done
	kill $d; wait $d || true
	seq -f 'HS-%06g' 1 "$CASES" >"$WORK/codes"
	sqlite3 "$WORK/motcua.db" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $CASES)
INSERT INTO cases(code, canon, kind, procedure, msisdn, status, channel,
    received_at, due)
SELECT printf('HS-%06d', i), printf('HS%06d', i), 'case', 'KS',
    printf('8491%07d', i), 4, 'import', strftime('%s','now') * 1000,
    date('now', '+3 days') FROM n;
SQL
	cp "$WORK/motcua.db" "$WORK/seed.db"
}

# run NAME SIM-ARGS...: one load shape against a fresh daemon and a copy
# of the seeded database.
run() {
	name=$1; shift
	rm -f "$WORK/port" "$WORK"/motcua.db*
	cp "$WORK/seed.db" "$WORK/motcua.db"
	"$BIN/smsc-sim" -p 0 -P "$WORK/port" -C "$WORK/codes" "$@" \
	    >"$WORK/load.out" 2>"$WORK/sim.log" &
	sim=$!
	for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done
	config "$(cat "$WORK/port")" "${W:-100}"
	"$BIN/motcuad" -c "$WORK/motcua.conf" 2>"$WORK/motcuad.log" &
	d=$!
	while kill -0 $sim 2>/dev/null; do sleep 0.2; done
	wait $sim || true
	peak=$(awk '/VmHWM/ { print $2 }' /proc/$d/status)
	kill $d; wait $d || true
	printf '%-34s %s peak_rss_kb=%s\n' "$name" \
	    "$(tail -n 1 "$WORK/load.out" | sed 's/^load: //')" "$peak"
}

# The memory a broadcast to BENCH_BROADCAST numbers adds to the daemon.
broadcast_memory() {
	b=${BENCH_BROADCAST:-100000}
	rm -f "$WORK"/motcua.db* "$WORK/port"
	cp "$WORK/seed.db" "$WORK/motcua.db"
	sqlite3 "$WORK/motcua.db" <<SQL
INSERT INTO groups(name) VALUES ('all');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $b)
INSERT INTO contacts(msisdn, name, updated_at)
SELECT printf('8498%07d', i), printf('Công dân %d', i), 0 FROM n;
INSERT INTO contact_groups(msisdn, group_id)
SELECT msisdn, (SELECT id FROM groups WHERE name = 'all') FROM contacts;
SQL
	"$BIN/smsc-sim" -p 0 -P "$WORK/port" >/dev/null 2>&1 &
	sim=$!
	for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done
	config "$(cat "$WORK/port")" 100
	"$BIN/motcuad" -c "$WORK/motcua.conf" 2>"$WORK/motcuad.log" &
	d=$!
	for _ in $(seq 100); do
		api=$(sed -n 's/.* admin listening on \(127\.0\.0\.1:[0-9]*\)$/\1/p' \
		    "$WORK/motcuad.log" | tail -n 1)
		[ -n "$api" ] && break
		sleep 0.05
	done
	sleep 0.5
	before=$(awk '/VmRSS/ { print $2 }' /proc/$d/status)
	t0=$(date +%s.%N)
	curl -s -H 'Authorization: Bearer bench' -d \
	    '{"to": {"group": "all"}, "text": "Kính mời ông/bà {{name}} dự họp"}' \
	    "http://$api/broadcasts" >/dev/null
	peak=$before
	while :; do
		rss=$(awk '/VmRSS/ { print $2 }' /proc/$d/status)
		[ "$rss" -gt "$peak" ] && peak=$rss
		state=$(curl -s -H 'Authorization: Bearer bench' "http://$api/broadcasts/1")
		case $state in *'"state":"done"'*) break ;; esac
		sleep 0.5
	done
	t1=$(date +%s.%N)
	kill $d $sim; wait $d $sim 2>/dev/null || true
	echo "broadcast to $b: $(echo "$state" | tr -d '{}"') in $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s," \
	    "rss before=${before}kB peak=${peak}kB added=$((peak - before))kB"
}

# Issue 16 item 3: BENCH_ORPHANS (100000) first parts of two, from as many
# numbers, 50 s old at start (so due 10 s into the load), expire while a steady 100/s load of TRACUU
# runs: its latency max is the longest pause SMS handling saw. Also how
# long the expiry took and the largest WAL seen.
orphan_parts() {
	o=${BENCH_ORPHANS:-100000}
	rm -f "$WORK"/motcua.db* "$WORK/port"
	cp "$WORK/seed.db" "$WORK/motcua.db"
	sqlite3 "$WORK/motcua.db" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $o)
INSERT INTO inbound_part(link, msisdn, ref, total, seq, text, received_at)
SELECT 'smsc', printf('8497%07d', i), i % 256, 2, 1, 'Xin cho hoi ve ho so',
    (strftime('%s', 'now') - 50) * 1000 + i % 100 FROM n;
SQL
	"$BIN/smsc-sim" -p 0 -P "$WORK/port" -C "$WORK/codes" -l 9000 -n 9000 \
	    -W 100 -R 100 -T 'TRACUU %c' >"$WORK/load.out" 2>"$WORK/sim.log" &
	sim=$!
	for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done
	config "$(cat "$WORK/port")" 100
	t0=$(date +%s.%N)
	"$BIN/motcuad" -c "$WORK/motcua.conf" 2>"$WORK/motcuad.log" &
	d=$!
	wal=0 left=$o t1=
	while kill -0 $sim 2>/dev/null; do
		w=$(stat -c %s "$WORK/motcua.db-wal" 2>/dev/null || echo 0)
		[ "$w" -gt "$wal" ] && wal=$w
		if [ -z "$t1" ]; then
			left=$(sqlite3 "$WORK/motcua.db" "select count(*) from inbound_part" 2>/dev/null || echo "$left")
			[ "$left" = 0 ] && t1=$(date +%s.%N)
		fi
		sleep 0.2
	done
	wait $sim || true
	kill $d; wait $d || true
	printf '%-34s %s\n' "$o orphan parts expiring, 100/s" \
	    "$(tail -n 1 "$WORK/load.out" | sed 's/^load: //')"
	echo "  expired in $( [ -n "$t1" ] && awk "BEGIN { printf \"%.1f s\", $t1 - $t0 }" || echo "more than the load ($left left)"), wal_max=$((wal / 1048576)) MB"
}

echo "motcua bench: $N messages, $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d)"
grep -m1 'model name' /proc/cpuinfo | sed 's/^.*: /cpu: /'
seed
[ -n "${ONLY_BROADCAST:-}" ] && { broadcast_memory; exit 0; }
[ -n "${ONLY_ORPHANS:-}" ] && { orphan_parts; exit 0; }
W=100 run "TRACUU HS-n, window 100" -l "$N" -n "$N" -W 100 -T 'TRACUU %c'
W=10 run "TRACUU HS-n, window 10" -l "$N" -n "$N" -W 10 -T 'TRACUU %c'
W=100 run "TRACUU HS-n, steady 2000/s" -l "$N" -n "$N" -W 100 -R 2000 -T 'TRACUU %c'
W=1 run "TRACUU HS-n, 1 in flight" -l "$((N / 4))" -n "$N" -W 1 -T 'TRACUU %c'
W=100 run "HD (help), window 100" -l "$N" -n "$N" -W 100 -T HD
[ "${BENCH_BROADCAST:-100000}" = 0 ] || broadcast_memory
[ "${BENCH_ORPHANS:-100000}" = 0 ] || orphan_parts
