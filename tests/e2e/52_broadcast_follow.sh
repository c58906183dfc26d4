#!/bin/bash
# `motcua broadcast create --follow` and `broadcast show ID --follow`
# watch a broadcast until it is done or cancelled: piped, one plain line
# per change (no bar, no escape codes), the last one "done" or
# "cancelled", and the tool exits 0 by itself; --json gives JSON lines; on
# a terminal (a pty from script(1)) a progress bar redrawn in place, and
# `broadcast create` watches without being asked.
# date-sensitive: also run at pinned dates (tests/run.sh)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
THROUGHPUT=10
OFFICE_EXTRA="quiet_hours ="

sim_script() {
	echo "wait_bind 10"
	echo "dlr on"
	for i in $(seq 100 119); do echo "expect 0913000$i 30s ^Họp thôn tối nay\$"; done
	echo "expect 0913000300 30s ^Họp thôn\$"
	echo "expect 0912000099 60s ^end of test\$"
	echo "expect_nodup"
}
admin_up

# numbers FIRST LAST: 0913000FIRST,...,0913000LAST
numbers() {
	seq -f '0913000%g' "$1" "$2" | paste -sd, -
}
# within SECS CMD...: runs CMD (stdout to $WORK/out); fails after SECS.
within() {
	local secs=$1 rc=0
	shift
	timeout "$secs" "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
	[ "$rc" != 124 ] || fail "$* did not end in $secs s: $(cat "$WORK/out")"
	[ "$rc" = 0 ] || fail "$*: exit $rc: $(cat "$WORK/err")"
}

# Piped: plain lines, one per change, up to "done".
set -o pipefail
$TOOL broadcast create --to "$(numbers 100 119)" --text "Họp thôn tối nay" --follow |
    cat >"$WORK/follow" || fail "broadcast create --follow: exit $?"
set +o pipefail
lines=$(wc -l <"$WORK/follow")
[ "$lines" -ge 2 ] || fail "one line for a broadcast of 2 s: $(cat "$WORK/follow")"
[ "$(sort "$WORK/follow" | uniq -d)" = "" ] || fail "a line repeated: $(cat "$WORK/follow")"
grep -q $'[\r\033]' "$WORK/follow" && fail "escape codes when piped: $(cat -A "$WORK/follow")"
grep -qE '^broadcast 1: (sending|done) ' <(head -n 1 "$WORK/follow") || fail "first: $(head -n 1 "$WORK/follow")"
grep -qE '^broadcast 1: done  total 20, queued 0, sent 20, ' <(tail -n 1 "$WORK/follow") ||
	fail "last: $(tail -n 1 "$WORK/follow")"

# Done already: one line, and --json gives the API's object.
within 5 $TOOL broadcast show --follow 1
[ "$(wc -l <"$WORK/out")" = 1 ] && grep -q '^broadcast 1: done ' "$WORK/out" ||
	fail "show --follow of a done broadcast: $(cat "$WORK/out")"
within 5 $TOOL --json broadcast show 1 --follow
grep -qE '^\{"id":1,"state":"done",.*"sent":20,' "$WORK/out" && [ "$(wc -l <"$WORK/out")" = 1 ] ||
	fail "show --follow --json: $(cat "$WORK/out")"
within 5 $TOOL broadcast show 1
[ "$(wc -l <"$WORK/out")" = 1 ] || fail "show: $(cat "$WORK/out")"

# Cancelled while watched: the watcher ends by itself.
call POST /broadcasts "{\"to\": {\"msisdns\": [\"$(numbers 200 239 | sed 's/,/","/g')\"]}, \"text\": \"Thông báo thử\"}"
want 201 '"id":2'
timeout 10 $TOOL broadcast show 2 --follow >"$WORK/follow2" 2>&1 &
watcher=$!
sleep 0.7
call POST /broadcasts/2/cancel
want 200 '"state":"cancelled"'
wait "$watcher" || fail "show 2 --follow: exit $?: $(cat "$WORK/follow2")"
grep -qE '^broadcast 2: cancelled ' <(tail -n 1 "$WORK/follow2") ||
	fail "last line of a cancelled broadcast: $(cat "$WORK/follow2")"

# On a terminal: a bar redrawn in place, to 100 %.
if command -v script >/dev/null; then
	within 10 script -qec "$TOOL broadcast show 1 --follow" /dev/null
	grep -q $'\r\033\\[Kbroadcast 1 done      \\[########################\\] 100%' "$WORK/out" ||
		fail "no progress bar on a terminal: $(cat -A "$WORK/out")"
	# create watches by itself on a terminal, and ends when done.
	within 10 script -qec "$TOOL broadcast create --to 0913000300,0913000301 --text 'Họp thôn'" /dev/null
	grep -q $'\r\033\\[Kbroadcast 3 done .* 100%' "$WORK/out" ||
		fail "broadcast create on a terminal: $(cat -A "$WORK/out")"
fi

end_of_test
admin_down
echo "ok $NAME"
