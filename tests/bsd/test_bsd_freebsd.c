/*
 * test_bsd_freebsd.c - the FreeBSD backend's read sequence and walkers
 * (src/bsd/freebsd) under the real front end, on kernel buffers built from
 * the transcribed records: every row field, the IPv4/IPv6/dual-stack
 * split, KAME zones, owners from kern.file, the generation retry, sizing,
 * sorting, statistics, and every malformed-buffer error; the same for UDP
 * (net.inet.udp.pcblist, net.inet.udp.stats).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <check.h>
#include <iphlpapi.h>

#include "fixture_backend.h"
#include "fixtures_impl.h"
#include "freebsd.h"
#include "guard.h"
#include "hooks.h"
#include "run_suite.h"
#include "suite.h"
#include "table_get.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define DTYPE_SOCKET 2
#define DTYPE_VNODE 1

/* Kernel addresses of sockets, as xso_so and xf_data carry them. */
enum {
	SO_A = 0xfffff80012340000u,
	SO_B = 0xfffff80012340400u,
	SO_C = 0xfffff80012340800u,
	SO_D = 0xfffff80012340c00u,
	SO_E = 0xfffff80012341000u,
};

static void setup(void)
{
	fx_reset();
	tt_hooks_reset();
	fx.os = FX_FREEBSD;
}

static void teardown(void)
{
	fx_reset();
	tt_hooks_reset();
}

static void serve(const struct fb_pcb *r, size_t n)
{
	fx.pcb[0] = fb_list(100, 100, r, n);
	fx.npcb = 1;
}

static void own(int32_t pid, uint64_t so)
{
	fb_file(&fx.files, pid, DTYPE_SOCKET, so);
}

/* A server on 0.0.0.0:80 (pid 100) with one accepted connection from a
 * local client (pid 200), listed in the kernel's own (unsorted) order. */
static const struct fb_pcb ipv4_set[] = {
	{ FB_V4, FX_ESTABLISHED, "127.0.0.1", "127.0.0.1", 50000, 80, 0, 0, SO_C, 7 },
	{ FB_V4, FX_LISTEN, NULL, NULL, 80, 0, 0, 0, SO_A, 5 },
	{ FB_V4, FX_ESTABLISHED, "127.0.0.1", "127.0.0.1", 80, 50000, 0, 0, SO_B, 8 },
};

static void serve_ipv4_set(void)
{
	serve(ipv4_set, N(ipv4_set));
	own(100, SO_A);
	own(100, SO_B);
	own(200, SO_C);
	fb_file(&fx.files, 100, DTYPE_VNODE, SO_D); /* not a socket */
}

START_TEST(ipv4_rows_every_field)
{
	serve_ipv4_set();
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 3);
	/* Sorted: 0.0.0.0:80, then 127.0.0.1:80, then 127.0.0.1:50000. */
	fx_expect_row4(&ROW(t, 0), MIB_TCP_STATE_LISTEN, NULL, 80, NULL, 0, 100);
	fx_expect_row4(&ROW(t, 1), MIB_TCP_STATE_ESTAB, "127.0.0.1", 80, "127.0.0.1", 50000, 100);
	fx_expect_row4(&ROW(t, 2), MIB_TCP_STATE_ESTAB, "127.0.0.1", 50000, "127.0.0.1", 80, 200);
	free(t);
	/* A pcblist read per call (sizing, then fill); kern.file only for
	 * the call that fills rows. */
	ck_assert_int_eq(fx.reads[TT_BSD_PCB], 2);
	ck_assert_int_eq(fx.reads[TT_BSD_FILES], 1);
	ck_assert_int_eq(fx.reads[TT_BSD_PCB6], 0);
}
END_TEST

START_TEST(tables_without_owners_do_not_read_kern_file)
{
	serve_ipv4_set();
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, 3);
	ck_assert_uint_eq(ROW(t, 0).dwState, MIB_TCP_STATE_LISTEN);
	free(t);
	ck_assert_int_eq(fx.reads[TT_BSD_FILES], 0);
}
END_TEST

START_TEST(ipv6_rows_every_field)
{
	static const struct fb_pcb r6[] = {
		{ FB_V6 | FB_V6PROTO, FX_LISTEN, "::1", NULL, 443, 0, 0, 0, SO_A, 3 },
		{ FB_V6 | FB_V6PROTO, FX_CLOSE_WAIT, "2001:db8::5", "2001:db8::9", 443, 40000, 0, 0,
		  SO_B, 4 },
	};
	serve(r6, N(r6));
	own(321, SO_A);
	own(322, SO_B);
	PMIB_TCP6TABLE2 t = get6_2();
	ck_assert_uint_eq(t->dwNumEntries, 2);
	MIB_TCP6ROW2 *r = &ROW(t, 0);
	ck_assert(addr6_is(&r->LocalAddr, "::1"));
	ck_assert_uint_eq(r->dwLocalScopeId, 0);
	ck_assert_uint_eq(r->dwLocalPort, htons(443));
	ck_assert(addr6_is(&r->RemoteAddr, "::"));
	ck_assert_uint_eq(r->dwRemotePort, 0);
	ck_assert_uint_eq(r->State, MIB_TCP_STATE_LISTEN);
	ck_assert_uint_eq(r->dwOwningPid, 321);
	r = &ROW(t, 1);
	ck_assert(addr6_is(&r->LocalAddr, "2001:db8::5"));
	ck_assert(addr6_is(&r->RemoteAddr, "2001:db8::9"));
	ck_assert_uint_eq(r->dwRemotePort, htons(40000));
	ck_assert_uint_eq(r->State, MIB_TCP_STATE_CLOSE_WAIT);
	ck_assert_uint_eq(r->dwOwningPid, 322);
	free(t);
	/* Neither is in the IPv4 table. */
	PMIB_TCPTABLE2 t4 = get4_2();
	ck_assert_uint_eq(t4->dwNumEntries, 0);
	free(t4);
}
END_TEST

/* A dual-stack listener (INP_IPV4 | INP_IPV6) is in both tables; its
 * connections carry one flag each and go to that family's table. */
