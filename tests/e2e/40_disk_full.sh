#!/bin/bash
# The disk fills up (a file size limit on the running daemon: SQLite's
# writes fail as on a full disk): inbound messages are refused with
# ESME_RX_T_APPN, so the SMSC keeps them; the daemon logs it once and
# stays up. When space returns it acknowledges and answers every one.
. "$(dirname "$0")/lib.sh"

sim_script() {
	cat <<S
wait_bind 10
send 0912000001 HD
expect 0912000001 Tra cứu hồ sơ
exec prlimit --pid \$(cat $WORK/motcuad.pid) --fsize=4096:unlimited
send 0912000002 HD
send 0912000003 TC MC2500429
send 0912000004 LICH
wait 3
expect_none 0912000002 0.1
exec prlimit --pid \$(cat $WORK/motcuad.pid) --fsize=unlimited:unlimited
expect 0912000002 15s Tra cứu hồ sơ
expect 0912000003 15s Không tìm thấy hồ sơ|chữ số bị gõ nhầm
expect 0912000004 15s Tiếp công dân
expect_nodup
S
}
e2e_run
grep -q 'store: cannot write: not acknowledging inbound messages' "$WORK/motcuad.log" ||
	fail "the full disk was not logged"
[ "$(grep -c 'store: cannot write' "$WORK/motcuad.log")" = 1 ] || fail "logged more than once"
grep -q 'store: writing again' "$WORK/motcuad.log" || fail "recovery not logged"
[ "$(sql "select count(*) from inbound where state = 'done'")" = 4 ] || fail "not every message stored once"
