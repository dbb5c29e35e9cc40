#!/bin/sh
# bsd-sysroot.sh - assembles a directory of BSD headers (SYSROOT/usr/include,
# laid out as the BSD installs them) from a fetched source snapshot, for
# scripts/bsd-check.sh.  The result is scratch: never commit it.
#
#   scripts/bsd-sysroot.sh freebsd GITDIR OUT
#       GITDIR: a git snapshot of F-Stack/f-stack, whose freebsd/ directory
#       is a FreeBSD 13.0 sys/ tree (kernel and userland-visible headers;
#       no libc headers, bsd-check.sh supplies minimal stand-ins).
#       A real FreeBSD sysroot (e.g. base.txz unpacked) works as it is.
#   scripts/bsd-sysroot.sh netbsd GITDIR OUT
#       GITDIR: a git snapshot of rumpkernel/src-netbsd (branch all-src:
#       NetBSD 7.99 include/, sys/ and lib/libpthread).
#   scripts/bsd-sysroot.sh openbsd GITDIR OUT
#       GITDIR: a git snapshot of katrinafyi/comp3301, whose first commit
#       (26e979b1, "Import OPENBSD_7_3 branch") is an unmodified OpenBSD 7.3
#       src tree (include/ and sys/; later commits change only a course's
#       system calls).  That commit is used, never the later ones.
#   scripts/bsd-sysroot.sh dragonfly GITDIR OUT
#       GITDIR: a git snapshot of lileding/DragonFlyBSD (a whole DragonFly
#       tree, commit f875a8eec79e, 2020-07-24, DragonFly 5.9: include/ and
#       sys/), laid out as DragonFly's include/Makefile installs it (machine/
#       = sys/cpu/x86_64/include with sys/platform/pc64/include over it).
#       DragonFlyBSD/DragonFlyBSD itself is too big to fetch whole.
set -eu

[ $# -eq 3 ] || { sed -n '2,24p' "$0"; exit 2; }
os=$1
git_dir=$2
out=$3

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
inc=$out/usr/include
mkdir -p "$inc"

case $os in
freebsd)
	git --git-dir="$git_dir" archive HEAD freebsd/sys freebsd/netinet \
		freebsd/netinet6 freebsd/net freebsd/amd64/include \
		freebsd/x86/include freebsd/vm freebsd/bsm | tar -x -C "$scratch"
	s=$scratch/freebsd
	cp -R "$s/sys" "$inc/sys"
	cp -R "$s/netinet" "$inc/netinet"
	cp -R "$s/netinet6" "$inc/netinet6"
	cp -R "$s/net" "$inc/net"
	cp -R "$s/amd64/include" "$inc/machine"
	cp -R "$s/x86/include" "$inc/x86"
	cp -R "$s/vm" "$inc/vm"
	cp -R "$s/bsm" "$inc/bsm"
	;;
netbsd)
	ref=all-src
	git --git-dir="$git_dir" archive "$ref" include sys/sys sys/netinet \
		sys/netinet6 sys/net sys/arch/amd64/include sys/arch/x86/include \
		sys/uvm sys/altq lib/libpthread/pthread.h lib/libpthread/pthread_types.h \
		lib/libpthread/pthread_queue.h | tar -x -C "$scratch"
	cp -R "$scratch/include/." "$inc/"
	cp -R "$scratch/sys/sys" "$inc/sys"
	cp -R "$scratch/sys/netinet" "$inc/netinet"
	cp -R "$scratch/sys/netinet6" "$inc/netinet6"
	cp -R "$scratch/sys/net" "$inc/net"
	cp -R "$scratch/sys/arch/amd64/include" "$inc/machine"
	cp -R "$scratch/sys/arch/amd64/include" "$inc/amd64"
	cp -R "$scratch/sys/arch/x86/include" "$inc/x86"
	cp -R "$scratch/sys/uvm" "$inc/uvm"
	cp -R "$scratch/sys/altq" "$inc/altq"
	cp "$scratch"/lib/libpthread/pthread*.h "$inc/"
	;;
openbsd)
	ref=$(git --git-dir="$git_dir" rev-list --max-parents=0 HEAD)
	git --git-dir="$git_dir" archive "$ref" include sys/sys sys/netinet \
		sys/netinet6 sys/net sys/arch/amd64/include sys/uvm | tar -x -C "$scratch"
	cp -R "$scratch/include/." "$inc/"
	cp -R "$scratch/sys/sys" "$inc/sys"
	cp -R "$scratch/sys/netinet" "$inc/netinet"
	cp -R "$scratch/sys/netinet6" "$inc/netinet6"
	cp -R "$scratch/sys/net" "$inc/net"
	cp -R "$scratch/sys/arch/amd64/include" "$inc/machine"
	cp -R "$scratch/sys/arch/amd64/include" "$inc/amd64"
	cp -R "$scratch/sys/uvm" "$inc/uvm"
	echo "bsd-sysroot.sh: openbsd: $(git --git-dir="$git_dir" log -1 --format='%h %s' "$ref")"
	;;
dragonfly)
	git --git-dir="$git_dir" archive HEAD include sys/sys sys/net sys/netinet \
		sys/netinet6 sys/vm sys/cpu/x86_64/include sys/platform/pc64/include |
		tar -x -C "$scratch"
	cp -R "$scratch/include/." "$inc/"
	for d in sys net netinet netinet6 vm; do
		cp -R "$scratch/sys/$d" "$inc/$d"
	done
	cp -R "$scratch/sys/cpu/x86_64/include" "$inc/cpu"
	cp -R "$scratch/sys/cpu/x86_64/include" "$inc/machine"
	cp -R "$scratch/sys/platform/pc64/include/." "$inc/machine/"
	;;
*)
	echo "bsd-sysroot.sh: unknown system '$os' (freebsd, netbsd, openbsd or dragonfly)" >&2
	exit 2
	;;
esac
echo "bsd-sysroot.sh: $os headers in $inc"
