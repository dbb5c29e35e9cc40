/*
 * test_frontend.c - the front end (src/common) on records chosen by the
 * test, through a mock backend: row conversion, the v4-mapped and
 * dual-stack rules, duplicate removal (its rules and its cost), sort order,
 * owners, sizing, allocation failures and the statistics' row counts.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <check.h>
#include <iphlpapi.h>

#include "hooks.h"
#include "table_get.h"
#include "mock_backend.h"
#include "records.h"
#include "run_suite.h"

static struct tt_conn conn4(const char *l, uint16_t lp, const char *r, uint16_t rp,
			    unsigned state, uint32_t key, uint64_t cookie)
{
	struct tt_conn c;
	memset(&c, 0, sizeof(c));
	c.family = AF_INET;
	c.state = (uint8_t)state;
	ck_assert_int_eq(inet_pton(AF_INET, l, c.laddr), 1);
	ck_assert_int_eq(inet_pton(AF_INET, r, c.raddr), 1);
	c.lport = htons(lp);
	c.rport = htons(rp);
	c.owner_key = key;
	c.cookie = cookie;
	return c;
}

static struct tt_conn conn6(const char *l, uint32_t ls, uint16_t lp, const char *r, uint32_t rs,
			    uint16_t rp, unsigned state, uint32_t key, uint64_t cookie)
{
	struct tt_conn c;
	memset(&c, 0, sizeof(c));
	c.family = AF_INET6;
	c.state = (uint8_t)state;
	ck_assert_int_eq(inet_pton(AF_INET6, l, c.laddr), 1);
	ck_assert_int_eq(inet_pton(AF_INET6, r, c.raddr), 1);
	c.lscope = ls;
	c.rscope = rs;
	c.lport = htons(lp);
	c.rport = htons(rp);
	c.owner_key = key;
	c.cookie = cookie;
	return c;
}

static void serve(const struct tt_conn *conns, size_t n)
{
	memset(&tt_mock, 0, sizeof(tt_mock));
	tt_mock.conns = conns;
	tt_mock.n = n;
}

static void reset(void)
{
	memset(&tt_mock, 0, sizeof(tt_mock));
	tt_hooks_reset();
}

START_TEST(ipv4_row_fields)
{
	struct tt_conn c[] = {
		conn4("10.1.2.3", 443, "192.168.7.9", 51000, MIB_TCP_STATE_ESTAB, 77, 1),
	};
	serve(c, 1);
	const struct tt_mock_claim claims[] = { { 77, 4242 } };
	tt_mock.claims = claims;
	tt_mock.nclaims = 1;
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 1);
	MIB_TCPROW2 *r = &ROW(t, 0);
	ck_assert_uint_eq(r->dwState, MIB_TCP_STATE_ESTAB);
	ck_assert_uint_eq(r->dwLocalAddr, a4("10.1.2.3"));
	ck_assert_uint_eq(r->dwLocalPort, htons(443));
	ck_assert_uint_eq(r->dwRemoteAddr, a4("192.168.7.9"));
	ck_assert_uint_eq(r->dwRemotePort, htons(51000));
	ck_assert_uint_eq(r->dwOwningPid, 4242);
	ck_assert_uint_eq(r->dwOffloadState, 0);
	free(t);
}
END_TEST

START_TEST(ipv6_row_fields)
{
	struct tt_conn c[] = {
		conn6("fe80::1", 3, 22, "fe80::2", 3, 40000, MIB_TCP_STATE_CLOSE_WAIT, 9, 1),
	};
	serve(c, 1);
	const struct tt_mock_claim claims[] = { { 9, 77 } };
	tt_mock.claims = claims;
	tt_mock.nclaims = 1;
	PMIB_TCP6TABLE2 t = get6_2();
	ck_assert_uint_eq(t->dwNumEntries, 1);
	MIB_TCP6ROW2 *r = &ROW(t, 0);
	ck_assert_mem_eq(&r->LocalAddr, c[0].laddr, 16);
	ck_assert_mem_eq(&r->RemoteAddr, c[0].raddr, 16);
	ck_assert_uint_eq(r->dwLocalScopeId, 3);
	ck_assert_uint_eq(r->dwRemoteScopeId, 3);
	ck_assert_uint_eq(r->dwLocalPort, htons(22));
	ck_assert_uint_eq(r->dwRemotePort, htons(40000));
	ck_assert_uint_eq(r->State, MIB_TCP_STATE_CLOSE_WAIT);
	ck_assert_uint_eq(r->dwOwningPid, 77);
	free(t);
	PMIB_TCP6TABLE b = get6();
	ck_assert_uint_eq(ROW(b, 0).State, MIB_TCP_STATE_CLOSE_WAIT);
	ck_assert_uint_eq(ROW(b, 0).dwLocalScopeId, 3);
	free(b);
}
END_TEST

/* Whatever the backend says, a LISTEN row's remote columns are zero. */
START_TEST(listener_remote_columns_are_zero)
{
	struct tt_conn c[] = {
		conn4("0.0.0.0", 80, "1.2.3.4", 99, MIB_TCP_STATE_LISTEN, 0, 1),
		conn6("::", 0, 80, "2001:db8::1", 5, 99, MIB_TCP_STATE_LISTEN, 0, 2),
	};
	serve(c, 2);
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, 1);
	ck_assert_uint_eq(ROW(t, 0).dwRemoteAddr, 0);
	ck_assert_uint_eq(ROW(t, 0).dwRemotePort, 0);
	free(t);
	PMIB_TCP6TABLE t6 = get6();
	ck_assert_uint_eq(t6->dwNumEntries, 1);
	static const uint8_t zero[16];
	ck_assert_mem_eq(&ROW(t6, 0).RemoteAddr, zero, 16);
	ck_assert_uint_eq(ROW(t6, 0).dwRemoteScopeId, 0);
	ck_assert_uint_eq(ROW(t6, 0).dwRemotePort, 0);
	free(t6);
}
END_TEST

START_TEST(v4mapped_and_dual_stack_routing)
{
	struct tt_conn c[] = {
		conn6("::ffff:10.0.0.1", 0, 80, "::ffff:10.0.0.2", 0, 5000, MIB_TCP_STATE_ESTAB, 0, 1),
		conn6("::", 0, 8080, "::", 0, 0, MIB_TCP_STATE_LISTEN, 0, 2),
		conn6("::", 0, 9090, "::", 0, 0, MIB_TCP_STATE_LISTEN, 0, 3),
		conn6("2001:db8::1", 0, 443, "2001:db8::2", 0, 6000, MIB_TCP_STATE_ESTAB, 0, 4),
	};
	c[1].flags = TT_CONN_DUALSTACK;
	serve(c, 4);
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, 2);
	/* 0.0.0.0:8080 (the dual-stack listener) sorts first. */
	ck_assert_uint_eq(ROW(t, 0).dwLocalAddr, 0);
	ck_assert_uint_eq(ROW(t, 0).dwLocalPort, htons(8080));
	ck_assert_uint_eq(ROW(t, 0).dwState, MIB_TCP_STATE_LISTEN);
	ck_assert_uint_eq(ROW(t, 1).dwLocalAddr, a4("10.0.0.1"));
	ck_assert_uint_eq(ROW(t, 1).dwRemoteAddr, a4("10.0.0.2"));
	ck_assert_uint_eq(ROW(t, 1).dwRemotePort, htons(5000));
	free(t);
	PMIB_TCP6TABLE t6 = get6();
	ck_assert_uint_eq(t6->dwNumEntries, 3);
	ck_assert_uint_eq(ROW(t6, 0).dwLocalPort, htons(8080));
	ck_assert_uint_eq(ROW(t6, 1).dwLocalPort, htons(9090));
	ck_assert_uint_eq(ROW(t6, 2).dwLocalPort, htons(443));
	free(t6);
	/* The IPv4 table needs the IPv6 sockets too; the IPv6 table does not
	 * need the IPv4 ones. */
	ck_assert_uint_eq(tt_mock.last_table, 2);
}
END_TEST

