/*
 * test_bsd_netbsd.c - the NetBSD backend's read sequence and walkers
 * (src/bsd/netbsd) under the real front end, on kinfo_pcb / kinfo_file
 * buffers built from the transcribed records: the two PCB lists, the
 * IPv4 traffic of IPv6 sockets, dual-stack listeners, KAME zones, owners
 * from kern.file2, sizing, statistics and malformed buffers; the same for
 * the UDP lists and the per-family UDP statistics.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <check.h>
#include <iphlpapi.h>
#include <tcptable_ext.h>

#include "fixture_backend.h"
#include "guard.h"
#include "hooks.h"
#include "netbsd.h"
#include "run_suite.h"
#include "suite.h"
#include "table_get.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define DTYPE_SOCKET 2
#define DTYPE_PIPE 3
#define V6ONLY 0x8000

enum {
	PCB_A = 0xffff800011110000u,
	PCB_B = 0xffff800011110100u,
	PCB_C = 0xffff800011110200u,
	PCB_D = 0xffff800011110300u,
	SO_A = 0xffff800022220000u,
	SO_B = 0xffff800022220100u,
	SO_C = 0xffff800022220200u,
	SO_D = 0xffff800022220300u,
};

static void setup(void)
{
	fx_reset();
	tt_hooks_reset();
	fx.os = FX_NETBSD;
}

static void teardown(void)
{
	fx_reset();
	tt_hooks_reset();
}

static void serve(const struct nb_pcb *v4, size_t n4, const struct nb_pcb *v6, size_t n6)
{
	fx.pcb[0] = nb_list(v4, n4);
	fx.npcb = 1;
	fx.pcb6 = nb_list(v6, n6);
}

static void own(uint32_t pid, uint64_t so)
{
	nb_file(&fx.files, pid, DTYPE_SOCKET, so);
}

/* An IPv4 server (pid 10) with a client (pid 20); an IPv6 server on ::1
 * (pid 30) with a connection from a client without a descriptor
 * (TIME_WAIT keeps its socket on NetBSD, but no file refers to it). */
static const struct nb_pcb v4_set[] = {
	{ 4, FX_ESTABLISHED, "127.0.0.1", "127.0.0.1", 80, 60000, 0, 0, PCB_B, SO_B },
	{ 4, FX_LISTEN, NULL, NULL, 80, 0, 0, 0, PCB_A, SO_A },
	{ 4, FX_ESTABLISHED, "127.0.0.1", "127.0.0.1", 60000, 80, 0, 0, PCB_C, SO_C },
};
static const struct nb_pcb v6_set[] = {
	{ 6, FX_LISTEN, "::1", NULL, 443, 0, 0, 0, PCB_A + 8, SO_A + 8, V6ONLY },
	{ 6, FX_TIME_WAIT, "::1", "::1", 443, 61000, 0, 0, PCB_D, SO_D, V6ONLY },
};

static void serve_sets(void)
{
	serve(v4_set, N(v4_set), v6_set, N(v6_set));
	own(10, SO_A);
	own(10, SO_B);
	own(20, SO_C);
	own(30, SO_A + 8);
	nb_file(&fx.files, 40, DTYPE_PIPE, SO_D); /* not a socket */
}

START_TEST(ipv4_rows_every_field)
{
	serve_sets();
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 3);
	fx_expect_row4(&ROW(t, 0), MIB_TCP_STATE_LISTEN, NULL, 80, NULL, 0, 10);
	fx_expect_row4(&ROW(t, 1), MIB_TCP_STATE_ESTAB, "127.0.0.1", 80, "127.0.0.1", 60000, 10);
	fx_expect_row4(&ROW(t, 2), MIB_TCP_STATE_ESTAB, "127.0.0.1", 60000, "127.0.0.1", 80, 20);
	free(t);
	/* The IPv4 table needs both lists (IPv6 sockets can carry IPv4). */
	ck_assert_int_eq(fx.reads[TT_BSD_PCB], 2);
	ck_assert_int_eq(fx.reads[TT_BSD_PCB6], 2);
	ck_assert_int_eq(fx.reads[TT_BSD_FILES], 1); /* not for the sizing call */
}
END_TEST

