#!/bin/bash
# Another process holds the database's write lock for 4 s: the daemon
# cannot store, so it refuses inbound messages with ESME_RX_T_APPN (the
# SMSC keeps them), logs it once, and answers each exactly once when the
# lock is gone.
. "$(dirname "$0")/lib.sh"

sim_script() {
	cat <<S
wait_bind 10
send 0912000001 HD
expect 0912000001 Tra cứu hồ sơ
exec sh $WORK/lock.sh
send 0912000002 HD
send 0912000003 LICH
wait 2.5
expect_none 0912000002 0.1
expect 0912000002 15s Tra cứu hồ sơ
expect 0912000003 15s Tiếp công dân
expect_nodup
S
}
# Holds BEGIN IMMEDIATE for 4 s in the background, once it has the lock.
cat >"$WORK/lock.sh" <<L
( { echo 'BEGIN IMMEDIATE;'; echo "SELECT 'locked';"; sleep 4; echo 'COMMIT;'; } |
    sqlite3 "$WORK/motcua.db" >"$WORK/locked" 2>&1 ) </dev/null >/dev/null 2>&1 &
for i in \$(seq 100); do grep -q locked "$WORK/locked" 2>/dev/null && exit 0; sleep 0.02; done
exit 1
L
e2e_run
grep -q 'store: cannot write: not acknowledging inbound messages' "$WORK/motcuad.log" ||
	fail "the locked database was not logged"
grep -q 'store: writing again' "$WORK/motcuad.log" || fail "recovery not logged"
[ "$(sql "select count(*) from inbound")" = 3 ] || fail "not every message stored once"
