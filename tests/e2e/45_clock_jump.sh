#!/bin/bash
# The wall clock jumps while the daemon runs: NTP catching up, a clerk
# fixing the date. libfaketime moves only the daemon's wall clock (the
# monotonic clock stays true, as in a real jump), with quiet hours
# 21:00-07:00 and a broadcast going out at 20 a second:
#   - forward into quiet hours, with submit_sm_resps held 2 s: bulk
#     stops, nothing in flight is taken for timed out and sent again, and
#     a citizen's question is still answered;
#   - kill -9 and restart inside quiet hours: the broadcast still waits;
#   - back an hour, still quiet: the link watch still works (enquire_link
#     unanswered -> the link is dropped and bound again within seconds);
#   - back to the morning: quiet hours are over, the rate limit still
#     lets messages through, the broadcast finishes, each number once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"

LIBFT=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1)
[ -n "$LIBFT" ] || fail "libfaketime is not installed (Debian package libfaketime)"
FT=$WORK/faketime
echo "@2026-11-26 12:00:00" >"$FT"
# The sanitizer runtime must otherwise be the first library loaded.
D_WRAP="env LD_PRELOAD=$LIBFT FAKETIME_TIMESTAMP_FILE=$FT FAKETIME_NO_CACHE=1"
D_WRAP="$D_WRAP FAKETIME_DONT_FAKE_MONOTONIC=1"
D_WRAP="$D_WRAP ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
THROUGHPUT=20 WINDOW=10 ENQUIRE_LINK=2 RESPONSE_TIMEOUT=3
E2E_TIMEOUT=120
OFFICE_EXTRA="quiet_hours = 21:00-07:00"
N=60

sim_script() {
	echo "wait_bind 10"
	echo "delay 2000"
	echo "exec sh $WORK/await.sh citizen"
	echo "send 0987000001 HD"
	echo "expect 0987000001 10s Tra cứu"
	echo "exec touch $WORK/answered"
	echo "delay 0"
	echo "exec sh $WORK/await.sh mute"
	echo "no_enquire_resp on"
	echo "exec sh $WORK/await.sh unmute"
	echo "no_enquire_resp off"
	for i in $(seq 100 $((99 + N))); do
		echo "expect 0913000$i 60s ^Lịch tiếp công dân"
	done
	echo "expect_nodup"
	echo "exec sh $WORK/await_done.sh"
}
write_awaits
# libfaketime reads the file at every call: a half-written one would be
# no time at all, so the new time replaces it in one rename.
at() { echo "@2026-11-$1" >"$FT.new" && mv "$FT.new" "$FT"; }
sent() { sql "select count(*) from outbound where broadcast_id = 1 and state = 'sent'"; }
await_log() {
	for _ in $(seq 200); do
		grep -q "$1" "$WORK/motcuad.log" && return 0
		sleep 0.05
	done
	fail "no \"$1\" in the log"
}

admin_up
nums=$(for i in $(seq 100 $((99 + N))); do printf '"0913000%s",' "$i"; done)
call POST /broadcasts "{\"to\": {\"msisdns\": [${nums%,}]}, \"text\": \"Lịch tiếp công dân: thứ Năm\"}"
want 201 "\"total\":$N"
for _ in $(seq 200); do [ "$(sent)" -ge 15 ] && break; sleep 0.05; done
[ "$(sent)" -ge 15 ] || fail "the broadcast did not start: $(sent) sent"

# Forward ten hours, into quiet hours, with submits in flight.
at "26 22:00:00"
sleep 2.5	# what was in flight is answered
before=$(sent)
[ "$before" -lt "$N" ] || fail "the whole broadcast went before the jump"
call GET /broadcasts/1
want 200 '"state":"waiting"'
touch "$WORK/citizen"
for _ in $(seq 200); do [ -f "$WORK/answered" ] && break; sleep 0.05; done
[ -f "$WORK/answered" ] || fail "the citizen was not answered in quiet hours"
# Its submit_sm_resps are held 2 s: a kill before them would send the
# reply again, which is the kill's doing, not the clock's.
for _ in $(seq 100); do
	[ "$(sql "select state from outbound where msisdn = '84987000001'")" = sent ] && break
	sleep 0.05
done
[ "$(sent)" = "$before" ] || fail "bulk went on in quiet hours: $before, then $(sent)"
! grep -q 'not answered in' "$WORK/motcuad.log" ||
    fail "a jump forward made requests time out: $(grep 'not answered in' "$WORK/motcuad.log")"

# kill -9 and a restart inside quiet hours: the broadcast waits on.
sh "$WORK/restart.sh"
for _ in $(seq 200); do curl -s "$API/health" | grep -q '"state":"bound"' && break; sleep 0.05; done
sleep 1.5
[ "$(sent)" = "$before" ] || fail "bulk went out after a restart in quiet hours"
call GET /broadcasts/1
want 200 '"state":"waiting"'

# Back an hour, still quiet: enquire_link goes unanswered, and the link
# must be dropped after enquire_link + response_timeout, not an hour on.
at "26 21:30:00"
touch "$WORK/mute"
await_log 'enquire_link seq=[0-9]* not answered in 3 s'
touch "$WORK/unmute"
for _ in $(seq 200); do curl -s "$API/health" | grep -q '"state":"bound"' && break; sleep 0.05; done
[ "$(sent)" = "$before" ] || fail "bulk went out in quiet hours after the jump back"

# Back to the morning: quiet hours are over; the rest goes at 20/s.
at "26 10:00:00"
admin_down
same "select state from broadcasts where id = 1" done
same "select count(distinct msisdn) from outbound where broadcast_id = 1 and state = 'sent'" $N
same "select count(*) from outbound where broadcast_id = 1" $N
echo "ok $NAME"