START_TEST(ipv6_rows_every_field)
{
	serve_sets();
	PMIB_TCP6TABLE2 t = get6_2();
	ck_assert_uint_eq(t->dwNumEntries, 2);
	MIB_TCP6ROW2 *r = &ROW(t, 0);
	ck_assert(addr6_is(&r->LocalAddr, "::1"));
	ck_assert_uint_eq(r->dwLocalPort, htons(443));
	ck_assert_uint_eq(r->State, MIB_TCP_STATE_LISTEN);
	ck_assert_uint_eq(r->dwOwningPid, 30);
	r = &ROW(t, 1);
	ck_assert(addr6_is(&r->RemoteAddr, "::1"));
	ck_assert_uint_eq(r->dwRemotePort, htons(61000));
	ck_assert_uint_eq(r->State, MIB_TCP_STATE_TIME_WAIT);
	ck_assert_uint_eq(r->dwOwningPid, 0);
	ck_assert_uint_eq(r->dwLocalScopeId, 0);
	free(t);
	/* The IPv6 table reads only the IPv6 list. */
	ck_assert_int_eq(fx.reads[TT_BSD_PCB], 0);
	PMIB_TCP6TABLE b = get6();
	ck_assert_uint_eq(b->dwNumEntries, 2);
	free(b);
	ck_assert_int_eq(fx.reads[TT_BSD_FILES], 1); /* only to fill the owner table */
}
END_TEST

/* An IPv6 listener on :: without IPV6_V6ONLY is in both tables; with it,
 * only in the IPv6 one.  IPv4 connections of IPv6 sockets (v4-mapped
 * addresses in the IPv6 list) are IPv4 rows. */
START_TEST(dual_stack_and_v4_mapped)
{
	static const struct nb_pcb v6[] = {
		{ 6, FX_LISTEN, NULL, NULL, 8080, 0, 0, 0, PCB_A, SO_A, 0 },
		{ 6, FX_LISTEN, NULL, NULL, 8081, 0, 0, 0, PCB_B, SO_B, V6ONLY },
		{ 6, FX_ESTABLISHED, "::ffff:10.0.0.1", "::ffff:10.0.0.2", 8080, 41000, 0, 0, PCB_C,
		  SO_C, 0 },
	};
	serve(NULL, 0, v6, N(v6));
	own(5, SO_A);
	own(5, SO_B);
	own(6, SO_C);
	PMIB_TCPTABLE2 t4 = get4_2();
	ck_assert_uint_eq(t4->dwNumEntries, 2);
	ck_assert_uint_eq(ROW(t4, 0).dwLocalAddr, 0);
	ck_assert_uint_eq(ROW(t4, 0).dwLocalPort, htons(8080));
	ck_assert_uint_eq(ROW(t4, 0).dwState, MIB_TCP_STATE_LISTEN);
	ck_assert_uint_eq(ROW(t4, 0).dwOwningPid, 5);
	ck_assert_uint_eq(ROW(t4, 1).dwLocalAddr, a4("10.0.0.1"));
	ck_assert_uint_eq(ROW(t4, 1).dwRemoteAddr, a4("10.0.0.2"));
	ck_assert_uint_eq(ROW(t4, 1).dwRemotePort, htons(41000));
	ck_assert_uint_eq(ROW(t4, 1).dwOwningPid, 6);
	free(t4);
	PMIB_TCP6TABLE2 t6 = get6_2();
	ck_assert_uint_eq(t6->dwNumEntries, 2);
	ck_assert_uint_eq(ROW(t6, 0).dwLocalPort, htons(8080));
	ck_assert_uint_eq(ROW(t6, 1).dwLocalPort, htons(8081));
	free(t6);
}
END_TEST

/* ---- SetTcpEntry: the drop nodes. */

/* A dual-stack server's IPv4 connection: an IPv4 row (as GetTcpTable2
 * lists it) whose socket is an IPv6 one.  The IPv4 node does not find it
 * (ESRCH); the IPv6 node is then asked with both endpoints v4-mapped. */
