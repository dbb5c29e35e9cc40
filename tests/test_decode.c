/*
 * test_decode.c - the pure parts of the Linux backend on fixture input:
 * the inet_diag message decoder, the state map, the request state mask, the
 * exact lookup's filter and check, the SOCK_DESTROY request, the EStats
 * counters from INET_DIAG_INFO (decoded by length), and the /proc owner
 * parsers.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>

#include <check.h>
#include <iphlpapi.h>

#include "backend.h"
#include "diag.h"
#include "lookup.h"
#include "owner_parse.h"
#include "snmp.h"
#include "run_suite.h"

struct msgbuf {
	unsigned char b[512];
	size_t len;
};

static struct msgbuf diag_msg(int family, int state, const char *src, uint16_t sport,
			      const char *dst, uint16_t dport, uint32_t ifidx, uint32_t inode,
			      uint64_t cookie)
{
	struct msgbuf m;
	memset(&m, 0, sizeof(m));
	struct inet_diag_msg d;
	memset(&d, 0, sizeof(d));
	d.idiag_family = (uint8_t)family;
	d.idiag_state = (uint8_t)state;
	d.id.idiag_sport = htons(sport);
	d.id.idiag_dport = htons(dport);
	ck_assert_int_eq(inet_pton(family, src, d.id.idiag_src), 1);
	ck_assert_int_eq(inet_pton(family, dst, d.id.idiag_dst), 1);
	d.id.idiag_if = ifidx;
	d.id.idiag_cookie[0] = (uint32_t)cookie;
	d.id.idiag_cookie[1] = (uint32_t)(cookie >> 32);
	d.idiag_inode = inode;
	d.idiag_uid = 1000;
	memcpy(m.b, &d, sizeof(d));
	m.len = sizeof(d);
	return m;
}

static void add_attr(struct msgbuf *m, uint16_t type, const void *data, uint16_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(sizeof(a) + len), .nla_type = type };
	memcpy(m->b + m->len, &a, sizeof(a));
	memcpy(m->b + m->len + sizeof(a), data, len);
	m->len += NLA_ALIGN(a.nla_len);
}

START_TEST(ipv4_established)
{
	struct msgbuf m = diag_msg(AF_INET, 1, "10.0.0.1", 443, "10.0.0.2", 50000, 0, 1234,
				   0x1122334455667788ull);
	uint8_t shut = 0;
	add_attr(&m, INET_DIAG_SHUTDOWN, &shut, 1);
	struct tt_conn c;
	ck_assert_int_eq(tt_diag_decode(m.b, m.len, &c), 1);
	ck_assert_uint_eq(c.family, AF_INET);
	ck_assert_uint_eq(c.state, MIB_TCP_STATE_ESTAB);
	uint8_t want[4] = { 10, 0, 0, 1 };
	ck_assert_mem_eq(c.laddr, want, 4);
	want[3] = 2;
	ck_assert_mem_eq(c.raddr, want, 4);
	ck_assert_uint_eq(c.lport, htons(443));
	ck_assert_uint_eq(c.rport, htons(50000));
	ck_assert_uint_eq(c.owner_key, 1234);
	ck_assert(c.cookie == 0x1122334455667788ull);
	ck_assert_uint_eq(c.lscope, 0);
	ck_assert_uint_eq(c.flags, 0);
}
END_TEST

START_TEST(ipv6_listener_v6only_flag)
{
	uint8_t off = 0, on = 1;
	struct msgbuf m = diag_msg(AF_INET6, 10, "::", 80, "::", 0, 0, 5, 1);
	add_attr(&m, INET_DIAG_SKV6ONLY, &off, 1);
	struct tt_conn c;
	ck_assert_int_eq(tt_diag_decode(m.b, m.len, &c), 1);
	ck_assert_uint_eq(c.state, MIB_TCP_STATE_LISTEN);
	ck_assert_uint_eq(c.flags & TT_CONN_DUALSTACK, TT_CONN_DUALSTACK);

	m = diag_msg(AF_INET6, 10, "::", 80, "::", 0, 0, 5, 1);
	add_attr(&m, INET_DIAG_SKV6ONLY, &on, 1);
	ck_assert_int_eq(tt_diag_decode(m.b, m.len, &c), 1);
	ck_assert_uint_eq(c.flags & TT_CONN_DUALSTACK, 0);

	/* Without the attribute the socket is taken as IPv6-only. */
	m = diag_msg(AF_INET6, 10, "::", 80, "::", 0, 0, 5, 1);
	ck_assert_int_eq(tt_diag_decode(m.b, m.len, &c), 1);
	ck_assert_uint_eq(c.flags & TT_CONN_DUALSTACK, 0);

	/* A listener on a specific address is never dual-stack. */
	m = diag_msg(AF_INET6, 10, "::1", 80, "::", 0, 0, 5, 1);
	add_attr(&m, INET_DIAG_SKV6ONLY, &off, 1);
	ck_assert_int_eq(tt_diag_decode(m.b, m.len, &c), 1);
	ck_assert_uint_eq(c.flags & TT_CONN_DUALSTACK, 0);
}
END_TEST

