/*
 * io.h - the sysctl calls both BSD backends make the same way (their I/O
 * files only; BSD headers needed).
 */
#ifndef TT_BSD_IO_H
#define TT_BSD_IO_H

#include <stddef.h>

#include "backend.h"

/* Reads the value of mib into *buf (from tt_malloc) and its length into
 * *len.  Asks the kernel for the size first and then grows the buffer on
 * ENOMEM, a bounded number of times: FreeBSD then reports the bytes it
 * copied, NetBSD and OpenBSD the bytes it needed, so neither is trusted
 * alone.  ENOENT (a node this kernel lacks) reads as *buf = NULL, *len = 0.
 * Returns 0 or -errno. */
int tt_bsd_sysctl_read(const int *mib, unsigned miblen, void **buf, size_t *len);

/* Reads an executable's path from a string node (FreeBSD and DragonFly
 * kern.proc.pathname.<pid>, NetBSD kern.proc_args.<pid>.pathname) into
 * out->path (from tt_malloc) and out->len: the value must be one
 * NUL-terminated string.  Returns 0, -ESRCH, -EACCES, -ENOMEM, -EIO for a
 * value that is no string, or another -errno. */
int tt_bsd_read_path(const int *mib, unsigned miblen, struct tt_image *out);

/* Drops the connection c through a tcpdrop(8)-style node (mib): the new
 * value is two struct sockaddr_storage, the remote endpoint first, both of
 * c's family, with sin_len set and the zone in sin6_scope_id for
 * link-local addresses.  c has a remote endpoint: the front end refuses
 * listener rows.  Returns 0, -ENOENT (no such connection), -EPERM, or
 * another -errno. */
int tt_bsd_drop(const int *mib, unsigned miblen, const struct tt_conn *c);

/* What a drop node's errno means to tt_backend_destroy: ESRCH (no such
 * connection) -ENOENT, EPERM/EACCES -EPERM, anything else -errno. */
int tt_bsd_drop_error(int errnum);

/* Reads the TCP counters at mib and turns them into out with map (a
 * walker); the RTO fields are the caller's.  Returns 0 or -errno. */
int tt_bsd_tcp_counters(const int *mib, unsigned miblen,
			int (*map)(const void *buf, size_t len, struct tt_tcp_mib *out),
			struct tt_tcp_mib *out);

/* The same for the UDP counters. */
int tt_bsd_udp_counters(const int *mib, unsigned miblen,
			int (*map)(const void *buf, size_t len, struct tt_udp_mib *out),
			struct tt_udp_mib *out);

#endif /* TT_BSD_IO_H */
