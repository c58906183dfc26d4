#!/bin/bash
# Issue 16 item 5, three ways long messages went wrong when joined:
# - an 8-bit reference repeats: part 1 of a new message B with the
#   reference of an unfinished A (other text) was dropped as a copy and
#   B's part 2 completed A, losing B's opt-out. Now A is closed (handled
#   with what arrived) and B starts its own set; a true copy of a part
#   still changes nothing;
# - a message longer than 4,095 bytes was cut without a word: now one
#   log line says by how much;
# - a GSM7 ESC ending one part escaped nothing: "€" split between two
#   parts came out as U+FFFD and "e".
. "$(dirname "$0")/lib.sh"

hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }

sim_script() {
	local a i
	a=$(printf 'a%.0s' $(seq 153))
	cat <<S
wait_bind 10
send_part 0 0912000050 7 1/2 $(hex "xin chao ")
send_part 0 0912000050 7 1/2 $(hex "TU")
send_part 0 0912000050 7 2/2 $(hex "CHOI")
expect 0912000050 10s Đã ngừng gửi tin thông báo
expect 0912000050 10s .
send_part 0 0912000053 5 1/2 $(hex "T")
send_part 0 0912000053 5 1/2 $(hex "T")
send_part 0 0912000053 5 2/2 $(hex "C")
expect 0912000053 10s .
send_part 0 0912000051 9 1/2 $(hex "gia 5")1b
send_part 0 0912000051 9 2/2 $(hex "e dong")
expect 0912000051 10s .
S
	for i in $(seq 30); do
		echo "send_part 0 0912000052 11 $i/30 $(hex "$a")"
	done
	cat <<S
expect 0912000052 10s .
wait_acked
S
}
e2e_run
[ "$(sql "select opted_out from optout where msisdn = '84912000050'")" = 1 ] ||
	fail "TUCHOI in the parts of a reused reference was not read as an opt-out"
[ "$(sql "select count(*) from inbound where msisdn = '84912000050' and text = 'TUCHOI'")" = 1 ] ||
	fail "the new message was not joined on its own: $(sql "select text from inbound where msisdn = '84912000050'")"
grep -q 'msisdn=84912000050 parts of ref=7 reused by a new message' "$WORK/motcuad.log" ||
	fail "the closed message was not logged"
[ "$(sql "select text from inbound where msisdn = '84912000053'")" = TC ] ||
	fail "a true copy of a part changed the message: $(sql "select text from inbound where msisdn = '84912000053'")"
[ "$(sql "select text from inbound where msisdn = '84912000051'")" = "gia 5€ dong" ] ||
	fail "an ESC pair split across parts: $(sql "select text from inbound where msisdn = '84912000051'")"
[ "$(grep -c 'msisdn=84912000052 long message ref=11 of 30 parts cut to 4095 bytes: 495 bytes left out' "$WORK/motcuad.log")" = 1 ] ||
	fail "the cut was not logged once"
[ "$(sql "select count(*) from inbound_part")" = 0 ] || fail "parts left behind"
