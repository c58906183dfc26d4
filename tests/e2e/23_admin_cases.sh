#!/bin/bash
# Cases through the admin API: made at the counter (a new code, the due
# date from the procedure, every spelling of the number) or imported (any
# code format, 409 when it exists in any spelling); found ignoring case,
# dots, dashes and spaces; PATCH records the change with its actor and
# texts the citizen exactly once with the note; bad input is 400 and
# changes nothing; listing by status; timeliness once ready.
# date-sensitive: also run at pinned dates (tests/run.sh)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
C1=$(case_code 1) C2=$(case_code 2)
NATIONAL=000.00.20.H12-230609-0001

sim_script() {
	cat <<S
wait_bind 10
expect 0912000001 30s ^Hồ sơ $C1: đã tiếp nhận\.
expect 0912000002 30s ^Hồ sơ $C2: cần bổ sung giấy tờ\. Mang theo CCCD bản chính\$
expect 0912000003 30s ^Hồ sơ $NATIONAL: đã có kết quả
expect 0912000099 30s ^end of test\$
expect_total 4
expect_nodup
S
}
admin_up
TIME='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}'

# At the counter, with notify: the citizen gets status_changed.
call POST /cases '{"procedure": "ks", "msisdn": "0912000001", "name": "Nguyễn Văn A", "notify": true}'
want 201 "\"code\":\"$C1\"" '"procedure":"KS"' '"msisdn":"84912000001"' \
    '"name":"Nguyễn Văn A"' '"status":"received"' '"channel":"counter"' \
    "\"due\":\"$(workdays 1)\"" '"finished_at":null' '"timeliness":"within"' \
    '"history":[{"at":"' '"status":"received","note":"","actor":"counter"}]'
grep -qE "\"received_at\":\"$TIME\"" <<<"$BODY" || fail "received_at: $BODY"
# Without notify: no text. 0084… is the same number as 0…, +84…, 84….
call POST /cases '{"procedure": "HN", "msisdn": "0084912000002"}'
want 201 "\"code\":\"$C2\"" '"msisdn":"84912000002"' "\"due\":\"$(workdays 3)\""
# An import: the code kept as given, due and status from the request.
call POST /cases "{\"code\": \"$NATIONAL\", \"procedure\": \"HN\", \"msisdn\": \"+84912000003\", \"due\": \"2030-01-15\", \"status\": \"processing\"}"
want 201 "\"code\":\"$NATIONAL\"" '"channel":"import"' '"due":"2030-01-15"' \
    '"status":"processing"' '"actor":"import"'
call POST /cases '{"code": "0000020h12 230609/0001", "procedure": "KS", "msisdn": "0912000004"}'
want_exact 409 '{"error":"a case with this code exists"}'
same "select count(*) from cases" 3

# Bad requests: 400, nothing kept.
bad() {
	call POST /cases "$1"
	want 400 "$2"
}
bad '{"procedure": "XX", "msisdn": "0912000005"}' 'unknown procedure \"XX\"'
bad '{"procedure": "KS", "msisdn": "12345"}' '\"msisdn\": too short'
bad '{"procedure": "KS", "msisdn": "0912000005", "status": "done"}' 'invalid status \"done\"'
bad '{"procedure": "KS", "msisdn": "0912000005", "due": "2025-02-30"}' '"due\" must be a date'
bad '{"procedure": "KS"}' 'missing field \"msisdn\"'
bad '{"procedure": "KS", "msisdn": "0912000005", "notify": "yes"}' 'true or false'
bad '{"procedure": "KS", "msisdn": 912000005}' 'must be a string'
bad '{"code": "MC2500429", "procedure": "KS", "msisdn": "0912000005"}' "own codes"
same "select count(*) from cases" 3
same "select count(*) from case_seq" 1