START_TEST(scope_ids_only_for_link_local)
{
	struct msgbuf m = diag_msg(AF_INET6, 1, "fe80::1", 22, "fe80::2", 4000, 7, 5, 1);
	struct tt_conn c;
	ck_assert_int_eq(tt_diag_decode(m.b, m.len, &c), 1);
	ck_assert_uint_eq(c.lscope, 7);
	ck_assert_uint_eq(c.rscope, 7);
	/* Bound to a device, but global addresses carry no zone. */
	m = diag_msg(AF_INET6, 1, "2001:db8::1", 22, "fe80::2", 4000, 7, 5, 1);
	ck_assert_int_eq(tt_diag_decode(m.b, m.len, &c), 1);
	ck_assert_uint_eq(c.lscope, 0);
	ck_assert_uint_eq(c.rscope, 7);
	m = diag_msg(AF_INET6, 1, "::1", 22, "::1", 4000, 1, 5, 1);
	ck_assert_int_eq(tt_diag_decode(m.b, m.len, &c), 1);
	ck_assert_uint_eq(c.lscope, 0);
	ck_assert_uint_eq(c.rscope, 0);
}
END_TEST

START_TEST(request_and_timewait_sockets)
{
	/* NEW_SYN_RECV is reported as SYN_RECV by the kernel; both map to
	 * SYN_RCVD, with no inode. */
	const int states[] = { 3, 12 };
	for (int i = 0; i < 2; i++) {
		struct msgbuf m = diag_msg(AF_INET, states[i], "10.0.0.1", 80, "10.0.0.9", 1, 0, 0, 9);
		struct tt_conn c;
		ck_assert_int_eq(tt_diag_decode(m.b, m.len, &c), 1);
		ck_assert_uint_eq(c.state, MIB_TCP_STATE_SYN_RCVD);
		ck_assert_uint_eq(c.owner_key, 0);
	}
	struct msgbuf m = diag_msg(AF_INET, 6, "10.0.0.1", 80, "10.0.0.9", 1, 0, 0, 9);
	struct tt_conn c;
	ck_assert_int_eq(tt_diag_decode(m.b, m.len, &c), 1);
	ck_assert_uint_eq(c.state, MIB_TCP_STATE_TIME_WAIT);
}
END_TEST

START_TEST(messages_to_skip)
{
	struct tt_conn c;
	/* An unknown state (13 = BOUND_INACTIVE, 0, 200) and a non-IP family. */
	const int bad_states[] = { 0, 13, 200 };
	for (int i = 0; i < 3; i++) {
		struct msgbuf m = diag_msg(AF_INET, bad_states[i], "1.2.3.4", 1, "1.2.3.4", 2, 0, 1, 1);
		ck_assert_int_eq(tt_diag_decode(m.b, m.len, &c), 0);
	}
	struct msgbuf m = diag_msg(AF_INET, 1, "1.2.3.4", 1, "1.2.3.4", 2, 0, 1, 1);
	m.b[0] = AF_UNIX;
	ck_assert_int_eq(tt_diag_decode(m.b, m.len, &c), 0);
}
END_TEST

START_TEST(malformed_messages)
{
	struct tt_conn c;
	struct msgbuf m = diag_msg(AF_INET6, 10, "::", 80, "::", 0, 0, 5, 1);
	for (size_t len = 0; len < sizeof(struct inet_diag_msg); len++)
		ck_assert_int_eq(tt_diag_decode(m.b, len, &c), -EBADMSG);
	/* An attribute that claims more bytes than there are. */
	uint8_t off = 0;
	add_attr(&m, INET_DIAG_SKV6ONLY, &off, 1);
	struct nlattr a;
	memcpy(&a, m.b + sizeof(struct inet_diag_msg), sizeof(a));
	a.nla_len = 200;
	memcpy(m.b + sizeof(struct inet_diag_msg), &a, sizeof(a));
	ck_assert_int_eq(tt_diag_decode(m.b, m.len, &c), -EBADMSG);
	/* An attribute shorter than its own header. */
	a.nla_len = 2;
	memcpy(m.b + sizeof(struct inet_diag_msg), &a, sizeof(a));
	ck_assert_int_eq(tt_diag_decode(m.b, m.len, &c), -EBADMSG);
	/* Trailing bytes too short for an attribute header are ignored. */
	m = diag_msg(AF_INET6, 10, "::", 80, "::", 0, 0, 5, 1);
	m.len += 3;
	ck_assert_int_eq(tt_diag_decode(m.b, m.len, &c), 1);
}
END_TEST

START_TEST(datagram_walk)
{
	_Alignas(4) unsigned char buf[64];
	struct nlmsghdr h = { .nlmsg_len = 20, .nlmsg_type = NLMSG_DONE };
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + 20, &h, sizeof(h));
	size_t at = 0;
	const struct nlmsghdr *m;
	ck_assert_int_eq(tt_nl_next(buf, 40, &at, &m), 1);
	ck_assert_ptr_eq(m, (const void *)buf);
	ck_assert_int_eq(tt_nl_next(buf, 40, &at, &m), 1);
	ck_assert_ptr_eq(m, (const void *)(buf + 20));
	ck_assert_int_eq(tt_nl_next(buf, 40, &at, &m), 0);
	/* Left over: part of a header, or a message cut short. */
	at = 0;
	ck_assert_int_eq(tt_nl_next(buf, 43, &at, &m), 1);
	ck_assert_int_eq(tt_nl_next(buf, 43, &at, &m), 1);
	ck_assert_int_eq(tt_nl_next(buf, 43, &at, &m), -EBADMSG);
	at = 0;
	ck_assert_int_eq(tt_nl_next(buf, 19, &at, &m), -EBADMSG);
	/* Lengths below a header, or above what is there - including those
	 * that read as negative ints (libmnl's mnl_nlmsg_ok accepts them). */
	const uint32_t bad[] = { 0, 15, 41, 0x80000010u, 0xfffffff0u };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		h.nlmsg_len = bad[i];
		memcpy(buf, &h, sizeof(h));
		at = 0;
		ck_assert_int_eq(tt_nl_next(buf, 40, &at, &m), -EBADMSG);
	}
}
END_TEST

