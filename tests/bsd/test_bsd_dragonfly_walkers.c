/*
 * test_bsd_dragonfly_walkers.c - the DragonFly record walkers alone, on a
 * collector that keeps what they offer: the exact tt_conn records
 * (families, zones, cookies, owners), all-or-nothing refusal of a copy,
 * buffers that end at an inaccessible page and are cut at every length,
 * unaligned buffers, and errors from the collector.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <check.h>

#include "capture.h"
#include "dragonfly.h"
#include "fixtures.h"
#include "guard.h"
#include "run_suite.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define DTYPE_SOCKET 2

static const struct df_pcb set[] = {
	{ 4, FX_ESTABLISHED, "192.0.2.1", "198.51.100.7", 443, 50001, 0, 0, 0xa000 },
	{ 6, FX_LISTEN, NULL, NULL, 8080, 0, 0, 0, 0xb000 },
	{ 6, FX_TIME_WAIT, "fe80::1", "fe80::2", 22, 50002, 5, 5, 0 },
	{ 6, FX_SYN_RECEIVED, "2001:db8::1", "2001:db8::2", 22, 50003, 0, 0, 0 },
};

static bool bytes_are(const uint8_t *a, int family, const char *text)
{
	uint8_t want[16] = { 0 };
	ck_assert_int_eq(inet_pton(family, text, want), 1);
	return memcmp(a, want, family == AF_INET ? 4 : 16) == 0;
}

static struct tt_bsd_owner *owner_table(size_t *n)
{
	struct bsd_buf files = { 0 };
	df_file(&files, 70, DTYPE_SOCKET, 0xa000);
	df_file(&files, 60, DTYPE_SOCKET, 0xb000);
	df_file(&files, 50, DTYPE_SOCKET, 0xa000);
	df_file(&files, -1, DTYPE_SOCKET, 0xb000); /* no process: ignored */
	df_file(&files, 1, 1, 0xb000); /* a vnode: ignored */
	df_file(&files, 2, DTYPE_SOCKET, 0); /* no socket: ignored */
	struct tt_bsd_owner *o = calloc(tt_dfly_files_max(files.len) + 1, sizeof(*o));
	ck_assert_int_eq(tt_dfly_files_owners(files.p, files.len, o, n), 0);
	bsd_buf_free(&files);
	return o;
}

START_TEST(records_exactly)
{
	struct bsd_buf b = df_list(set, N(set));
	df_pad(&b);
	size_t n;
	struct tt_bsd_owner *o = owner_table(&n);
	ck_assert_uint_eq(n, 2);
	struct tt_collector col = { 0 };
	ck_assert_int_eq(tt_dfly_pcblist_walk(b.p, b.len, TT_PROTO_TCP, o, n, &col), 0);
	ck_assert_uint_eq(col.n, 4); /* the padding record is none */

	const struct tt_conn *c = &col.conns[0];
	ck_assert_uint_eq(c->family, AF_INET);
	ck_assert_uint_eq(c->state, 5);
	ck_assert(bytes_are(c->laddr, AF_INET, "192.0.2.1"));
	ck_assert(bytes_are(c->raddr, AF_INET, "198.51.100.7"));
	ck_assert_uint_eq(c->lport, htons(443));
	ck_assert_uint_eq(c->rport, htons(50001));
	ck_assert_uint_eq(c->flags, TT_CONN_PID_KNOWN);
	ck_assert_uint_eq(c->pid, 50); /* the lower of 50 and 70 */
	ck_assert_uint_eq(c->cookie, 0xa000);

	c = &col.conns[1];
	ck_assert_uint_eq(c->family, AF_INET6);
	ck_assert_uint_eq(c->state, 2);
	ck_assert_uint_eq(c->flags, TT_CONN_PID_KNOWN); /* never dual-stack */
	ck_assert_uint_eq(c->pid, 60);

	c = &col.conns[2];
	ck_assert_uint_eq(c->family, AF_INET6);
	ck_assert_uint_eq(c->state, 11);
	ck_assert(bytes_are(c->laddr, AF_INET6, "fe80::1"));
	ck_assert_uint_eq(c->lscope, 5);
	ck_assert(bytes_are(c->raddr, AF_INET6, "fe80::2"));
	ck_assert_uint_eq(c->rscope, 5);
	ck_assert_uint_eq(c->pid, 0);
	/* Socketless records: distinct cookies, never 0 nor a kernel
	 * address. */
	ck_assert_uint_ne(c->cookie, 0);
	ck_assert_uint_ne(c->cookie, col.conns[3].cookie);
	ck_assert_uint_le(c->cookie, b.len);
	ck_assert_uint_eq(col.conns[3].state, 4);

	/* Without an owner table: no PIDs claimed. */
	capture_free(&col);
	ck_assert_int_eq(tt_dfly_pcblist_walk(b.p, b.len, TT_PROTO_TCP, NULL, 0, &col), 0);
	ck_assert_uint_eq(col.n, 4);
	for (size_t i = 0; i < col.n; i++)
		ck_assert(!(col.conns[i].flags & TT_CONN_PID_KNOWN));
	capture_free(&col);
	free(o);
	bsd_buf_free(&b);
}
END_TEST

