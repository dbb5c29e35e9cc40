/*
 * test_bsd_dragonfly.c - the DragonFly backend's read sequence and walkers
 * (src/bsd/dragonfly) under the real front end, on xtcpcb / kinfo_file /
 * tcp_stats buffers built from the transcribed records: per-CPU lists with
 * padding records, DragonFly's shifted TCP state numbers, owners joined by
 * the inpcb's socket, KAME zones, sizing, per-CPU statistics, SetTcpEntry
 * and malformed buffers.
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
#include <tcptable_ext.h>

#include "dragonfly.h"
#include "fixture_backend.h"
#include "guard.h"
#include "hooks.h"
#include "run_suite.h"
#include "suite.h"
#include "table_get.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define DTYPE_SOCKET 2
#define DTYPE_PIPE 3

/* Kernel addresses of sockets, as inp_socket and f_data carry them. */
enum {
	SO_A = 0xfffff80055550000u,
	SO_B = 0xfffff80055550200u,
	SO_C = 0xfffff80055550400u,
	SO_D = 0xfffff80055550600u,
};

static void setup(void)
{
	fx_reset();
	tt_hooks_reset();
	fx.os = FX_DRAGONFLY;
}

static void teardown(void)
{
	fx_reset();
	tt_hooks_reset();
}

static void serve(const struct df_pcb *r, size_t n)
{
	fx.pcb[0] = df_list(r, n);
	fx.npcb = 1;
}

static void own(int32_t pid, uint64_t so)
{
	df_file(&fx.files, pid, DTYPE_SOCKET, so);
}

/* A server on 0.0.0.0:80 (pid 100) with one accepted connection from a
 * local client (pid 200), spread over two CPUs' lists: CPU 0 holds the
 * listener and the client's end, then one padding record (the list
 * shrank while it was copied), CPU 1 the server's end. */
static const struct df_pcb cpu0[] = {
	{ 4, FX_LISTEN, NULL, NULL, 80, 0, 0, 0, SO_A },
	{ 4, FX_ESTABLISHED, "127.0.0.1", "127.0.0.1", 50000, 80, 0, 0, SO_C },
};
static const struct df_pcb cpu1[] = {
	{ 4, FX_ESTABLISHED, "127.0.0.1", "127.0.0.1", 80, 50000, 0, 0, SO_B },
};

static void serve_two_cpus(void)
{
	fx.pcb[0] = df_list(cpu0, N(cpu0));
	df_pad(&fx.pcb[0]);
	for (size_t i = 0; i < N(cpu1); i++)
		df_pcb(&fx.pcb[0], &cpu1[i]);
	fx.npcb = 1;
	own(100, SO_A);
	own(100, SO_B);
	own(200, SO_C);
	df_file(&fx.files, 100, DTYPE_PIPE, SO_D); /* not a socket */
}

START_TEST(ipv4_rows_every_field)
{
	serve_two_cpus();
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 3);
	fx_expect_row4(&ROW(t, 0), MIB_TCP_STATE_LISTEN, NULL, 80, NULL, 0, 100);
	fx_expect_row4(&ROW(t, 1), MIB_TCP_STATE_ESTAB, "127.0.0.1", 80, "127.0.0.1", 50000, 100);
	fx_expect_row4(&ROW(t, 2), MIB_TCP_STATE_ESTAB, "127.0.0.1", 50000, "127.0.0.1", 80, 200);
	free(t);
	ck_assert_int_eq(fx.reads[TT_BSD_PCB], 2);
	ck_assert_int_eq(fx.reads[TT_BSD_PCB6], 0); /* one list for both families */
	ck_assert_int_eq(fx.reads[TT_BSD_FILES], 1); /* not for the sizing call */
	/* Tables without owners do not read kern.file. */
	PMIB_TCPTABLE b = get4();
	ck_assert_uint_eq(b->dwNumEntries, 3);
	free(b);
	ck_assert_int_eq(fx.reads[TT_BSD_FILES], 1);
}
END_TEST

/* IPv6 rows, with the KAME zone of link-local addresses as scope ids;
 * every IPv6 socket is IPv6-only on DragonFly (no v4-mapped addresses),
 * so a listener on :: is not in the IPv4 table. */
