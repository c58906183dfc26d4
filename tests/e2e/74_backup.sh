#!/bin/bash
# Backups (issue 15). On demand: `motcua backup FILE` while 2,000 messages
# flow makes a copy that passes integrity_check, with its size and counts,
# and every message of the copy is in the live database; a file that
# exists is never replaced, a folder that does not exist is a clear
# failure, and /metrics gives the last good backup's age. Daily: with the
# wall clock moved (libfaketime, as test 45), the first comes 5 minutes
# after start, the next a day later, and only backup_keep are kept. The
# dates are pinned by the clock file: the test does not depend on the day.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
E2E_TIMEOUT=180
SIM_ARGS="-n 2000 -R 400"	# 5 s of load
WINDOW=20

LIBFT=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1)
[ -n "$LIBFT" ] || fail "libfaketime is not installed (Debian package libfaketime)"
FT=$WORK/faketime
echo "@2026-11-26 12:00:00" >"$FT"
at() { echo "@$1" >"$FT.new" && mv "$FT.new" "$FT"; }
D_WRAP="env TZ=Asia/Ho_Chi_Minh LD_PRELOAD=$LIBFT FAKETIME_TIMESTAMP_FILE=$FT FAKETIME_NO_CACHE=1"
D_WRAP="$D_WRAP FAKETIME_DONT_FAKE_MONOTONIC=1"
D_WRAP="$D_WRAP ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
STORE_EXTRA=$'backup_keep = 2\nbackup_dir = '"$WORK/daily"

sim_script() {
	cat <<S
wait_bind 10
exec sh $WORK/await.sh go
load 2000 20
exec 150s while [ ! -f $WORK/done ]; do sleep 0.05; done
S
}
write_awaits
admin_up
touch "$WORK/go"
sleep 1
out=$($TOOL backup "$WORK/copy.db" 2>&1) || fail "motcua backup under load: $out"
echo "$out"
case $out in "backup $WORK/copy.db: "*" bytes, integrity ok; "*" cases, "*" messages in, "*" out") ;;
*) fail "motcua backup said: $out" ;; esac
[ "$(sqlite3 "$WORK/copy.db" 'pragma integrity_check')" = ok ] || fail "the copy fails integrity_check"
n_copy=$(sqlite3 "$WORK/copy.db" 'select count(*) from inbound')
[ "$n_copy" -gt 0 ] || fail "the copy holds no message: taken before the load?"
[ ! -e "$WORK/copy.db.partial" ] || fail "a .partial file was left"
# Every message in the copy is in the live database, the same.
sqlite3 "$WORK/motcua.db" "attach '$WORK/copy.db' as b;
    select count(*) from b.inbound c join main.inbound m using (id)
    where m.msisdn = c.msisdn and m.text = c.text" >"$WORK/same"
[ "$(cat "$WORK/same")" = "$n_copy" ] || fail "copy and live differ: $(cat "$WORK/same") of $n_copy"
out=$($TOOL backup "$WORK/copy.db" 2>&1) && fail "a backup replaced a file: $out"
case $out in *"exists: a backup never replaces a file"*) ;; *) fail "over a file: $out" ;; esac
[ "$(sqlite3 "$WORK/copy.db" 'select count(*) from inbound')" = "$n_copy" ] || fail "the first copy changed"
out=$($TOOL backup "$WORK/nope/copy.db" 2>&1) && fail "a backup into no folder: $out"
case $out in *"backup $WORK/nope/copy.db failed: "*) ;; *) fail "into no folder: $out" ;; esac
call GET /metrics
age=$(sed -n 's/^motcua_backup_last_ok_age_seconds //p' <<<"$BODY")
[ -n "$age" ] && [ "$age" -ge 0 ] && [ "$age" -lt 60 ] || fail "last good backup age: ${age:-none}"
wait_sim_load() { for _ in $(seq 600); do
	[ "$(sqlite3 "$WORK/motcua.db" "select count(*) from inbound")" -ge 2000 ] && return 0
	sleep 0.1; done; fail "the load did not finish"; }
wait_sim_load

# Daily: none in the first 5 minutes, then one; a day later another; a
# third day leaves the newest two.
daily() { ls "$WORK/daily" 2>/dev/null | grep -c '^motcua-[0-9]\{8\}-[0-9]\{6\}\.db$'; }
await_daily() {	# await_daily N
	for _ in $(seq 150); do [ "$(daily)" = "$1" ] && return 0; sleep 0.1; done
	fail "daily backups: $(daily), want $1 ($(ls "$WORK/daily" 2>&1 | tr '\n' ' '))"
}
[ "$(daily)" = 0 ] || fail "a daily backup within the first 5 minutes"
at "2026-11-26 12:06:00"; await_daily 1
at "2026-11-27 12:07:00"; await_daily 2
at "2026-11-28 12:08:00"
# (A finished backup is seen, and the old ones pruned, at the next tick.)
for _ in $(seq 300); do
	grep -q "backup: $WORK/daily/motcua-20261126-.*removed (keeping 2)" \
	    "$WORK/motcuad.log" && break
	sleep 0.1
done
[ "$(daily)" = 2 ] || fail "daily backups after the third day: $(ls "$WORK/daily" | tr '\n' ' ')"
kept=$(ls "$WORK/daily" | tr '\n' ' ')
case $kept in "motcua-20261127-"*" motcua-20261128-"*) ;; *) fail "kept: $kept" ;; esac
for f in "$WORK"/daily/*.db; do
	[ "$(sqlite3 "$f" 'pragma integrity_check')" = ok ] || fail "$f fails integrity_check"
done
touch "$WORK/done"
admin_down
echo "ok $NAME: copy of $n_copy messages under load; 3 daily, 2 kept"
