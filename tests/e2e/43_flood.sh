#!/bin/bash
# One phone floods: 50 copies of one text, then 80 different texts, within
# a minute. Every message is stored and acknowledged; the copies past the
# third and every text past the 60th of the minute (flood_per_minute) get
# no answer; another
# citizen writing in the middle of it is answered at once.
. "$(dirname "$0")/lib.sh"

sim_script() {
	echo "wait_bind 10"
	for i in $(seq 50); do echo "send 0916000001 HD"; done
	echo "send 0916000002 HD"
	for i in $(seq 1000 1079); do echo "send 0916000001 TC MC$i"; done
	echo "expect 0916000002 3s Tra cứu hồ sơ"
	echo "wait_acked 10s"
	echo "wait 1"
}
e2e_run
[ "$(sql "select count(*) from inbound where msisdn = '84916000001'")" = 130 ] ||
	fail "not every flood message stored"
n=$(sql "select count(*) from outbound where msisdn = '84916000001'")
# 3 copies of HD, then texts 51 to 60 of the minute: 13 answers.
[ "$n" = 13 ] || fail "$n answers to the flooding number (want 13)"
same=$(sql "select count(*) from outbound o join inbound i on i.id = o.inbound_id
    where i.msisdn = '84916000001' and i.text = 'HD'")
[ "$same" = 3 ] || fail "$same answers to the same text repeated (want 3)"
grep -q 'msisdn=84916000001 flooding' "$WORK/motcuad.log" || fail "flood not logged"