START_TEST(ipv6_rows_and_zones)
{
	static const struct df_pcb r[] = {
		{ 6, FX_ESTABLISHED, "fe80::1", "fe80::2", 22, 50000, 4, 4, SO_A },
		{ 6, FX_LISTEN, NULL, NULL, 22, 0, 0, 0, SO_B },
		{ 6, FX_TIME_WAIT, "2001:db8::1", "2001:db8::2", 22, 50001, 0, 0, SO_C },
	};
	serve(r, N(r));
	own(40, SO_A);
	own(41, SO_B);
	PMIB_TCP6TABLE2 t = get6_2();
	ck_assert_uint_eq(t->dwNumEntries, 3);
	MIB_TCP6ROW2 *row = &ROW(t, 0);
	ck_assert(addr6_is(&row->LocalAddr, "::"));
	ck_assert_uint_eq(row->State, MIB_TCP_STATE_LISTEN);
	ck_assert_uint_eq(row->dwOwningPid, 41);
	row = &ROW(t, 1);
	ck_assert(addr6_is(&row->RemoteAddr, "2001:db8::2"));
	ck_assert_uint_eq(row->State, MIB_TCP_STATE_TIME_WAIT);
	ck_assert_uint_eq(row->dwOwningPid, 0); /* no descriptor left */
	row = &ROW(t, 2);
	ck_assert(addr6_is(&row->LocalAddr, "fe80::1"));
	ck_assert_uint_eq(row->dwLocalScopeId, 4);
	ck_assert(addr6_is(&row->RemoteAddr, "fe80::2"));
	ck_assert_uint_eq(row->dwRemoteScopeId, 4);
	ck_assert_uint_eq(row->dwLocalPort, htons(22));
	ck_assert_uint_eq(row->dwRemotePort, htons(50000));
	ck_assert_uint_eq(row->State, MIB_TCP_STATE_ESTAB);
	ck_assert_uint_eq(row->dwOwningPid, 40);
	free(t);
	PMIB_TCPTABLE2 t4 = get4_2();
	ck_assert_uint_eq(t4->dwNumEntries, 0);
	free(t4);
}
END_TEST

/* DragonFly numbers its states one higher than the other BSDs
 * (TCPS_TERMINATING is 0, TCPS_CLOSED 1, ... TCPS_TIME_WAIT 11): every one
 * maps to its Windows value; TERMINATING, CLOSED and numbers past the
 * table are no connection. */
START_TEST(shifted_state_map)
{
	static const DWORD want[] = {
		[FX_LISTEN] = MIB_TCP_STATE_LISTEN,
		[FX_SYN_SENT] = MIB_TCP_STATE_SYN_SENT,
		[FX_SYN_RECEIVED] = MIB_TCP_STATE_SYN_RCVD,
		[FX_ESTABLISHED] = MIB_TCP_STATE_ESTAB,
		[FX_CLOSE_WAIT] = MIB_TCP_STATE_CLOSE_WAIT,
		[FX_FIN_WAIT_1] = MIB_TCP_STATE_FIN_WAIT1,
		[FX_CLOSING] = MIB_TCP_STATE_CLOSING,
		[FX_LAST_ACK] = MIB_TCP_STATE_LAST_ACK,
		[FX_FIN_WAIT_2] = MIB_TCP_STATE_FIN_WAIT2,
		[FX_TIME_WAIT] = MIB_TCP_STATE_TIME_WAIT,
	};
	struct df_pcb r[FX_TIME_WAIT + 3];
	for (int s = -1; s <= FX_TIME_WAIT + 1; s++)
		r[s + 1] = (struct df_pcb){ 4, s, "10.0.0.1", "10.0.0.2", (uint16_t)(s + 1), 9, 0,
					    0, SO_A + 8 * (uint64_t)(s + 1) };
	serve(r, N(r));
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, FX_TIME_WAIT);
	for (DWORD i = 0; i < t->dwNumEntries; i++) {
		int s = ntohs((uint16_t)ROW(t, i).dwLocalPort) - 1;
		ck_assert_int_ge(s, FX_LISTEN);
		ck_assert_int_le(s, FX_TIME_WAIT);
		ck_assert_uint_eq(ROW(t, i).dwState, want[s]);
	}
	free(t);
}
END_TEST

/* connect(2) moves a PCB to another CPU's list; copied between the two
 * lists, it is in both.  One row, by its socket. */