/* ---- UDP (SPEC §10): the same machinery with the protocol as parameter. */

/* GetExtendedUdpTable(af, cls) through the two-call pattern. */
static void *get_udp(ULONG af, UDP_TABLE_CLASS cls)
{
	DWORD size = 0;
	ck_assert_uint_eq(GetExtendedUdpTable(NULL, &size, TRUE, af, cls, 0),
			  ERROR_INSUFFICIENT_BUFFER);
	void *t = malloc(size);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(GetExtendedUdpTable(t, &size, TRUE, af, cls, 0), NO_ERROR);
	return t;
}

START_TEST(udp_rows_routing_and_order)
{
	struct tt_conn c[] = {
		conn4("10.0.0.1", 4000, "10.0.0.9", 53, 0, 11, 1), /* connected */
		conn4("10.0.0.1", 53, "0.0.0.0", 0, 0, 12, 2),
		conn6("::", 0, 5353, "::", 0, 0, 0, 13, 3), /* dual-stack */
		conn6("::", 0, 5354, "::", 0, 0, 0, 14, 4), /* V6ONLY */
		conn6("::ffff:127.0.0.1", 0, 77, "::ffff:127.0.0.1", 0, 53, 0, 15, 5),
		conn6("fe80::1", 3, 99, "::", 0, 0, 0, 16, 6),
		conn6("::", 0, 5353, "::", 0, 0, 0, 13, 3), /* reported twice */
	};
	c[2].flags = c[6].flags = TT_CONN_DUALSTACK;
	serve(c, 7);
	const struct tt_mock_claim claims[] = { { 11, 100 }, { 12, 101 }, { 13, 102 },
						{ 14, 103 }, { 15, 104 }, { 16, 105 } };
	tt_mock.claims = claims;
	tt_mock.nclaims = 6;
	PMIB_UDPTABLE_OWNER_PID t = get_udp(AF_INET, UDP_TABLE_OWNER_PID);
	ck_assert_uint_eq(tt_mock.last_proto, TT_PROTO_UDP);
	ck_assert_uint_eq(tt_mock.last_states, TT_STATES_ALL);
	ck_assert_uint_eq(t->dwNumEntries, 4);
	static const struct { const char *a; uint16_t p; DWORD pid; } w4[] = {
		{ "0.0.0.0", 5353, 102 }, { "10.0.0.1", 53, 101 }, { "10.0.0.1", 4000, 100 },
		{ "127.0.0.1", 77, 104 },
	};
	for (int i = 0; i < 4; i++) {
		ck_assert_uint_eq(ROW(t, i).dwLocalAddr, a4(w4[i].a));
		ck_assert_uint_eq(ROW(t, i).dwLocalPort, htons(w4[i].p));
		ck_assert_uint_eq(ROW(t, i).dwOwningPid, w4[i].pid);
	}
	free(t);
	PMIB_UDP6TABLE t6 = get_udp(AF_INET6, UDP_TABLE_BASIC);
	ck_assert_uint_eq(t6->dwNumEntries, 3);
	ck_assert_uint_eq(ROW(t6, 0).dwLocalPort, htons(5353));
	ck_assert_uint_eq(ROW(t6, 1).dwLocalPort, htons(5354));
	ck_assert_uint_eq(ROW(t6, 2).dwLocalPort, htons(99));
	ck_assert_uint_eq(ROW(t6, 2).dwLocalScopeId, 3);
	ck_assert_uint_eq(ROW(t6, 0).dwLocalScopeId, 0);
	free(t6);
	/* GetUdpTable and GetUdp6Table are the BASIC classes. */
	ULONG size = 0;
	ck_assert_uint_eq(GetUdpTable(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(size, 4 + 4 * sizeof(MIB_UDPROW));
	ck_assert_uint_eq(GetUdp6Table(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(size, 4 + 3 * sizeof(MIB_UDP6ROW));
}
END_TEST

/* SO_REUSEPORT: several sockets on one endpoint are several rows, in a
 * deterministic order (socket cookie), whatever order the dump gave. */
START_TEST(udp_shared_endpoint_rows_in_cookie_order)
{
	struct tt_conn c[] = {
		conn4("127.0.0.1", 53, "0.0.0.0", 0, 0, 21, 9),
		conn4("127.0.0.1", 53, "0.0.0.0", 0, 0, 20, 7),
		conn4("127.0.0.1", 53, "127.0.0.1", 8, 0, 22, 8),
	};
	serve(c, 3);
	const struct tt_mock_claim claims[] = { { 20, 300 }, { 21, 301 }, { 22, 302 } };
	tt_mock.claims = claims;
	tt_mock.nclaims = 3;
	PMIB_UDPTABLE_OWNER_PID t = get_udp(AF_INET, UDP_TABLE_OWNER_PID);
	ck_assert_uint_eq(t->dwNumEntries, 3);
	ck_assert_uint_eq(ROW(t, 0).dwOwningPid, 300);
	ck_assert_uint_eq(ROW(t, 1).dwOwningPid, 302);
	ck_assert_uint_eq(ROW(t, 2).dwOwningPid, 301);
	free(t);
}
END_TEST

START_TEST(udp_module_rows_and_sizing_without_owner_scan)
{
	struct tt_conn c[] = { conn4("127.0.0.1", 53, "0.0.0.0", 0, 0, 20, 7),
			       conn6("::1", 0, 54, "::", 0, 0, 0, 21, 8) };
	serve(c, 2);
	const struct tt_mock_claim claims[] = { { 20, 300 }, { 21, 301 } };
	tt_mock.claims = claims;
	tt_mock.nclaims = 2;
	DWORD size = 0;
	ck_assert_uint_eq(GetExtendedUdpTable(NULL, &size, TRUE, AF_INET, UDP_TABLE_OWNER_MODULE, 0),
			  ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(size, 8 + sizeof(MIB_UDPROW_OWNER_MODULE));
	ck_assert_uint_eq(tt_mock.owner_calls, 0);
	ck_assert(!tt_mock.last_owners);
	unsigned char *b = malloc(size);
	memset(b, 0xa5, size);
	ck_assert_uint_eq(GetExtendedUdpTable(b, &size, TRUE, AF_INET, UDP_TABLE_OWNER_MODULE, 0),
			  NO_ERROR);
	ck_assert_uint_eq(tt_mock.owner_calls, 1);
	MIB_UDPROW_OWNER_MODULE r;
	memcpy(&r, b + 8, sizeof(r));
	ck_assert_uint_eq(r.dwOwningPid, 300);
	ck_assert_int_eq(r.dwFlags, 0);
	ck_assert(r.liCreateTimestamp.QuadPart == 0);
	ck_assert(r.OwningModuleInfo[0] == 0 && r.OwningModuleInfo[1] == TT_MOCK_KEY(300));
	/* Padding after dwNumEntries, after dwOwningPid and after dwFlags: 0. */
	for (size_t i = 4; i < 8; i++)
		ck_assert_uint_eq(b[i], 0);
	for (size_t i = 12; i < 16; i++)
		ck_assert_uint_eq(b[8 + i], 0);
	for (size_t i = 28; i < 32; i++)
		ck_assert_uint_eq(b[8 + i], 0);
	free(b);
	MIB_UDP6ROW_OWNER_MODULE *t6 = get_udp(AF_INET6, UDP_TABLE_OWNER_MODULE);
	unsigned char *row6 = (unsigned char *)t6 + 8;
	for (size_t i = 28; i < 32; i++)
		ck_assert_uint_eq(row6[i], 0);
	for (size_t i = 44; i < 48; i++)
		ck_assert_uint_eq(row6[i], 0);
	free(t6);
}
END_TEST

START_TEST(udp_statistics_from_the_backend)
{
	struct tt_conn c[] = { conn4("127.0.0.1", 53, "0.0.0.0", 0, 0, 20, 7),
			       conn6("::", 0, 54, "::", 0, 0, 0, 21, 8) };
	c[1].flags = TT_CONN_DUALSTACK;
	serve(c, 2);
	tt_mock.udp_mib = (struct tt_udp_mib){ 0x100000005ull, 6, 7, 0x200000008ull };
	MIB_UDPSTATS s;
	ck_assert_uint_eq(GetUdpStatistics(&s), NO_ERROR);
	ck_assert_uint_eq(tt_mock.last_proto, TT_PROTO_UDP);
	/* 32-bit fields: the low 32 bits, as the kernel's counters wrap. */
	ck_assert_uint_eq(s.dwInDatagrams, 5);
	ck_assert_uint_eq(s.dwNoPorts, 6);
	ck_assert_uint_eq(s.dwInErrors, 7);
	ck_assert_uint_eq(s.dwOutDatagrams, 8);
	ck_assert_uint_eq(s.dwNumAddrs, 2); /* the dual-stack socket counts here too */
	MIB_UDPSTATS2 s2;
	memset(&s2, 0xa5, sizeof(s2));
	ck_assert_uint_eq(GetUdpStatisticsEx2(&s2, AF_INET6), NO_ERROR);
	ck_assert(s2.dw64InDatagrams == 0x100000005ull && s2.dw64OutDatagrams == 0x200000008ull);
	ck_assert_uint_eq(s2.dwNumAddrs, 1);
	const unsigned char *raw = (const unsigned char *)&s2;
	for (size_t i = 28; i < 32; i++)
		ck_assert_uint_eq(raw[i], 0);
	/* A failure leaves the caller's struct alone. */
	tt_mock.udp_mib_err = -EOPNOTSUPP;
	memset(&s, 0x5a, sizeof(s));
	ck_assert_uint_eq(GetUdpStatisticsEx(&s, AF_INET), ERROR_NOT_SUPPORTED);
	ck_assert_uint_eq(s.dwNumAddrs, 0x5a5a5a5a);
	ck_assert_uint_eq(GetUdpStatisticsEx(&s, 99), ERROR_INVALID_PARAMETER);
}
END_TEST

START_TEST(repeated_socket_is_one_row)
{
	struct tt_conn c[] = {
		conn4("127.0.0.1", 1000, "127.0.0.1", 2000, MIB_TCP_STATE_ESTAB, 5, 42),
		conn4("127.0.0.1", 3000, "127.0.0.1", 4000, MIB_TCP_STATE_ESTAB, 6, 43),
		conn4("127.0.0.1", 1000, "127.0.0.1", 2000, MIB_TCP_STATE_ESTAB, 5, 42),
		/* Reported again after it moved on to TIME_WAIT. */
		conn4("127.0.0.1", 3000, "127.0.0.1", 4000, MIB_TCP_STATE_TIME_WAIT, 0, 43),
	};
	serve(c, 4);
	ULONG size = 0;
	ck_assert_uint_eq(GetTcpTable(NULL, &size, FALSE), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(size, 4 + 2 * sizeof(MIB_TCPROW));
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, 2);
	ck_assert_uint_eq(ROW(t, 0).dwLocalPort, htons(1000));
	ck_assert_uint_eq(ROW(t, 1).dwLocalPort, htons(3000));
	free(t);
}
END_TEST

START_TEST(stale_predecessors_yield_the_tuple)
{
	struct tt_conn c[] = {
		/* A request socket and the full socket it became. */
		conn4("10.0.0.1", 80, "10.0.0.9", 1111, MIB_TCP_STATE_SYN_RCVD, 0, 10),
		conn4("10.0.0.1", 80, "10.0.0.9", 1111, MIB_TCP_STATE_ESTAB, 8, 11),
		/* A TIME_WAIT socket whose ports a new connection reused. */
		conn4("10.0.0.1", 2222, "10.0.0.9", 80, MIB_TCP_STATE_TIME_WAIT, 0, 12),
		conn4("10.0.0.1", 2222, "10.0.0.9", 80, MIB_TCP_STATE_SYN_SENT, 9, 13),
		/* Alone, TIME_WAIT and request sockets are rows like any other. */
		conn4("10.0.0.1", 3333, "10.0.0.9", 80, MIB_TCP_STATE_TIME_WAIT, 0, 14),
		conn4("10.0.0.1", 80, "10.0.0.8", 4444, MIB_TCP_STATE_SYN_RCVD, 0, 15),
		/* SO_REUSEPORT listeners share a tuple and are all rows. */
		conn4("0.0.0.0", 53, "0.0.0.0", 0, MIB_TCP_STATE_LISTEN, 20, 31),
		conn4("0.0.0.0", 53, "0.0.0.0", 0, MIB_TCP_STATE_LISTEN, 21, 30),
	};
	serve(c, 8);
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, 6);
	ck_assert_uint_eq(ROW(t, 0).dwLocalPort, htons(53));
	ck_assert_uint_eq(ROW(t, 1).dwLocalPort, htons(53));
	ck_assert_uint_eq(ROW(t, 2).dwRemoteAddr, a4("10.0.0.8"));
	ck_assert_uint_eq(ROW(t, 2).dwState, MIB_TCP_STATE_SYN_RCVD);
	ck_assert_uint_eq(ROW(t, 3).dwRemotePort, htons(1111));
	ck_assert_uint_eq(ROW(t, 3).dwState, MIB_TCP_STATE_ESTAB);
	ck_assert_uint_eq(ROW(t, 4).dwLocalPort, htons(2222));
	ck_assert_uint_eq(ROW(t, 4).dwState, MIB_TCP_STATE_SYN_SENT);
	ck_assert_uint_eq(ROW(t, 5).dwLocalPort, htons(3333));
	ck_assert_uint_eq(ROW(t, 5).dwState, MIB_TCP_STATE_TIME_WAIT);
	free(t);
	/* Ties are ordered by state then cookie: the older listener first. */
	const struct tt_mock_claim claims[] = { { 20, 100 }, { 21, 200 } };
	serve(c, 8);
	tt_mock.claims = claims;
	tt_mock.nclaims = 2;
	PMIB_TCPTABLE2 t2 = get4_2();
	ck_assert_uint_eq(ROW(t2, 0).dwOwningPid, 200);
	ck_assert_uint_eq(ROW(t2, 1).dwOwningPid, 100);
	free(t2);
}
END_TEST

/* ---- Duplicate removal: its cost in a long run, and its rules. */

#define LONG_RUN 16384

/* Distinct cookies in an order unrelated to the records' order, as a
 * kernel's hash chains give them. */
static uint64_t scrambled_cookie(size_t i)
{
	return ((uint64_t)i * 0x9e3779b97f4a7c15ull) ^ 0x5555;
}

/* Record comparisons of one sizing call of GetTcpTable2 (the work; the
 * suite may not time it), with the rows it counted. */
static unsigned long sizing_compares(const struct tt_conn *c, size_t n, ULONG *rows)
{
	serve(c, n);
	ULONG size = 0;
	tt_snapshot_compares = 0;
	ck_assert_uint_eq(GetTcpTable2(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	*rows = (size - 4) / sizeof(MIB_TCPROW2);
	return tt_snapshot_compares;
}

/* SO_REUSEPORT lets any local user put LONG_RUN listeners on one port: one
 * run of identical endpoints.  Removing duplicates from it must not cost
 * more than a little over what LONG_RUN distinct ports cost (issue 10,
 * item 7: it was quadratic). */
START_TEST(long_run_of_one_endpoint_costs_about_as_much_as_distinct_ports)
{
	/* LONG_RUN sockets, then every third of them again (a dump that
	 * reported sockets twice), so that the run holds duplicates too. */
	const size_t n = LONG_RUN, dups = LONG_RUN / 3;
	struct tt_conn *one = calloc(n + dups, sizeof(*one));
	struct tt_conn *many = calloc(n + dups, sizeof(*many));
	ck_assert(one && many);
	for (size_t i = 0; i < n; i++) {
		one[i] = conn4("0.0.0.0", 8080, "0.0.0.0", 0, MIB_TCP_STATE_LISTEN, 0,
			       scrambled_cookie(i));
		one[i].flags = TT_CONN_PID_KNOWN;
		one[i].pid = (uint32_t)i + 1;
		many[i] = one[i];
		many[i].lport = htons((uint16_t)(1024 + i));
	}
	for (size_t i = 0; i < dups; i++) {
		one[n + i] = one[3 * i];
		many[n + i] = many[3 * i];
	}
	ULONG rows_one, rows_many;
	unsigned long w_many = sizing_compares(many, n, &rows_many);
	unsigned long w_one = sizing_compares(one, n, &rows_one);
	ck_assert_uint_eq(rows_many, n);
	ck_assert_uint_eq(rows_one, n);
	ck_assert_uint_gt(w_many, 0);
	ck_assert_msg(w_one < 3 * w_many, "one endpoint: %lu compares, distinct ports: %lu", w_one,
		      w_many);
	w_many = sizing_compares(many, n + dups, &rows_many);
	w_one = sizing_compares(one, n + dups, &rows_one);
	ck_assert_uint_eq(rows_many, n);
	ck_assert_uint_eq(rows_one, n);
	ck_assert_msg(w_one < 3 * w_many, "with repeats: one endpoint %lu, distinct ports %lu",
		      w_one, w_many);

	/* Every listener exactly once, ties in cookie order (SPEC §6). */
	serve(one, n + dups);
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, n);
	unsigned char *seen = calloc(n + 1, 1);
	uint64_t last = 0;
	for (size_t i = 0; i < n; i++) {
		DWORD pid = ROW(t, i).dwOwningPid;
		ck_assert(pid >= 1 && pid <= n && !seen[pid]);
		seen[pid] = 1;
		uint64_t ck = scrambled_cookie(pid - 1);
		ck_assert(i == 0 || ck > last);
		last = ck;
	}
	free(seen);
	free(t);
	free(many);
	free(one);
}
END_TEST

/* ---- Order: random records against a reference sort. */

static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static uint32_t host4(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return ntohl(v);
}

static int ref_cmp4(const void *pa, const void *pb)
{
	const struct tt_conn *a = pa, *b = pb;
	uint32_t la = host4(a->laddr), lb = host4(b->laddr);
	if (la != lb)
		return la < lb ? -1 : 1;
	if (ntohs(a->lport) != ntohs(b->lport))
		return ntohs(a->lport) < ntohs(b->lport) ? -1 : 1;
	uint32_t ra = host4(a->raddr), rb = host4(b->raddr);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (ntohs(a->rport) != ntohs(b->rport))
		return ntohs(a->rport) < ntohs(b->rport) ? -1 : 1;
	if (a->state != b->state)
		return a->state < b->state ? -1 : 1;
	return a->cookie < b->cookie ? -1 : a->cookie > b->cookie;
}

/* The rules of duplicate removal (SPEC §6 and snapshot.c), written the
 * plain quadratic way, on records sorted as the table is: within a run of
 * one tuple, a record whose cookie an earlier kept record has goes; then,
 * for a connection, stale predecessors (TIME_WAIT, request sockets) give
 * way to a live successor, or all but the first go if none is live. */
static bool ref_yields(const struct tt_conn *c)
{
	return c->state == MIB_TCP_STATE_TIME_WAIT ||
	       (c->state == MIB_TCP_STATE_SYN_RCVD && !(c->flags & TT_CONN_PID_KNOWN) &&
		c->owner_key == 0);
}

static int ref_tuple4(const struct tt_conn *a, const struct tt_conn *b)
{
	return memcmp(a->laddr, b->laddr, 4) || a->lport != b->lport ||
	       memcmp(a->raddr, b->raddr, 4) || a->rport != b->rport;
}

static void ref_dedupe4(const struct tt_conn *c, size_t n, bool *drop)
{
	for (size_t s = 0, e; s < n; s = e) {
		for (e = s + 1; e < n && !ref_tuple4(&c[s], &c[e]); e++)
			;
		size_t kept = 0;
		for (size_t i = s; i < e; i++) {
			drop[i] = false;
			for (size_t k = s; k < i && !drop[i]; k++)
				drop[i] = !drop[k] && c[k].cookie == c[i].cookie;
			kept += !drop[i];
		}
		bool peer = c[s].rport != 0 || host4(c[s].raddr) != 0;
		if (kept < 2 || !peer)
			continue;
		size_t live = 0;
		for (size_t i = s; i < e; i++)
			live += !drop[i] && !ref_yields(&c[i]);
		bool first = true;
		for (size_t i = s; i < e; i++) {
			if (drop[i])
				continue;
			drop[i] = live ? ref_yields(&c[i]) : !first;
			first = false;
		}
	}
}

/* Random runs of repeated, stale and SO_REUSEPORT sockets, small and
 * across collector chunks: the table keeps exactly the records the plain
 * rules keep (a record's PID tells which of its socket's reports stayed). */
START_TEST(duplicate_removal_matches_the_plain_rules)
{
	static const uint8_t conn_states[] = {
		MIB_TCP_STATE_SYN_SENT,   MIB_TCP_STATE_SYN_RCVD,   MIB_TCP_STATE_ESTAB,
		MIB_TCP_STATE_FIN_WAIT1,  MIB_TCP_STATE_CLOSE_WAIT, MIB_TCP_STATE_TIME_WAIT,
	};
	static const uint8_t listen_states[] = { MIB_TCP_STATE_CLOSED, MIB_TCP_STATE_LISTEN };
	unsigned seed = 3;
	struct tt_conn *c = calloc(1200, sizeof(*c));
	bool *drop = calloc(1200, sizeof(*drop));
	for (int round = 0; round < 1500; round++) {
		size_t n = round % 100 == 99 ? 700 + rnd(&seed) % 500 : 1 + rnd(&seed) % 40;
		unsigned cookies = 1 + rnd(&seed) % (round % 100 == 99 ? 300 : 8);
		for (size_t i = 0; i < n; i++) {
			unsigned tuple = rnd(&seed) % 3;
			uint64_t cookie = 1 + rnd(&seed) % cookies;
			uint8_t st;
			if (tuple == 0) {
				st = listen_states[rnd(&seed) % 2];
				c[i] = conn4("0.0.0.0", 80, "0.0.0.0", 0, st, 0, cookie);
			} else {
				st = conn_states[rnd(&seed) % 6];
				c[i] = conn4("10.0.0.1", 80, "10.0.0.9", (uint16_t)(1110 + tuple), st,
					     0, cookie);
			}
			/* The same socket in the same state: the same record. */
			c[i].cookie += 1000 * tuple;
			if (st != MIB_TCP_STATE_SYN_RCVD || (cookie & 1)) {
				c[i].flags = TT_CONN_PID_KNOWN;
				c[i].pid = (uint32_t)(c[i].cookie * 100 + st);
			}
		}
		serve(c, n);
		PMIB_TCPTABLE2 t = get4_2();
		qsort(c, n, sizeof(*c), ref_cmp4);
		ref_dedupe4(c, n, drop);
		size_t row = 0;
		for (size_t i = 0; i < n; i++) {
			if (drop[i])
				continue;
			ck_assert_uint_lt(row, t->dwNumEntries);
			const MIB_TCPROW2 *r = &ROW(t, row);
			ck_assert_msg(r->dwState == c[i].state && r->dwRemotePort == c[i].rport &&
					      r->dwOwningPid == c[i].pid,
				      "round %d row %zu: state %u port %u pid %u, want %u %u %u", round,
				      row, (unsigned)r->dwState, (unsigned)ntohs((uint16_t)r->dwRemotePort),
				      (unsigned)r->dwOwningPid, c[i].state, ntohs(c[i].rport), c[i].pid);
			row++;
		}
		ck_assert_uint_eq(row, t->dwNumEntries);
		free(t);
	}
	free(drop);
	free(c);
}
END_TEST

START_TEST(order_ipv4_matches_reference)
{
	const size_t n = 20000;
	struct tt_conn *c = calloc(n, sizeof(*c));
	unsigned seed = 7;
	for (size_t i = 0; i < n; i++) {
		uint32_t l = htonl(0x7f000000u | (rnd(&seed) & 0x300) | (rnd(&seed) & 3));
		uint32_t r = htonl((rnd(&seed) & 1) ? 0xc0a80001u : 0x0a000001u + (rnd(&seed) & 0x101));
		c[i].family = AF_INET;
		/* No TIME_WAIT or SYN_RCVD here: colliding tuples must all stay. */
		c[i].state = (uint8_t)((rnd(&seed) & 1) ? MIB_TCP_STATE_ESTAB : MIB_TCP_STATE_CLOSE_WAIT);
		memcpy(c[i].laddr, &l, 4);
		memcpy(c[i].raddr, &r, 4);
		c[i].lport = htons((uint16_t)(250 + (rnd(&seed) % 12)));
		c[i].rport = htons((uint16_t)(rnd(&seed) % 1000 + 200));
		c[i].cookie = (uint64_t)rnd(&seed) << 20 | i;
	}
	serve(c, n);
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, n);
	qsort(c, n, sizeof(*c), ref_cmp4);
	for (size_t i = 0; i < n; i++) {
		MIB_TCPROW *r = &t->table[i];
		ck_assert_mem_eq(&r->dwLocalAddr, c[i].laddr, 4);
		ck_assert_uint_eq(r->dwLocalPort, c[i].lport);
		ck_assert_mem_eq(&r->dwRemoteAddr, c[i].raddr, 4);
		ck_assert_uint_eq(r->dwRemotePort, c[i].rport);
		ck_assert_uint_eq(r->dwState, c[i].state);
	}
	/* Order=FALSE: the same rows. */
	serve(c, n);
	ULONG size = 4 + (ULONG)n * sizeof(MIB_TCPROW);
	PMIB_TCPTABLE u = malloc(size);
	ck_assert_uint_eq(GetTcpTable(u, &size, FALSE), NO_ERROR);
	ck_assert_mem_eq(u, t, size);
	free(u);
	free(t);
	free(c);
}
END_TEST

static int ref_cmp6(const void *pa, const void *pb)
{
	const struct tt_conn *a = pa, *b = pb;
	int d = memcmp(a->laddr, b->laddr, 16);
	if (d)
		return d;
	if (a->lscope != b->lscope)
		return a->lscope < b->lscope ? -1 : 1;
	if (ntohs(a->lport) != ntohs(b->lport))
		return ntohs(a->lport) < ntohs(b->lport) ? -1 : 1;
	d = memcmp(a->raddr, b->raddr, 16);
	if (d)
		return d;
	if (a->rscope != b->rscope)
		return a->rscope < b->rscope ? -1 : 1;
	if (ntohs(a->rport) != ntohs(b->rport))
		return ntohs(a->rport) < ntohs(b->rport) ? -1 : 1;
	if (a->state != b->state)
		return a->state < b->state ? -1 : 1;
	return a->cookie < b->cookie ? -1 : a->cookie > b->cookie;
}

START_TEST(order_ipv6_matches_reference)
{
	const size_t n = 10000;
	struct tt_conn *c = calloc(n, sizeof(*c));
	unsigned seed = 11;
	for (size_t i = 0; i < n; i++) {
		c[i].family = AF_INET6;
		c[i].state = MIB_TCP_STATE_ESTAB;
		c[i].laddr[0] = 0xfe;
		c[i].laddr[1] = 0x80;
		c[i].laddr[15] = (uint8_t)(rnd(&seed) & 3);
		c[i].laddr[14] = (uint8_t)(rnd(&seed) & 1);
		c[i].raddr[0] = 0x20;
		c[i].raddr[15] = (uint8_t)rnd(&seed);
		c[i].lscope = rnd(&seed) & 1 ? 2 : 0x01000000u;
		c[i].rscope = c[i].lscope;
		c[i].lport = htons((uint16_t)(255 + (rnd(&seed) & 3)));
		c[i].rport = htons((uint16_t)(rnd(&seed) & 0xffff));
		c[i].cookie = i + 1;
	}
	serve(c, n);
	PMIB_TCP6TABLE t = get6();
	ck_assert_uint_eq(t->dwNumEntries, n);
	qsort(c, n, sizeof(*c), ref_cmp6);
	for (size_t i = 0; i < n; i++) {
		MIB_TCP6ROW *r = &t->table[i];
		ck_assert_mem_eq(&r->LocalAddr, c[i].laddr, 16);
		ck_assert_uint_eq(r->dwLocalScopeId, c[i].lscope);
		ck_assert_uint_eq(r->dwLocalPort, c[i].lport);
		ck_assert_mem_eq(&r->RemoteAddr, c[i].raddr, 16);
		ck_assert_uint_eq(r->dwRemotePort, c[i].rport);
	}
	free(t);
	free(c);
}
END_TEST

/* SPEC §6 compares unsigned numbers.  Values from both ends of each range
 * (addresses at and above 128.0.0.0 or 0x80::, ports above 32767, scope
 * ids above 2^31, bytes above 0x7f) make a signed compare, a missed ntohs
 * or a signed byte compare put rows out of order.  Every combination is
 * served shuffled; row i must be combination i in the ascending lists. */
static const char *const range4[] = { "0.0.0.0",	 "10.0.0.1",	"127.0.0.1",
				      "127.255.255.255", "128.0.0.0",	"192.168.0.1",
				      "203.0.113.1",	 "255.255.255.254" };
static const uint16_t range_ports[] = { 1, 255, 256, 1000, 32767, 32768, 40000, 65535 };

static void shuffle(struct tt_conn *c, size_t n, unsigned seed)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = rnd(&seed) % i;
		struct tt_conn t = c[i - 1];
		c[i - 1] = c[j];
		c[j] = t;
	}
}

START_TEST(order_ipv4_spans_the_unsigned_range)
{
	const size_t na = 8, np = 8, n = na * np * na * np;
	struct tt_conn *c = calloc(n, sizeof(*c));
	for (size_t i = 0; i < n; i++)
		c[i] = conn4(range4[i / (np * na * np)], range_ports[i / (na * np) % np],
			     range4[i / np % na], range_ports[i % np], MIB_TCP_STATE_ESTAB, 0,
			     i + 1);
	shuffle(c, n, 5);
	serve(c, n);
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, n);
	for (size_t i = 0; i < n; i++) {
		const MIB_TCPROW *r = &t->table[i];
		ck_assert_msg(r->dwLocalAddr == a4(range4[i / (np * na * np)]) &&
				      r->dwLocalPort == htons(range_ports[i / (na * np) % np]) &&
				      r->dwRemoteAddr == a4(range4[i / np % na]) &&
				      r->dwRemotePort == htons(range_ports[i % np]),
			      "row %zu out of order", i);
	}
	free(t);
	free(c);
}
END_TEST

static const char *const range6[] = { "::",	 "::1",	    "2001:db8::7f", "2001:db8::80",
				      "7fff::1", "8000::", "fd00::1",	    "fe80::1" };
static const uint32_t range_scopes[] = { 0, 1, 0x7fffffffu, 0x80000000u, 0xffffffffu };
static const uint16_t range6_ports[] = { 1, 32767, 32768, 65535 };

START_TEST(order_ipv6_spans_the_unsigned_range)
{
	/* Every local combination against a smaller set of remote ones. */
	const size_t na = 8, ns = 5, np = 4, nra = 4, nrs = 2;
	const size_t nr = nra * nrs * np, n = na * ns * np * nr;
	struct tt_conn *c = calloc(n, sizeof(*c));
	for (size_t i = 0; i < n; i++) {
		size_t l = i / nr, r = i % nr;
		c[i] = conn6(range6[l / (ns * np)], range_scopes[l / np % ns], range6_ports[l % np],
			     range6[1 + 2 * (r / (nrs * np))], range_scopes[2 + r / np % nrs],
			     range6_ports[r % np], MIB_TCP_STATE_ESTAB, 0, i + 1);
	}
	struct tt_conn *want = malloc(n * sizeof(*want));
	memcpy(want, c, n * sizeof(*c));
	shuffle(c, n, 9);
	serve(c, n);
	PMIB_TCP6TABLE t = get6();
	ck_assert_uint_eq(t->dwNumEntries, n);
	for (size_t i = 0; i < n; i++) {
		const MIB_TCP6ROW *r = &t->table[i];
		ck_assert_msg(memcmp(&r->LocalAddr, want[i].laddr, 16) == 0 &&
				      r->dwLocalScopeId == want[i].lscope &&
				      r->dwLocalPort == want[i].lport &&
				      memcmp(&r->RemoteAddr, want[i].raddr, 16) == 0 &&
				      r->dwRemoteScopeId == want[i].rscope &&
				      r->dwRemotePort == want[i].rport,
			      "row %zu out of order", i);
	}
	free(t);
	free(want);
	free(c);
}
END_TEST

/* ---- Statistics: dwNumConns and dwCurrEstab count rows, not records. */

START_TEST(statistics_count_rows_not_records)
{
	struct tt_conn c[] = {
		/* One IPv4 connection reported twice, one TIME_WAIT socket
		 * twice, one v4-mapped connection: 3 IPv4 rows, 2 established. */
		conn4("10.0.0.1", 80, "10.0.0.2", 5000, MIB_TCP_STATE_ESTAB, 0, 1),
		conn4("10.0.0.1", 81, "10.0.0.2", 5001, MIB_TCP_STATE_TIME_WAIT, 0, 2),
		conn4("10.0.0.1", 80, "10.0.0.2", 5000, MIB_TCP_STATE_ESTAB, 0, 1),
		conn4("10.0.0.1", 81, "10.0.0.2", 5001, MIB_TCP_STATE_TIME_WAIT, 0, 2),
		conn6("::ffff:10.0.0.1", 0, 82, "::ffff:10.0.0.3", 0, 5002, MIB_TCP_STATE_CLOSE_WAIT,
		      0, 3),
		/* Listeners are not connections: IPv4, IPv6 and dual-stack. */
		conn4("0.0.0.0", 80, "0.0.0.0", 0, MIB_TCP_STATE_LISTEN, 0, 4),
		conn6("::", 0, 22, "::", 0, 0, MIB_TCP_STATE_LISTEN, 0, 5),
		conn6("2001:db8::1", 0, 23, "::", 0, 0, MIB_TCP_STATE_LISTEN, 0, 6),
		/* One IPv6 connection reported three times: 1 row. */
		conn6("2001:db8::1", 0, 443, "2001:db8::2", 0, 6000, MIB_TCP_STATE_ESTAB, 0, 7),
		conn6("2001:db8::1", 0, 443, "2001:db8::2", 0, 6000, MIB_TCP_STATE_ESTAB, 0, 7),
		conn6("2001:db8::1", 0, 443, "2001:db8::2", 0, 6000, MIB_TCP_STATE_ESTAB, 0, 7),
	};
	c[6].flags = TT_CONN_DUALSTACK;
	const size_t n = sizeof(c) / sizeof(c[0]);
	MIB_TCPSTATS s4, s6, s;
	MIB_TCPSTATS2 x4, x6;
	serve(c, n);
	ck_assert_uint_eq(GetTcpStatisticsEx(&s4, AF_INET), NO_ERROR);
	ck_assert_uint_eq(s4.dwNumConns, 3);
	ck_assert_uint_eq(s4.dwCurrEstab, 2);
	serve(c, n);
	ck_assert_uint_eq(GetTcpStatistics(&s), NO_ERROR);
	ck_assert_uint_eq(s.dwNumConns, 3);
	serve(c, n);
	ck_assert_uint_eq(GetTcpStatisticsEx2(&x4, AF_INET), NO_ERROR);
	ck_assert_uint_eq(x4.dwNumConns, 3);
	ck_assert_uint_eq(x4.dwCurrEstab, 2);
	serve(c, n);
	ck_assert_uint_eq(GetTcpStatisticsEx(&s6, AF_INET6), NO_ERROR);
	ck_assert_uint_eq(s6.dwNumConns, 1);
	ck_assert_uint_eq(s6.dwCurrEstab, 1);
	serve(c, n);
	ck_assert_uint_eq(GetTcpStatisticsEx2(&x6, AF_INET6), NO_ERROR);
	ck_assert_uint_eq(x6.dwNumConns, 1);
	ck_assert_uint_eq(x6.dwCurrEstab, 1);
	/* And they agree with the tables' connection rows. */
	serve(c, n);
	ULONG size = 0;
	ck_assert_uint_eq(GetExtendedTcpTable(NULL, &size, FALSE, AF_INET,
					      TCP_TABLE_OWNER_PID_CONNECTIONS, 0),
			  ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(size, 4 + 3 * sizeof(MIB_TCPROW_OWNER_PID));
}
END_TEST

/* ---- Owners. */

START_TEST(owners_first_claim_wins_and_scan_stops_early)
{
	struct tt_conn c[] = {
		conn4("127.0.0.1", 1, "0.0.0.0", 0, MIB_TCP_STATE_LISTEN, 100, 1),
		conn4("127.0.0.1", 2, "0.0.0.0", 0, MIB_TCP_STATE_LISTEN, 200, 2),
		conn4("127.0.0.1", 3, "127.0.0.1", 9, MIB_TCP_STATE_TIME_WAIT, 0, 3),
		conn4("127.0.0.1", 4, "0.0.0.0", 0, MIB_TCP_STATE_LISTEN, 300, 4),
	};
	c[3].flags = TT_CONN_PID_KNOWN;
	c[3].pid = 555;
	const struct tt_mock_claim claims[] = { { 999, 1 }, { 100, 10 }, { 100, 5 },
						 { 200, 20 }, { 100, 1 }, { 200, 2 } };
	serve(c, 4);
	tt_mock.claims = claims;
	tt_mock.nclaims = 6;
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(ROW(t, 0).dwOwningPid, 10);
	ck_assert_uint_eq(ROW(t, 1).dwOwningPid, 20);
	ck_assert_uint_eq(ROW(t, 2).dwOwningPid, 0);
	ck_assert_uint_eq(ROW(t, 3).dwOwningPid, 555);
	/* The scan stopped once both waiting rows had an owner. */
	ck_assert_uint_eq(tt_mock.claims_made, 4);
	ck_assert_int_eq(tt_mock.owner_calls, 1);
	free(t);
}
END_TEST

/* GetTcpTable(6) never look owners up, nor does a sizing or short call. */
START_TEST(owner_scan_only_when_rows_are_returned)
{
	struct tt_conn c[] = {
		conn4("127.0.0.1", 1, "0.0.0.0", 0, MIB_TCP_STATE_LISTEN, 100, 1),
		conn6("::1", 0, 1, "::", 0, 0, MIB_TCP_STATE_LISTEN, 101, 2),
	};
	serve(c, 2);
	free(get4());
	ck_assert(!tt_mock.last_owners);
	free(get6());
	ck_assert_int_eq(tt_mock.owner_calls, 0);
	/* Sizing calls and buffers without room for a row: the backend is
	 * told that no owners are needed (the BSDs then skip kern.file). */
	ULONG size = 0;
	ck_assert_uint_eq(GetTcpTable2(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	ck_assert(!tt_mock.last_owners);
	unsigned char buf[64];
	size = sizeof(MIB_TCPROW2);
	ck_assert_uint_eq(GetTcpTable2((PMIB_TCPTABLE2)buf, &size, TRUE),
			  ERROR_INSUFFICIENT_BUFFER);
	ck_assert(!tt_mock.last_owners);
	size = 0;
	ck_assert_uint_eq(GetTcp6Table2(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_int_eq(tt_mock.owner_calls, 0);
	free(get6_2());
	ck_assert(tt_mock.last_owners);
	ck_assert_int_eq(tt_mock.owner_calls, 1);
}
END_TEST

/* A backend's head start on the owners (SPEC §12: the Linux BPF iterator
 * read during the dump) is begun only by a call that will look owners up,
 * given to the owner scan, and ended on every way out of the call. */
START_TEST(owner_head_start_is_always_ended)
{
	struct tt_conn c[] = {
		conn4("127.0.0.1", 1, "0.0.0.0", 0, MIB_TCP_STATE_LISTEN, 100, 1),
		conn4("127.0.0.1", 2, "0.0.0.0", 0, MIB_TCP_STATE_LISTEN, 101, 2),
	};
	const struct tt_mock_claim claims[] = { { 100, 7 }, { 101, 8 } };
	const size_t row2 = sizeof(MIB_TCPROW2), hdr = offsetof(MIB_TCPTABLE2, table);
	unsigned char buf[4096];

	/* Used: the scan is given it, then it is ended. */
	serve(c, 2);
	tt_mock.prefetch = true;
	tt_mock.claims = claims;
	tt_mock.nclaims = 2;
	ULONG size = (ULONG)(hdr + 5 * row2);
	ck_assert_uint_eq(GetTcpTable2((PMIB_TCPTABLE2)buf, &size, TRUE), NO_ERROR);
	ck_assert_int_eq(tt_mock.prefetches, 1);
	ck_assert_int_eq(tt_mock.owners_saw_prefetch, 1);
	ck_assert_int_eq(tt_mock.drops_before_owners, 0); /* ended after its use */
	ck_assert_int_eq(tt_mock.drops, 1);
	ck_assert_uint_eq(tt_mock.prefetch_rows, 5); /* the rows the buffer holds */
	ck_assert(!tt_mock.prefetch_keys);
	/* With process keys for the module classes. */
	serve(c, 2);
	tt_mock.prefetch = true;
	size = sizeof(buf);
	ck_assert_uint_eq(GetExtendedTcpTable(buf, &size, TRUE, AF_INET, TCP_TABLE_OWNER_MODULE_ALL, 0),
			  NO_ERROR);
	ck_assert_int_eq(tt_mock.prefetches, 1);
	ck_assert_int_eq(tt_mock.drops, 1);
	ck_assert(tt_mock.prefetch_keys);

	/* Not begun: sizing calls, tables without owners. */
	serve(c, 2);
	tt_mock.prefetch = true;
	size = 0;
	ck_assert_uint_eq(GetTcpTable2(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	size = sizeof(buf);
	ck_assert_uint_eq(GetTcpTable((PMIB_TCPTABLE)buf, &size, TRUE), NO_ERROR);
	size = sizeof(buf);
	ck_assert_uint_eq(GetExtendedTcpTable(buf, &size, TRUE, AF_INET, TCP_TABLE_BASIC_ALL, 0),
			  NO_ERROR);
	ck_assert_int_eq(tt_mock.prefetches, 0);

	/* Begun, then the buffer turns out too small for the table: ended,
	 * no owner looked up. */
	serve(c, 2);
	tt_mock.prefetch = true;
	size = (ULONG)(hdr + row2);
	ck_assert_uint_eq(GetTcpTable2((PMIB_TCPTABLE2)buf, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_int_eq(tt_mock.prefetches, 1);
	ck_assert_int_eq(tt_mock.owner_calls, 0);
	ck_assert_int_eq(tt_mock.drops, 1);

	/* Begun, then the dump fails. */
	serve(c, 2);
	tt_mock.prefetch = true;
	tt_mock.collect_err = -EIO;
	size = sizeof(buf);
	ck_assert_uint_ne(GetTcpTable2((PMIB_TCPTABLE2)buf, &size, TRUE), NO_ERROR);
	ck_assert_int_eq(tt_mock.prefetches, 1);
	ck_assert_int_eq(tt_mock.drops, 1);

	/* Begun, then the owner scan fails. */
	serve(c, 2);
	tt_mock.prefetch = true;
	tt_mock.owners_err = -ENOMEM;
	size = sizeof(buf);
	ck_assert_uint_eq(GetTcpTable2((PMIB_TCPTABLE2)buf, &size, TRUE), ERROR_NOT_ENOUGH_MEMORY);
	ck_assert_int_eq(tt_mock.drops, 1);

	/* Begun, but no row waits for an owner: no scan, still ended. */
	struct tt_conn tw[] = { conn4("127.0.0.1", 3, "127.0.0.1", 4, MIB_TCP_STATE_TIME_WAIT, 0, 3) };
	serve(tw, 1);
	tt_mock.prefetch = true;
	size = sizeof(buf);
	ck_assert_uint_eq(GetTcpTable2((PMIB_TCPTABLE2)buf, &size, TRUE), NO_ERROR);
	ck_assert_int_eq(tt_mock.prefetches, 1);
	ck_assert_int_eq(tt_mock.owner_calls, 0);
	ck_assert_int_eq(tt_mock.drops, 1);

	/* Beginning it fails for want of memory: the call says so and
	 * collects nothing. */
	serve(c, 2);
	tt_mock.prefetch_err = -ENOMEM;
	size = sizeof(buf);
	ck_assert_uint_eq(GetTcpTable2((PMIB_TCPTABLE2)buf, &size, TRUE), ERROR_NOT_ENOUGH_MEMORY);
	ck_assert_int_eq(tt_mock.collect_calls, 0);
}
END_TEST

/* A scan that finishes another's (a second walk of the iterator, the /proc
 * scan after a failed one) records process keys from the lowest PID again:
 * out of order, or twice.  Every row still gets its owner's key. */
START_TEST(process_keys_recorded_out_of_order)
{
	struct tt_conn c[] = {
		conn4("127.0.0.1", 1, "0.0.0.0", 0, MIB_TCP_STATE_LISTEN, 100, 1),
		conn4("127.0.0.1", 2, "0.0.0.0", 0, MIB_TCP_STATE_LISTEN, 101, 2),
		conn4("127.0.0.1", 3, "0.0.0.0", 0, MIB_TCP_STATE_LISTEN, 102, 3),
	};
	serve(c, 3);
	const struct tt_mock_claim claims[] = { { 100, 30 }, { 101, 20 }, { 102, 30 } };
	tt_mock.claims = claims;
	tt_mock.nclaims = 3;
	unsigned char buf[4096];
	ULONG size = sizeof(buf);
	ck_assert_uint_eq(GetExtendedTcpTable(buf, &size, TRUE, AF_INET, TCP_TABLE_OWNER_MODULE_ALL, 0),
			  NO_ERROR);
	DWORD n;
	memcpy(&n, buf, sizeof(n));
	ck_assert_uint_eq(n, 3);
	for (DWORD i = 0; i < n; i++) {
		MIB_TCPROW_OWNER_MODULE r;
		memcpy(&r, buf + offsetof(MIB_TCPTABLE_OWNER_MODULE, table) + i * sizeof(r), sizeof(r));
		ck_assert_uint_eq(r.dwOwningPid, i == 1 ? 20 : 30);
		ck_assert_msg(r.OwningModuleInfo[1] == TT_MOCK_KEY(r.dwOwningPid),
			      "row %u: the key of PID %u was not found", (unsigned)i,
			      (unsigned)r.dwOwningPid);
	}
}
END_TEST

/* ---- Failures. */

START_TEST(backend_errors_map_to_win32_codes)
{
	struct tt_conn c[] = { conn4("127.0.0.1", 1, "0.0.0.0", 0, MIB_TCP_STATE_LISTEN, 1, 1) };
	const int errs[] = { -EIO, -ENOENT, -EPERM, -EAGAIN, -ENOMEM };
	const ULONG want[] = { ERROR_NOT_SUPPORTED, ERROR_NOT_SUPPORTED, ERROR_NOT_SUPPORTED,
			       ERROR_NOT_SUPPORTED, ERROR_NOT_ENOUGH_MEMORY };
	for (int i = 0; i < 5; i++) {
		serve(c, 1);
		tt_mock.collect_err = errs[i];
		ULONG size = 1234;
		ck_assert_uint_eq(GetTcpTable(NULL, &size, TRUE), want[i]);
		ck_assert_uint_eq(size, 1234);
		serve(c, 1);
		tt_mock.owners_err = errs[i];
		unsigned char buf[256];
		memset(buf, 0x5a, sizeof(buf));
		size = sizeof(buf);
		ck_assert_uint_eq(GetTcp6Table2((PMIB_TCP6TABLE2)buf, &size, TRUE), NO_ERROR);
		serve(c, 1);
		tt_mock.owners_err = errs[i];
		size = sizeof(buf);
		ck_assert_uint_eq(GetTcpTable2((PMIB_TCPTABLE2)buf, &size, TRUE), want[i]);
		ck_assert_uint_eq(size, sizeof(buf));
	}
}
END_TEST

/* Every allocation of a call fails in turn: ERROR_NOT_ENOUGH_MEMORY with
 * nothing written (leaks show under ASan and valgrind). */
START_TEST(each_allocation_failure_is_reported)
{
	const size_t n = 3000; /* several collector chunks */
	struct tt_conn *c = calloc(n, sizeof(*c));
	for (size_t i = 0; i < n; i++) {
		c[i] = conn4("127.0.0.1", (uint16_t)(i + 1), "127.0.0.2", 80, MIB_TCP_STATE_ESTAB,
			     (uint32_t)i + 1, i + 1);
	}
	ULONG need = 4 + (ULONG)n * sizeof(MIB_TCPROW2);
	unsigned char *buf = malloc(need);
	serve(c, n);
	tt_hooks_reset();
	ULONG size = need;
	ck_assert_uint_eq(GetTcpTable2((PMIB_TCPTABLE2)buf, &size, TRUE), NO_ERROR);
	long allocs = tt_hooks_allocs();
	ck_assert_int_gt(allocs, 3);
	for (long k = 1; k <= allocs; k++) {
		serve(c, n);
		tt_hooks_reset();
		tt_hooks.fail_alloc_at = k;
		memset(buf, 0x5a, need);
		size = need;
		ck_assert_uint_eq(GetTcpTable2((PMIB_TCPTABLE2)buf, &size, TRUE),
				  ERROR_NOT_ENOUGH_MEMORY);
		ck_assert_uint_eq(size, need);
		for (ULONG i = 0; i < need; i++)
			ck_assert_uint_eq(buf[i], 0x5a);
	}
	tt_hooks_reset();
	free(buf);
	free(c);
}
END_TEST

/* A backend that restarts a dump rewinds the collector: rows from the
 * abandoned attempt never reach the table, across chunk boundaries too. */
START_TEST(restarted_dump_keeps_only_the_last_attempt)
{
	const size_t n = 2500;
	struct tt_conn *c = calloc(n, sizeof(*c));
	for (size_t i = 0; i < n; i++)
		c[i] = conn6("2001:db8::1", 0, (uint16_t)(i + 1), "2001:db8::2", 0, 80,
			     MIB_TCP_STATE_ESTAB, 0, (uint64_t)i + 1);
	const size_t restarts[] = { 1, 3, 272, 273, 1000, 2500 };
	for (size_t r = 0; r < sizeof(restarts) / sizeof(restarts[0]); r++) {
		serve(c, n);
		/* Fresh cookies so that duplicate removal cannot hide a bug. */
		for (size_t i = 0; i < n; i++)
			c[i].cookie = (r + 1) * 100000 + i;
		tt_mock.restart_after = restarts[r];
		PMIB_TCP6TABLE t = get6();
		ck_assert_uint_eq(t->dwNumEntries, n);
		free(t);
	}
	free(c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("frontend");
	TCase *tc = tcase_create("frontend");
	tcase_add_checked_fixture(tc, reset, NULL);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, ipv4_row_fields);
	tcase_add_test(tc, ipv6_row_fields);
	tcase_add_test(tc, listener_remote_columns_are_zero);
	tcase_add_test(tc, v4mapped_and_dual_stack_routing);
	tcase_add_test(tc, udp_rows_routing_and_order);
	tcase_add_test(tc, udp_shared_endpoint_rows_in_cookie_order);
	tcase_add_test(tc, udp_module_rows_and_sizing_without_owner_scan);
	tcase_add_test(tc, udp_statistics_from_the_backend);
	tcase_add_test(tc, repeated_socket_is_one_row);
	tcase_add_test(tc, stale_predecessors_yield_the_tuple);
	tcase_add_test(tc, long_run_of_one_endpoint_costs_about_as_much_as_distinct_ports);
	tcase_add_test(tc, duplicate_removal_matches_the_plain_rules);
	tcase_add_test(tc, order_ipv4_matches_reference);
	tcase_add_test(tc, order_ipv6_matches_reference);
	tcase_add_test(tc, order_ipv4_spans_the_unsigned_range);
	tcase_add_test(tc, order_ipv6_spans_the_unsigned_range);
	tcase_add_test(tc, statistics_count_rows_not_records);
	tcase_add_test(tc, owners_first_claim_wins_and_scan_stops_early);
	tcase_add_test(tc, owner_scan_only_when_rows_are_returned);
	tcase_add_test(tc, owner_head_start_is_always_ended);
	tcase_add_test(tc, process_keys_recorded_out_of_order);
	tcase_add_test(tc, backend_errors_map_to_win32_codes);
	tcase_add_test(tc, each_allocation_failure_is_reported);
	tcase_add_test(tc, restarted_dump_keeps_only_the_last_attempt);
	suite_add_tcase(s, tc);
	return tt_run_suite(s);
}
