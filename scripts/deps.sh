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
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