START_TEST(dual_stack_ipv4_kill_retries_through_inet6_node)
{
	static const struct nb_pcb v6[] = {
		{ 6, FX_ESTABLISHED, "::ffff:192.0.2.1", "::ffff:203.0.113.9", 8080, 41000, 0, 0,
		  PCB_A, SO_A, 0 },
	};
	serve(NULL, 0, v6, N(v6));
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 1);
	MIB_TCPROW r;
	memcpy(&r, &ROW(t, 0), sizeof(r));
	free(t);
	r.dwState = MIB_TCP_STATE_DELETE_TCB;
	fx.drop_err[0] = -ENOENT; /* net.inet.tcp.drop: ESRCH */

	ck_assert_uint_eq(SetTcpEntry(&r), NO_ERROR);
	ck_assert_int_eq(fx.ndrops, 2);
	const struct tt_conn *d = &fx.drops[0];
	ck_assert_uint_eq(d->family, AF_INET);
	ck_assert_mem_eq(d->laddr, &r.dwLocalAddr, 4);
	ck_assert_mem_eq(d->raddr, &r.dwRemoteAddr, 4);
	ck_assert_uint_eq(r.dwLocalAddr, a4("192.0.2.1"));
	ck_assert_uint_eq(r.dwRemoteAddr, a4("203.0.113.9"));
	d = &fx.drops[1];
	ck_assert_uint_eq(d->family, AF_INET6);
	ck_assert(addr6_is((const IN6_ADDR *)d->laddr, "::ffff:192.0.2.1"));
	ck_assert(addr6_is((const IN6_ADDR *)d->raddr, "::ffff:203.0.113.9"));
	ck_assert_uint_eq(d->lport, htons(8080));
	ck_assert_uint_eq(d->rport, htons(41000));
	ck_assert_uint_eq(d->lscope, 0);
	ck_assert_uint_eq(d->rscope, 0);
}
END_TEST

/* The IPv6 node is asked only after the IPv4 one found nothing, only for
 * IPv4 rows; its answer is the call's. */
START_TEST(kill_retry_rules)
{
	MIB_TCPROW r;
	memset(&r, 0, sizeof(r));
	r.dwState = MIB_TCP_STATE_DELETE_TCB;
	r.dwLocalAddr = a4("10.0.0.1");
	r.dwRemoteAddr = a4("10.0.0.2");
	r.dwLocalPort = htons(80);
	r.dwRemotePort = htons(50000);

	/* Found by the IPv4 node: nothing else asked. */
	ck_assert_uint_eq(SetTcpEntry(&r), NO_ERROR);
	ck_assert_int_eq(fx.ndrops, 1);
	ck_assert_uint_eq(fx.drops[0].family, AF_INET);

	/* Neither node finds it. */
	fx.ndrops = 0;
	fx.drop_err[0] = -ENOENT;
	fx.drop_err[1] = -ENOENT;
	ck_assert_uint_eq(SetTcpEntry(&r), ERROR_MR_MID_NOT_FOUND);
	ck_assert_int_eq(fx.ndrops, 2);

	/* Another error of the IPv4 node is the answer. */
	fx.ndrops = 0;
	fx.drop_err[0] = -EPERM;
	ck_assert_uint_eq(SetTcpEntry(&r), ERROR_ACCESS_DENIED);
	ck_assert_int_eq(fx.ndrops, 1);

	/* An IPv6 row goes to the IPv6 node once. */
	MIB_TCP6ROW r6;
	memset(&r6, 0, sizeof(r6));
	r6.State = MIB_TCP_STATE_DELETE_TCB;
	inet_pton(AF_INET6, "2001:db8::1", &r6.LocalAddr);
	inet_pton(AF_INET6, "2001:db8::2", &r6.RemoteAddr);
	r6.dwLocalPort = htons(80);
	r6.dwRemotePort = htons(50000);
	fx.ndrops = 0;
	fx.drop_err[0] = -ENOENT;
	ck_assert_uint_eq(TcptableSetTcp6Entry(&r6), ERROR_MR_MID_NOT_FOUND);
	ck_assert_int_eq(fx.ndrops, 1);
	ck_assert_uint_eq(fx.drops[0].family, AF_INET6);
}
END_TEST

