/*
 * test_align.c - every function that fills a caller's buffer, with the
 * buffer starting at each offset 0..7 from an 8-aligned address: all table
 * functions and classes, GetOwnerModuleFromTcp(6)Entry (whose input row is
 * placed at the same offset) and the three statistics functions; and the
 * functions that only read a caller's row (SetTcpEntry, TcptableSetTcp6Entry)
 * with the row at each offset.  The
 * library must make no misaligned access (UBSan's alignment check stops
 * the test on one), write the same bytes as for an aligned buffer, and
 * nothing outside them; results are read back with memcpy only.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "helpers.h"
#include <tcptable_ext.h>
#include "table_fns.h"
#include "run_suite.h"

#define OFFSETS 8

/* What one call wrote, copied out of the caller's buffer. */
struct blob {
	unsigned char *p;
	size_t n;
};

/* Fills `what` (a function-specific index) into a buffer at offset off.
 * False when the system changed between the sizing and the filling call. */
typedef bool (*fill_fn)(int what, size_t off, struct blob *out);

static bool blob_eq(const struct blob *a, const struct blob *b)
{
	return a->n == b->n && memcmp(a->p, b->p, a->n) == 0;
}

static void keep(struct blob *out, const struct tt_guarded *g, size_t used)
{
	ck_assert_msg(tt_guarded_untouched(g, used), "wrote outside the buffer");
	out->p = malloc(used);
	ck_assert_ptr_nonnull(out->p);
	memcpy(out->p, g->buf, used);
	out->n = used;
}

/* Compares the call at every offset with aligned calls made before and
 * after it.  Outside a private namespace the system may change between
 * the calls: a triple whose aligned calls differ is taken again. */
static void check_offsets(fill_fn fill, int what, const char *name)
{
	for (size_t off = 0; off < OFFSETS; off++) {
		bool compared = false;
		for (int attempt = 0; attempt < 20 && !compared; attempt++) {
			struct blob a = { 0 }, m = { 0 }, b = { 0 };
			if (fill(what, 0, &a) && fill(what, off, &m) && fill(what, 0, &b) &&
			    blob_eq(&a, &b)) {
				ck_assert_msg(blob_eq(&a, &m), "%s: buffer at offset %zu got other bytes",
					      name, off);
				compared = true;
			}
			free(a.p);
			free(m.p);
			free(b.p);
		}
		if (!compared) {
			ck_assert_msg(!tt_isolated, "%s: results changed in a private namespace", name);
			fprintf(stderr, "# %s at offset %zu: comparison SKIPPED, the host's tables kept "
					"changing (the calls were still made)\n", name, off);
		}
	}
}

/* Per family a listener and a connected pair, and their UDP counterparts. */
static int fds[12];

static void setup(void)
{
	tt_fresh_netns();
	struct tt_ep l4 = tt_ep4("127.0.0.1", 0), l6 = tt_ep6("::1", 0, 0);
	fds[0] = tt_listen(&l4, -1);
	tt_pair(fds[0], &l4, &fds[1], &fds[2]);
	fds[3] = tt_listen(&l6, 1);
	tt_pair(fds[3], &l6, &fds[4], &fds[5]);
	tt_udp_shape(&l4, &fds[6]);
	tt_udp_shape(&l6, &fds[9]);
}

static void teardown(void)
{
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		close(fds[i]);
}

/* ---- Tables: the sizing calls (NULL, then the buffer one byte short)
 * and the filling call, all at offset off. */