/* SPEC §5, Linux column. */
START_TEST(linux_state_map)
{
	const unsigned want[] = { 0, MIB_TCP_STATE_ESTAB, MIB_TCP_STATE_SYN_SENT,
				  MIB_TCP_STATE_SYN_RCVD, MIB_TCP_STATE_FIN_WAIT1,
				  MIB_TCP_STATE_FIN_WAIT2, MIB_TCP_STATE_TIME_WAIT,
				  MIB_TCP_STATE_CLOSED, MIB_TCP_STATE_CLOSE_WAIT,
				  MIB_TCP_STATE_LAST_ACK, MIB_TCP_STATE_LISTEN,
				  MIB_TCP_STATE_CLOSING, MIB_TCP_STATE_SYN_RCVD, 0, 0 };
	for (unsigned s = 0; s < sizeof(want) / sizeof(want[0]); s++)
		ck_assert_uint_eq(tt_linux_state(s), want[s]);
	ck_assert_uint_eq(tt_linux_state(255), 0);
}
END_TEST

START_TEST(request_state_masks)
{
	ck_assert_uint_eq(tt_diag_state_mask(TT_STATES_LISTEN), 1u << 10);
	ck_assert_uint_eq(tt_diag_state_mask(TT_STATES_CONNECTIONS), 0x1ffeu & ~(1u << 10));
	ck_assert_uint_eq(tt_diag_state_mask(TT_STATES_ALL), 0x1ffeu);
}
END_TEST

/* ---- The exact lookup (SetTcpEntry, EStats). */

static struct tt_conn row_of(int family, const char *laddr, uint16_t lport, const char *raddr,
			     uint16_t rport, uint32_t lscope)
{
	struct tt_conn c;
	memset(&c, 0, sizeof(c));
	c.family = (uint8_t)family;
	ck_assert_int_eq(inet_pton(family, laddr, c.laddr), 1);
	ck_assert_int_eq(inet_pton(family, raddr, c.raddr), 1);
	c.lport = htons(lport);
	c.rport = htons(rport);
	c.lscope = lscope;
	return c;
}

/* Checks one condition of a filter: op, then hostcond, then the address;
 * returns the offset past it. */
static size_t expect_cond(const unsigned char *f, size_t at, uint8_t code, uint8_t yes,
			  uint16_t no, int family, const char *addr, int port)
{
	struct inet_diag_bc_op op;
	memcpy(&op, f + at, sizeof(op));
	ck_assert_uint_eq(op.code, code);
	ck_assert_uint_eq(op.yes, yes);
	ck_assert_uint_eq(op.no, no);
	struct inet_diag_hostcond want;
	memset(&want, 0, sizeof(want)); /* padding included: sent to the kernel */
	want.family = (uint8_t)family;
	want.prefix_len = family == AF_INET ? 32 : 128;
	want.port = port;
	ck_assert_mem_eq(f + at + sizeof(op), &want, sizeof(want));
	size_t alen = family == AF_INET ? 4 : 16;
	unsigned char a[16];
	ck_assert_int_eq(inet_pton(family, addr, a), 1);
	ck_assert_mem_eq(f + at + sizeof(op) + sizeof(want), a, alen);
	return at + sizeof(op) + sizeof(want) + alen;
}

/* Local address and port, then remote ones, all bits and exact ports (host
 * order, as the kernel compares them); a failed test leaves the program 4
 * bytes past its end, which rejects the socket. */
START_TEST(exact_lookup_filter)
{
	unsigned char f[TT_DIAG_FILTER_MAX];
	memset(f, 0xee, sizeof(f));
	struct tt_conn r4 = row_of(AF_INET, "10.1.2.3", 443, "203.0.113.7", 50000, 0);
	size_t n = tt_diag_tuple_filter(f, &r4);
	const uint8_t l4 = 4 + 8 + 4;
	ck_assert_uint_eq(n, 2 * l4);
	size_t at = expect_cond(f, 0, INET_DIAG_BC_S_COND, l4, 2 * l4 + 4, AF_INET, "10.1.2.3", 443);
	at = expect_cond(f, at, INET_DIAG_BC_D_COND, l4, l4 + 4, AF_INET, "203.0.113.7", 50000);
	ck_assert_uint_eq(at, n);

	memset(f, 0xee, sizeof(f));
	struct tt_conn r6 = row_of(AF_INET6, "2001:db8::1", 8080, "fe80::2", 0, 7);
	n = tt_diag_tuple_filter(f, &r6);
	const uint8_t l6 = 4 + 8 + 16;
	ck_assert_uint_eq(n, 2 * l6);
	ck_assert_uint_le(n, TT_DIAG_FILTER_MAX);
	at = expect_cond(f, 0, INET_DIAG_BC_S_COND, l6, 2 * l6 + 4, AF_INET6, "2001:db8::1", 8080);
	expect_cond(f, at, INET_DIAG_BC_D_COND, l6, l6 + 4, AF_INET6, "fe80::2", 0);
}
END_TEST

