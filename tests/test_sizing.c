/*
 * test_sizing.c - the sizing protocol of SPEC §4 for every table function:
 * NULL size, NULL table, every short size (with a guard page right after the
 * buffer and a canary before it), the exact size, a larger size, and a table
 * that grows between the sizing call and the fill call.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "table_fns.h"
#include "run_suite.h"

/* Sockets every test starts from: per family a listener and a pair, so each
 * table holds three rows in a private namespace; and their UDP counterparts
 * (a bound socket and a connected pair), three rows of each UDP table. */
static int fds[12];
static void open_sockets(void)
{
	struct tt_ep l4 = tt_ep4("127.0.0.1", 0), l6 = tt_ep6("::1", 0, 0);
	fds[0] = tt_listen(&l4, -1);
	tt_pair(fds[0], &l4, &fds[1], &fds[2]);
	fds[3] = tt_listen(&l6, 1);
	tt_pair(fds[3], &l6, &fds[4], &fds[5]);
	tt_udp_shape(&l4, &fds[6]);
	tt_udp_shape(&l6, &fds[9]);
}

static void setup(void)
{
	tt_fresh_netns();
	open_sockets();
}

static void check_size_shape(const struct table_fn *f, ULONG size, DWORD expect_rows)
{
	ck_assert_uint_ge(size, f->header);
	ck_assert_uint_eq((size - f->header) % f->row, 0);
	if (tt_isolated)
		ck_assert_uint_eq(size, f->header + expect_rows * f->row);
	else
		ck_assert_uint_ge(size, f->header + expect_rows * f->row);
}

START_TEST(null_size_is_invalid_parameter)
{
	const struct table_fn *f = &table_fns[_i];
	ck_assert_uint_eq(f->call(NULL, NULL, TRUE), ERROR_INVALID_PARAMETER);
	struct tt_guarded g = tt_guarded_alloc(4096);
	ck_assert_uint_eq(f->call(g.buf, NULL, FALSE), ERROR_INVALID_PARAMETER);
	ck_assert(tt_pattern_intact(g.map, g.map + g.body));
	tt_guarded_free(&g);
}
END_TEST