/* kern.file2 is asked for every process with the value sysctl_kern_file2
 * documents for that (-1), by process (each (pid, fd) of a shared
 * socket), in records of this build's struct kinfo_file. */
START_TEST(files_mib_asks_for_all_processes)
{
	const int want[] = { 1 /* CTL_KERN */, 77 /* KERN_FILE2 */, 2 /* KERN_FILE_BYPID */,
			     -1, (int)nb_file_size(), INT_MAX };
	ck_assert_int_eq(TT_NBSD_FILES_MIBLEN, N(want));
	for (size_t i = 0; i < N(want); i++)
		ck_assert_int_eq(tt_nbsd_files_mib[i], want[i]);
}
END_TEST

START_TEST(link_local_embedded_zone_becomes_scope_id)
{
	static const struct nb_pcb v6[] = {
		{ 6, FX_ESTABLISHED, "fe80::1", "fe80::2", 22, 50000, 4, 4, PCB_A, SO_A },
		{ 6, FX_LISTEN, "fe80::1", NULL, 23, 0, 0x0203, 0, PCB_B, SO_B },
	};
	serve(NULL, 0, v6, N(v6));
	PMIB_TCP6TABLE2 t = get6_2();
	ck_assert_uint_eq(t->dwNumEntries, 2);
	ck_assert(addr6_is(&ROW(t, 0).LocalAddr, "fe80::1"));
	ck_assert_uint_eq(ROW(t, 0).dwLocalScopeId, 4);
	ck_assert(addr6_is(&ROW(t, 0).RemoteAddr, "fe80::2"));
	ck_assert_uint_eq(ROW(t, 0).dwRemoteScopeId, 4);
	ck_assert(addr6_is(&ROW(t, 1).LocalAddr, "fe80::1"));
	ck_assert_uint_eq(ROW(t, 1).dwLocalScopeId, 0x0203);
	free(t);
}
END_TEST

START_TEST(shared_socket_lowest_pid)
{
	serve(v4_set, 1, NULL, 0);
	own(300, SO_B);
	own(120, SO_B);
	own(4000, SO_B);
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 1);
	ck_assert_uint_eq(ROW(t, 0).dwOwningPid, 120);
	free(t);
}
END_TEST

START_TEST(empty_lists)
{
	serve(NULL, 0, NULL, 0);
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 0);
	free(t);
	PMIB_TCP6TABLE2 t6 = get6_2();
	ck_assert_uint_eq(t6->dwNumEntries, 0);
	free(t6);
}
END_TEST

/* Records that are not connections or do not make sense: skipped. */
START_TEST(non_connections_are_skipped)
{
	static const struct nb_pcb v4[] = {
		{ 4, FX_CLOSED, "10.0.0.1", NULL, 5, 0, 0, 0, PCB_A, SO_A },
		{ 4, 12, "10.0.0.1", "10.0.0.2", 6, 7, 0, 0, PCB_A, SO_A },
		{ 4, FX_ESTABLISHED, "10.0.0.1", "10.0.0.2", 6, 8, 0, 0, PCB_A, SO_A, 0, 17 },
		/* a peer sockaddr of the other family */
		{ 4, FX_ESTABLISHED, "10.0.0.1", "2001:db8::1", 6, 9, 0, 0, PCB_B, SO_B, 0, 0, 6 },
		{ 4, FX_SYN_SENT, "10.0.0.1", "10.0.0.2", 6, 10, 0, 0, PCB_C, SO_C },
	};
	serve(v4, N(v4), NULL, 0);
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, 1);
	ck_assert_uint_eq(ROW(t, 0).dwState, MIB_TCP_STATE_SYN_SENT);
	free(t);
}
END_TEST

