#!/bin/bash
# The restore (issue 15), end to end: a backup taken under SMS load
# (2,000 msgs/s; the SMSC answers each submit_sm 100 ms late, so replies
# are queued when it is taken), the load going on, then kill -9; motcuad -R
# refuses while a daemon holds the database and refuses a damaged file;
# then restores the backup: integrity_check passes, everything the backup
# held is there, the replaced database is kept aside, and after the
# restart no message the backup had (sent or still queued) goes out again:
# queued ones are held for review (motcua held list, release one: it
# reaches the SMSC; drop the rest). A citizen is answered at once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
E2E_TIMEOUT=120
SIM_ARGS="-n 60000 -R 2000"
WINDOW=100

sim_script() {
	cat <<S
wait_bind 10
delay 100
exec sh $WORK/await.sh go
load 60000 100
S
}
write_awaits
admin_up
touch "$WORK/go"
sleep 5
out=$($TOOL backup "$WORK/b.db" 2>&1) || fail "backup under load: $out"
echo "$out"
sleep 5
n_live=$(sql "select count(*) from inbound")
kill -9 "$D_PID"
for _ in $(seq 100); do [ -s "$WORK/motcuad.rc" ] && break; sleep 0.05; done
rm -f "$WORK/motcuad.pid"
kill "$SIM_PID" 2>/dev/null; wait "$SIM_PID" 2>/dev/null; SIM_PID=
n_b=$(sqlite3 "$WORK/b.db" "select count(*) from inbound")
max_out=$(sqlite3 "$WORK/b.db" "select max(id) from outbound")
queued_b=$(sqlite3 "$WORK/b.db" "select count(*) from outbound where state = 'queued'")
echo "backup: $n_b messages in, outbound up to $max_out ($queued_b queued); live at the kill: $n_live"
[ "$n_b" -gt 500 ] && [ "$n_live" -gt "$n_b" ] && [ "$queued_b" -gt 0 ] ||
	fail "not a backup under load: $n_b in the backup ($queued_b queued), $n_live live"

# Refused: a damaged backup (the database untouched), and a running daemon.
cp "$WORK/b.db" "$WORK/bad.db"
size=$(stat -c %s "$WORK/bad.db")
dd if=/dev/urandom of="$WORK/bad.db" bs=4096 seek=$((size / 4096 / 2)) count=8 conv=notrunc 2>/dev/null
before=$(sha256sum <"$WORK/motcua.db")
out=$("$BIN/motcuad" -c "$WORK/motcua.conf" -R "$WORK/bad.db" 2>&1) && fail "a damaged backup restored: $out"
case $out in *"restore: refused: $WORK/bad.db"*) ;; *) fail "damaged backup: $out" ;; esac
[ "$(sha256sum <"$WORK/motcua.db")" = "$before" ] || fail "a refused restore changed the database"
exec 9>"$WORK/motcua.db.lock"; flock -n 9 || fail "the lock is still held after kill -9"
out=$("$BIN/motcuad" -c "$WORK/motcua.conf" -R "$WORK/b.db" 2>&1) && fail "restored under a held lock: $out"
case $out in *"in use by a running motcuad: stop it first"*) ;; *) fail "held lock: $out" ;; esac
exec 9>&-

out=$("$BIN/motcuad" -c "$WORK/motcua.conf" -R "$WORK/b.db" 2>&1) || fail "restore: $out"
echo "$out"
case $out in *"integrity ok; "*"held for review, not sent: $queued_b queued messages"*) ;; *) fail "restore said: $out" ;; esac
aside=$(ls "$WORK"/motcua.db.before-restore-* 2>/dev/null | grep -v -- '-wal$\|-shm$' | head -n 1)
[ -n "$aside" ] && [ "$(sqlite3 "$aside" "select count(*) from inbound")" -ge "$n_live" ] ||
	fail "the replaced database was not kept aside whole: ${aside:-none}"
[ "$(sql "pragma integrity_check")" = ok ] || fail "the restored database fails integrity_check"
for t in inbound outbound cases; do
	[ "$(sql "select count(*) from $t")" = "$(sqlite3 "$WORK/b.db" "select count(*) from $t")" ] ||
		fail "$t: the restored database differs from the backup"
done

# Restart against a fresh SMSC: nothing of the backup is sent again, a
# citizen's new message is answered.
cat >"$WORK/script" <<S
wait_bind 10
delay 0
exec sleep 4
expect_total 0
send 0999000001 HD
expect 0999000001 Tra cứu
expect_total 1
exec touch $WORK/answered
exec sh $WORK/await.sh released
expect_total 2
S
start_sim
sed -i "s/^port = .*/port = $PORT/" "$WORK/motcua.conf"
start_daemon
sh "$WORK/await.sh" answered || fail "the citizen was not answered after the restore"
# Staff review what was held: one sent again (it reaches the SMSC), the
# rest dropped.
API=http://127.0.0.1:$(sed -n 's/.* admin listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$WORK/motcuad.log" | tail -n 1)
sed -i "s/^listen = .*/listen = ${API##*/}/" "$WORK/motcua.conf"
out=$($TOOL held list 2>&1) || fail "motcua held list: $out"
first=$(echo "$out" | head -n 1 | cut -d' ' -f1)
[ "$(echo "$out" | grep -c '^[0-9]')" = "$((queued_b < 1000 ? queued_b : 1000))" ] ||
	fail "held list: $(echo "$out" | head -n 3)"
out=$($TOOL held release "$first" 2>&1) || fail "motcua held release: $out"
touch "$WORK/released"
out=$($TOOL held drop all 2>&1) || fail "motcua held drop all: $out"
[ "$out" = "$((queued_b - 1)) held message(s) dropped" ] || fail "held drop all: $out"
wait_sim 60
[ "$(sql "select count(*) from outbound where id <= $max_out and state = 'queued'")" = 0 ] ||
	fail "queued messages of the backup are queued again"
[ "$(sql "select count(*) from outbound where state = 'held'")" = 0 ] ||
	fail "still held: $(sql "select count(*) from outbound where state = 'held'")"
[ "$(sql "select count(*) from outbound where state = 'released'")" = 1 ] ||
	fail "released: $(sql "select count(*) from outbound where state = 'released'")"
stop_daemon
echo "ok $NAME: backup of $n_b of $n_live messages restored; $queued_b held (1 released), nothing sent twice"
