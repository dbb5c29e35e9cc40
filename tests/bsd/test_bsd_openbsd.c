/*
 * test_bsd_openbsd.c - the OpenBSD backend's read sequence and walkers
 * (src/bsd/openbsd) under the real front end, on kinfo_file buffers built
 * from the transcribed records: sockets by file (with the fd-less
 * TIME_WAIT ones), owners by PID joined as root (PCB address) and as an
 * unprivileged caller (addresses and ports only), KAME zones, SetTcpEntry,
 * the module name, sizing, statistics and malformed buffers.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <arpa/inet.h>

#include <check.h>
#include <iphlpapi.h>
#include <tcptable_ext.h>

#include "fixture_backend.h"
#include "guard.h"
#include "hooks.h"
#include "openbsd.h"
#include "run_suite.h"
#include "suite.h"
#include "table_get.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

enum {
	PCB_A = 0xffff800011110000u,
	PCB_B = 0xffff800011110100u,
	PCB_C = 0xffff800011110200u,
	PCB_D = 0xffff800011110300u,
	PCB_E = 0xffff800011110400u,
};

static void setup(void)
{
	fx_reset();
	tt_hooks_reset();
	fx.os = FX_OPENBSD;
}

static void teardown(void)
{
	fx_reset();
	tt_hooks_reset();
}

static void serve(const struct ob_sock *s, size_t n)
{
	fx.pcb[0] = ob_list(s, n);
	fx.npcb = 1;
}

/* Process pid (named comm) holds socket s in one descriptor. */
static void own(uint32_t pid, const struct ob_sock *s, const char *comm)
{
	ob_file(&fx.files, s, pid, comm ? comm : "proc");
}

/* An IPv4 server (httpd, pid 10) with a client (pid 20); an IPv6 server
 * on ::1 (pid 30) and a connection to it in TIME_WAIT that no process
 * holds (the by-file list has it, the by-PID one cannot). */
static const struct ob_sock set[] = {
	{ 4, FX_ESTABLISHED, "127.0.0.1", "127.0.0.1", 80, 60000, 0, 0, PCB_B },
	{ 4, FX_LISTEN, NULL, NULL, 80, 0, 0, 0, PCB_A },
	{ 4, FX_ESTABLISHED, "127.0.0.1", "127.0.0.1", 60000, 80, 0, 0, PCB_C },
	{ 6, FX_LISTEN, "::1", NULL, 443, 0, 0, 0, PCB_D },
	{ 6, FX_TIME_WAIT, "::1", "::1", 443, 61000, 0, 0, PCB_E },
};

static void serve_set(void)
{
	serve(set, N(set));
	own(10, &set[1], "httpd");
	own(10, &set[0], "httpd");
	own(20, &set[2], "ftp");
	own(30, &set[3], "sshd");
	/* A vnode of pid 5 (its text): not a socket. */
	const struct ob_sock text = { 4, 0, NULL, NULL, 0, 0, 0, 0, PCB_E, 0, 0, OB_DTYPE_VNODE };
	own(5, &text, "init");
}

/* What an unprivileged caller gets: every socket's so_pcb reads -1. */
static struct ob_sock hidden(struct ob_sock s)
{
	s.pcb = OB_HIDDEN;
	return s;
}

START_TEST(ipv4_rows_every_field)
{
	serve_set();
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 3);
	fx_expect_row4(&ROW(t, 0), MIB_TCP_STATE_LISTEN, NULL, 80, NULL, 0, 10);
	fx_expect_row4(&ROW(t, 1), MIB_TCP_STATE_ESTAB, "127.0.0.1", 80, "127.0.0.1", 60000, 10);
	fx_expect_row4(&ROW(t, 2), MIB_TCP_STATE_ESTAB, "127.0.0.1", 60000, "127.0.0.1", 80, 20);
	free(t);
	ck_assert_int_eq(fx.reads[TT_BSD_PCB], 2);
	ck_assert_int_eq(fx.reads[TT_BSD_PCB6], 0);
	ck_assert_int_eq(fx.reads[TT_BSD_FILES], 1); /* not for the sizing call */
}
END_TEST

