#!/bin/bash
# Two phones in the menu at once, their answers interleaved: each session
# keeps its own screen and answers; one looks a case up while the other
# makes one, and each gets its own receipt.
. "$(dirname "$0")/lib.sh"
C1=$(case_code 1) C2=$(case_code 2)

sim_script() {
	cat <<S
wait_bind 10
send 0912000009 NOP KT Nguyen Van Tu, mat ngay 02/10/2025
expect 0912000009 mã hồ sơ $C1
ussd 0912000001 *8077#
ussd 0912000002 *8077#
expect_ussd 0912000001 ^Bo phan mot cua
expect_ussd 0912000002 ^Bo phan mot cua
ussd 0912000001 1
ussd 0912000002 2
expect_ussd 0912000001 ^Nhap ma ho so
expect_ussd 0912000002 ^Chon thu tuc
ussd 0912000002 1
ussd 0912000001 $C1
expect_ussd 0912000002 ^Dang ky khai sinh\nNhap noi dung
expect_ussd_end 0912000001 ^Ho so $C1 \(Dang ky khai tu\): da tiep nhan
ussd 0912000002 Le Thi Hoa, sinh ngay 03/10/2025
ussd 0912000001 *8077#
expect_ussd 0912000002 ^Gui yeu cau Dang ky khai sinh:\n"Le Thi Hoa, sinh ngay 03/10/2025"
expect_ussd 0912000001 ^Bo phan mot cua
ussd 0912000002 1
ussd 0912000001 3
expect_ussd_end 0912000002 ma ho so $C2,
expect_ussd_end 0912000001 ^Tiep cong dan
expect 0912000002 ^Hồ sơ $C2: đã tiếp nhận
expect 0912000001 ^Hồ sơ $C1: đã tiếp nhận
expect_none 0912000001 1
S
}
e2e_run
row=$(sql "select msisdn, procedure, channel, request from cases where code = '$C2'")
[ "$row" = "84912000002|KS|ussd|Le Thi Hoa, sinh ngay 03/10/2025" ] ||
	fail "the USSD case: $row"
[ "$(sql "select msisdn || ' ' || channel from cases where code = '$C1'")" = \
    "84912000009 sms" ] || fail "the looked-up case changed"
