/*
 * diag_decode.c - decodes inet_diag replies into tt_conn records (pure).
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "tcpmib.h"

#include "diag.h"

/* Kernel TCP states (include/net/tcp_states.h); not exported to userspace
 * under these names, so spelled out here. */
enum {
	LX_TCP_ESTABLISHED = 1,
	LX_TCP_SYN_SENT,
	LX_TCP_SYN_RECV,
	LX_TCP_FIN_WAIT1,
	LX_TCP_FIN_WAIT2,
	LX_TCP_TIME_WAIT,
	LX_TCP_CLOSE,
	LX_TCP_CLOSE_WAIT,
	LX_TCP_LAST_ACK,
	LX_TCP_LISTEN,
	LX_TCP_CLOSING,
	LX_TCP_NEW_SYN_RECV,
	LX_TCP_MAX_STATE
};

static const uint8_t state_map[LX_TCP_MAX_STATE] = {
	[LX_TCP_ESTABLISHED] = MIB_TCP_STATE_ESTAB,
	[LX_TCP_SYN_SENT] = MIB_TCP_STATE_SYN_SENT,
	[LX_TCP_SYN_RECV] = MIB_TCP_STATE_SYN_RCVD,
	[LX_TCP_FIN_WAIT1] = MIB_TCP_STATE_FIN_WAIT1,
	[LX_TCP_FIN_WAIT2] = MIB_TCP_STATE_FIN_WAIT2,
	[LX_TCP_TIME_WAIT] = MIB_TCP_STATE_TIME_WAIT,
	[LX_TCP_CLOSE] = MIB_TCP_STATE_CLOSED,
	[LX_TCP_CLOSE_WAIT] = MIB_TCP_STATE_CLOSE_WAIT,
	[LX_TCP_LAST_ACK] = MIB_TCP_STATE_LAST_ACK,
	[LX_TCP_LISTEN] = MIB_TCP_STATE_LISTEN,
	[LX_TCP_CLOSING] = MIB_TCP_STATE_CLOSING,
	[LX_TCP_NEW_SYN_RECV] = MIB_TCP_STATE_SYN_RCVD,
};

unsigned tt_linux_state(unsigned linux_state)
{
	return linux_state < LX_TCP_MAX_STATE ? state_map[linux_state] : 0;
}

uint32_t tt_diag_state_mask(unsigned states)
{
	uint32_t mask = 0;
	if (states & TT_STATES_LISTEN)
		mask |= 1u << LX_TCP_LISTEN;
	if (states & TT_STATES_CONNECTIONS) {
		/* Every real state but LISTEN.  NEW_SYN_RECV request sockets are
		 * reported as SYN_RECV; BOUND_INACTIVE (13) is not a connection. */
		for (unsigned s = LX_TCP_ESTABLISHED; s < LX_TCP_MAX_STATE; s++)
			if (s != LX_TCP_LISTEN)
				mask |= 1u << s;
	}
	return mask;
}

uint32_t tt_diag_proto_state_mask(unsigned proto, unsigned states)
{
	if (proto == TT_PROTO_UDP)
		return 1u << LX_TCP_ESTABLISHED | 1u << LX_TCP_CLOSE;
	return tt_diag_state_mask(states);
}

int tt_nl_next(const unsigned char *buf, size_t size, size_t *offset, const struct nlmsghdr **msg)
{
	size_t at = *offset;
	if (at >= size)
		return 0;
	size_t left = size - at;
	struct nlmsghdr h;
	if (left < sizeof(h))
		return -EBADMSG;
	memcpy(&h, buf + at, sizeof(h));
	if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > left)
		return -EBADMSG;
	size_t step = NLMSG_ALIGN((size_t)h.nlmsg_len);
	*offset = at + (step < left ? step : left);
	*msg = (const struct nlmsghdr *)(const void *)(buf + at);
	return 1;
}

/* One S_COND test (source address) of a bytecode program. */
static size_t put_scond(unsigned char *at, uint8_t family, uint8_t prefix, size_t alen,
			uint8_t yes, uint16_t no)
{
	struct inet_diag_bc_op op = { INET_DIAG_BC_S_COND, yes, no };
	struct inet_diag_hostcond cond;
	/* Field by field, so that the padding after prefix_len is zero too. */
	memset(&cond, 0, sizeof(cond));
	cond.family = family;
	cond.prefix_len = prefix;
	cond.port = -1;
	memcpy(at, &op, sizeof(op));
	memcpy(at + sizeof(op), &cond, sizeof(cond));
	memset(at + sizeof(op) + sizeof(cond), 0, alen); /* address 0 (or unused) */
	return sizeof(op) + sizeof(cond) + alen;
}

