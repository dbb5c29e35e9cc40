#!/bin/sh
# run.sh - builds tests/subproject (a consumer project) with this source tree
# as its subprojects/tcptable, forcing the fallback so that an installed
# tcptable cannot stand in, runs its test (the consumer finds its own
# listener), and checks the subproject built no test suites of its own.
# usage: tests/subproject/run.sh <source dir>
set -eu
src=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$src/tests/subproject/meson.build" "$src/tests/consumer/consumer.c" "$work/"
mkdir "$work/subprojects"
ln -s "$src" "$work/subprojects/tcptable"
meson setup "$work/build" "$work" --force-fallback-for=tcptable >"$work/setup.log" 2>&1 ||
	{ cat "$work/setup.log"; echo "FAIL: meson setup of the subproject consumer"; exit 1; }
grep -q 'Executing subproject tcptable' "$work/setup.log" ||
	{ cat "$work/setup.log"; echo "FAIL: tcptable was not taken as a subproject"; exit 1; }
ninja -C "$work/build" >"$work/ninja.log" 2>&1 ||
	{ cat "$work/ninja.log"; echo "FAIL: build of the subproject consumer"; exit 1; }
# Only the parent's test: none of the library's suites came along.
tests=$(meson test -C "$work/build" --list --no-rebuild 2>/dev/null)
[ "$tests" = "tcptable-subproject-consumer:subproject-consumer" ] ||
	[ "$tests" = "subproject-consumer" ] ||
	{ echo "FAIL: tests registered in subproject mode:"; echo "$tests"; exit 1; }
meson test -C "$work/build" --print-errorlogs >"$work/test.log" 2>&1 ||
	{ cat "$work/test.log" "$work/build/meson-logs/testlog.txt"; echo "FAIL: subproject consumer"; exit 1; }
echo "ok: consumer built with tcptable as a meson subproject (dependency('tcptable') fallback), test passed"
