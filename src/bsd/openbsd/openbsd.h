/*
 * openbsd.h - the OpenBSD backend's internal interface: the pure record
 * walkers (walker.c), the read sequence (collect.c) and the I/O (sysctl.c,
 * OpenBSD only).
 *
 * OpenBSD has no PCB list sysctl; everything comes from kern.file (struct
 * kinfo_file, which carries a socket's addresses, ports and TCP state):
 *   rows    {CTL_KERN, KERN_FILE, KERN_FILE_BYFILE, DTYPE_SOCKET, ...}: the
 *           kernel walks its TCP PCB tables first ("to pick up closed
 *           connections, too": TIME_WAIT and every socket no process holds),
 *           one record per PCB, with no process information;
 *   owners  {CTL_KERN, KERN_FILE, KERN_FILE_BYPID, -1, ...}: every
 *           descriptor of every process but system ones, with p_pid.
 * The two are joined on the socket: its PCB address where the kernel shows
 * pointers (root), plus family, routing table, addresses and ports, which
 * is all an unprivileged caller has (so_pcb reads -1 for every socket).
 */
#ifndef TT_OPENBSD_H
#define TT_OPENBSD_H

#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "bsd.h"

/* so_pcb (8), family (1), pad (3), routing table (4), ports (2 + 2),
 * addresses (16 + 16). */
#define TT_OBSD_KEY_LEN 52

/* One socket held by a process: the join key and the lowest PID. */
struct tt_obsd_owner {
	uint8_t key[TT_OBSD_KEY_LEN];
	uint32_t pid;
};

/* The most owner entries a KERN_FILE_BYPID copy of len bytes yields. */
size_t tt_obsd_owners_max(size_t len);

/* Turns a KERN_FILE_BYPID copy into a table sorted by key with one entry
 * per socket, the lowest PID that holds it, in out (room for
 * tt_obsd_owners_max(len) entries); sets *n.  Returns 0 or -EOPNOTSUPP
 * when len is not a whole number of records. */
int tt_obsd_owners(const void *buf, size_t len, struct tt_obsd_owner *out, size_t *n);

/* Offers every TCP connection (proto TT_PROTO_TCP), or every bound UDP
 * socket (TT_PROTO_UDP), of a KERN_FILE_BYFILE(DTYPE_SOCKET) copy to
 * col, skipping sockets that neither listen nor connect (TCPS_CLOSED),
 * other protocols and families, and sockets without a PCB.  With owners
 * (a table from tt_obsd_owners, possibly empty) every connection carries
 * its owner (TT_CONN_PID_KNOWN; 0 when no process holds it).  Returns 0,
 * -ENOMEM from the collector, or -EOPNOTSUPP when len is not a whole
 * number of records of the size this build knows. */
int tt_obsd_sockets_walk(const void *buf, size_t len, unsigned proto,
			 const struct tt_obsd_owner *owners, size_t nowners, struct tt_collector *col);

/* Fills the counters of out from a net.inet.tcp.stats copy (struct
 * tcpstat; the RTO fields are left alone).  Returns 0 or -EOPNOTSUPP when
 * the copy is too short. */
int tt_obsd_tcp_mib(const void *buf, size_t len, struct tt_tcp_mib *out);

/* Fills out from a net.inet.udp.stats copy (struct udpstat).  Returns 0
 * or -EOPNOTSUPP when the copy is too short. */
int tt_obsd_udp_mib(const void *buf, size_t len, struct tt_udp_mib *out);

/* The net.inet.tcp.drop request for connection c in out: the remote
 * endpoint in faddr, the local one in laddr (tcp_ident() in
 * netinet/tcp_usrreq.c), sin_len set, the zone in sin6_scope_id for
 * link-local addresses, routing domain 0.  Returns 0, or -EOPNOTSUPP for a
 * listener's row (no remote endpoint: the kernel drops only connections
 * and answers ESRCH for a listener). */
struct tcp_ident_mapping;
int tt_obsd_drop_request(const struct tt_conn *c, struct tcp_ident_mapping *out);

/* The process name of pid from a KERN_FILE_BYPID copy for that PID (its
 * first record: OpenBSD keeps no executable path, p_comm is all there is)
 * into out->path (from tt_malloc; a name without a directory).  Returns
 * 0, -ESRCH when no record is pid's, -ENOMEM, or -EOPNOTSUPP when len is
 * not a whole number of records. */
int tt_obsd_image(const void *buf, size_t len, uint32_t pid, struct tt_image *out);

/* Reads and walks the lists from src for req: the sockets (TT_BSD_PCB)
 * and, when req->owners, the processes' files (TT_BSD_FILES).  Returns 0
 * or -errno. */
int tt_obsd_collect(const struct tt_bsd_source *src, const struct tt_request *req,
		    struct tt_collector *col);

/* The kern.file MIBs: every socket (KERN_FILE_BYFILE, DTYPE_SOCKET), and
 * every descriptor of every process (KERN_FILE_BYPID, -1: "all processes"
 * in sysctl_file(), sys/kern/kern_sysctl.c); records of this build's
 * struct kinfo_file, as many as there are. */
#define TT_OBSD_FILE_MIBLEN 6
extern const int tt_obsd_sockets_mib[TT_OBSD_FILE_MIBLEN];
extern const int tt_obsd_files_mib[TT_OBSD_FILE_MIBLEN];

#endif /* TT_OPENBSD_H */
