#!/bin/bash
# Two carriers: [smsc] as a transceiver and [smsc vt] as a transmitter +
# receiver pair serving 8498 numbers. A reply goes out on the link whose
# prefix matches the number (longest prefix), whichever link the request
# came in on.
. "$(dirname "$0")/lib.sh"

cat >"$WORK/a.script" <<'S'
wait_bind 10
send 0912000001 HD
expect 0912000001 Tra cứu hồ sơ
send 0981000001 HD
expect 0912000002 10s Tra cứu hồ sơ
expect_none 0981000001 1
expect_total 2
S
cat >"$WORK/b.script" <<'S'
wait_bind 10
expect 0981000001 10s Tra cứu hồ sơ
send 0981000002 help
expect 0981000002 Tra cứu hồ sơ
send 0912000002 help
expect_none 0912000002 1.5
expect_total 2
S
for s in a b; do
	"$BIN/smsc-sim" -p 0 -P "$WORK/$s.port" -s "$WORK/$s.script" \
	    >"$WORK/$s.out" 2>"$WORK/sim-$s.log" &
	eval "pid_$s=$!"
done
for _ in $(seq 100); do [ -s "$WORK/a.port" ] && [ -s "$WORK/b.port" ] && break; sleep 0.05; done
PORT=$(cat "$WORK/a.port")
SMSC_EXTRA="
[smsc vt]
port = $(cat "$WORK/b.port")
system_id = motcua
password = secret
bind = transmitter+receiver
prefixes = 8498 8497
reconnect_max = 2" write_config
start_daemon
SIM_PID=$pid_a wait_sim 30
SIM_PID=$pid_b wait_sim 30
stop_daemon
grep -q 'link=vt conn=tx bound' "$WORK/motcuad.log" || fail "transmitter not bound"
grep -q 'link=vt conn=rx bound' "$WORK/motcuad.log" || fail "receiver not bound"
[ "$(sql "select link from outbound where msisdn = '84912000002'")" = default ] ||
	fail "reply to a default-link number went elsewhere"
echo "ok $NAME"
