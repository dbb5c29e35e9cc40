#!/bin/sh
# bsd-stubs.sh - writes minimal stand-ins for the few C library headers the
# sources use, for each one SYSROOT/usr/include lacks (a bare sys/ tree such
# as scripts/bsd-sysroot.sh makes from F-Stack has no libc headers).
#
#   scripts/bsd-stubs.sh SYSROOT OUTDIR
#
# Search OUTDIR after the sysroot (-idirafter OUTDIR), so that real headers
# always win.  Used by scripts/bsd-check.sh and by the bsd-meson step of
# scripts/test.sh (cross/bsd-sysroot.ini).
set -eu

[ $# -eq 2 ] || { sed -n '2,10p' "$0"; exit 2; }
sysroot=$1
stubs=$2
mkdir -p "$stubs/arpa"

stub() {
	[ -e "$sysroot/usr/include/$1" ] || cat >"$stubs/$1"
}
stub errno.h <<'EOS'
#include <sys/errno.h>
EOS
stub stdlib.h <<'EOS'
#include <stddef.h>
void *malloc(size_t);
void *calloc(size_t, size_t);
void *realloc(void *, size_t);
void *reallocarray(void *, size_t, size_t);
void free(void *);
EOS
stub string.h <<'EOS'
#include <stddef.h>
void *memcpy(void *restrict, const void *restrict, size_t);
void *memmove(void *, const void *, size_t);
void *memset(void *, int, size_t);
int memcmp(const void *, const void *, size_t);
size_t strlen(const char *);
EOS
stub time.h <<'EOS'
#include <sys/types.h>
#include <sys/timespec.h>
EOS
stub wchar.h <<'EOS'
#include <stddef.h>
EOS
stub arpa/inet.h <<'EOS'
#include <netinet/in.h>
EOS
