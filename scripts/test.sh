#!/bin/sh
# test.sh - builds and runs every test, installing what is missing first:
#   plain      all suites (unit, integration, build checks)
#   asan       all suites under AddressSanitizer + UndefinedBehaviorSanitizer
#   tsan       the threaded suites (threads, front end, 10 s soak, BPF owners) under
#              ThreadSanitizer (clang)
#   valgrind   the unit and integration suites under valgrind memcheck
#   libbsd     the library built with libbsd-overlay forced on, unit suites
#   fuzz       each libFuzzer target for FUZZ_SECONDS (default 20)
#   lint       cppcheck and clang-tidy over the library and the tool
#   bsd-meson  the library configured through meson for FreeBSD, NetBSD,
#              OpenBSD, DragonFly and macOS
#              with the cross files in cross/, its file list proven; also
#              built with clang for each BSD whose sysroot is present
#              (TT_FREEBSD_SYSROOT, TT_NETBSD_SYSROOT, TT_OPENBSD_SYSROOT,
#              TT_DRAGONFLY_SYSROOT, TT_DARWIN_SYSROOT; default
#              /tmp/sysroot-<bsd>, made by scripts/bsd-sysroot.sh)
#   cross-arm64, cross-armhf, cross-i386
#              the library cross-built with cross/<triple>.ini, its suites
#              run under qemu-user (which suites, and why not the others,
#              is printed), stripped sizes, the size budget on aarch64
#   embedded   static-only build + consumer through pkg-config --static
#              (host and aarch64), CMake consumer, meson subproject
#              consumer, musl-gcc object build (scripts/musl-check.sh)
# Each step prints its test runner's summary; the last lines summarise all.
# Usage: scripts/test.sh [--quick|--all]   (--quick: the plain build and
# bsd-meson; --all: also the threads suite under qemu on each cross target)
set -u
cd "$(dirname "$0")/.."
./scripts/deps.sh || exit 1

quick=0
[ "${1:-}" = "--quick" ] && quick=1
all=0
[ "${1:-}" = "--all" ] && all=1
failed=""
passed=""

# configure DIR OPTIONS...: a build directory with exactly these options.
configure() {
	dir=$1
	shift
	if [ -f "$dir/build.ninja" ]; then
		meson configure "$dir" "$@" >/dev/null
	else
		meson setup "$dir" "$@" >/dev/null
	fi && ninja -C "$dir" >/dev/null
}

step() {
	name=$1
	shift
	echo
	echo "=============== $name"
	if "$@"; then
		passed="$passed $name"
	else
		failed="$failed $name"
		echo "=============== $name FAILED"
	fi
}

plain() {
	configure build && meson test -C build --print-errorlogs
}

asan() {
	configure build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug &&
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		meson test -C build-asan --print-errorlogs --no-suite soak
}

tsan() {
	if [ ! -f build-tsan/build.ninja ]; then
		CC=clang meson setup build-tsan -Db_sanitize=thread -Db_lundef=false \
			-Dbuildtype=debug >/dev/null || return 1
	fi
	ninja -C build-tsan >/dev/null &&
		TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
		meson test -C build-tsan --print-errorlogs threads frontend soak-short bpf_owners
}

memcheck() {
	configure build && meson test -C build --setup valgrind --print-errorlogs \
		--suite unit --suite integration
}

fuzz() {
	./scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
}

libbsd() {
	configure build-libbsd -Dlibbsd=enabled -Dexamples=false &&
		meson test -C build-libbsd --print-errorlogs --suite unit
}

# Configuring takes seconds and no BSD headers; a build of the BSD hosts
# happens only where a sysroot is, and says so loudly where it is not.
bsd_meson() {
	rc=0
	for os in freebsd netbsd openbsd dragonfly darwin; do
		case $os in
		freebsd) sysroot=${TT_FREEBSD_SYSROOT:-/tmp/sysroot-freebsd} ;;
		netbsd) sysroot=${TT_NETBSD_SYSROOT:-/tmp/sysroot-netbsd} ;;
		openbsd) sysroot=${TT_OPENBSD_SYSROOT:-/tmp/sysroot-openbsd} ;;
		dragonfly) sysroot=${TT_DRAGONFLY_SYSROOT:-/tmp/sysroot-dragonfly} ;;
		darwin) sysroot=${TT_DARWIN_SYSROOT:-/tmp/sysroot-darwin} ;;
		esac
		if [ -d "$sysroot/usr/include/sys" ]; then
			./scripts/bsd-meson.sh $os build-$os "$sysroot" || rc=1
		else
			./scripts/bsd-meson.sh $os build-$os || rc=1
			echo "!!! bsd-meson: $os: configured only, NOT BUILT: no sysroot at $sysroot"
			echo "!!!   (scripts/bsd-sysroot.sh makes one; README: Checking the BSD backends)"
		fi
	done
	return $rc
}

