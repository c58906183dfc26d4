#!/bin/bash
# Garbled PDUs from the SMSC: an unknown command gets generic_nack, a bad
# command_length drops and rebinds the link, a deliver_sm that cannot be
# decoded is refused with a clear log line; the daemon keeps serving.
. "$(dirname "$0")/lib.sh"

sim_script() {
	cat <<'S'
wait_bind 10
# unknown command_id 0x00000077
send_raw 00000010000000770000000000000009
expect_nack
# deliver_sm whose TLV runs past the end of the PDU
send_raw 0000002a000000050000000000000063000101383439313230303030303100000038303737000000000000000000000004240050
send 0912000001 HD
expect 0912000001 Tra cứu hồ sơ
# command_length 8: below the SMPP header
send_raw 0000000800000005
expect_nack
wait_bind 10
send 0912000002 HD
expect 0912000002 Tra cứu hồ sơ
# alert_notification has no response: ignored, the link stays up
send_raw 00000025000001020000000000000011010138343931323030303030390001013830373700
send 0912000006 HD
expect 0912000006 Tra cứu hồ sơ
# odd-length UCS-2, GSM7 bytes above 0x7F, an empty message
send_dc 8 0912000003 00480044ff
send_dc 0 0912000004 ffff
send_dc 0 0912000005 
expect 0912000003 Tra cứu hồ sơ|chưa đúng cú pháp
expect 0912000004 Tra cứu hồ sơ|chưa đúng cú pháp
S
}
e2e_run
grep -q 'garbled frame: command_length below 16' "$WORK/motcuad.log" || fail "bad length not logged"
grep -q 'unexpected unknown (0x00000077)' "$WORK/motcuad.log" || fail "unknown command not logged"
grep -q 'garbled deliver_sm' "$WORK/motcuad.log" || fail "garbled deliver_sm not logged"
grep -q 'alert_notification ignored' "$WORK/motcuad.log" || fail "alert_notification not ignored"
# Two bad frames drop the link (the truncated deliver_sm leaves the next
# bytes misframed); nothing else may.
[ "$(grep -c 'conn=trx bound' "$WORK/motcuad.log")" = 3 ] || fail "the link fell too often"
