#!/bin/bash
# The network ends a session (its_session_info with the end bit, as an SMSC
# says the phone hung up): nothing is sent back, the session is gone (the
# phone's next answer gets "expired"), and another phone's session goes on.
. "$(dirname "$0")/lib.sh"
C1=$(case_code 1)

sim_script() {
	cat <<S
wait_bind 10
send 0912000009 NOP KS Nguyen Van An, sinh ngay 01/10/2025
expect 0912000009 mã hồ sơ $C1
ussd 0912000001 *8077#
expect_ussd 0912000001 ^Bo phan mot cua
ussd 0912000002 *8077#
expect_ussd 0912000002 ^Bo phan mot cua
ussd 0912000001 1
expect_ussd 0912000001 ^Nhap ma ho so
ussd 0912000002 1
expect_ussd 0912000002 ^Nhap ma ho so
send_raw $(ussd_pdu 84912000001 18 $((0x0100 | 2 << 1 | 1)))
expect_none 0912000001 1
ussd 0912000001 $C1
expect_ussd_end 0912000001 ^Phien lam viec da ket thuc
ussd 0912000002 $C1
expect_ussd_end 0912000002 ^Ho so $C1 \(Dang ky khai sinh\)
expect 0912000002 ^Hồ sơ $C1: đã tiếp nhận
send_raw $(ussd_pdu 84912000003 18 $((0x0500 | 1)))
expect_none 0912000003 1
S
}
e2e_run
grep -q 'msisdn=84912000001 in=[0-9]* ussd session aborted by the network (op=18 its=261)$' \
    "$WORK/motcuad.log" || fail "abort not logged"
grep -q 'msisdn=84912000003 in=[0-9]* ussd session aborted by the network (op=18 its=1281): none open' \
    "$WORK/motcuad.log" || fail "abort without a session not logged"
[ "$(sql "select count(*) from outbound where msisdn = '84912000001' and
    kind <> 'ussd'")" = 0 ] || fail "an SMS after an aborted session"