START_TEST(pcb_listed_on_two_cpus_is_one_row)
{
	static const struct df_pcb r[] = {
		{ 4, FX_SYN_SENT, "10.0.0.1", "10.0.0.2", 40000, 443, 0, 0, SO_A },
		{ 4, FX_LISTEN, NULL, NULL, 22, 0, 0, 0, SO_B },
		{ 4, FX_SYN_SENT, "10.0.0.1", "10.0.0.2", 40000, 443, 0, 0, SO_A },
	};
	serve(r, N(r));
	own(7, SO_A);
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 2);
	fx_expect_row4(&ROW(t, 0), MIB_TCP_STATE_LISTEN, NULL, 22, NULL, 0, 0);
	fx_expect_row4(&ROW(t, 1), MIB_TCP_STATE_SYN_SENT, "10.0.0.1", 40000, "10.0.0.2", 443, 7);
	free(t);
}
END_TEST

/* The kernel fills xt_socket only for a PCB that has a socket and leaves
 * the previous record's there otherwise: the owner comes from the inpcb's
 * own socket pointer, never from a stale xso_so. */
START_TEST(owner_is_the_inpcb_socket_not_a_stale_xsocket)
{
	static const struct df_pcb r[] = {
		{ 4, FX_ESTABLISHED, "10.0.0.1", "10.0.0.2", 80, 50000, 0, 0, SO_A },
		{ 4, FX_TIME_WAIT, "10.0.0.1", "10.0.0.3", 80, 50001, 0, 0, 0, .stale_so = SO_A },
	};
	serve(r, N(r));
	own(55, SO_A);
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 2);
	fx_expect_row4(&ROW(t, 0), MIB_TCP_STATE_ESTAB, "10.0.0.1", 80, "10.0.0.2", 50000, 55);
	fx_expect_row4(&ROW(t, 1), MIB_TCP_STATE_TIME_WAIT, "10.0.0.1", 80, "10.0.0.3", 50001, 0);
	free(t);
}
END_TEST

START_TEST(shared_socket_lowest_pid)
{
	serve(cpu1, N(cpu1));
	own(300, SO_B);
	own(120, SO_B);
	own(4000, SO_B);
	own(-1, SO_B); /* no process: ignored */
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 1);
	ck_assert_uint_eq(ROW(t, 0).dwOwningPid, 120);
	free(t);
}
END_TEST

START_TEST(empty_list)
{
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 0);
	free(t);
	ck_assert_int_eq(fx.reads[TT_BSD_FILES], 0); /* nothing to own */
	/* Only padding records (every PCB went away during the copy). */
	df_pad(&fx.pcb[0]);
	df_pad(&fx.pcb[0]);
	fx.npcb = 1;
	t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 0);
	free(t);
}
END_TEST

/* Records of another protocol or an unknown family are skipped. */
START_TEST(non_tcp_and_unknown_family_are_skipped)
{
	static const struct df_pcb r[] = {
		{ 4, FX_ESTABLISHED, "10.0.0.1", "10.0.0.2", 1, 2, 0, 0, SO_A, 17 },
		{ 1, FX_ESTABLISHED, "10.0.0.1", "10.0.0.2", 3, 4, 0, 0, SO_B },
		{ 4, FX_CLOSE_WAIT, "10.0.0.1", "10.0.0.2", 5, 6, 0, 0, SO_C },
	};
	serve(r, N(r));
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, 1);
	ck_assert_uint_eq(ROW(t, 0).dwState, MIB_TCP_STATE_CLOSE_WAIT);
	free(t);
}
END_TEST

/* A copy that is not whole records of this build's xtcpcb (a cut copy, or
 * a kernel of another release: xtcpcb holds the kernel's own inpcb and
 * tcpcb): ERROR_NOT_SUPPORTED, never a misparse. */
START_TEST(cut_or_resized_records_are_not_supported)
{
	struct bsd_buf whole = df_list(cpu0, N(cpu0));
	const size_t cuts[] = { whole.len - 1, df_pcb_size() + 8, df_pcb_size() + 7, 1 };
	for (size_t i = 0; i < N(cuts); i++) {
		fx_reset();
		fx.os = FX_DRAGONFLY;
		fx.pcb[0] = bsd_buf_cut(&whole, cuts[i]);
		fx.npcb = 1;
		fx_expect_not_supported();
	}
	bsd_buf_free(&whole);

	struct df_pcb r[] = {
		{ 4, FX_LISTEN, NULL, NULL, 80, 0, 0, 0, SO_A },
		{ 4, FX_LISTEN, NULL, NULL, 81, 0, 0, 0, SO_B },
	};
	r[1].len = df_pcb_size() + 8;
	fx_reset();
	fx.os = FX_DRAGONFLY;
	serve(r, N(r));
	fx_expect_not_supported();
}
END_TEST

/* A kern.file copy of another record size, or cut: the owner classes are
 * not supported, the others still work. */
