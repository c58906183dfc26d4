#!/bin/bash
# USSD request: *8077# -> 2 -> a procedure from procedures.list -> the
# request typed -> 1 (agree) makes a case with channel "ussd", ends with
# its code and sends one SMS receipt; 2 (cancel) makes nothing. The same
# request confirmed again within a day finds the same case (and says so
# again).
# date-sensitive: also run at pinned dates (tests/run.sh)
. "$(dirname "$0")/lib.sh"
C1=$(case_code 1)
REQ="Tran Thi Cuc, sinh nam 1990, thon Dong, xin xac nhan de dang ky ket hon"

sim_script() {
	cat <<S
wait_bind 10
ussd 0912000001 *8077#
expect_ussd 0912000001 ^Bo phan mot cua
ussd 0912000001 2
expect_ussd 0912000001 ^Chon thu tuc:\n1 Dang ky khai sinh\n2 Dang ky khai tu\n3 Xac nhan tinh trang hon nhan\n4 Cap ban sao trich luc ho tich\n5 Chung thuc ban sao tu ban chinh\n0 Quay lai\$
ussd 0912000001 3
expect_ussd 0912000001 ^Xac nhan tinh trang hon nhan\nNhap noi dung yeu cau \(ho ten, ngay sinh\.\.\.\):\n0 Quay lai\$
ussd 0912000001 $REQ
expect_ussd 0912000001 ^Gui yeu cau Xac nhan tinh trang hon nhan:\n"Tran Thi Cuc, sinh nam 1990, thon Dong,\.\.\."\n1 Dong y\n2 Huy\n0 Quay lai\$
ussd 0912000001 1
expect_ussd_end 0912000001 ^Da nhan yeu cau Xac nhan tinh trang hon nhan, ma ho so $C1, hen tra [0-9/]+\. Tra cuu: TC $C1\$
expect 0912000001 ^Hồ sơ $C1: đã tiếp nhận\. Tra cứu: TC $C1\$
ussd 0912000002 *8077#
expect_ussd 0912000002 ^Bo phan
ussd 0912000002 2
expect_ussd 0912000002 ^Chon thu tuc
ussd 0912000002 1
expect_ussd 0912000002 ^Dang ky khai sinh\n
ussd 0912000002 Nguyen Van An
expect_ussd 0912000002 "Nguyen Van An"
ussd 0912000002 2
expect_ussd_end 0912000002 ^Da huy, khong gui yeu cau nao\.\$
expect_none 0912000002 1
ussd 0912000001 *8077#
expect_ussd 0912000001 ^Bo phan
ussd 0912000001 2
expect_ussd 0912000001 ^Chon thu tuc
ussd 0912000001 3
expect_ussd 0912000001 ^Xac nhan
ussd 0912000001 $REQ
expect_ussd 0912000001 ^Gui yeu cau
ussd 0912000001 1
expect_ussd_end 0912000001 ma ho so $C1,
expect 0912000001 ^Hồ sơ $C1: đã tiếp nhận
S
}
e2e_run
row=$(sql "select kind, procedure, msisdn, channel, request, status from cases")
[ "$row" = "case|HN|84912000001|ussd|$REQ|2" ] || fail "the case as stored: $row"
[ "$(sql "select count(*) from cases")" = 1 ] || fail "cancel or resend made a case"
[ "$(sql "select count(*) from outbound where msisdn = '84912000002' and
    kind <> 'ussd'")" = 0 ] || fail "a receipt after cancel"
