#!/bin/bash
# A submit_sm that timed out still holds its place in the window: the
# SMSC answers every submit_sm 2.5 s late, past the 1 s response timeout
# and past the outbox's first retry. The daemon hands each timed-out
# message back for a retry but never has more than its window (4)
# unanswered on the link, and each late answer frees its place (test 42
# is the same with answers that come before the retry).
. "$(dirname "$0")/lib.sh"
RESPONSE_TIMEOUT=1
WINDOW=4
E2E_TIMEOUT=90

sim_script() {
	echo "wait_bind 10"
	echo "delay 2500"
	for i in $(seq 10 17); do echo "send 09160000$i HD"; done
	for i in $(seq 10 17); do echo "expect 09160000$i 40s Tra cứu hồ sơ"; done
	echo "expect_window_max 4"
	echo "delay 0"
}
e2e_run
grep -q 'submit_sm seq=[0-9]* answered after it timed out' "$WORK/motcuad.log" ||
	fail "no late answer seen"
