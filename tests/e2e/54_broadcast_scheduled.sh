#!/bin/bash
# Scheduled broadcasts never hold back due ones: with 300 scheduled a week
# ahead, one for now goes out and is done, and the 300 stay scheduled with
# nothing queued; then several due at once (one of them scheduled a few
# seconds ahead) all complete. Last, cancelling a broadcast that is sending
# and then the 300 scheduled ones: nothing more of the first goes out.
# date-sensitive: also run at pinned dates (tests/run.sh)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
THROUGHPUT=20
OFFICE_EXTRA="quiet_hours ="
SCHEDULED=300

sim_script() {
	echo "wait_bind 10"
	for i in 01 02 03; do echo "expect 09130000$i 15s ^Họp thôn ngay bây giờ\$"; done
	for i in $(seq 10 19); do echo "expect 09130000$i 15s ^Tin số $((i / 2 - 4))\$"; done
	echo "expect 0913000020 20s ^Tin hẹn giờ\$"
	for i in $(seq 100 139); do echo "expect 0913000$i 20s ^Tin B\$"; done
	echo "expect_none 0914000001 1"
	echo "expect 0912000099 60s ^end of test\$"
	echo "expect_total 55"	# 3 + 10 + 1 + 40 + this one: none of the cancelled
	echo "expect_nodup"
}
admin_up

# posts N PATH [BODYFILE]: N POSTs through one curl, @ in PATH standing
# for 1..N; the count of each status, as "COUNT STATUS" lines.
posts() {
	local i
	for ((i = 1; i <= $1; i++)); do
		[ "$i" = 1 ] || echo next
		printf 'url = "%s%s"\nrequest = "POST"\n' "$API" "${2//@/$i}"
		printf 'header = "Authorization: Bearer %s"\n' "$TOKEN"
		printf 'header = "Content-Type: application/json"\n'
		[ -n "${3:-}" ] && printf 'data-binary = "@%s"\n' "$3"
		printf 'output = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n'
	done >"$WORK/curl.conf"
	curl -sS -K "$WORK/curl.conf" | sort | uniq -c | awk '{ print $1, $2 }'
}
# done_within SECS ID...: each broadcast reaches "done".
done_within() {
	local secs=$1 id
	shift
	for id in "$@"; do
		for _ in $(seq $((secs * 20))); do
			[ "$(sql "select state from broadcasts where id = $id")" = done ] && break
			sleep 0.05
		done
		call GET "/broadcasts/$id"
		want 200 '"state":"done"' '"queued":0'
	done
}

# A week ahead, whatever the day and the time zone.
week=$(date -u -d '+7 days' +%Y-%m-%dT%H:%M:%SZ)
printf '{"to": {"msisdns": ["0914000001", "0914000002"]}, "text": "Họp tuần sau", "at": "%s"}' \
    "$week" >"$WORK/later.json"
[ "$(posts $SCHEDULED /broadcasts "$WORK/later.json")" = "$SCHEDULED 201" ] ||
	fail "creating $SCHEDULED scheduled broadcasts"
same "select count(*) from broadcasts where state = 'scheduled'" $SCHEDULED

now_id=$((SCHEDULED + 1))
call POST /broadcasts '{"to": {"msisdns": ["0913000001", "0913000002", "0913000003"]}, "text": "Họp thôn ngay bây giờ"}'
want 201 "\"id\":$now_id" '"total":3'
done_within 15 $now_id
want 200 '"sent":3'

# Several due at once, and one that becomes due in 3 s.
soon=$(date -u -d '+3 sec' +%Y-%m-%dT%H:%M:%SZ)
call POST /broadcasts "{\"to\": {\"msisdns\": [\"0913000020\"]}, \"text\": \"Tin hẹn giờ\", \"at\": \"$soon\"}"
want 201 '"state":"scheduled"'
soon_id=$((now_id + 1))
for k in 1 2 3 4 5; do
	call POST /broadcasts "{\"to\": {\"msisdns\": [\"09130000$((2 * k + 8))\", \"09130000$((2 * k + 9))\"]}, \"text\": \"Tin số $k\"}"
	want 201
done
done_within 15 $((soon_id + 1)) $((soon_id + 2)) $((soon_id + 3)) $((soon_id + 4)) $((soon_id + 5))
done_within 15 $soon_id

# The week-ahead ones: untouched.
same "select count(*) from broadcasts where id <= $SCHEDULED and state = 'scheduled'" $SCHEDULED
same "select count(*) from outbound o join broadcasts b on o.broadcast_id = b.id where b.id <= $SCHEDULED" 0
same "select count(*) from broadcast_recipients where broadcast_id <= $SCHEDULED and state = 'pending'" $((SCHEDULED * 2))
call GET /broadcasts/$SCHEDULED
want 200 '"state":"scheduled"' '"sent":0' '"queued":2'

# Cancel a broadcast whose messages wait in the outbox behind another's
# (40 numbers at 20 a second), then the 300: cancelling ones with nothing
# queued must not make the outbox forget the one whose messages it holds.
b_id=$((soon_id + 6)) a_id=$((soon_id + 7))
nums() {
	seq -f "\"0913000%g\"" "$1" "$2" | paste -sd, -
}
call POST /broadcasts "{\"to\": {\"msisdns\": [$(nums 100 139)]}, \"text\": \"Tin B\"}"
want 201 "\"id\":$b_id" '"total":40'
call POST /broadcasts "{\"to\": {\"msisdns\": [$(nums 200 239)]}, \"text\": \"Thông báo thử\"}"
want 201 "\"id\":$a_id" '"total":40'
sleep 0.3
call POST /broadcasts/$a_id/cancel
want 200 '"state":"cancelled"'
[ "$(posts $SCHEDULED /broadcasts/@/cancel)" = "$SCHEDULED 200" ] ||
	fail "cancelling the scheduled broadcasts"
done_within 15 $b_id
sleep 1
same "select count(*) from outbound where broadcast_id = $a_id and state in ('sent', 'delivered')" 0
same "select count(*) from broadcasts where state = 'cancelled'" $((SCHEDULED + 1))
same "select count(*) from outbound where broadcast_id <= $SCHEDULED" 0

m=$(curl -sS "$API/metrics")
for line in 'motcua_broadcasts{state="done"} 8' \
    "motcua_broadcasts{state=\"cancelled\"} $((SCHEDULED + 1))" \
    'motcua_broadcasts{state="scheduled"} 0' 'motcua_broadcast_pending 0'; do
	grep -qxF "$line" <<<"$m" || fail "metrics: no line \"$line\" in: $m"
done
end_of_test
admin_down
echo "ok $NAME"
