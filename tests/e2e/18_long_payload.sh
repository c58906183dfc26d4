#!/bin/bash
# A long message_payload, as an SMSC that joins long messages itself sends
# it (issue 16): once refused with 0x65 (permanent: the SMSC dropped it),
# now a message like any other. The 7-part feedback of about 1,070
# characters is stored whole and answered; 65,000 characters (near SMPP's
# 65,535 octets) and 10,000 in UCS-2 are stored cut at what is kept (the
# first 4,096 octets, and 4,095 bytes of text, between two characters),
# answered, and the cut is logged once with the sender and the sizes.
. "$(dirname "$0")/lib.sh"
C1=$(case_code 1) C2=$(case_code 2) C3=$(case_code 3)

# TEXT repeated to N bytes (ASCII), or N characters ($2 = chars).
repeat() {	# repeat N TEXT
	local s=$2
	while [ ${#s} -lt "$1" ]; do s=$s$s; done
	printf '%s' "${s:0:$1}"
}
T1="PA $(repeat 1067 'Duong lien thon Dong - Doai bi ngap sau mua, xin xa cho khoi thong cong. ')"
T2="PA $(repeat 64997 'Den duong thon Bac hong da hai thang. ')"
T3="PA $(repeat 9997 'Đường làng bị ngập, xin xã khơi thông cống. ')"

sim_script() {
	cat <<S
wait_bind 10
send_payload 0912000021 $T1
expect 0912000021 10s ^Đã nhận phản ánh, mã $C1\\.
send_payload 0912000022 $T2
expect 0912000022 10s ^Đã nhận phản ánh, mã $C2\\.
send_payload 0912000023 $T3
expect 0912000023 10s ^Đã nhận phản ánh, mã $C3\\.
wait_acked
S
}
e2e_run
grep -q 'garbled deliver_sm' "$WORK/motcuad.log" && fail "a long payload was read as garbled"
bytes() {	# bytes MSISDN: the stored text's length in bytes
	sql "select length(cast(text as blob)) from inbound where msisdn = '$1'"
}
[ "$(bytes 84912000021)" = 1070 ] || fail "1,070 characters stored as $(bytes 84912000021) bytes"
[ "$(bytes 84912000022)" = 4095 ] || fail "65,000 characters stored as $(bytes 84912000022) bytes"
[ "$(sql "select text from inbound where msisdn = '84912000021'")" = "$T1" ] ||
	fail "the 1,070 characters are not stored as sent"
# UCS-2: the first 4,096 octets are kept, 2,048 characters, whole.
got=$(sql "select text from inbound where msisdn = '84912000023'")
[ "$(sql "select length(text) from inbound where msisdn = '84912000023'")" = 2048 ] ||
	fail "the UCS-2 text stored as $(bytes 84912000023) bytes"
case $T3 in "$got"*) ;; *) fail "the UCS-2 text does not start as sent" ;; esac
case $(sql "select request from cases where code = '$C1'") in
*"cho khoi thong cong."*) ;; *) fail "the 1,070 characters are not the case's text" ;;
esac
n=$(grep -c 'message_payload of .* octets: longer than the store keeps' "$WORK/motcuad.log")
[ "$n" = 2 ] || fail "want 2 cut log lines, got $n"
for want in "msisdn=84912000022 message_payload of 65000 octets: longer than the store keeps, stored cut to its first 4095 bytes" \
    "msisdn=84912000023 message_payload of 20000 octets: longer than the store keeps, stored cut to its first $(bytes 84912000023) bytes"; do
	grep -q "link=default $want" "$WORK/motcuad.log" || fail "not logged: $want"
done
