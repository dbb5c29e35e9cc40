#!/bin/sh
# static_consumer.sh - installs a build into a DESTDIR as a static-only
# install (libtcptable.a and no shared library), then builds consumer.c
# only through `pkg-config --static --cflags --libs tcptable` with the given
# compiler, checks that it needs no libtcptable.so, and runs it (through a
# runner such as qemu-aarch64-static for a cross build).  With no runner
# (a host build) the same install is also used by a CMake project
# (tests/consumer/CMakeLists.txt: pkg_check_modules IMPORTED_TARGET).
# usage: static_consumer.sh <build dir> <source dir> <cc> <target .pc dir> [runner...]
set -eu
build=$1
src=$(cd "$2" && pwd)
cc=$3
target_pc=$4
shift 4
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

meson install -C "$build" --no-rebuild --destdir "$dest" --quiet
pc=$(find "$dest" -name tcptable.pc | head -n 1)
[ -n "$pc" ] || { echo "FAIL: tcptable.pc not installed"; exit 1; }
libdir=$(dirname "$(dirname "$pc")")
[ -f "$libdir/libtcptable.a" ] || { echo "FAIL: no libtcptable.a in $libdir"; exit 1; }
# A static-only install: whatever shared library the build made goes away.
rm -f "$libdir"/libtcptable.so*

# The staged copy is used where it lies: its prefix points into DESTDIR (a
# PKG_CONFIG_SYSROOT_DIR would also move libmnl's own paths there).
prefix=$(sed -n 's/^prefix=//p' "$pc")
sed -i "s|^prefix=.*|prefix=$dest$prefix|" "$pc"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
export PKG_CONFIG_LIBDIR="$libdir/pkgconfig:$target_pc:/usr/share/pkgconfig"
flags=$(pkg-config --static --cflags --libs tcptable)
echo "pkg-config --static --cflags --libs tcptable: $flags"
# shellcheck disable=SC2086
"$cc" -o "$dest/consumer" "$src/tests/consumer/consumer.c" $flags
needed=$(readelf -d "$dest/consumer" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
echo "consumer needs: $needed"
case " $needed " in
*libtcptable*) echo "FAIL: the static consumer needs libtcptable.so"; exit 1 ;;
esac
"$@" "$dest/consumer"
echo "ok: consumer linked against libtcptable.a only, through pkg-config --static ($cc)"

[ $# -eq 0 ] || exit 0
command -v cmake >/dev/null || { echo "FAIL: cmake missing (scripts/deps.sh installs it)"; exit 1; }
if ! { cmake -S "$src/tests/consumer" -B "$dest/cmake" -DCMAKE_C_COMPILER="$cc" &&
	cmake --build "$dest/cmake"; } >"$dest/cmake.log" 2>&1; then
	cat "$dest/cmake.log"
	echo "FAIL: CMake consumer"
	exit 1
fi
grep -q "Found tcptable" "$dest/cmake.log" || grep -q "Checking for module 'tcptable'" "$dest/cmake.log" ||
	{ cat "$dest/cmake.log"; echo "FAIL: CMake did not find tcptable through pkg-config"; exit 1; }
"$dest/cmake/consumer"
echo "ok: CMake consumer (pkg_check_modules IMPORTED_TARGET tcptable) built and ran"
