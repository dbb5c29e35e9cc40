/*
 * test_bsd_darwin.c - the macOS backend's read sequence and walkers
 * (src/bsd/darwin) under the real front end, on net.inet.tcp.pcblist_n
 * streams and libproc socket records laid out by the transcription:
 * IPv4 and IPv6 PCBs, dual-stack listeners and IN6P_IPV6_V6ONLY, v4-mapped
 * connections, KAME zones, owners joined through soi_pcb (lowest PID,
 * PID 0 for sockets nobody visible holds), user-space flows, the
 * generation retry, the empty list, malformed streams, sizing, statistics,
 * SetTcpEntry (not supported by xnu) and allocation failures.
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

#include "darwin.h"
#include "fixture_backend.h"
#include "fixtures_impl.h"
#include "guard.h"
#include "hooks.h"
#include "run_suite.h"
#include "suite.h"
#include "table_get.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define V6ONLY 0x8000 /* IN6P_IPV6_V6ONLY */

/* Hashed inpcb addresses (VM_KERNEL_ADDRHASH: any 64-bit value). */
enum {
	INP_A = 0x9e3779b97f4a7c15u,
	INP_B = 0x2545f4914f6cdd1du,
	INP_C = 0x0000000000001000u,
	INP_D = 0xffffffff00000001u,
	INP_E = 0x7fffffffffffffffu,
};

static void setup(void)
{
	fx_reset();
	tt_hooks_reset();
	fx.os = FX_DARWIN;
}

static void teardown(void)
{
	fx_reset();
	tt_hooks_reset();
}

static void serve(const struct mx_pcb *r, size_t n)
{
	fx.pcb[0] = mx_list(7, 7, r, n);
	fx.npcb = 1;
}

static void own(uint32_t pid, int family, uint64_t pcb)
{
	mx_sock(&fx.files, pid, family, 0, pcb);
}

/* An IPv4 server (pid 10) and its client (pid 20), a dual-stack listener
 * (pid 30), an IPv6-only listener held by nobody the caller may see, and
 * a TIME_WAIT connection (xnu keeps its PCB; no descriptor). */
static const struct mx_pcb set[] = {
	{ FB_V4, FX_ESTABLISHED, "127.0.0.1", "127.0.0.1", 80, 60000, 0, 0, INP_B, 1 },
	{ FB_V4, FX_LISTEN, NULL, NULL, 80, 0, 0, 0, INP_A, 1 },
	{ FB_V4, FX_ESTABLISHED, "127.0.0.1", "127.0.0.1", 60000, 80, 0, 0, INP_C, 1 },
	{ FB_V4 | FB_V6, FX_LISTEN, NULL, NULL, 8080, 0, 0, 0, INP_D, 1 },
	{ FB_V6, FX_LISTEN, "::1", NULL, 443, 0, 0, 0, INP_E, 1, V6ONLY },
	{ FB_V6, FX_TIME_WAIT, "::1", "::1", 443, 61000, 0, 0, 0x4242, 1 },
};

static void serve_set(void)
{
	serve(set, N(set));
	own(10, 4, INP_A);
	own(10, 4, INP_B);
	own(20, 4, INP_C);
	own(30, 6, INP_D);
	mx_sock(&fx.files, 40, 4, 17, INP_E); /* a UDP socket: not a join */
}

START_TEST(ipv4_rows_every_field)
{
	serve_set();
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 4);
	fx_expect_row4(&ROW(t, 0), MIB_TCP_STATE_LISTEN, NULL, 80, NULL, 0, 10);
	fx_expect_row4(&ROW(t, 1), MIB_TCP_STATE_LISTEN, NULL, 8080, NULL, 0, 30);
	fx_expect_row4(&ROW(t, 2), MIB_TCP_STATE_ESTAB, "127.0.0.1", 80, "127.0.0.1", 60000, 10);
	fx_expect_row4(&ROW(t, 3), MIB_TCP_STATE_ESTAB, "127.0.0.1", 60000, "127.0.0.1", 80, 20);
	free(t);
	ck_assert_int_eq(fx.reads[TT_BSD_PCB], 2);
	ck_assert_int_eq(fx.reads[TT_BSD_FILES], 1); /* not for the sizing call */
}
END_TEST

