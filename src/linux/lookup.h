/*
 * lookup.h - the one exact lookup of a connection named by a row
 * (DESIGN.md "One exact lookup"): SetTcpEntry uses it now, EStats will.
 */
#ifndef TT_LOOKUP_H
#define TT_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>

#include "conn.h"
#include "diag_sock.h"

struct tt_lookup {
	/* In: the connection as a row names it (family, laddr/lport,
	 * raddr/rport; lscope: the zone of an IPv6 link-local row, or 0). */
	const struct tt_conn *row;
	/* In: the extensions wanted with the reply (an idiag_ext mask such as
	 * 1 << (INET_DIAG_INFO - 1)); 0 for none. */
	uint8_t ext;
	/* In, optional: called with the whole reply (struct inet_diag_msg and
	 * its attributes, where the extensions are) of each socket found; a
	 * dump restarted after an interruption offers its sockets again.
	 * Returns 0 or a negative errno that ends the lookup. */
	int (*reply)(void *data, const void *payload, size_t len);
	void *data;
	/* In: one socket is enough (EStats; not SetTcpEntry, which must
	 * find every socket sharing the 4-tuple).  The kernel's hash lookup
	 * is asked first, one message for one socket whatever the size of
	 * the table; the filtered dumps run only when it finds no exact match
	 * (no such connection, or one held by a socket bound to a device). */
	bool first_only;

	/* Out: how many sockets hold the connection (more than one only when
	 * sockets bound to different devices, such as VRFs, share a 4-tuple),
	 * and the identity of the first as the kernel reported it: its family,
	 * its kernel state (TCP_*) and its whole inet_diag_sockid, bound
	 * interface (idiag_if) and cookie included. */
	unsigned found;
	uint8_t family;
	uint8_t state;
	struct inet_diag_sockid id;
};

/* Finds the sockets holding the connection q->row names: a sock_diag dump
 * of each family that can hold it (AF_INET6 too for an IPv4 row, which a
 * dual-stack socket holds as ::ffff:a.b.c.d), filtered in the kernel to the
 * exact 4-tuple, every reply then checked again here (tt_diag_match).
 * Listeners never match.  With q->first_only, the kernel's hash lookup
 * comes first (tt_diag_get).  Returns 0 (q->found may be 0) or -errno. */
int tt_lookup_exact(struct tt_diag_sock *s, struct tt_lookup *q);

/* Builds into buf the SOCK_DESTROY request for the socket of family with
 * identity id, exactly as a lookup returned it: the kernel then destroys
 * that socket only, or answers -ESTALE (cookie) or -ENOENT when it is gone
 * (pure; destroy.c). */
#define TT_DESTROY_REQUEST_SIZE NLMSG_SPACE(sizeof(struct inet_diag_req_v2))
struct nlmsghdr *tt_destroy_request(void *buf, uint8_t family, const struct inet_diag_sockid *id);

#endif /* TT_LOOKUP_H */