/* A copy with one record of another size is refused before anything is
 * offered: a kernel of another release is never half read. */
START_TEST(refused_copy_offers_nothing)
{
	struct df_pcb r[N(set)];
	memcpy(r, set, sizeof(r));
	r[3].len = df_pcb_size() - 8;
	struct bsd_buf b = df_list(r, N(r));
	b.len -= 8; /* whole records of the claimed sizes */
	struct tt_collector col = { 0 };
	ck_assert_int_eq(tt_dfly_pcblist_walk(b.p, b.len, TT_PROTO_TCP, NULL, 0, &col), -EOPNOTSUPP);
	ck_assert_uint_eq(col.n, 0);
	bsd_buf_free(&b);
}
END_TEST

/* Every walker on the first len bytes of a copy placed to end at an
 * inaccessible page, for every len: any read past the end is a SIGSEGV. */
START_TEST(every_cut_stays_inside_the_buffer)
{
	struct bsd_buf b = df_list(set, N(set));
	struct bsd_buf files = { 0 };
	for (int i = 0; i < 3; i++)
		df_file(&files, 10 + i, DTYPE_SOCKET, 0xa000 + (uint64_t)i);
	const struct fx_tcpstat s = { .connattempt = 1 };
	struct bsd_buf stats = df_tcpstat(&s, 2);
	for (size_t len = 0; len <= b.len; len++) {
		struct tt_guarded g = tt_guarded_alloc(len);
		memcpy(g.buf, b.p, len);
		struct tt_collector col = { 0 };
		int err = tt_dfly_pcblist_walk(g.buf, len, TT_PROTO_TCP, NULL, 0, &col);
		if (len % df_pcb_size() == 0) {
			ck_assert_int_eq(err, 0);
			ck_assert_uint_eq(col.n, len / df_pcb_size());
		} else {
			ck_assert_msg(err == -EBADMSG, "cut at %zu: %d", len, err);
			ck_assert_uint_eq(col.n, 0);
		}
		capture_free(&col);
		tt_guarded_free(&g);
	}
	for (size_t len = 0; len <= files.len; len++) {
		struct tt_guarded g = tt_guarded_alloc(len);
		memcpy(g.buf, files.p, len);
		struct tt_bsd_owner o[8];
		size_t n = 99;
		int err = tt_dfly_files_owners(g.buf, len, o, &n);
		ck_assert_int_eq(err, len % df_file_size() == 0 ? 0 : -EBADMSG);
		if (!err)
			ck_assert_uint_eq(n, len / df_file_size());
		tt_guarded_free(&g);
	}
	for (size_t len = 0; len <= stats.len; len++) {
		struct tt_guarded g = tt_guarded_alloc(len);
		memcpy(g.buf, stats.p, len);
		struct tt_tcp_mib m;
		memset(&m, 0, sizeof(m));
		int err = tt_dfly_tcp_mib(g.buf, len, &m);
		if (len && len % df_tcpstat_size() == 0) {
			ck_assert_int_eq(err, 0);
			ck_assert_uint_eq(m.active_opens, len == stats.len ? 3 : 1);
		} else {
			ck_assert_int_eq(err, -EOPNOTSUPP);
		}
		tt_guarded_free(&g);
	}
	bsd_buf_free(&stats);
	bsd_buf_free(&files);
	bsd_buf_free(&b);
}
END_TEST

/* The UDP walker and counters on every cut of their copies, against the
 * guard page: whole xinpcb records or -EBADMSG, whole udpstats or
 * -EOPNOTSUPP; a TCP copy read as UDP (or the other way) is refused. */
