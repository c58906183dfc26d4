#!/bin/bash
# The broadcast gauges of /metrics are counters, not queries: with 100,000
# recipients waiting, a scrape costs what /health costs (the old query per
# scrape took 121 ms at 999,000). They stay right through every change (a
# broadcast expanded, sent, cancelled, its recipients queued or skipped)
# and across a restart, where they are read once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
OFFICE_EXTRA="quiet_hours ="	# broadcasts go whatever the hour
ROWS=${ROWS:-100000}
SCRAPES=${SCRAPES:-40}
MARGIN_MS=${MARGIN_MS:-5}	# per scrape, over /health

sim_script() {
	cat <<S
wait_bind 10
send 0913000001 TUCHOI
expect 0913000001 ^Đã ngừng gửi tin
expect 0913000002 60s ^Họp ngay\$
expect 0913000003 60s ^Họp ngay\$
expect 0912000099 120s ^end of test\$
S
}
admin_up
gauges() { curl -s "$API/metrics" | grep '^motcua_broadcast' | tr '\n' ' '; }
want_gauges() {	# want_gauges SCHEDULED DONE CANCELLED PENDING
	local g
	g=$(gauges)
	for w in "state=\"scheduled\"} $1 " "state=\"done\"} $2 " \
	    "state=\"cancelled\"} $3 " "state=\"sending\"} 0 " "pending $4 "; do
		case $g in *"$w"*) ;; *) fail "${WHEN}: want $w in $g" ;; esac
	done
}
awk -v n="$ROWS" 'BEGIN { for (i = 0; i < n; i++) printf "0913%06d,Dân %d,Cả xã\n", i, i }' >"$WORK/xa.csv"
$TOOL contact import "$WORK/xa.csv" >"$WORK/out" 2>&1 || fail "import: $(cat "$WORK/out")"
for _ in $(seq 200); do
	[ "$(sql "select count(*) from optout where opted_out = 1")" = 1 ] && break
	sleep 0.05
done
later=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
call POST /broadcasts "{\"to\": {\"group\": \"Cả xã\"}, \"text\": \"Họp\", \"at\": \"$later\"}"
want 201 '"id":1'
for _ in $(seq 300); do grep -q 'broadcast=1 recipients added' "$WORK/motcuad.log" && break; sleep 0.1; done
WHEN="expanded" want_gauges 1 0 0 $((ROWS - 1))

# A scrape costs about what /health costs.
scrapes() {
	local i
	for i in $(seq "$SCRAPES"); do
		curl -s -o /dev/null -w '%{time_total}\n' "$API/$1"
	done | awk '{ s += $1 } END { printf "%d\n", s * 1000 }'
}
scrapes health >/dev/null
h=$(scrapes health) m=$(scrapes metrics)
echo "figure: $SCRAPES scrapes with $((ROWS - 1)) recipients waiting: /metrics $m ms, /health $h ms"
[ "$m" -le $((h + SCRAPES * MARGIN_MS)) ] ||
	fail "/metrics took $m ms for $SCRAPES scrapes, /health $h ms"

# Sent (one number opted out: skipped), then cancelled.
call POST /broadcasts '{"to": {"msisdns": ["0913000001", "0913000002", "0913000003"]}, "text": "Họp ngay"}'
want 201 '"id":2'
for _ in $(seq 200); do [ "$(sql "select state from broadcasts where id = 2")" = done ] && break; sleep 0.05; done
WHEN="sent" want_gauges 1 1 0 $((ROWS - 1))
call POST /broadcasts/1/cancel
want 200 '"state":"cancelled"'
WHEN="cancelled" want_gauges 0 1 1 0
# A third, waiting, then a restart: the counters are read again.
call POST /broadcasts "{\"to\": {\"msisdns\": [\"0913000004\", \"0913000005\"]}, \"text\": \"Sau\", \"at\": \"$later\"}"
want 201 '"id":3'
WHEN="scheduled" want_gauges 1 1 1 2
stop_daemon
start_daemon
for _ in $(seq 200); do curl -s "$API/health" | grep -q '"status":"ok"' && break; sleep 0.05; done
WHEN="restarted" want_gauges 1 1 1 2
end_of_test
admin_down
echo "ok $NAME"
