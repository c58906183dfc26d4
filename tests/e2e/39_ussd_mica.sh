#!/bin/bash
# A link with ussd_profile = mica: the session is the number's (Mica names
# it in user_message_reference, not in its_session_info, so a sequence that
# changes there does not matter); screens continue with op 2 and end with
# op 17, its_session_info echoed as it came.
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
S
}
e2e_run
got=$(sql "select group_concat(ussd_op || ':' || its_session, ' ') from
    (select * from outbound where kind = 'ussd' order by id)")
[ "$got" = "2:256 2:30464 2:258 17:261" ] || fail "ops and its_session: $got"
