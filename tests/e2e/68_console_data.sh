#!/bin/bash
# The console's read side against the real daemon and the simulator:
# GET /today lists what is due today, tomorrow (to the next working day)
# and overdue (open cases only), the day's messages in and out and the
# texts that need a person; GET /cases finds a case by its code in any
# spelling, by its number in any form and by part of its name without
# case or accents, filters by status, procedure, channel, kind and
# timeliness, and pages with a cursor without duplicates or gaps; the
# case page carries the number's messages both ways and the rating;
# POST /preview gives the exact text, its alphabet and parts (a status
# change's preview is the SMS the simulator then receives) and changes
# nothing; the slip carries a QR code whose SVG has the right structure.
# date-sensitive: also run at pinned dates (tests/run.sh)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
OFFICE_EXTRA="ask_rating = yes
quiet_hours ="
TODAY=$(date +%F)
TOMORROW=$(date -d "$TODAY +1 day" +%F)
C1=$(case_code 2)	# the feedback below takes the first code

sim_script() {
	cat <<S
wait_bind 10
send 0912000063 asdfgh qwerty
expect 0912000063 30s ^Tin nhắn chưa đúng cú pháp
send 0912000064 PA Duong thon Dong bi hong nang
expect 0912000064 30s ^Đã nhận phản ánh
expect 0912000061 30s ^Hồ sơ [A-Z0-9]*: cần bổ sung giấy tờ\. Mang theo CCCD bản chính\$
send 0912000061 TC $C1
expect 0912000061 30s ^Hồ sơ [A-Z0-9]* \(
expect 0912000062 30s ^Mời ông/bà đánh giá
send 0912000062 5
expect 0912000062 30s ^Cảm ơn ông/bà
expect 0912000099 30s ^end of test\$
expect_nodup
S
}
admin_up

# jget EXPR: a Python expression over the last answer, j.
jget() {
	python3 -c "import json,sys; j=json.load(sys.stdin); print($1)" <<<"$BODY" ||
	    fail "$LAST: cannot read $1 from $BODY"
}
# add BODY: a case made through the API; its code in $CODE.
add() {
	call POST /cases "$1"
	want 201
	CODE=$(jget 'j["code"]')
}
# until_sql QUERY VALUE: waits (10 s) until the database says VALUE.
until_sql() {
	for _ in $(seq 200); do
		[ "$(sql "$1")" = "$2" ] && return 0
		sleep 0.05
	done
	fail "$1: $(sql "$1"), want $2"
}

# The texts that need a person come first: the feedback takes a code.
until_sql "select count(*) from inbox" 2

add "{\"procedure\": \"KS\", \"msisdn\": \"0912000061\", \"name\": \"Nguyễn Văn An\", \"due\": \"$TODAY\"}"
[ "$CODE" = "$C1" ] || fail "the first case is $CODE, want $C1"
add "{\"procedure\": \"HN\", \"msisdn\": \"0912000062\", \"name\": \"Trần Thị Bình\", \"due\": \"$TOMORROW\"}"
C2=$CODE
add "{\"procedure\": \"KS\", \"msisdn\": \"0912000065\", \"name\": \"Lê Văn Cường\", \"due\": \"$TOMORROW\", \"status\": \"processing\"}"
C3=$CODE
add '{"code": "IMP-68-1", "procedure": "HN", "msisdn": "0912000066", "name": "Phạm Thị Dung", "due": "2020-01-01", "status": "processing"}'
add "{\"procedure\": \"KS\", \"msisdn\": \"0912000067\", \"name\": \"Đỗ Văn Em\", \"due\": \"$TODAY\", \"status\": \"ready\"}"
C5=$CODE
for i in $(seq 10 29); do
	add "{\"procedure\": \"KT\", \"msisdn\": \"09120001$i\", \"name\": \"Hoàng Văn Số $i\", \"due\": \"2099-01-01\"}"
done
ALL=$(sql "select count(*) from cases")
[ "$ALL" = 26 ] || fail "cases: $ALL"

# Today: open cases only, each list in its place.
call GET /today
want 200 '"links":[{"name":"' '"queue":' '"messages":{"in":'
codes() { jget "' '.join(c['code'] for c in j['$1'])"; }
[ "$(codes due_today)" = "$C1" ] || fail "due_today: $BODY"
case " $(codes due_tomorrow) " in *" $C2 $C3 "*) ;; *) fail "due_tomorrow: $BODY" ;; esac
[ "$(codes overdue)" = "IMP-68-1" ] || fail "overdue: $BODY"
[ "$(jget "sorted(p['msisdn']+':'+p['kind'] for p in j['needs_person'])")" = \
    "['84912000063:unknown', '84912000064:feedback']" ] || fail "needs_person: $BODY"