START_TEST(kinfo_file_mismatch)
{
	serve_two_cpus();
	df_file_len(&fx.files, df_file_size() - 8);
	fx_expect_not_supported();
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, 3);
	free(t);
	bsd_buf_free(&fx.files);
	own(1, SO_A);
	fx.files.len -= 4;
	fx_expect_not_supported();
}
END_TEST

START_TEST(read_errors)
{
	serve_two_cpus();
	ULONG size = 0;
	fx.read_err[TT_BSD_PCB] = -EPERM;
	ck_assert_uint_eq(GetTcpTable(NULL, &size, TRUE), ERROR_NOT_SUPPORTED);
	fx.read_err[TT_BSD_PCB] = -ENOMEM;
	ck_assert_uint_eq(GetTcpTable(NULL, &size, TRUE), ERROR_NOT_ENOUGH_MEMORY);
	fx.read_err[TT_BSD_PCB] = 0;
	fx.read_err[TT_BSD_FILES] = -EIO;
	fx_expect_not_supported();
	ck_assert_uint_eq(GetTcpTable(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
}
END_TEST

START_TEST(sizing_and_extended_classes)
{
	serve_two_cpus();
	ULONG size = 0;
	ck_assert_uint_eq(GetTcpTable2(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(size, offsetof(MIB_TCPTABLE2, table) + 3 * sizeof(MIB_TCPROW2));
	struct tt_guarded g = tt_guarded_alloc(size);
	ck_assert_uint_eq(GetTcpTable2((PMIB_TCPTABLE2)g.buf, &size, TRUE), NO_ERROR);
	ck_assert_uint_eq(((PMIB_TCPTABLE2)g.buf)->dwNumEntries, 3);
	tt_guarded_free(&g);

	size = 0;
	ck_assert_uint_eq(GetExtendedTcpTable(NULL, &size, TRUE, AF_INET,
					      TCP_TABLE_OWNER_PID_CONNECTIONS, 0),
			  ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(size, sizeof(DWORD) + 2 * sizeof(MIB_TCPROW_OWNER_PID));
	PMIB_TCPTABLE_OWNER_PID t = malloc(size);
	ck_assert_uint_eq(GetExtendedTcpTable(t, &size, TRUE, AF_INET,
					      TCP_TABLE_OWNER_PID_CONNECTIONS, 0),
			  NO_ERROR);
	ck_assert_uint_eq(t->dwNumEntries, 2);
	ck_assert_uint_eq(ROW(t, 0).dwOwningPid, 100);
	ck_assert_uint_eq(ROW(t, 1).dwOwningPid, 200);
	free(t);
}
END_TEST

/* SetTcpEntry: one drop node for both families, given the row's
 * endpoints. */
START_TEST(kill_goes_to_the_drop_node)
{
	serve_two_cpus();
	PMIB_TCPTABLE2 t = get4_2();
	MIB_TCPROW r;
	memcpy(&r, &ROW(t, 1), sizeof(r));
	free(t);
	r.dwState = MIB_TCP_STATE_DELETE_TCB;
	ck_assert_uint_eq(SetTcpEntry(&r), NO_ERROR);
	ck_assert_int_eq(fx.ndrops, 1);
	const struct tt_conn *d = &fx.drops[0];
	ck_assert_uint_eq(d->family, AF_INET);
	ck_assert_mem_eq(d->laddr, &r.dwLocalAddr, 4);
	ck_assert_mem_eq(d->raddr, &r.dwRemoteAddr, 4);
	ck_assert_uint_eq(d->lport, htons(80));
	ck_assert_uint_eq(d->rport, htons(50000));

	fx.ndrops = 0;
	fx.drop_err[0] = -ENOENT; /* ESRCH from the node */
	ck_assert_uint_eq(SetTcpEntry(&r), ERROR_MR_MID_NOT_FOUND);
	ck_assert_int_eq(fx.ndrops, 1);
}
END_TEST

/* net.inet.tcp.stats is one struct tcp_stats per network CPU: summed. */
START_TEST(statistics_summed_over_cpus)
{
	serve_two_cpus();
	const struct fx_tcpstat s = { .connattempt = 1, .accepts = 2, .drops = 3, .conndrops = 4,
				      .closed = 5, .sndtotal = 100, .sndrexmitpack = 10,
				      .sndctrl = 7, .rcvtotal = 90, .rcvbadsum = 1,
				      .rcvbadoff = 2, .rcvshort = 3 };
	fx.stats = df_tcpstat(&s, 3); /* CPUs carry 1x, 2x and 3x: sums are 6x */
	MIB_TCPSTATS st;
	ck_assert_uint_eq(GetTcpStatistics(&st), NO_ERROR);
	ck_assert_uint_eq(st.dwActiveOpens, 6);
	ck_assert_uint_eq(st.dwPassiveOpens, 12);
	ck_assert_uint_eq(st.dwEstabResets, 18);
	ck_assert_uint_eq(st.dwAttemptFails, 24);
	ck_assert_uint_eq(st.dwOutSegs, 540);
	ck_assert_uint_eq(st.dwRetransSegs, 60);
	ck_assert_uint_eq(st.dwInSegs, 540);
	ck_assert_uint_eq(st.dwInErrs, 36);
	ck_assert_uint_eq(st.dwOutRsts, 12);
	ck_assert_uint_eq(st.dwNumConns, 2);
	ck_assert_uint_eq(st.dwCurrEstab, 2);
	ck_assert_int_eq((int)st.dwMaxConn, -1);

	/* Not a whole number of tcp_stats (another kernel release), or
	 * none: not supported. */
	const size_t bad[] = { 3 * df_tcpstat_size() - 8, df_tcpstat_size() + 1, 16 };
	for (size_t i = 0; i < N(bad); i++) {
		fx.stats.len = bad[i];
		ck_assert_uint_eq(GetTcpStatistics(&st), ERROR_NOT_SUPPORTED);
	}
}
END_TEST

/* net.inet.udp.pcblist (struct xinpcb): every bound UDP socket, with its
 * owner; an unbound one (port 0, as the padding records are) is not
 * listed; a socket of another protocol is skipped; [::] is IPv6 only
 * (DragonFly has no v4-mapped sockets).  The TCP list is not read. */
static const struct df_pcb udp[] = {
	{ 4, 0, NULL, NULL, 53, 0, 0, 0, SO_A },
	{ 4, 0, "127.0.0.1", "127.0.0.1", 5000, 53, 0, 0, SO_B },
	{ 4, 0, NULL, NULL, 0, 0, 0, 0, SO_C }, /* unbound */
	{ 6, 0, NULL, NULL, 53, 0, 0, 0, SO_D },
	{ 6, 0, "fe80::1", NULL, 546, 0, 3, 0, SO_A },
	{ 4, 0, "10.0.0.1", NULL, 7, 0, 0, 0, SO_C, 6 }, /* not UDP */
};

static void serve_udp(void)
{
	fx.pcb[0] = df_udp_list(udp, N(udp));
	fx.npcb = 1;
	own(100, SO_A);
	own(200, SO_B);
	own(300, SO_C);
	own(400, SO_D);
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
	ck_assert_uint_eq(t->dwNumEntries, 2);
	ck_assert_uint_eq(ROW(t, 0).dwLocalAddr, 0);
	ck_assert_uint_eq(ROW(t, 0).dwLocalPort, htons(53));
	ck_assert_uint_eq(ROW(t, 0).dwOwningPid, 100);
	ck_assert_uint_eq(ROW(t, 1).dwLocalAddr, htonl(INADDR_LOOPBACK));
	ck_assert_uint_eq(ROW(t, 1).dwLocalPort, htons(5000));
	ck_assert_uint_eq(ROW(t, 1).dwOwningPid, 200);
	free(t);

	size = 0;
	ck_assert_uint_eq(GetExtendedUdpTable(NULL, &size, TRUE, AF_INET6, UDP_TABLE_OWNER_PID, 0),
			  ERROR_INSUFFICIENT_BUFFER);
	PMIB_UDP6TABLE_OWNER_PID t6 = malloc(size);
	ck_assert_uint_eq(GetExtendedUdpTable(t6, &size, TRUE, AF_INET6, UDP_TABLE_OWNER_PID, 0),
			  NO_ERROR);
	ck_assert_uint_eq(t6->dwNumEntries, 2);
	static const UCHAR any[16] = { 0 };
	ck_assert_mem_eq(ROW(t6, 0).ucLocalAddr, any, 16);
	ck_assert_uint_eq(ROW(t6, 0).dwLocalPort, htons(53));
	ck_assert_uint_eq(ROW(t6, 0).dwOwningPid, 400);
	ck_assert_uint_eq(ROW(t6, 1).ucLocalAddr[0], 0xfe);
	ck_assert_uint_eq(ROW(t6, 1).dwLocalScopeId, 3);
	ck_assert_uint_eq(ROW(t6, 1).dwLocalPort, htons(546));
	ck_assert_uint_eq(ROW(t6, 1).dwOwningPid, 100);
	free(t6);
	ck_assert_int_gt(fx.reads[TT_BSD_UDP], 0);
	ck_assert_int_eq(fx.reads[TT_BSD_PCB], 0);
}
END_TEST

/* A UDP copy cut inside a record, or of another xinpcb size: not
 * supported, nothing written to the caller's buffer (a guard page). */
START_TEST(udp_cut_or_resized_records_are_not_supported)
{
	struct bsd_buf whole = df_udp_list(udp, N(udp));
	for (size_t cut = 1; cut < whole.len; cut += 37) {
		if (cut % df_udp_size() == 0)
			continue;
		bsd_buf_free(&fx.pcb[0]);
		fx.pcb[0] = bsd_buf_cut(&whole, cut);
		fx_expect_udp_not_supported();
	}
	bsd_buf_free(&whole);
	struct df_pcb r = udp[0];
	r.len = df_udp_size() + 8;
	bsd_buf_free(&fx.pcb[0]);
	df_udp(&fx.pcb[0], &r);
	ULONG size = 0;
	ck_assert_uint_eq(GetUdpTable(NULL, &size, TRUE), ERROR_NOT_SUPPORTED);
}
END_TEST

/* net.inet.udp.stats is one struct udpstat per network CPU: summed. */
START_TEST(udp_statistics_summed_over_cpus)
{
	serve_udp();
	const struct df_udpstat s = { .ipackets = 100, .hdrops = 1, .badsum = 2, .badlen = 3,
				      .noport = 4, .noportbcast = 5, .fullsock = 6,
				      .opackets = 50 };
	fx.stats = df_udpstat(&s, 3); /* sums are 6x */
	MIB_UDPSTATS st;
	ck_assert_uint_eq(GetUdpStatistics(&st), NO_ERROR);
	ck_assert_uint_eq(st.dwInDatagrams, 6 * (100 - 21));
	ck_assert_uint_eq(st.dwNoPorts, 6 * 9);
	ck_assert_uint_eq(st.dwInErrors, 6 * 12);
	ck_assert_uint_eq(st.dwOutDatagrams, 300);
	ck_assert_uint_eq(st.dwNumAddrs, 2);
	const size_t bad[] = { 3 * df_udpstat_size() - 8, df_udpstat_size() + 1, 0 };
	for (size_t i = 0; i < N(bad); i++) {
		fx.stats.len = bad[i];
		ck_assert_uint_eq(GetUdpStatistics(&st), ERROR_NOT_SUPPORTED);
	}
}
END_TEST

/* Every allocation of a UDP owner-table call fails in turn. */
START_TEST(udp_allocation_failures)
{
	serve_udp();
	fx_udp_every_allocation_fails(AF_INET, 3); /* the list, kern.file, the owner table, ... */
}
END_TEST

/* Every allocation of a call fails in turn: the documented error, no
 * leak (the sanitizer and valgrind builds check), never a crash. */
START_TEST(allocation_failures)
{
	serve_two_cpus();
	fx_every_allocation_fails(3); /* pcblist, kern.file, owner table, ... */
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("bsd-dragonfly");
	TCase *tc = tcase_create("dragonfly");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ipv4_rows_every_field);
	tcase_add_test(tc, ipv6_rows_and_zones);
	tcase_add_test(tc, shifted_state_map);
	tcase_add_test(tc, pcb_listed_on_two_cpus_is_one_row);
	tcase_add_test(tc, owner_is_the_inpcb_socket_not_a_stale_xsocket);
	tcase_add_test(tc, shared_socket_lowest_pid);
	tcase_add_test(tc, empty_list);
	tcase_add_test(tc, non_tcp_and_unknown_family_are_skipped);
	tcase_add_test(tc, cut_or_resized_records_are_not_supported);
	tcase_add_test(tc, kinfo_file_mismatch);
	tcase_add_test(tc, read_errors);
	tcase_add_test(tc, sizing_and_extended_classes);
	tcase_add_test(tc, kill_goes_to_the_drop_node);
	tcase_add_test(tc, statistics_summed_over_cpus);
	tcase_add_test(tc, allocation_failures);
	tcase_add_test(tc, udp_rows_and_owners);
	tcase_add_test(tc, udp_cut_or_resized_records_are_not_supported);
	tcase_add_test(tc, udp_statistics_summed_over_cpus);
	tcase_add_test(tc, udp_allocation_failures);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tt_run_suite(suite());
}
