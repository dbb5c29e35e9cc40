/*
 * darwin.h - the macOS backend's internal interface: the pure record
 * walkers (walker.c), the read sequence (collect.c) and the I/O (sysctl.c,
 * macOS only).
 */
#ifndef TT_DARWIN_H
#define TT_DARWIN_H

#include <stddef.h>

#include "backend.h"
#include "bsd.h"
#include "layout.h"

/* Checks the framing of a net.inet.tcp.pcblist_n copy: an xinpgen head,
 * length-prefixed records each padded to 8 bytes, an xinpgen trailer (or
 * the head alone, for an empty list).  Returns 0 when head and trailer
 * carry the same generation, -EAGAIN when the list changed while the
 * kernel copied it, -EOPNOTSUPP when the head or a record the walker reads
 * is of a size this build does not know, -EBADMSG when the buffer is cut
 * or malformed. */
int tt_mac_pcblist_check(const void *buf, size_t len);

/* Offers every connection of a pcblist_n copy to col (proto TT_PROTO_TCP:
 * net.inet.tcp.pcblist_n; TT_PROTO_UDP: net.inet.udp.pcblist_n, the same
 * records without xtcpcb_n, every socket bound to a port): one per
 * xinpcb_n record with its xsocket_n and xtcpcb_n, skipping PCBs newer than the
 * head's generation, sockets that neither listen nor connect
 * (TCPS_CLOSED), sockets of another protocol and PCBs without their
 * xtcpcb_n.  With owners (a finished table keyed by the hashed inpcb
 * address, possibly empty) every connection carries its owner
 * (TT_CONN_PID_KNOWN).  Returns 0, -ENOMEM from the collector, or the
 * errors of tt_mac_pcblist_check() other than -EAGAIN. */
int tt_mac_pcblist_walk(const void *buf, size_t len, unsigned proto,
			const struct tt_bsd_owner *owners, size_t nowners, struct tt_collector *col);

/* The socket descriptors of the processes the caller may inspect, as
 * sysctl.c collects them through libproc: records of TT_MAC_FDREC_SIZE
 * bytes, {uint32_t pid; uint32_t size; struct socket_fdinfo}, where size
 * is what proc_pidfdinfo(PROC_PIDFDSOCKETINFO) returned. */
#define TT_MAC_FDREC_HEAD 8
#define TT_MAC_FDREC_SIZE (TT_MAC_FDREC_HEAD + TT_XNU_SFI_SIZE)

/* Writes one such record at at (TT_MAC_FDREC_SIZE bytes): the I/O and the
 * fixtures build them with it. */
void tt_mac_fdrec_put(void *at, uint32_t pid, uint32_t size, const void *sfi);

/* The most owner entries such a buffer of len bytes yields. */
size_t tt_mac_files_max(size_t len);

/* Turns those records into a finished owner table in out (room for
 * tt_mac_files_max(len) entries): the TCP sockets (psi.soi_pcb, the key
 * xinpcb_n's xi_inpp matches), each with its lowest PID.  Sets *n.
 * Returns 0, -EOPNOTSUPP when a record's size is not the one this build
 * knows, or -EBADMSG for a cut buffer.  Pure. */
int tt_mac_files_owners(const void *buf, size_t len, struct tt_bsd_owner *out, size_t *n);
/* The same for the UDP sockets (the UDP table's owners). */
int tt_mac_udp_files_owners(const void *buf, size_t len, struct tt_bsd_owner *out, size_t *n);

/* Fills the counters of out from a net.inet.tcp.stats copy (struct
 * tcpstat, 32-bit counters; the RTO fields are left alone).  Returns 0 or
 * -EOPNOTSUPP when the copy is too short. */
int tt_mac_tcp_mib(const void *buf, size_t len, struct tt_tcp_mib *out);

/* Fills out from a net.inet.udp.stats copy (struct udpstat, 32-bit
 * counters).  Returns 0 or -EOPNOTSUPP when the copy is too short. */
int tt_mac_udp_mib(const void *buf, size_t len, struct tt_udp_mib *out);

/* Reads and walks the lists from src for req: the pcblist_n, again while
 * its generation changes (at most TT_BSD_READ_ATTEMPTS reads), then the
 * socket descriptors when req->owners.  Returns 0 or -errno. */
int tt_mac_collect(const struct tt_bsd_source *src, const struct tt_request *req,
		   struct tt_collector *col);

#endif /* TT_DARWIN_H */