static int match(const struct tt_conn *row, const struct msgbuf *m, struct inet_diag_msg *out)
{
	return tt_diag_match(row, m->b, m->len, out);
}

START_TEST(exact_lookup_check)
{
	struct inet_diag_msg out;
	struct tt_conn r4 = row_of(AF_INET, "10.1.2.3", 443, "10.9.8.7", 50000, 0);
	/* The connection itself; the identity comes back whole. */
	struct msgbuf m = diag_msg(AF_INET, 1, "10.1.2.3", 443, "10.9.8.7", 50000, 9, 77,
				   0x1122334455667788ull);
	ck_assert_int_eq(match(&r4, &m, &out), 1);
	ck_assert_mem_eq(&out, m.b, sizeof(out));
	/* Any device: an IPv4 row has no zone to compare. */
	ck_assert_uint_eq(out.id.idiag_if, 9);
	/* Held by a dual-stack socket. */
	m = diag_msg(AF_INET6, 8, "::ffff:10.1.2.3", 443, "::ffff:10.9.8.7", 50000, 0, 1, 2);
	ck_assert_int_eq(match(&r4, &m, &out), 1);
	ck_assert_uint_eq(out.idiag_family, AF_INET6);
	/* Not it: another port, address, or an IPv6 address ending alike. */
	m = diag_msg(AF_INET, 1, "10.1.2.3", 443, "10.9.8.7", 50001, 0, 1, 2);
	ck_assert_int_eq(match(&r4, &m, &out), 0);
	m = diag_msg(AF_INET, 1, "10.1.2.3", 444, "10.9.8.7", 50000, 0, 1, 2);
	ck_assert_int_eq(match(&r4, &m, &out), 0);
	m = diag_msg(AF_INET, 1, "10.1.2.4", 443, "10.9.8.7", 50000, 0, 1, 2);
	ck_assert_int_eq(match(&r4, &m, &out), 0);
	m = diag_msg(AF_INET, 1, "10.1.2.3", 443, "10.9.8.6", 50000, 0, 1, 2);
	ck_assert_int_eq(match(&r4, &m, &out), 0);
	m = diag_msg(AF_INET6, 1, "::10.1.2.3", 443, "::ffff:10.9.8.7", 50000, 0, 1, 2);
	ck_assert_int_eq(match(&r4, &m, &out), 0);
	/* Never a listener, nor a state the tables do not know. */
	m = diag_msg(AF_INET, 10, "10.1.2.3", 443, "10.9.8.7", 50000, 0, 1, 2);
	ck_assert_int_eq(match(&r4, &m, &out), 0);
	m = diag_msg(AF_INET, 13, "10.1.2.3", 443, "10.9.8.7", 50000, 0, 1, 2);
	ck_assert_int_eq(match(&r4, &m, &out), 0);
	/* An IPv6 row: only AF_INET6 sockets; the zone of a link-local row
	 * is the socket's device, when the row names one. */
	struct tt_conn r6 = row_of(AF_INET6, "fe80::1", 22, "fe80::2", 40000, 3);
	m = diag_msg(AF_INET6, 1, "fe80::1", 22, "fe80::2", 40000, 3, 1, 2);
	ck_assert_int_eq(match(&r6, &m, &out), 1);
	m = diag_msg(AF_INET6, 1, "fe80::1", 22, "fe80::2", 40000, 4, 1, 2);
	ck_assert_int_eq(match(&r6, &m, &out), 0);
	r6.lscope = 0;
	ck_assert_int_eq(match(&r6, &m, &out), 1);
	struct tt_conn g6 = row_of(AF_INET6, "2001:db8::1", 22, "2001:db8::2", 40000, 5);
	m = diag_msg(AF_INET6, 1, "2001:db8::1", 22, "2001:db8::2", 40000, 2, 1, 2);
	ck_assert_int_eq(match(&g6, &m, &out), 1);
	struct tt_conn v4in6 = row_of(AF_INET, "10.1.2.3", 22, "10.9.8.7", 40000, 0);
	v4in6.family = AF_INET6;
	ck_assert_int_eq(match(&v4in6, &m, &out), 0);
	/* Too short to be a reply. */
	ck_assert_int_eq(tt_diag_match(&r4, m.b, sizeof(struct inet_diag_msg) - 1, &out), -EBADMSG);
}
END_TEST

/* SOCK_DESTROY names the socket by the whole identity the lookup returned,
 * cookie and device included, so the kernel acts on that socket only. */
