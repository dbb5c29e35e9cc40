/*
 * dragonfly.h - the DragonFly backend's internal interface: the pure
 * record walkers (walker.c), the read sequence (collect.c) and the I/O
 * (sysctl.c, DragonFly only).
 */
#ifndef TT_DRAGONFLY_H
#define TT_DRAGONFLY_H

#include <stddef.h>

#include "backend.h"
#include "bsd.h"

/* Offers every connection of a net.inet.tcp.pcblist copy (a bare array of
 * struct xtcpcb: the per-CPU lists one after another, with no head or
 * trailer), or with proto TT_PROTO_UDP every bound socket of a
 * net.inet.udp.pcblist copy (the same, of struct xinpcb), to col, skipping sockets that neither listen nor connect
 * (TCPS_CLOSED, which also covers the zeroed records the kernel pads a
 * CPU's list with when it shrank during the copy) and records of another
 * protocol or family.  With owners (a finished table, possibly empty)
 * every connection carries its owner (TT_CONN_PID_KNOWN); with owners ==
 * NULL none does.  The whole copy is checked before anything is offered:
 * returns -EOPNOTSUPP when a record has a size this build does not know (a
 * kernel of another release: xtcpcb holds the kernel's own inpcb and
 * tcpcb), -EBADMSG when the copy ends inside a record, else 0 or -ENOMEM
 * from the collector. */
int tt_dfly_pcblist_walk(const void *buf, size_t len, unsigned proto,
			 const struct tt_bsd_owner *owners, size_t nowners, struct tt_collector *col);

/* The most owner entries a kern.file copy of len bytes yields. */
size_t tt_dfly_files_max(size_t len);

/* Turns a kern.file copy (struct kinfo_file records) into a finished owner
 * table in out (room for tt_dfly_files_max(len) entries): one entry per
 * socket with its lowest PID.  Sets *n.  Returns 0, -EOPNOTSUPP for an
 * unknown record size, or -EBADMSG for a cut buffer. */
int tt_dfly_files_owners(const void *buf, size_t len, struct tt_bsd_owner *out, size_t *n);

/* Fills the counters of out from a net.inet.tcp.stats copy: one struct
 * tcp_stats per network CPU, summed (the RTO fields are left alone).
 * Returns 0 or -EOPNOTSUPP when the copy is not a whole, non-zero number
 * of them. */
int tt_dfly_tcp_mib(const void *buf, size_t len, struct tt_tcp_mib *out);

/* Fills out from a net.inet.udp.stats copy: one struct udpstat per
 * network CPU, summed.  Returns 0 or -EOPNOTSUPP as tt_dfly_tcp_mib(). */
int tt_dfly_udp_mib(const void *buf, size_t len, struct tt_udp_mib *out);

/* Reads and walks the lists from src for req: the pcblist, then kern.file
 * when req->owners.  Returns 0 or -errno. */
int tt_dfly_collect(const struct tt_bsd_source *src, const struct tt_request *req,
		    struct tt_collector *col);

#endif /* TT_DRAGONFLY_H */
