#!/bin/bash
# The admin port is taken (here by the simulator itself): the daemon says
# so, keeps serving citizens, keeps retrying, and stops cleanly.
. "$(dirname "$0")/lib.sh"

sim_script() {
	cat <<'S'
wait_bind 10
send 0912000001 HD
expect 0912000001 Tra cứu
S
}
sim_script >"$WORK/script"
start_sim
OFFICE_EXTRA=$'\n[admin]\nlisten = 127.0.0.1:'"$PORT"$'\ntoken = t0k'
write_config
start_daemon
wait_sim 30
grep -q "admin: cannot listen on 127.0.0.1:$PORT, retrying every 5 s" "$WORK/motcuad.log" ||
	fail "the taken port was not reported"
! grep -q 'admin listening' "$WORK/motcuad.log" || fail "listening on a taken port?"
stop_daemon
echo "ok $NAME"
