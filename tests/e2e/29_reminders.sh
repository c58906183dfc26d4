#!/bin/bash
# Reminders: a case ready for longer than remind_after (3) days gets
# exactly one reminder SMS, also when its number opted out of broadcasts;
# inside quiet hours the pass sends nothing and marks nothing; after kill
# -9 and a restart, with the pass run again (at start and on SIGUSR1),
# still one. A case ready for two days, a returned one and one still being
# processed get none.
# date-sensitive: also run at pinned dates (tests/run.sh)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
# Quiet from a minute ago to two minutes on, local time.
OFFICE_EXTRA="quiet_hours = $(date -d '-1 min' +%H:%M)-$(date -d '+2 min' +%H:%M)"
C1=$(case_code 1) C2=$(case_code 2) C3=$(case_code 3) C4=$(case_code 4) C5=$(case_code 5)

sim_script() {
	cat <<S
wait_bind 10
send 0912000015 TUCHOI
expect 0912000015 30s Đã ngừng gửi tin
expect 0912000014 30s ^Hồ sơ $C4: đã trả kết quả
exec sh $WORK/wait_for.sh go
expect 0912000011 30s ^Hồ sơ $C1 \(Đăng ký khai sinh\) đã có kết quả\. Mời ông/bà đến
expect 0912000015 30s ^Hồ sơ $C5 \(Xác nhận tình trạng hôn nhân\) đã có kết quả
exec sh $WORK/wait_for.sh again
expect_none 0912000011 0.5
expect_total 4
expect_nodup
S
}
cat >"$WORK/wait_for.sh" <<W
for i in \$(seq 400); do [ -f "$WORK/\$1" ] && exit 0; sleep 0.05; done
exit 1
W
admin_up

# sqlw SQL: a write beside the running daemon (WAL: it waits its turn).
sqlw() {
	sqlite3 -cmd '.timeout 5000' "$WORK/motcua.db" "$1" >/dev/null ||
	    fail "sqlite3: $1"
}
# poll QUERY VALUE: waits (up to 10 s) until the database says VALUE.
poll() {
	for _ in $(seq 200); do
		[ "$(sqlite3 -cmd '.timeout 5000' "$WORK/motcua.db" "$1")" = "$2" ] && return 0
		sleep 0.05
	done
	same "$1" "$2"
}
# usr1 TEXT: SIGUSR1, then wait for the log line that pass ends with.
usr1() {
	local before
	before=$(grep -c "$1" "$WORK/motcuad.log")
	kill -USR1 "$(cat "$WORK/motcuad.pid")"
	for _ in $(seq 200); do
		[ "$(grep -c "$1" "$WORK/motcuad.log")" -gt "$before" ] && return 0
		sleep 0.05
	done
	fail "no \"$1\" after SIGUSR1"
}
reminded() {
	sqlite3 -cmd '.timeout 5000' "$WORK/motcua.db" \
	    "select group_concat(code, ' ') from (select code from cases where reminded_at is not null order by id)"
}

poll "select count(*) from optout where opted_out = 1" 1
for c in 'KS 0912000011 ready' 'KS 0912000012 ready' 'KT 0912000013 processing' \
    'KS 0912000014 ready' 'HN 0912000015 ready'; do
	set -- $c
	call POST /cases "{\"procedure\": \"$1\", \"msisdn\": \"$2\", \"status\": \"$3\"}"
	want 201
done
call PATCH "/cases/$C4" '{"status": "returned"}'
want 200
# Ready four days ago (C1, C4, C5) and two days ago (C2).
sqlw "update case_history set at = at - 4 * 86400000 where status = 9 and
	case_id in (select id from cases where code in ('$C1', '$C4', '$C5'))"
sqlw "update case_history set at = at - 2 * 86400000 where status = 9 and
	case_id = (select id from cases where code = '$C2')"

# Quiet hours: the pass waits, nothing is queued or marked.
usr1 'reminders: quiet hours: reminders wait'
same "select count(*) from outbound where kind = 'reminder'" 0
[ -z "$(reminded)" ] || fail "reminded inside quiet hours: $(reminded)"

# Out of quiet hours: the pass at start reminds C1 and C5, once each.
stop_daemon
sed -i 's/^quiet_hours = .*/quiet_hours =/' "$WORK/motcua.conf"
start_daemon
touch "$WORK/go"
poll "select count(*) from outbound where kind = 'reminder' and state = 'sent'" 2
[ "$(reminded)" = "$C1 $C5" ] || fail "reminded: $(reminded), want $C1 $C5"
same "select count(*) from outbound where kind = 'reminder' and msisdn = '84912000011'" 1

# kill -9, restart (a pass at start), and the pass again: still one each.
sh "$WORK/restart.sh"
for _ in $(seq 200); do
	grep -q 'motcuad started' <(sed -n '/restart after kill -9/,$p' "$WORK/motcuad.log") && break
	sleep 0.05
done
usr1 'reminders: pass done reminded=0'
same "select count(*) from outbound where kind = 'reminder'" 2
[ "$(reminded)" = "$C1 $C5" ] || fail "reminded after restart: $(reminded)"
touch "$WORK/again"
wait_sim 30
stop_daemon
echo "ok $NAME"
