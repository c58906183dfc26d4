#!/bin/sh
# make demo: the daemon and the simulator on loopback; type as a phone would,
#   0912345678> HD
# and read the reply. "quit" or Ctrl-D stops both.
set -eu
BIN=${1:-bin}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${DEMO_DIR:-$ROOT/build/demo}
mkdir -p "$WORK"
rm -f "$WORK/port" "$WORK/motcuad.pid"

# The daemon starts once the simulator listens; the simulator keeps the
# terminal (a background job would get /dev/null as its input).
(
	for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done
	cat >"$WORK/motcua.conf" <<CONF
[smsc]
port = $(cat "$WORK/port")
system_id = motcua
password = secret
reconnect_max = 5

[store]
path = motcua.db

[admin]
listen = 127.0.0.1:0
token = demo

[office]
templates = $ROOT/templates/vi
quiet_hours =
CONF
	"$BIN/motcuad" -c "$WORK/motcua.conf" 2>"$WORK/motcuad.log" &
	echo $! >"$WORK/motcuad.pid"
	for _ in $(seq 100); do
		api=$(sed -n 's/.* admin listening on \(.*\)$/\1/p' "$WORK/motcuad.log")
		[ -n "$api" ] && break
		sleep 0.05
	done
	# The staff tool finds the API through the same file.
	[ -n "$api" ] && sed -i "s/^listen = .*/listen = $api/" "$WORK/motcua.conf"
	# A console login: demo (role admin), its password made at the first
	# run and kept beside the database, which keeps the account.
	[ -s "$WORK/demo.password" ] ||
	    (umask 077; head -c 12 /dev/urandom | base64 | tr '+/' 'xy' \
	    >"$WORK/demo.password")
	pw=$(cat "$WORK/demo.password")
	out=$(printf '%s\n' "$pw" | "$BIN/motcua" -c "$WORK/motcua.conf" \
	    user add demo --role admin 2>&1) ||
	    case $out in *"exists"*) ;; *) echo "demo user: $out" ;; esac
	echo "staff console: http://$api/   sign in as: demo   password: $pw"
	echo "motcuad log: $WORK/motcuad.log   database: $WORK/motcua.db"
	echo "staff tool, in another terminal: $BIN/motcua -c $WORK/motcua.conf status"
) &
trap '[ -s "$WORK/motcuad.pid" ] && kill "$(cat "$WORK/motcuad.pid")" 2>/dev/null' EXIT INT TERM
"$BIN/smsc-sim" -i -p 0 -P "$WORK/port" 2>"$WORK/sim.log"
