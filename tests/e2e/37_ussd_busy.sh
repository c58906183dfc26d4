#!/bin/bash
# At the cap of open sessions (1000, USSD_SESSIONS_MAX in gateway/office/ussd.c) a
# new dial gets the "busy" screen and ends; the sessions already open go on
# untouched, and once one ends there is room again.
. "$(dirname "$0")/lib.sh"

sim_script() {
	echo "wait_bind 10"
	for i in $(seq 1000); do printf 'ussd 0913%06d *8077#\n' "$i"; done
	cat <<S
expect_ussd 0913001000 20s ^Bo phan mot cua
ussd 0912000001 *8077#
expect_ussd_end 0912000001 ^He thong dang ban\. Vui long goi lai sau it phut\.\$
ussd 0913000001 3
expect_ussd_end 0913000001 ^Tiep cong dan
ussd 0912000001 *8077#
expect_ussd 0912000001 ^Bo phan mot cua
ussd 0912000002 *8077#
expect_ussd_end 0912000002 ^He thong dang ban
S
}
E2E_TIMEOUT=90 e2e_run
[ "$(grep -c 'ussd sessions open: busy' "$WORK/motcuad.log")" = 2 ] ||
	fail "want two busy dials logged"
[ "$(sql "select count(*) from outbound where kind = 'ussd'")" = 1004 ] ||
	fail "want 1004 screens"
