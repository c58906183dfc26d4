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

# e2e SCRIPT [LABEL]: one end-to-end script, counted once.
e2e() {
	local name
	name=$(basename "$1" .sh)${2:+@$2}
	if out=$(bash "$1" 2>&1); then
		passed=$((passed + 1)); echo "ok   e2e  $name"
	else
		failed=$((failed + 1)); failures="$failures $name"
		echo "$out" | tail -n 60; echo "FAIL e2e  $name"
	fi
}

for t in tests/e2e/[0-9]*.sh; do
	[ -f "$t" ] && e2e "$t"
done

# browser SCRIPT: one console test in headless chromium (tests/browser/),
# counted like an end-to-end script; a failure's screenshot, HTML and
# console log are in build/browser/.
browser() {
	local name
	name=$(basename "$1" .py)
	if out=$(/usr/bin/python3 "$1" 2>&1); then
		passed=$((passed + 1)); echo "ok   web  $name"
	else
		failed=$((failed + 1)); failures="$failures $name"
		echo "$out" | tail -n 60; echo "FAIL web  $name"
	fi
}

for t in tests/browser/[0-9]*.py; do
	[ -f "$t" ] && browser "$t"
done

# The tests that read the calendar (due dates, holidays, reports,
# reminders, ratings, quiet hours, daily caps) run again with the clock
# pinned (tests/e2e/lib.sh, E2E_NOW) in the office's time zone: on the 1st
# of a month, on 31 December (1 January a holiday, then a weekend), and on
# a Friday before a week of holidays. PINNED=0 skips them.
pinned() {
	local t
	for t in $(grep -l '^# date-sensitive: also run at pinned dates' tests/e2e/[0-9]*.sh); do
		E2E_NOW=$1 E2E_HOLIDAY=${2:-} e2e "$t" "${1% *}"
	done
}
if [ "${PINNED:-1}" = 1 ]; then
	pinned "2027-03-01 09:30"
	pinned "2026-12-31 10:00"
	pinned "2027-02-05 10:00" "2027-02-08..2027-02-12 Tết Nguyên đán (thử)"
fi

[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