/* TIME_WAIT and other sockets no process holds are rows (from the
 * by-file list) with owner 0. */
START_TEST(ipv6_rows_and_fd_less_time_wait)
{
	serve_set();
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
}
END_TEST

/* Without root the kernel hides every pointer (so_pcb = -1): the join
 * falls back to family, routing table, addresses and ports. */
START_TEST(unprivileged_join_on_addresses)
{
	struct ob_sock s[N(set)];
	for (size_t i = 0; i < N(set); i++)
		s[i] = hidden(set[i]);
	serve(s, N(s));
	own(10, &s[1], NULL);
	own(10, &s[0], NULL);
	own(20, &s[2], NULL);
	own(30, &s[3], NULL);
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 3);
	fx_expect_row4(&ROW(t, 0), MIB_TCP_STATE_LISTEN, NULL, 80, NULL, 0, 10);
	fx_expect_row4(&ROW(t, 1), MIB_TCP_STATE_ESTAB, "127.0.0.1", 80, "127.0.0.1", 60000, 10);
	fx_expect_row4(&ROW(t, 2), MIB_TCP_STATE_ESTAB, "127.0.0.1", 60000, "127.0.0.1", 80, 20);
	free(t);
	PMIB_TCP6TABLE2 t6 = get6_2();
	ck_assert_uint_eq(t6->dwNumEntries, 2);
	ck_assert_uint_eq(ROW(t6, 0).dwOwningPid, 30);
	ck_assert_uint_eq(ROW(t6, 1).dwOwningPid, 0);
	free(t6);
}
END_TEST

/* As root the PCB address decides: a process's socket with the same
 * endpoints but another PCB is another socket.  In any case another
 * routing table is another socket. */
START_TEST(join_needs_same_pcb_and_routing_table)
{
	static const struct ob_sock s[] = {
		{ 4, FX_LISTEN, NULL, NULL, 22, 0, 0, 0, PCB_A, 0 },
		{ 4, FX_LISTEN, NULL, NULL, 22, 0, 0, 0, PCB_B, 1 },
	};
	serve(s, N(s));
	struct ob_sock other_pcb = s[0];
	other_pcb.pcb = PCB_C;
	own(7, &other_pcb, NULL);
	own(8, &s[1], NULL);
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 2);
	ck_assert_uint_eq(ROW(t, 0).dwOwningPid + ROW(t, 1).dwOwningPid, 8);

	/* Unprivileged: rtable 0 and rtable 1 listeners stay apart. */
	fx_reset();
	fx.os = FX_OPENBSD;
	const struct ob_sock h[] = { hidden(s[0]), hidden(s[1]) };
	serve(h, N(h));
	own(7, &h[0], NULL);
	own(8, &h[1], NULL);
	free(t);
	t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 2);
	DWORD p0 = ROW(t, 0).dwOwningPid, p1 = ROW(t, 1).dwOwningPid;
	ck_assert((p0 == 7 && p1 == 8) || (p0 == 8 && p1 == 7));
	free(t);
}
END_TEST

START_TEST(shared_socket_lowest_pid)
{
	serve(set, 1);
	own(300, &set[0], NULL);
	own(120, &set[0], NULL);
	own(4000, &set[0], NULL);
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 1);
	ck_assert_uint_eq(ROW(t, 0).dwOwningPid, 120);
	free(t);
}
END_TEST

