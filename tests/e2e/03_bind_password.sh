#!/bin/bash
# A wrong password is refused, logged clearly, retried with back-off (no
# busy loop); once the SMSC accepts the password the link binds and works.
. "$(dirname "$0")/lib.sh"

sim_script() {
	cat <<'S'
password other
expect_bind_failures 2 10s
password secret
wait_bind 10
send 0912000001 HD
expect 0912000001 Tra cứu hồ sơ
S
}
e2e_run
n=$(grep -c 'wrong password (ESME_RINVPASWD)' "$WORK/motcuad.log")
[ "$n" -ge 2 ] || fail "wrong password not logged once per attempt ($n)"
# Back-off: 1 s then 2 s (capped at reconnect_max=2) with jitter: a busy
# loop would have made dozens of attempts in this time.
[ "$n" -le 6 ] || fail "too many bind attempts ($n): back-off broken"
