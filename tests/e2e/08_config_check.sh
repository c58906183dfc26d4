#!/bin/bash
# motcuad -t: "configuration OK" and 0 on a good file; file:line and the key,
# and 1, on an unknown key, a bad value, a missing key or a bad template.
# Every value -t accepts starts: for each accepted [admin] listen form (and
# the other values once refused later), the daemon comes up and answers
# /health there, and the staff tool finds it through the same parser; each
# value the daemon or the tool could not use is refused by -t, by the tool
# with the same file:line, and a file over 64 KiB by both alike; so are a
# NUL byte, a section or key written twice, a FIFO and a directory. An
# admin address beyond loopback is warned about by -t and at start; a
# template with a NUL byte, or one that would send a blank SMS, is refused.
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

# Values -t once passed and the daemon or the tool then refused or misread:
# refused by -t at their line, and by the tool with the same words.
check_value() {	# check_value WANT: -t, then the tool, on the file written
	check_bad "$1"
	local out rc=0
	out=$("$BIN/motcua" -c "$WORK/motcua.conf" status 2>&1) || rc=$?
	[ "$rc" = 1 ] || fail "the tool: exit $rc for a bad config ($1)"
	[ "$out" = "$("$BIN/motcuad" -t -c "$WORK/motcua.conf" 2>&1)" ] ||
		fail "the tool and the daemon differ: \"$out\""
}
C=$WORK/motcua.conf
for v in nonsense gateway.lan:8077 127.0.0.1:99999 ::1:8077 '*:8077'; do
	OFFICE_EXTRA=$'[admin]\nlisten = '"$v" write_config
	check_value "$C:19: listen: "
done
write_config
sed -i "s/^host = .*/host = 10.0.0.1:2775/" "$C"
check_value "$C:2: host: expected a host name or an IP address"
SMSC_EXTRA="source_addr = UBNDXAVINHHOA" write_config
check_value "$C:11: source_addr: a sender name has at most 11 characters"
SMSC_EXTRA="prefixes = 0912" write_config
check_value "$C:11: prefixes: \"0912\" never matches"
OFFICE_EXTRA=$'[sms]\ncountry_code = VN' write_config
check_value "$C:19: country_code: expected 1 to 3 digits"
OFFICE_EXTRA=$'[ussd]\nservice_code = 8077' write_config
check_value "$C:19: service_code: expected a code such as *8077#"
OFFICE_EXTRA="quiet_hours = 21:00-21:00" write_config
check_value "$C:18: quiet_hours: \"21:00-21:00\" starts and ends at the same time"
OFFICE_EXTRA="code_prefix = mc" write_config
check_value "$C:18: code_prefix: expected capital letters A to Z"
# The store's folder is the daemon's own check: -t only.
write_config
sed -i "s|^path = .*|path = $WORK/no/such/dir/motcua.db|" "$C"
check_bad "$C:14: path: cannot keep the store at $WORK/no/such/dir/motcua.db: its folder $WORK/no/such/dir: No such file or directory"

# A file over 64 KiB: the daemon and the tool refuse it alike.
write_config
head -c 70000 /dev/zero | tr '\0' '#' | fold -w 60 >>"$C"
check_value "$C:0: larger than 64 KiB"

