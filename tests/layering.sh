#!/bin/sh
# The layering check (make layering, part of every build and of make test):
# reads the #include lines of parsers/, include/ and gateway/ and fails when
#   - a file includes a header of a room it may not use (the table below);
#   - two rooms include each other;
#   - sqlite3.h appears outside gateway/store/, libsmpp34 outside
#     gateway/smpp/smpp_pdu.c, libevent in parsers/, a socket call in parsers/.
# A room's headers are the ones in its folder; include/ and parsers/ are the
# pure parsers; gateway/clock.h and gateway/log.h are leaves every gateway
# room may use; the other gateway/*.h belong to the wiring (motcuad.c).
# Known violations still being removed are listed, one "FILE HEADER" a line,
# in tests/layering.allow; an entry that no longer happens fails too, so the
# list only shrinks.
cd "$(dirname "$0")/.." || exit 1
ALLOW=tests/layering.allow

# room FILE: the room a source or header file belongs to.
room() {
	case $1 in
	include/*|parsers/*) echo parsers ;;
	gateway/clock.h|gateway/log.h) echo leaf ;;
	gateway/smpp/*) echo smpp ;;
	gateway/store/*) echo store ;;
	gateway/office/*) echo office ;;
	gateway/admin/*) echo admin ;;
	gateway/tool/*) echo tool ;;
	gateway/*) echo root ;;
	esac
}

# may ROOM TARGET-ROOM: whether ROOM may include a header of TARGET-ROOM.
may() {
	[ "$1" = "$2" ] && return 0
	case "$1:$2" in
	root:*) return 0 ;;
	*:parsers) [ "$1" != leaf ] ;;
	parsers:*) return 1 ;;
	tool:leaf|store:leaf|smpp:leaf|office:leaf|admin:leaf) return 0 ;;
	smpp:store|office:smpp|office:store|admin:office) return 0 ;;
	*) return 1 ;;
	esac
}

# resolve INCLUDER NAME: the file an #include "NAME" finds, as the
# compiler's -I order does (the includer's folder, include/, gateway/).
resolve() {
	for d in "$(dirname "$1")" include gateway; do
		[ -f "$d/$2" ] && { echo "${d#./}/$2" | sed 's|^\./||'; return; }
	done
}

files=$(find parsers include gateway -name '*.[ch]' | sort)
found=$(mktemp) edges=$(mktemp)
trap 'rm -f "$found" "$edges"' EXIT

for f in $files; do
	fr=$(room "$f")
	for h in $(sed -n 's/^#[ \t]*include[ \t]*"\([^"]*\)".*/\1/p' "$f"); do
		t=$(resolve "$f" "$h")
		[ -n "$t" ] || { echo "$f $h (not found)" >>"$found"; continue; }
		tr=$(room "$t")
		if may "$fr" "$tr"; then
			[ "$fr" != "$tr" ] && echo "$fr $tr" >>"$edges"
		else
			echo "$f $t" >>"$found"
			grep -qxF "$f $t" "$ALLOW" 2>/dev/null ||
			    echo "$fr $tr" >>"$edges"
		fi
	done
	for h in $(sed -n 's/^#[ \t]*include[ \t]*<\([^>]*\)>.*/\1/p' "$f"); do
		case $fr:$h in
		store:sqlite3.h) ;;
		*:sqlite3.h) echo "$f <sqlite3.h>" >>"$found" ;;
		parsers:event2/*) echo "$f <$h>" >>"$found" ;;
		*:smpp34*) [ "$f" = gateway/smpp/smpp_pdu.c ] ||
		    echo "$f <$h>" >>"$found" ;;
		esac
	done
done
grep -nE '\<(socket|connect|accept|bind|listen|getaddrinfo)[ \t]*\(' parsers/*.c |
    sed 's/^\([^:]*\):\([0-9]*\):.*/\1 a socket call (line \2)/' >>"$found"

rc=0
sort -u "$found" | while read -r line; do
	grep -qxF "$line" "$ALLOW" 2>/dev/null ||
	    { echo "layering: $line: not allowed"; echo x; }
done | grep -v '^x$' && rc=1
if [ -f "$ALLOW" ]; then
	grep -v '^#' "$ALLOW" | grep . | while read -r line; do
		grep -qxF "$line" "$found" ||
		    echo "layering: $line: allowed in $ALLOW but no longer happens: remove it"
	done | grep . && rc=1
fi
sort -u "$edges" | while read -r a b; do
	[ "$a" = root ] || [ "$b" = root ] && continue
	grep -qx "$b $a" "$edges" && [ "$a" \< "$b" ] &&
	    echo "layering: rooms $a and $b include each other"
done | grep . && rc=1
left=$(grep -v '^#' "$ALLOW" 2>/dev/null | grep -c .)
[ $rc = 0 ] && echo "layering: ok ($left known violations left)"
exit $rc
