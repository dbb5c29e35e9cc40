#!/bin/sh
# install_consumer.sh - installs the build into a DESTDIR, then builds
# consumer.c only through pkg-config against it: once against the shared
# library, once statically against libtcptable.a (as in a static-only
# install), and runs both.
# usage: install_consumer.sh <build dir> <source dir> <prefix> <libdir>
set -eu
build=$1
src=$2
prefix=$3
libdir=$4
case $libdir in /*) ;; *) libdir=$prefix/$libdir ;; esac
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

meson install -C "$build" --no-rebuild --destdir "$dest" --quiet
mandir=$prefix/share/man
for f in "$prefix/include/tcptable/iphlpapi.h" "$prefix/include/tcptable/tcptable_ext.h" \
	"$libdir/pkgconfig/tcptable.pc" "$libdir/libtcptable.a" "$libdir/libtcptable.so.0" \
	"$prefix/bin/tcptable" "$mandir/man1/tcptable.1"; do
	[ -e "$dest$f" ] || { echo "FAIL: $f not installed under DESTDIR"; exit 1; }
done
# Nothing may land outside DESTDIR: the install honours it.
[ -z "$(find "$dest" -mindepth 1 -maxdepth 1 ! -name "$(echo "$prefix" | cut -d/ -f2)")" ] ||
	{ echo "FAIL: files outside the prefix"; exit 1; }

export PKG_CONFIG_SYSROOT_DIR="$dest"
export PKG_CONFIG_PATH="$dest$libdir/pkgconfig"
export PKG_CONFIG_LIBDIR="$dest$libdir/pkgconfig:/usr/lib/x86_64-linux-gnu/pkgconfig:/usr/lib/pkgconfig:/usr/share/pkgconfig"
cc=${CC:-cc}

echo "pkg-config --cflags --libs tcptable: $(pkg-config --cflags --libs tcptable)"
$cc -o "$dest/consumer-shared" "$src/tests/consumer/consumer.c" \
	$(pkg-config --cflags --libs tcptable)
LD_LIBRARY_PATH="$dest$libdir" "$dest/consumer-shared"
LD_LIBRARY_PATH="$dest$libdir" ldd "$dest/consumer-shared" | grep -q "libtcptable.so.0 => $dest" ||
	{ echo "FAIL: shared consumer does not use the installed libtcptable.so.0"; exit 1; }

# The installed command runs against the installed library, and its man
# page renders.
LD_LIBRARY_PATH="$dest$libdir" "$dest$prefix/bin/tcptable" -ano > "$dest/tcptable.out"
grep -q '^Active Connections$' "$dest/tcptable.out" ||
	{ echo "FAIL: installed tcptable -ano printed:"; cat "$dest/tcptable.out"; exit 1; }
LD_LIBRARY_PATH="$dest$libdir" "$dest$prefix/bin/tcptable" --version
MANWIDTH=80 man -l "$dest$mandir/man1/tcptable.1" > "$dest/man.txt" 2> "$dest/man.err"
grep -q 'tcptable - display TCP and UDP connections as Windows netstat does' "$dest/man.txt" ||
	{ echo "FAIL: man -l did not render the page"; cat "$dest/man.err"; exit 1; }
[ -s "$dest/man.err" ] && { echo "FAIL: man warnings:"; cat "$dest/man.err"; exit 1; }
echo "ok: installed tcptable and its man page"

# Static: the shared objects are moved away, as in a static-only install.
mkdir "$dest/shared"
mv "$dest$libdir"/libtcptable.so* "$dest/shared/"
echo "pkg-config --static --cflags --libs tcptable: $(pkg-config --static --cflags --libs tcptable)"
$cc -o "$dest/consumer-static" "$src/tests/consumer/consumer.c" \
	$(pkg-config --static --cflags --libs tcptable)
if readelf -d "$dest/consumer-static" | grep -q 'libtcptable'; then
	echo "FAIL: static consumer still needs libtcptable.so"
	exit 1
fi
"$dest/consumer-static"
echo "ok: shared and static consumers built through pkg-config"
