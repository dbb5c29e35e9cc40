/*
 * diag_decode.c - decodes inet_diag replies into tt_conn records, and builds
 * and checks the filters of dumps and exact lookups (pure).
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <arpa/inet.h>
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

/* One S_COND or D_COND test (source or destination address and port) of a
 * bytecode program; addr NULL tests address 0.  port -1 is any port. */
static size_t put_cond(unsigned char *at, uint8_t code, uint8_t family, uint8_t prefix,
		       const uint8_t *addr, size_t alen, int port, uint8_t yes, uint16_t no)
{
	struct inet_diag_bc_op op = { code, yes, no };
	struct inet_diag_hostcond cond;
	/* Field by field, so that the padding after prefix_len is zero too. */
	memset(&cond, 0, sizeof(cond));
	cond.family = family;
	cond.prefix_len = prefix;
	cond.port = port;
	memcpy(at, &op, sizeof(op));
	memcpy(at + sizeof(op), &cond, sizeof(cond));
	if (addr)
		memcpy(at + sizeof(op) + sizeof(cond), addr, alen);
	else
		memset(at + sizeof(op) + sizeof(cond), 0, alen); /* address 0 (or unused) */
	return sizeof(op) + sizeof(cond) + alen;
}

static size_t put_scond(unsigned char *at, uint8_t family, uint8_t prefix, size_t alen,
			uint8_t yes, uint16_t no)
{
	return put_cond(at, INET_DIAG_BC_S_COND, family, prefix, NULL, alen, -1, yes, no);
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

size_t tt_diag_tuple_filter(unsigned char buf[TT_DIAG_FILTER_MAX], const struct tt_conn *row)
{
	/* "A and B": a failed test jumps 4 bytes past the end of the program,
	 * which rejects the socket; passing both ends exactly at its end.
	 *   A: local address/all bits and local port
	 *   B: remote address/all bits and remote port
	 * The kernel compares the ports in host order. */
	size_t alen = row->family == AF_INET ? 4 : 16;
	uint8_t bits = (uint8_t)(8 * alen);
	const size_t l = sizeof(struct inet_diag_bc_op) + sizeof(struct inet_diag_hostcond) + alen;
	size_t at = put_cond(buf, INET_DIAG_BC_S_COND, row->family, bits, row->laddr, alen,
			     ntohs(row->lport), (uint8_t)l, (uint16_t)(2 * l + 4));
	at += put_cond(buf + at, INET_DIAG_BC_D_COND, row->family, bits, row->raddr, alen,
		       ntohs(row->rport), (uint8_t)l, (uint16_t)(l + 4));
	return at;
}

/* Whether a (16 bytes, as the kernel reports any address) is the IPv4
 * address v4 (4 bytes) as its family holds it. */
static bool same_v4(int family, const uint8_t a[16], const uint8_t v4[4])
{
	if (family == AF_INET)
		return memcmp(a, v4, 4) == 0;
	return tt_addr6_is_v4mapped(a) && memcmp(a + 12, v4, 4) == 0;
}

int tt_diag_match(const struct tt_conn *row, const void *payload, size_t len,
		  struct inet_diag_msg *m)
{
	if (len < sizeof(*m))
		return -EBADMSG;
	memcpy(m, payload, sizeof(*m));
	if (m->idiag_state == LX_TCP_LISTEN || tt_linux_state(m->idiag_state) == 0)
		return 0;
	if (m->id.idiag_sport != row->lport || m->id.idiag_dport != row->rport)
		return 0;
	uint8_t src[16], dst[16];
	memcpy(src, m->id.idiag_src, sizeof(src));
	memcpy(dst, m->id.idiag_dst, sizeof(dst));
	if (row->family == AF_INET) {
		if (m->idiag_family != AF_INET && m->idiag_family != AF_INET6)
			return 0;
		return same_v4(m->idiag_family, src, row->laddr) &&
		       same_v4(m->idiag_family, dst, row->raddr);
	}
	if (row->family != AF_INET6 || m->idiag_family != AF_INET6 ||
	    memcmp(src, row->laddr, 16) != 0 || memcmp(dst, row->raddr, 16) != 0)
		return 0;
	/* A link-local connection lives on one interface: the row's zone, when
	 * it names one, must be the socket's. */
	if ((tt_addr6_needs_scope(row->laddr) || tt_addr6_needs_scope(row->raddr)) && row->lscope &&
	    m->id.idiag_if != row->lscope)
		return 0;
	return 1;
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
