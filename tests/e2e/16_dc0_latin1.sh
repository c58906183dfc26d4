#!/bin/bash
# An SMSC whose data_coding 0 is Latin-1 ([smsc] default_alphabet = latin1,
# the simulator's -a latin1): a reply that fits the GSM alphabet goes as
# data_coding 0 in Latin-1 bytes, so '@', '_', '[', 'é' arrive as written
# (in GSM 03.38 bytes they would read as other characters); one with '€',
# which Latin-1 lacks, goes as UCS-2 instead of losing the sign.
. "$(dirname "$0")/lib.sh"
SIM_ARGS="-a latin1"
SMSC_EXTRA="default_alphabet = latin1"
TEMPLATES=$WORK/tpl
cp -r "$TEMPLATES_SRC" "$TEMPLATES"
echo 'Hoi dap: motcua_xa@ubnd.vn [HD] - café' >"$TEMPLATES/help.txt"
echo 'Sai cu phap. {{suggestion}}Le phi 5.000 d (0,2 €).' >"$TEMPLATES/unknown.txt"

sim_script() {
	cat <<'S'
wait_bind 10
send 0912000001 HD
expect 0912000001 ^Hoi dap: motcua_xa@ubnd\.vn \[HD\] - café$
expect_dc 0912000001 0
send 0912000002 xyz
expect 0912000002 ^Sai cu phap\. .*\(0,2 €\)\.$
expect_dc 0912000002 8
expect_wellformed
S
}
e2e_run
