/*
 * procnet.h - the fallback connection source: /proc/thread-self/net/tcp and
 * tcp6 (udp and udp6 for UDP; the calling thread's network namespace, as
 * sock_diag's), used when sock_diag is not available (no inet_diag module,
 * or a sandbox that blocks netlink).
 */
#ifndef TT_PROCNET_H
#define TT_PROCNET_H

#include <stddef.h>

#include "backend.h"

/* Parses one line of /proc/net/tcp (family AF_INET) or /proc/net/tcp6
 * (AF_INET6), len bytes without the newline (pure; fuzzed).  Returns 1 when
 * *out holds a connection, 0 for the header line, -EBADMSG when the line is
 * malformed.  The files carry no interface index, so scope ids are 0, and
 * no IPV6_V6ONLY flag (see tt_procnet_collect). */
int tt_procnet_parse_line(const char *line, size_t len, int family, struct tt_conn *out);

/* The same for udp and udp6 when proto is TT_PROTO_UDP (same columns;
 * the state column is the socket's TCP_CLOSE or TCP_ESTABLISHED, and the row
 * gets state 0). */
int tt_procnet_parse_line_as(unsigned proto, const char *line, size_t len, int family,
			     struct tt_conn *out);

/* Offers the rows of the calling thread's tcp{,6} files (udp{,6} by
 * req->proto) to col, as tt_backend_collect does.  A [::]:p listener (UDP:
 * any [::]:p socket) is taken as dual-stack only when no IPv4 listener (UDP:
 * IPv4 socket) holds port p and net.ipv6.bindv6only of that namespace is 0
 * (SPEC §9).  Returns 0 or -errno; out of descriptors or memory is -ENOMEM. */
int tt_procnet_collect(const struct tt_request *req, struct tt_collector *col);

#endif /* TT_PROCNET_H */
