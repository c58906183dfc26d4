#!/bin/bash
# Issue 16 item 3: first parts whose sets never complete must not freeze
# the daemon. 10,000 of them, from as many numbers, are on disk and 60 s
# old when motcuad starts: they expire a short transaction at a time
# while SMS keeps flowing, so a citizen's HD sent meanwhile is handled
# before the last of them (the old code expired them all in one
# transaction before the links came up). And one number cannot hold more
# than 8 sets open: its ninth closes its oldest at once (the old code
# kept them all for 60 s).
. "$(dirname "$0")/lib.sh"
E2E_TIMEOUT=55
ORPHANS=10000

hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }

# The schema, as the daemon makes it, then the orphans written into it.
seed() {
	PORT=1 write_config
	"$BIN/motcuad" -c "$WORK/motcua.conf" >"$WORK/seed.log" 2>&1 &
	local d=$!
	for _ in $(seq 200); do
		sqlite3 "$WORK/motcua.db" "select 1 from inbound_part limit 0" \
		    2>/dev/null && break
		sleep 0.05
	done
	kill "$d"; wait "$d" 2>/dev/null
	sqlite3 "$WORK/motcua.db" <<SQL || fail "seeding failed"
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ORPHANS)
INSERT INTO inbound_part(link, msisdn, ref, total, seq, text, received_at)
SELECT 'smsc', printf('8497%07d', i), i % 256, 2, 1, 'Xin cho hoi ve ho so',
    (strftime('%s', 'now') - 120) * 1000 + i FROM n;
SQL
}

sim_script() {
	local i
	echo "wait_bind 10"
	echo "send 0912000048 HD"
	for i in $(seq 10); do
		echo "send_part 0 0912000049 $i 1/2 $(hex "phan $i ")"
	done
	cat <<S
expect 0912000048 20s Soạn|TC|NOP
expect 0912000049 20s .
expect 0912000049 20s .
wait_acked
exec 40s for i in \$(seq 400); do [ "\$(sqlite3 $WORK/motcua.db "select count(*) from inbound_part where msisdn like '8497%'")" = 0 ] && exit 0; sleep 0.1; done; exit 1
S
}
seed
e2e_run
hd=$(sql "select id from inbound where msisdn = '84912000048'")
[ -n "$hd" ] || fail "HD was not stored"
[ "$(sql "select count(*) from inbound where msisdn like '8497%' and id > $hd")" -gt 0 ] ||
	fail "HD waited until every orphan had expired"
[ "$(grep -c 'msisdn=84912000049 parts of ref=[12] closed early: the number has 8 newer' "$WORK/motcuad.log")" = 2 ] ||
	fail "the number's two oldest sets were not closed at the cap"
[ "$(sql "select count(distinct ref) from inbound_part where msisdn = '84912000049'")" = 8 ] ||
	fail "want 8 sets left open for 84912000049"
[ "$(sql "select count(*) from inbound_part where msisdn like '8497%'")" = 0 ] ||
	fail "orphans left: $(sql "select count(*) from inbound_part where msisdn like '8497%'")"
[ "$(sql "select count(*) from inbound where msisdn like '8497%'")" = $ORPHANS ] ||
	fail "want each orphan handled once as a message"