START_TEST(ipv6_rows_every_field)
{
	serve_set();
	PMIB_TCP6TABLE2 t = get6_2();
	ck_assert_uint_eq(t->dwNumEntries, 3);
	MIB_TCP6ROW2 *r = &ROW(t, 0);
	ck_assert(addr6_is(&r->LocalAddr, "::"));
	ck_assert_uint_eq(r->dwLocalPort, htons(8080));
	ck_assert_uint_eq(r->State, MIB_TCP_STATE_LISTEN);
	ck_assert_uint_eq(r->dwOwningPid, 30);
	r = &ROW(t, 1);
	ck_assert(addr6_is(&r->LocalAddr, "::1"));
	ck_assert_uint_eq(r->dwLocalPort, htons(443));
	ck_assert_uint_eq(r->dwOwningPid, 0); /* held by no visible process */
	r = &ROW(t, 2);
	ck_assert(addr6_is(&r->RemoteAddr, "::1"));
	ck_assert_uint_eq(r->dwRemotePort, htons(61000));
	ck_assert_uint_eq(r->State, MIB_TCP_STATE_TIME_WAIT);
	ck_assert_uint_eq(r->dwOwningPid, 0);
	ck_assert_uint_eq(r->dwLocalScopeId, 0);
	free(t);
}
END_TEST

/* A listener with INP_IPV4 | INP_IPV6 is in both tables unless it is
 * IPV6_V6ONLY or bound to a specific address; a connection of a
 * dual-stack socket is IPv4 (xnu turns it into an INP_IPV4 PCB), and an
 * IPv6 PCB with v4-mapped addresses is an IPv4 row. */
START_TEST(dual_stack_v6only_and_v4_mapped)
{
	static const struct mx_pcb r[] = {
		{ FB_V4 | FB_V6, FX_LISTEN, NULL, NULL, 8080, 0, 0, 0, INP_A, 1 },
		{ FB_V4 | FB_V6, FX_LISTEN, NULL, NULL, 8081, 0, 0, 0, INP_B, 1, V6ONLY },
		{ FB_V4 | FB_V6, FX_LISTEN, "2001:db8::1", NULL, 8082, 0, 0, 0, INP_C, 1 },
		{ FB_V6, FX_ESTABLISHED, "::ffff:10.0.0.1", "::ffff:10.0.0.2", 8080, 41000, 0, 0,
		  INP_D, 1 },
		/* A dual-stack socket's connection: INP_IPV4 | INP_IPV6 but
		 * not listening, so the IPv4 fields. */
		{ FB_V4 | FB_V6, FX_ESTABLISHED, "10.0.0.1", "10.0.0.3", 8080, 41001, 0, 0, INP_E, 1 },
	};
	serve(r, N(r));
	own(5, 6, INP_A);
	own(6, 6, INP_D);
	own(7, 6, INP_E);
	PMIB_TCPTABLE2 t4 = get4_2();
	ck_assert_uint_eq(t4->dwNumEntries, 3);
	fx_expect_row4(&ROW(t4, 0), MIB_TCP_STATE_LISTEN, NULL, 8080, NULL, 0, 5);
	fx_expect_row4(&ROW(t4, 1), MIB_TCP_STATE_ESTAB, "10.0.0.1", 8080, "10.0.0.2", 41000, 6);
	fx_expect_row4(&ROW(t4, 2), MIB_TCP_STATE_ESTAB, "10.0.0.1", 8080, "10.0.0.3", 41001, 7);
	free(t4);
	PMIB_TCP6TABLE2 t6 = get6_2();
	ck_assert_uint_eq(t6->dwNumEntries, 3);
	ck_assert_uint_eq(ROW(t6, 0).dwLocalPort, htons(8080));
	ck_assert_uint_eq(ROW(t6, 1).dwLocalPort, htons(8081));
	ck_assert(addr6_is(&ROW(t6, 2).LocalAddr, "2001:db8::1"));
	free(t6);
}
END_TEST

