/*
 * backend.h - the one internal interface between the front end (src/common)
 * and the per-OS backends (src/linux, src/bsd).
 *
 * A call runs in two steps.  tt_backend_collect() hands every socket of
 * the requested protocol and kind to the front end's collector, one tt_conn at a time.
 * If the call returns owners and the caller's buffer is large enough, the
 * front end then builds an owner query from the rows it kept and asks
 * tt_backend_owners() to fill in the owning PIDs.  Backends that learn the
 * owner while collecting (the BSDs) set TT_CONN_PID_KNOWN instead.
 *
 * All functions return 0 or a negative errno value: -ENOMEM when memory ran
 * out, any other value when the kernel source could not be read.
 */
#ifndef TT_BACKEND_H
#define TT_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conn.h"

struct tt_request {
	unsigned proto; /* TT_PROTO_*: which sockets (UDP: states is TT_STATES_ALL) */
	unsigned table; /* TT_TABLE_V4 or TT_TABLE_V6: the table being built */
	unsigned states; /* TT_STATES_*: which rows are wanted */
	/* The call may return rows with owners (it returns owners and the
	 * caller's buffer holds at least one row).  Backends that learn owners
	 * while collecting (the BSDs) read them only then. */
	bool owners;
};

/* ---- Provided by the front end, called by backends. */
struct tt_collector;

/* Offers one connection; the collector keeps it if it belongs to the table
 * being built.  Returns 0 or -ENOMEM. */
int tt_collector_add(struct tt_collector *col, const struct tt_conn *c);
/* A position to return to when a backend restarts a partial dump. */
size_t tt_collector_mark(const struct tt_collector *col);
void tt_collector_rewind(struct tt_collector *col, size_t mark);

struct tt_owner_query;

/* Sockets that still have no owner; a scan may stop when this reaches 0. */
size_t tt_owner_pending(const struct tt_owner_query *q);
/* Reports that process pid holds the socket whose owner key is key.  The
 * first claim of a key wins, so scans visit processes in ascending PID order
 * to give the lowest holder.  Returns true when the claim gave a row its
 * owner. */
bool tt_owner_claim(struct tt_owner_query *q, uint32_t key, uint32_t pid);
/* True when the call also wants, for each owning process, a key that tells
 * this incarnation of the PID from a later process reusing it. */
bool tt_owner_wants_process_keys(const struct tt_owner_query *q);
/* Records that key for pid (after pid's first successful claim).
 * Returns 0 or -ENOMEM. */
int tt_owner_process_key(struct tt_owner_query *q, uint32_t pid, uint64_t key);
/* The table the query's rows belong to (TT_PROTO_*, TT_TABLE_*). */
unsigned tt_owner_proto(const struct tt_owner_query *q);
unsigned tt_owner_table(const struct tt_owner_query *q);

/* A head start on the owner scan, begun before tt_backend_collect() by a
 * call that will want owners (the Linux BPF iterator, read on a helper
 * thread while the dump runs); NULL when the backend has none. */
struct tt_owner_prefetch;
/* The head start passed to tt_snapshot_resolve_owners(), or NULL. */
struct tt_owner_prefetch *tt_owner_prefetched(const struct tt_owner_query *q);

/* ---- Provided by each backend. */
int tt_backend_collect(const struct tt_request *req, struct tt_collector *col);
/* Fills the query's owners; uses tt_owner_prefetched(q) when there is one. */
int tt_backend_owners(struct tt_owner_query *q);
/* Begins a head start for a call of req that will resolve owners (with
 * process keys when want_keys) for at most rows rows, the caller's buffer
 * being that large.  Sets *out (NULL: none, the scan runs as usual) and
 * returns 0 or -ENOMEM.  Every head start is ended by
 * tt_backend_owners_drop(), used or not; NULL is accepted there. */
int tt_backend_owners_prefetch(const struct tt_request *req, bool want_keys, size_t rows,
			       struct tt_owner_prefetch **out);
void tt_backend_owners_drop(struct tt_owner_prefetch *pre);

/* The executable a process runs (GetOwnerModuleFrom*Entry). */
struct tt_image {
	char *path; /* NUL-terminated, from tt_malloc; NULL for a kernel thread */
	size_t len;
	bool kernel; /* a kernel thread: it runs no executable file */
	uint64_t key; /* identity of the process holding the PID now; 0 unknown */
};

