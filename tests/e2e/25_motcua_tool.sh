#!/bin/bash
# The staff tool against a running daemon: status, case add/show/set/list,
# send, contact add/import (CSV with a BOM, a header, quoted names; bad
# lines reported as file:line and nothing imported until they are fixed), group show, broadcast dry run, report;
# --json prints the API's JSON; exit 0 done, 1 failed request or daemon
# down, 2 usage error.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
C1=$(case_code 1)

sim_script() {
	cat <<S
wait_bind 10
expect 0912000031 30s ^Hồ sơ $C1: cần bổ sung giấy tờ\. Mang CCCD\$
expect 0912000032 30s ^Xin chào từ motcua\$
expect 0912000099 30s ^end of test\$
expect_total 3
S
}
admin_up

# run WANT-EXIT ARGS...: the tool's stdout in $OUT, stderr in $ERR.
run() {
	local want=$1 rc=0
	shift
	$TOOL "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
	OUT=$(cat "$WORK/out") ERR=$(cat "$WORK/err")
	[ "$rc" = "$want" ] || fail "motcua $*: exit $rc, want $want: $OUT $ERR"
}
has() {	# has TEXT WHERE
	case $2 in *"$1"*) ;; *) fail "want \"$1\" in: $2" ;; esac
}

run 0 status
has "motcuad: ok" "$OUT"
has "link default: bound" "$OUT"
run 0 --json status
[ "$OUT" = '{"status":"ok","links":[{"name":"default","state":"bound"}],"queue":0}' ] ||
	fail "status --json: $OUT"

run 0 case add KS 0912000031 --name "Trần Thị B"
has "$C1  KS  received (within)" "$OUT"
has "name      Trần Thị B" "$OUT"
run 0 case add --json --code ABC-1 --status processing HN 0912000033
has '"code":"ABC-1"' "$OUT"
has '"channel":"import"' "$OUT"
run 1 case add --code abc.1 HN 0912000033
has "a case with this code exists (HTTP 409)" "$ERR"
run 0 case show abc1
has "ABC-1  HN  processing" "$OUT"
run 1 case show NOPE1
has "no such case (HTTP 404)" "$ERR"
run 0 case set "$C1" need_more --note "Mang CCCD"
has "$C1  KS  need_more" "$OUT"
has "need_more   $(id -un)  Mang CCCD" "$OUT"
run 1 case set "$C1" finished
has 'invalid status "finished"' "$ERR"
run 0 case list --status need_more
[ "$(wc -l <<<"$OUT")" = 1 ] && has "$C1" "$OUT" || fail "case list: $OUT"
run 0 --json case list --limit 1
grep -qE '^\{"cases":\[\{"code":"ABC-1".*\}\],"next":' <<<"$OUT" || fail "case list --json: $OUT"

run 0 send 0912000032 Xin chào từ motcua
grep -qE '^queued message [0-9]+ to 84912000032$' <<<"$OUT" || fail "send: $OUT"
run 1 send 0912000032 --template nope
has 'unknown template' "$ERR"

run 0 contact add 0912000040 --name Lan --group "Thôn 1"
has "84912000040  Lan" "$OUT"
printf '\xef\xbb\xbfSố điện thoại,Họ tên,Nhóm\r\n0912000041,"Trần, Văn C",Thôn 1; Thôn 3\r\n12345,Sai số,Thôn 1\r\n\r\n+84912000042,Lê D,\r\n0912000043,"chưa đóng,Thôn 1\r\n912000044,,thôn 3\r\n' \
    >"$WORK/contacts.csv"
run 1 contact import "$WORK/contacts.csv"
has "$WORK/contacts.csv: nothing imported, 2 lines with errors" "$OUT"
has "$WORK/contacts.csv:3: 12345: " "$ERR"
has "$WORK/contacts.csv:6: expected number,name,groups" "$ERR"
# All or nothing: the good lines went in only once the bad ones were gone.
run 1 contact show 0912000041
sed -i '/^12345,/d; /chưa đóng/d' "$WORK/contacts.csv"
run 0 contact import "$WORK/contacts.csv"
has "$WORK/contacts.csv: 3 contacts imported (3 new, 0 updated, 0 unchanged)" "$OUT"
run 0 group show "thôn 1"
has "Thôn 1: 2 members" "$OUT"
has "84912000041  Trần, Văn C" "$OUT"
run 0 --json group show "Thôn 3"
[ "$OUT" = '{"name":"Thôn 3","members":[{"msisdn":"84912000041","name":"Trần, Văn C","opted_out":false},{"msisdn":"84912000044","name":"","opted_out":false}]}' ] ||
	fail "group show --json: $OUT"
run 0 contact show 0912000042
has "84912000042  Lê D" "$OUT"
run 1 group show nowhere
has "no such group (HTTP 404)" "$ERR"

run 0 broadcast create --group "Thôn 1" --text "Họp thôn tối nay" --dry-run
has "Họp thôn tối nay" "$OUT"
run 1 broadcast show 1
has "no such broadcast (HTTP 404)" "$ERR"
run 0 report
has "cases received" "$OUT"
has "by status: processing 1 need_more 1" "$OUT"

# Usage errors: 2, and nothing sent.
run 2
run 2 frobnicate
run 2 case
run 2 case add KS
run 2 case set "$C1"
run 2 send 0912000032
run 2 case list --bogus
run 2 broadcast create --group a --to 0912000001 --text x
run 0 --help
has "case add" "$OUT"
run 0 case add --help
has "usage: motcua case add" "$OUT"
run 0 case --help
has "motcua case set" "$OUT"

# A wrong token: 401, exit 1.
sed 's/^token = .*/token = wrong/' "$WORK/motcua.conf" >"$WORK/wrong.conf"
out=$("$BIN/motcua" -c "$WORK/wrong.conf" case show "$C1" 2>&1) && fail "wrong token accepted"
has "wrong token (HTTP 401)" "$out"

run 0 send 0912000099 end of test
admin_down

# The daemon is gone: exit 1 and a clear message.
run 1 status
has "cannot reach motcuad" "$ERR"
echo "ok $NAME"
