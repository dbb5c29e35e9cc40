#!/bin/sh
# headers.sh - the public headers compile cleanly as C11 and C++ with gcc,
# g++, clang and clang++ (-Wall -Wextra -Werror -pedantic), alone or in any
# order with the socket and stdio headers, next to a program that already
# has the Windows base types (TCPTABLE_HAVE_WINDEF), and next to X11's
# <X11/Xmd.h>, whose BOOL is an unsigned char, in either order.
# The tcpestats.h layouts hold on 32-bit targets (i386, armv7) as on
# Windows x86.
# usage: headers.sh <include dir>
set -u
inc=$1
tests_dir=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
runs=0

# Uses what each header provides, the way ported code does.
use_all='int main(void) {
	MIB_TCPTABLE2 t; MIB_TCP6ROW r6; MIB_TCPROW row; MIB_TCPSTATS2 st;
	ULONG (*fn)(PMIB_TCPTABLE2, PULONG, BOOL) = GetTcpTable2;
	DWORD (*ufn)(PVOID, PDWORD, BOOL, ULONG, UDP_TABLE_CLASS, ULONG) = GetExtendedUdpTable;
	ULONG (*sfn)(PMIB_UDPSTATS2, ULONG) = GetUdpStatisticsEx2;
	ULONG size = sizeof(t); DWORD dw = 0; PDWORD pdw = &dw; PULONG pul = &size;
	row.State = MIB_TCP_STATE_ESTAB;
	r6.State = MIB_TCP_STATE_LISTEN;
	st.dw64InSegs = 1;
	(void)pdw; (void)pul; (void)r6; (void)st; (void)fn; (void)ufn; (void)sfn;
	return row.dwState == 5 ? 0 : 1;
}'
use_tcp='int main(void) { MIB_TCPROW_W2K r; r.dwState = ERROR_SUCCESS; return (int)sizeof(r) - 20; }'
use_estats='int main(void) { TCP_ESTATS_DATA_ROD_v0 d; d.ThruBytesAcked = 1; return (int)sizeof(d) - 96 + (int)d.ThruBytesAcked - 1 + TcpConnectionEstatsFineRtt - 8; }'
use_udp='#include <stddef.h>
/* The UDP layouts of SPEC §3, as C and as C++ see them. */
TCPTABLE_STATIC_ASSERT(sizeof(MIB_UDPROW) == 8 && sizeof(MIB_UDPROW_OWNER_PID) == 12, "udp rows");
TCPTABLE_STATIC_ASSERT(sizeof(MIB_UDPROW_OWNER_MODULE) == 160, "udp module row");
TCPTABLE_STATIC_ASSERT(offsetof(MIB_UDPROW_OWNER_MODULE, liCreateTimestamp) == 16, "udp ts");
TCPTABLE_STATIC_ASSERT(offsetof(MIB_UDPROW_OWNER_MODULE, dwFlags) == 24, "udp flags");
TCPTABLE_STATIC_ASSERT(offsetof(MIB_UDPROW_OWNER_MODULE, OwningModuleInfo) == 32, "udp info");
TCPTABLE_STATIC_ASSERT(offsetof(MIB_UDPTABLE_OWNER_MODULE, table) == 8, "udp module table");
TCPTABLE_STATIC_ASSERT(sizeof(MIB_UDP6ROW) == 24 && sizeof(MIB_UDP6ROW_OWNER_PID) == 28, "udp6 rows");
TCPTABLE_STATIC_ASSERT(offsetof(MIB_UDP6ROW, dwLocalScopeId) == 16, "udp6 scope");
TCPTABLE_STATIC_ASSERT(offsetof(MIB_UDP6ROW_OWNER_PID, dwOwningPid) == 24, "udp6 pid");
TCPTABLE_STATIC_ASSERT(offsetof(MIB_UDP6ROW_OWNER_MODULE, liCreateTimestamp) == 32, "udp6 ts");
TCPTABLE_STATIC_ASSERT(offsetof(MIB_UDP6ROW_OWNER_MODULE, OwningModuleInfo) == 48, "udp6 info");
TCPTABLE_STATIC_ASSERT(offsetof(MIB_UDP6TABLE_OWNER_MODULE, table) == 8, "udp6 module table");
TCPTABLE_STATIC_ASSERT(sizeof(MIB_UDPSTATS) == 20 && sizeof(MIB_UDPSTATS2) == 32, "udp stats");
TCPTABLE_STATIC_ASSERT(offsetof(MIB_UDPSTATS2, dw64OutDatagrams) == 16, "udp stats2");
int main(void) { MIB_UDP6ROW_OWNER_MODULE r; r.dwFlags = 0; return (int)sizeof(r) - 176 + r.dwFlags; }'