START_TEST(udp_every_cut_stays_inside_the_buffer)
{
	struct bsd_buf b = df_udp_list(set, N(set)); /* every one bound */
	const struct df_udpstat s = { .ipackets = 10, .opackets = 7 };
	struct bsd_buf stats = df_udpstat(&s, 2);
	for (size_t len = 0; len <= b.len; len++) {
		struct tt_guarded g = tt_guarded_alloc(len);
		memcpy(g.buf, b.p, len);
		struct tt_collector col = { 0 };
		int err = tt_dfly_pcblist_walk(g.buf, len, TT_PROTO_UDP, NULL, 0, &col);
		if (len % df_udp_size() == 0) {
			ck_assert_int_eq(err, 0);
			ck_assert_uint_eq(col.n, len / df_udp_size());
			for (size_t i = 0; i < col.n; i++)
				ck_assert_uint_eq(col.conns[i].state, 0);
		} else {
			ck_assert_msg(err == -EBADMSG, "cut at %zu: %d", len, err);
			ck_assert_uint_eq(col.n, 0);
		}
		capture_free(&col);
		tt_guarded_free(&g);
	}
	for (size_t len = 0; len <= stats.len; len++) {
		struct tt_guarded g = tt_guarded_alloc(len);
		memcpy(g.buf, stats.p, len);
		struct tt_udp_mib m;
		memset(&m, 0, sizeof(m));
		int err = tt_dfly_udp_mib(g.buf, len, &m);
		if (len && len % df_udpstat_size() == 0) {
			ck_assert_int_eq(err, 0);
			ck_assert_uint_eq(m.out_datagrams, len == stats.len ? 21 : 7);
		} else {
			ck_assert_int_eq(err, -EOPNOTSUPP);
		}
		tt_guarded_free(&g);
	}
	struct tt_collector col = { 0 };
	struct bsd_buf tcp = df_list(set, N(set));
	ck_assert_int_eq(tt_dfly_pcblist_walk(tcp.p, tcp.len, TT_PROTO_UDP, NULL, 0, &col),
			 -EOPNOTSUPP);
	ck_assert_int_eq(tt_dfly_pcblist_walk(b.p, b.len, TT_PROTO_TCP, NULL, 0, &col),
			 -EOPNOTSUPP);
	ck_assert_uint_eq(col.n, 0);
	bsd_buf_free(&tcp);
	bsd_buf_free(&stats);
	bsd_buf_free(&b);
}
END_TEST

/* Kernel buffers are aligned, but the walkers do not rely on it. */
START_TEST(unaligned_buffers)
{
	struct bsd_buf b = df_list(set, N(set));
	unsigned char *odd = malloc(b.len + 1);
	memcpy(odd + 1, b.p, b.len);
	struct tt_collector aligned = { 0 }, shifted = { 0 };
	ck_assert_int_eq(tt_dfly_pcblist_walk(b.p, b.len, TT_PROTO_TCP, NULL, 0, &aligned), 0);
	ck_assert_int_eq(tt_dfly_pcblist_walk(odd + 1, b.len, TT_PROTO_TCP, NULL, 0, &shifted), 0);
	ck_assert_uint_eq(aligned.n, N(set));
	ck_assert_uint_eq(aligned.n, shifted.n);
	ck_assert_mem_eq(aligned.conns, shifted.conns, aligned.n * sizeof(struct tt_conn));
	capture_free(&aligned);
	capture_free(&shifted);
	free(odd);
	bsd_buf_free(&b);
}
END_TEST

/* An error from the collector (out of memory) ends the walk with it. */
START_TEST(collector_errors_propagate)
{
	struct bsd_buf b = df_list(set, N(set));
	struct tt_collector col = { .fail_at = 2 };
	ck_assert_int_eq(tt_dfly_pcblist_walk(b.p, b.len, TT_PROTO_TCP, NULL, 0, &col), -ENOMEM);
	ck_assert_uint_eq(col.n, 1);
	capture_free(&col);
	bsd_buf_free(&b);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("bsd-dragonfly-walkers");
	TCase *tc = tcase_create("walkers");
	tcase_add_test(tc, records_exactly);
	tcase_add_test(tc, refused_copy_offers_nothing);
	tcase_add_test(tc, every_cut_stays_inside_the_buffer);
	tcase_add_test(tc, udp_every_cut_stays_inside_the_buffer);
	tcase_add_test(tc, unaligned_buffers);
	tcase_add_test(tc, collector_errors_propagate);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tt_run_suite(suite());
}