START_TEST(dual_stack_listener_in_both_tables)
{
	static const struct fb_pcb r[] = {
		{ FB_V4 | FB_V6 | FB_V6PROTO, FX_LISTEN, NULL, NULL, 8080, 0, 0, 0, SO_A, 1 },
		{ FB_V4 | FB_V6PROTO, FX_ESTABLISHED, "10.0.0.1", "10.0.0.2", 8080, 41000, 0, 0, SO_B,
		  2 },
		{ FB_V6 | FB_V6PROTO, FX_ESTABLISHED, "2001:db8::1", "2001:db8::2", 8080, 42000, 0, 0,
		  SO_C, 3 },
	};
	serve(r, N(r));
	own(500, SO_A);
	own(500, SO_B);
	own(500, SO_C);
	PMIB_TCPTABLE2 t4 = get4_2();
	ck_assert_uint_eq(t4->dwNumEntries, 2);
	ck_assert_uint_eq(ROW(t4, 0).dwLocalAddr, 0);
	ck_assert_uint_eq(ROW(t4, 0).dwLocalPort, htons(8080));
	ck_assert_uint_eq(ROW(t4, 0).dwState, MIB_TCP_STATE_LISTEN);
	ck_assert_uint_eq(ROW(t4, 0).dwOwningPid, 500);
	ck_assert_uint_eq(ROW(t4, 1).dwLocalAddr, a4("10.0.0.1"));
	ck_assert_uint_eq(ROW(t4, 1).dwRemoteAddr, a4("10.0.0.2"));
	free(t4);
	PMIB_TCP6TABLE2 t6 = get6_2();
	ck_assert_uint_eq(t6->dwNumEntries, 2);
	ck_assert(addr6_is(&ROW(t6, 0).LocalAddr, "::"));
	ck_assert_uint_eq(ROW(t6, 0).State, MIB_TCP_STATE_LISTEN);
	ck_assert_uint_eq(ROW(t6, 0).dwOwningPid, 500);
	ck_assert(addr6_is(&ROW(t6, 1).LocalAddr, "2001:db8::1"));
	free(t6);
}
END_TEST

/* KAME: the zone sits in bytes 2-3 of a link-local address; the rows show
 * the wire address and the zone as the scope id (host order). */
START_TEST(link_local_embedded_zone_becomes_scope_id)
{
	static const struct fb_pcb r[] = {
		{ FB_V6, FX_ESTABLISHED, "fe80::1", "fe80::2", 22, 51000, 3, 3, SO_A, 1 },
		{ FB_V6, FX_LISTEN, "fe80::1", NULL, 23, 0, 0x0102, 0, SO_B, 1 },
		{ FB_V6, FX_ESTABLISHED, "2001:db8::1", "fe80::7", 24, 52000, 0, 9, SO_C, 1 },
	};
	serve(r, N(r));
	PMIB_TCP6TABLE2 t = get6_2();
	ck_assert_uint_eq(t->dwNumEntries, 3);
	/* Sorted by address, then scope, then port. */
	MIB_TCP6ROW2 *g = &ROW(t, 0);
	ck_assert(addr6_is(&g->LocalAddr, "2001:db8::1"));
	ck_assert_uint_eq(g->dwLocalScopeId, 0);
	ck_assert(addr6_is(&g->RemoteAddr, "fe80::7"));
	ck_assert_uint_eq(g->dwRemoteScopeId, 9);
	g = &ROW(t, 1);
	ck_assert(addr6_is(&g->LocalAddr, "fe80::1"));
	ck_assert_uint_eq(g->dwLocalScopeId, 3);
	ck_assert_uint_eq(g->dwLocalPort, htons(22));
	ck_assert(addr6_is(&g->RemoteAddr, "fe80::2"));
	ck_assert_uint_eq(g->dwRemoteScopeId, 3);
	g = &ROW(t, 2);
	ck_assert(addr6_is(&g->LocalAddr, "fe80::1"));
	ck_assert_uint_eq(g->dwLocalScopeId, 0x0102);
	ck_assert_uint_eq(g->dwRemoteScopeId, 0);
	/* No owners were asked for: kern.file was not read, PIDs are 0. */
	ck_assert_uint_eq(g->dwOwningPid, 0);
	free(t);
}
END_TEST

/* Syncache entries and TIME_WAIT PCBs have no socket: PID 0, even when a
 * file entry claims address 0. */
START_TEST(syncache_and_time_wait_have_no_owner)
{
	static const struct fb_pcb r[] = {
		{ FB_V4, FX_SYN_RECEIVED, "10.0.0.1", "10.0.0.9", 80, 33000, 0, 0, 0, 0 },
		{ FB_V4, FX_TIME_WAIT, "10.0.0.1", "10.0.0.8", 80, 33001, 0, 0, 0, 6 },
		{ FB_V6, FX_TIME_WAIT, "2001:db8::1", "2001:db8::8", 80, 33002, 0, 0, 0, 6 },
		{ FB_V4, FX_LISTEN, "10.0.0.1", NULL, 80, 0, 0, 0, SO_A, 2 },
	};
	serve(r, N(r));
	own(77, SO_A);
	own(88, 0);
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 3);
	ck_assert_uint_eq(ROW(t, 0).dwState, MIB_TCP_STATE_LISTEN);
	ck_assert_uint_eq(ROW(t, 0).dwOwningPid, 77);
	ck_assert_uint_eq(ROW(t, 1).dwState, MIB_TCP_STATE_TIME_WAIT);
	ck_assert_uint_eq(ROW(t, 1).dwRemotePort, htons(33001));
	ck_assert_uint_eq(ROW(t, 1).dwOwningPid, 0);
	ck_assert_uint_eq(ROW(t, 2).dwState, MIB_TCP_STATE_SYN_RCVD);
	ck_assert_uint_eq(ROW(t, 2).dwOwningPid, 0);
	free(t);
	PMIB_TCP6TABLE2 t6 = get6_2();
	ck_assert_uint_eq(t6->dwNumEntries, 1);
	ck_assert_uint_eq(ROW(t6, 0).State, MIB_TCP_STATE_TIME_WAIT);
	ck_assert_uint_eq(ROW(t6, 0).dwOwningPid, 0);
	free(t6);
}
END_TEST

/* A socket open in several processes (fork, SCM_RIGHTS): the lowest PID,
 * whatever order kern.file lists them in. */
START_TEST(shared_socket_lowest_pid)
{
	static const struct fb_pcb r[] = {
		{ FB_V4, FX_LISTEN, NULL, NULL, 443, 0, 0, 0, SO_E, 1 },
		{ FB_V4, FX_LISTEN, NULL, NULL, 444, 0, 0, 0, SO_D, 1 },
	};
	serve(r, N(r));
	own(900, SO_E);
	own(250, SO_E);
	own(600, SO_E);
	own(250, SO_E); /* a second descriptor in the same process */
	own(40, SO_D);
	own(7000, SO_D);
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 2);
	ck_assert_uint_eq(ROW(t, 0).dwOwningPid, 250);
	ck_assert_uint_eq(ROW(t, 1).dwOwningPid, 40);
	free(t);
}
END_TEST