# check NAME SOURCE-FILE COMPILER FLAGS...
check() {
	name=$1; src=$2; shift 2
	runs=$((runs + 1))
	if ! "$@" -I"$inc" -Wall -Wextra -Werror -pedantic -fsyntax-only "$src" > "$tmp/out" 2>&1; then
		echo "FAIL: $name: $*"
		head -20 "$tmp/out" | sed 's/^/    /'
		fails=$((fails + 1))
	fi
}

# Include orders, each with the program that exercises it.
i=0
while IFS='|' read -r hdrs kind; do
	i=$((i + 1))
	src="$tmp/order$i"
	for h in $hdrs; do echo "#include <$h>"; done > "$src"
	case $kind in
	all) echo "$use_all" ;;
	tcp) echo "$use_tcp" ;;
	udp) echo "$use_udp" ;;
	estats) echo "$use_estats" ;;
	esac >> "$src"
	for cc in gcc clang; do
		for std in c11 c17; do
			check "order$i-$cc-$std" "$src" $cc -std=$std -x c
		done
	done
	for cxx in g++ clang++; do
		for std in c++11 c++17 c++20; do
			check "order$i-$cxx-$std" "$src" $cxx -std=$std -x c++
		done
	done
done <<'ORDERS'
iphlpapi.h sys/socket.h netinet/in.h arpa/inet.h stdio.h|all
sys/socket.h netinet/in.h arpa/inet.h stdio.h iphlpapi.h|all
stdio.h arpa/inet.h iphlpapi.h netinet/in.h sys/socket.h|all
tcptable_windef.h iprtrmib.h tcpmib.h udpmib.h iphlpapi.h|all
tcpmib.h stdio.h|tcp
iprtrmib.h|tcp
udpmib.h|udp
tcpestats.h stdio.h|estats
iphlpapi.h|estats
ORDERS

# Another compatibility layer already defined the base types.
cat > "$tmp/foreign.c" <<SRC
#include <stdint.h>
#include <wchar.h>
#include <netinet/in.h>
typedef uint32_t DWORD, *PDWORD; typedef uint32_t ULONG, *PULONG; typedef int32_t LONG;
typedef int BOOL; typedef unsigned char UCHAR, *PUCHAR, BOOLEAN; typedef uint16_t USHORT;
typedef size_t SIZE_T;
typedef int64_t LONGLONG; typedef uint64_t ULONGLONG, DWORD64, ULONG64;
typedef wchar_t WCHAR, *PWCHAR; typedef void *PVOID;
typedef union { struct { DWORD LowPart; LONG HighPart; } u; LONGLONG QuadPart; } LARGE_INTEGER;
typedef struct in6_addr IN6_ADDR; typedef struct in_addr IN_ADDR;
#define TRUE 1
#define FALSE 0
#define TCPTABLE_HAVE_WINDEF
#include <iphlpapi.h>
$use_all
SRC
# ...but with a 64-bit DWORD the layouts cannot hold: a clear error.
cat > "$tmp/bad.c" <<'SRC'
#include <wchar.h>
#include <netinet/in.h>
typedef unsigned long DWORD, ULONG; typedef long LONG; typedef int BOOL; typedef unsigned char UCHAR;
typedef long long LONGLONG; typedef unsigned long long ULONGLONG, DWORD64;
typedef wchar_t WCHAR, *PWCHAR; typedef void *PVOID; typedef DWORD *PDWORD, *PULONG;
typedef union { LONGLONG QuadPart; } LARGE_INTEGER; typedef struct in6_addr IN6_ADDR;
#define TCPTABLE_HAVE_WINDEF
#include <iphlpapi.h>
int main(void) { return 0; }
SRC
for cc in gcc clang; do
	check "foreign-types-$cc" "$tmp/foreign.c" $cc -std=c11 -x c
	runs=$((runs + 1))
	if $cc -std=c11 -I"$inc" -fsyntax-only "$tmp/bad.c" > "$tmp/out" 2>&1; then
		echo "FAIL: $cc accepted a 64-bit DWORD"
		fails=$((fails + 1))
	elif ! grep -q "DWORD must be 32 bits" "$tmp/out"; then
		echo "FAIL: $cc rejected a 64-bit DWORD without naming it"
		fails=$((fails + 1))
	fi
done

