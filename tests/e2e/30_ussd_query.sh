#!/bin/bash
# USSD look-up: a case made by SMS, then *8077# -> 1 -> its code (typed with
# a dash) ends with the status screen and one SMS receipt; a code that is
# not found ends without a receipt. Each screen echoes its_session_info,
# continues with op 2 and ends with op 17 and the end bit.
. "$(dirname "$0")/lib.sh"
C1=$(case_code 1)

sim_script() {
	cat <<S
wait_bind 10
send 0912000001 NOP KS Nguyen Van An, sinh ngay 01/10/2025
expect 0912000001 mã hồ sơ $C1
ussd 0912000002 *8077#
expect_ussd 0912000002 ^Bo phan mot cua UBND xa\n1 Tra cuu ho so\n2 Nop yeu cau\n3 Lich tiep dan\n4 Huong dan\$
ussd 0912000002 1
expect_ussd 0912000002 ^Nhap ma ho so \(in tren giay hen tra ket qua\):\n0 Quay lai\$
ussd 0912000002 ${C1:0:2}-${C1:2}
expect_ussd_end 0912000002 ^Ho so $C1 \(Dang ky khai sinh\): da tiep nhan, hen tra [0-9/]+, trong han\.\$
expect 0912000002 ^Hồ sơ $C1: đã tiếp nhận\. Tra cứu: TC $C1\$
ussd 0912000003 *8077#
expect_ussd 0912000003 ^Bo phan mot cua
ussd 0912000003 1
expect_ussd 0912000003 ^Nhap ma ho so
ussd 0912000003 MC9999
expect_ussd_end 0912000003 ^Khong tim thay ho so MC9999\.
expect_none 0912000003 1
expect_nodup
S
}
e2e_run
# The first session (the simulator's number 1): 0x0100 | sequence << 1,
# echoed, and the end bit on the last screen.
got=$(sql "select group_concat(ussd_op || ':' || its_session, ' ') from
    (select * from outbound where msisdn = '84912000002' and kind = 'ussd'
    order by id)")
[ "$got" = "2:256 2:258 17:261" ] || fail "ops and its_session echoed: $got"
[ "$(sql "select count(*) from outbound where msisdn = '84912000002' and
    kind <> 'ussd'")" = 1 ] || fail "want exactly one SMS receipt"
[ "$(sql "select count(*) from outbound where msisdn = '84912000003' and
    kind <> 'ussd'")" = 0 ] || fail "a receipt for a case not found"
[ "$(sql "select count(*) from cases")" = 1 ] || fail "a look-up made a case"
grep -q 'msisdn=84912000002 in=[0-9]* ussd action=status case='"$C1" \
    "$WORK/motcuad.log" || fail "look-up not logged"
