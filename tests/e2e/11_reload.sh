#!/bin/bash
# SIGHUP reloads the texts without dropping the SMPP session; an invalid set
# is refused with a log line and the old texts stay in use.
. "$(dirname "$0")/lib.sh"
cp -r "$ROOT/templates/vi" "$WORK/tpl"

sim_script() {
	cat <<S
wait_bind 10
send 0912000001 HD
expect 0912000001 Tra cứu hồ sơ
exec printf 'Huong dan moi: TC, NOP, HD\n' >$WORK/tpl/help.txt && kill -HUP \$(cat $WORK/motcuad.pid)
wait 0.5
send 0912000002 HD
expect 0912000002 ^Huong dan moi: TC, NOP, HD\$
exec printf '{{bogus}}\n' >$WORK/tpl/help.txt && kill -HUP \$(cat $WORK/motcuad.pid)
wait 0.5
send 0912000003 HD
expect 0912000003 ^Huong dan moi
S
}
sim_script >"$WORK/script"
start_sim
write_config
sed -i "s|^templates = .*|templates = $WORK/tpl|" "$WORK/motcua.conf"
start_daemon
wait_sim 30
stop_daemon
[ "$(grep -c 'conn=trx bound' "$WORK/motcuad.log")" = 1 ] || fail "the session was dropped"
grep -q 'reload refused, keeping the old texts: .*help.txt:1: unknown placeholder {{bogus}}' \
    "$WORK/motcuad.log" || fail "invalid reload not logged"
echo "ok $NAME"
