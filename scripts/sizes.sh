#!/bin/sh
# sizes.sh - prints the stripped sizes of libtcptable.a, libtcptable.so and
# the tcptable command of a build, and fails when the shared library exceeds
# a budget (bytes).
# usage: scripts/sizes.sh <build dir> <strip program> <label> [so budget]
set -eu
build=$1
strip=$2
label=$3
budget=${4:-0}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
so=$(find "$build" -maxdepth 1 -name 'libtcptable.so.*.*.*' | head -n 1)
for f in "$build/libtcptable.a" "$so" "$build/tools/tcptable/tcptable"; do
	[ -f "$f" ] || { echo "sizes: $label: missing $f"; exit 1; }
done
cp "$build/libtcptable.a" "$so" "$build/tools/tcptable/tcptable" "$tmp/"
"$strip" -g "$tmp/libtcptable.a"            # an archive keeps its symbol table
"$strip" "$tmp/$(basename "$so")" "$tmp/tcptable"
a=$(stat -c %s "$tmp/libtcptable.a")
s=$(stat -c %s "$tmp/$(basename "$so")")
t=$(stat -c %s "$tmp/tcptable")
echo "sizes: $label stripped: libtcptable.a $a B ($((a / 1024)) KiB), libtcptable.so $s B ($((s / 1024)) KiB), tcptable $t B ($((t / 1024)) KiB)"
if [ "$budget" -gt 0 ] && [ "$s" -gt "$budget" ]; then
	echo "sizes: $label: FAIL: libtcptable.so is $s B stripped, over the budget of $budget B"
	exit 1
fi
[ "$budget" -gt 0 ] && echo "sizes: $label: libtcptable.so within the budget of $budget B"
exit 0
