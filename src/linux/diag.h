/*
 * diag.h - the pure part of the sock_diag backend: turning one inet_diag
 * reply into a tt_conn, and building the dump request.  No I/O, so the
 * decoder can be fed fixture buffers and fuzzed.
 */
#ifndef TT_DIAG_H
#define TT_DIAG_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"

struct nlmsghdr;

/* The MIB_TCP_STATE for a Linux TCP_* state (SPEC §5); 0 if unknown. */
unsigned tt_linux_state(unsigned linux_state);

/* The kernel idiag_states mask that covers the wanted TT_STATES_* classes
 * of a TCP dump. */
uint32_t tt_diag_state_mask(unsigned states);

/* The same for a dump of protocol proto (TT_PROTO_*): a UDP socket is
 * TCP_CLOSE, or TCP_ESTABLISHED once connected, and every one is wanted. */
uint32_t tt_diag_proto_state_mask(unsigned proto, unsigned states);

/* Walks the messages of a netlink datagram (pure).  On each call, sets
 * *msg and *len to the next message (header included) and returns 1; returns
 * 0 at the end of the datagram, or -EBADMSG when what is left is not a whole
 * message.  All lengths are checked as unsigned numbers (libmnl's
 * mnl_nlmsg_ok() takes a length above 2 GiB for a negative one). */
int tt_nl_next(const unsigned char *buf, size_t size, size_t *offset, const struct nlmsghdr **msg);

/* The largest filter tt_diag_v4_filter() or tt_diag_tuple_filter() builds,
 * in bytes. */
#define TT_DIAG_FILTER_MAX 64

/* Builds an inet_diag bytecode program (INET_DIAG_REQ_BYTECODE) for the
 * AF_INET6 dump of an IPv4 table: it keeps only sockets whose local address
 * is v4-mapped and sockets on the unspecified address (the dual-stack
 * listeners), so the kernel never sends the rest.  Returns its length. */
size_t tt_diag_v4_filter(unsigned char buf[TT_DIAG_FILTER_MAX]);

/* Builds the filter of an exact lookup: it keeps only sockets whose local
 * address and port are row's laddr/lport and whose remote ones are
 * raddr/rport.  An IPv4 row's filter also keeps AF_INET6 sockets holding
 * those endpoints as ::ffff:a.b.c.d (the kernel matches an AF_INET
 * condition against v4-mapped addresses).  Returns its length. */
size_t tt_diag_tuple_filter(unsigned char buf[TT_DIAG_FILTER_MAX], const struct tt_conn *row);

/* Checks in full what the filter only narrowed: whether the reply (payload,
 * len bytes) is a socket holding the connection that row names.  That is a
 * socket not in LISTEN, with row's local and remote addresses and ports
 * exactly (for an IPv4 row, an AF_INET socket or an AF_INET6 one holding
 * them v4-mapped), and, for an IPv6 row with a link-local address and a
 * zone (lscope), bound to that interface.  Returns 1 and copies the reply's
 * header into *m when it is; 0 when not; -EBADMSG when the payload is too
 * short. */
struct inet_diag_msg;
int tt_diag_match(const struct tt_conn *row, const void *payload, size_t len,
		  struct inet_diag_msg *m);

/* Decodes the payload of one SOCK_DIAG_BY_FAMILY reply (struct inet_diag_msg
 * followed by attributes, len bytes) of a dump of protocol proto
 * (TT_PROTO_*).  Returns 1 when *out holds a connection, 0 for a message to
 * skip (not IP, unknown state), or -EBADMSG when the payload is malformed.
 * A UDP socket gets state 0, and TT_CONN_DUALSTACK when it sits on [::]
 * without IPV6_V6ONLY (SPEC §10). */
int tt_diag_decode_as(unsigned proto, const void *payload, size_t len, struct tt_conn *out);

/* tt_diag_decode_as() for a TCP dump. */
int tt_diag_decode(const void *payload, size_t len, struct tt_conn *out);

/* Reads the counters of one connection from its reply (payload, len
 * bytes: struct inet_diag_msg and its attributes; INET_DIAG_INFO decoded
 * by its length, missing fields 0; estats_decode.c).  Returns 0 or -EBADMSG
 * when the payload is malformed. */
struct tt_tcp_info;
int tt_diag_tcp_info(const void *payload, size_t len, struct tt_tcp_info *out);

#endif /* TT_DIAG_H */