grep -q "\"code\":\"$C5\"" <<<"$BODY" && fail "a ready case is listed: $BODY"

# Search: a code in any spelling, a number in any form, part of a name.
found() {	# found QUERY CODES...: exactly these, in this order
	local q=$1
	shift
	call GET "/cases?$q"
	want 200 '"cases":['
	[ "$(jget "' '.join(c['code'] for c in j['cases'])")" = "$*" ] ||
	    fail "$q: want $*: $BODY"
}
lower=$(tr 'A-Z' 'a-z' <<<"$C1")
found "q=${lower:0:4}%20${lower:4:3}-${lower:7}" "$C1"
found "q=imp.68.1" IMP-68-1
found "q=%2B84912000062" "$C2"
found "q=0912%20000%20065" "$C3"
found "q=nguyen%20van" "$C1"
found "q=%C4%91o%CC%83%20VAN%20em" "$C5"	# "đõ VAN em" (a combining tilde) folds as "do van em"
found "q=do%20van%20em" "$C5"
found "q=TR%E1%BA%A6N%20th%E1%BB%8B" "$C2"	# "TRẦN thị"
found "q=van%20so%2012" "$(sql "select code from cases where name like '%12'")"
found "q=nobody%20here"
# Filters.
found "procedure=HN" "IMP-68-1 $C2"
found "procedure=HN&kind=case&channel=counter" "$C2"
found "channel=import" IMP-68-1
found "timeliness=overdue" IMP-68-1
found "status=ready" "$C5"
found "status=processing&q=le%20van" "$C3"
found "kind=feedback&q=0912000064" "$(sql "select code from cases where kind = 'feedback'")"
call GET '/cases?timeliness=soon'
want 400 'timeliness: within, overdue, early, on_time or late'
call GET '/cases?after=yesterday'
want 400 'after: the \"next\" of the page before'
call GET '/cases?channel=fax'
want 400 'channel:'

# Pages of 7 newest first: every case once, in order, then next = null.
seen= pages=0 after=
while :; do
	call GET "/cases?limit=7${after:+&after=$after}"
	want 200
	seen="$seen $(jget "' '.join(c['code'] for c in j['cases'])")"
	after=$(jget "j['next'] or ''")
	pages=$((pages + 1))
	[ -z "$after" ] && break
	[ "$pages" -lt 10 ] || fail "pages do not end: $BODY"
done
want_all=$(sql "select code from cases order by received_at desc, id desc" | tr '\n' ' ')
[ "$(echo $seen)" = "$(echo $want_all)" ] || fail "pages: $seen, want $want_all"
[ "$pages" -ge 4 ] || fail "pages: $pages"

# Previews: alphabet and parts as the outbox splits them; nothing kept.
before=$(sql "select count(*) from outbound")
preview() {	# preview BODY ALPHABET PARTS CHARS
	call POST /preview "$1"
	want 200 "\"alphabet\":\"$2\"" "\"parts\":$3," "\"chars\":$4,"
}
preview '{"text": "Moi ong ba den nhan ket qua"}' gsm 1 27
preview '{"text": "Mời ông bà đến nhận kết quả"}' ucs2 1 27
preview "{\"text\": \"$(printf 'a%.0s' $(seq 161))\"}" gsm 2 161
preview "{\"text\": \"$(printf 'ă%.0s' $(seq 71))\"}" ucs2 2 71
preview "{\"text\": \"$(printf 'a%.0s' $(seq 158)){}\"}" gsm 2 162
preview '{"template": "feedback_received", "vars": {"code": "MC1"}}' ucs2 1 49
want 200 '"text":"Đã nhận phản ánh, mã MC1. Cảm ơn ông/bà đã góp ý."'
call POST /preview '{"template": "nope"}'
want 400 'unknown template'
call POST /preview '{"text": "a", "case": "x"}'
want 400 'give one of'
call POST /preview '{"case": "NOPE-1", "status": "ready"}'
want 400 'case: no case \"NOPE-1\"'
call POST /preview "{\"case\": \"$C1\", \"status\": \"later\"}"
want 400 'invalid status'
call POST /preview "{\"case\": \"$C1\", \"status\": \"need_more\", \"note\": \"Mang theo CCCD bản chính\"}"
want 200 '"alphabet":"ucs2"' '"parts":1'
PREVIEW=$(jget 'j["text"]')
[ "$PREVIEW" = "Hồ sơ $C1: cần bổ sung giấy tờ. Mang theo CCCD bản chính" ] ||
	fail "status preview: $PREVIEW"