START_TEST(link_local_embedded_zone_becomes_scope_id)
{
	static const struct mx_pcb r[] = {
		{ FB_V6, FX_ESTABLISHED, "fe80::1", "fe80::2", 22, 50000, 4, 4, INP_A, 1 },
		{ FB_V6, FX_LISTEN, "fe80::1", NULL, 23, 0, 0x0203, 0, INP_B, 1 },
	};
	serve(r, N(r));
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

/* A socket in several processes (fork, descriptor passing): the lowest
 * PID, whatever the order the records come in. */
START_TEST(shared_socket_lowest_pid)
{
	serve(set, 1);
	own(300, 4, INP_B);
	own(120, 4, INP_B);
	own(4000, 4, INP_B);
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 1);
	ck_assert_uint_eq(ROW(t, 0).dwOwningPid, 120);
	free(t);
}
END_TEST

/* Only TCP sockets of the inet families join: a UDP socket or a unix
 * socket whose soi_pcb hash happens to be a TCP PCB's does not. */
START_TEST(only_inet_tcp_descriptors_join)
{
	serve(set, 1);
	mx_sock(&fx.files, 5, 4, 17, INP_B); /* UDP */
	mx_sock(&fx.files, 6, 1, 0, INP_B); /* AF_UNIX */
	mx_sock(&fx.files, 7, 6, 0, 0); /* no PCB */
	own(9, 6, INP_B);
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(ROW(t, 0).dwOwningPid, 9);
	free(t);
}
END_TEST

/* xnu appends the user-space (Skywalk) TCP flows to the list, with no
 * inpcb: no descriptor can claim them (PID 0), and two of them are two
 * rows, not duplicates. */
START_TEST(user_space_flows)
{
	static const struct mx_pcb r[] = {
		{ FB_V4, FX_ESTABLISHED, "10.0.0.1", "10.0.0.2", 5000, 443, 0, 0, 0, 0 },
		{ FB_V4, FX_ESTABLISHED, "10.0.0.1", "10.0.0.2", 5001, 443, 0, 0, 0, 0 },
		{ FB_V6, FX_ESTABLISHED, "2001:db8::1", "2001:db8::2", 5002, 443, 0, 0, 0, 0 },
	};
	serve(r, N(r));
	own(50, 4, 0);
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 2);
	fx_expect_row4(&ROW(t, 0), MIB_TCP_STATE_ESTAB, "10.0.0.1", 5000, "10.0.0.2", 443, 0);
	fx_expect_row4(&ROW(t, 1), MIB_TCP_STATE_ESTAB, "10.0.0.1", 5001, "10.0.0.2", 443, 0);
	free(t);
	PMIB_TCP6TABLE2 t6 = get6_2();
	ck_assert_uint_eq(t6->dwNumEntries, 1);
	free(t6);
}
END_TEST

/* Every BSD state maps to its Windows value (CLOSING 9, LAST_ACK 10);
 * CLOSED and values outside the table are no connection. */
START_TEST(state_map_and_non_connections)
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
	struct mx_pcb r[FX_TIME_WAIT + 6];
	size_t n = 0;
	for (int s = FX_LISTEN; s <= FX_TIME_WAIT; s++)
		r[n++] = (struct mx_pcb){ FB_V4, s, "10.0.0.1", "10.0.0.2", (uint16_t)s, 9, 0, 0,
					  INP_A + (uint64_t)s, 1 };
	/* Not rows: CLOSED, an unknown state, another protocol, neither
	 * family, no xtcpcb_n (no state), no xsocket_n. */
	r[n++] = (struct mx_pcb){ FB_V4, FX_CLOSED, "10.0.0.1", NULL, 100, 0, 0, 0, INP_B, 1 };
	r[n++] = (struct mx_pcb){ FB_V4, 11, "10.0.0.1", "10.0.0.2", 101, 9, 0, 0, INP_B, 1 };
	r[n++] = (struct mx_pcb){ FB_V4, FX_ESTABLISHED, "10.0.0.1", "10.0.0.2", 102, 9, 0, 0,
				  INP_B, 1, 0, 17 };
	r[n++] = (struct mx_pcb){ 0, FX_ESTABLISHED, "10.0.0.1", "10.0.0.2", 103, 9, 0, 0, INP_B, 1 };
	r[n++] = (struct mx_pcb){ FB_V4, FX_ESTABLISHED, "10.0.0.1", "10.0.0.2", 104, 9, 0, 0,
				  INP_B, 1, 0, 0, MX_NO_TCPCB };
	r[n++] = (struct mx_pcb){ FB_V4, FX_ESTABLISHED, "10.0.0.1", "10.0.0.2", 105, 9, 0, 0,
				  INP_B, 1, 0, 0, MX_NO_SOCKET };
	serve(r, n);
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, FX_TIME_WAIT);
	for (DWORD i = 0; i < t->dwNumEntries; i++) {
		unsigned s = ntohs((uint16_t)ROW(t, i).dwLocalPort);
		ck_assert_uint_lt(s, N(want));
		ck_assert_uint_eq(ROW(t, i).dwState, want[s]);
	}
	free(t);
}
END_TEST

