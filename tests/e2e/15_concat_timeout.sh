#!/bin/bash
# A long message whose third part never comes: after 60 s the two parts
# that arrived are handled as one message (logged), exactly once.
. "$(dirname "$0")/lib.sh"
E2E_TIMEOUT=100

sim_script() {
	cat <<'S'
wait_bind 10
send_parts 0912000021 1,2/3 NOP HN Toi la Vo Thi Lan, sinh nam 1995, thuong tru tai thon Tay, xa Vinh Hoa. Toi xin cap giay xac nhan tinh trang hon nhan de bo sung ho so vay von ngan hang chinh sach xa hoi tai huyen. Xin tran trong cam on can bo.
expect_none 0912000021 50
expect 0912000021 30s Đã nhận yêu cầu Xác nhận tình trạng hôn nhân
wait 6
expect_total 1
S
}
e2e_run
grep -q 'msisdn=84912000021 parts of ref=[0-9]* missing after 60 s' "$WORK/motcuad.log" ||
	fail "the incomplete message was not logged"
[ "$(sql "select count(*) from cases")" = 1 ] || fail "want exactly one case"
[ "$(sql "select count(*) from inbound_part")" = 0 ] || fail "parts left behind"
