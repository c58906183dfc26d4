#!/bin/bash
# kill -9 of the daemon in the middle of traffic, three times with 150 messages in flight, restarting
# each time: every message the daemon acknowledged gets its reply.
. "$(dirname "$0")/lib.sh"
E2E_TIMEOUT=90

sim_script() {
	echo "wait_bind 10"
	# Slow responses keep replies in flight when the kill comes.
	echo "delay 20"
	for round in 1 2 3; do
		for i in $(seq -w 1 150); do
			echo "send 0913${round}00$i HD"
		done
		echo "wait 0.00$((round * 3))"
		echo "exec sh $WORK/restart.sh"
		echo "wait_bind 10"
	done
	echo "delay 0"
	for i in $(seq -w 1 20); do echo "send 09139000$i xin chao"; done
	echo "expect_acked_replied 20"
}
e2e_run
lost=$(sql "select count(*) from inbound i where state != 'dup' and not exists
	(select 1 from outbound o where o.inbound_id = i.id)")
[ "$lost" = 0 ] || fail "$lost stored messages have no reply"
[ "$(grep -c 'restart after kill -9' "$WORK/motcuad.log")" = 3 ] || fail "not restarted 3 times"
