#!/bin/bash
# The inbox: a text no rule answered and a feedback each open a thread
# for their number (newest first, paged with a cursor); the thread shows
# the conversation both ways; a clerk's reply is stored before it is sent
# and reaches the phone; "done" closes the thread (and says who), a
# command the office answers leaves it closed, and a new text that needs
# a person reopens it. Bad requests are 400 and change nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
OFFICE_EXTRA="quiet_hours ="
REPLY="Chào ông/bà, xã đã nhận tin. Mời ông/bà gọi 0240 3888 888."

sim_script() {
	cat <<S
wait_bind 10
send 0912000071 asdfgh qwerty
expect 0912000071 30s chưa đúng cú pháp
send 0912000072 PA Den duong thon Bac bi hong
expect 0912000072 30s ^Đã nhận phản ánh
send 0912000071 zxcvb asdfgh
expect 0912000071 30s chưa đúng cú pháp
expect 0912000071 30s ^$REPLY\$
exec sh $WORK/await.sh closed
send 0912000071 HD
expect 0912000071 30s ^Tra cứu hồ sơ: TC
send 0912000071 qwerty zxcvb
expect 0912000071 30s chưa đúng cú pháp
expect 0912000099 30s ^end of test\$
S
}
write_awaits
admin_up

jget() {
	python3 -c "import json,sys; j=json.load(sys.stdin); print($1)" <<<"$BODY" ||
	    fail "$LAST: cannot read $1 from $BODY"
}
until_sql() {
	for _ in $(seq 200); do
		[ "$(sql "$1")" = "$2" ] && return 0
		sleep 0.05
	done
	fail "$1: $(sql "$1"), want $2"
}

until_sql "select group_concat(msisdn || ':' || kind || ':' || count, ' ') from (select * from inbox order by msisdn)" \
    "84912000071:unknown:2 84912000072:feedback:1"
until_sql "select count(*) from outbound where state = 'queued'" 0

# The list, newest first; pages of one follow the cursor to the end.
call GET /inbox
want 200 '"next":null'
[ "$(jget "' '.join(t['msisdn']+':'+t['kind']+':'+str(t['count'])+':'+str(t['done']) for t in j['threads'])")" = \
    "84912000071:unknown:2:False 84912000072:feedback:1:False" ] || fail "inbox: $BODY"
want 200 '"last_text":"zxcvb asdfgh"' '"last_text":"PA Den duong thon Bac bi hong"'
seen= after=
for _ in 1 2 3; do
	call GET "/inbox?limit=1${after:+&after=$after}"
	want 200
	seen="$seen $(jget "' '.join(t['msisdn'] for t in j['threads'])")"
	after=$(jget "j['next'] or ''")
	[ -z "$after" ] && break
done
[ "$(echo $seen)" = "84912000071 84912000072" ] && [ -z "$after" ] || fail "pages: $seen ($after)"
call GET '/inbox?after=abc'
want 400 'after:'
call GET '/inbox?limit=0'
want 400 'limit:'

# A thread: the conversation both ways, oldest first.
call GET /inbox/0912000071
want 200 '"msisdn":"84912000071"' '"done":false'
[ "$(jget "' '.join(m['dir'] for m in j['messages'])")" = "in out in out" ] &&
[ "$(jget "j['messages'][2]['text']")" = "zxcvb asdfgh" ] || fail "thread: $BODY"
call GET /inbox/0912000079
want 404 'no inbox thread'
call GET /inbox/abc
want 400 'the number:'

# Replies: bad ones change nothing; a good one is stored, then sent.
before=$(sql "select count(*) from outbound")
call POST /inbox/0912000071/reply '{}'
want 400 '\"text\" is required'
call POST /inbox/0912000071/reply '{"text": ""}'
want 400 '\"text\" is required'
call POST /inbox/0912000071/reply '{"text": "x", "to": "0912000072"}'
want 400 'unknown field \"to\"'
same "select count(*) from outbound" "$before"
call POST /inbox/+84912000071/reply "{\"text\": \"$REPLY\"}"
want 201 '"id":'
ID=$(jget 'j["id"]')
same "select msisdn || '|' || text from outbound where id = $ID" "84912000071|$REPLY"
until_sql "select state from outbound where id = $ID" sent
call GET /inbox/0912000071
[ "$(jget "j['messages'][-1]['dir'] + '|' + j['messages'][-1]['text']")" = "out|$REPLY" ] ||
	fail "the reply in the thread: $BODY"

# Done, by whom; the start page no longer lists it.
call POST /inbox/0912000071/done '' -H 'X-Actor: Lan'
want_exact 200 '{"msisdn":"84912000071","done":true}'
call POST /inbox/0912000079/done
want 404 'no inbox thread'
call GET /inbox
want 200 '"done":true,"done_by":"Lan"'
call GET /inbox/0912000071
want 200 '"done":true'
call GET /today
[ "$(jget "' '.join(p['msisdn'] for p in j['needs_person'])")" = 84912000072 ] ||
	fail "today after done: $BODY"

# HD is answered by the office and leaves it closed; the next unknown
# text reopens it, counting from one.
touch "$WORK/closed"
until_sql "select done_at is null, count, last_text from inbox where msisdn = '84912000071'" \
    "1|1|qwerty zxcvb"
[ "$(sql "select count(*) from inbound where msisdn = '84912000071' and text = 'HD'")" = 1 ] ||
	fail "HD did not come first"
call GET /inbox/0912000071
want 200 '"done":false'
call GET /today
[ "$(jget "' '.join(p['msisdn'] for p in j['needs_person'])")" = "84912000071 84912000072" ] ||
	fail "today after reopening: $BODY"

end_of_test
admin_down
echo "ok $NAME"