START_TEST(link_local_embedded_zone_becomes_scope_id)
{
	static const struct ob_sock s[] = {
		{ 6, FX_ESTABLISHED, "fe80::1", "fe80::2", 22, 50000, 4, 4, PCB_A },
		{ 6, FX_LISTEN, "fe80::1", NULL, 23, 0, 0x0203, 0, PCB_B },
	};
	serve(s, N(s));
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

/* Records that are not TCP connections: skipped. */
START_TEST(non_connections_are_skipped)
{
	static const struct ob_sock s[] = {
		{ 4, FX_CLOSED, "10.0.0.1", NULL, 5, 0, 0, 0, PCB_A },
		{ 4, 12, "10.0.0.1", "10.0.0.2", 6, 7, 0, 0, PCB_A },
		{ 4, FX_ESTABLISHED, "10.0.0.1", "10.0.0.2", 6, 8, 0, 0, PCB_A, 0, 17 },
		{ 4, FX_ESTABLISHED, "10.0.0.1", "10.0.0.2", 6, 9, 0, 0, 0 }, /* no PCB */
		{ 4, FX_ESTABLISHED, "10.0.0.1", "10.0.0.2", 6, 11, 0, 0, PCB_B, 0, 0,
		  OB_DTYPE_VNODE },
		{ 4, FX_SYN_SENT, "10.0.0.1", "10.0.0.2", 6, 10, 0, 0, PCB_C },
	};
	serve(s, N(s));
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, 1);
	ck_assert_uint_eq(ROW(t, 0).dwState, MIB_TCP_STATE_SYN_SENT);
	ck_assert_uint_eq(ROW(t, 0).dwRemotePort, htons(10));
	free(t);
}
END_TEST

START_TEST(empty_lists)
{
	serve(NULL, 0);
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 0);
	free(t);
	PMIB_TCP6TABLE2 t6 = get6_2();
	ck_assert_uint_eq(t6->dwNumEntries, 0);
	free(t6);
}
END_TEST

/* kern.file is asked for every socket by file (the kernel then walks its
 * PCB tables) and for every process's descriptors with -1 ("all
 * processes"), in records of this build's struct kinfo_file. */
START_TEST(file_mibs)
{
	const int socks[] = { 1 /* CTL_KERN */, 73 /* KERN_FILE */, 1 /* KERN_FILE_BYFILE */,
			      2 /* DTYPE_SOCKET */, (int)ob_file_size(), INT_MAX };
	const int files[] = { 1, 73, 2 /* KERN_FILE_BYPID */, -1, (int)ob_file_size(), INT_MAX };
	ck_assert_int_eq(TT_OBSD_FILE_MIBLEN, N(socks));
	for (size_t i = 0; i < N(socks); i++) {
		ck_assert_int_eq(tt_obsd_sockets_mib[i], socks[i]);
		ck_assert_int_eq(tt_obsd_files_mib[i], files[i]);
	}
}
END_TEST

/* A copy that is not a whole number of kinfo_file records (a cut copy,
 * or a kernel with another record size): ERROR_NOT_SUPPORTED. */
START_TEST(truncated_or_resized_records_are_not_supported)
{
	struct bsd_buf whole = ob_list(set, N(set));
	const size_t cuts[] = { whole.len - 1, ob_file_size() + 8, 1 };
	for (size_t i = 0; i < N(cuts); i++) {
		fx_reset();
		fx.os = FX_OPENBSD;
		fx.pcb[0] = bsd_buf_cut(&whole, cuts[i]);
		fx.npcb = 1;
		fx_expect_not_supported();
	}
	bsd_buf_free(&whole);
	/* The by-PID copy likewise, for the owner classes only. */
	fx_reset();
	fx.os = FX_OPENBSD;
	serve_set();
	fx.files.len -= 4;
	fx_expect_not_supported();
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, 3);
	free(t);
}
END_TEST