START_TEST(empty_table)
{
	serve(NULL, 0);
	ULONG size = 0;
	ck_assert_uint_eq(GetTcpTable2(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(size, offsetof(MIB_TCPTABLE2, table));
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 0);
	free(t);
	PMIB_TCP6TABLE t6 = get6();
	ck_assert_uint_eq(t6->dwNumEntries, 0);
	free(t6);
}
END_TEST

/* No INET in the kernel (the node is missing): an empty table, no error. */
START_TEST(missing_pcblist_node_is_an_empty_table)
{
	fx.npcb = 0;
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 0);
	free(t);
}
END_TEST

/* The list changed while the kernel copied it (head and trailer
 * generations differ): read again, and use the consistent copy. */
START_TEST(generation_mismatch_retries_then_succeeds)
{
	static const struct fb_pcb stale[] = {
		{ FB_V4, FX_ESTABLISHED, "10.0.0.1", "10.0.0.2", 1000, 2000, 0, 0, SO_A, 1 },
	};
	static const struct fb_pcb fresh[] = {
		{ FB_V4, FX_LISTEN, NULL, NULL, 3000, 0, 0, 0, SO_B, 1 },
	};
	fx.pcb[0] = fb_list(10, 11, stale, 1);
	fx.pcb[1] = fb_list(12, 13, stale, 1);
	fx.pcb[2] = fb_list(14, 14, fresh, 1);
	fx.npcb = 3;
	own(1, SO_B);
	PMIB_TCPTABLE2 t = malloc(4096);
	ULONG size = 4096;
	ck_assert_uint_eq(GetTcpTable2(t, &size, TRUE), NO_ERROR);
	ck_assert_int_eq(fx.reads[TT_BSD_PCB], 3);
	ck_assert_int_eq(fx.reads[TT_BSD_FILES], 1); /* only for the copy used */
	ck_assert_uint_eq(t->dwNumEntries, 1);
	ck_assert_uint_eq(ROW(t, 0).dwLocalPort, htons(3000));
	ck_assert_uint_eq(ROW(t, 0).dwOwningPid, 1);
	free(t);
}
END_TEST

/* Under constant churn the retries are bounded: after
 * TT_BSD_READ_ATTEMPTS copies the last one is used as it is. */
START_TEST(generation_mismatch_is_bounded)
{
	static const struct fb_pcb r[] = {
		{ FB_V4, FX_LISTEN, NULL, NULL, 3000, 0, 0, 0, SO_B, 1 },
	};
	fx.pcb[0] = fb_list(20, 21, r, 1);
	fx.npcb = 1;
	PMIB_TCPTABLE t = malloc(4096);
	ULONG size = 4096;
	ck_assert_uint_eq(GetTcpTable(t, &size, TRUE), NO_ERROR);
	ck_assert_int_eq(fx.reads[TT_BSD_PCB], TT_BSD_READ_ATTEMPTS);
	ck_assert_uint_eq(t->dwNumEntries, 1);
	free(t);
}
END_TEST

/* PCBs created while the list was copied carry a generation above the
 * head's: skipped (the next call shows them). */
START_TEST(records_newer_than_head_are_skipped)
{
	static const struct fb_pcb r[] = {
		{ FB_V4, FX_LISTEN, NULL, NULL, 1, 0, 0, 0, SO_A, 99 },
		{ FB_V4, FX_LISTEN, NULL, NULL, 2, 0, 0, 0, SO_B, 100 },
		{ FB_V4, FX_LISTEN, NULL, NULL, 3, 0, 0, 0, SO_C, 101 },
		{ FB_V4, FX_SYN_RECEIVED, "10.0.0.1", "10.0.0.2", 2, 9, 0, 0, 0, 0 },
	};
	serve(r, N(r)); /* head generation 100 */
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, 3);
	ck_assert_uint_eq(ROW(t, 0).dwLocalPort, htons(1));
	ck_assert_uint_eq(ROW(t, 1).dwLocalPort, htons(2));
	ck_assert_uint_eq(ROW(t, 1).dwState, MIB_TCP_STATE_LISTEN);
	ck_assert_uint_eq(ROW(t, 2).dwState, MIB_TCP_STATE_SYN_RCVD);
	free(t);
}
END_TEST

/* Records that are not connections: TCPS_CLOSED (bound or dropped
 * sockets), a state out of range, no family flag, another protocol. */
START_TEST(non_connections_are_skipped)
{
	static const struct fb_pcb r[] = {
		{ FB_V4, FX_CLOSED, "10.0.0.1", NULL, 5, 0, 0, 0, SO_A, 1 },
		{ FB_V4, FX_CLOSED, NULL, NULL, 0, 0, 0, 0, SO_B, 1 },
		{ FB_V4, 11, "10.0.0.1", "10.0.0.2", 6, 7, 0, 0, SO_C, 1 },
		{ FB_V4, -1, "10.0.0.1", "10.0.0.2", 6, 8, 0, 0, SO_C, 1 },
		{ FB_V6PROTO, FX_ESTABLISHED, "10.0.0.1", "10.0.0.2", 6, 9, 0, 0, SO_D, 1 },
		{ FB_V4, FX_ESTABLISHED, "10.0.0.1", "10.0.0.2", 6, 10, 0, 0, SO_E, 1, 17 },
		{ FB_V4, FX_FIN_WAIT_2, "10.0.0.1", "10.0.0.2", 6, 11, 0, 0, SO_E, 1 },
	};
	serve(r, N(r));
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, 1);
	ck_assert_uint_eq(ROW(t, 0).dwState, MIB_TCP_STATE_FIN_WAIT2);
	free(t);
}
END_TEST

/* Every BSD state maps to its Windows value (SPEC §5; CLOSING 9 and
 * LAST_ACK 10, not the RFC 1213 order). */
START_TEST(state_map)
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
	struct fb_pcb r[FX_TIME_WAIT];
	for (int s = FX_LISTEN; s <= FX_TIME_WAIT; s++)
		r[s - 1] = (struct fb_pcb){ FB_V4, s, "10.0.0.1", "10.0.0.2", (uint16_t)s, 9, 0, 0,
					    SO_A + (uint64_t)s, 1 };
	serve(r, N(r));
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, N(r));
	for (DWORD i = 0; i < t->dwNumEntries; i++) {
		unsigned s = ntohs((uint16_t)ROW(t, i).dwLocalPort);
		ck_assert_uint_eq(ROW(t, i).dwState, want[s]);
	}
	free(t);
}
END_TEST

