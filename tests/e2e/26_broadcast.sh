#!/bin/bash
# Broadcasts: to a group with one opted-out member (skipped = 1, exactly one
# SMS to each other member, with their name); to a list with duplicates
# (sent once, counted as skipped); a dry run sends nothing; the daily cap;
# cancel stops what has not gone within a second.
# date-sensitive: also run at pinned dates (tests/run.sh)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
THROUGHPUT=20
OFFICE_EXTRA="quiet_hours =
broadcast_daily_cap = 2"

sim_script() {
	cat <<'S'
wait_bind 10
send 0912000003 TUCHOI
expect 0912000003 Đã ngừng gửi tin
expect 0912000001 30s ^Kính mời ông/bà An họp thôn Đông lúc 19h$
expect 0912000002 30s ^Kính mời ông/bà Bình họp thôn Đông lúc 19h$
expect 0912000001 30s ^Lịch tiêm chủng: sáng thứ Bảy$
expect 0912000004 30s ^Lịch tiêm chủng: sáng thứ Bảy$
expect_none 0912000003 1
expect 0912000099 60s ^end of test$
expect_nodup
S
}
admin_up

for c in '0912000001 An' '0912000002 Bình' '0912000003 Cúc'; do
	call POST /contacts "{\"msisdn\": \"${c% *}\", \"name\": \"${c#* }\", \"groups\": [\"Thôn Đông\"]}"
	want 201
done
for _ in $(seq 100); do
	[ "$(sql "select count(*) from optout where opted_out = 1")" = 1 ] && break
	sleep 0.05
done

# A dry run: the cost, and nothing stored or sent.
call POST /broadcasts '{"to": {"group": "Thôn Đông"}, "text": "Kính mời ông/bà {{name}} họp thôn Đông lúc {{gio}}", "vars": {"gio": "19h"}, "dry_run": true}'
want 200 '"recipients":2' '"skipped":1' '"parts":1' '"total_parts":2' '"sample":"Kính mời ông/bà An họp thôn Đông lúc 19h"'
same "select count(*) from broadcasts" 0

call POST /broadcasts '{"to": {"group": "Thôn Đông"}, "text": "Kính mời ông/bà {{name}} họp thôn Đông lúc {{gio}}", "vars": {"gio": "19h"}}'
want 201 '"id":1' '"total":3'
call POST /broadcasts '{"to": {"msisdns": ["0912000001", "+84912000001", "0912000004", "0912000003"]}, "text": "Lịch tiêm chủng: sáng thứ Bảy"}'
want 201 '"id":2' '"total":4'
for _ in $(seq 200); do
	call GET /broadcasts/2
	case $BODY in *'"state":"done"'*) break ;; esac
	sleep 0.05
done
want 200 '"state":"done"' '"sent":2' '"skipped":2' '"queued":0'
call GET /broadcasts/1
want 200 '"state":"done"' '"sent":2' '"skipped":1' '"failed":0'

# The daily cap (2): number 1 has had two broadcasts today.
call POST /broadcasts '{"to": {"msisdns": ["0912000001"]}, "text": "Thêm một tin"}'
want 201
for _ in $(seq 100); do
	call GET /broadcasts/3
	case $BODY in *'"state":"done"'*) break ;; esac
	sleep 0.05
done
want 200 '"sent":0' '"skipped":1'
same "select reason from broadcast_recipients where broadcast_id = 3" cap

# Cancel: 60 numbers at 20 SMS a second; after the cancel nothing more goes.
nums=$(for i in $(seq -w 10 69); do printf '"09130000%s",' "$i"; done)
call POST /broadcasts "{\"to\": {\"msisdns\": [${nums%,}]}, \"text\": \"Thông báo thử\"}"
want 201 '"id":4' '"total":60'
sleep 0.5
call POST /broadcasts/4/cancel
want 200 '"state":"cancelled"'
sleep 1
sent=$(sql "select count(*) from outbound where broadcast_id = 4 and state in ('sent', 'delivered')")
sleep 1.5
[ "$(sql "select count(*) from outbound where broadcast_id = 4 and state in ('sent', 'delivered')")" = "$sent" ] ||
	fail "messages still going out a second after the cancel"
[ "$sent" -lt 60 ] || fail "cancel stopped nothing"
call GET /broadcasts/4
want 200 '"state":"cancelled"' '"queued":0'
# /metrics: three done, one cancelled, nobody left waiting.
m=$(curl -sS "$API/metrics")
for line in 'motcua_broadcasts{state="done"} 3' \
    'motcua_broadcasts{state="cancelled"} 1' \
    'motcua_broadcasts{state="sending"} 0' 'motcua_broadcast_pending 0'; do
	grep -qxF "$line" <<<"$m" || fail "metrics: no line \"$line\" in: $m"
done
end_of_test
admin_down
echo "ok $NAME"
