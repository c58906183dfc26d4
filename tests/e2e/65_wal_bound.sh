#!/bin/bash
# The store's write-ahead log is bounded: after a burst of 6,000 messages
# the -wal file has grown, and once the link is quiet the checkpointer
# truncates it (within a few ticks), and /metrics says how big it is.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
E2E_TIMEOUT=120
SIM_ARGS="-n 6000"	# one message a number: no flood control
WINDOW=50

sim_script() {
	cat <<S
wait_bind 10
load 6000 50
exec sh $WORK/wal.sh
S
}
# wal.sh: the -wal file's size right after the burst, then every 0.1 s
# until it is under 64 KiB (at most 10 s); both into wal.out.
cat >"$WORK/wal.sh" <<S
#!/bin/sh
f="$WORK/motcua.db-wal"
echo "peak \$(stat -c %s "\$f" 2>/dev/null || echo 0)" >"$WORK/wal.out"
for i in \$(seq 100); do
	n=\$(stat -c %s "\$f" 2>/dev/null || echo 0)
	[ "\$n" -lt 65536 ] && break
	sleep 0.1
done
echo "after \$n" >>"$WORK/wal.out"
S
admin_up
wait_sim "$E2E_TIMEOUT"
peak=$(sed -n 's/^peak //p' "$WORK/wal.out")
after=$(sed -n 's/^after //p' "$WORK/wal.out")
[ "$peak" -gt 1048576 ] || fail "the burst left only $peak bytes of WAL: not a test"
[ "$after" -lt 65536 ] || fail "the WAL stayed at $after bytes (peak $peak) once quiet"
call GET /metrics
want 200 motcua_store_wal_bytes
gauge=$(echo "$BODY" | sed -n 's/^motcua_store_wal_bytes //p')
stop_daemon
[ "$gauge" -lt 65536 ] || fail "/metrics says the WAL is $gauge bytes once quiet"
echo "ok $NAME: the WAL at $peak bytes after the burst, $after once quiet"
