#!/bin/bash
# One number's personal data (issue 15): `motcua privacy export` shows all
# motcua holds about it (its case with the request, its messages both
# ways, the contact and its group, the opt-out), as JSON and as CSV; then
# `motcua privacy erase` removes it everywhere (messages, case fields,
# contact and groups, pending broadcast recipients, the inbox thread),
# while the opt-out stays in force, the report's figures for the period do
# not change, another citizen's data is untouched, and the audit log says
# who erased which number. The daemon's log never held the request text.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
C1=$(case_code 1)
N=84912000077 M=84912000078

sim_script() {
	cat <<S
wait_bind 10
send 0912000077 NOP KS Nguyen Van Bimat, sinh ngay 01/10/2025
expect 0912000077 mã hồ sơ $C1
send 0912000077 xin hoi may gio lam viec
expect 0912000077 .
send 0912000078 HD
expect 0912000078 Tra cứu
send 0912000077 TUCHOI
expect 0912000077 .
exec 60s while [ ! -f $WORK/done ]; do sleep 0.05; done
S
}
admin_up
until_sql() { for _ in $(seq 100); do [ "$(sql "$1")" = "$2" ] && return 0; sleep 0.1; done
	fail "$1: $(sql "$1"), want $2"; }
until_sql "select count(*) from optout where msisdn = '$N' and opted_out = 1" 1
call POST /contacts "{\"msisdn\": \"$N\", \"name\": \"Nguyễn Văn Bimat\", \"groups\": [\"thôn 3\"]}"
want 201
call POST /contacts "{\"msisdn\": \"$M\", \"name\": \"Lê Thị Khác\", \"groups\": [\"thôn 3\"]}"
want 201
# (N has opted out: its recipient row is a skipped one, still with the number.)
call POST /broadcasts "{\"to\": {\"msisdns\": [\"$N\", \"$M\"]}, \"text\": \"Họp thôn\", \"at\": \"$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)\"}"
want 201
day=$(date +%F)
call GET "/report?from=$day&to=$day"
want 200
report_before=$BODY

out=$($TOOL privacy export 0912000077 2>&1) || fail "privacy export: $out"
for want in "$N: contact Nguyễn Văn Bimat, opted out" "case $C1" "NOP KS Nguyen Van Bimat" "xin hoi may gio lam viec"; do
	case $out in *"$want"*) ;; *) fail "export lacks \"$want\": $out" ;; esac
done
csv=$($TOOL privacy export --csv +84912000077 2>&1) || fail "privacy export --csv: $csv"
[ "$(echo "$csv" | head -n 1)" = "section,at,what,text" ] || fail "csv header: $csv"
echo "$csv" | grep -q "^case,.*,$C1,.*Bimat" || fail "csv: no case row: $csv"
[ "$(echo "$csv" | grep -c '^message,')" -ge 6 ] || fail "csv: messages: $csv"
call GET "/privacy/$N"
want 200 '"opted_out":true' '"groups":["thôn 3"]' "\"code\":\"$C1\""

out=$($TOOL privacy erase 0912000077 2>&1) || fail "privacy erase: $out"
echo "$out"
case $out in "$N erased: "*" messages in, "*" cases, 1 contact, 0 pending broadcast recipients; the opt-out is kept") ;;
*) fail "erase said: $out" ;; esac
for t in inbound outbound cases contacts contact_groups broadcast_recipients inbox lookup_fail inbound_part; do
	[ "$(sql "select count(*) from $t where msisdn = '$N'")" = 0 ] || fail "$t still holds $N"
done
[ "$(sql "select count(*) from inbound where text like '%Bimat%'") $(sql "select count(*) from cases where request like '%Bimat%' or name like '%Bimat%'")" = "0 0" ] ||
	fail "the name is still in messages or cases"
[ "$(sql "select opted_out from optout where msisdn = '$N'")" = 1 ] || fail "the opt-out went with the erasure"
[ "$(sql "select count(*) from cases where code = '$C1' and procedure = 'KS'")" = 1 ] || fail "the case's non-personal fields went"
[ "$(sql "select count(*) from inbound where msisdn = '$M'")" = 1 ] &&
[ "$(sql "select count(*) from contacts where msisdn = '$M'")" = 1 ] || fail "another citizen's data changed"
call GET "/report?from=$day&to=$day"
want 200
[ "$BODY" = "$report_before" ] || fail "the report changed: $report_before -> $BODY"
call GET /audit
want 200 "\"summary\":\"erased $N\""
call GET "/privacy/$N"
want 200 '"contact":null' '"cases":[]' '"opted_out":true'
grep -qi 'bimat' "$WORK/motcuad.log" && fail "the request text is in the log"
touch "$WORK/done"
admin_down
echo "ok $NAME"