START_TEST(destroy_request_names_the_socket_found)
{
	struct msgbuf m = diag_msg(AF_INET6, 1, "::ffff:127.0.0.1", 4000, "::ffff:127.0.0.1", 54321,
				   6, 1, 0xfeedfacecafebeefull);
	struct inet_diag_msg found;
	memcpy(&found, m.b, sizeof(found));
	unsigned char buf[TT_DESTROY_REQUEST_SIZE + 16];
	memset(buf, 0xee, sizeof(buf));
	struct nlmsghdr *nlh = tt_destroy_request(buf, found.idiag_family, &found.id);
	ck_assert_ptr_eq(nlh, (void *)buf);
	ck_assert_uint_eq(nlh->nlmsg_len, TT_DESTROY_REQUEST_SIZE);
	ck_assert_uint_eq(nlh->nlmsg_type, SOCK_DESTROY);
	ck_assert_uint_eq(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	struct inet_diag_req_v2 r;
	memcpy(&r, buf + NLMSG_HDRLEN, sizeof(r));
	ck_assert_uint_eq(r.sdiag_family, AF_INET6);
	ck_assert_uint_eq(r.sdiag_protocol, IPPROTO_TCP);
	ck_assert_uint_eq(r.idiag_ext, 0);
	ck_assert_mem_eq(&r.id, &found.id, sizeof(r.id));
	ck_assert_uint_eq(r.id.idiag_cookie[0], 0xcafebeefu);
	ck_assert_uint_eq(r.id.idiag_cookie[1], 0xfeedfaceu);
	ck_assert_uint_eq(r.id.idiag_if, 6);
	ck_assert(r.id.idiag_cookie[0] != INET_DIAG_NOCOOKIE);
}
END_TEST

START_TEST(pid_names)
{
	uint32_t pid = 0;
	ck_assert(tt_parse_pid("1", &pid) && pid == 1);
	ck_assert(tt_parse_pid("4194304", &pid) && pid == 4194304);
	ck_assert(tt_parse_pid("4294967295", &pid) && pid == 4294967295u);
	const char *bad[] = { "", "0", "007", "4294967296", "99999999999", "12a", "-1", "self",
			      "1 ", " 1", "thread-self" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!tt_parse_pid(bad[i], &pid), "accepted \"%s\"", bad[i]);
}
END_TEST

static bool link_ok(const char *s, uint32_t *inode)
{
	return tt_parse_socket_link(s, strlen(s), inode);
}

START_TEST(socket_links)
{
	uint32_t ino = 0;
	ck_assert(link_ok("socket:[12345]", &ino) && ino == 12345);
	ck_assert(link_ok("socket:[4294967295]", &ino) && ino == 4294967295u);
	const char *bad[] = { "socket:[]", "socket:[0]", "socket:[12", "socket:12]", "socket:[1x]",
			      "socket:[4294967296]", "anon_inode:[eventpoll]", "pipe:[123]",
			      "/dev/null", "socket:[123]]", "socket:[-5]", "" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!link_ok(bad[i], &ino), "accepted \"%s\"", bad[i]);
	/* Only the bytes given count: a target cut by readlinkat() fails. */
	ck_assert(!tt_parse_socket_link("socket:[12345]", 13, &ino));
	char longer[TT_SOCKET_LINK_MAX + 8];
	memset(longer, '1', sizeof(longer));
	memcpy(longer, "socket:[", 8);
	longer[sizeof(longer) - 1] = ']';
	ck_assert(!tt_parse_socket_link(longer, sizeof(longer), &ino));
}
END_TEST

static const char snmp_text[] =
	"Ip: Forwarding DefaultTTL InReceives\n"
	"Ip: 1 64 12345\n"
	"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails "
	"EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors\n"
	"Tcp: 1 200 120000 -1 41 17 3 2 9 18446744073709551615 5000000000 12 1 8 0\n"
	"Udp: InDatagrams NoPorts\n"
	"Udp: 1 2\n";

START_TEST(snmp_tcp_section)
{
	struct tt_tcp_mib m;
	ck_assert_int_eq(tt_parse_snmp_tcp(snmp_text, sizeof(snmp_text) - 1, &m), 0);
	ck_assert_uint_eq(m.rto_algorithm, 1);
	ck_assert_uint_eq(m.rto_min, 200);
	ck_assert_uint_eq(m.rto_max, 120000);
	ck_assert(m.max_conn == -1);
	ck_assert(m.active_opens == 41 && m.passive_opens == 17);
	ck_assert(m.attempt_fails == 3 && m.estab_resets == 2);
	ck_assert(m.in_segs == UINT64_MAX && m.out_segs == 5000000000ull);
	ck_assert(m.retrans_segs == 12 && m.in_errs == 1 && m.out_rsts == 8);

	/* Columns matched by name: reordered, extra and missing counters. */
	const char moved[] = "Tcp: MaxConn Future RtoMax RtoMin RtoAlgorithm OutRsts\n"
			     "Tcp: 5 99 3000 100 4 77\n";
	ck_assert_int_eq(tt_parse_snmp_tcp(moved, sizeof(moved) - 1, &m), 0);
	ck_assert(m.max_conn == 5 && m.rto_max == 3000 && m.rto_min == 100);
	ck_assert(m.rto_algorithm == 4 && m.out_rsts == 77 && m.active_opens == 0);
}
END_TEST

START_TEST(snmp_malformed)
{
	struct tt_tcp_mib m;
	const char *bad[] = {
		"",
		"Ip: 1 2\n",
		"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn\n",		  /* no value line */
		"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn\nTcp: 1 200\n",	  /* short */
		"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn\nTcp: 1 2x 3 4\n",	  /* not a number */
		"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn\nTcp: 1 2 3 -\n",	  /* lone sign */
		"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn\nTcp: 1 2 3 184467440737095516150\n",
		"Tcp: ActiveOpens PassiveOpens\nTcp: 1 2\n", /* not the RFC group */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(tt_parse_snmp_tcp(bad[i], strlen(bad[i]), &m) == -EBADMSG, "case %zu", i);
	/* The length bounds the parse: the value line cut off is malformed. */
	ck_assert_int_eq(tt_parse_snmp_tcp(snmp_text, 200, &m), -EBADMSG);
}
END_TEST

/* ---- UDP (SPEC §10). */

START_TEST(udp_messages)
{
	uint8_t off = 0, on = 1;
	struct tt_conn c;
	/* Unconnected (TCP_CLOSE) and connected (TCP_ESTABLISHED): state 0. */
	struct msgbuf m = diag_msg(AF_INET, 7, "127.0.0.1", 53, "0.0.0.0", 0, 0, 9, 3);
	ck_assert_int_eq(tt_diag_decode_as(TT_PROTO_UDP, m.b, m.len, &c), 1);
	ck_assert_uint_eq(c.state, 0);
	ck_assert_uint_eq(c.lport, htons(53));
	ck_assert_uint_eq(c.owner_key, 9);
	m = diag_msg(AF_INET, 1, "127.0.0.1", 4000, "127.0.0.1", 53, 0, 10, 4);
	ck_assert_int_eq(tt_diag_decode_as(TT_PROTO_UDP, m.b, m.len, &c), 1);
	ck_assert_uint_eq(c.state, 0);
	/* Any other state is not a UDP socket we list. */
	m = diag_msg(AF_INET, 10, "127.0.0.1", 53, "0.0.0.0", 0, 0, 9, 3);
	ck_assert_int_eq(tt_diag_decode_as(TT_PROTO_UDP, m.b, m.len, &c), 0);
	/* [::] without V6ONLY is dual-stack, connected or not; with it, not. */
	m = diag_msg(AF_INET6, 7, "::", 5353, "::", 0, 0, 5, 1);
	add_attr(&m, INET_DIAG_SKV6ONLY, &off, 1);
	ck_assert_int_eq(tt_diag_decode_as(TT_PROTO_UDP, m.b, m.len, &c), 1);
	ck_assert_uint_eq(c.flags & TT_CONN_DUALSTACK, TT_CONN_DUALSTACK);
	m = diag_msg(AF_INET6, 7, "::", 5353, "::", 0, 0, 5, 1);
	add_attr(&m, INET_DIAG_SKV6ONLY, &on, 1);
	ck_assert_int_eq(tt_diag_decode_as(TT_PROTO_UDP, m.b, m.len, &c), 1);
	ck_assert_uint_eq(c.flags & TT_CONN_DUALSTACK, 0);
	/* The same message as TCP (CLOSE, not LISTEN) is never dual-stack. */
	m = diag_msg(AF_INET6, 7, "::", 5353, "::", 0, 0, 5, 1);
	add_attr(&m, INET_DIAG_SKV6ONLY, &off, 1);
	ck_assert_int_eq(tt_diag_decode(m.b, m.len, &c), 1);
	ck_assert_uint_eq(c.flags & TT_CONN_DUALSTACK, 0);
	/* Link-local: the bound device is the scope. */
	m = diag_msg(AF_INET6, 7, "fe80::1", 5353, "::", 0, 4, 5, 1);
	add_attr(&m, INET_DIAG_SKV6ONLY, &off, 1);
	ck_assert_int_eq(tt_diag_decode_as(TT_PROTO_UDP, m.b, m.len, &c), 1);
	ck_assert_uint_eq(c.lscope, 4);
	ck_assert_uint_eq(tt_diag_proto_state_mask(TT_PROTO_UDP, TT_STATES_ALL),
			  1u << 1 | 1u << 7);
	ck_assert_uint_eq(tt_diag_proto_state_mask(TT_PROTO_TCP, TT_STATES_LISTEN), 1u << 10);
}
END_TEST

static const char snmp_udp_text[] =
	"Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors "
	"IgnoredMulti MemErrors\n"
	"Udp: 4294967301 7 3 12 0 0 0 0 0\n"
	"UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors "
	"InCsumErrors IgnoredMulti MemErrors\n"
	"UdpLite: 99 99 99 99 0 0 0 0 0\n";

static const char snmp6_text[] =
	"Ip6InReceives                   \t5\n"
	"Udp6InDatagrams                 \t21\n"
	"Udp6NoPorts                     \t2\n"
	"Udp6InErrors                    \t1\n"
	"Udp6OutDatagrams                \t30\n"
	"UdpLite6InDatagrams             \t77\n";

START_TEST(snmp_udp_sections)
{
	struct tt_udp_mib m;
	ck_assert_int_eq(tt_parse_snmp_udp(snmp_udp_text, sizeof(snmp_udp_text) - 1, &m), 0);
	ck_assert(m.in_datagrams == 4294967301ull);
	ck_assert(m.no_ports == 7 && m.in_errors == 3 && m.out_datagrams == 12);
	ck_assert_int_eq(tt_parse_snmp6_udp(snmp6_text, sizeof(snmp6_text) - 1, &m), 0);
	ck_assert(m.in_datagrams == 21 && m.no_ports == 2 && m.in_errors == 1 &&
		  m.out_datagrams == 30);
	/* The TCP text has no Udp lines; UdpLite alone is not UDP. */
	static const char lite[] = "UdpLite: InDatagrams OutDatagrams\nUdpLite: 1 2\n";
	ck_assert_int_eq(tt_parse_snmp_udp(lite, sizeof(lite) - 1, &m), -EBADMSG);
	static const char lite6[] = "UdpLite6InDatagrams 1\nUdpLite6OutDatagrams 2\n";
	ck_assert_int_eq(tt_parse_snmp6_udp(lite6, sizeof(lite6) - 1, &m), -EBADMSG);
	static const char bad6[] = "Udp6InDatagrams x\nUdp6OutDatagrams 2\n";
	ck_assert_int_eq(tt_parse_snmp6_udp(bad6, sizeof(bad6) - 1, &m), -EBADMSG);
	static const char short4[] = "Udp: InDatagrams NoPorts\nUdp: 1\n";
	ck_assert_int_eq(tt_parse_snmp_udp(short4, sizeof(short4) - 1, &m), -EBADMSG);
}
END_TEST

START_TEST(proc_stat_fields)
{
	uint64_t flags = 0, start = 0;
	const char normal[] = "1234 (sleep) S 1 1234 1234 0 -1 4194560 101 0 0 0 0 0 0 0 20 0 1 0 "
			      "987654 8282112 203 18446744073709551615\n";
	ck_assert(tt_parse_proc_stat(normal, sizeof(normal) - 1, &flags, &start));
	ck_assert(flags == 4194560 && start == 987654);
	/* A command name with spaces and parentheses. */
	const char odd[] = "77 (a) (b c) S 1 1 1 0 -1 2097216 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n";
	ck_assert(tt_parse_proc_stat(odd, sizeof(odd) - 1, &flags, &start));
	ck_assert(flags == 2097216 && start == 5 && (flags & TT_PF_KTHREAD));
	const char *bad[] = {
		"",
		"1234 sleep S 1",
		"1234 (sleep) S 1 1234 1234 0 -1 4194560 101 0 0 0 0 0 0 0 20 0 1 0\n", /* short */
		"1234 (sleep) S 1 1234 1234 0 -1 41x 101 0 0 0 0 0 0 0 20 0 1 0 9 1\n",
		"1234 (sleep) S 1 1234 1234 0 -1 4 101 0 0 0 0 0 0 0 20 0 1 0 -9 1\n",
		"1234 (sleep)",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!tt_parse_proc_stat(bad[i], strlen(bad[i]), &flags, &start), "case %zu", i);
}
END_TEST

/* A reply carrying the first info_len bytes of ti as INET_DIAG_INFO, after
 * another attribute, with the queues rq/wq. */
static struct msgbuf info_msg(const struct tcp_info *ti, size_t info_len, uint32_t rq, uint32_t wq)
{
	struct msgbuf m;
	memset(&m, 0, sizeof(m));
	struct inet_diag_msg d;
	memset(&d, 0, sizeof(d));
	d.idiag_family = AF_INET;
	d.idiag_state = 1;
	d.idiag_rqueue = rq;
	d.idiag_wqueue = wq;
	memcpy(m.b, &d, sizeof(d));
	size_t at = sizeof(d);
	struct nlattr a = { NLA_HDRLEN + 1, INET_DIAG_SHUTDOWN };
	memcpy(m.b + at, &a, sizeof(a));
	at += NLA_ALIGN(a.nla_len);
	a.nla_len = (uint16_t)(NLA_HDRLEN + info_len);
	a.nla_type = INET_DIAG_INFO;
	memcpy(m.b + at, &a, sizeof(a));
	memcpy(m.b + at + NLA_HDRLEN, ti, info_len);
	m.len = at + NLA_ALIGN(a.nla_len);
	return m;
}

static struct tcp_info sample_info(void)
{
	struct tcp_info ti;
	memset(&ti, 0, sizeof(ti));
	ti.tcpi_retransmits = 2;
	ti.tcpi_options = 4 | 1; /* TCPI_OPT_WSCALE | TCPI_OPT_TIMESTAMPS */
	ti.tcpi_snd_wscale = 7;
	ti.tcpi_rcv_wscale = 9;
	ti.tcpi_rto = 201000;
	ti.tcpi_snd_mss = 1448;
	ti.tcpi_advmss = 1460;
	ti.tcpi_rtt = 5123;
	ti.tcpi_rttvar = 77;
	ti.tcpi_snd_cwnd = 10;
	ti.tcpi_snd_ssthresh = 20;
	ti.tcpi_reordering = 3;
	ti.tcpi_total_retrans = 11;
	ti.tcpi_bytes_acked = 1000001;
	ti.tcpi_bytes_received = 300000;
	ti.tcpi_segs_out = 700;
	ti.tcpi_notsent_bytes = 40;
	ti.tcpi_min_rtt = 33;
	ti.tcpi_data_segs_out = 690;
	ti.tcpi_delivery_rate = 123456;
	ti.tcpi_busy_time = 9000;
	ti.tcpi_bytes_sent = 1000100;
	ti.tcpi_dsack_dups = 5;
	ti.tcpi_snd_wnd = 65535;
	return ti;
}

START_TEST(estats_info_full)
{
	struct tcp_info ti = sample_info();
	struct msgbuf m = info_msg(&ti, sizeof(ti), 17, 140);
	struct tt_tcp_info o;
	ck_assert_int_eq(tt_diag_tcp_info(m.b, m.len, &o), 0);
	ck_assert_uint_eq(o.rtt_us, 5123);
	ck_assert_uint_eq(o.rto_us, 201000);
	ck_assert_uint_eq(o.snd_cwnd, 14480);
	ck_assert_uint_eq(o.snd_ssthresh, 28960);
	ck_assert(o.wscale);
	ck_assert_uint_eq(o.snd_wscale, 7);
	ck_assert_uint_eq(o.rcv_wscale, 9);
	ck_assert_uint_eq(o.cur_timeouts, 2);
	ck_assert_uint_eq(o.bytes_acked, 1000001);
	ck_assert_uint_eq(o.bytes_sent, 1000100);
	ck_assert_uint_eq(o.data_segs_out, 690);
	ck_assert_uint_eq(o.min_rtt_us, 33);
	ck_assert_uint_eq(o.delivery_rate, 123456);
	ck_assert_uint_eq(o.dsack_dups, 5);
	ck_assert_uint_eq(o.snd_wnd, 65535);
	ck_assert_uint_eq(o.notsent_bytes, 40);
	ck_assert_uint_eq(o.unacked_bytes, 100); /* wqueue less the unsent */
	ck_assert_uint_eq(o.unread_bytes, 17);
}
END_TEST

/* Older kernels send a shorter tcp_info: what is beyond it reads 0. */
START_TEST(estats_info_by_length)
{
	struct tcp_info ti = sample_info();
	/* Linux 3.x: up to tcpi_total_retrans (104 bytes). */
	struct msgbuf m = info_msg(&ti, offsetof(struct tcp_info, tcpi_pacing_rate), 0, 0);
	struct tt_tcp_info o;
	ck_assert_int_eq(tt_diag_tcp_info(m.b, m.len, &o), 0);
	ck_assert_uint_eq(o.rtt_us, 5123);
	ck_assert_uint_eq(o.snd_cwnd, 14480);
	ck_assert_uint_eq(o.bytes_acked, 0);
	ck_assert_uint_eq(o.min_rtt_us, 0);
	/* Linux 4.6..4.18: no bytes_sent yet. */
	m = info_msg(&ti, offsetof(struct tcp_info, tcpi_delivery_rate), 0, 0);
	ck_assert_int_eq(tt_diag_tcp_info(m.b, m.len, &o), 0);
	ck_assert_uint_eq(o.bytes_acked, 1000001);
	ck_assert_uint_eq(o.min_rtt_us, 33);
	ck_assert_uint_eq(o.delivery_rate, 0);
	ck_assert_uint_eq(o.bytes_sent, 0);
	/* Cut inside a field: the field is partial, the rest 0, no over-read. */
	m = info_msg(&ti, offsetof(struct tcp_info, tcpi_rtt) + 1, 0, 0);
	ck_assert_int_eq(tt_diag_tcp_info(m.b, m.len, &o), 0);
	ck_assert_uint_eq(o.rtt_us, 5123 & 0xff);
	ck_assert_uint_eq(o.snd_cwnd, 0);
	/* No INET_DIAG_INFO at all (a TIME_WAIT socket): everything 0. */
	m = info_msg(&ti, 0, 3, 0);
	ck_assert_int_eq(tt_diag_tcp_info(m.b, m.len - NLA_HDRLEN, &o), 0);
	ck_assert_uint_eq(o.rtt_us, 0);
	ck_assert_uint_eq(o.unread_bytes, 3);
	/* Malformed: short header, attribute overrunning the payload. */
	ck_assert_int_eq(tt_diag_tcp_info(m.b, sizeof(struct inet_diag_msg) - 1, &o), -EBADMSG);
	m = info_msg(&ti, sizeof(ti), 0, 0);
	ck_assert_int_eq(tt_diag_tcp_info(m.b, m.len - 8, &o), -EBADMSG);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("decode");
	TCase *tc = tcase_create("decode");
	tcase_add_test(tc, ipv4_established);
	tcase_add_test(tc, ipv6_listener_v6only_flag);
	tcase_add_test(tc, scope_ids_only_for_link_local);
	tcase_add_test(tc, request_and_timewait_sockets);
	tcase_add_test(tc, messages_to_skip);
	tcase_add_test(tc, malformed_messages);
	tcase_add_test(tc, datagram_walk);
	tcase_add_test(tc, linux_state_map);
	tcase_add_test(tc, request_state_masks);
	tcase_add_test(tc, exact_lookup_filter);
	tcase_add_test(tc, exact_lookup_check);
	tcase_add_test(tc, destroy_request_names_the_socket_found);
	tcase_add_test(tc, estats_info_full);
	tcase_add_test(tc, estats_info_by_length);
	tcase_add_test(tc, pid_names);
	tcase_add_test(tc, socket_links);
	tcase_add_test(tc, snmp_tcp_section);
	tcase_add_test(tc, snmp_malformed);
	tcase_add_test(tc, proc_stat_fields);
	tcase_add_test(tc, udp_messages);
	tcase_add_test(tc, snmp_udp_sections);
	suite_add_tcase(s, tc);
	return tt_run_suite(s);
}