# What the reader once let through (issue 16), refused by -t and the tool
# alike. A NUL byte: what follows it (the token, a bogus key) would vanish.
OFFICE_EXTRA=$'[admin]\ntoken = abc' write_config
printf '[sms]\nbogus\0 = 1\n' >>"$C"
check_value "$C:21: a NUL byte: not a text file"
# The same section or key twice: no guessing which one counts.
OFFICE_EXTRA=$'[store]\nsync = full' write_config
check_value "$C:18: duplicate section [store] (first on line 13)"
SMSC_EXTRA="window = 5" write_config
check_value "$C:11: duplicate key \"window\" in [smsc] (first on line 9)"
# Several links are several named [smsc NAME] sections: still fine.
OFFICE_EXTRA=$'[smsc b]\nsystem_id = b\npassword = b\nprefixes = 8491' write_config
out=$("$BIN/motcuad" -t -c "$C" 2>&1) || fail "two links refused: $out"
# Only a regular file is read: a FIFO once hung -t (and the tool).
check_not_file() {	# check_not_file PATH WANT
	local out rc=0 prog
	for prog in "$BIN/motcuad -t" "$BIN/motcua status"; do
		rc=0
		out=$(timeout 10 ${prog% *} -c "$1" ${prog##* } 2>&1) || rc=$?
		[ "$rc" = 124 ] && fail "${prog% *} hangs reading $1"
		[ "$rc" = 1 ] || fail "${prog% *}: exit $rc for $1"
		[ "$out" = "$1:0: $2" ] || fail "${prog% *}: want \"$1:0: $2\", got \"$out\""
	done
}
mkfifo "$WORK/fifo.conf"
check_not_file "$WORK/fifo.conf" "not a regular file (a FIFO, a socket or a device): only a file is read"
mkdir "$WORK/conf.d"
check_not_file "$WORK/conf.d" "is a directory"
# An admin API reachable from other machines, without TLS: a warning on
# stderr from -t (still OK), and in the log at start (below); none on
# loopback.
OFFICE_EXTRA=$'[admin]\nlisten = 0.0.0.0:8077' write_config
out=$("$BIN/motcuad" -t -c "$C" 2>"$WORK/t.err") || fail "listen = 0.0.0.0 refused"
[ "$out" = "configuration OK" ] || fail "listen = 0.0.0.0: $out"
grep -qx "$C:19: warning: listen = 0.0.0.0:8077: the admin API is reachable from other machines, without TLS: .*" "$WORK/t.err" ||
	fail "listen = 0.0.0.0: no warning from -t: \"$(cat "$WORK/t.err")\""
OFFICE_EXTRA=$'[admin]\nlisten = 127.0.0.1:8077' write_config
"$BIN/motcuad" -t -c "$C" >/dev/null 2>"$WORK/t.err" || fail "listen = 127.0.0.1 refused"
[ -s "$WORK/t.err" ] && fail "listen = 127.0.0.1 warned: $(cat "$WORK/t.err")"
# Templates: a NUL byte, an empty help, a reply of placeholders only (a
# blank SMS when they are empty) are refused, file and line.
OFFICE_EXTRA="" write_config
sed -i "s|^templates = .*|templates = $WORK/tpl|" "$C"
printf 'Soạn HD gửi 8077\nTC <mã hồ sơ>\0 tra cứu\n' >"$WORK/tpl/help.txt"
check_bad "$WORK/tpl/help.txt:2: a NUL byte: not a text file"
: >"$WORK/tpl/help.txt"
check_bad "$WORK/tpl/help.txt:1: empty: citizens would receive a blank SMS"
cp "$ROOT/templates/vi/help.txt" "$WORK/tpl/"
printf '{{suggestion}}\n' >"$WORK/tpl/unknown.txt"
check_bad "$WORK/tpl/unknown.txt:1: no text besides its placeholders, which can be empty: citizens would receive a blank SMS"
cp "$ROOT/templates/vi/unknown.txt" "$WORK/tpl/"
out=$("$BIN/motcuad" -t -c "$C" 2>&1) || fail "the templates restored, refused: $out"

# Every listen form -t accepts starts: the daemon answers /health there
# (port 0: the kernel picks, read from the log), and the tool, given the
# same form with that port, reaches it. No SMSC: the link retries.
PORT=1
forms=(127.0.0.1:0 0.0.0.0:0 localhost:0 0)
grep -q '^0\{31\}1 .* lo$' /proc/net/if_inet6 2>/dev/null && forms+=('[::1]:0' '[::]:0')
for v in "${forms[@]}"; do
	OFFICE_EXTRA=$'quiet_hours = 7:00-21:30\n[admin]\nlisten = '"$v"$'\n[sms]\ncountry_code = 1\n[ussd]\nservice_code = *123*4#'
	SMSC_EXTRA=$'source_addr = UBNDVINHHOA\nprefixes = 8491' write_config
	sed -i "s/^host = .*/host = localhost/" "$C"
	out=$("$BIN/motcuad" -t -c "$C" 2>&1) || fail "listen = $v refused: $out"
	: >"$WORK/motcuad.log"
	start_daemon
	port=
	for _ in $(seq 200); do
		port=$(sed -n 's/.* admin listening on .*:\([0-9][0-9]*\)$/\1/p' \
		    "$WORK/motcuad.log" | tail -n 1)
		[ -n "$port" ] && break
		kill -0 "$(cat "$WORK/motcuad.pid")" 2>/dev/null || break
		sleep 0.05
	done
	[ -n "$port" ] || fail "listen = $v: -t said OK, the daemon did not listen"
	case $v in
	0.0.0.0:0|\[::\]:0) grep -qF "warning: listen = $v: the admin API is reachable" "$WORK/motcuad.log" ||
		fail "listen = $v: no warning at start" ;;
	*) grep -q "warning: listen" "$WORK/motcuad.log" && fail "listen = $v: warned at start" ;;
	esac
	case $v in \[::*) url="http://[::1]:$port" ;; *) url="http://127.0.0.1:$port" ;; esac
	curl -s "$url/health" | grep -q '"status"' || fail "listen = $v: no /health at $url"
	sed -i "s/^listen = .*/listen = ${v%0}$port/" "$C"
	out=$("$BIN/motcua" -c "$C" status 2>&1) || fail "listen = ${v%0}$port: the tool: $out"
	case $out in *"motcuad: "*) ;; *) fail "listen = ${v%0}$port: the tool said $out" ;; esac
	stop_daemon
done
echo "ok $NAME"