# ---- Embedded targets (issue 14).
# Under qemu-user, socket(AF_NETLINK, NETLINK_SOCK_DIAG) fails (qemu passes
# only NETLINK_ROUTE, _KOBJECT_UEVENT and _AUDIT), so the library answers
# from the /proc/net fallback; seccomp, SO_COOKIE and exec of target
# programs are not emulated either.  The live suites that check rows,
# sizing, owners and statistics run there; the others are named with why.
QEMU_LIVE="extended module sizing stats"
QEMU_NOT_RUN="live: two checks the /proc fallback cannot pass by design (a lone V6ONLY [::] listener, IPv6 scope ids absent from /proc/net/tcp6)
netns: IPv6 scope ids (absent from /proc/net/tcp6)
fallback: seccomp filters are not emulated by qemu-user
set_entry, align: SetTcpEntry needs NETLINK_SOCK_DIAG (SOCK_DESTROY)
faults: its fault points are on the netlink path; SO_COOKIE is not emulated
tool: it execs the target-built tcptable, which needs binfmt_misc (absent here)
soak-short, build suite: host-side checks, run by the plain step"

# cross_target NAME INI [SO BUDGET]: build, suites under qemu, sizes.
cross_target() {
	tgt=$1
	ini=cross/$2.ini
	dir=build-$tgt
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" --cross-file "$ini" -Dexamples=false >/dev/null || return 1
	fi
	ninja -C "$dir" >/dev/null || return 1
	live=$QEMU_LIVE
	[ $all -eq 1 ] && live="$live threads"
	echo "--- $tgt: under $(sed -n "s/^exe_wrapper = '\(.*\)'/\1/p" "$ini"): unit suites (layout, decode, front end, mocks, fixtures, corpora), live: $live"
	[ $all -eq 1 ] || echo "!!! $tgt: NOT RUN here: threads (3-5 min under qemu; scripts/test.sh --all runs it)"
	echo "$QEMU_NOT_RUN" | sed "s/^/!!! $tgt: NOT RUN under qemu: /"
	[ -d "$dir/tests/bsd" ] ||
		echo "!!! $tgt: NOT BUILT: the BSD fixture suites (amd64 kernel records; tests/meson.build)"
	# qemu-user is several times slower than the host: longer timeouts.
	meson test -C "$dir" --print-errorlogs --timeout-multiplier 3 --suite unit || return 1
	# shellcheck disable=SC2086
	meson test -C "$dir" --print-errorlogs --timeout-multiplier 3 $live || return 1
	scripts/sizes.sh "$dir" "$(sed -n "s/^triple = '\(.*\)'/\1/p" "$ini")-strip" "$tgt" ${3:-}
}

# The consumers an embedded build system uses, and musl.
embedded() {
	rc=0
	configure build-static -Ddefault_library=static -Dtests=false -Dexamples=false &&
		tests/consumer/static_consumer.sh build-static . cc \
			"/usr/lib/$(gcc -print-multiarch)/pkgconfig" || rc=1
	# build-arm64 comes from the cross-arm64 step (its libtcptable.a only).
	if [ -f build-arm64/build.ninja ]; then
		tests/consumer/static_consumer.sh build-arm64 . aarch64-linux-gnu-gcc \
			/usr/lib/aarch64-linux-gnu/pkgconfig qemu-aarch64-static || rc=1
	else
		echo "!!! embedded: NOT RUN: the aarch64 static consumer (no build-arm64)"
		rc=1
	fi
	tests/subproject/run.sh . || rc=1
	./scripts/musl-check.sh || rc=1
	return $rc
}

step plain plain
step bsd-meson bsd_meson
if [ $quick -eq 0 ]; then
	step asan asan
	step tsan tsan
	step valgrind memcheck
	step libbsd libbsd
	step fuzz fuzz
	step lint ./scripts/lint.sh
	step cross-arm64 cross_target arm64 aarch64-linux-gnu 131072
	step cross-armhf cross_target armhf arm-linux-gnueabihf
	step cross-i386 cross_target i386 i686-linux-gnu
	step embedded embedded
fi

echo
echo "=============== summary"
[ -n "$passed" ] && echo "passed:$passed"
if [ -n "$failed" ]; then
	echo "FAILED:$failed"
	exit 1
fi
echo "all test steps passed"