same "select count(*) from outbound" "$before"
same "select status from cases where code = '$C1'" 2

# The change itself: the simulator's expect checks the text; the store
# sent exactly the preview.
call PATCH "/cases/$C1" '{"status": "need_more", "note": "Mang theo CCCD bản chính"}'
want 200
same "select text from outbound where msisdn = '84912000061' and kind = 'notify'" "$PREVIEW"

# The citizen asks; the case page shows both ways.
until_sql "select count(*) from outbound o join inbound i on o.inbound_id = i.id where i.msisdn = '84912000061'" 1
call GET "/cases/$C1?messages=1"
want 200 "\"code\":\"$C1\"" '"history":[' '"rating":null'
[ "$(jget "' '.join(m['dir'] for m in j['messages'])")" = "out in out" ] &&
[ "$(jget "j['messages'][0]['text']")" = "$PREVIEW" ] &&
[ "$(jget "j['messages'][1]['text']")" = "TC $C1" ] &&
[ "$(jget "j['messages'][2]['text'].startswith('Hồ sơ $C1 (Đăng ký khai sinh)')")" = True ] ||
    fail "messages: $BODY"
jget "j['messages'][1]['at']" | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' || fail "at: $BODY"
call GET "/cases/$C1"
want 200
grep -q '"messages"' <<<"$BODY" && fail "messages without messages=1: $BODY"
call GET "/cases/$C1?comments=1"
want 400 'unknown parameter'

# Returned: the citizen rates it 5; the case page has score and time.
call PATCH "/cases/$C2" '{"status": "returned"}'
want 200
until_sql "select rating from cases where code = '$C2'" 5
call GET "/cases/$C2?messages=1"
want 200 '"rating":{"score":5,"at":"'"$TODAY"'T'

# Today again: the day's messages match the store.
until_sql "select count(*) from outbound where state = 'queued'" 0
call GET /today
[ "$(jget "j['messages']['in']")" = "$(sql "select count(*) from inbound")" ] &&
[ "$(jget "j['messages']['out']")" = "$(sql "select count(*) from outbound")" ] ||
	fail "messages today: $BODY"
[ "$(codes due_today)" = "$C1" ] || fail "due_today after need_more: $BODY"

# The slip: its fields, and an SVG QR code with a quiet zone and the
# three finder patterns where a reader looks for them.
call GET "/cases/$C3/slip"
want 200 "\"code\":\"$C3\"" '"procedure":"KS"' '"procedure_name":"Đăng ký khai sinh"' \
    '"name":"Lê Văn Cường"' "\"due\":\"$TOMORROW\"" '"short_code":"8077"' \
    '"ussd":"*8077#"' "\"sms_text\":\"TC $C3\"" '"qr_svg":"<svg '
jget 'j["qr_svg"]' >"$WORK/slip.svg"
python3 - "$WORK/slip.svg" <<'PY' || fail "slip SVG: $(cat "$WORK/slip.svg")"
import sys, xml.etree.ElementTree as ET
svg = ET.parse(sys.argv[1]).getroot()
ns = "{http://www.w3.org/2000/svg}"
assert svg.tag == ns + "svg" and svg.get("shape-rendering") == "crispEdges"
w = int(svg.get("viewBox").split()[2])
n = w - 8
assert n >= 21 and (n - 17) % 4 == 0, w	# a QR version's size
rects = svg.findall(ns + "rect")
assert rects[0].get("fill") == "#fff" and int(rects[0].get("width")) == w
m = [[0] * w for _ in range(w)]
for r in rects[1:]:
	x, y, rw = int(r.get("x")), int(r.get("y")), int(r.get("width"))
	assert r.get("fill") == "#000" and r.get("height") == "1"
	for i in range(rw):
		m[y][x + i] = 1
for i in range(w):	# the quiet zone
	for j in list(range(4)) + list(range(w - 4, w)):
		assert m[i][j] == 0 and m[j][i] == 0
def finder(ox, oy):
	for dy in range(7):
		for dx in range(7):
			ring = max(abs(dx - 3), abs(dy - 3))
			assert m[oy + dy][ox + dx] == (ring != 2), (ox, oy, dx, dy)
finder(4, 4); finder(w - 11, 4); finder(4, w - 11)
PY
call GET /cases/NOPE-1/slip
want 404 'no such case'

end_of_test
admin_down
echo "ok $NAME"
