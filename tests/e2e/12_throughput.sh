#!/bin/bash
# throughput = 4 caps submit_sm at 4 a second on the link: 8 two-part
# replies (16 submit_sm) take at least 3 seconds from the first to the last.
. "$(dirname "$0")/lib.sh"
THROUGHPUT=4

sim_script() {
	echo "wait_bind 10"
	for i in 1 2 3 4 5 6 7 8; do echo "send 091200000$i HD"; done
	for i in 1 2 3 4 5 6 7 8; do echo "expect 091200000$i 15s Tra cứu hồ sơ"; done
	echo "expect_nodup"
}
e2e_run
span=$(sql "select max(sent_at) - min(created_at) from outbound")
[ "$span" -ge 2900 ] || fail "16 submit_sm at 4/s took only $span ms"
[ "$span" -le 8000 ] || fail "16 submit_sm at 4/s took $span ms: far below the cap"