# Any spelling of a code finds it.
call GET /cases/000-00-20-h12.230609.0001
want 200 "\"code\":\"$NATIONAL\""
call GET "/cases/${C1,,}"
want 200 "\"code\":\"$C1\""
call GET "/cases/${C1:0:2}%20${C1:2:3}-${C1:5}"
want 200 "\"code\":\"$C1\""
call GET /cases/MC9999999
want_exact 404 '{"error":"no such case"}'

# PATCH: recorded with its actor, the citizen texted once with the note.
call PATCH "/cases/$C2" '{"status": "need_more", "note": "Mang theo CCCD bản chính"}' -H 'X-Actor: lan'
want 200 '"status":"need_more"' \
    '"status":"need_more","note":"Mang theo CCCD bản chính","actor":"lan"}]'
same "select count(*) from outbound where msisdn = '84912000002'" 1
same "select text like '%Mang theo CCCD bản chính' from outbound where msisdn = '84912000002'" 1
# Refused patches change nothing and text nobody.
call PATCH "/cases/$C2" '{"status": "finished"}'
want 400 'invalid status'
call PATCH "/cases/$C2" '{"note": "x"}'
want 400 'missing field \"status\"'
call PATCH "/cases/$C2" '{"status": "ready", "due": "soon"}'
want 400 'due'
call PATCH /cases/MC9999999 '{"status": "ready"}'
want 404
call PATCH "/cases/$C2" '{"status": "ready"}' -H "X-Actor: $(printf '%070d' 0)"
want 400 X-Actor
same "select count(*) from case_history h join cases c on c.id = h.case_id where c.code = '$C2'" 2
same "select status from cases where code = '$C2'" 5
same "select count(*) from outbound" 2

# Ready before the due date: early, finished_at set, actor "api".
call PATCH "/cases/$NATIONAL" '{"status": "ready"}'
want 200 '"status":"ready"' '"timeliness":"early"' '"actor":"api"'
grep -qE "\"finished_at\":\"$TIME\"" <<<"$BODY" || fail "finished_at: $BODY"

# A store failure halfway (the history row refused, after the case row or
# the status change were written): 500, and nothing of it kept.
sql "create trigger boom before insert on case_history
	when new.note = 'boom' or (select code from cases where id = new.case_id) = 'BOOM-1'
	begin select raise(abort, 'injected'); end"
call PATCH "/cases/$C2" '{"status": "ready", "note": "boom"}'
want_exact 500 '{"error":"store failure: nothing was changed"}'
same "select status from cases where code = '$C2'" 5
call POST /cases '{"code": "BOOM-1", "procedure": "KS", "msisdn": "0912000004", "notify": true}'
want 500
same "select count(*) from cases" 3
same "select count(*) from outbound" 3
sql "drop trigger boom"

# Listing: by status, newest first, limited; bad parameters are 400.
call GET '/cases?status=need_more'
want 200
[ "$(grep -o '"code":' <<<"$BODY" | wc -l)" = 1 ] && want 200 "\"code\":\"$C2\"" ||
	fail "status=need_more: $BODY"
call GET '/cases?limit=2'
want 200 "{\"cases\":[{\"code\":\"$NATIONAL\""
[ "$(grep -o '"code":' <<<"$BODY" | wc -l)" = 2 ] || fail "limit=2: $BODY"
call GET '/cases?status=bogus'
want 400
call GET '/cases?limit=0'
want 400
call GET '/cases?sort=code'
want 400 'unknown parameter'

# The procedures, as the office's list has them.
call GET /procedures
want 200 '{"code":"KS","name":"Đăng ký khai sinh","fee":' '"days":1,'
[ "$(grep -o '"code":' <<<"$BODY" | wc -l)" = 5 ] || fail "procedures: $BODY"

# The report counts what was made.
call GET /report
want 200 '"total":3' '"received":1' '"need_more":1' '"ready":1' '"counter":2' '"import":1'

end_of_test
admin_down
echo "ok $NAME"
