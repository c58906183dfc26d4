#!/bin/bash
# A slow SMSC: every submit_sm_resp comes 1.5 s late, past the daemon's
# 1 s response timeout. The daemon retries, never has more than its window
# (4) unanswered, and every reply arrives; once the SMSC is fast again each
# is recorded as sent (the copies sent twice are the price of a timeout).
. "$(dirname "$0")/lib.sh"
RESPONSE_TIMEOUT=1
WINDOW=4
E2E_TIMEOUT=90

sim_script() {
	echo "wait_bind 10"
	echo "delay 1500"
	for i in $(seq 10 19); do echo "send 09150000$i HD"; done
	for i in $(seq 10 19); do echo "expect 09150000$i 40s Tra cứu hồ sơ"; done
	echo "expect_window_max 4"
	echo "delay 0"
	echo "exec sh $WORK/wait_sent.sh"
}
cat >"$WORK/wait_sent.sh" <<W
for i in \$(seq 300); do
	[ "\$(sqlite3 "$WORK/motcua.db" "select count(*) from outbound where state = 'sent'")" = 10 ] && exit 0
	sleep 0.1
done
exit 1
W
e2e_run
grep -q 'submit_sm seq=[0-9]* not answered in 1 s: will retry' "$WORK/motcuad.log" ||
	fail "no response timeout seen"
[ "$(sql "select count(*) from outbound where state = 'sent'")" = 10 ] ||
	fail "not every reply marked sent: $(sql "select state, count(*) from outbound group by 1")"
