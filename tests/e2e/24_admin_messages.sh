#!/bin/bash
# POST /messages sends a text or a rendered template (201 with its id);
# bad ones are 400 and send nothing. Contacts: upsert by any spelling of
# the number, groups replaced as given, names composed (NFC) so both
# Unicode forms of "Thôn" are one group; GET /groups shows the members
# with their opt-out. Broadcast dry runs and refusals.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"

sim_script() {
	cat <<'S'
wait_bind 10
expect 0912000010 30s ^Xin chào, lịch tiếp dân thay đổi$
expect 0912000011 30s ^Tra cứu hồ sơ: TC
expect 0912000012 30s ^Hồ sơ X1: đang xử lý\. ghi chú$
expect 0912000099 30s ^end of test$
expect_total 4
expect_nodup
S
}
admin_up

call POST /messages '{"to": "0912000010", "text": "Xin chào, lịch tiếp dân thay đổi"}'
want 201 '"to":"84912000010"'
grep -qE '^\{"id":[0-9]+,"to":"84912000010"\}$' <<<"$BODY" || fail "POST /messages: $BODY"
id=$(sed 's/.*"id":\([0-9]*\).*/\1/' <<<"$BODY")
same "select msisdn || ' ' || kind from outbound where id = $id" "84912000010 notify"
call POST /messages '{"to": "+84912000011", "template": "help"}'
want 201
call POST /messages '{"to": "84912000012", "template": "status_changed", "vars": {"code": "X1", "status": "đang xử lý", "note": "ghi chú"}}'
want 201
# Refused: nothing queued.
bad() {
	call POST /messages "$1"
	want 400 "$2"
}
bad '{"to": "0912000013", "template": "nope"}' 'unknown template \"nope\"'
bad '{"to": "0912000013", "template": "../help"}' 'unknown template'
bad '{"to": "0912000013", "text": "a", "template": "help"}' 'either'
bad '{"to": "0912000013"}' 'either'
bad '{"to": "0912000013", "text": ""}' 'empty'
bad '{"to": "0912000013", "text": "a", "vars": {}}' 'vars'
bad '{"to": "0912000013", "template": "help", "vars": {"a": 1}}' 'must be a string'
bad '{"to": "0912000013", "template": "help", "vars": ["a"]}' 'object'
bad '{"to": "abc", "text": "a"}' '\"to\":'
bad '{"text": "a"}' 'missing field \"to\"'
same "select count(*) from outbound" 3

# Contacts: created (201), then updated (200) by another spelling.
call POST /contacts '{"msisdn": "0912000020", "name": "Lan", "groups": ["Thôn 1", "Thôn 2"]}'
want_exact 201 '{"msisdn":"84912000020","name":"Lan","groups":["Thôn 1","Thôn 2"],"opted_out":false}'
call POST /contacts '{"msisdn": "+84912000020", "groups": ["thôn 1"]}'
want_exact 200 '{"msisdn":"84912000020","name":"Lan","groups":["Thôn 1"],"opted_out":false}'
call POST /contacts '{"msisdn": "0084912000021", "name": "Bình", "groups": ["Thôn 1"]}'
want 201
call POST /contacts '{"msisdn": "912000022", "groups": ["Tho\u0302n 1"]}'
want_exact 201 '{"msisdn":"84912000022","name":"","groups":["Thôn 1"],"opted_out":false}'
call POST /contacts '{"msisdn": "abc", "groups": ["Thôn 1"]}'
want 400 msisdn
call POST /contacts '{"msisdn": "0912000023", "groups": "Thôn 1"}'
want 400 array
call POST /contacts '{"msisdn": "0912000023", "groups": [""]}'
want 400 groups
call POST /contacts '{"msisdn": "0912000023", "name": "a\nb"}'
want 400 control
same "select count(*) from contacts" 3
same "select count(*) from groups" 2

# A number that said TUCHOI shows as opted out.
sql "insert into optout(msisdn, opted_out, at) values ('84912000021', 1, 0)"
call GET '/groups/th%C3%B4n%201'
want_exact 200 '{"name":"Thôn 1","members":[{"msisdn":"84912000020","name":"Lan","opted_out":false},{"msisdn":"84912000021","name":"Bình","opted_out":true},{"msisdn":"84912000022","name":"","opted_out":false}]}'
call GET "/groups/Th%C3%B4n%202"
want_exact 200 '{"name":"Thôn 2","members":[]}'
call GET /groups/nowhere
want_exact 404 '{"error":"no such group"}'
call GET /contacts/0912000021
want_exact 200 '{"msisdn":"84912000021","name":"Bình","groups":["Thôn 1"],"opted_out":true}'
call GET /contacts/0912000029
want 404

# Broadcasts: a dry run shows the cost and sends nothing (Bình opted out);
# bad requests and unknown ids change nothing; the token is checked.
call POST /broadcasts '{"to": {"group": "Thôn 1"}, "text": "Họp thôn, {{name}} nhé", "dry_run": true}'
want 200 '"id":0' '"state":"dry_run"' '"skipped":1' '"parts":1' '"sample":"Họp thôn, '
call POST /broadcasts '{"to": {"group": "Thôn 9"}, "text": "Họp thôn"}'
want_exact 400 '{"error":"no group named Thôn 9"}'
call POST /broadcasts '{"to": {"group": "Thôn 1"}, "text": "a", "template": "b"}'
want 400
call POST /broadcasts '{"to": {"msisdns": ["0912000001", "12ab"]}, "text": "x"}'
want 400 'is not a phone number'
call GET /broadcasts/1
want 404
call POST /broadcasts/1/cancel
want 404
call GET /broadcasts/abc
want 404
AUTH=Authorization: call GET /broadcasts
want 401
same "select count(*) from outbound" 3

end_of_test
admin_down
echo "ok $NAME"
