#!/bin/bash
# motcua contact import of 100,000 rows: all or nothing. A file whose very
# last line is bad imports nothing (every refused line named as file:line);
# a tool killed half-way imports nothing; the good file goes in whole, in
# one transaction, in a few hundred requests rather than one per row. The
# time and the daemon's RSS are printed (the figure the README states).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
ROWS=${ROWS:-100000}

sim_script() {
	cat <<S
wait_bind 10
expect 0912000099 120s ^end of test\$
S
}
admin_up
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$(cat "$WORK/motcuad.pid")/status"; }
# One contact imported before: it is updated, not added.
call POST /contacts '{"msisdn": "0913000007", "name": "Cũ", "groups": ["Hội Nông dân"]}'
want 201
awk -v n="$ROWS" 'BEGIN { print "Số điện thoại,Họ tên,Nhóm";
	for (i = 0; i < n; i++)
		printf "0913%06d,Nguyễn Văn %d,Thôn Lớn; Hội %d\n", i, i, i % 7 }' \
    >"$WORK/big.csv"
{ cat "$WORK/big.csv"; echo '0913999999,Ai đó,Thôn Lớn'; echo 'không phải số,Sai,Thôn Lớn'; } \
    >"$WORK/bad.csv"
rss0=$(rss)

# A bad last line: nothing changes, and the line is named.
$TOOL contact import "$WORK/bad.csv" >"$WORK/out" 2>"$WORK/err" && fail "bad.csv: exit 0"
grep -q "bad.csv:$((ROWS + 3)): không phải số: " "$WORK/err" || fail "the bad line not named: $(head -c 300 "$WORK/err")"
grep -q "nothing imported, 1 line with errors" "$WORK/out" || fail "bad.csv: $(cat "$WORK/out")"
same "select count(*) from contacts" 1
same "select count(*) from groups g join contact_groups cg on cg.group_id = g.id where g.name = 'Thôn Lớn'" 0

# The API itself: a row the daemon refuses (a group name too long) is
# answered with its row number, and the commit then changes nothing.
long=$(printf 'x%.0s' $(seq 70))
call POST /contacts/import "{\"rows\": [{\"row\": 2, \"msisdn\": \"0913999998\", \"groups\": [\"Thôn Lớn\"]}, {\"row\": 3, \"msisdn\": \"0913999997\", \"groups\": [\"$long\"]}]}"
want 200 '"staged":1' '"errors":[{"row":3,"error":'
id=$(sed 's/.*"import":\([0-9]*\).*/\1/' <<<"$BODY")
call POST /contacts/import "{\"import\": $id}"
want 200 '"rows":1' '"errors":1' '"new":1'
call POST /contacts/import "{\"import\": $id, \"commit\": true}"
want 400 'nothing imported'
same "select count(*) from contacts" 1
call POST /contacts/import "{\"import\": $id, \"commit\": true}"
want 404 'no such import'

# The tool killed half-way: nothing changes.
$TOOL contact import "$WORK/big.csv" >/dev/null 2>&1 &
tool=$!
for _ in $(seq 400); do
	[ "$(grep -c 'path=/contacts/import status=200' "$WORK/motcuad.log")" -ge 20 ] && break
	sleep 0.02
done
kill -9 "$tool"; wait "$tool" 2>/dev/null
same "select count(*) from contacts" 1

# The whole file.
before=$(grep -c 'path=/contacts/import ' "$WORK/motcuad.log")
t0=$(date +%s.%N)
$TOOL contact import "$WORK/big.csv" >"$WORK/out" 2>"$WORK/err" || fail "big.csv: $(cat "$WORK/out" "$WORK/err")"
t1=$(date +%s.%N)
grep -q "big.csv: $ROWS contacts imported ($((ROWS - 1)) new, 1 updated, 0 unchanged)" "$WORK/out" ||
	fail "big.csv: $(cat "$WORK/out")"
same "select count(*) from contacts" "$ROWS"
same "select count(*) from contact_groups cg join groups g on g.id = cg.group_id where g.name = 'Thôn Lớn'" "$ROWS"
same "select name from contacts where msisdn = '84913000007'" "Nguyễn Văn 7"
same "select group_concat(g.name, ';') from contact_groups cg join groups g on g.id = cg.group_id where cg.msisdn = '84913000007' order by g.name" "Hội 0;Thôn Lớn"
requests=$(( $(grep -c 'path=/contacts/import ' "$WORK/motcuad.log") - before ))
[ "$requests" -le $((ROWS / 100)) ] || fail "$requests requests for $ROWS rows"
# Again: nothing to change.
$TOOL contact import "$WORK/big.csv" >"$WORK/out" 2>&1 || fail "again: $(cat "$WORK/out")"
grep -q "($((0)) new, 0 updated, $ROWS unchanged)" "$WORK/out" || fail "again: $(cat "$WORK/out")"
printf 'figure: %d rows imported in %.1f s, %d requests; daemon RSS %d KB before, %d KB after\n' \
    "$ROWS" "$(echo "$t1 - $t0" | bc)" "$requests" "$rss0" "$(rss)"
end_of_test
admin_down
echo "ok $NAME"