# expect_error NAME MESSAGE SOURCE-FILE: gcc and clang reject it, naming MESSAGE.
expect_error() {
	for cc in gcc clang; do
		runs=$((runs + 1))
		if $cc -std=c11 -I"$inc" -fsyntax-only "$3" > "$tmp/out" 2>&1; then
			echo "FAIL: $1: $cc accepted it"
			fails=$((fails + 1))
		elif ! grep -q "$2" "$tmp/out"; then
			echo "FAIL: $1: $cc rejected it without saying \"$2\""
			head -5 "$tmp/out" | sed 's/^/    /'
			fails=$((fails + 1))
		fi
	done
}

# Another layer whose BOOL is not Windows' int: a clear error too.
sed 's/typedef int BOOL;/typedef unsigned char BOOL;/' "$tmp/foreign.c" > "$tmp/charbool.c"
expect_error charbool-have-windef "BOOL must be an int" "$tmp/charbool.c"

# X11's <X11/Xmd.h> (through Xproto.h) defines BOOL as an unsigned char for
# the X wire structures.  First: BOOL stays X11's and the functions still take
# an int.  After: the wrap of the porting guide (Wine's trick) keeps both.
if [ -f /usr/include/X11/Xproto.h ]; then
	x11_wrapped='#define BOOL X_BOOL
#include <X11/Xproto.h>
#undef BOOL'
	cat > "$tmp/x11first.c" <<SRC
#include <X11/Xproto.h>
#include <iphlpapi.h>
TCPTABLE_STATIC_ASSERT(sizeof(BOOL) == 1, "X11's BOOL is kept");
TCPTABLE_STATIC_ASSERT(sizeof(xConnSetupPrefix) == 8, "X11 wire layouts are kept");
int main(void) {
	ULONG (*fn)(PMIB_TCPTABLE2, PULONG, int) = GetTcpTable2;
	BOOL order = TRUE; ULONG size = 0;
	return (int)fn(NULL, &size, order) + GetExtendedTcpTable(NULL, &size, FALSE, AF_INET,
		TCP_TABLE_OWNER_PID_ALL, 0);
}
SRC
	{ echo '#include <iphlpapi.h>'; echo "$x11_wrapped"; echo "$use_all"; } > "$tmp/x11after.c"
	for f in x11first x11after; do
		echo 'TCPTABLE_STATIC_ASSERT(sizeof(xConnSetupPrefix) == 8, "X11 wire layouts are kept");' >> "$tmp/$f.c"
		for cc in gcc clang; do
			check "$f-$cc" "$tmp/$f.c" $cc -std=c11 -x c
		done
		for cxx in g++ clang++; do
			check "$f-$cxx" "$tmp/$f.c" $cxx -std=c++17 -x c++
		done
	done
	# Unwrapped after this header: X11's typedef clashes (why the guide wraps it).
	{ echo '#include <iphlpapi.h>'; echo '#include <X11/Xproto.h>'; echo "$use_all"; } > "$tmp/x11bare.c"
	expect_error x11-unwrapped-after "BOOL" "$tmp/x11bare.c"
else
	echo "SKIPPED: the X11 checks: /usr/include/X11/Xproto.h is missing (scripts/deps.sh installs x11proto-dev)"
fi

# ILP32: tcpestats.h's SIZE_T records shrink as on Windows x86, its ULONG64
# members stay 8-aligned (layout_estats.h holds both sets of numbers).  No
# 32-bit C library is needed: clang's freestanding headers and stubs of the
# four system headers tcptable_windef.h includes.
if command -v clang > /dev/null; then
	stubs="$tmp/stubs"
	mkdir -p "$stubs/sys" "$stubs/netinet"
	: > "$stubs/sys/types.h"
	: > "$stubs/sys/socket.h"
	printf '#include <stddef.h>\n' > "$stubs/wchar.h"
	printf '#include <stdint.h>\nstruct in_addr { uint32_t s_addr; };\nstruct in6_addr { uint8_t s6_addr[16]; };\n' \
		> "$stubs/netinet/in.h"
	printf '#include <iphlpapi.h>\n#include "layout_estats.h"\nTCPTABLE_STATIC_ASSERT(sizeof(void *) == 4, "ILP32");\n' \
		> "$tmp/ilp32.c"
	res=$(clang -print-resource-dir)
	for target in i386-linux-gnu armv7-linux-gnueabihf; do
		check "estats-layout-$target" "$tmp/ilp32.c" clang --target=$target -std=c11 -x c \
			-ffreestanding -nostdinc -isystem "$res/include" -isystem "$stubs" -I"$tests_dir"
	done
else
	echo "SKIPPED: the ILP32 layout checks of tcpestats.h: clang is missing"
fi

echo "$runs header compilations, $fails failed"
[ "$fails" -eq 0 ]
