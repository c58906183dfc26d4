#!/bin/bash
# enquire_link both ways: the daemon answers the SMSC's; after a second of
# silence it sends its own, and when the SMSC leaves it unanswered the link
# is dropped and bound again. An SMSC unbind is answered and rebound.
. "$(dirname "$0")/lib.sh"
ENQUIRE_LINK=1
RESPONSE_TIMEOUT=1

sim_script() {
	cat <<'S'
wait_bind 10
enquire 2s
no_enquire_resp on
wait 5
no_enquire_resp off
wait_bind 10
send 0912000001 HD
expect 0912000001 Tra cứu hồ sơ
unbind
wait 0.3
wait_bind 10
send 0912000002 HD
expect 0912000002 Tra cứu hồ sơ
S
}
e2e_run
grep -q 'enquire_link seq=[0-9]* not answered in 1 s' "$WORK/motcuad.log" ||
	fail "missing enquire_link_resp not detected"
grep -q 'dropped: SMSC unbound' "$WORK/motcuad.log" || fail "SMSC unbind not handled"
[ "$(grep -c 'conn=trx bound' "$WORK/motcuad.log")" -ge 3 ] || fail "did not rebind twice"
