#!/bin/bash
# Secrets (issue 15): [admin] token_file holds the token (its first line),
# for the daemon and for the staff tool alike; token and token_file
# together, an empty or missing token file, are refused by -t with
# file:line; a config (it holds the SMSC password) or a token file that
# every local user can read is warned about by -t and at start; the token
# never shows in the log or in /metrics.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"

sim_script() {
	cat <<S
wait_bind 10
exec 60s while [ ! -f $WORK/done ]; do sleep 0.05; done
S
}

# check ADMIN-LINES WANT: motcuad -t's output on a config with them.
check() {
	PORT=1
	OFFICE_EXTRA=$'\n[admin]\n'"$1"
	write_config
	out=$("$BIN/motcuad" -t -c "$WORK/motcua.conf" 2>&1)
	case $out in *"$2"*) ;; *) fail "-t with: $1: want \"$2\", got: $out" ;; esac
}
printf 'Tok-from-file-42\n' >"$WORK/token"
chmod 600 "$WORK/token"
: >"$WORK/empty"
chmod 600 "$WORK/empty"
check "token = abc"$'\n'"token_file = $WORK/token" "motcua.conf:21: [admin] token and token_file: set one of them, not both"
check "token_file = $WORK/empty" "motcua.conf:20: token_file: $WORK/empty: its first line is empty"
check "token_file = $WORK/nope" "motcua.conf:20: token_file: $WORK/nope: No such file or directory"
check "token_file = $WORK/token" "configuration OK"
case $out in *warning*) fail "a private token file warned about: $out" ;; esac
chmod 644 "$WORK/token"
check "token_file = $WORK/token" "$WORK/token: warning: every user of this machine can read it, and it holds the admin token"
chmod 600 "$WORK/token"
check "token = abc" "configuration OK"
chmod 644 "$WORK/motcua.conf"
out=$("$BIN/motcuad" -t -c "$WORK/motcua.conf" 2>&1)
case $out in *"motcua.conf: warning: every user of this machine can read it, and it holds the SMSC password and the admin token (chmod o-r"*) ;;
*) fail "a world-readable config with a token: $out" ;; esac

# The daemon with the token from the file, and the tool through it.
TOKEN=Tok-from-file-42	# what call() sends
admin_up_file() {
	OFFICE_EXTRA=$'\n[admin]\nlisten = 127.0.0.1:0\ntoken_file = '"$WORK/token"
	sim_script >"$WORK/script"
	start_sim
	write_config
	start_daemon
}
admin_up_file
for _ in $(seq 200); do
	port=$(sed -n 's/.* admin listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$WORK/motcuad.log" | tail -n 1)
	[ -n "$port" ] && break
	sleep 0.05
done
[ -n "$port" ] || fail "the admin API did not start"
API=http://127.0.0.1:$port
sed -i "s/^listen = .*/listen = 127.0.0.1:$port/" "$WORK/motcua.conf"
call GET /procedures
want 200 '"code":"KS"'
AUTH="Authorization: Bearer abc" call GET /procedures
want 401
out=$($TOOL status 2>&1) || fail "motcua with the token from the file: $out"
call GET /metrics
grep -q 'Tok-from-file' <<<"$BODY" && fail "the token is in /metrics"
grep -q 'Tok-from-file' "$WORK/motcuad.log" && fail "the token is in the log"
touch "$WORK/done"
admin_down
echo "ok $NAME"