/* Describes process pid.  Returns 0, -ESRCH when no such process exists,
 * -EACCES when the caller may not inspect it, -ENOMEM, or another -errno. */
int tt_backend_image(uint32_t pid, struct tt_image *out);

/* Destroys the connection whose local and remote endpoints are exactly
 * those of c (family, addresses, ports; lscope: the zone of an IPv6
 * link-local row), and nothing else.  c always has a remote endpoint: the
 * front end refuses LISTEN rows (ERROR_NOT_SUPPORTED) on every platform, and
 * a backend never destroys a listener for a row.  Linux finds the socket
 * with an exact sock_diag lookup (an IPv4 row also finds a connection held
 * v4-mapped by a dual-stack IPv6 socket, on any bound device) and destroys
 * it by the cookie found, so a socket gone meanwhile is -ENOENT or -ESTALE,
 * never another socket; the BSDs hand the endpoints to their drop nodes.
 * Returns 0, -ENOENT or -ESTALE when there is no such connection, -EPERM
 * when not permitted, -EOPNOTSUPP when the kernel cannot destroy sockets,
 * or another -errno. */
int tt_backend_destroy(const struct tt_conn *c);

/* The kernel's TCP counters (RFC 4022 tcp group).  times in ms. */
struct tt_tcp_mib {
	uint32_t rto_algorithm;
	uint32_t rto_min, rto_max;
	int64_t max_conn; /* -1: dynamic */
	uint64_t active_opens, passive_opens, attempt_fails, estab_resets;
	uint64_t in_segs, out_segs, retrans_segs, in_errs, out_rsts;
};

/* The counters that apply to family (AF_INET or AF_INET6).  Returns 0 or
 * -errno. */
int tt_backend_tcp_mib(int family, struct tt_tcp_mib *out);

/* One connection's own counters (Get…EStats, SPEC §11), as the kernel keeps
 * them: times in microseconds, windows, cwnd and queues in bytes, segments
 * and events as counts.  A field the platform has no source for stays 0;
 * the front end converts to the Windows units. */
struct tt_tcp_info {
	uint32_t snd_mss, rcv_mss, advmss; /* bytes */
	uint32_t rtt_us, rttvar_us, min_rtt_us, rto_us;
	uint64_t snd_cwnd, snd_ssthresh; /* bytes */
	uint64_t snd_wnd, rcv_wnd; /* bytes: the peer's window, the one we offer */
	uint8_t snd_wscale, rcv_wscale; /* window scale received, sent */
	bool wscale; /* window scaling in use */
	uint64_t bytes_sent, bytes_retrans, bytes_acked, bytes_received;
	uint64_t segs_out, segs_in, data_segs_out, data_segs_in;
	uint32_t total_retrans; /* segments retransmitted */
	uint32_t timeouts; /* retransmission timeouts */
	uint32_t cur_timeouts; /* consecutive timeouts without progress */
	uint32_t reordering; /* the duplicate-ACK threshold in force */
	uint32_t dsack_dups;
	uint64_t busy_us, rwnd_limited_us, sndbuf_limited_us;
	uint64_t delivery_rate; /* bytes per second */
	uint64_t unacked_bytes; /* sent, not yet acknowledged */
	uint64_t notsent_bytes; /* written by the application, not yet sent */
	uint64_t unread_bytes; /* received, not yet read by the application */
};

/* Reads the counters of the connection whose local and remote endpoints are
 * exactly those of c (the row's addresses and ports, as for
 * tt_backend_destroy; an IPv4 row also finds it held v4-mapped by a
 * dual-stack IPv6 socket).  Linux: one sock_diag request filtered to the
 * 4-tuple.  Returns 0, -ENOENT when there is no such connection,
 * -EOPNOTSUPP when the platform has no per-connection counters, -ENOMEM,
 * or another -errno. */
int tt_backend_tcp_info(const struct tt_conn *c, struct tt_tcp_info *out);

/* The kernel's UDP counters (RFC 4113 udp group) for family. */
struct tt_udp_mib {
	uint64_t in_datagrams, no_ports, in_errors, out_datagrams;
};

/* Returns 0, -EOPNOTSUPP where the platform has no UDP source yet, or
 * another -errno. */
int tt_backend_udp_mib(int family, struct tt_udp_mib *out);

#endif /* TT_BACKEND_H */
