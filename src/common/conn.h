/*
 * conn.h - the one connection model every backend produces and the front end
 * consumes.  Backends know nothing about the Windows row layouts; the front
 * end knows nothing about netlink or sysctl.
 */
#ifndef TT_CONN_H
#define TT_CONN_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* tt_conn.flags */
enum {
	/* An IPv6 socket on the unspecified address that also accepts IPv4
	 * (IPV6_V6ONLY off): a TCP listener or any UDP socket.  It belongs to
	 * both tables (SPEC §5, §10). */
	TT_CONN_DUALSTACK = 1u << 0,
	/* The backend already filled pid (BSD kern.file join); no owner scan. */
	TT_CONN_PID_KNOWN = 1u << 1,
};

struct tt_conn {
	uint8_t family; /* AF_INET or AF_INET6, as the kernel holds the socket */
	uint8_t state; /* MIB_TCP_STATE_* (already mapped); 0 for UDP */
	uint8_t flags; /* TT_CONN_* */
	uint8_t laddr[16]; /* network order; IPv4 uses the first 4 bytes */
	uint8_t raddr[16];
	uint16_t lport; /* network order */
	uint16_t rport;
	uint32_t lscope; /* interface index for link-local addresses, else 0 */
	uint32_t rscope;
	uint32_t owner_key; /* key for the owner scan (Linux: socket inode); 0 = none */
	uint32_t pid; /* owner, when TT_CONN_PID_KNOWN */
	uint64_t cookie; /* unique socket identity, for removing duplicates */
};

/* The transport protocol of a table (SPEC §10: UDP goes through the same
 * machinery as TCP).  A UDP connection has no state: its state field is 0. */
enum { TT_PROTO_TCP = 0, TT_PROTO_UDP = 1, TT_PROTO_COUNT };

/* Which tables a connection belongs to. */
enum { TT_TABLE_V4 = 1u << 0, TT_TABLE_V6 = 1u << 1 };

/* State classes of GetExtendedTcpTable (SPEC §7). */
enum {
	TT_STATES_LISTEN = 1u << 0,
	TT_STATES_CONNECTIONS = 1u << 1,
	TT_STATES_ALL = TT_STATES_LISTEN | TT_STATES_CONNECTIONS,
};

static inline bool tt_addr6_is_v4mapped(const uint8_t a[16])
{
	static const uint8_t prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	return memcmp(a, prefix, sizeof(prefix)) == 0;
}

static inline bool tt_addr6_is_unspecified(const uint8_t a[16])
{
	static const uint8_t zero[16];
	return memcmp(a, zero, sizeof(zero)) == 0;
}

/* fe80::/10 and link-scoped multicast (ff02::/16 style): the addresses whose
 * zone index is meaningful, as sin6_scope_id would carry it. */
static inline bool tt_addr6_needs_scope(const uint8_t a[16])
{
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return true;
	return a[0] == 0xff && ((a[1] & 0x0f) == 0x01 || (a[1] & 0x0f) == 0x02);
}

#endif /* TT_CONN_H */
