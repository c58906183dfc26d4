#!/bin/bash
# HTTPS at the admin door ([admin] cert and key, issue 13): motcuad -t
# refuses a cert without its key, a file it cannot read and a key that does
# not match, with the file and OpenSSL's reason; with both, the API answers
# over TLS 1.2+ (checked against the certificate), plain HTTP on that port
# gets no answer and leaves the door working, the staff tool speaks TLS
# with the certificate it finds in the same config, and listening beyond
# loopback with TLS draws no "in clear" warning.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"

sim_script() {
	cat <<S
wait_bind 10
exec 60s while [ ! -f $WORK/done ]; do sleep 0.05; done
S
}

key() {	# key NAME: a P-256 key and a self-signed cert for 127.0.0.1
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -days 3650 -subj "/CN=motcua-e2e" -addext subjectAltName=IP:127.0.0.1 \
	    -keyout "$WORK/$1.key" -out "$WORK/$1.pem" 2>/dev/null ||
	    fail "openssl could not make a test certificate"
}
key tls
key other

# check ADMIN-LINES WANT: motcuad -t on a config with these [admin] lines.
check() {
	PORT=1
	OFFICE_EXTRA=$'\n[admin]\n'"$1"
	write_config
	out=$("$BIN/motcuad" -t -c "$WORK/motcua.conf" 2>&1)
	case $out in *"$2"*) ;; *) fail "-t with: $1: want \"$2\", got: $out" ;; esac
}
check "cert = $WORK/tls.pem" "motcua.conf:20: [admin] cert and key go together"
check "cert = $WORK/nope.pem"$'\n'"key = $WORK/tls.key" "nope.pem: cannot read the certificate"
check "cert = $WORK/tls.pem"$'\n'"key = $WORK/other.key" "other.key: the key does not match the certificate"
check "listen = 0.0.0.0:8077"$'\n'"cert = $WORK/tls.pem"$'\n'"key = $WORK/tls.key" "configuration OK"
case $out in *"in clear"*) fail "TLS on 0.0.0.0 still warns: $out" ;; esac
check "listen = 0.0.0.0:8077" "without TLS"

OFFICE_EXTRA=
ADMIN_EXTRA="cert = $WORK/tls.pem"$'\n'"key = $WORK/tls.key"
API_SCHEME=https CURL_TLS="--cacert $WORK/tls.pem"
admin_up
grep -q 'admin: at most [0-9]* connections, HTTPS' "$WORK/motcuad.log" ||
	fail "the log does not say HTTPS"
call GET /procedures
want 200 '"code":"KS"'
call POST /cases '{"procedure": "KS", "msisdn": "0912000001"}'
want 201 '"channel":"counter"'
# The certificate checked: another one is not trusted.
CURL_TLS="--cacert $WORK/other.pem"
curl -sS $CURL_TLS "$API/health" >/dev/null 2>&1 && fail "curl trusted the wrong certificate"
CURL_TLS="--cacert $WORK/tls.pem"
# TLS 1.1 refused.
curl -sS $CURL_TLS --tls-max 1.1 "$API/health" >/dev/null 2>&1 && fail "TLS 1.1 accepted"
# Plain HTTP on the TLS port: no HTTP answer, and the door still works.
plain=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:${API##*:}/health" || true)
[ "$plain" = 000 ] || fail "plain HTTP on the HTTPS port got HTTP $plain"
call GET /health
want 200 '"status":"ok"'
# The staff tool: TLS to the same daemon, trusting the config's cert.
out=$($TOOL case list 2>&1) || fail "motcua over TLS: $out"
case $out in *KS*) ;; *) fail "motcua case list over TLS: $out" ;; esac
sed -i "s|^cert = .*|cert = $WORK/other.pem|" "$WORK/motcua.conf"
sed -i "s|^key = .*|key = $WORK/other.key|" "$WORK/motcua.conf"
out=$($TOOL status 2>&1) && fail "motcua trusted a daemon whose cert is not the config's: $out"
case $out in *"TLS failed"*) ;; *) fail "motcua with the wrong cert: $out" ;; esac
touch "$WORK/done"
admin_down
echo "ok $NAME"
