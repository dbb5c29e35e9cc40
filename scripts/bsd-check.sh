#!/bin/sh
# bsd-check.sh - checks a BSD backend against real BSD headers, from Linux.
#
#   scripts/bsd-check.sh freebsd|netbsd|openbsd|dragonfly|darwin SYSROOT [TARGET]
#
# SYSROOT holds the BSD's headers in usr/include (a real sysroot, or one
# made by scripts/bsd-sysroot.sh from a source snapshot).  TARGET defaults to
# x86_64-unknown-freebsd13.0 / x86_64-unknown-netbsd7.99 /
# x86_64-unknown-openbsd7.3, x86_64-unknown-dragonfly5.9,
# x86_64-apple-macos11.
#
#  1. layout: tests/bsd/layout_dump.c, built natively on the project's own
#     transcription of the records (tests/bsd/<os>_transcribed.h), prints
#     every size, offset, member size and constant the walker relies on as
#     static assertions; they are compiled for TARGET against the real
#     headers (src/bsd/<os>/layout.h in its non-test mode).
#  2. sources: the library's files as meson.build lists them for that
#     system (scripts/bsd-meson.sh, which also fails when the list and the
#     files of src/common, src/bsd, src/bsd/<os> differ) are compiled for
#     TARGET with clang -Wall -Wextra -Werror -fsyntax-only (and the
#     project's other warnings);
#  3. the netstat port (tools/tcptable) and the examples, when the sysroot
#     has C library headers.
#
# Where the sysroot has no C library headers (a bare sys/ tree), minimal
# stand-ins for the few libc declarations the sources use are generated
# and searched after the sysroot (-idirafter), so real headers always win.
# Prints one line per check and a summary; exits 1 if any check failed.
set -u
cd "$(dirname "$0")/.."

[ $# -ge 2 ] || { sed -n '2,22p' "$0"; exit 2; }
os=$1
sysroot=$(cd "$2" && pwd) || exit 2
case $os in
freebsd) target=${3:-x86_64-unknown-freebsd13.0} ;;
netbsd) target=${3:-x86_64-unknown-netbsd7.99} ;;
openbsd) target=${3:-x86_64-unknown-openbsd7.3} ;;
dragonfly) target=${3:-x86_64-unknown-dragonfly5.9} ;;
darwin) target=${3:-x86_64-apple-macos11} ;; # macOS; or arm64-apple-macos11
*) echo "bsd-check.sh: unknown system '$os'" >&2; exit 2 ;;
esac
[ -d "$sysroot/usr/include/sys" ] || { echo "bsd-check.sh: no $sysroot/usr/include/sys" >&2; exit 2; }
CLANG=${CLANG:-clang}
HOSTCC=${HOSTCC:-cc}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- libc stand-ins, only for headers the sysroot lacks.
stubs=$tmp/stubs
./scripts/bsd-stubs.sh "$sysroot" "$stubs" || exit 2

# The defines meson.build sets for that system.
case $os in
netbsd) sysdefs=-DTT_USE_REALLOCARR ;;
darwin) sysdefs=-DTT_OWN_REALLOCARRAY ;;
*) sysdefs= ;;
esac

flags="--target=$target --sysroot=$sysroot -idirafter $stubs -std=c11
 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
 -Wformat=2 -Wpointer-arith -Wvla -Wno-missing-field-initializers
 -DTCPTABLE_BUILDING $sysdefs -Iinclude -Isrc/common -Isrc/bsd -Isrc/bsd/$os"

failed=0
checked=0
report() { # report NAME STATUS LOG
	checked=$((checked + 1))
	if [ "$2" -eq 0 ]; then
		echo "PASS  $target  $1"
	else
		failed=$((failed + 1))
		echo "FAIL  $target  $1"
		sed 's/^/      /' "$3"
	fi
}

# ---- 1. layout
if [ "$os" = darwin ]; then
	# macOS: the walker's transcription is src/bsd/darwin/layout.h itself
	# (the pcblist_n records are private, absent from the SDK); its
	# static assertions against xnu's headers, private parts included.
	echo '#include "layout.h"' >"$tmp/layout_check.c"
	# shellcheck disable=SC2086
	n=$($CLANG $flags -DPRIVATE -E "$tmp/layout_check.c" 2>/dev/null | grep -o '_Static_assert' | wc -l)
	# shellcheck disable=SC2086
	$CLANG $flags -DPRIVATE -fsyntax-only "$tmp/layout_check.c" >"$tmp/log" 2>&1
	report "layout: $n assertions from src/bsd/darwin/layout.h (-DPRIVATE)" $? "$tmp/log"
