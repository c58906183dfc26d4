#!/bin/sh
# Builds the libFuzzer targets (tests/fuzz/fuzz_*.c) into build/fuzz/ and
# runs each for SECONDS, as many at once as there are CPUs (FUZZ_JOBS).
#
#   tests/fuzz/run.sh SECONDS [TARGET...]          make fuzz
#   tests/fuzz/run.sh -smoke SECONDS [TARGET...]   make fuzz-smoke
#
# The seeds in tests/fuzz/corpus/TARGET are only read. make fuzz keeps what
# it finds in build/fuzz/corpus/TARGET for the next run; -smoke starts
# from the seeds in a scratch directory and removes it. A crash, a leak,
# a timeout or a failed invariant leaves its input in build/fuzz/crashes/
# and makes the script exit 1. Logs: build/fuzz/logs/[smoke-]TARGET.log.
# FUZZ_FLAGS adds libFuzzer options, FUZZ_JOBS sets how many run at once.
set -u
cd "$(dirname "$0")/../.." || exit 1
FO=build/fuzz

# Per-target options: input size, dictionary.
options() {
	case $1 in
	fuzz_pdu)	echo "-max_len=8400 -use_value_profile=1" ;;
	fuzz_text)	echo "-max_len=9000" ;;
	fuzz_intent)	echo "-max_len=5000" ;;
	fuzz_dlr)	echo "-max_len=1300" ;;
	fuzz_admin)	echo "-max_len=8192" ;;
	fuzz_msisdn|fuzz_casecode|fuzz_calendar|fuzz_udh)
			echo "-max_len=256" ;;
	*)		echo "-max_len=4096" ;;
	esac
	[ -f "tests/fuzz/dict/$1.dict" ] && echo "-dict=tests/fuzz/dict/$1.dict"
}

# One target: run it, print one line, keep its log.
run_one() {
	mode=$1 secs=$2 t=$3
	if [ "$mode" = smoke ]; then
		log=$FO/logs/smoke-$t.log
		work=$FO/smoke/$t
		rm -rf "$work"
	else
		log=$FO/logs/$t.log
		work=$FO/corpus/$t
	fi
	mkdir -p "$work" "$FO/logs" "$FO/crashes"
	start=$(date +%s)
	# shellcheck disable=SC2046
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
	"$FO/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$FO/crashes/$t-" \
	    $(options "$t") ${FUZZ_FLAGS:-} "$work" "tests/fuzz/corpus/$t" \
	    >"$log" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
	    tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(grep -ao 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	corp=$(ls "$work" | wc -l)
	[ "$mode" = smoke ] && rm -rf "$work"
	if [ "$rc" = 0 ]; then
		printf 'ok    %-16s %4ss %11s execs %8s/s  cov %5s  new %s\n' \
		    "$t" "$took" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$corp"
		return 0
	fi
	why=$(grep -a -m 1 -E 'invariant failed|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|SUMMARY' "$log")
	input=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
	printf 'CRASH %-16s %4ss %11s execs  %s\n      input: %s  log: %s\n' \
	    "$t" "$took" "${execs:-?}" "${why:-exit $rc}" "${input:-?}" "$log"
	return 1
}

if [ "${1:-}" = -one ]; then
	shift
	run_one "$@"
	exit
fi
mode=fuzz
if [ "${1:-}" = -smoke ]; then
	mode=smoke
	shift
fi
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=$*
[ -n "$targets" ] || targets=$(ls tests/fuzz/fuzz_*.c | sed 's|.*/||; s|\.c$||')
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}

if ! command -v "${CLANG:-clang}" >/dev/null 2>&1; then
	echo "fuzz: clang with libFuzzer is needed (Debian: clang libclang-rt-14-dev)"
	exit 1
fi
bins=
for t in $targets; do bins="$bins $FO/$t"; done
# shellcheck disable=SC2086
make --no-print-directory -s -f tests/fuzz/fuzz.mk -j"$jobs" $bins || exit 1

echo "fuzz: $(echo $targets | wc -w) targets, ${secs}s each, $jobs at a time"
# shellcheck disable=SC2086
printf '%s\n' $targets | xargs -P "$jobs" -I{} sh "$0" -one "$mode" "$secs" {}
rc=$?
[ "$mode" = smoke ] && rmdir "$FO/smoke" 2>/dev/null
[ "$rc" = 0 ] && echo "fuzz: no crash" || echo "fuzz: FAILED (inputs in $FO/crashes/)"
[ "$rc" = 0 ]