START_TEST(null_table_gives_the_exact_size)
{
	const struct table_fn *f = &table_fns[_i];
	const ULONG starts[] = { 0, 3, 0xdeadbeef, 1u << 20 };
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		ULONG size = starts[i];
		ck_assert_uint_eq(f->call(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
		check_size_shape(f, size, table_fn_rows(f, 1, 2));
	}
}
END_TEST

START_TEST(every_short_size_writes_nothing)
{
	const struct table_fn *f = &table_fns[_i];
	for (int attempt = 0; attempt < 10; attempt++) {
		ULONG need = 0;
		ck_assert_uint_eq(f->call(NULL, &need, TRUE), ERROR_INSUFFICIENT_BUFFER);
		bool changed = false;
		for (ULONG len = 0; len < need && !changed; len++) {
			struct tt_guarded g = tt_guarded_alloc(len);
			ULONG size = len;
			ck_assert_uint_eq(f->call(g.buf, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
			ck_assert_msg(tt_pattern_intact(g.map, g.map + g.body),
				      "%s wrote into a %u-byte buffer", f->name, (unsigned)len);
			changed = size != need;
			tt_guarded_free(&g);
		}
		if (!changed)
			return;
		/* Only the host namespace changes under a test. */
		ck_assert(!tt_isolated);
	}
	ck_abort_msg("table never stable");
}
END_TEST

START_TEST(exact_size_fills_the_table)
{
	const struct table_fn *f = &table_fns[_i];
	for (int attempt = 0; attempt < 10; attempt++) {
		ULONG need = 0;
		ck_assert_uint_eq(f->call(NULL, &need, TRUE), ERROR_INSUFFICIENT_BUFFER);
		struct tt_guarded g = tt_guarded_alloc(need);
		ULONG size = need;
		ULONG r = f->call(g.buf, &size, TRUE);
		if (r == NO_ERROR) {
			ck_assert_uint_eq(size, need);
			DWORD n;
			memcpy(&n, g.buf, sizeof(n));
			ck_assert_uint_eq(f->header + n * f->row, need);
			ck_assert(tt_pattern_intact(g.map, g.buf));
			tt_guarded_free(&g);
			return;
		}
		ck_assert_uint_eq(r, ERROR_INSUFFICIENT_BUFFER);
		ck_assert(!tt_isolated);
		tt_guarded_free(&g);
	}
	ck_abort_msg("table never stable");
}
END_TEST

START_TEST(larger_size_leaves_the_tail_untouched)
{
	const struct table_fn *f = &table_fns[_i];
	ULONG need = 0;
	ck_assert_uint_eq(f->call(NULL, &need, TRUE), ERROR_INSUFFICIENT_BUFFER);
	ULONG room = need + 4 * (ULONG)f->row + 7;
	struct tt_guarded g = tt_guarded_alloc(room);
	ULONG size = room;
	ck_assert_uint_eq(f->call(g.buf, &size, FALSE), NO_ERROR);
	check_size_shape(f, size, table_fn_rows(f, 1, 2));
	ck_assert_uint_le(size, room);
	ck_assert(tt_pattern_intact(g.buf + size, g.buf + room));
	/* OWNER_MODULE tables: the padding after dwNumEntries is zero. */
	for (size_t i = sizeof(DWORD); i < f->header; i++)
		ck_assert_uint_eq(g.buf[i], 0);
	ck_assert(tt_pattern_intact(g.map, g.buf));
	tt_guarded_free(&g);
}
END_TEST

/* Sockets opened between the sizing call and the fill call: the fill call
 * answers 122 with the new size, never a truncated table. */
START_TEST(growth_between_calls_gives_the_new_size)
{
	const struct table_fn *f = &table_fns[_i];
	ULONG need = 0;
	ck_assert_uint_eq(f->call(NULL, &need, TRUE), ERROR_INSUFFICIENT_BUFFER);
	struct tt_ep l = f->family == AF_INET ? tt_ep4("127.0.0.1", 0) : tt_ep6("::1", 0, 0);
	int udp[3], lfd, c, s;
	if (f->proto == FN_UDP) {
		tt_udp_shape(&l, udp);
		lfd = udp[0], c = udp[1], s = udp[2];
	} else {
		lfd = tt_listen(&l, 1);
		tt_pair(lfd, &l, &c, &s);
	}
	struct tt_guarded g = tt_guarded_alloc(need);
	ULONG size = need;
	ck_assert_uint_eq(f->call(g.buf, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	ck_assert(tt_pattern_intact(g.map, g.map + g.body));
	size_t more = table_fn_rows(f, 1, 2) * f->row;
	if (tt_isolated)
		ck_assert_uint_eq(size, need + more);
	else
		ck_assert_uint_ge(size, need + more);
	tt_guarded_free(&g);
	close(c);
	close(s);
	close(lfd);
}
END_TEST

/* An empty table needs just the header and fills with zero entries. */
START_TEST(empty_table)
{
	if (!tt_isolated) {
		fprintf(stderr, "# empty_table: SKIPPED, needs a private namespace\n");
		return;
	}
	const struct table_fn *f = &table_fns[_i];
	ULONG size = 0;
	ck_assert_uint_eq(f->call(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(size, f->header);
	struct tt_guarded g = tt_guarded_alloc(size);
	ck_assert_uint_eq(f->call(g.buf, &size, TRUE), NO_ERROR);
	ck_assert_uint_eq(size, f->header);
	DWORD n = 1;
	memcpy(&n, g.buf, sizeof(n));
	ck_assert_uint_eq(n, 0);
	tt_guarded_free(&g);
}
END_TEST

int main(void)
{
	tt_test_init("sizing");
	Suite *s = suite_create("sizing");
	TCase *tc = tcase_create("matrix");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 120);
	int n = (int)table_fn_count;
	tcase_add_loop_test(tc, null_size_is_invalid_parameter, 0, n);
	tcase_add_loop_test(tc, null_table_gives_the_exact_size, 0, n);
	tcase_add_loop_test(tc, every_short_size_writes_nothing, 0, n);
	tcase_add_loop_test(tc, exact_size_fills_the_table, 0, n);
	tcase_add_loop_test(tc, larger_size_leaves_the_tail_untouched, 0, n);
	tcase_add_loop_test(tc, growth_between_calls_gives_the_new_size, 0, n);
	suite_add_tcase(s, tc);
	TCase *empty = tcase_create("empty");
	tcase_add_checked_fixture(empty, tt_fresh_netns, NULL);
	tcase_add_loop_test(empty, empty_table, 0, n);
	suite_add_tcase(s, empty);
	return tt_run_suite(s);
}