/* A PCB whose socket is gone: xnu leaves the xsocket_n zero (protocol 0);
 * the TCP list's PCB is still a TCP connection. */
START_TEST(pcb_without_socket_fields)
{
	static const struct mx_pcb r[] = {
		{ FB_V4, FX_TIME_WAIT, "10.0.0.1", "10.0.0.2", 7, 8, 0, 0, INP_A, 1, 0, -1 },
	};
	serve(r, N(r));
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 1);
	fx_expect_row4(&ROW(t, 0), MIB_TCP_STATE_TIME_WAIT, "10.0.0.1", 7, "10.0.0.2", 8, 0);
	free(t);
}
END_TEST

/* xnu sends the head alone when there is no PCB (get_pcblist_n: no
 * trailer); announced PCBs without records are a cut copy. */
START_TEST(empty_list_is_the_head_alone)
{
	serve(NULL, 0);
	ck_assert_uint_eq(fx.pcb[0].len, 24);
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 0);
	free(t);
	PMIB_TCP6TABLE2 t6 = get6_2();
	ck_assert_uint_eq(t6->dwNumEntries, 0);
	free(t6);

	fx_reset();
	fx.os = FX_DARWIN;
	mx_head(&fx.pcb[0], 7, 3);
	fx.npcb = 1;
	ck_assert_int_eq(tt_mac_pcblist_check(fx.pcb[0].p, fx.pcb[0].len), -EBADMSG);
	fx_expect_not_supported();
}
END_TEST

/* The list changed while it was copied (head and trailer generations
 * differ): read again, and use the consistent copy. */
START_TEST(generation_mismatch_retries_then_succeeds)
{
	fx.pcb[0] = mx_list(1, 2, set, 2);
	fx.pcb[1] = mx_list(2, 3, set, 3);
	fx.pcb[2] = mx_list(3, 3, set, 1);
	fx.npcb = 3;
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, 1);
	free(t);
	/* The sizing call three, the filling call one (the last copy is
	 * served again). */
	ck_assert_int_eq(fx.reads[TT_BSD_PCB], 4);
}
END_TEST

/* A list that never settles is read TT_BSD_READ_ATTEMPTS times, then used
 * as it is, without the PCBs newer than its head. */
