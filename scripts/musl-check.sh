#!/bin/sh
# musl-check.sh - compiles every source of the library (Linux backend) and
# of the tcptable command with musl-gcc, -Wall -Wextra -Werror as meson
# does: an object build, since there is no musl libmnl here to link with.
# The kernel UAPI headers (linux/, asm/) and libmnl.h are the system's:
# they use only the C standard headers and the kernel's types, never glibc's
# own declarations, so compiling against them under musl is what a musl
# sysroot with libmnl would give (Alpine, Buildroot and Yocto ship the same
# files).
# usage: scripts/musl-check.sh [out dir]
set -eu
cd "$(dirname "$0")/.."
command -v musl-gcc >/dev/null || { echo "musl-check: musl-gcc missing (musl-tools)"; exit 1; }
out=${1:-build-musl}
rm -rf "$out"
mkdir -p "$out/inc" "$out/tool"
multiarch=$(gcc -print-multiarch)
for d in linux asm-generic libmnl; do
	ln -s "/usr/include/$d" "$out/inc/$d"
done
ln -s "/usr/include/$multiarch/asm" "$out/inc/asm"

warn="-std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
-Wformat=2 -Wpointer-arith -Wvla -Wno-missing-field-initializers -O2 -D_FORTIFY_SOURCE=2"
n=0
rc=0
# The library: the files meson.build lists for Linux (src/common, src/linux)
# without the optional BPF owner source, which needs libbpf and a skeleton
# generated at build time (option bpf_owners; a musl build leaves it off).
echo "musl-check: not compiled: src/linux/bpf_owners.c (-Dbpf_owners: libbpf and a build-time skeleton)"
for f in src/common/*.c src/linux/*.c; do
	[ "$f" = src/linux/bpf_owners.c ] && continue
	# shellcheck disable=SC2086
	musl-gcc $warn -D_GNU_SOURCE -DTCPTABLE_BUILDING -fvisibility=hidden -fPIC \
		-Iinclude -Isrc/common -Isrc/linux -isystem "$out/inc" \
		-c "$f" -o "$out/$(basename "$f" .c).o" || { echo "musl-check: FAIL $f"; rc=1; }
	n=$((n + 1))
done
# The command, as a consumer of the public headers only.
for f in tools/tcptable/*.c; do
	# shellcheck disable=SC2086
	musl-gcc $warn -D_GNU_SOURCE '-DTCPTABLE_VERSION="musl"' -Iinclude \
		-c "$f" -o "$out/tool/$(basename "$f" .c).o" || { echo "musl-check: FAIL $f"; rc=1; }
	n=$((n + 1))
done
# The library's objects must also form an archive whose only undefined
# symbols are libc's (musl) and libmnl's.
ar rcs "$out/libtcptable.a" "$out"/*.o
nm -g --defined-only "$out/libtcptable.a" "$(musl-gcc -print-file-name=libc.a)" 2>/dev/null |
	awk 'NF == 3 { print $3 }' | sort -u > "$out/defined.syms"
missing=$(nm -u "$out/libtcptable.a" | awk 'NF == 2 { print $2 }' | sort -u | grep -v '^mnl_' |
	comm -23 - "$out/defined.syms")
if [ -n "$missing" ]; then
	echo "musl-check: symbols neither musl's libc.a nor libmnl defines:"
	echo "$missing"
	rc=1
fi
[ $rc -eq 0 ] && echo "musl-check: $n sources compiled with musl-gcc; every libc symbol the library uses is in musl's libc.a"
exit $rc