static bool fill_table(int what, size_t off, struct blob *out)
{
	const struct table_fn *f = &table_fns[what];
	ULONG need = 0;
	ck_assert_uint_eq(f->call(NULL, &need, TRUE), ERROR_INSUFFICIENT_BUFFER);
	struct tt_guarded g = tt_guarded_alloc_at(need, off);
	ULONG size = need - 1;
	ck_assert_uint_eq(f->call(g.buf, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_msg(tt_guarded_untouched(&g, 0), "%s wrote on a sizing call", f->name);
	bool same = size == need;
	if (same) {
		ULONG r = f->call(g.buf, &size, TRUE);
		same = r != ERROR_INSUFFICIENT_BUFFER;
		if (same) {
			ck_assert_uint_eq(r, NO_ERROR);
			ck_assert_uint_eq(size, need);
			DWORD n;
			memcpy(&n, g.buf, sizeof(n));
			ck_assert_uint_eq(need, f->header + n * f->row);
			keep(out, &g, need);
		}
	}
	tt_guarded_free(&g);
	return same;
}

START_TEST(tables_at_every_offset)
{
	check_offsets(fill_table, _i, table_fns[_i].name);
}
END_TEST

/* ---- GetOwnerModuleFromTcp(6)Entry. */

/* The first row of this process in an OWNER_MODULE listener table of
 * family, copied into row (sized for either family). */
static void own_row(int family, void *row, size_t len)
{
	for (size_t i = 0; i < table_fn_count; i++) {
		const struct table_fn *f = &table_fns[i];
		if (f->proto != FN_TCP || f->family != family ||
		    f->cls != TCP_TABLE_OWNER_MODULE_LISTENER)
			continue;
		struct blob t = { 0 };
		while (!fill_table((int)i, 0, &t))
			;
		DWORD n;
		memcpy(&n, t.p, sizeof(n));
		size_t pid_at = family == AF_INET ? offsetof(MIB_TCPROW_OWNER_MODULE, dwOwningPid)
						  : offsetof(MIB_TCP6ROW_OWNER_MODULE, dwOwningPid);
		for (DWORD k = 0; k < n; k++) {
			const unsigned char *r = t.p + f->header + k * f->row;
			DWORD pid;
			memcpy(&pid, r + pid_at, sizeof(pid));
			if (pid == (DWORD)getpid()) {
				ck_assert_uint_eq(f->row, len);
				memcpy(row, r, len);
				free(t.p);
				return;
			}
		}
		free(t.p);
	}
	ck_abort_msg("no listener of this process in the %s table",
		     family == AF_INET ? "IPv4" : "IPv6");
}

/* what: 0 IPv4, 1 IPv6.  The input row is at offset off as well, and the
 * two pointers of the result are stored as offsets into the buffer so
 * that results at different addresses compare equal. */
static bool fill_module(int what, size_t off, struct blob *out)
{
	_Alignas(8) unsigned char row[sizeof(MIB_TCP6ROW_OWNER_MODULE) + OFFSETS];
	if (what == 0)
		own_row(AF_INET, row + off, sizeof(MIB_TCPROW_OWNER_MODULE));
	else
		own_row(AF_INET6, row + off, sizeof(MIB_TCP6ROW_OWNER_MODULE));
#define CALL(buf, size)                                                                          \
	(what == 0 ? GetOwnerModuleFromTcpEntry((void *)(row + off), TCPIP_OWNER_MODULE_INFO_BASIC, \
						(buf), (size))                                      \
		   : GetOwnerModuleFromTcp6Entry((void *)(row + off),                               \
						 TCPIP_OWNER_MODULE_INFO_BASIC, (buf), (size)))
	DWORD need = 0;
	ck_assert_uint_eq(CALL(NULL, &need), ERROR_INSUFFICIENT_BUFFER);
	struct tt_guarded g = tt_guarded_alloc_at(need, off);
	DWORD size = need - 1;
	ck_assert_uint_eq(CALL(g.buf, &size), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(size, need);
	ck_assert_msg(tt_guarded_untouched(&g, 0), "wrote on a sizing call");
	ck_assert_uint_eq(CALL(g.buf, &size), NO_ERROR);
	ck_assert_uint_eq(size, need);
#undef CALL
	keep(out, &g, need);
	TCPIP_OWNER_MODULE_BASIC_INFO bi;
	memcpy(&bi, out->p, sizeof(bi));
	unsigned char *name = (unsigned char *)bi.pModuleName, *path = (unsigned char *)bi.pModulePath;
	ck_assert_ptr_eq(name, g.buf + sizeof(bi));
	ck_assert(path > name && path < g.buf + need);
	/* Both strings end with a NUL at the place the next one starts. */
	WCHAR nul;
	memcpy(&nul, path - sizeof(WCHAR), sizeof(nul));
	ck_assert_int_eq(nul, 0);
	memcpy(&nul, g.buf + need - sizeof(WCHAR), sizeof(nul));
	ck_assert_int_eq(nul, 0);
	size_t rel[2] = { (size_t)(name - g.buf), (size_t)(path - g.buf) };
	_Static_assert(sizeof(rel) == sizeof(bi), "pointers are size_t wide");
	memcpy(out->p, rel, sizeof(rel));
	tt_guarded_free(&g);
	return true;
}

START_TEST(module_at_every_offset)
{
	check_offsets(fill_module, _i, _i == 0 ? "GetOwnerModuleFromTcpEntry"
					       : "GetOwnerModuleFromTcp6Entry");
}
END_TEST

/* ---- Statistics: the functions take typed pointers, but a caller may
 * still hand in a struct that sits at an odd place of a byte buffer. */

static const char *const stats_names[] = {
	"GetTcpStatistics",
	"GetTcpStatisticsEx(AF_INET)",
	"GetTcpStatisticsEx(AF_INET6)",
	"GetTcpStatisticsEx2(AF_INET)",
	"GetTcpStatisticsEx2(AF_INET6)",
};

static bool fill_stats(int what, size_t off, struct blob *out)
{
	size_t len = what < 3 ? sizeof(MIB_TCPSTATS) : sizeof(MIB_TCPSTATS2);
	struct tt_guarded g = tt_guarded_alloc_at(len, off);
	void *s = g.buf;
	ULONG r = what == 0   ? GetTcpStatistics(s)
		  : what == 1 ? GetTcpStatisticsEx(s, AF_INET)
		  : what == 2 ? GetTcpStatisticsEx(s, AF_INET6)
		  : what == 3 ? GetTcpStatisticsEx2(s, AF_INET)
			      : GetTcpStatisticsEx2(s, AF_INET6);
	ck_assert_uint_eq(r, NO_ERROR);
	keep(out, &g, len);
	tt_guarded_free(&g);
	return true;
}

START_TEST(statistics_at_every_offset)
{
	check_offsets(fill_stats, _i, stats_names[_i]);
}
END_TEST

/* SetTcpEntry and TcptableSetTcp6Entry read a row that may sit anywhere
 * (one taken out of a table filled at an odd offset): each answer must be
 * the same at every offset.  The rows name nothing that exists, so nothing
 * is destroyed: a bad state (87), a LISTEN row (50), no such connection
 * (317). */
START_TEST(set_entry_rows_at_every_offset)
{
	struct in_addr lo = { htonl(INADDR_LOOPBACK) };
	for (size_t off = 0; off < OFFSETS; off++) {
		const DWORD states[] = { MIB_TCP_STATE_ESTAB, MIB_TCP_STATE_DELETE_TCB,
					 MIB_TCP_STATE_DELETE_TCB };
		const DWORD want[] = { ERROR_INVALID_PARAMETER, ERROR_NOT_SUPPORTED,
				       ERROR_MR_MID_NOT_FOUND };
		for (int k = 0; k < 3; k++) {
			MIB_TCPROW r4;
			memset(&r4, 0, sizeof(r4));
			r4.dwState = states[k];
			r4.dwLocalAddr = lo.s_addr;
			r4.dwLocalPort = htons(40001);
			if (k == 2) {
				r4.dwRemoteAddr = lo.s_addr;
				r4.dwRemotePort = htons(40002);
			}
			struct tt_guarded g = tt_guarded_alloc_at(sizeof(r4), off);
			memcpy(g.buf, &r4, sizeof(r4));
			DWORD got = SetTcpEntry((PMIB_TCPROW)(void *)g.buf);
			ck_assert_msg(got == want[k], "SetTcpEntry at offset %zu, case %d: %lu, want %lu",
				      off, k, (unsigned long)got, (unsigned long)want[k]);
			tt_guarded_free(&g);

			MIB_TCP6ROW r6;
			memset(&r6, 0, sizeof(r6));
			r6.State = (MIB_TCP_STATE)states[k];
			r6.LocalAddr = in6addr_loopback;
			r6.dwLocalPort = htons(40001);
			if (k == 2) {
				r6.RemoteAddr = in6addr_loopback;
				r6.dwRemotePort = htons(40002);
			}
			g = tt_guarded_alloc_at(sizeof(r6), off);
			memcpy(g.buf, &r6, sizeof(r6));
			got = TcptableSetTcp6Entry((PMIB_TCP6ROW)(void *)g.buf);
			ck_assert_msg(got == want[k],
				      "TcptableSetTcp6Entry at offset %zu, case %d: %lu, want %lu", off,
				      k, (unsigned long)got, (unsigned long)want[k]);
			tt_guarded_free(&g);
		}
	}
}
END_TEST

int main(void)
{
	tt_test_init("align");
	Suite *s = suite_create("align");
	TCase *tc = tcase_create("align");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, tables_at_every_offset, 0, (int)table_fn_count);
	tcase_add_loop_test(tc, module_at_every_offset, 0, 2);
	tcase_add_loop_test(tc, statistics_at_every_offset, 0,
			    (int)(sizeof(stats_names) / sizeof(stats_names[0])));
	tcase_add_test(tc, set_entry_rows_at_every_offset);
	suite_add_tcase(s, tc);
	return tt_run_suite(s);
}
