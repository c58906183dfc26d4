#!/bin/bash
# A citizen who writes the same thing again is answered again, unless the
# SMSC may be redelivering a message whose deliver_sm_resp it never got:
#   1. HD, SIGTERM (unbind), start again, HD: answered twice;
#   2. HD, past the redelivery window, the SMSC drops the link, HD: answered;
#   3. the SMSC stops hearing the daemon (`deaf`) before a NOP request's
#      resp, then drops: the redelivered copy is no second action;
#   4. the same with kill -9 of the daemon in place of the drop;
#   5. HD, its resp proven read, kill -9, start again, HD: answered.
. "$(dirname "$0")/lib.sh"
E2E_TIMEOUT=120

# For the script's `exec`: stops the daemon as an operator does, then starts
# it again; waits for a number's message to be stored; waits until the
# SMSC's answer to a later request has proven that message's resp read.
write_helpers() {
	cat >"$WORK/graceful.sh" <<W
kill -TERM \$(cat "$WORK/motcuad.pid")
for i in \$(seq 300); do [ -s "$WORK/motcuad.rc" ] && break; sleep 0.05; done
[ "\$(cat "$WORK/motcuad.rc")" = 0 ] || exit 1
rm -f "$WORK/motcuad.pid"
echo "--- restart after SIGTERM" >>"$WORK/motcuad.log"
sh "$WORK/start.sh"
W
	cat >"$WORK/stored.sh" <<W
for i in \$(seq 300); do
	[ "\$(sqlite3 "$WORK/motcua.db" "select count(*) from inbound where msisdn = '\$1'")" -ge 1 ] && exit 0
	sleep 0.05
done
exit 1
W
	cat >"$WORK/proven.sh" <<W
for i in \$(seq 300); do
	[ "\$(sqlite3 "$WORK/motcua.db" "select (select max(proven_id) from smpp_session where how is null) >=
	    (select max(id) from inbound where msisdn = '\$1')")" = 1 ] && exit 0
	sleep 0.05
done
exit 1
W
}

sim_script() {
	cat <<S
wait_bind 10
send 0912000001 HD
expect 0912000001 Tra cứu hồ sơ
exec sh $WORK/graceful.sh
wait_bind 10
send 0912000001 HD
expect 0912000001 10s Tra cứu hồ sơ

send 0912000002 HD
expect 0912000002 Tra cứu hồ sơ
wait 6.5
drop
wait_bind 10
send 0912000002 HD
expect 0912000002 10s Tra cứu hồ sơ

deaf
send 0912000003 NOP KS Nguyen Van An sinh ngay 01/10/2025 con ong Binh
exec sh $WORK/stored.sh 84912000003
drop
wait_bind 10
expect 0912000003 10s MC\d{7}
wait_acked 10s

deaf
send 0912000004 NOP KS Tran Thi Cuc sinh ngay 02/10/2025 con ong Dung
exec sh $WORK/stored.sh 84912000004
exec sh $WORK/restart.sh
wait_bind 10
expect 0912000004 10s MC\d{7}
wait_acked 10s

send 0912000005 HD
expect 0912000005 Tra cứu hồ sơ
exec sh $WORK/proven.sh 84912000005
exec sh $WORK/restart.sh
wait_bind 10
send 0912000005 HD
expect 0912000005 10s Tra cứu hồ sơ
wait 1
expect_total 8
S
}

# count NUMBER WHAT: rows about 84NUMBER... in the daemon's database.
count() {
	case $2 in
	answered) sql "select count(*) from inbound where msisdn = '$1' and state = 'done'" ;;
	dup) sql "select count(*) from inbound where msisdn = '$1' and state = 'dup'" ;;
	replies) sql "select count(*) from outbound where msisdn = '$1'" ;;
	cases) sql "select count(*) from cases where msisdn = '$1'" ;;
	esac
}

write_helpers
e2e_run
for n in 84912000001 84912000002 84912000005; do
	[ "$(count $n answered)/$(count $n dup)/$(count $n replies)" = 2/0/2 ] ||
		fail "$n wrote twice and was not answered twice"
done
for n in 84912000003 84912000004; do
	[ "$(count $n answered)/$(count $n dup)/$(count $n replies)/$(count $n cases)" = 1/1/1/1 ] ||
		fail "$n: a redelivery acted on: $(count $n answered) handled, $(count $n dup) dup, $(count $n replies) replies, $(count $n cases) cases"
done
[ "$(sql "select count(*) from smpp_session where how = 'unbind'")" -ge 1 ] ||
	fail "the SIGTERM's unbind is not recorded as a clean end"
[ "$(sql "select count(*) from smpp_session where how = 'died'")" = 2 ] ||
	fail "the two kill -9 are not recorded"
grep -q 'possible redelivery' "$WORK/motcuad.log" || fail "no redelivery logged"
echo "ok $NAME: answered after a clean restart, a late drop and a proven kill; redeliveries not acted on"