/* A socket that is not connected has no peer sockaddr: remote 0. */
START_TEST(unconnected_peer_is_zero)
{
	static const struct nb_pcb v4[] = {
		{ 4, FX_SYN_SENT, "10.0.0.1", NULL, 6, 0, 0, 0, PCB_A, SO_A, 0, 0, -1 },
	};
	serve(v4, N(v4), NULL, 0);
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, 1);
	ck_assert_uint_eq(ROW(t, 0).dwRemoteAddr, 0);
	ck_assert_uint_eq(ROW(t, 0).dwRemotePort, 0);
	free(t);
}
END_TEST

/* A list that is not a whole number of kinfo_pcb records (a cut copy,
 * or a kernel with another record size): ERROR_NOT_SUPPORTED. */
START_TEST(truncated_or_resized_records_are_not_supported)
{
	struct bsd_buf whole = nb_list(v4_set, N(v4_set));
	const size_t cuts[] = { whole.len - 1, nb_pcb_size() + 8, 1 };
	for (size_t i = 0; i < N(cuts); i++) {
		fx_reset();
		fx.os = FX_NETBSD;
		fx.pcb[0] = bsd_buf_cut(&whole, cuts[i]);
		fx.npcb = 1;
		fx_expect_not_supported();
		fx_reset();
		fx.os = FX_NETBSD;
		fx.pcb6 = bsd_buf_cut(&whole, cuts[i]);
		fx_expect_not_supported();
	}
	bsd_buf_free(&whole);
	/* kinfo_file copies likewise, for the owner classes only. */
	fx_reset();
	fx.os = FX_NETBSD;
	serve(v4_set, N(v4_set), NULL, 0);
	own(1, SO_A);
	fx.files.len -= 4;
	fx_expect_not_supported();
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, 3);
	free(t);
}
END_TEST

