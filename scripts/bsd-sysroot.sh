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
#   scripts/bsd-sysroot.sh darwin GITDIR OUT
#       GITDIR: a git snapshot of apple-oss-distributions/xnu (checked at
#       e3723e1f, xnu-11417.101.15): bsd/{sys,netinet,netinet6,net,machine,
#       i386,arm,uuid,bsm}, libkern/{libkern,os}, osfmk/mach, the
#       Availability headers and architecture/ of EXTERNAL_HEADERS, and
#       libsyscall/wrappers/libproc/libproc.h, laid out as the macOS SDK
#       installs them; sys/_posix_availability.h made by xnu's own
#       script.  Raw xnu headers: PRIVATE parts are there (bsd-check.sh
#       asks for them with -DPRIVATE).  The few headers of other Apple
#       projects they include (libpthread's sys/_pthread/, Libc's
#       TargetConditionals.h, time.h, os/availability.h, the generated
#       sys/_symbol_aliasing.h) are written as minimal stand-ins, marked so.
set -eu

[ $# -eq 3 ] || { sed -n '2,36p' "$0"; exit 2; }
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
darwin)
	git --git-dir="$git_dir" archive HEAD bsd/sys bsd/netinet bsd/netinet6 bsd/net \
		bsd/machine bsd/i386 bsd/arm bsd/uuid bsd/bsm libkern/libkern libkern/os \
		osfmk/mach EXTERNAL_HEADERS/Availability.h \
		EXTERNAL_HEADERS/AvailabilityInternal.h EXTERNAL_HEADERS/AvailabilityMacros.h \
		EXTERNAL_HEADERS/architecture libsyscall/wrappers/libproc/libproc.h |
		tar -x -C "$scratch"
	for d in sys netinet netinet6 net machine i386 arm uuid bsm; do
		cp -R "$scratch/bsd/$d" "$inc/$d"
	done
	cp -R "$scratch/libkern/libkern" "$inc/libkern"
	cp -R "$scratch/libkern/os" "$inc/os"
	cp -R "$scratch/osfmk/mach" "$inc/mach"
	cp "$scratch"/EXTERNAL_HEADERS/Availability*.h "$inc/"
	cp -R "$scratch/EXTERNAL_HEADERS/architecture" "$inc/architecture"
	cp "$scratch/libsyscall/wrappers/libproc/libproc.h" "$inc/"
	sh "$inc/sys/make_posix_availability.sh" "$inc/sys/_posix_availability.h"
	# Stand-ins for what other Apple projects install (not xnu's).
	stand_in() { mkdir -p "$(dirname "$inc/$1")"; { echo "/* tcptable stand-in for $1 (not Apple's) */"; cat; } >"$inc/$1"; }
	stand_in sys/_symbol_aliasing.h </dev/null
	stand_in sys/_pthread/_pthread_types.h <<'EOS'
struct __darwin_pthread_handler_rec;
typedef struct { long __sig; char __opaque[8176]; } *__darwin_pthread_t;
typedef struct { long __sig; char __opaque[56]; } __darwin_pthread_attr_t;
typedef struct { long __sig; char __opaque[40]; } __darwin_pthread_cond_t;
typedef struct { long __sig; char __opaque[8]; } __darwin_pthread_condattr_t;
typedef unsigned long __darwin_pthread_key_t;
typedef struct { long __sig; char __opaque[56]; } __darwin_pthread_mutex_t;
typedef struct { long __sig; char __opaque[8]; } __darwin_pthread_mutexattr_t;
typedef struct { long __sig; char __opaque[8]; } __darwin_pthread_once_t;
typedef struct { long __sig; char __opaque[192]; } __darwin_pthread_rwlock_t;
typedef struct { long __sig; char __opaque[16]; } __darwin_pthread_rwlockattr_t;
EOS
	for t in attr cond condattr key mutex mutexattr once rwlock rwlockattr; do
		echo "typedef __darwin_pthread_${t}_t pthread_${t}_t;" |
			stand_in "sys/_pthread/_pthread_${t}_t.h"
	done
	echo 'typedef __darwin_pthread_t pthread_t;' | stand_in sys/_pthread/_pthread_t.h
	stand_in TargetConditionals.h <<'EOS'
#define TARGET_OS_MAC 1
#define TARGET_OS_OSX 1
#define TARGET_OS_IPHONE 0
#define TARGET_OS_IOS 0
#define TARGET_OS_WATCH 0
#define TARGET_OS_TV 0
#define TARGET_OS_SIMULATOR 0
#define TARGET_OS_EMBEDDED 0
#define TARGET_OS_DRIVERKIT 0
EOS
	stand_in AvailabilityInternalPrivate.h <<'EOS'
#define __SPI_AVAILABLE(...)
#define __SPI_DEPRECATED(...)
#define __SPI_DEPRECATED_WITH_REPLACEMENT(...)
#define __SPI_UNAVAILABLE(...)
EOS
	stand_in os/availability.h <<'EOS'
#include <Availability.h>
#define API_AVAILABLE(...)
#define API_DEPRECATED(...)
#define API_DEPRECATED_WITH_REPLACEMENT(...)
#define API_UNAVAILABLE(...)
#define SPI_AVAILABLE(...)
EOS
	stand_in time.h <<'EOS'
#include <sys/_types/_timespec.h>
#include <sys/_types/_time_t.h>
EOS
	;;
*)
	echo "bsd-sysroot.sh: unknown system '$os' (freebsd, netbsd, openbsd, dragonfly or darwin)" >&2
	exit 2
	;;
esac
echo "bsd-sysroot.sh: $os headers in $inc"