size_t tt_diag_v4_filter(unsigned char buf[TT_DIAG_FILTER_MAX])
{
	/* "A or B" as iproute2 compiles it: A; JMP over B; B.  A failed test
	 * skips 4 bytes past its own end (the JMP); B's skips past the end of
	 * the program, which rejects the socket.
	 *   A: the local address is ::ffff:0.0.0.0/96 (family AF_INET, /0)
	 *   B: the local address is ::/128 */
	const size_t la = sizeof(struct inet_diag_bc_op) + sizeof(struct inet_diag_hostcond) + 4;
	const size_t lb = sizeof(struct inet_diag_bc_op) + sizeof(struct inet_diag_hostcond) + 16;
	size_t at = put_scond(buf, AF_INET, 0, 4, (uint8_t)la, (uint16_t)(la + 4));
	struct inet_diag_bc_op jmp = { INET_DIAG_BC_JMP, 4, (uint16_t)(lb + 4) };
	memcpy(buf + at, &jmp, sizeof(jmp));
	at += sizeof(jmp);
	at += put_scond(buf + at, AF_INET6, 128, 16, (uint8_t)lb, (uint16_t)(lb + 4));
	return at;
}

/* Reads the IPV6_V6ONLY flag the kernel attaches to IPv6 sockets.
 * Returns -1 when absent, -EBADMSG (< -1) when the attributes are malformed. */
static int find_v6only(const unsigned char *p, size_t len)
{
	int v6only = -1;
	while (len >= sizeof(struct nlattr)) {
		struct nlattr a;
		memcpy(&a, p, sizeof(a));
		if (a.nla_len < sizeof(a) || a.nla_len > len)
			return -EBADMSG;
		if ((a.nla_type & NLA_TYPE_MASK) == INET_DIAG_SKV6ONLY && a.nla_len > sizeof(a))
			v6only = p[sizeof(a)] != 0;
		size_t step = NLA_ALIGN(a.nla_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return v6only;
}

int tt_diag_decode_as(unsigned proto, const void *payload, size_t len, struct tt_conn *out)
{
	struct inet_diag_msg m;
	if (len < sizeof(m))
		return -EBADMSG;
	memcpy(&m, payload, sizeof(m));
	if (m.idiag_family != AF_INET && m.idiag_family != AF_INET6)
		return 0;
	bool udp = proto == TT_PROTO_UDP;
	/* A UDP socket is CLOSE, or ESTABLISHED when connected: no row state. */
	unsigned state = udp ? 0 : tt_linux_state(m.idiag_state);
	if (udp ? (m.idiag_state != LX_TCP_CLOSE && m.idiag_state != LX_TCP_ESTABLISHED)
		: state == 0)
		return 0;

	memset(out, 0, sizeof(*out));
	out->family = m.idiag_family;
	out->state = (uint8_t)state;
	size_t alen = m.idiag_family == AF_INET ? 4 : 16;
	memcpy(out->laddr, m.id.idiag_src, alen);
	memcpy(out->raddr, m.id.idiag_dst, alen);
	out->lport = m.id.idiag_sport;
	out->rport = m.id.idiag_dport;
	out->owner_key = m.idiag_inode;
	out->cookie = (uint64_t)m.id.idiag_cookie[1] << 32 | m.id.idiag_cookie[0];

	if (m.idiag_family == AF_INET6) {
		/* The zone of a link-local address is the device the socket is
		 * bound to; other addresses have none (SPEC §5). */
		if (tt_addr6_needs_scope(out->laddr))
			out->lscope = m.id.idiag_if;
		if (tt_addr6_needs_scope(out->raddr))
			out->rscope = m.id.idiag_if;
		/* Dual-stack: a TCP listener, or any UDP socket, on [::]. */
		if ((udp || state == MIB_TCP_STATE_LISTEN) && tt_addr6_is_unspecified(out->laddr)) {
			int v6only = find_v6only((const unsigned char *)payload + sizeof(m),
						 len - sizeof(m));
			if (v6only < -1)
				return v6only;
			if (v6only == 0)
				out->flags |= TT_CONN_DUALSTACK;
		}
	}
	return 1;
}

int tt_diag_decode(const void *payload, size_t len, struct tt_conn *out)
{
	return tt_diag_decode_as(TT_PROTO_TCP, payload, len, out);
}
