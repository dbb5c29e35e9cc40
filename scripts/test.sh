#!/bin/sh
# test.sh - builds and runs every test, installing what is missing first:
#   plain      all suites (unit, integration, build checks)
#   asan       all suites under AddressSanitizer + UndefinedBehaviorSanitizer
#   tsan       the threaded suites (threads, front end, 10 s soak) under
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
# Each step prints its test runner's summary; the last lines summarise all.
# Usage: scripts/test.sh [--quick]   (--quick: the plain build and bsd-meson)
set -u
cd "$(dirname "$0")/.."
./scripts/deps.sh || exit 1

quick=0
[ "${1:-}" = "--quick" ] && quick=1
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
		meson test -C build-tsan --print-errorlogs threads frontend soak-short
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

step plain plain
step bsd-meson bsd_meson
if [ $quick -eq 0 ]; then
	step asan asan
	step tsan tsan
	step valgrind memcheck
	step libbsd libbsd
	step fuzz fuzz
	step lint ./scripts/lint.sh
fi

echo
echo "=============== summary"
[ -n "$passed" ] && echo "passed:$passed"
if [ -n "$failed" ]; then
	echo "FAILED:$failed"
	exit 1
fi
echo "all test steps passed"