START_TEST(read_errors)
{
	serve_sets();
	ULONG size = 0;
	fx.read_err[TT_BSD_PCB6] = -EACCES;
	ck_assert_uint_eq(GetTcp6Table(NULL, &size, TRUE), ERROR_NOT_SUPPORTED);
	fx.read_err[TT_BSD_PCB6] = 0;
	fx.read_err[TT_BSD_PCB] = -ENOMEM;
	ck_assert_uint_eq(GetTcpTable(NULL, &size, TRUE), ERROR_NOT_ENOUGH_MEMORY);
	ck_assert_uint_eq(GetTcp6Table(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
}
END_TEST

START_TEST(sizing_and_extended_classes)
{
	serve_sets();
	ULONG size = 0;
	ck_assert_uint_eq(GetTcp6Table2(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(size, offsetof(MIB_TCP6TABLE2, table) + 2 * sizeof(MIB_TCP6ROW2));
	struct tt_guarded g = tt_guarded_alloc(size);
	ck_assert_uint_eq(GetTcp6Table2((PMIB_TCP6TABLE2)g.buf, &size, TRUE), NO_ERROR);
	tt_guarded_free(&g);

	size = 0;
	ck_assert_uint_eq(GetExtendedTcpTable(NULL, &size, TRUE, AF_INET6,
					      TCP_TABLE_OWNER_PID_CONNECTIONS, 0),
			  ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(size, offsetof(MIB_TCP6TABLE_OWNER_PID, table) +
					sizeof(MIB_TCP6ROW_OWNER_PID));
	PMIB_TCP6TABLE_OWNER_PID t = malloc(size);
	ck_assert_uint_eq(GetExtendedTcpTable(t, &size, TRUE, AF_INET6,
					      TCP_TABLE_OWNER_PID_CONNECTIONS, 0),
			  NO_ERROR);
	ck_assert_uint_eq(t->dwNumEntries, 1);
	ck_assert_uint_eq(ROW(t, 0).dwState, MIB_TCP_STATE_TIME_WAIT);
	ck_assert_uint_eq(ROW(t, 0).dwOwningPid, 0);
	free(t);
	size = 0;
	ck_assert_uint_eq(GetExtendedTcpTable(NULL, &size, TRUE, AF_INET, TCP_TABLE_BASIC_LISTENER, 0),
			  ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(size, sizeof(DWORD) + sizeof(MIB_TCPROW));
}
END_TEST

START_TEST(statistics_from_counters)
{
	serve_sets();
	const struct fx_tcpstat s = { .connattempt = 5, .accepts = 6, .drops = 7, .conndrops = 8,
				      .closed = 9, .sndtotal = 100, .sndrexmitpack = 20,
				      .sndctrl = 19, .rcvtotal = 200, .rcvbadsum = 1,
				      .rcvbadoff = 1, .rcvshort = 1 };
	fx.stats = nb_tcpstat(&s, 40); /* a kernel with more counters */
	MIB_TCPSTATS st;
	ck_assert_uint_eq(GetTcpStatisticsEx(&st, AF_INET6), NO_ERROR);
	ck_assert_uint_eq(st.dwActiveOpens, 5);
	ck_assert_uint_eq(st.dwPassiveOpens, 6);
	ck_assert_uint_eq(st.dwEstabResets, 7);
	ck_assert_uint_eq(st.dwAttemptFails, 8);
	ck_assert_uint_eq(st.dwOutSegs, 80);
	ck_assert_uint_eq(st.dwRetransSegs, 20);
	ck_assert_uint_eq(st.dwInSegs, 200);
	ck_assert_uint_eq(st.dwInErrs, 3);
	ck_assert_uint_eq(st.dwOutRsts, 10);
	ck_assert_uint_eq(st.dwNumConns, 1); /* the IPv6 table's connections */
	ck_assert_uint_eq(st.dwCurrEstab, 0);
	/* Fewer counters than the backend reads. */
	fx.stats.len = 16 * 8;
	ck_assert_uint_eq(GetTcpStatisticsEx(&st, AF_INET6), ERROR_NOT_SUPPORTED);
}
END_TEST

START_TEST(allocation_failures)
{
	serve_sets();
	fx_every_allocation_fails(4); /* two lists, kern.file2, owner table, ... */
}
END_TEST

/* ---- UDP: net.inet.udp.pcblist, net.inet6.udp6.pcblist (kinfo_pcb),
 * net.inet.udp.stats, net.inet6.udp6.stats. */

#define UDP IPPROTO_UDP
static const struct nb_pcb udp_v4[] = {
	/* Connected, shared by pids 30 and 20. */
	{ 4, 0, "127.0.0.1", "127.0.0.1", 5353, 9999, 0, 0, PCB_B, SO_B, 0, UDP },
	{ 4, 0, NULL, NULL, 53, 0, 0, 0, PCB_A, SO_A, 0, UDP, -1 },
	/* Never bound: port 0, not listed. */
	{ 4, 0, NULL, NULL, 0, 0, 0, 0, PCB_C, SO_C, 0, UDP, -1 },
	/* A TCP record (never in this list; the walker checks anyway). */
	{ 4, FX_LISTEN, NULL, NULL, 99, 0, 0, 0, PCB_C + 8, SO_C + 8 },
};
static const struct nb_pcb udp_v6[] = {
	/* [::]:123 with IPV6_V6ONLY off: both tables. */
	{ 6, 0, NULL, NULL, 123, 0, 0, 0, PCB_D, SO_D, 0, UDP, -1 },
	/* [::]:124 with IPV6_V6ONLY on: IPv6 only. */
	{ 6, 0, NULL, NULL, 124, 0, 0, 0, PCB_D + 8, SO_D + 8, V6ONLY, UDP, -1 },
	/* Bound to ::ffff:10.1.1.1: an IPv4 row. */
	{ 6, 0, "::ffff:10.1.1.1", NULL, 7000, 0, 0, 0, PCB_D + 16, SO_D + 16, 0, UDP, -1 },
	/* fe80::1%5, the zone embedded. */
	{ 6, 0, "fe80::1", NULL, 546, 0, 5, 0, PCB_D + 24, SO_D + 24, V6ONLY, UDP, -1 },
};

static void serve_udp(void)
{
	serve(udp_v4, N(udp_v4), udp_v6, N(udp_v6));
	own(10, SO_A);
	own(30, SO_B);
	own(20, SO_B);
	own(40, SO_D);
	own(50, SO_D + 8);
	own(60, SO_D + 16);
	own(70, SO_D + 24);
}

START_TEST(udp_rows_both_families)
{
	serve_udp();
	PMIB_UDPTABLE_OWNER_PID t4 = fx_udp_ext(AF_INET, UDP_TABLE_OWNER_PID);
	/* 0.0.0.0:53, 0.0.0.0:123 (dual-stack), 10.1.1.1:7000 (v4-mapped),
	 * 127.0.0.1:5353 (lowest pid of 20, 30). */
	ck_assert_uint_eq(t4->dwNumEntries, 4);
	ck_assert_uint_eq(ROW(t4, 0).dwLocalAddr, 0);
	ck_assert_uint_eq(ROW(t4, 0).dwLocalPort, htons(53));
	ck_assert_uint_eq(ROW(t4, 0).dwOwningPid, 10);
	ck_assert_uint_eq(ROW(t4, 1).dwLocalAddr, 0);
	ck_assert_uint_eq(ROW(t4, 1).dwLocalPort, htons(123));
	ck_assert_uint_eq(ROW(t4, 1).dwOwningPid, 40);
	ck_assert_uint_eq(ROW(t4, 2).dwLocalAddr, a4("10.1.1.1"));
	ck_assert_uint_eq(ROW(t4, 2).dwLocalPort, htons(7000));
	ck_assert_uint_eq(ROW(t4, 2).dwOwningPid, 60);
	ck_assert_uint_eq(ROW(t4, 3).dwLocalAddr, a4("127.0.0.1"));
	ck_assert_uint_eq(ROW(t4, 3).dwLocalPort, htons(5353));
	ck_assert_uint_eq(ROW(t4, 3).dwOwningPid, 20);
	free(t4);
	ck_assert_int_eq(fx.reads[TT_BSD_UDP], 2);
	ck_assert_int_eq(fx.reads[TT_BSD_UDP6], 2);
	ck_assert_int_eq(fx.reads[TT_BSD_PCB] + fx.reads[TT_BSD_PCB6], 0);

	PMIB_UDP6TABLE_OWNER_PID t6 = fx_udp_ext(AF_INET6, UDP_TABLE_OWNER_PID);
	ck_assert_uint_eq(t6->dwNumEntries, 3);
	ck_assert_uint_eq(ROW(t6, 0).dwLocalPort, htons(123));
	ck_assert_uint_eq(ROW(t6, 0).dwOwningPid, 40);
	ck_assert_uint_eq(ROW(t6, 1).dwLocalPort, htons(124));
	ck_assert_uint_eq(ROW(t6, 1).dwOwningPid, 50);
	ck_assert_uint_eq(ROW(t6, 2).dwLocalPort, htons(546));
	ck_assert_uint_eq(ROW(t6, 2).dwLocalScopeId, 5);
	ck_assert_uint_eq(ROW(t6, 2).dwOwningPid, 70);
	ck_assert(addr6_is((const IN6_ADDR *)ROW(t6, 2).ucLocalAddr, "fe80::1"));
	free(t6);

	/* The basic tables read no kern.file2. */
	int files = fx.reads[TT_BSD_FILES];
	ULONG size = 0;
	ck_assert_uint_eq(GetUdpTable(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(GetUdp6Table(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_int_eq(fx.reads[TT_BSD_FILES], files);
}
END_TEST

START_TEST(udp_every_class_and_family)
{
	serve_udp();
	fx_udp_every_class_and_size(4, 3);
}
END_TEST

START_TEST(udp_malformed_and_read_errors)
{
	serve_udp();
	/* A record cut short: not a whole number of kinfo_pcb. */
	struct bsd_buf cut = bsd_buf_cut(&fx.pcb6, fx.pcb6.len - 1);
	bsd_buf_free(&fx.pcb6);
	fx.pcb6 = cut;
	DWORD size = 4096;
	struct tt_guarded g = tt_guarded_alloc(size);
	ck_assert_uint_eq(GetExtendedUdpTable(g.buf, &size, TRUE, AF_INET6, UDP_TABLE_BASIC, 0),
			  ERROR_NOT_SUPPORTED);
	ck_assert(tt_pattern_intact(g.map, g.map + g.body));
	tt_guarded_free(&g);
	fx.read_err[TT_BSD_UDP] = -ENOMEM;
	ULONG usize = 0;
	ck_assert_uint_eq(GetUdpTable(NULL, &usize, TRUE), ERROR_NOT_ENOUGH_MEMORY);
}
END_TEST

/* Per family: InErrors = hdrops + badsum + badlen + fullsock; InDatagrams
 * = delivered; NoPorts = noport; OutDatagrams = opackets. */
START_TEST(udp_statistics_per_family)
{
	serve_udp();
	const struct fx_udpstat s = { .ipackets = 1000, .hdrops = 1, .badsum = 2, .badlen = 3,
				      .noport = 40, .noportbcast = 50, .fullsock = 4,
				      .opackets = 777 };
	MIB_UDPSTATS st;
	fx.stats = nb_udpstat(&s, 4);
	ck_assert_uint_eq(GetUdpStatistics(&st), NO_ERROR);
	ck_assert_uint_eq(st.dwInDatagrams, 900);
	ck_assert_uint_eq(st.dwNoPorts, 40);
	ck_assert_uint_eq(st.dwInErrors, 10);
	ck_assert_uint_eq(st.dwOutDatagrams, 777);
	ck_assert_uint_eq(st.dwNumAddrs, 4);
	bsd_buf_free(&fx.stats);
	fx.stats = nb_udpstat(&s, 6);
	ck_assert_uint_eq(GetUdpStatisticsEx(&st, AF_INET6), NO_ERROR);
	ck_assert_uint_eq(st.dwInDatagrams, 900);
	ck_assert_uint_eq(st.dwNoPorts, 40);
	ck_assert_uint_eq(st.dwInErrors, 10);
	ck_assert_uint_eq(st.dwOutDatagrams, 777);
	ck_assert_uint_eq(st.dwNumAddrs, 3);
	/* Too short for the last counter read: not supported. */
	struct bsd_buf cut = bsd_buf_cut(&fx.stats, fx.stats.len - 1);
	bsd_buf_free(&fx.stats);
	fx.stats = cut;
	ck_assert_uint_eq(GetUdpStatisticsEx(&st, AF_INET6), ERROR_NOT_SUPPORTED);
}
END_TEST

START_TEST(udp_allocation_failures)
{
	serve_udp();
	fx_udp_every_allocation_fails(AF_INET, 3);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("bsd-netbsd");
	TCase *tc = tcase_create("netbsd");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ipv4_rows_every_field);
	tcase_add_test(tc, ipv6_rows_every_field);
	tcase_add_test(tc, dual_stack_and_v4_mapped);
	tcase_add_test(tc, dual_stack_ipv4_kill_retries_through_inet6_node);
	tcase_add_test(tc, kill_retry_rules);
	tcase_add_test(tc, files_mib_asks_for_all_processes);
	tcase_add_test(tc, link_local_embedded_zone_becomes_scope_id);
	tcase_add_test(tc, shared_socket_lowest_pid);
	tcase_add_test(tc, empty_lists);
	tcase_add_test(tc, non_connections_are_skipped);
	tcase_add_test(tc, unconnected_peer_is_zero);
	tcase_add_test(tc, truncated_or_resized_records_are_not_supported);
	tcase_add_test(tc, read_errors);
	tcase_add_test(tc, sizing_and_extended_classes);
	tcase_add_test(tc, statistics_from_counters);
	tcase_add_test(tc, allocation_failures);
	suite_add_tcase(s, tc);

	TCase *udp = tcase_create("udp");
	tcase_add_checked_fixture(udp, setup, teardown);
	tcase_add_test(udp, udp_rows_both_families);
	tcase_add_test(udp, udp_every_class_and_family);
	tcase_add_test(udp, udp_malformed_and_read_errors);
	tcase_add_test(udp, udp_statistics_per_family);
	tcase_add_test(udp, udp_allocation_failures);
	suite_add_tcase(s, udp);
	return s;
}

int main(void)
{
	return tt_run_suite(suite());
}
