# Signing in as staff (tests 66, 67; sourced after admin_lib.sh): the
# session cookie and CSRF token of the last sign-in in $COOKIE and $CSRF.

# signin NAME PASSWORD [CURL-ARGS...]: POST /session without the token;
# the Set-Cookie line in $SETCOOKIE.
signin() {
	local name=$1 pw=$2
	shift 2
	AUTH=Authorization: call POST /session \
	    "{\"name\": \"$name\", \"password\": \"$pw\"}" -D "$WORK/headers" "$@"
	SETCOOKIE=$(tr -d '\r' <"$WORK/headers" | grep -i '^Set-Cookie:' || true)
	if [ "$STATUS" = 200 ]; then
		COOKIE=$(sed -n 's/^Set-Cookie: \(motcua_session=[0-9a-f]*\);.*/\1/ip' \
		    <<<"$SETCOOKIE")
		CSRF=$(sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' <<<"$BODY")
	fi
}

# as METHOD PATH [BODY [CURL-ARGS...]]: with the cookie and CSRF token.
as() {
	local m=$1 p=$2 d=${3-}
	shift 2
	[ $# -gt 0 ] && shift
	AUTH=Authorization: call "$m" "$p" "$d" -H "Cookie: $COOKIE" \
	    -H "X-CSRF-Token: $CSRF" "$@"
}

# as_nocsrf METHOD PATH [BODY [CURL-ARGS...]]: the cookie, no CSRF token.
as_nocsrf() {
	local m=$1 p=$2 d=${3-}
	shift 2
	[ $# -gt 0 ] && shift
	AUTH=Authorization: call "$m" "$p" "$d" -H "Cookie: $COOKIE" "$@"
}
