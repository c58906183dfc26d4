#!/bin/bash
# Issue 16, item 1: 2,000 connections that trickle one byte of headers
# every 2 s (tests/admin_attack.py slow), against a daemon held to 256
# open files, while the SMSC drops the link. The link comes back within
# reconnect_max, citizens are answered, /health answers, the slow clients
# are cut (deadline or eviction), and the log stays small: no
# "Too many open files" storm.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
RECONNECT_MAX=2
D_WRAP="prlimit --nofile=256:256"
ATTACK_S=20
LOG_MAX=32768	# bytes the log may grow during the attack

sim_script() {
	cat <<S
wait_bind 10
exec 60s sh $WORK/await.sh attacking
drop
wait_bind 6
send 0912000001 HD
expect 0912000001 10s Tra cứu
send 0912000002 TT
expect 0912000002 10s KS
exec touch $WORK/answered
expect 0912000099 60s ^end of test\$
S
}
write_awaits
admin_up

ATTACK_STATUS=$WORK/attack python3 "$ROOT/tests/admin_attack.py" slow \
    127.0.0.1 "${API##*:}" 2000 "$ATTACK_S" 2 >"$WORK/attack.out" 2>&1 &
attacker=$!
opened() { sed -n 's/.*opened=\([0-9]*\).*/\1/p' "$WORK/attack" 2>/dev/null; }
for _ in $(seq 100); do
	[ "$(opened)" -ge 2000 ] 2>/dev/null && break
	sleep 0.1
done
[ "$(opened)" -ge 2000 ] 2>/dev/null ||
	fail "the attacker did not open 2000 connections: $(cat "$WORK/attack" 2>/dev/null)"
log0=$(stat -c %s "$WORK/motcuad.log")
touch "$WORK/attacking"

# The staff door still answers, while the slow clients hold on.
for _ in 1 2 3; do
	code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$API/health")
	[ "$code" = 200 ] || fail "/health during the attack: HTTP $code"
	sleep 1
done
sh "$WORK/await.sh" answered || fail "citizens were not answered during the attack"
kill -0 "$attacker" 2>/dev/null || fail "the attack ended before the citizens were answered"
wait "$attacker"
grown=$(( $(stat -c %s "$WORK/motcuad.log") - log0 ))
echo "attack: $(cat "$WORK/attack.out"); log grew by $grown bytes"
[ "$grown" -le "$LOG_MAX" ] || fail "the log grew by $grown bytes during the attack (at most $LOG_MAX)"
cut=$(sed -n 's/.*closed_by_server=\([0-9]*\).*/\1/p' "$WORK/attack.out")
[ "${cut:-0}" -ge 1000 ] || fail "slow clients were not cut: $(cat "$WORK/attack.out")"
m=$(curl -sS -m 5 "$API/metrics")
grep -qE '^motcua_admin_cut_total\{reason="(evicted|header_deadline)"\} [1-9]' <<<"$m" ||
	fail "no cut connections in /metrics: $(grep admin <<<"$m")"
grep -q 'Too many open files' "$WORK/motcuad.log" && fail "the daemon ran out of descriptors"
grep -q 'admin: at most 188 connections' "$WORK/motcuad.log" ||
	fail "the cap is not derived from the open files limit (256 - 64 - 4)"
end_of_test
admin_down
echo "ok $NAME"
