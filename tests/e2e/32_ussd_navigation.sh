#!/bin/bash
# Moving through the USSD menu: a wrong answer shows the same screen again
# under the hint; 0 goes back one screen at a time (and is a wrong answer
# on the first); a new dial in the middle of a session starts over with
# nothing remembered; 3 and 4 end with the schedule and the help; a dial
# with answers in it (*8077*2*1#) goes straight there, stopping at a wrong
# one.
. "$(dirname "$0")/lib.sh"
MAIN='Bo phan mot cua UBND xa\n1 Tra cuu ho so\n2 Nop yeu cau\n3 Lich tiep dan\n4 Huong dan$'
HINT='^Lua chon khong hop le\.\n'

sim_script() {
	cat <<S
wait_bind 10
ussd 0912000001 *8077#
expect_ussd 0912000001 ^$MAIN
ussd 0912000001 7
expect_ussd 0912000001 $HINT$MAIN
ussd 0912000001 0
expect_ussd 0912000001 $HINT$MAIN
ussd 0912000001 hai
expect_ussd 0912000001 $HINT$MAIN
ussd 0912000001 2
expect_ussd 0912000001 ^Chon thu tuc:\n1 Dang ky khai sinh
ussd 0912000001 6
expect_ussd 0912000001 ${HINT}Chon thu tuc:\n1 Dang ky khai sinh\n[^0]*\n0 Quay lai\$
ussd 0912000001 2
expect_ussd 0912000001 ^Dang ky khai tu\nNhap noi dung yeu cau
ussd 0912000001 0
expect_ussd 0912000001 ^Chon thu tuc:\n1 Dang ky khai sinh
ussd 0912000001 0
expect_ussd 0912000001 ^$MAIN
ussd 0912000001 1
expect_ussd 0912000001 ^Nhap ma ho so
ussd 0912000001 0
expect_ussd 0912000001 ^$MAIN
ussd 0912000001 3
expect_ussd_end 0912000001 ^Tiep cong dan tai Bo phan mot cua: thu Hai den thu Sau 7h30-11h30 va 13h30-17h00, sang thu Bay 7h30-11h30\.\$
ussd 0912000002 *8077#
expect_ussd 0912000002 ^$MAIN
ussd 0912000002 2
expect_ussd 0912000002 ^Chon thu tuc
ussd 0912000002 *8077#
expect_ussd 0912000002 ^$MAIN
ussd 0912000002 1
expect_ussd 0912000002 ^Nhap ma ho so
ussd 0912000002 0
expect_ussd 0912000002 ^$MAIN
ussd 0912000002 0
expect_ussd 0912000002 $HINT$MAIN
ussd 0912000002 4
expect_ussd_end 0912000002 ^Tra cuu: chon 1, nhap ma tren giay hen\.\nNop yeu cau: chon 2, chon thu tuc, nhap noi dung\.\n
ussd 0912000003 *8077*3#
expect_ussd_end 0912000003 ^Tiep cong dan tai Bo phan mot cua
ussd 0912000003 *8077*2*1#
expect_ussd 0912000003 ^Dang ky khai sinh\nNhap noi dung yeu cau
ussd 0912000003 0
expect_ussd 0912000003 ^Chon thu tuc:\n1 Dang ky khai sinh
ussd 0912000003 *8077*7*1#
expect_ussd 0912000003 $HINT$MAIN
ussd 0912000003 *8077*2#
expect_ussd 0912000003 ^Chon thu tuc
expect_total 24
S
}
e2e_run
[ "$(sql "select count(*) from cases")" = 0 ] || fail "navigation made a case"
[ "$(sql "select count(*) from outbound where kind <> 'ussd'")" = 0 ] ||
	fail "an SMS without a case"