START_TEST(truncated_buffer_is_not_supported)
{
	struct bsd_buf whole = fb_list(5, 5, ipv4_set, N(ipv4_set));
	/* Cut anywhere: inside the trailer, between records, inside one. */
	const size_t cuts[] = { whole.len - 1, whole.len - fb_gen_size(),
				fb_gen_size() + fb_pcb_size() + 100, fb_gen_size() + 8,
				fb_gen_size(), 2 * fb_gen_size() - 1, 1 };
	for (size_t i = 0; i < N(cuts); i++) {
		fx_reset();
		fx.os = FX_FREEBSD;
		fx.pcb[0] = bsd_buf_cut(&whole, cuts[i]);
		fx.npcb = 1;
		int err = tt_fbsd_pcblist_check(fx.pcb[0].p, fx.pcb[0].len);
		ck_assert_msg(err == -EBADMSG || err == -EOPNOTSUPP, "cut at %zu: %d", cuts[i], err);
		fx_expect_not_supported();
	}
	bsd_buf_free(&whole);
}
END_TEST

/* A kernel whose xtcpcb has another size (an ABI this build does not
 * know): ERROR_NOT_SUPPORTED, never a misparse. */
START_TEST(record_length_mismatch_is_not_supported)
{
	struct fb_pcb r[] = {
		{ FB_V4, FX_LISTEN, NULL, NULL, 80, 0, 0, 0, SO_A, 1 },
		{ FB_V4, FX_LISTEN, NULL, NULL, 81, 0, 0, 0, SO_B, 1 },
	};
	r[1].len = fb_pcb_size() - 8;
	serve(r, N(r));
	ck_assert_int_eq(tt_fbsd_pcblist_check(fx.pcb[0].p, fx.pcb[0].len), -EOPNOTSUPP);
	fx_expect_not_supported();

	/* Every record larger, consistently (a newer kernel): still refused. */
	fx_reset();
	fx.os = FX_FREEBSD;
	struct bsd_buf b = { 0 };
	fb_head(&b, 1);
	r[0].len = fb_pcb_size() + 8;
	fb_pcb(&b, &r[0]);
	bsd_buf_grow(&b, 8);
	fb_head(&b, 1);
	fx.pcb[0] = b;
	fx.npcb = 1;
	ck_assert_int_eq(tt_fbsd_pcblist_check(b.p, b.len), -EOPNOTSUPP);
	fx_expect_not_supported();
}
END_TEST

START_TEST(head_length_mismatch_is_not_supported)
{
	serve(ipv4_set, N(ipv4_set));
	uint64_t bad = 72;
	memcpy(fx.pcb[0].p, &bad, sizeof(bad)); /* the head's xig_len */
	ck_assert_int_eq(tt_fbsd_pcblist_check(fx.pcb[0].p, fx.pcb[0].len), -EOPNOTSUPP);
	fx_expect_not_supported();
}
END_TEST

/* kern.file records of another size: the owner classes fail, the tables
 * without owners do not need kern.file and still work. */
START_TEST(xfile_length_mismatch)
{
	serve(ipv4_set, N(ipv4_set));
	fb_file_len(&fx.files, fb_file_size() + 16);
	fx_expect_not_supported();
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, 3);
	free(t);

	struct bsd_buf whole = { 0 };
	fb_file(&whole, 1, DTYPE_SOCKET, SO_A);
	bsd_buf_free(&fx.files);
	fx.files = bsd_buf_cut(&whole, whole.len - 1);
	bsd_buf_free(&whole);
	fx_expect_not_supported();
}
END_TEST

