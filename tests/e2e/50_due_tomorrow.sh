#!/bin/bash
# Cases due tomorrow and not finished are flagged to staff, never texted:
# GET /cases/due and `motcua case due` list exactly those (not a ready one,
# a rejected one or one due later; --date picks another day); SIGUSR1's
# pass logs how many there are. With ask_rating off (the default) a case
# returned asks nothing, and a "4" from its number is help, not a rating.
# date-sensitive: also run at pinned dates (tests/run.sh)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
OFFICE_EXTRA="quiet_hours ="
C1=$(case_code 1) C2=$(case_code 2) C3=$(case_code 3) C4=$(case_code 4) C5=$(case_code 5)
TOMORROW=$(date -d tomorrow +%F)

sim_script() {
	cat <<S
wait_bind 10
expect 0912000024 30s ^Hồ sơ $C4: đã trả kết quả\.\s*\$
send 0912000024 4
expect 0912000024 30s ^Tra cứu hồ sơ: TC
expect 0912000099 30s ^end of test\$
expect_total 3
expect_nodup
S
}
admin_up

# run WANT-EXIT ARGS...: the tool's stdout in $OUT.
run() {
	local want=$1 rc=0
	shift
	$TOOL "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
	OUT=$(cat "$WORK/out")
	[ "$rc" = "$want" ] || fail "motcua $*: exit $rc, want $want: $OUT $(cat "$WORK/err")"
}

for c in "KS 0912000021 received $TOMORROW" "HN 0912000022 need_more $TOMORROW" \
    "KS 0912000023 processing 2099-01-01" "KS 0912000024 ready $TOMORROW" \
    "KS 0912000025 rejected $TOMORROW"; do
	set -- $c
	call POST /cases "{\"procedure\": \"$1\", \"msisdn\": \"$2\", \"status\": \"$3\", \"due\": \"$4\"}"
	want 201
done

call GET /cases/due
want 200 "\"code\":\"$C1\"" "\"code\":\"$C2\""
[ "$(grep -o '"code":' <<<"$BODY" | wc -l)" = 2 ] || fail "GET /cases/due: $BODY"
call GET /cases/due?date=2099-01-01
want 200 "\"code\":\"$C3\""
[ "$(grep -o '"code":' <<<"$BODY" | wc -l)" = 1 ] || fail "date=2099-01-01: $BODY"
call GET /cases/due?date=tomorrow
want 400 'date'
call GET /cases/due?days=1
want 400 'unknown parameter'
# The path still finds a case by its code, and /cases/due is no case.
call GET "/cases/$C1"
want 200 "\"code\":\"$C1\""

run 0 case due
[ "$(wc -l <<<"$OUT")" = 2 ] || fail "case due: $OUT"
grep -q "^$C1 .* due $TOMORROW " <<<"$OUT" && grep -q "^$C2 .*need_more" <<<"$OUT" ||
	fail "case due: $OUT"
run 0 --json case due --date 2099-01-01
grep -qE "^\[\{\"code\":\"$C3\".*\}\]$" <<<"$OUT" || fail "case due --json: $OUT"
run 0 case due --date 2099-01-02
[ "$OUT" = "no cases" ] || fail "case due --date 2099-01-02: $OUT"
run 2 case due --bogus

kill -USR1 "$(cat "$WORK/motcuad.pid")"
for _ in $(seq 100); do
	grep -q "reminders: 2 open case(s) due $TOMORROW" "$WORK/motcuad.log" && break
	sleep 0.05
done
grep -q "reminders: 2 open case(s) due $TOMORROW" "$WORK/motcuad.log" ||
	fail "SIGUSR1: no count of the cases due"

# ask_rating is off: returned, and no question.
call PATCH "/cases/$C4" '{"status": "returned"}'
want 200
for _ in $(seq 200); do
	[ "$(sql "select count(*) from outbound where msisdn = '84912000024'")" = 2 ] && break
	sleep 0.05
done
same "select count(*) from outbound where msisdn = '84912000024'" 2
same "select count(*) from cases where rating_asked_at is not null or rating is not null" 0
# Nobody whose case is due was texted.
same "select count(*) from outbound where msisdn in ('84912000021', '84912000022', '84912000023')" 0

end_of_test
admin_down
echo "ok $NAME"