START_TEST(generation_mismatch_is_bounded)
{
	struct mx_pcb r[] = {
		{ FB_V4, FX_LISTEN, NULL, NULL, 80, 0, 0, 0, INP_A, 5 },
		{ FB_V4, FX_LISTEN, NULL, NULL, 81, 0, 0, 0, INP_B, 6 }, /* after the head */
	};
	fx.pcb[0] = mx_list(5, 6, r, N(r));
	fx.npcb = 1;
	ULONG size = 0;
	ck_assert_uint_eq(GetTcpTable(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_int_eq(fx.reads[TT_BSD_PCB], TT_BSD_READ_ATTEMPTS);
	ck_assert_uint_eq(size, sizeof(DWORD) + sizeof(MIB_TCPROW));
}
END_TEST

/* Cut copies, a head of another size, records too short for what the
 * walker reads: ERROR_NOT_SUPPORTED, nothing written. */
START_TEST(malformed_lists_are_not_supported)
{
	struct bsd_buf whole = mx_list(5, 5, set, N(set));
	const size_t cuts[] = { whole.len - 1, whole.len - 24, 24 + mx_pcb_size() + 100, 24 + 8,
				24 + 4, 47, 23, 1 };
	for (size_t i = 0; i < N(cuts); i++) {
		fx_reset();
		fx.os = FX_DARWIN;
		fx.pcb[0] = bsd_buf_cut(&whole, cuts[i]);
		fx.npcb = 1;
		int err = tt_mac_pcblist_check(fx.pcb[0].p, fx.pcb[0].len);
		ck_assert_msg(err == -EBADMSG || err == -EOPNOTSUPP, "cut at %zu: %d", cuts[i], err);
		fx_expect_not_supported();
	}

	/* The head's xig_len. */
	fx_reset();
	fx.os = FX_DARWIN;
	fx.pcb[0] = bsd_buf_cut(&whole, whole.len);
	fx.npcb = 1;
	uint32_t bad = 32;
	memcpy(fx.pcb[0].p, &bad, 4);
	ck_assert_int_eq(tt_mac_pcblist_check(fx.pcb[0].p, fx.pcb[0].len), -EOPNOTSUPP);
	fx_expect_not_supported();

	/* An xinpcb_n shorter than the members read (an older layout). */
	memcpy(fx.pcb[0].p, &(uint32_t){ 24 }, 4);
	uint32_t short_len = 72;
	memcpy(fx.pcb[0].p + 24, &short_len, 4);
	ck_assert_int_eq(tt_mac_pcblist_check(fx.pcb[0].p, fx.pcb[0].len), -EOPNOTSUPP);
	fx_expect_not_supported();

	/* A record whose length runs past the trailer. */
	uint32_t long_len = (uint32_t)whole.len;
	memcpy(fx.pcb[0].p + 24, &long_len, 4);
	ck_assert_int_eq(tt_mac_pcblist_check(fx.pcb[0].p, fx.pcb[0].len), -EBADMSG);
	fx_expect_not_supported();
	bsd_buf_free(&whole);
}
END_TEST

/* A newer kernel's longer records (and kinds this build does not know)
 * are stepped over by their lengths. */
START_TEST(longer_records_and_unknown_kinds)
{
	struct bsd_buf b = { 0 };
	mx_head(&b, 9, 1);
	mx_pcb(&b, &set[0]);
	size_t first = 24;
	/* Grow the xinpcb_n by 16 bytes: move everything after it. */
	size_t tail = b.len - first - 104;
	bsd_buf_grow(&b, 16);
	memmove(b.p + first + 120, b.p + first + 104, tail);
	memset(b.p + first + 104, 0xee, 16);
	uint32_t len = 120;
	memcpy(b.p + first, &len, 4);
	/* An unknown kind, 12 bytes long (padded to 16). */
	unsigned char *u = bsd_buf_grow(&b, 16);
	memcpy(u, &(uint32_t){ 12 }, 4);
	memcpy(u + 4, &(uint32_t){ 0x400 }, 4);
	mx_head(&b, 9, 1);
	fx.pcb[0] = b;
	fx.npcb = 1;
	own(77, 4, INP_B);
	PMIB_TCPTABLE2 t = get4_2();
	ck_assert_uint_eq(t->dwNumEntries, 1);
	fx_expect_row4(&ROW(t, 0), MIB_TCP_STATE_ESTAB, "127.0.0.1", 80, "127.0.0.1", 60000, 77);
	free(t);
}
END_TEST

/* Socket records of another size (a libproc this build does not know),
 * or a cut buffer: the owner classes fail; tables without owners work. */
START_TEST(socket_record_mismatch)
{
	serve(set, N(set));
	mx_sock_size(&fx.files, 792 + 8);
	fx_expect_not_supported();
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, 4);
	free(t);

	bsd_buf_free(&fx.files);
	struct bsd_buf whole = { 0 };
	own(1, 4, INP_A);
	whole = fx.files;
	fx.files = bsd_buf_cut(&whole, whole.len - 1);
	bsd_buf_free(&whole);
	fx_expect_not_supported();
}
END_TEST

START_TEST(read_errors)
{
	serve_set();
	ULONG size = 0;
	fx.read_err[TT_BSD_PCB] = -EPERM;
	ck_assert_uint_eq(GetTcpTable(NULL, &size, TRUE), ERROR_NOT_SUPPORTED);
	fx.read_err[TT_BSD_PCB] = -ENOMEM;
	ck_assert_uint_eq(GetTcpTable(NULL, &size, TRUE), ERROR_NOT_ENOUGH_MEMORY);
	fx.read_err[TT_BSD_PCB] = 0;
	fx.read_err[TT_BSD_FILES] = -EIO;
	fx_expect_not_supported();
	/* Calls that return no owner rows do not read the descriptors. */
	ck_assert_uint_eq(GetTcpTable(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(GetTcpTable2(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	/* No pcblist_n node at all (a read of nothing): empty tables. */
	fx.read_err[TT_BSD_FILES] = 0;
	bsd_buf_free(&fx.pcb[0]);
	PMIB_TCPTABLE t = get4();
	ck_assert_uint_eq(t->dwNumEntries, 0);
	free(t);
}
END_TEST

START_TEST(sizing_and_extended_classes)
{
	serve_set();
	ULONG size = 0;
	ck_assert_uint_eq(GetTcp6Table2(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(size, offsetof(MIB_TCP6TABLE2, table) + 3 * sizeof(MIB_TCP6ROW2));
	struct tt_guarded g = tt_guarded_alloc(size - 1);
	ULONG shorter = size - 1;
	ck_assert_uint_eq(GetTcp6Table2((PMIB_TCP6TABLE2)g.buf, &shorter, TRUE),
			  ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(shorter, size);
	ck_assert(tt_pattern_intact(g.map, g.map + g.body));
	tt_guarded_free(&g);

	size = 0;
	ck_assert_uint_eq(GetExtendedTcpTable(NULL, &size, TRUE, AF_INET,
					      TCP_TABLE_OWNER_PID_LISTENER, 0),
			  ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(size, offsetof(MIB_TCPTABLE_OWNER_PID, table) +
					2 * sizeof(MIB_TCPROW_OWNER_PID));
	PMIB_TCPTABLE_OWNER_PID t = malloc(size);
	ck_assert_uint_eq(GetExtendedTcpTable(t, &size, TRUE, AF_INET, TCP_TABLE_OWNER_PID_LISTENER,
					      0),
			  NO_ERROR);
	ck_assert_uint_eq(t->dwNumEntries, 2);
	ck_assert_uint_eq(ROW(t, 0).dwOwningPid, 10);
	ck_assert_uint_eq(ROW(t, 1).dwOwningPid, 30);
	free(t);
}
END_TEST

/* struct tcpstat: 32-bit counters in xnu. */
START_TEST(statistics_from_tcpstat)
{
	serve_set();
	const struct fx_tcpstat s = { .connattempt = 5, .accepts = 6, .drops = 7, .conndrops = 8,
				      .closed = 9, .sndtotal = 100, .sndrexmitpack = 20,
				      .sndctrl = 19, .rcvtotal = 200, .rcvbadsum = 1,
				      .rcvbadoff = 1, .rcvshort = 1 };
	fx.stats = mx_tcpstat(&s, 800); /* the rest of the kernel's structure */
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
	ck_assert_uint_eq(st.dwNumConns, 2); /* the IPv4 table's connections */
	ck_assert_uint_eq(st.dwCurrEstab, 2);
	/* Shorter than the last counter read. */
	fx.stats.len = 124;
	ck_assert_uint_eq(GetTcpStatisticsEx(&st, AF_INET), ERROR_NOT_SUPPORTED);
}
END_TEST

/* xnu has no drop node: SetTcpEntry is not supported, for IPv4 and IPv6
 * rows alike, and never reaches a node. */
START_TEST(set_tcp_entry_not_supported)
{
	serve_set();
	PMIB_TCPTABLE2 t = get4_2();
	MIB_TCPROW r;
	memcpy(&r, &ROW(t, 2), sizeof(r));
	free(t);
	r.dwState = MIB_TCP_STATE_DELETE_TCB;
	ck_assert_uint_eq(SetTcpEntry(&r), ERROR_NOT_SUPPORTED);
	MIB_TCP6ROW r6;
	memset(&r6, 0, sizeof(r6));
	r6.State = MIB_TCP_STATE_DELETE_TCB;
	inet_pton(AF_INET6, "2001:db8::1", &r6.LocalAddr);
	inet_pton(AF_INET6, "2001:db8::2", &r6.RemoteAddr);
	r6.dwLocalPort = htons(80);
	r6.dwRemotePort = htons(50000);
	ck_assert_uint_eq(TcptableSetTcp6Entry(&r6), ERROR_NOT_SUPPORTED);
	ck_assert_int_eq(fx.ndrops, 0);
}
END_TEST

/* ---- UDP: net.inet.udp.pcblist_n, the same records without xtcpcb_n. */

/* A socket on 0.0.0.0:53 (pid 40), one on [::]:5353 without IPV6_V6ONLY
 * (pid 50: in both tables), one on [::]:547 with it (pid 60: IPv6 only),
 * one unbound (port 0: not listed) and a TCP descriptor on the same hashed
 * PCB as the first (its owner is not the UDP socket's). */
static const struct mx_pcb udp[] = {
	{ FB_V4, 0, NULL, NULL, 53, 0, 0, 0, INP_A, 1, 0, 17, MX_NO_TCPCB },
	{ FB_V4 | FB_V6, 0, NULL, NULL, 5353, 0, 0, 0, INP_B, 1, 0, 17, MX_NO_TCPCB },
	{ FB_V6, 0, NULL, NULL, 547, 0, 0, 0, INP_C, 1, V6ONLY, 17, MX_NO_TCPCB },
	{ FB_V4 | FB_V6, 0, NULL, NULL, 0, 0, 0, 0, INP_D, 1, 0, 17, MX_NO_TCPCB },
};

static void serve_udp(void)
{
	fx.pcb[0] = mx_list(7, 7, udp, N(udp));
	fx.npcb = 1;
	mx_sock(&fx.files, 9, 4, 0, INP_A); /* TCP: not this table's owner */
	mx_sock(&fx.files, 40, 4, 17, INP_A);
	mx_sock(&fx.files, 50, 6, 17, INP_B);
	mx_sock(&fx.files, 60, 6, 17, INP_C);
}

START_TEST(udp_rows_dual_stack_and_owners)
{
	serve_udp();
	ULONG size = 0;
	ck_assert_uint_eq(GetExtendedUdpTable(NULL, &size, TRUE, AF_INET, UDP_TABLE_OWNER_PID, 0),
			  ERROR_INSUFFICIENT_BUFFER);
	PMIB_UDPTABLE_OWNER_PID t = malloc(size);
	ck_assert_uint_eq(GetExtendedUdpTable(t, &size, TRUE, AF_INET, UDP_TABLE_OWNER_PID, 0),
			  NO_ERROR);
	ck_assert_uint_eq(t->dwNumEntries, 2);
	ck_assert_uint_eq(ROW(t, 0).dwLocalPort, htons(53));
	ck_assert_uint_eq(ROW(t, 0).dwOwningPid, 40);
	ck_assert_uint_eq(ROW(t, 1).dwLocalAddr, 0);
	ck_assert_uint_eq(ROW(t, 1).dwLocalPort, htons(5353));
	ck_assert_uint_eq(ROW(t, 1).dwOwningPid, 50);
	free(t);
	size = 0;
	ck_assert_uint_eq(GetExtendedUdpTable(NULL, &size, TRUE, AF_INET6, UDP_TABLE_OWNER_PID, 0),
			  ERROR_INSUFFICIENT_BUFFER);
	PMIB_UDP6TABLE_OWNER_PID t6 = malloc(size);
	ck_assert_uint_eq(GetExtendedUdpTable(t6, &size, TRUE, AF_INET6, UDP_TABLE_OWNER_PID, 0),
			  NO_ERROR);
	ck_assert_uint_eq(t6->dwNumEntries, 2);
	ck_assert_uint_eq(ROW(t6, 0).dwLocalPort, htons(547));
	ck_assert_uint_eq(ROW(t6, 0).dwOwningPid, 60);
	ck_assert_uint_eq(ROW(t6, 1).dwLocalPort, htons(5353));
	ck_assert_uint_eq(ROW(t6, 1).dwOwningPid, 50);
	free(t6);
	ck_assert_int_gt(fx.reads[TT_BSD_UDP], 0);
	ck_assert_int_eq(fx.reads[TT_BSD_PCB], 0);
}
END_TEST

/* A cut UDP list: not supported, nothing written (a guard page). */
START_TEST(udp_cut_list_is_not_supported)
{
	serve_udp();
	struct bsd_buf whole = fx.pcb[0];
	for (size_t cut = 1; cut < whole.len; cut += 29) {
		fx.pcb[0] = bsd_buf_cut(&whole, cut);
		fx_expect_udp_not_supported();
		bsd_buf_free(&fx.pcb[0]);
	}
	fx.pcb[0] = whole;
}
END_TEST

START_TEST(udp_statistics_from_udpstat)
{
	serve_udp();
	const struct df_udpstat s = { .ipackets = 100, .hdrops = 1, .badsum = 2, .badlen = 3,
				      .noport = 4, .noportbcast = 5, .fullsock = 6,
				      .opackets = 50 };
	fx.stats = mx_udpstat(&s);
	MIB_UDPSTATS st;
	ck_assert_uint_eq(GetUdpStatisticsEx(&st, AF_INET6), NO_ERROR);
	ck_assert_uint_eq(st.dwInDatagrams, 79);
	ck_assert_uint_eq(st.dwNoPorts, 9);
	ck_assert_uint_eq(st.dwInErrors, 12);
	ck_assert_uint_eq(st.dwOutDatagrams, 50);
	ck_assert_uint_eq(st.dwNumAddrs, 2);
	fx.stats.len--;
	ck_assert_uint_eq(GetUdpStatisticsEx(&st, AF_INET6), ERROR_NOT_SUPPORTED);
}
END_TEST

START_TEST(udp_allocation_failures)
{
	serve_udp();
	fx_udp_every_allocation_fails(AF_INET, 3); /* the list, the descriptors, the owner table, ... */
}
END_TEST

START_TEST(allocation_failures)
{
	serve_set();
	fx_every_allocation_fails(3); /* the list, the descriptors, the owner table, ... */
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("bsd-darwin");
	TCase *tc = tcase_create("darwin");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ipv4_rows_every_field);
	tcase_add_test(tc, ipv6_rows_every_field);
	tcase_add_test(tc, dual_stack_v6only_and_v4_mapped);
	tcase_add_test(tc, link_local_embedded_zone_becomes_scope_id);
	tcase_add_test(tc, shared_socket_lowest_pid);
	tcase_add_test(tc, only_inet_tcp_descriptors_join);
	tcase_add_test(tc, user_space_flows);
	tcase_add_test(tc, state_map_and_non_connections);
	tcase_add_test(tc, pcb_without_socket_fields);
	tcase_add_test(tc, empty_list_is_the_head_alone);
	tcase_add_test(tc, generation_mismatch_retries_then_succeeds);
	tcase_add_test(tc, generation_mismatch_is_bounded);
	tcase_add_test(tc, malformed_lists_are_not_supported);
	tcase_add_test(tc, longer_records_and_unknown_kinds);
	tcase_add_test(tc, socket_record_mismatch);
	tcase_add_test(tc, read_errors);
	tcase_add_test(tc, sizing_and_extended_classes);
	tcase_add_test(tc, statistics_from_tcpstat);
	tcase_add_test(tc, set_tcp_entry_not_supported);
	tcase_add_test(tc, allocation_failures);
	tcase_add_test(tc, udp_rows_dual_stack_and_owners);
	tcase_add_test(tc, udp_cut_list_is_not_supported);
	tcase_add_test(tc, udp_statistics_from_udpstat);
	tcase_add_test(tc, udp_allocation_failures);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tt_run_suite(suite());
}
