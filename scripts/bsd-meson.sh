#!/bin/sh
# bsd-meson.sh - configures (and, with a sysroot, builds) the library for a
# BSD through meson, from Linux, and proves its list of source files.
#
#   scripts/bsd-meson.sh freebsd|netbsd|openbsd|dragonfly|darwin BUILDDIR [SYSROOT]
#
#  1. configure: meson setup with cross/x86_64-<os>.ini and this machine's
#     C compiler, no BSD headers needed (meson stops on a listed file that
#     does not exist);
#  2. file list: the library's sources as meson has them must be exactly
#     src/common/*.c, src/bsd/*.c and src/bsd/<os>/*.c (a file there that
#     meson does not build is an error too); the list is written to
#     BUILDDIR/bsd-sources.txt, which scripts/bsd-check.sh compiles;
#  3. with SYSROOT (usr/include of the BSD, e.g. from scripts/bsd-sysroot.sh):
#     configures again with cross/bsd-sysroot.ini layered on (clang for the
#     BSD target, libc stand-ins from scripts/bsd-stubs.sh where the sysroot
#     lacks them) and builds the static and the shared library.  No C
#     library to link against, so tools and examples are not linked.
# Exits 1 if a step failed.
set -u
cd "$(dirname "$0")/.." || exit 2

[ $# -ge 2 ] || { sed -n '2,20p' "$0"; exit 2; }
os=$1
dir=$2
sysroot=${3:-}
case $os in
freebsd | netbsd | openbsd | dragonfly | darwin) ;;
*) echo "bsd-meson.sh: unknown system '$os'" >&2; exit 2 ;;
esac

# Fresh directories each time: the cross files are read only at setup.
aux=$dir-aux
log=$aux/log
rm -rf "$dir" "$aux"
mkdir -p "$aux"
opts="-Dtests=false -Dexamples=false"

# shellcheck disable=SC2086
if ! meson setup "$dir" --cross-file "cross/x86_64-$os.ini" $opts >"$log" 2>&1; then
	cat "$log"
	echo "bsd-meson: $os: meson setup FAILED"
	exit 1
fi
echo "bsd-meson: $os: configured with cross/x86_64-$os.ini"

# The library's sources, relative to the source tree, sorted.
meson introspect --targets "$dir" | python3 -c '
import json, os, sys
root = os.getcwd()
for t in json.load(sys.stdin):
    if t["name"] == "tcptable" and t["type"].endswith("library"):
        for s in t["target_sources"]:
            for f in s.get("sources", []):
                print(os.path.relpath(f, root))
' | sort -u >"$dir/bsd-sources.txt"
printf '%s\n' src/common/*.c src/bsd/*.c src/bsd/"$os"/*.c | sort >"$dir/bsd-files.txt"
if [ ! -s "$dir/bsd-sources.txt" ] || ! cmp -s "$dir/bsd-sources.txt" "$dir/bsd-files.txt"; then
	echo "bsd-meson: $os: meson.build's sources differ from the files (< meson, > tree):"
	diff "$dir/bsd-sources.txt" "$dir/bsd-files.txt"
	exit 1
fi
echo "bsd-meson: $os: meson builds exactly the $(wc -l <"$dir/bsd-sources.txt") files of src/common, src/bsd, src/bsd/$os"

[ -n "$sysroot" ] || exit 0
sysroot=$(cd "$sysroot" && pwd) || exit 2
./scripts/bsd-stubs.sh "$sysroot" "$aux/stubs" || exit 1
printf "[constants]\nsysroot = '%s'\nstubs = '%s'\n" "$sysroot" "$(cd "$aux/stubs" && pwd)" \
	>"$aux/sysroot.ini"
extra=
if [ "$os" = openbsd ]; then
	# OpenBSD's stack protector refers to __guard_local, which each shared
	# object gets from crtbeginS.o: not in a header sysroot.
	printf "[built-in options]\nc_args = ['-idirafter', '%s', '-fno-stack-protector']\n" \
		"$(cd "$aux/stubs" && pwd)" >"$aux/openbsd.ini"
	extra="--cross-file $aux/openbsd.ini"
fi
[ "$os" = darwin ] && extra="--cross-file cross/darwin-sysroot.ini" # ld64.lld, llvm-ar
rm -rf "$dir"
# shellcheck disable=SC2086
if ! meson setup "$dir" --cross-file "cross/x86_64-$os.ini" --cross-file "$aux/sysroot.ini" \
	--cross-file cross/bsd-sysroot.ini $extra $opts >"$log" 2>&1; then
	cat "$log"
	echo "bsd-meson: $os: meson setup with the sysroot FAILED"
	exit 1
fi
if ! meson compile -C "$dir" tcptable:static_library tcptable:shared_library >"$log" 2>&1; then
	cat "$log"
	echo "bsd-meson: $os: build against $sysroot FAILED"
	exit 1
fi
echo "bsd-meson: $os: built libtcptable.a and libtcptable.so with clang for $(sed -n "s/^target = '\(.*\)'/\1/p" "cross/x86_64-$os.ini") against $sysroot"
