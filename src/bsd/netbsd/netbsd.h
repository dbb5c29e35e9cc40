/*
 * netbsd.h - the NetBSD backend's internal interface: the pure record
 * walkers (walker.c), the read sequence and the drop rule (collect.c) and
 * the I/O (sysctl.c, NetBSD only).
 */
#ifndef TT_NETBSD_H
#define TT_NETBSD_H

#include <stddef.h>

#include "backend.h"
#include "bsd.h"

/* Offers every connection of a pcblist copy (an array of struct
 * kinfo_pcb, from net.inet.tcp.pcblist or net.inet6.tcp6.pcblist) to col,
 * skipping sockets that neither listen nor connect (TCPS_CLOSED) and
 * records whose addresses are not of the record's family.  With owners (a
 * finished table, possibly empty) every connection carries its owner
 * (TT_CONN_PID_KNOWN).  Returns 0, -ENOMEM from the collector, or
 * -EOPNOTSUPP when len is not a whole number of records of the size this
 * build knows; then some connections may have been offered. */
int tt_nbsd_pcblist_walk(const void *buf, size_t len, const struct tt_bsd_owner *owners,
			 size_t nowners, struct tt_collector *col);

/* The most owner entries a kern.file2 copy of len bytes yields. */
size_t tt_nbsd_files_max(size_t len);

/* Turns a kern.file2 KERN_FILE_BYPID copy (struct kinfo_file records) into
 * a finished owner table in out (room for tt_nbsd_files_max(len) entries);
 * sets *n.  Returns 0 or -EOPNOTSUPP when len is not a whole number of
 * records. */
int tt_nbsd_files_owners(const void *buf, size_t len, struct tt_bsd_owner *out, size_t *n);

/* Fills the counters of out from a net.inet.tcp.stats copy (uint64_t
 * counters indexed by TCP_STAT_*; the RTO fields are left alone).  Returns
 * 0 or -EOPNOTSUPP when the copy is too short. */
int tt_nbsd_tcp_mib(const void *buf, size_t len, struct tt_tcp_mib *out);

/* The same walk for net.inet.udp.pcblist and net.inet6.udp6.pcblist:
 * every UDP socket with a local port (state 0); an IPv6 one on [::]
 * without IN6P_IPV6_V6ONLY carries TT_CONN_DUALSTACK. */
int tt_nbsd_udplist_walk(const void *buf, size_t len, const struct tt_bsd_owner *owners,
			 size_t nowners, struct tt_collector *col);

/* UDP counters from net.inet.udp.stats (UDP_STAT_* indices) and from
 * net.inet6.udp6.stats (UDP6_STAT_*): NetBSD counts each family apart.
 * Return 0 or -EOPNOTSUPP when the copy is too short. */
int tt_nbsd_udp_mib(const void *buf, size_t len, struct tt_udp_mib *out);
int tt_nbsd_udp6_mib(const void *buf, size_t len, struct tt_udp_mib *out);

/* Reads and walks the lists from src for req: net.inet6.tcp6.pcblist,
 * net.inet.tcp.pcblist when the IPv4 table is built (IPv4 traffic of
 * IPv6 sockets is in the IPv6 list), and kern.file2 when req->owners.
 * Returns 0 or -errno. */
int tt_nbsd_collect(const struct tt_bsd_source *src, const struct tt_request *req,
		    struct tt_collector *col);

/* The kern.file2 MIB the owners come from: every open file of every
 * process, {CTL_KERN, KERN_FILE2, KERN_FILE_BYPID, -1, sizeof(struct
 * kinfo_file), INT_MAX}.  For KERN_FILE_BYPID the kernel documents -1 as
 * "all processes" (sysctl_kern_file2, sys/kern/kern_descrip.c); 0 selects
 * them too today, but only by accident ("XXX want 0 to mean kernel
 * files"), and KERN_FILE_BYFILE would report a shared socket once. */
#define TT_NBSD_FILES_MIBLEN 6
extern const int tt_nbsd_files_mib[TT_NBSD_FILES_MIBLEN];

/* How a connection is dropped: drop() sends c's endpoints to the drop node
 * of c's family (net.inet.tcp.drop, net.inet6.tcp6.drop) and returns 0,
 * -ENOENT when the kernel finds no such connection, or another -errno. */
struct tt_nbsd_dropper {
	int (*drop)(void *ctx, const struct tt_conn *c);
	void *ctx;
};

/* Drops connection c (SetTcpEntry).  NetBSD keeps the IPv4 connections of
 * dual-stack IPv6 sockets in the IPv6 PCBs, where the IPv4 node does not
 * look: an IPv4 row the IPv4 node does not find is tried again through the
 * IPv6 node with both endpoints v4-mapped.  Returns as drop() does. */
int tt_nbsd_destroy(const struct tt_nbsd_dropper *d, const struct tt_conn *c);

#endif /* TT_NETBSD_H */
