#!/bin/bash
# A broadcast to a group of 100,000 (imported in bulk) does not stall the
# citizens: while a dry run and a real broadcast are made, a steady load of
# citizen messages is answered without a long pause (the SMSC simulator
# measures each reply). The dry run counts without expanding; the real one
# answers at once with its id and state, and its recipients are added in
# chunks after the answer. A kill -9 in the middle of an expansion loses
# nothing: after the restart it goes on and every member is a recipient
# exactly once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
OFFICE_EXTRA="quiet_hours ="	# broadcasts go whatever the hour
ROWS=${ROWS:-100000}
MAX_PAUSE_MS=${MAX_PAUSE_MS:-500}	# generous: the machine is shared
SIM_ARGS="-R 250"

sim_script() {
	cat <<S
wait_bind 10
send 0913000005 TUCHOI
expect 0913000005 ^Đã ngừng gửi tin
send 0913000006 TUCHOI
expect 0913000006 ^Đã ngừng gửi tin
exec sh $WORK/await.sh ready
exec sh $WORK/go.sh >$WORK/go.log 2>&1 &
load 1000 20
expect 0912000099 120s ^end of test\$
S
}
write_awaits
later=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
cat >"$WORK/go.sh" <<G
sleep 1
post() { curl -sS -o "$WORK/\$1.json" -w '%{http_code}\n' -H 'Authorization: Bearer $TOKEN' -H 'Expect:' --data-binary "\$2" "\$(cat $WORK/api)/broadcasts"; }
post dry '{"to": {"group": "Cả xã"}, "text": "Kính mời {{name}} họp", "dry_run": true}'
post dry2 '{"to": {"group": "Cả xã"}, "text": "Kính mời {{name}} họp", "dry_run": true}'
post real '{"to": {"group": "Cả xã"}, "text": "Kính mời {{name}} họp", "at": "$later"}'
G
admin_up
echo "$API" >"$WORK/api"
awk -v n="$ROWS" 'BEGIN { for (i = 0; i < n; i++) printf "0913%06d,Dân %d,Cả xã\n", i, i }' >"$WORK/xa.csv"
$TOOL contact import "$WORK/xa.csv" >"$WORK/out" 2>&1 || fail "import: $(cat "$WORK/out")"
for _ in $(seq 200); do
	[ "$(sql "select count(*) from optout where opted_out = 1")" = 2 ] && break
	sleep 0.05
done
touch "$WORK/ready"
for _ in $(seq 600); do
	grep -q '^load:' "$WORK/sim.out" && [ -s "$WORK/real.json" ] && break
	sleep 0.1
done
load=$(grep '^load:' "$WORK/sim.out") || fail "no load line"
echo "during: $load"
grep -q 'missing=0' <<<"$load" || fail "citizens not answered: $load"
max=$(sed 's/.* max=\([0-9.]*\).*/\1/' <<<"$load")
awk -v m="$max" -v lim="$MAX_PAUSE_MS" 'BEGIN { exit !(m < lim) }' ||
	fail "a citizen waited $max ms (limit $MAX_PAUSE_MS) while the broadcasts were made"

grep -q '"recipients":'$((ROWS - 2))',' "$WORK/dry.json" || fail "dry run: $(cat "$WORK/dry.json")"
grep -q '"skipped":2,' "$WORK/dry.json" || fail "dry run: $(cat "$WORK/dry.json")"
grep -q '"sample_to":"84913000000","sample":"Kính mời Dân 0 họp"' "$WORK/dry.json" || fail "dry run: $(cat "$WORK/dry.json")"
grep -q '"id":1,"state":"scheduled","total":'$ROWS, "$WORK/real.json" || fail "real: $(cat "$WORK/real.json")"
# The answer went before the recipients were in.
answered=$(grep -n 'path=/broadcasts status=201' "$WORK/motcuad.log" | head -n 1 | cut -d: -f1)
for _ in $(seq 300); do grep -q 'broadcast=1 recipients added' "$WORK/motcuad.log" && break; sleep 0.1; done
added=$(grep -n 'broadcast=1 recipients added' "$WORK/motcuad.log" | cut -d: -f1)
[ -n "$added" ] && [ -n "$answered" ] && [ "$answered" -lt "$added" ] ||
	fail "created at log line ${answered:-none}, recipients added at ${added:-none}"
same "select count(*) from broadcasts" 1
same "select count(*), sum(state = 'pending'), sum(reason = 'optout') from broadcast_recipients where broadcast_id = 1" "$ROWS|$((ROWS - 2))|2"

# kill -9 while a second one is being expanded.
call POST /broadcasts "{\"to\": {\"group\": \"Cả xã\"}, \"text\": \"Tin hai\", \"at\": \"$later\"}"
want 201 '"id":2'
for _ in $(seq 500); do
	n=$(sql "select count(*) from broadcast_recipients where broadcast_id = 2" 2>/dev/null)
	[ "${n:-0}" -gt 0 ] && break
	sleep 0.01
done
sh "$WORK/restart.sh"
echo "killed with $n of $ROWS recipients in"
[ "$n" -gt 0 ] && [ "$n" -lt "$ROWS" ] || fail "not killed mid-expansion: $n recipients"
for _ in $(seq 300); do
	[ "$(sql "select expand_key is null from broadcasts where id = 2" 2>/dev/null)" = 1 ] && break
	sleep 0.1
done
same "select state, total, dups from broadcasts where id = 2" "scheduled|$ROWS|0"
same "select count(*), count(distinct msisdn), sum(state = 'pending') from broadcast_recipients where broadcast_id = 2" "$ROWS|$ROWS|$((ROWS - 2))"
grep -q 'broadcast=2 recipients added' "$WORK/motcuad.log" || fail "the expansion did not resume"
curl -s "$API/metrics" | grep -qx "motcua_broadcast_pending $((2 * (ROWS - 2)))" ||
	fail "metrics after the restart: $(curl -s "$API/metrics" | grep broadcast)"
end_of_test
admin_down
echo "ok $NAME"
