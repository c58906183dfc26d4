#!/bin/bash
# ESME_RTHROTTLED and ESME_RMSGQFUL: the message waits and is retried, is
# not lost and not sent twice; a permanent error marks it failed with the
# SMSC's status.
. "$(dirname "$0")/lib.sh"

sim_script() {
	cat <<'S'
wait_bind 10
throttle 2
send 0912000001 HD
expect 0912000001 10s Tra cứu hồ sơ
qfull 1
send 0912000002 HD
expect 0912000002 10s Tra cứu hồ sơ
fail 1 0x0B
send 0912000003 HD
wait 1.5
expect_nodup
S
}
e2e_run
[ "$(sql "select state || ' ' || status from outbound where msisdn = '84912000003'")" = "failed 11" ] ||
	fail "permanent error not recorded: $(sql "select * from outbound")"
[ "$(sql "select count(*) from outbound where state = 'sent'")" = 2 ] ||
	fail "throttled replies not marked sent"
grep -q 'throttled status=0x58' "$WORK/motcuad.log" || fail "throttling not logged"
