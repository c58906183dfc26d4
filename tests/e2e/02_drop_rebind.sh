#!/bin/bash
# The SMSC drops the link while replies are queued (held back by throttling,
# then lost with the connection): after the rebind every reply is delivered,
# exactly once.
. "$(dirname "$0")/lib.sh"

sim_script() {
	cat <<'S'
wait_bind 10
throttle 100
send 0912000001 HD
send 0912000002 HD
send 0912000003 asdfgh qwerty
wait_acked 5s
wait 0.5
drop
throttle 0
wait_bind 10
expect 0912000001 10s Tra cứu hồ sơ
expect 0912000002 10s Tra cứu hồ sơ
expect 0912000003 10s chưa đúng cú pháp
wait 1
expect_total 3
expect_nodup
S
}
e2e_run
[ "$(sql "select count(*) from outbound where state = 'sent'")" = 3 ] ||
	fail "not every reply is marked sent"
