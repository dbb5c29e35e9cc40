#!/bin/sh
# symbols.sh - the shared library exports exactly the functions iphlpapi.h
# declares (the documented Windows names), with the expected SONAME.
# usage: symbols.sh <libtcptable.so> <header>...   (iphlpapi.h, tcptable_ext.h)
set -eu
lib=$1
shift

expected=$(cat "$@" | grep -oE 'WINAPI [A-Za-z0-9_]+\(' | sed 's/^WINAPI //; s/($//' | sort -u)
# Every defined dynamic symbol except the version node itself.
actual=$(nm -D --defined-only "$lib" | awk '$2 != "A" { print $3 }' | sed 's/@.*//' | sort -u)

if [ -z "$expected" ]; then
	echo "FAIL: no prototypes found in $*"
	exit 1
fi
if [ "$expected" != "$actual" ]; then
	echo "FAIL: exported symbols differ from the prototypes in $*"
	echo "--- declared"; echo "$expected"
	echo "--- exported"; echo "$actual"
	exit 1
fi
soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
case "$soname" in
libtcptable.so.[0-9]*) ;;
*) echo "FAIL: unexpected SONAME '$soname'"; exit 1 ;;
esac
echo "ok: $(echo "$actual" | wc -l) symbols, SONAME $soname"
echo "$actual" | sed 's/^/  /'
