#!/bin/bash
# Satisfaction, with ask_rating = yes: a case PATCHed to returned asks its
# citizen once (returned again: no second question); "4" from that number
# is recorded on the case and answered with thanks, and a second digit is
# help (one rating per question); "4" from a number with no rating due is
# help and records nothing; an opted-out number is not asked; a question
# older than 7 days is not answered by a digit; the report counts it all.
# date-sensitive: also run at pinned dates (tests/run.sh)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
OFFICE_EXTRA="ask_rating = yes
quiet_hours ="
C1=$(case_code 1) C2=$(case_code 2) C3=$(case_code 3)

sim_script() {
	cat <<S
wait_bind 10
send 0912000002 4
expect 0912000002 30s ^Tra cứu hồ sơ: TC
send 0912000003 TUCHOI
expect 0912000003 30s Đã ngừng gửi tin
expect 0912000001 30s ^Hồ sơ $C1: đã trả kết quả\.\s*\$
expect 0912000001 30s ^Mời ông/bà đánh giá việc giải quyết hồ sơ $C1:
send 0912000001 4
expect 0912000001 30s ^Cảm ơn ông/bà đã đánh giá hồ sơ $C1\.
send 0912000001 5
expect 0912000001 30s ^Tra cứu hồ sơ: TC
expect 0912000001 30s ^Hồ sơ $C1: đã trả kết quả\. lần 2\$
expect 0912000003 30s ^Hồ sơ $C3: đã trả kết quả
expect 0912000004 30s ^Hồ sơ $C2: đã trả kết quả
expect 0912000004 30s ^Mời ông/bà đánh giá việc giải quyết hồ sơ $C2:
exec sh $WORK/wait_old.sh
send 0912000004 5
expect 0912000004 30s ^Tra cứu hồ sơ: TC
expect 0912000099 30s ^end of test\$
expect_total 12
expect_nodup
S
}
cat >"$WORK/wait_old.sh" <<W
for i in \$(seq 300); do [ -f "$WORK/old" ] && exit 0; sleep 0.05; done
exit 1
W
admin_up

# poll QUERY VALUE: waits (up to 10 s) until the database says VALUE.
poll() {
	for _ in $(seq 200); do
		[ "$(sql "$1" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.05
	done
	same "$1" "$2"
}

for n in 1 4 3; do
	call POST /cases "{\"procedure\": \"KS\", \"msisdn\": \"091200000$n\"}"
	want 201
done
poll "select count(*) from optout where opted_out = 1" 1

call PATCH "/cases/$C1" '{"status": "returned"}'
want 200 '"status":"returned"'
same "select rating_asked_at is not null from cases where code = '$C1'" 1
poll "select rating from cases where code = '$C1'" 4
same "select rated_at is not null from cases where code = '$C1'" 1
call GET "/cases/$C1"
want 200 '"rating":4'
# Returned again (a correction, a note): not asked a second time.
call PATCH "/cases/$C1" '{"status": "returned", "note": "lần 2"}'
want 200
same "select count(*) from outbound where kind = 'rating' and msisdn = '84912000001'" 1

# Opted out: the status change goes, the question does not.
call PATCH "/cases/$C3" '{"status": "returned"}'
want 200
same "select rating_asked_at is null from cases where code = '$C3'" 1

# A question eight days old: the digit is no longer an answer.
call PATCH "/cases/$C2" '{"status": "returned"}'
want 200
sql "update cases set rating_asked_at = rating_asked_at - 8 * 86400000 where code = '$C2'"
touch "$WORK/old"
poll "select count(*) from outbound where msisdn = '84912000004'" 3
same "select rating is null from cases where code = '$C2'" 1
call GET "/cases/$C2"
want 200 '"rating":null'
# Only the one rating: neither the "4" without a question nor the late "5".
same "select count(*) from cases where rating is not null" 1
same "select count(*) from cases where rating_asked_at is not null" 2

# The period is given: the question asked eight days ago is in it on any
# day of the month (the default period, this month, would drop it on the
# 1st to the 8th).
FROM=$(date -d '-8 day' +%F) TO=$(date +%F)
call GET "/report?from=$FROM&to=$TO"
want 200 '"ratings":{"asked":2,"count":1,"average":4.0,"1":0,"2":0,"3":0,"4":1,"5":0}'
$TOOL report --from "$FROM" --to "$TO" >"$WORK/report.txt" || fail "motcua report"
grep -q '^ratings: 1 (asked 2), average 4.00$' "$WORK/report.txt" ||
	fail "report: $(cat "$WORK/report.txt")"

end_of_test
admin_down
echo "ok $NAME"
