#!/bin/sh
# fuzz.sh - builds the libFuzzer targets (clang, AddressSanitizer +
# UndefinedBehaviorSanitizer) and fuzzes each for a bounded time, starting
# from the committed corpus (tests/fuzz/corpus).  Any finding fails the run;
# the input that triggered it is left in build-fuzz/findings/ - add it to
# the target's corpus, so that it becomes a regression test.
# Usage: scripts/fuzz.sh [seconds per target, default 30]
set -eu
cd "$(dirname "$0")/.."
secs=${1:-30}
if [ ! -f build-fuzz/build.ninja ]; then
	CC=clang meson setup build-fuzz -Dfuzzers=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dexamples=false >/dev/null
fi
ninja -C build-fuzz >/dev/null
mkdir -p build-fuzz/findings
status=0
for t in diag estats procnet proc utf8 fbsd nbsd obsd dfly darwin; do
	work=$(mktemp -d)
	echo "fuzz_$t: ${secs}s"
	if ! UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"./build-fuzz/tests/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="build-fuzz/findings/$t-" \
		"$work" "tests/fuzz/corpus/$t" > "build-fuzz/fuzz-$t.log" 2>&1; then
		echo "fuzz_$t: FINDING (see build-fuzz/fuzz-$t.log and build-fuzz/findings/)"
		tail -30 "build-fuzz/fuzz-$t.log"
		status=1
	fi
	grep -E "stat::number_of_executed_units|stat::new_units_added" "build-fuzz/fuzz-$t.log" |
		sed "s/^/  /"
	rm -rf "$work"
done
exit $status
