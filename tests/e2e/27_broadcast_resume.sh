#!/bin/bash
# A broadcast created inside quiet hours waits (state "waiting", nothing
# sent); the daemon is restarted without quiet hours and the broadcast
# goes. Then kill -9 in the middle of sending, and a restart: every
# recipient gets the message and the store holds exactly one per number
# (a copy in flight at the kill may reach a phone twice: unavoidable).
# date-sensitive: also run at pinned dates (tests/run.sh)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
THROUGHPUT=40
E2E_TIMEOUT=90
# Quiet from a minute ago to two minutes on, local time.
OFFICE_EXTRA="quiet_hours = $(date -d '-1 min' +%H:%M)-$(date -d '+2 min' +%H:%M)
broadcast_daily_cap = 5"

sim_script() {
	echo "wait_bind 10"
	echo "expect_none 0913000100 1"
	echo "exec sh $WORK/await.sh go"
	for i in $(seq 100 219); do echo "expect 0913000$i 60s ^Mời họp thôn"; done
	echo "exec sh $WORK/await_done.sh"
}
write_awaits
admin_up
nums=$(for i in $(seq 100 219); do printf '"0913000%s",' "$i"; done)
call POST /broadcasts "{\"to\": {\"msisdns\": [${nums%,}]}, \"text\": \"Mời họp thôn\"}"
want 201 '"total":120'
sleep 1.5
call GET /broadcasts/1
want 200 '"state":"waiting"' '"sent":0' '"queued":120'

# Quiet hours off; restart; kill -9 once a third has gone; restart again.
stop_daemon
sed -i 's/^quiet_hours = .*/quiet_hours =/' "$WORK/motcua.conf"
start_daemon
touch "$WORK/go"
for _ in $(seq 400); do
	[ "$(sql "select count(*) from outbound where state = 'sent'")" -ge 40 ] && break
	sleep 0.02
done
sh "$WORK/restart.sh"
wait_sim 60
stop_daemon
same "select state from broadcasts where id = 1" done
same "select count(distinct msisdn) from outbound where broadcast_id = 1 and state = 'sent'" 120
same "select count(*) from outbound where broadcast_id = 1" 120
echo "ok $NAME"
