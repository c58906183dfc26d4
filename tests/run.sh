#!/bin/sh
# Runs every unit test binary and every end-to-end script; prints one
# summary line "N passed, M failed" that CI reads.
#   tests/run.sh BIN_DIR UNIT_DIR
BIN=${1:-bin}
UNIT=${2:-build/tests}
export BIN
passed=0 failed=0 failures=""

# A unit binary's checks count one by one; a crash counts as one failure.
for t in "$UNIT"/test_*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1); rc=$?
	sum=$(echo "$out" | grep -E '^[a-z_0-9]+: [0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	p=$(echo "$sum" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
	f=$(echo "$sum" | sed -n 's/.* \([0-9]*\) failed$/\1/p')
	[ -n "$p" ] || { p=0; f=1; }
	[ "$rc" = 0 ] || [ "$f" != 0 ] || f=1
	passed=$((passed + p)); failed=$((failed + f))
	if [ "$rc" = 0 ]; then
		echo "ok   unit $sum"
	else
		failures="$failures $(basename "$t")"
		echo "$out" | tail -n 30; echo "FAIL unit $(basename "$t")"
	fi
done

for t in tests/e2e/[0-9]*.sh; do
	[ -f "$t" ] || continue
	if out=$(bash "$t" 2>&1); then
		passed=$((passed + 1)); echo "ok   e2e  $(basename "$t" .sh)"
	else
		failed=$((failed + 1)); failures="$failures $(basename "$t" .sh)"
		echo "$out" | tail -n 60; echo "FAIL e2e  $(basename "$t" .sh)"
	fi
done

[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
