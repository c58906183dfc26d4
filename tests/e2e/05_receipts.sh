#!/bin/bash
# Delivery receipts (ids in hex in submit_sm_resp, decimal in the receipt
# text) are recorded against their message and never read as commands.
. "$(dirname "$0")/lib.sh"
SIM_ARGS="-d"

sim_script() {
	cat <<'S'
wait_bind 10
send 0912000001 HD
expect 0912000001 Tra cứu hồ sơ
send 0912000002 asdfgh qwerty
expect 0912000002 chưa đúng cú pháp
expect_none 0912000001 1.5
expect_total 2
S
}
e2e_run
[ "$(sql "select count(*) from dlr where outbound_id is not null")" -ge 4 ] ||
	fail "receipts not matched: $(sql "select * from dlr")"
[ "$(sql "select group_concat(state) from outbound")" = "delivered,delivered" ] ||
	fail "messages not marked delivered: $(sql "select id, state from outbound")"
[ "$(sql "select count(*) from inbound")" = 2 ] || fail "a receipt was stored as a message"
