#!/bin/bash
# A broadcast to everyone whose case has a status goes through the same
# chunked expansion as a group: the dry run counts a number with two such
# cases once (the first case's code), and skips an opted-out number; the
# real one texts each number once, with its first case's code.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
OFFICE_EXTRA="quiet_hours ="	# broadcasts go whatever the hour

sim_script() {
	cat <<S
wait_bind 10
send 0912000004 TUCHOI
expect 0912000004 ^Đã ngừng gửi tin
expect 0912000001 30s ^Hồ sơ $(case_code 1) cần bổ sung\$
expect 0912000002 30s ^Hồ sơ $(case_code 3) cần bổ sung\$
expect_none 0912000004 1
expect 0912000099 60s ^end of test\$
expect_nodup
S
}
admin_up
for n in 0912000001 0912000001 0912000002 0912000003 0912000004; do
	call POST /cases "{\"procedure\": \"KS\", \"msisdn\": \"$n\"}"
	want 201
done
call PATCH "/cases/$(case_code 4)" '{"status": "processing"}'
want 200
for _ in $(seq 100); do
	[ "$(sql "select count(*) from optout where opted_out = 1")" = 1 ] && break
	sleep 0.05
done
call POST /broadcasts '{"to": {"cases_status": "received"}, "text": "Hồ sơ {{code}} cần bổ sung", "dry_run": true}'
want 200 '"total":4' '"recipients":2' '"skipped":2' "\"sample\":\"Hồ sơ $(case_code 1) cần bổ sung\""
call POST /broadcasts '{"to": {"cases_status": "received"}, "text": "Hồ sơ {{code}} cần bổ sung"}'
want 201 '"id":1' '"total":4'
for _ in $(seq 200); do
	call GET /broadcasts/1
	case $BODY in *'"state":"done"'*) break ;; esac
	sleep 0.05
done
want 200 '"state":"done"' '"total":4' '"sent":2' '"skipped":2'
call POST /broadcasts '{"to": {"cases_status": "nope"}, "text": "x"}'
want 400 'no case status named nope'
end_of_test
admin_down
echo "ok $NAME"