START_TEST(read_errors)
{
	serve_set();
	ULONG size = 0;
	fx.read_err[TT_BSD_PCB] = -EACCES;
	ck_assert_uint_eq(GetTcp6Table(NULL, &size, TRUE), ERROR_NOT_SUPPORTED);
	fx.read_err[TT_BSD_PCB] = -ENOMEM;
	ck_assert_uint_eq(GetTcpTable(NULL, &size, TRUE), ERROR_NOT_ENOUGH_MEMORY);
	fx.read_err[TT_BSD_PCB] = 0;
	fx.read_err[TT_BSD_FILES] = -ENOMEM;
	ck_assert_uint_eq(GetTcpTable(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	PMIB_TCPTABLE2 t = malloc(size);
	ck_assert_uint_eq(GetTcpTable2(t, &size, TRUE), ERROR_NOT_ENOUGH_MEMORY);
	free(t);
}
END_TEST

START_TEST(sizing_and_extended_classes)
{
	serve_set();
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
	serve_set();
	const struct fx_tcpstat s = { .connattempt = 5, .accepts = 6, .drops = 7, .conndrops = 8,
				      .closed = 9, .sndtotal = 100, .sndrexmitpack = 20,
				      .sndctrl = 19, .rcvtotal = 200, .rcvbadsum = 1,
				      .rcvbadoff = 1, .rcvshort = 1 };
	fx.stats = ob_tcpstat(&s, 400); /* the rest of the kernel's struct tcpstat */
	MIB_TCPSTATS st;
	ck_assert_uint_eq(GetTcpStatisticsEx(&st, AF_INET), NO_ERROR);
	ck_assert_uint_eq(st.dwActiveOpens, 5);
	ck_assert_uint_eq(st.dwPassiveOpens, 6);
	ck_assert_uint_eq(st.dwEstabResets, 7);
	ck_assert_uint_eq(st.dwAttemptFails, 8);
	ck_assert_uint_eq(st.dwOutSegs, 80);
	ck_assert_uint_eq(st.dwRetransSegs, 20);
	ck_assert_uint_eq(st.dwInSegs, 200);
	ck_assert_uint_eq(st.dwInErrs, 3);
	ck_assert_uint_eq(st.dwOutRsts, 10);
	ck_assert_uint_eq(st.dwNumConns, 2); /* the IPv4 connections (not the listener) */
	ck_assert_uint_eq(st.dwCurrEstab, 2);
	/* A copy that ends before the last counter read. */
	fx.stats.len = 160;
	ck_assert_uint_eq(GetTcpStatisticsEx(&st, AF_INET), ERROR_NOT_SUPPORTED);
}
END_TEST

/* ---- UDP: the same by-file socket list, IPPROTO_UDP records. */

enum { PCB_U1 = 0xffff800011120000u, PCB_U2 = 0xffff800011120100u };

/* UDP sockets among the TCP ones: bound ones listed with their owner,
 * unbound (port 0) and TCP ones not; [::] only in the IPv6 table (no
 * v4-mapped sockets).  Unprivileged (hidden PCB pointers), a UDP socket
 * on the same address and port as a TCP listener keeps its own owner. */
static const struct ob_sock udp[] = {
	{ 4, 0, NULL, NULL, 53, 0, 0, 0, PCB_U1, 0, 17 },
	{ 4, 0, "127.0.0.1", "127.0.0.1", 5353, 53, 0, 0, PCB_U2, 0, 17 },
	{ 4, 0, NULL, NULL, 0, 0, 0, 0, PCB_U2 + 1, 0, 17 }, /* unbound */
	{ 6, 0, NULL, NULL, 53, 0, 0, 0, PCB_U1 + 1, 0, 17 },
	{ 4, 0, NULL, NULL, 80, 0, 0, 0, OB_HIDDEN, 0, 17 },
};

static void serve_udp(void)
{
	struct ob_sock all[N(set) + N(udp)];
	memcpy(all, set, sizeof(set));
	memcpy(all + N(set), udp, sizeof(udp));
	all[1] = hidden(all[1]); /* the TCP listener on 0.0.0.0:80 */
	serve(all, N(all));
	own(10, &all[1], "httpd");
	own(40, &udp[0], "named");
	own(50, &udp[1], "client");
	own(60, &udp[3], "named");
	own(70, &udp[4], "udpd");
}

START_TEST(udp_rows_and_owners)
{
	serve_udp();
	ULONG size = 0;
	ck_assert_uint_eq(GetExtendedUdpTable(NULL, &size, TRUE, AF_INET, UDP_TABLE_OWNER_PID, 0),
			  ERROR_INSUFFICIENT_BUFFER);
	PMIB_UDPTABLE_OWNER_PID t = malloc(size);
	ck_assert_uint_eq(GetExtendedUdpTable(t, &size, TRUE, AF_INET, UDP_TABLE_OWNER_PID, 0),
			  NO_ERROR);
	ck_assert_uint_eq(t->dwNumEntries, 3);
	ck_assert_uint_eq(ROW(t, 0).dwLocalAddr, 0);
	ck_assert_uint_eq(ROW(t, 0).dwLocalPort, htons(53));
	ck_assert_uint_eq(ROW(t, 0).dwOwningPid, 40);
	ck_assert_uint_eq(ROW(t, 1).dwLocalAddr, 0);
	ck_assert_uint_eq(ROW(t, 1).dwLocalPort, htons(80));
	ck_assert_uint_eq(ROW(t, 1).dwOwningPid, 70);
	ck_assert_uint_eq(ROW(t, 2).dwLocalAddr, htonl(INADDR_LOOPBACK));
	ck_assert_uint_eq(ROW(t, 2).dwLocalPort, htons(5353));
	ck_assert_uint_eq(ROW(t, 2).dwOwningPid, 50);
	free(t);
	size = 0;
	ck_assert_uint_eq(GetExtendedUdpTable(NULL, &size, TRUE, AF_INET6, UDP_TABLE_OWNER_PID, 0),
			  ERROR_INSUFFICIENT_BUFFER);
	PMIB_UDP6TABLE_OWNER_PID t6 = malloc(size);
	ck_assert_uint_eq(GetExtendedUdpTable(t6, &size, TRUE, AF_INET6, UDP_TABLE_OWNER_PID, 0),
			  NO_ERROR);
	ck_assert_uint_eq(t6->dwNumEntries, 1);
	ck_assert_uint_eq(ROW(t6, 0).dwLocalPort, htons(53));
	ck_assert_uint_eq(ROW(t6, 0).dwOwningPid, 60);
	free(t6);
	/* The TCP table is unchanged by the UDP sockets, its owners too. */
	PMIB_TCPTABLE2 tt = get4_2();
	ck_assert_uint_eq(tt->dwNumEntries, 3);
	ck_assert_uint_eq(ROW(tt, 0).dwLocalPort, htons(80));
	ck_assert_uint_eq(ROW(tt, 0).dwOwningPid, 10);
	free(tt);
}
END_TEST

/* A cut socket list: the UDP tables are not supported either, and nothing
 * is written to the caller's buffer (a guard page). */
START_TEST(udp_truncated_records_are_not_supported)
{
	serve_udp();
	struct bsd_buf whole = fx.pcb[0];
	for (size_t cut = 1; cut < whole.len; cut += 97) {
		if (cut % ob_file_size() == 0)
			continue;
		fx.pcb[0] = bsd_buf_cut(&whole, cut);
		fx_expect_udp_not_supported();
		bsd_buf_free(&fx.pcb[0]);
	}
	fx.pcb[0] = whole;
}
END_TEST

START_TEST(udp_statistics_from_counters)
{
	serve_udp();
	const struct df_udpstat s = { .ipackets = 100, .hdrops = 1, .badsum = 2, .badlen = 3,
				      .noport = 4, .noportbcast = 5, .fullsock = 6,
				      .opackets = 50 };
	fx.stats = ob_udpstat(&s, 16); /* the rest of the kernel's struct udpstat */
	MIB_UDPSTATS st;
	ck_assert_uint_eq(GetUdpStatisticsEx(&st, AF_INET), NO_ERROR);
	ck_assert_uint_eq(st.dwInDatagrams, 79);
	ck_assert_uint_eq(st.dwNoPorts, 9);
	ck_assert_uint_eq(st.dwInErrors, 12);
	ck_assert_uint_eq(st.dwOutDatagrams, 50);
	ck_assert_uint_eq(st.dwNumAddrs, 3);
	/* A copy that ends before the last counter read. */
	fx.stats.len = ob_udpstat_size() - 1;
	ck_assert_uint_eq(GetUdpStatisticsEx(&st, AF_INET), ERROR_NOT_SUPPORTED);
}
END_TEST

START_TEST(udp_allocation_failures)
{
	serve_udp();
	fx_udp_every_allocation_fails(AF_INET, 3); /* the sockets, the files, the owner table, ... */
}
END_TEST

/* ---- SetTcpEntry: net.inet.tcp.drop. */

START_TEST(kill_connection_and_listener)
{
	serve_set();
	PMIB_TCPTABLE2 t = get4_2();
	MIB_TCPROW r;
	memcpy(&r, &ROW(t, 1), sizeof(r)); /* 127.0.0.1:80 <- :60000 */
	r.dwState = MIB_TCP_STATE_DELETE_TCB;
	ck_assert_uint_eq(SetTcpEntry(&r), NO_ERROR);
	ck_assert_int_eq(fx.ndrops, 1);
	ck_assert_uint_eq(fx.drops[0].family, AF_INET);
	ck_assert_uint_eq(fx.drops[0].lport, htons(80));
	ck_assert_uint_eq(fx.drops[0].rport, htons(60000));
	/* Not found (ESRCH). */
	fx.drop_err[1] = -ENOENT;
	ck_assert_uint_eq(SetTcpEntry(&r), ERROR_MR_MID_NOT_FOUND);
	/* A listener: the kernel drops connections only. */
	memcpy(&r, &ROW(t, 0), sizeof(r));
	r.dwState = MIB_TCP_STATE_DELETE_TCB;
	ck_assert_uint_eq(SetTcpEntry(&r), ERROR_NOT_SUPPORTED);
	ck_assert_int_eq(fx.ndrops, 2);
	free(t);
}
END_TEST

/* The request bytes: remote endpoint first, sin_len set, the zone of a
 * link-local pair in sin6_scope_id, routing domain 0. */
START_TEST(drop_request_layout)
{
	uint64_t buf[(1024 + 7) / 8];
	ck_assert_uint_le(ob_ident_size(), sizeof(buf));
	struct tt_conn c;
	memset(&c, 0, sizeof(c));
	c.family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, "192.0.2.1", c.laddr), 1);
	ck_assert_int_eq(inet_pton(AF_INET, "198.51.100.2", c.raddr), 1);
	c.lport = htons(22);
	c.rport = htons(50000);
	memset(buf, 0xaa, sizeof(buf));
	ck_assert_int_eq(tt_obsd_drop_request(&c, (struct tcp_ident_mapping *)(void *)buf), 0);
	struct ob_ident id;
	ob_ident_decode(buf, &id);
	ck_assert_uint_eq(id.flen, 16);
	ck_assert_uint_eq(id.ffamily, 2);
	ck_assert_uint_eq(id.llen, 16);
	ck_assert_uint_eq(id.lfamily, 2);
	ck_assert_uint_eq(id.fport, htons(50000));
	ck_assert_uint_eq(id.lport, htons(22));
	ck_assert_mem_eq(id.faddr, c.raddr, 4);
	ck_assert_mem_eq(id.laddr, c.laddr, 4);
	ck_assert_uint_eq(id.rdomain, 0);

	c.family = AF_INET6;
	ck_assert_int_eq(inet_pton(AF_INET6, "fe80::1", c.laddr), 1);
	ck_assert_int_eq(inet_pton(AF_INET6, "fe80::2", c.raddr), 1);
	c.lscope = 3;
	ck_assert_int_eq(tt_obsd_drop_request(&c, (struct tcp_ident_mapping *)(void *)buf), 0);
	ob_ident_decode(buf, &id);
	ck_assert_uint_eq(id.flen, 28);
	ck_assert_uint_eq(id.ffamily, 24);
	ck_assert_uint_eq(id.lfamily, 24);
	ck_assert_mem_eq(id.faddr, c.raddr, 16);
	ck_assert_mem_eq(id.laddr, c.laddr, 16);
	ck_assert_uint_eq(id.fscope, 3); /* the peer shares the local zone */
	ck_assert_uint_eq(id.lscope, 3);

	/* No remote endpoint: refused before the kernel is asked. */
	memset(c.raddr, 0, 16);
	c.rport = 0;
	ck_assert_int_eq(tt_obsd_drop_request(&c, (struct tcp_ident_mapping *)(void *)buf),
			 -EOPNOTSUPP);
}
END_TEST

