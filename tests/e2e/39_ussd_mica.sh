#!/bin/bash
# A link with ussd_profile = mica: the session id is user_message_reference
# (echoed on every screen), not its_session_info, so a sequence that
# changes there does not matter, and an answer naming another session finds
# none; screens continue with op 2 and end with op 17, its_session_info
# echoed as it came.
. "$(dirname "$0")/lib.sh"
SMSC_EXTRA='ussd_profile = mica'

sim_script() {
	cat <<S
wait_bind 10
ussd 0912000001 *8077#
expect_ussd 0912000001 ^Bo phan mot cua
send_raw $(ussd_pdu 84912000001 18 0x7700 2)
expect_ussd 0912000001 ^Chon thu tuc
ussd 0912000001 0
expect_ussd 0912000001 ^Bo phan mot cua
ussd 0912000001 4
expect_ussd_end 0912000001 ^Tra cuu: chon 1
send_raw $(ussd_pdu 84912000002 1 -1 '*8077#' 7)
expect_ussd 0912000002 ^Bo phan mot cua
send_raw $(ussd_pdu 84912000002 18 -1 3 7)
expect_ussd_end 0912000002 ^Tiep cong dan|^Lich
send_raw $(ussd_pdu 84912000002 1 -1 '*8077#' 9)
expect_ussd 0912000002 ^Bo phan mot cua
send_raw $(ussd_pdu 84912000002 18 -1 1 10)
expect_ussd_end 0912000002 ^Phien lam viec da ket thuc
S
}
e2e_run
got=$(sql "select group_concat(ussd_op || ':' || its_session, ' ') from
    (select * from outbound where kind = 'ussd' order by id)")
[ "$got" = "2:256 2:30464 2:258 17:261" ] || fail "ops and its_session: $got"
got=$(sql "select group_concat(coalesce(user_msg_ref, '-'), ' ') from
    (select * from outbound where kind = 'ussd' and msisdn = '84912000002'
    order by id)")
[ "$got" = "7 7 9 10" ] || fail "user_message_reference not echoed: $got"
