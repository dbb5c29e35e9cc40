#!/bin/sh
# deps.sh - installs the Debian packages the build and the tests need, if any
# are missing (as root, or through sudo).  Safe to run again.
set -eu
pkgs="meson ninja-build pkg-config gcc g++ clang libclang-rt-14-dev libmnl-dev libbsd-dev
check valgrind iproute2 man-db binutils clang-tidy cppcheck x11proto-dev
lld llvm libbpf-dev bpftool"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done

# ---- Embedded targets (issue 14): cross compilers for aarch64, armhf and
# i386, the targets' libmnl and Check from Debian multiarch, qemu-user to run
# the cross-built suites, musl-gcc, and cmake for the CMake consumer.  A
# missing foreign architecture is added (it takes effect at apt-get update
# below).  libbsd-dev:<arch> is not needed: glibc 2.36 has reallocarray.
cross_archs="arm64 armhf i386"
cross_pkgs="gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf gcc-i686-linux-gnu
libc6-dev-arm64-cross libc6-dev-armhf-cross libc6-dev-i386-cross
qemu-user-static musl-tools cmake"
cross_missing() {
	for a in $cross_archs; do
		dpkg --print-foreign-architectures | grep -qx "$a" || new_archs="$new_archs $a"
		for p in libmnl-dev check; do
			dpkg-query -W -f='${Status}' "$p:$a" 2>/dev/null | grep -q "install ok installed" ||
				missing="$missing $p:$a"
		done
	done
	for p in $cross_pkgs; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing="$missing $p"
	done
}
new_archs=""
cross_missing
# ---- end of the embedded targets

[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null; then
	sudo="sudo"
else
	echo "deps: missing packages:$missing; install them as root" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
for a in $new_archs; do
	$sudo dpkg --add-architecture "$a"
done
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