/* ---- GetOwnerModuleFromTcpEntry: the process name (p_comm). */

START_TEST(module_is_the_process_name)
{
	serve_set();
	PMIB_TCPTABLE_OWNER_MODULE t = NULL;
	ULONG size = 0;
	ck_assert_uint_eq(GetExtendedTcpTable(NULL, &size, TRUE, AF_INET, TCP_TABLE_OWNER_MODULE_ALL,
					      0),
			  ERROR_INSUFFICIENT_BUFFER);
	t = malloc(size);
	ck_assert_uint_eq(GetExtendedTcpTable(t, &size, TRUE, AF_INET, TCP_TABLE_OWNER_MODULE_ALL, 0),
			  NO_ERROR);
	ck_assert_uint_eq(t->dwNumEntries, 3);
	MIB_TCPROW_OWNER_MODULE r = ROW(t, 2);
	ck_assert_uint_eq(r.dwOwningPid, 20);
	DWORD msize = 0;
	ck_assert_uint_eq(GetOwnerModuleFromTcpEntry(&r, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &msize),
			  ERROR_INSUFFICIENT_BUFFER);
	unsigned char *buf = malloc(msize);
	ck_assert_uint_eq(GetOwnerModuleFromTcpEntry(&r, TCPIP_OWNER_MODULE_INFO_BASIC, buf, &msize),
			  NO_ERROR);
	TCPIP_OWNER_MODULE_BASIC_INFO *bi = (void *)buf;
	ck_assert(wcscmp(bi->pModuleName, L"ftp") == 0);
	ck_assert(wcscmp(bi->pModulePath, L"ftp") == 0);
	free(buf);
	/* A PID no process has. */
	r.dwOwningPid = 999;
	msize = 0;
	ck_assert_uint_eq(GetOwnerModuleFromTcpEntry(&r, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &msize),
			  ERROR_NOT_FOUND);
	free(t);
}
END_TEST

