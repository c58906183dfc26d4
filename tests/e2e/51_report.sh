#!/bin/bash
# The supervision report counts what this test made: cases received by
# channel (counter, sms, import; feedback apart), resolved early / on time
# / late, still open within time / overdue (a rejected case is neither),
# SMS received, sent and delivered (receipts on) and sent by kind,
# opt-outs, ratings (asked, count, average); a period before any of it is
# all zeros; `motcua report` prints it and `--csv` gives rows of exactly
# section,key,value that a spreadsheet (here awk) reads back.
# date-sensitive: also run at pinned dates (tests/run.sh)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
OFFICE_EXTRA="ask_rating = yes
quiet_hours ="
TODAY=$(date +%F)

sim_script() {
	cat <<'S'
wait_bind 10
dlr on
send 0912000036 NOP KS Nguyen Van An, sinh ngay 01/10/2025, con ong Nguyen Van Binh
expect 0912000036 30s ^Đã nhận yêu cầu
send 0912000037 PA Duong lien thon Dong bi ngap nuoc sau mua, de nghi xa kiem tra
expect 0912000037 30s ^Đã nhận phản ánh
send 0912000039 TUCHOI
expect 0912000039 30s Đã ngừng gửi tin
expect 0912000035 30s ^Mời ông/bà đánh giá
send 0912000035 5
expect 0912000035 30s ^Cảm ơn ông/bà
expect 0912000099 30s ^end of test$
expect_nodup
S
}
admin_up

# add BODY: a case made through the API; its code in $CODE.
add() {
	call POST /cases "$1"
	want 201
	CODE=$(sed 's/^{"code":"\([^"]*\)".*/\1/' <<<"$BODY")
}
add '{"procedure": "KS", "msisdn": "0912000031", "due": "2099-01-01"}'
add '{"procedure": "KS", "msisdn": "0912000032", "due": "2020-01-01", "status": "processing"}'
add '{"code": "IMP-1", "procedure": "HN", "msisdn": "0912000033", "due": "2099-01-01"}'
call PATCH /cases/IMP-1 '{"status": "ready"}'
want 200 '"timeliness":"early"'
add "{\"procedure\": \"KS\", \"msisdn\": \"0912000034\", \"due\": \"$TODAY\"}"
call PATCH "/cases/$CODE" '{"status": "ready"}'
want 200 '"timeliness":"on_time"'
add '{"procedure": "KS", "msisdn": "0912000035", "due": "2020-01-02"}'
call PATCH "/cases/$CODE" '{"status": "ready"}'
want 200 '"timeliness":"late"'
call PATCH "/cases/$CODE" '{"status": "returned"}'
want 200
add '{"procedure": "KS", "msisdn": "0912000038"}'
call PATCH "/cases/$CODE" '{"status": "rejected"}'
want 200

# Everything answered and every receipt in: 3 replies, 5 status changes,
# the rating question and its thanks.
for _ in $(seq 200); do
	[ "$(sql "select count(*) from outbound where state = 'delivered'")" = 10 ] && break
	sleep 0.05
done
same "select count(*) from outbound where state = 'delivered'" 10
same "select count(*) from cases where rating = 5" 1

call GET "/report?from=$TODAY&to=$TODAY"
want 200 '"total":7,"feedback":1' \
    '"by_channel":{"sms":1,"ussd":0,"counter":5,"import":1}' \
    '"resolved":{"total":3,"early":1,"on_time":1,"late":1}' \
    '"open":{"total":3,"within":2,"overdue":1}' \
    '"messages":{"received":4,"sent":10,"delivered":10,"failed":0}' \
    '"sent_by_kind":{"reply":4,"notify":5,"broadcast":0,"reminder":0,"rating":1}' \
    '"optouts":{"in_period":1,"total":1}' \
    '"ratings":{"asked":1,"count":1,"average":5.0,"1":0,"2":0,"3":0,"4":0,"5":1}' \
    '"reminders":{"sent":0}'
call GET '/report?from=2020-01-01&to=2020-01-31'
want 200 '"total":0' '"resolved":{"total":0,' '"open":{"total":0,' \
    '"messages":{"received":0,"sent":0,"delivered":0,"failed":0}' \
    '"optouts":{"in_period":0,"total":1}' '"average":null'
call GET '/report?from=2020-02-01&to=2020-01-01'
want 400 'before'

$TOOL report --from "$TODAY" --to "$TODAY" >"$WORK/report.txt" || fail "motcua report"
for line in "cases received $TODAY to $TODAY: 7 (feedback: 1)" \
    'by channel: sms 1 counter 5 import 1' \
    'resolved in the period: 3 (early 1, on time 1, late 1)' \
    'open at the end: 3 (within 2, overdue 1)' \
    'SMS: 4 received, 10 sent, 10 delivered, 0 failed' \
    'sent by kind: reply 4 notify 5 rating 1' \
    'opt-outs: 1 in the period, 1 in all' \
    'ratings: 1 (asked 1), average 5.00' \
    'ratings by score: 1: 0 2: 0 3: 0 4: 0 5: 1' \
    'reminders sent: 0'; do
	grep -qxF "$line" "$WORK/report.txt" || fail "report: no \"$line\" in: $(cat "$WORK/report.txt")"
done

$TOOL report --from "$TODAY" --to "$TODAY" --csv >"$WORK/report.csv" || fail "motcua report --csv"
[ "$(head -n 1 "$WORK/report.csv")" = section,key,value ] || fail "csv header: $(head -n 1 "$WORK/report.csv")"
awk -F, 'NF != 3 { exit 1 }' "$WORK/report.csv" || fail "csv: a row without 3 fields: $(cat "$WORK/report.csv")"
[ "$(cut -d, -f1,2 "$WORK/report.csv" | sort | uniq -d)" = "" ] || fail "csv: a figure twice"
# csv SECTION KEY: the value a spreadsheet would read.
csv() {
	awk -F, -v s="$1" -v k="$2" '$1 == s && $2 == k { print $3 }' "$WORK/report.csv"
}
for want in "period from $TODAY" 'received total 7' 'received feedback 1' \
    'channel counter 5' 'channel sms 1' 'channel import 1' 'channel ussd 0' \
    'resolved early 1' 'resolved on_time 1' 'resolved late 1' 'open within 2' \
    'open overdue 1' 'messages sent 10' 'messages delivered 10' \
    'sent_by_kind rating 1' 'optouts in_period 1' 'ratings count 1' \
    'ratings average 5.00' 'ratings 5 1' 'reminders sent 0' 'status rejected 1' \
    'received_timeliness overdue 1'; do
	set -- $want
	[ "$(csv "$1" "$2")" = "$3" ] || fail "csv $1,$2: $(csv "$1" "$2"), want $3"
done
out=$($TOOL report --from 2020-01-01 --to 2020-01-31 --csv) || fail "report --csv 2020"
grep -qx 'resolved,total,0' <<<"$out" && grep -qx 'ratings,average,' <<<"$out" ||
	fail "report --csv 2020: $out"

end_of_test
admin_down
echo "ok $NAME"
