/*
 * bsd.h - what the BSD backends share: the TCP state map, the KAME rule for
 * link-local zones, the owner table that joins sockets to processes, and
 * the source of kernel lists that lets the record walkers run on fixture
 * buffers.
 *
 * Each BSD backend is split the same way:
 *   <os>/layout.h    the kernel's record layouts: the real system headers on
 *                    that BSD, or (TT_BSD_TRANSCRIBED) the test-only
 *                    transcription in tests/bsd, plus the list of every
 *                    size, offset and constant the walker relies on;
 *   <os>/walker.c    pure functions from a byte buffer of kernel records to
 *                    tt_conn records (memcpy/memcmp only, no system calls);
 *   <os>/collect.c   the order of reads and the retry rules, over a
 *                    tt_bsd_source, so that they run on fixtures too;
 *   <os>/sysctl.c    the thin I/O: sysctl calls, and the tt_backend_*
 *                    entry points.
 */
#ifndef TT_BSD_H
#define TT_BSD_H

#include <stddef.h>
#include <stdint.h>

#include "tcpmib.h"

#include "backend.h"
#include "conn.h"
#include "tcps.h"

/* The MIB_TCP_STATE of a BSD TCPS_* value (SPEC §5); 0 for a value outside
 * the table.  Note CLOSING and LAST_ACK: Windows numbers them 9 and 10,
 * the reverse of RFC 1213. */
static inline uint8_t tt_bsd_state(int32_t tcps)
{
	static const uint8_t map[TT_TCP_NSTATES] = {
		[TT_TCPS_CLOSED] = MIB_TCP_STATE_CLOSED,
		[TT_TCPS_LISTEN] = MIB_TCP_STATE_LISTEN,
		[TT_TCPS_SYN_SENT] = MIB_TCP_STATE_SYN_SENT,
		[TT_TCPS_SYN_RECEIVED] = MIB_TCP_STATE_SYN_RCVD,
		[TT_TCPS_ESTABLISHED] = MIB_TCP_STATE_ESTAB,
		[TT_TCPS_CLOSE_WAIT] = MIB_TCP_STATE_CLOSE_WAIT,
		[TT_TCPS_FIN_WAIT_1] = MIB_TCP_STATE_FIN_WAIT1,
		[TT_TCPS_CLOSING] = MIB_TCP_STATE_CLOSING,
		[TT_TCPS_LAST_ACK] = MIB_TCP_STATE_LAST_ACK,
		[TT_TCPS_FIN_WAIT_2] = MIB_TCP_STATE_FIN_WAIT2,
		[TT_TCPS_TIME_WAIT] = MIB_TCP_STATE_TIME_WAIT,
	};
	return tcps >= 0 && tcps < TT_TCP_NSTATES ? map[tcps] : 0;
}

/* The KAME stacks keep the zone of a link-local address inside the
 * address, in bytes 2 and 3 (big-endian), where the wire form has zeros.
 * Returns that zone and clears it from a, for an address that has a zone;
 * returns 0 and leaves a alone otherwise. */
static inline uint32_t tt_bsd_take_zone(uint8_t a[16])
{
	if (!tt_addr6_needs_scope(a))
		return 0;
	uint32_t zone = (uint32_t)a[2] << 8 | a[3];
	a[2] = 0;
	a[3] = 0;
	return zone;
}

/* ---- The owner table: socket (kernel address) -> lowest owning PID. */

struct tt_bsd_owner {
	uint64_t so; /* kernel address of the struct socket */
	uint32_t pid;
	uint32_t pad;
};

/* Sorts the n entries by socket and keeps one per socket, the one with the
 * lowest PID (SPEC §5: a socket held by several processes).  Returns the
 * number of entries kept.  Pure. */
size_t tt_bsd_owners_finish(struct tt_bsd_owner *o, size_t n);

/* The owner of socket so in a finished table; 0 when no process holds it
 * (TIME_WAIT, syncache and kernel sockets, other users' processes). */
uint32_t tt_bsd_owner_of(const struct tt_bsd_owner *o, size_t n, uint64_t so);

/* ---- Where the kernel lists come from. */

enum tt_bsd_list {
	TT_BSD_PCB, /* the (IPv4) TCP PCB list */
	TT_BSD_PCB6, /* a separate IPv6 TCP PCB list (NetBSD) */
	TT_BSD_FILES, /* the open files of all processes */
	TT_BSD_UDP, /* the (IPv4) UDP PCB list */
	TT_BSD_UDP6, /* a separate IPv6 UDP PCB list (NetBSD) */
};

struct tt_bsd_source {
	/* Reads one whole list into *buf (from tt_malloc; the caller frees
	 * it) and sets *len.  A list the kernel does not have (no INET6 in
	 * the kernel) reads as *buf = NULL, *len = 0.  Returns 0 or -errno. */
	int (*read)(void *ctx, enum tt_bsd_list list, void **buf, size_t *len);
	void *ctx;
};

/* A system's file-table walker (kern.file, kern.file2). */
struct tt_bsd_files {
	/* The most owner entries a copy of len bytes yields. */
	size_t (*max)(size_t len);
	/* Fills a finished owner table (room for max(len) entries) from a
	 * copy; sets *n.  Returns 0 or a negative errno. */
	int (*parse)(const void *buf, size_t len, struct tt_bsd_owner *out, size_t *n);
};

/* Reads the file table from src and builds the owner table in *out (from
 * tt_malloc; the caller frees it, also on error).  Returns 0 or -errno. */
int tt_bsd_read_owners(const struct tt_bsd_source *src, const struct tt_bsd_files *files,
		       struct tt_bsd_owner **out, size_t *n);

/* How many times a backend reads a list again when the kernel's generation
 * count shows that it changed while it was copied (the count sockstat(1)
 * uses); after that the last copy is used as it is. */
#define TT_BSD_READ_ATTEMPTS 5

#endif /* TT_BSD_H */
