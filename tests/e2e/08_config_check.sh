#!/bin/bash
# motcuad -t: "configuration OK" and 0 on a good file; file:line and the key,
# and 1, on an unknown key, a bad value, a missing key or a bad template.
. "$(dirname "$0")/lib.sh"
PORT=2775
write_config
out=$("$BIN/motcuad" -t -c "$WORK/motcua.conf" 2>&1) || fail "good config refused: $out"
[ "$out" = "configuration OK" ] || fail "unexpected output: $out"

check_bad() {	# check_bad WANT  (config already written)
	local out rc=0
	out=$("$BIN/motcuad" -t -c "$WORK/motcua.conf" 2>&1) || rc=$?
	[ "$rc" = 1 ] || fail "exit $rc for a bad config ($1)"
	case $out in *"$1"*) ;; *) fail "want \"$1\", got \"$out\"" ;; esac
}
SMSC_EXTRA="windw = 5" write_config
check_bad "$WORK/motcua.conf:11: unknown key \"windw\" in [smsc]"
SMSC_EXTRA="bind = both" write_config
check_bad "$WORK/motcua.conf:11: bind: expected one of transceiver|transmitter+receiver"
WINDOW=0 write_config
check_bad "$WORK/motcua.conf:9: window: expected a number from 1 to 1000"
write_config
sed -i '/^system_id/d' "$WORK/motcua.conf"
check_bad "$WORK/motcua.conf:1: missing key system_id"
# A template with an unknown placeholder names the file and the line.
cp -r "$ROOT/templates/vi" "$WORK/tpl"
printf 'Hồ sơ {{code}}\n{{ten}}\n' >"$WORK/tpl/not_found.txt"
OFFICE_EXTRA="" write_config
sed -i "s|^templates = .*|templates = $WORK/tpl|" "$WORK/motcua.conf"
check_bad "$WORK/tpl/not_found.txt:2: unknown placeholder {{ten}}"
cp "$ROOT/templates/vi/not_found.txt" "$WORK/tpl/"
rm "$WORK/tpl/help.txt"
check_bad "$WORK/tpl/help.txt:0: missing template"
cp "$ROOT/templates/vi/help.txt" "$WORK/tpl/"
# A holiday that is not a date, and a range too long to be one holiday.
printf '# Tết\n2027-02-05..2027-02-10\n2027-02-30 sai\n' >>"$WORK/tpl/holidays.list"
check_bad "$WORK/tpl/holidays.list:17: not a date: want YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD"
cp "$ROOT/templates/vi/holidays.list" "$WORK/tpl/"
echo '2027-01-01..2027-03-01' >>"$WORK/tpl/holidays.list"
check_bad "$WORK/tpl/holidays.list:15: the range ends before it starts or is over 31 days"
rm "$WORK/tpl/holidays.list"	# optional: none is no holiday
out=$("$BIN/motcuad" -t -c "$WORK/motcua.conf" 2>&1) || fail "no holidays.list refused: $out"
echo "ok $NAME"
