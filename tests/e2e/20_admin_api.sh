#!/bin/bash
# The admin API's doors: /health and /metrics answer without a token (and
# their counters move); every other path wants the bearer token (401
# without it or with a wrong one, nothing changed); 404, 405, 400 for bad
# JSON and 413 for a body over 64 KiB, all as JSON errors that change
# nothing; one log line per request, never the token.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"

sim_script() {
	cat <<'S'
wait_bind 10
send 0912000001 HD
expect 0912000001 Tra cứu
expect 0912000099 30s ^end of test$
expect_total 2
S
}
admin_up

# /health: the contract's shape, no token needed.
AUTH=Authorization: call GET /health
want_exact 200 '{"status":"ok","links":[{"name":"default","state":"bound"}],"queue":0}'

# /metrics: Prometheus text, no token; the HD reply shows in the counters.
for _ in $(seq 100); do
	m=$(curl -sS "$API/metrics")
	case $m in *'motcua_messages_out_total{status="sent"} 1'*) break ;; esac
	sleep 0.05
done
for line in 'motcua_messages_in_total{kind="sms"} 1' \
    'motcua_messages_out_total{status="sent"} 1' \
    'motcua_messages_out_total{status="failed"} 0' \
    'motcua_link_up{link="default"} 1' 'motcua_reconnects_total{link="default"} 0' \
    'motcua_queue_depth 0' '# TYPE motcua_reply_latency_seconds histogram' \
    'motcua_reply_latency_seconds_bucket{le="+Inf"} 1' \
    'motcua_reply_latency_seconds_count 1' 'motcua_throttled_total 0'; do
	grep -qxF "$line" <<<"$m" || fail "metrics: no line \"$line\" in: $m"
done
grep -qE '^motcua_submit_total [1-9]' <<<"$m" || fail "no submit_sm counted: $m"
# Buckets are cumulative: never decreasing, the last one the count.
echo "$m" | awk '/^motcua_reply_latency_seconds_bucket/ { if ($2 < last) bad = 1; last = $2 }
	END { exit bad }' || fail "latency buckets not cumulative: $m"
type=$(curl -sS -o /dev/null -w '%{content_type}' "$API/metrics")
case $type in text/plain*) ;; *) fail "metrics content type $type" ;; esac

# The token: missing, wrong, a prefix of the right one, another scheme.
AUTH=Authorization: call GET /procedures
want_exact 401 '{"error":"missing bearer token"}'
AUTH="Authorization: Bearer wrong" call GET /procedures
want_exact 401 '{"error":"wrong token"}'
AUTH="Authorization: Bearer ${TOKEN%?}" call GET /procedures
want 401 wrong
AUTH="Authorization: Basic $TOKEN" call GET /procedures
want 401
AUTH="Authorization: Bearer $TOKEN" call GET /procedures
want 200 '"code":"KS"'
# A refused write changes nothing.
AUTH="Authorization: Bearer nope" call POST /cases '{"procedure": "KS", "msisdn": "0912000002"}'
want 401
same "select count(*) from cases" 0

# Unknown path, wrong method.
call GET /nothing
want_exact 404 '{"error":"no such path"}'
call GET /cases/a/b
want 404
call DELETE /cases/MC1
want_exact 405 '{"error":"method not allowed here"}'
allow=$(curl -sS -o /dev/null -D - -X PUT "$API/health" | tr -d '\r' | sed -n 's/^Allow: //p')
[ "$allow" = "GET, HEAD" ] || fail "PUT /health: Allow \"$allow\""

# Bad bodies: not JSON, not an object, empty, an unknown field.
call POST /cases '{"procedure": "KS",'
want 400 '"error":"bad JSON'
call POST /cases '["KS", "0912000002"]'
want_exact 400 '{"error":"expected a JSON object"}'
call POST /cases ''
want 400 missing
call POST /cases '{"procedure": "KS", "msisdn": "0912000002", "notfy": true}'
want_exact 400 '{"error":"unknown field \"notfy\""}'
call POST /cases '{"procedure": "KS", "msisdn": "0912000002", "msisdn": "0912000003"}'
want 400 duplicate

# Too large: over 64 KiB a JSON 413, answered before the body is read.
big=$(head -c 70000 /dev/zero | tr '\0' a)
call POST /cases "{\"procedure\": \"KS\", \"msisdn\": \"0912000002\", \"name\": \"$big\"}"
want_exact 413 '{"error":"request body larger than 64 KiB"}'
head -c 2000000 /dev/zero | tr '\0' a >"$WORK/huge"
code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H 'Expect:' \
    -H "Authorization: Bearer $TOKEN" --data-binary @"$WORK/huge" "$API/cases")
[ "$code" = 413 ] || fail "2 MB body: HTTP $code"
same "select count(*) from cases" 0
same "select count(*) from outbound" 1

# The daemon still answers after all that, and says so in its log.
end_of_test
admin_down
grep -q 'admin method=GET path=/health status=200 peer=127.0.0.1' "$WORK/motcuad.log" ||
	fail "no request log line"
grep -q 'admin method=DELETE path=/cases/MC1 status=405' "$WORK/motcuad.log" ||
	fail "no log line for the 405"
! grep -q "$TOKEN" "$WORK/motcuad.log" || fail "the token is in the log"
! grep -q 'end of test' "$WORK/motcuad.log" || fail "a message text is in the log"
echo "ok $NAME"