START_TEST(read_errors)
{
	serve_ipv4_set();
	ULONG size = 0;
	fx.read_err[TT_BSD_PCB] = -EPERM;
	ck_assert_uint_eq(GetTcpTable(NULL, &size, TRUE), ERROR_NOT_SUPPORTED);
	fx.read_err[TT_BSD_PCB] = -ENOMEM;
	ck_assert_uint_eq(GetTcpTable(NULL, &size, TRUE), ERROR_NOT_ENOUGH_MEMORY);
	fx.read_err[TT_BSD_PCB] = 0;
	fx.read_err[TT_BSD_FILES] = -EIO;
	fx_expect_not_supported();
	/* Calls that return no owner rows do not read kern.file. */
	ck_assert_uint_eq(GetTcpTable(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(GetTcpTable2(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
}
END_TEST

/* Sizing through the Windows protocol, and the Extended classes. */
START_TEST(sizing_and_extended_classes)
{
	serve_ipv4_set();
	ULONG size = 0;
	ck_assert_uint_eq(GetTcpTable2(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(size, offsetof(MIB_TCPTABLE2, table) + 3 * sizeof(MIB_TCPROW2));
	/* One byte short, against a guard page: nothing written. */
	struct tt_guarded g = tt_guarded_alloc(size - 1);
	ULONG shorter = size - 1;
	ck_assert_uint_eq(GetTcpTable2((PMIB_TCPTABLE2)g.buf, &shorter, TRUE),
			  ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(shorter, size);
	ck_assert(tt_pattern_intact(g.map, g.map + g.body));
	tt_guarded_free(&g);
	/* Exactly enough, ending at the guard page. */
	g = tt_guarded_alloc(size);
	ck_assert_uint_eq(GetTcpTable2((PMIB_TCPTABLE2)g.buf, &size, TRUE), NO_ERROR);
	ck_assert_uint_eq(((PMIB_TCPTABLE2)g.buf)->dwNumEntries, 3);
	tt_guarded_free(&g);

	static const struct {
		TCP_TABLE_CLASS cls;
		DWORD rows;
		size_t row_size;
	} want[] = {
		{ TCP_TABLE_BASIC_LISTENER, 1, sizeof(MIB_TCPROW) },
		{ TCP_TABLE_BASIC_CONNECTIONS, 2, sizeof(MIB_TCPROW) },
		{ TCP_TABLE_BASIC_ALL, 3, sizeof(MIB_TCPROW) },
		{ TCP_TABLE_OWNER_PID_LISTENER, 1, sizeof(MIB_TCPROW_OWNER_PID) },
		{ TCP_TABLE_OWNER_PID_CONNECTIONS, 2, sizeof(MIB_TCPROW_OWNER_PID) },
		{ TCP_TABLE_OWNER_PID_ALL, 3, sizeof(MIB_TCPROW_OWNER_PID) },
	};
	for (size_t i = 0; i < N(want); i++) {
		size = 0;
		ck_assert_uint_eq(GetExtendedTcpTable(NULL, &size, TRUE, AF_INET, want[i].cls, 0),
				  ERROR_INSUFFICIENT_BUFFER);
		ck_assert_uint_eq(size, sizeof(DWORD) + want[i].rows * want[i].row_size);
		void *t = malloc(size);
		ck_assert_uint_eq(GetExtendedTcpTable(t, &size, TRUE, AF_INET, want[i].cls, 0),
				  NO_ERROR);
		ck_assert_uint_eq(*(DWORD *)t, want[i].rows);
		free(t);
	}
	/* The owner rows carry the PIDs from kern.file. */
	size = 0;
	GetExtendedTcpTable(NULL, &size, TRUE, AF_INET, TCP_TABLE_OWNER_PID_ALL, 0);
	PMIB_TCPTABLE_OWNER_PID op = malloc(size);
	ck_assert_uint_eq(GetExtendedTcpTable(op, &size, TRUE, AF_INET, TCP_TABLE_OWNER_PID_ALL, 0),
			  NO_ERROR);
	ck_assert_uint_eq(ROW(op, 0).dwOwningPid, 100);
	ck_assert_uint_eq(ROW(op, 2).dwOwningPid, 200);
	free(op);
}
END_TEST

/* Many PCBs in kernel order (as a hash walk gives them): sorted rows. */
START_TEST(rows_are_sorted)
{
	enum { COUNT = 600 };
	struct fb_pcb *r = calloc(COUNT, sizeof(*r));
	char (*addr)[20] = calloc(COUNT, sizeof(*addr));
	unsigned seed = 12345;
	for (int i = 0; i < COUNT; i++) {
		seed = seed * 1103515245u + 12345u;
		snprintf(addr[i], sizeof(addr[i]), "10.%u.%u.%u", (seed >> 8) & 3, (seed >> 12) & 255,
			 (seed >> 20) & 255);
		r[i] = (struct fb_pcb){ FB_V4, FX_ESTABLISHED, addr[i], "192.0.2.1",
					(uint16_t)(1 + (seed >> 3) % 5), (uint16_t)i, 0, 0,
					SO_A + 16u * (uint64_t)i, 1 };
	}
	serve(r, COUNT);
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, COUNT);
	for (DWORD i = 1; i < t->dwNumEntries; i++) {
		const MIB_TCPROW *p = &ROW(t, i - 1), *q = &ROW(t, i);
		uint32_t pa = ntohl(p->dwLocalAddr), qa = ntohl(q->dwLocalAddr);
		uint16_t pp = ntohs((uint16_t)p->dwLocalPort), qp = ntohs((uint16_t)q->dwLocalPort);
		ck_assert(pa < qa || (pa == qa && (pp < qp || (pp == qp && ntohs((uint16_t)p->dwRemotePort) <
									   ntohs((uint16_t)q->dwRemotePort)))));
	}
	free(t);
	free(r);
	free(addr);
}
END_TEST

START_TEST(statistics_from_tcpstat)
{
	serve_ipv4_set();
	const struct fx_tcpstat s = { .connattempt = 11, .accepts = 22, .drops = 3, .conndrops = 4,
				      .closed = 50, .sndtotal = 1000, .sndrexmitpack = 10,
				      .sndctrl = 70, .rcvtotal = 900, .rcvbadsum = 1,
				      .rcvbadoff = 2, .rcvshort = 3 };
	fx.stats = fb_tcpstat(&s, 512); /* a kernel with more counters */
	MIB_TCPSTATS st;
	ck_assert_uint_eq(GetTcpStatistics(&st), NO_ERROR);
	ck_assert_uint_eq(st.dwActiveOpens, 11);
	ck_assert_uint_eq(st.dwPassiveOpens, 22);
	ck_assert_uint_eq(st.dwAttemptFails, 4);
	ck_assert_uint_eq(st.dwEstabResets, 3);
	ck_assert_uint_eq(st.dwInSegs, 900);
	ck_assert_uint_eq(st.dwOutSegs, 990);
	ck_assert_uint_eq(st.dwRetransSegs, 10);
	ck_assert_uint_eq(st.dwInErrs, 6);
	ck_assert_uint_eq(st.dwOutRsts, 20);
	ck_assert_uint_eq(st.dwNumConns, 2); /* from the table: the connections */
	ck_assert_uint_eq(st.dwCurrEstab, 2);
	ck_assert_int_eq((int)st.dwMaxConn, -1);

	/* Too short to hold the counters: not supported. */
	struct bsd_buf cut = bsd_buf_cut(&fx.stats, 100);
	bsd_buf_free(&fx.stats);
	fx.stats = cut;
	ck_assert_uint_eq(GetTcpStatistics(&st), ERROR_NOT_SUPPORTED);
}
END_TEST

/* Every allocation of a call fails in turn: the documented error, no
 * leak (the sanitizer and valgrind builds check), never a crash. */
START_TEST(allocation_failures)
{
	serve_ipv4_set();
	fx_every_allocation_fails(3); /* pcblist, kern.file, owner table, ... */
}
END_TEST

/* ---- UDP: net.inet.udp.pcblist (bare xinpcb records), net.inet.udp.stats. */

GET(getu4, PMIB_UDPTABLE, GetUdpTable)
GET(getu6, PMIB_UDP6TABLE, GetUdp6Table)

static void serve_udp(const struct fb_pcb *r, size_t n)
{
	fx.pcb[0] = fb_udp_list(100, 100, r, n);
	fx.npcb = 1;
}

/* One of each kind of UDP socket, in the kernel's (unsorted) order. */
static const struct fb_pcb udp_set[] = {
	/* A connected IPv4 socket, shared by pids 200 and 150. */
	{ FB_V4, 0, "127.0.0.1", "127.0.0.1", 5353, 9999, 0, 0, SO_B, 2 },
	/* [::]:123 with IPV6_V6ONLY off: INP_IPV4 | INP_IPV6, both tables. */
	{ FB_V4 | FB_V6 | FB_V6PROTO, 0, NULL, NULL, 123, 0, 0, 0, SO_D, 4 },
	/* An IPv4 socket on 0.0.0.0:53. */
	{ FB_V4, 0, NULL, NULL, 53, 0, 0, 0, SO_A, 1 },
	/* A socket created but never bound: port 0, not listed. */
	{ FB_V4, 0, NULL, NULL, 0, 0, 0, 0, SO_C, 3 },
	/* [::]:124 with IPV6_V6ONLY on: INP_IPV6 alone, IPv6 only. */
	{ FB_V6 | FB_V6PROTO, 0, NULL, NULL, 124, 0, 0, 0, SO_E, 5 },
	/* An IPv6 socket bound to ::ffff:10.1.1.1: udp6_bind leaves INP_IPV4
	 * alone and the address in the IPv4 fields, an IPv4 row. */
	{ FB_V4 | FB_V6PROTO, 0, "10.1.1.1", NULL, 7000, 0, 0, 0, SO_E + 0x400, 6 },
	/* fe80::1%5 (the zone embedded, KAME). */
	{ FB_V6 | FB_V6PROTO, 0, "fe80::1", NULL, 546, 0, 5, 0, SO_E + 0x800, 7 },
	/* Not UDP (a list never holds one; the walker checks anyway). */
	{ FB_V4, 0, NULL, NULL, 99, 0, 0, 0, SO_E + 0xc00, 8, IPPROTO_TCP },
	/* Created after the head was taken (gencnt > 100): skipped. */
	{ FB_V4, 0, NULL, NULL, 98, 0, 0, 0, SO_E + 0x1000, 101 },
};

static void serve_udp_set(void)
{
	serve_udp(udp_set, N(udp_set));
	own(100, SO_A);
	own(200, SO_B);
	own(150, SO_B);
	own(300, SO_C);
	own(400, SO_D);
	own(600, SO_E);
	own(700, SO_E + 0x400);
	own(800, SO_E + 0x800);
}

START_TEST(udp_ipv4_rows)
{
	serve_udp_set();
	PMIB_UDPTABLE t = getu4();
	/* 0.0.0.0:53, 0.0.0.0:123 (dual-stack), 10.1.1.1:7000 (v4-mapped),
	 * 127.0.0.1:5353: sorted; the unbound, TCP and newer ones absent. */
	ck_assert_uint_eq(t->dwNumEntries, 4);
	ck_assert_uint_eq(ROW(t, 0).dwLocalAddr, 0);
	ck_assert_uint_eq(ROW(t, 0).dwLocalPort, htons(53));
	ck_assert_uint_eq(ROW(t, 1).dwLocalAddr, 0);
	ck_assert_uint_eq(ROW(t, 1).dwLocalPort, htons(123));
	ck_assert_uint_eq(ROW(t, 2).dwLocalAddr, a4("10.1.1.1"));
	ck_assert_uint_eq(ROW(t, 2).dwLocalPort, htons(7000));
	ck_assert_uint_eq(ROW(t, 3).dwLocalAddr, a4("127.0.0.1"));
	ck_assert_uint_eq(ROW(t, 3).dwLocalPort, htons(5353));
	free(t);
	/* The UDP list only, a read per call; no kern.file without owners. */
	ck_assert_int_eq(fx.reads[TT_BSD_UDP], 2);
	ck_assert_int_eq(fx.reads[TT_BSD_PCB], 0);
	ck_assert_int_eq(fx.reads[TT_BSD_FILES], 0);

	PMIB_UDPTABLE_OWNER_PID op = fx_udp_ext(AF_INET, UDP_TABLE_OWNER_PID);
	ck_assert_uint_eq(op->dwNumEntries, 4);
	ck_assert_uint_eq(ROW(op, 0).dwOwningPid, 100);
	ck_assert_uint_eq(ROW(op, 1).dwOwningPid, 400);
	ck_assert_uint_eq(ROW(op, 2).dwOwningPid, 700);
	ck_assert_uint_eq(ROW(op, 3).dwOwningPid, 150); /* the lowest of 150, 200 */
	ck_assert_uint_eq(ROW(op, 3).dwLocalPort, htons(5353));
	free(op);
	ck_assert_int_eq(fx.reads[TT_BSD_FILES], 1);
}
END_TEST

START_TEST(udp_ipv6_rows)
{
	serve_udp_set();
	PMIB_UDP6TABLE t = getu6();
	/* [::]:123 (dual-stack), [::]:124 (V6ONLY), fe80::1%5:546. */
	ck_assert_uint_eq(t->dwNumEntries, 3);
	ck_assert(addr6_is(&ROW(t, 0).dwLocalAddr, "::"));
	ck_assert_uint_eq(ROW(t, 0).dwLocalPort, htons(123));
	ck_assert(addr6_is(&ROW(t, 1).dwLocalAddr, "::"));
	ck_assert_uint_eq(ROW(t, 1).dwLocalPort, htons(124));
	ck_assert(addr6_is(&ROW(t, 2).dwLocalAddr, "fe80::1"));
	ck_assert_uint_eq(ROW(t, 2).dwLocalScopeId, 5);
	ck_assert_uint_eq(ROW(t, 2).dwLocalPort, htons(546));
	free(t);

	PMIB_UDP6TABLE_OWNER_PID op = fx_udp_ext(AF_INET6, UDP_TABLE_OWNER_PID);
	ck_assert_uint_eq(op->dwNumEntries, 3);
	ck_assert_uint_eq(ROW(op, 0).dwOwningPid, 400);
	ck_assert_uint_eq(ROW(op, 1).dwOwningPid, 600);
	ck_assert_uint_eq(ROW(op, 2).dwOwningPid, 800);
	ck_assert_uint_eq(ROW(op, 2).dwLocalScopeId, 5);
	free(op);
}
END_TEST

/* Every class and family of GetExtendedUdpTable: sizes, every length one
 * short against a guard page, exact fits; the owner classes' PIDs. */
START_TEST(udp_every_class_and_family)
{
	serve_udp_set();
	fx_udp_every_class_and_size(4, 3);
	PMIB_UDPTABLE_OWNER_MODULE m4 = fx_udp_ext(AF_INET, UDP_TABLE_OWNER_MODULE);
	ck_assert_uint_eq(ROW(m4, 3).dwOwningPid, 150);
	free(m4);
	PMIB_UDP6TABLE_OWNER_MODULE m6 = fx_udp_ext(AF_INET6, UDP_TABLE_OWNER_MODULE);
	ck_assert_uint_eq(ROW(m6, 0).dwOwningPid, 400);
	free(m6);
}
END_TEST

START_TEST(udp_generation_mismatch_retries)
{
	static const struct fb_pcb r[] = { { FB_V4, 0, NULL, NULL, 53, 0, 0, 0, SO_A, 1 } };
	fx.pcb[0] = fb_udp_list(7, 8, r, 1); /* changed while copied */
	fx.pcb[1] = fb_udp_list(9, 9, r, 1);
	fx.npcb = 2;
	DWORD size = 1 << 12;
	void *t = malloc(size);
	ck_assert_uint_eq(GetExtendedUdpTable(t, &size, TRUE, AF_INET, UDP_TABLE_BASIC, 0),
			  NO_ERROR);
	ck_assert_uint_eq(*(DWORD *)t, 1);
	ck_assert_int_eq(fx.reads[TT_BSD_UDP], 2);
	free(t);
}
END_TEST

/* The TCP list's records (xtcpcb) in the UDP list, every cut of a UDP
 * list: ERROR_NOT_SUPPORTED, nothing written. */
START_TEST(udp_malformed_lists_are_not_supported)
{
	static const struct fb_pcb r[] = {
		{ FB_V4, 0, NULL, NULL, 53, 0, 0, 0, SO_A, 1 },
		{ FB_V4, 0, NULL, NULL, 54, 0, 0, 0, SO_B, 1 },
	};
	struct bsd_buf whole = fb_udp_list(5, 5, r, N(r));
	ck_assert_int_eq(tt_fbsd_udplist_check(whole.p, whole.len), 0);
	for (size_t len = 1; len < whole.len; len += 7) {
		fx_reset();
		fx.os = FX_FREEBSD;
		fx.pcb[0] = bsd_buf_cut(&whole, len);
		fx.npcb = 1;
		int err = tt_fbsd_udplist_check(fx.pcb[0].p, fx.pcb[0].len);
		ck_assert_msg(err == -EBADMSG || err == -EOPNOTSUPP, "cut at %zu: %d", len, err);
		DWORD size = 4096;
		struct tt_guarded g = tt_guarded_alloc(size);
		ck_assert_uint_eq(GetExtendedUdpTable(g.buf, &size, TRUE, AF_INET, UDP_TABLE_BASIC,
						      0),
				  ERROR_NOT_SUPPORTED);
		ck_assert(tt_pattern_intact(g.map, g.map + g.body));
		tt_guarded_free(&g);
	}
	bsd_buf_free(&whole);

	fx_reset();
	fx.os = FX_FREEBSD;
	fx.pcb[0] = fb_list(5, 5, r, N(r)); /* xtcpcb records */
	fx.npcb = 1;
	ck_assert_int_eq(tt_fbsd_udplist_check(fx.pcb[0].p, fx.pcb[0].len), -EOPNOTSUPP);
	PMIB_UDPTABLE t = malloc(4096);
	ULONG size = 4096;
	ck_assert_uint_eq(GetUdpTable(t, &size, TRUE), ERROR_NOT_SUPPORTED);
	free(t);
}
END_TEST

START_TEST(udp_read_errors)
{
	serve_udp_set();
	ULONG size = 0;
	fx.read_err[TT_BSD_UDP] = -ENOMEM;
	ck_assert_uint_eq(GetUdpTable(NULL, &size, TRUE), ERROR_NOT_ENOUGH_MEMORY);
	fx.read_err[TT_BSD_UDP] = 0;
	fx.read_err[TT_BSD_FILES] = -EIO;
	DWORD dsize = 4096;
	void *t = malloc(dsize);
	ck_assert_uint_eq(GetExtendedUdpTable(t, &dsize, TRUE, AF_INET, UDP_TABLE_OWNER_PID, 0),
			  ERROR_NOT_SUPPORTED);
	/* The basic table needs no kern.file. */
	dsize = 4096;
	ck_assert_uint_eq(GetExtendedUdpTable(t, &dsize, TRUE, AF_INET, UDP_TABLE_BASIC, 0),
			  NO_ERROR);
	free(t);
}
END_TEST

/* struct udpstat -> MIB_UDPSTATS: InErrors = hdrops + badsum + badlen +
 * fullsock; InDatagrams = delivered (ipackets less those and the no-port
 * drops); NoPorts = noport; dwNumAddrs from the table. */
START_TEST(udp_statistics_from_udpstat)
{
	serve_udp_set();
	const struct fx_udpstat s = { .ipackets = 1000, .hdrops = 1, .badsum = 2, .badlen = 3,
				      .noport = 40, .noportbcast = 50, .fullsock = 4,
				      .opackets = 777 };
	fx.stats = fb_udpstat(&s, 256);
	MIB_UDPSTATS st;
	ck_assert_uint_eq(GetUdpStatistics(&st), NO_ERROR);
	ck_assert_uint_eq(st.dwInDatagrams, 900);
	ck_assert_uint_eq(st.dwNoPorts, 40);
	ck_assert_uint_eq(st.dwInErrors, 10);
	ck_assert_uint_eq(st.dwOutDatagrams, 777);
	ck_assert_uint_eq(st.dwNumAddrs, 4);
	ck_assert_uint_eq(GetUdpStatisticsEx(&st, AF_INET6), NO_ERROR);
	ck_assert_uint_eq(st.dwInDatagrams, 900);
	ck_assert_uint_eq(st.dwNumAddrs, 3);

	/* More drops than packets (counters read at different moments): 0,
	 * never a wrapped huge count. */
	const struct fx_udpstat odd = { .ipackets = 5, .noport = 40 };
	bsd_buf_free(&fx.stats);
	fx.stats = fb_udpstat(&odd, 0);
	ck_assert_uint_eq(GetUdpStatistics(&st), NO_ERROR);
	ck_assert_uint_eq(st.dwInDatagrams, 0);

	/* Too short to hold udps_opackets: not supported. */
	struct bsd_buf cut = bsd_buf_cut(&fx.stats, 80);
	bsd_buf_free(&fx.stats);
	fx.stats = cut;
	ck_assert_uint_eq(GetUdpStatistics(&st), ERROR_NOT_SUPPORTED);
}
END_TEST

/* Every allocation of an owner UDP call fails in turn. */
START_TEST(udp_allocation_failures)
{
	serve_udp_set();
	fx_udp_every_allocation_fails(AF_INET6, 3); /* the list, kern.file, the owner table */
}
END_TEST

/* Get…EStats: what xtcpcb carries, for the connection the row names (not
 * the listener on its port, not another connection); the rest 0. */
START_TEST(estats_from_xtcpcb)
{
	static const struct fb_pcb set[] = {
		{ FB_V4, FX_LISTEN, NULL, NULL, 80, 0, 0, 0, SO_A, 5 },
		{ FB_V4, FX_ESTABLISHED, "127.0.0.1", "127.0.0.1", 80, 50001, 0, 0, SO_C, 6, 0, 0,
		  1, 2, 3, 4, 5, 6 },
		{ FB_V4, FX_ESTABLISHED, "127.0.0.1", "127.0.0.1", 80, 50000, 0, 0, SO_B, 7, 0, 0,
		  14480, 28960, 1448, 65536, 32768, 9 },
		{ FB_V6, FX_ESTABLISHED, "fe80::1", "fe80::2", 443, 40000, 3, 3, SO_D, 8, 0, 0,
		  7240, 0, 1440, 1000, 2000, 0 },
	};
	serve(set, N(set));
	MIB_TCPROW row;
	memset(&row, 0, sizeof(row));
	row.dwLocalAddr = htonl(0x7f000001);
	row.dwRemoteAddr = htonl(0x7f000001);
	row.dwLocalPort = htons(80);
	row.dwRemotePort = htons(50000);
	TCP_ESTATS_SND_CONG_ROD_v0 cong;
	ck_assert_uint_eq(GetPerTcpConnectionEStats(&row, TcpConnectionEstatsSndCong, NULL, 0, 0, NULL, 0,
						    0, (PUCHAR)&cong, 0, sizeof(cong)),
			  NO_ERROR);
	ck_assert_uint_eq(cong.CurCwnd, 14480); /* bytes already */
	ck_assert_uint_eq(cong.CurSsthresh, 28960);
	ck_assert_uint_eq(cong.SndLimTimeCwnd, 0);
	TCP_ESTATS_PATH_ROD_v0 path;
	ck_assert_uint_eq(GetPerTcpConnectionEStats(&row, TcpConnectionEstatsPath, NULL, 0, 0, NULL, 0,
						    0, (PUCHAR)&path, 0, sizeof(path)),
			  NO_ERROR);
	ck_assert_uint_eq(path.CurMss, 1448);
	ck_assert_uint_eq(path.PktsRetrans, 9);
	ck_assert_uint_eq(path.SmoothedRtt, 0); /* no RTT in xtcpcb */
	TCP_ESTATS_REC_ROD_v0 rec;
	TCP_ESTATS_OBS_REC_ROD_v0 obs;
	ck_assert_uint_eq(GetPerTcpConnectionEStats(&row, TcpConnectionEstatsRec, NULL, 0, 0, NULL, 0,
						    0, (PUCHAR)&rec, 0, sizeof(rec)),
			  NO_ERROR);
	ck_assert_uint_eq(rec.CurRwinSent, 65536);
	ck_assert_uint_eq(GetPerTcpConnectionEStats(&row, TcpConnectionEstatsObsRec, NULL, 0, 0, NULL, 0,
						    0, (PUCHAR)&obs, 0, sizeof(obs)),
			  NO_ERROR);
	ck_assert_uint_eq(obs.CurRwinRcvd, 32768);
	TCP_ESTATS_DATA_ROD_v0 data;
	memset(&data, 0xee, sizeof(data));
	ck_assert_uint_eq(GetPerTcpConnectionEStats(&row, TcpConnectionEstatsData, NULL, 0, 0, NULL, 0,
						    0, (PUCHAR)&data, 0, sizeof(data)),
			  NO_ERROR);
	ck_assert_uint_eq(data.DataBytesOut, 0);
	ck_assert_uint_eq(data.ThruBytesReceived, 0);
	/* No such connection: a port with only a listener, another peer. */
	row.dwRemotePort = htons(1);
	ck_assert_uint_eq(GetPerTcpConnectionEStats(&row, TcpConnectionEstatsPath, NULL, 0, 0, NULL, 0,
						    0, (PUCHAR)&path, 0, sizeof(path)),
			  ERROR_NOT_FOUND);
	row.dwRemoteAddr = 0;
	row.dwRemotePort = 0;
	ck_assert_uint_eq(GetPerTcpConnectionEStats(&row, TcpConnectionEstatsPath, NULL, 0, 0, NULL, 0,
						    0, (PUCHAR)&path, 0, sizeof(path)),
			  ERROR_NOT_FOUND);
	/* IPv6, link-local: the zone the row gives must be the record's. */
	MIB_TCP6ROW r6;
	memset(&r6, 0, sizeof(r6));
	fx_addr(6, "fe80::1", 0, r6.LocalAddr.s6_addr);
	fx_addr(6, "fe80::2", 0, r6.RemoteAddr.s6_addr);
	r6.dwLocalPort = htons(443);
	r6.dwRemotePort = htons(40000);
	r6.dwLocalScopeId = 3;
	ck_assert_uint_eq(GetPerTcp6ConnectionEStats(&r6, TcpConnectionEstatsSndCong, NULL, 0, 0, NULL,
						     0, 0, (PUCHAR)&cong, 0, sizeof(cong)),
			  NO_ERROR);
	ck_assert_uint_eq(cong.CurCwnd, 7240);
	r6.dwLocalScopeId = 4;
	ck_assert_uint_eq(GetPerTcp6ConnectionEStats(&r6, TcpConnectionEstatsSndCong, NULL, 0, 0, NULL,
						     0, 0, (PUCHAR)&cong, 0, sizeof(cong)),
			  ERROR_NOT_FOUND);
}
END_TEST

/* The other BSD backends have no per-connection counters yet. */
START_TEST(estats_not_supported_elsewhere)
{
	serve_ipv4_set();
	fx.os = FX_NETBSD;
	MIB_TCPROW row;
	memset(&row, 0, sizeof(row));
	TCP_ESTATS_PATH_ROD_v0 path;
	ck_assert_uint_eq(GetPerTcpConnectionEStats(&row, TcpConnectionEstatsPath, NULL, 0, 0, NULL, 0,
						    0, (PUCHAR)&path, 0, sizeof(path)),
			  ERROR_NOT_SUPPORTED);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("bsd-freebsd");
	TCase *tc = tcase_create("freebsd");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ipv4_rows_every_field);
	tcase_add_test(tc, estats_from_xtcpcb);
	tcase_add_test(tc, estats_not_supported_elsewhere);
	tcase_add_test(tc, tables_without_owners_do_not_read_kern_file);
	tcase_add_test(tc, ipv6_rows_every_field);
	tcase_add_test(tc, dual_stack_listener_in_both_tables);
	tcase_add_test(tc, link_local_embedded_zone_becomes_scope_id);
	tcase_add_test(tc, syncache_and_time_wait_have_no_owner);
	tcase_add_test(tc, shared_socket_lowest_pid);
	tcase_add_test(tc, empty_table);
	tcase_add_test(tc, missing_pcblist_node_is_an_empty_table);
	tcase_add_test(tc, generation_mismatch_retries_then_succeeds);
	tcase_add_test(tc, generation_mismatch_is_bounded);
	tcase_add_test(tc, records_newer_than_head_are_skipped);
	tcase_add_test(tc, non_connections_are_skipped);
	tcase_add_test(tc, state_map);
	tcase_add_test(tc, truncated_buffer_is_not_supported);
	tcase_add_test(tc, record_length_mismatch_is_not_supported);
	tcase_add_test(tc, head_length_mismatch_is_not_supported);
	tcase_add_test(tc, xfile_length_mismatch);
	tcase_add_test(tc, read_errors);
	tcase_add_test(tc, sizing_and_extended_classes);
	tcase_add_test(tc, rows_are_sorted);
	tcase_add_test(tc, statistics_from_tcpstat);
	tcase_add_test(tc, allocation_failures);
	suite_add_tcase(s, tc);

	TCase *udp = tcase_create("udp");
	tcase_add_checked_fixture(udp, setup, teardown);
	tcase_add_test(udp, udp_ipv4_rows);
	tcase_add_test(udp, udp_ipv6_rows);
	tcase_add_test(udp, udp_every_class_and_family);
	tcase_add_test(udp, udp_generation_mismatch_retries);
	tcase_add_test(udp, udp_malformed_lists_are_not_supported);
	tcase_add_test(udp, udp_read_errors);
	tcase_add_test(udp, udp_statistics_from_udpstat);
	tcase_add_test(udp, udp_allocation_failures);
	suite_add_tcase(s, udp);
	return s;
}

int main(void)
{
	return tt_run_suite(suite());
}