START_TEST(allocation_failures)
{
	serve_set();
	fx_every_allocation_fails(3); /* the sockets, the files, the owner table, ... */
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("bsd-openbsd");
	TCase *tc = tcase_create("openbsd");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ipv4_rows_every_field);
	tcase_add_test(tc, ipv6_rows_and_fd_less_time_wait);
	tcase_add_test(tc, unprivileged_join_on_addresses);
	tcase_add_test(tc, join_needs_same_pcb_and_routing_table);
	tcase_add_test(tc, shared_socket_lowest_pid);
	tcase_add_test(tc, link_local_embedded_zone_becomes_scope_id);
	tcase_add_test(tc, non_connections_are_skipped);
	tcase_add_test(tc, empty_lists);
	tcase_add_test(tc, file_mibs);
	tcase_add_test(tc, truncated_or_resized_records_are_not_supported);
	tcase_add_test(tc, read_errors);
	tcase_add_test(tc, sizing_and_extended_classes);
	tcase_add_test(tc, statistics_from_counters);
	tcase_add_test(tc, kill_connection_and_listener);
	tcase_add_test(tc, drop_request_layout);
	tcase_add_test(tc, module_is_the_process_name);
	tcase_add_test(tc, allocation_failures);
	tcase_add_test(tc, udp_rows_and_owners);
	tcase_add_test(tc, udp_truncated_records_are_not_supported);
	tcase_add_test(tc, udp_statistics_from_counters);
	tcase_add_test(tc, udp_allocation_failures);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tt_run_suite(suite());
}
