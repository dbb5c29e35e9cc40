/*
 * freebsd.h - the FreeBSD backend's internal interface: the pure record
 * walkers (walker.c), the read sequence (collect.c) and the I/O
 * (sysctl.c, FreeBSD only).
 */
#ifndef TT_FREEBSD_H
#define TT_FREEBSD_H

#include <stddef.h>

#include "backend.h"
#include "bsd.h"

/* Checks the framing of a net.inet.tcp.pcblist copy: an xinpgen head,
 * whole xtcpcb records, an xinpgen trailer.  Returns 0 when the head and
 * the trailer carry the same generation, -EAGAIN when the list changed
 * while the kernel copied it, -EOPNOTSUPP when a record has a size this
 * build does not know (a newer or older kernel ABI), -EBADMSG when the
 * buffer is cut or malformed. */
int tt_fbsd_pcblist_check(const void *buf, size_t len);

/* Offers every connection of a pcblist copy to col, skipping records newer
 * than the head's generation (PCBs created while the list was copied) and
 * sockets that neither listen nor connect (TCPS_CLOSED).  With owners
 * (a finished table, possibly empty) every connection carries its owner
 * (TT_CONN_PID_KNOWN); with owners == NULL none does.  Returns 0, -ENOMEM
 * from the collector, or the errors of tt_fbsd_pcblist_check() other than
 * -EAGAIN; on an error some connections may have been offered. */
int tt_fbsd_pcblist_walk(const void *buf, size_t len, const struct tt_bsd_owner *owners,
			 size_t nowners, struct tt_collector *col);

/* The same two for a net.inet.udp.pcblist copy: whole struct xinpcb
 * records between the head and the trailer.  Every UDP socket with a local
 * port is offered (state 0); unbound ones are not.  An IPv6 socket on [::]
 * that also takes IPv4 (INP_IPV4 and INP_IPV6) carries TT_CONN_DUALSTACK;
 * one bound or connected to a v4-mapped address is an IPv4 row. */
int tt_fbsd_udplist_check(const void *buf, size_t len);
int tt_fbsd_udplist_walk(const void *buf, size_t len, const struct tt_bsd_owner *owners,
			 size_t nowners, struct tt_collector *col);

/* The counters of the connection row names (Get…EStats), from the first
 * record of a pcblist copy that holds it: those xtcpcb carries (cwnd,
 * ssthresh, MSS, windows, retransmitted segments), the rest 0.  Returns 0,
 * -ENOENT when no record holds it, or the errors of
 * tt_fbsd_pcblist_check() other than -EAGAIN. */
int tt_fbsd_pcblist_info(const void *buf, size_t len, const struct tt_conn *row,
			 struct tt_tcp_info *out);

/* The most owner entries a kern.file copy of len bytes yields. */
size_t tt_fbsd_files_max(size_t len);

/* Turns a kern.file copy (struct xfile records) into an owner table in out
 * (room for tt_fbsd_files_max(len) entries), finished: one entry per
 * socket with its lowest PID.  Sets *n.  Returns 0, -EOPNOTSUPP for an
 * unknown record size, or -EBADMSG for a cut buffer. */
int tt_fbsd_files_owners(const void *buf, size_t len, struct tt_bsd_owner *out, size_t *n);

/* Fills the counters of out from a net.inet.tcp.stats copy (struct
 * tcpstat; the RTO fields are left alone).  Returns 0 or -EOPNOTSUPP when
 * the copy is too short to hold them. */
int tt_fbsd_tcp_mib(const void *buf, size_t len, struct tt_tcp_mib *out);

/* Fills out from a net.inet.udp.stats copy (struct udpstat).  Returns 0
 * or -EOPNOTSUPP when the copy is too short. */
int tt_fbsd_udp_mib(const void *buf, size_t len, struct tt_udp_mib *out);

/* Reads and walks the lists from src for req: the pcblist, again while its
 * generation changes (at most TT_BSD_READ_ATTEMPTS reads), then kern.file
 * when req->owners.  req->proto picks the TCP or the UDP list.  Returns 0 or -errno. */
int tt_fbsd_collect(const struct tt_bsd_source *src, const struct tt_request *req,
		    struct tt_collector *col);

/* Reads the pcblist from src as tt_fbsd_collect() does and finds the
 * counters of the connection row names (tt_fbsd_pcblist_info). */
int tt_fbsd_tcp_info(const struct tt_bsd_source *src, const struct tt_conn *row,
		     struct tt_tcp_info *out);

#endif /* TT_FREEBSD_H */
