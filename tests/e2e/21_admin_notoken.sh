#!/bin/bash
# With no [admin] token only /health and /metrics answer: everything else
# is 403, whatever token is sent, and changes nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"
TOKEN=

sim_script() {
	cat <<S
wait_bind 10
exec 30s while [ ! -f $WORK/done ]; do sleep 0.05; done
expect_total 0
S
}
admin_up
AUTH=Authorization: call GET /health
want 200 '"status":"ok"'
AUTH=Authorization: call GET /metrics
want 200 'motcua_link_up{link="default"} 1'
for p in /procedures /cases/MC1 /groups/x /broadcasts/1 /cases; do
	AUTH=Authorization: call GET $p
	want_exact 403 '{"error":"no admin token is configured: only /health and /metrics answer"}'
done
AUTH="Authorization: Bearer " call POST /cases '{"procedure": "KS", "msisdn": "0912000001"}'
want 403
AUTH="Authorization: Bearer x" call POST /messages '{"to": "0912000001", "text": "hi"}'
want 403
same "select count(*) from cases" 0
same "select count(*) from outbound" 0
# The tool says why, and fails.
out=$($TOOL case show MC1 2>&1) && fail "motcua succeeded without a token"
case $out in *"no admin token is configured"*"(HTTP 403)"*) ;; *) fail "motcua: $out" ;; esac
touch "$WORK/done"
admin_down
echo "ok $NAME"
