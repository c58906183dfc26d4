#!/bin/bash
# Personal data in the log (issue 15): without -d, a citizen's number is
# masked wherever a log line names it (8491****678: the inbound line, an
# opt-out, the admin access line whose path holds it) and the text of a
# request never appears; with -d (as every other test runs) both are there
# for whoever debugs.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"

sim_script() {
	cat <<S
wait_bind 10
send 0912345678 HD
expect 0912345678 Tra cứu
send 0912345678 NOP KS Nguyen Van Bi mat, sinh ngay 01/10/2025
expect 0912345678 mã hồ sơ
send 0912345678 TUCHOI
expect 0912345678 .
exec 30s while [ ! -f $WORK/done ]; do sleep 0.05; done
S
}
D_FLAGS= admin_up
for _ in $(seq 100); do
	grep -q 'opted out' "$WORK/motcuad.log" && break
	sleep 0.1
done
call GET /contacts/84912345678
touch "$WORK/done"
admin_down
log=$WORK/motcuad.log
grep -q 'msisdn=8491\*\*\*\*678' "$log" || fail "no masked number in the log: $(grep msisdn "$log" | head -3)"
grep -q 'path=/contacts/8491\*\*\*\*678' "$log" || fail "the access line's path is not masked: $(grep 'admin method' "$log" | tail -2)"
grep -q '84912345678\|0912345678' "$log" && fail "a full number in the log: $(grep -m1 '84912345678\|0912345678' "$log")"
grep -qi 'bi mat' "$log" && fail "a request text in the log: $(grep -m1 -i 'bi mat' "$log")"
echo "ok $NAME: $(grep -c '8491\*\*\*\*678' "$log") lines name the number, masked"