elif $HOSTCC -std=c11 -Wall -Wextra -Werror -DTT_BSD_TRANSCRIBED -Itests/bsd -Isrc/bsd \
	-Isrc/bsd/"$os" tests/bsd/layout_dump.c -o "$tmp/layout_dump" 2>"$tmp/log"; then
	{
		echo '#include <stddef.h>'
		echo '#include "layout.h"'
		"$tmp/layout_dump"
	} >"$tmp/layout_check.c"
	n=$(grep -c '^_Static_assert' "$tmp/layout_check.c")
	# shellcheck disable=SC2086
	$CLANG $flags -fsyntax-only "$tmp/layout_check.c" >"$tmp/log" 2>&1
	report "layout: $n assertions from tests/bsd/${os}_transcribed.h" $? "$tmp/log"
else
	report "layout: building tests/bsd/layout_dump.c" 1 "$tmp/log"
fi

# NetBSD: the IN6P_IPV6_V6ONLY value the walker spells out, where the
# header that defines it exists (it moved in NetBSD 10).
if [ "$os" = netbsd ] && [ -e "$sysroot/usr/include/netinet6/in6_pcb.h" ]; then
	printf '%s\n' '#include <stdbool.h>' '#include <sys/types.h>' '#include <sys/socket.h>' \
		'#include <net/route.h>' '#include <netinet/in.h>' '#include <netinet6/in6_pcb.h>' \
		'#include "layout.h"' \
		'_Static_assert(IN6P_IPV6_V6ONLY == TT_NB_IN6P_IPV6_V6ONLY, "IN6P_IPV6_V6ONLY");' \
		>"$tmp/v6only.c"
	# shellcheck disable=SC2086
	$CLANG $flags -fsyntax-only "$tmp/v6only.c" >"$tmp/log" 2>&1
	report "layout: IN6P_IPV6_V6ONLY from netinet6/in6_pcb.h" $? "$tmp/log"
fi

# DragonFly: the DTYPE_SOCKET value the walker spells out (sys/file.h has
# it only for _KERNEL_STRUCTURES).
if [ "$os" = dragonfly ]; then
	printf '%s\n' '#define _KERNEL_STRUCTURES' '#include <sys/types.h>' '#include <sys/file.h>' \
		'#include "layout.h"' \
		'_Static_assert(DTYPE_SOCKET == TT_DF_DTYPE_SOCKET, "DTYPE_SOCKET");' >"$tmp/dtype.c"
	# shellcheck disable=SC2086
	$CLANG $flags -fsyntax-only "$tmp/dtype.c" >"$tmp/log" 2>&1
	report "layout: DTYPE_SOCKET from sys/file.h" $? "$tmp/log"
fi

# ---- 2. sources: the library's files as meson.build lists them for the
# system (scripts/bsd-meson.sh: configured through meson, and the list
# compared with the files in the tree); what is in the tree if that fails.
if ./scripts/bsd-meson.sh "$os" "$tmp/meson" >"$tmp/log" 2>&1; then
	sources=$(cat "$tmp/meson/bsd-sources.txt")
	report "meson.build: configures for $os, lists every source file" 0 "$tmp/log"
else
	sources=$(printf '%s\n' src/bsd/*.c src/bsd/"$os"/*.c src/common/*.c)
	report "meson.build: configures for $os, lists every source file" 1 "$tmp/log"
fi
for f in $sources; do
	# shellcheck disable=SC2086
	$CLANG $flags -fsyntax-only "$f" >"$tmp/log" 2>&1
	report "$f" $? "$tmp/log"
done

# ---- 3. the netstat port and the examples, where the sysroot has the
# C library's headers (a bare sys/ tree has not).
if [ -e "$sysroot/usr/include/stdio.h" ]; then
	for f in tools/tcptable/*.c examples/*.c; do
		# shellcheck disable=SC2086
		$CLANG $flags -D_GNU_SOURCE -fsyntax-only "$f" >"$tmp/log" 2>&1
		report "$f" $? "$tmp/log"
	done
else
	echo "SKIP  $target  tools/tcptable/*.c examples/*.c: no C library headers in $sysroot"
fi

echo "bsd-check: $os, $target: $((checked - failed)) of $checked checks passed"
[ $failed -eq 0 ]
