#!/bin/bash
# [ussd] timeout: each answer gives the session the full timeout again; a
# session silent for longer is dropped, the phone's late answer gets the
# "expired" screen (no look-up, no receipt), and dialling again starts a
# clean session that works.
. "$(dirname "$0")/lib.sh"
OFFICE_EXTRA=$'\n[ussd]\ntimeout = 5'
C1=$(case_code 1)

sim_script() {
	cat <<S
wait_bind 10
send 0912000009 NOP KS Nguyen Van An, sinh ngay 01/10/2025
expect 0912000009 mã hồ sơ $C1
ussd 0912000001 *8077#
expect_ussd 0912000001 ^Bo phan mot cua
wait 3
ussd 0912000001 1
expect_ussd 0912000001 ^Nhap ma ho so
wait 3
ussd 0912000001 $C1
expect_ussd_end 0912000001 ^Ho so $C1 \(Dang ky khai sinh\)
expect 0912000001 ^Hồ sơ $C1: đã tiếp nhận
ussd 0912000001 *8077#
expect_ussd 0912000001 ^Bo phan mot cua
ussd 0912000001 1
expect_ussd 0912000001 ^Nhap ma ho so
wait 6.5
ussd 0912000001 $C1
expect_ussd_end 0912000001 ^Phien lam viec da ket thuc\. Vui long bam lai \*8077#\.\$
expect_none 0912000001 1
ussd 0912000001 *8077#
expect_ussd 0912000001 ^Bo phan mot cua UBND xa\n1 Tra cuu ho so
ussd 0912000001 1
expect_ussd 0912000001 ^Nhap ma ho so
ussd 0912000001 $C1
expect_ussd_end 0912000001 ^Ho so $C1 \(Dang ky khai sinh\)
expect 0912000001 ^Hồ sơ $C1: đã tiếp nhận
S
}
e2e_run
[ "$(grep -c 'msisdn=84912000001 ussd session timed out after 5 s on screen=lookup: dropped' \
    "$WORK/motcuad.log")" = 1 ] || fail "want one time-out, logged"
grep -q 'msisdn=84912000001 in=[0-9]* ussd answer without a session: expired' \
    "$WORK/motcuad.log" || fail "late answer not logged"
[ "$(sql "select count(*) from outbound where kind = 'ussd' and
    text like '%$C1 (%'")" = 2 ] || fail "want two look-ups, not the late one"
