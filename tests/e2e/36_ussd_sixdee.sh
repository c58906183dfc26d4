#!/bin/bash
# A link with ussd_profile = sixdee: every screen is op 2, the last one
# only marked by the end bit of its_session_info (a 15-bit dialog id kept
# as it came, also sent when the SMSC sent none); op 0x81 from the network
# is a user abort; an answer from another dialog id finds no session.
. "$(dirname "$0")/lib.sh"
SMSC_EXTRA='ussd_profile = sixdee'
C1=$(case_code 1)

sim_script() {
	cat <<S
wait_bind 10
send 0912000009 NOP KS Nguyen Van An, sinh ngay 01/10/2025
expect 0912000009 mã hồ sơ $C1
send_raw $(ussd_pdu 84912000001 1 0x2A00 '*8077#')
expect_ussd 0912000001 ^Bo phan mot cua
send_raw $(ussd_pdu 84912000001 18 0x2A00 1)
expect_ussd 0912000001 ^Nhap ma ho so
send_raw $(ussd_pdu 84912000001 18 0x2A00 $C1)
expect_ussd_end 0912000001 ^Ho so $C1 \(Dang ky khai sinh\)
expect 0912000001 ^Hồ sơ $C1: đã tiếp nhận
send_raw $(ussd_pdu 84912000002 1 0x3C00 '*8077#')
expect_ussd 0912000002 ^Bo phan mot cua
send_raw $(ussd_pdu 84912000002 18 0x3C00 1)
expect_ussd 0912000002 ^Nhap ma ho so
send_raw $(ussd_pdu 84912000002 0x81 0x3C00)
expect_none 0912000002 1
send_raw $(ussd_pdu 84912000002 18 0x3C00 $C1)
expect_ussd_end 0912000002 ^Phien lam viec da ket thuc
send_raw $(ussd_pdu 84912000003 1 -1 '*8077#')
expect_ussd 0912000003 ^Bo phan mot cua
send_raw $(ussd_pdu 84912000003 18 -1 3)
expect_ussd_end 0912000003 ^Tiep cong dan
send_raw $(ussd_pdu 84912000004 1 0x1000 '*8077#')
expect_ussd 0912000004 ^Bo phan mot cua
send_raw $(ussd_pdu 84912000004 18 0x2000 1)
expect_ussd_end 0912000004 ^Phien lam viec da ket thuc
S
}
e2e_run
its() {
	sql "select group_concat(ussd_op || ':' || its_session, ' ') from
	    (select * from outbound where msisdn = '$1' and kind = 'ussd'
	    order by id)"
}
[ "$(its 84912000001)" = "2:10752 2:10752 2:10753" ] || fail "sixdee: $(its 84912000001)"
[ "$(its 84912000002)" = "2:15360 2:15360 2:15361" ] || fail "abort: $(its 84912000002)"
[ "$(its 84912000003)" = "2:0 2:1" ] || fail "no its: $(its 84912000003)"
grep -q 'msisdn=84912000002 in=[0-9]* ussd session aborted by the network (op=129 its=15360)$' \
    "$WORK/motcuad.log" || fail "user abort not logged"
grep -q 'msisdn=84912000004 ussd dialog 8192 is not the open 4096: stale' \
    "$WORK/motcuad.log" || fail "stale dialog not logged"
