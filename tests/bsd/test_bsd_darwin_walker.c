/*
 * test_bsd_darwin_walker.c - the macOS record walkers alone, on a
 * collector that keeps what they offer: the exact tt_conn records
 * (families, flags, cookies, owners), the owner join as a pure function
 * of the socket records, streams that end at an inaccessible page and are
 * cut at every length, unaligned buffers, and errors from the collector.
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
#include "darwin.h"
#include "fixtures.h"
#include "guard.h"
#include "run_suite.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct mx_pcb set[] = {
	{ FB_V4, FX_ESTABLISHED, "192.0.2.1", "198.51.100.7", 443, 50001, 0, 0, 0xa000, 1 },
	{ FB_V4 | FB_V6, FX_LISTEN, NULL, NULL, 8080, 0, 0, 0, 0xb000, 1 },
	{ FB_V6, FX_TIME_WAIT, "fe80::1", "fe80::2", 22, 50002, 5, 5, 0xc000, 1 },
	{ FB_V6, FX_SYN_RECEIVED, "2001:db8::1", "2001:db8::2", 22, 50003, 0, 0, 0, 1 },
};

/* The join, from socket records alone. */
static struct tt_bsd_owner *owner_table(size_t *n)
{
	struct bsd_buf files = { 0 };
	mx_sock(&files, 70, 4, 0, 0xa000);
	mx_sock(&files, 60, 6, 0, 0xb000);
	mx_sock(&files, 50, 4, 0, 0xa000);
	mx_sock(&files, 40, 4, 17, 0xb000); /* UDP: ignored */
	mx_sock(&files, 30, 1, 0, 0xc000); /* AF_UNIX: ignored */
	struct tt_bsd_owner *o = calloc(tt_mac_files_max(files.len) + 1, sizeof(*o));
	ck_assert_int_eq(tt_mac_files_owners(files.p, files.len, o, n), 0);
	bsd_buf_free(&files);
	return o;
}

static bool bytes_are(const uint8_t *a, int family, const char *text)
{
	uint8_t want[16] = { 0 };
	ck_assert_int_eq(inet_pton(family, text, want), 1);
	return memcmp(a, want, family == AF_INET ? 4 : 16) == 0;
}

START_TEST(records_exactly)
{
	struct bsd_buf b = mx_list(1, 1, set, N(set));
	size_t n;
	struct tt_bsd_owner *o = owner_table(&n);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(o[0].so, 0xa000);
	ck_assert_uint_eq(o[0].pid, 50); /* the lower of 50 and 70 */
	ck_assert_uint_eq(o[1].pid, 60);
	struct tt_collector col = { 0 };
	ck_assert_int_eq(tt_mac_pcblist_walk(b.p, b.len, TT_PROTO_TCP, o, n, &col), 0);
	ck_assert_uint_eq(col.n, 4);

	const struct tt_conn *c = &col.conns[0];
	ck_assert_uint_eq(c->family, AF_INET);
	ck_assert_uint_eq(c->state, MIB_TCP_STATE_ESTAB);
	ck_assert(bytes_are(c->laddr, AF_INET, "192.0.2.1"));
	ck_assert(bytes_are(c->raddr, AF_INET, "198.51.100.7"));
	ck_assert_uint_eq(c->lport, htons(443));
	ck_assert_uint_eq(c->rport, htons(50001));
	ck_assert_uint_eq(c->flags, TT_CONN_PID_KNOWN);
	ck_assert_uint_eq(c->pid, 50);
	ck_assert_uint_eq(c->cookie, 0xa000);

	c = &col.conns[1];
	ck_assert_uint_eq(c->family, AF_INET6);
	ck_assert_uint_eq(c->flags, TT_CONN_PID_KNOWN | TT_CONN_DUALSTACK);
	ck_assert_uint_eq(c->pid, 60);
	ck_assert(tt_addr6_is_unspecified(c->laddr));

	c = &col.conns[2];
	ck_assert_uint_eq(c->state, MIB_TCP_STATE_TIME_WAIT);
	ck_assert(bytes_are(c->laddr, AF_INET6, "fe80::1"));
	ck_assert(bytes_are(c->raddr, AF_INET6, "fe80::2"));
	ck_assert_uint_eq(c->lscope, 5);
	ck_assert_uint_eq(c->rscope, 5);
	ck_assert_uint_eq(c->pid, 0); /* only a unix socket had that hash */

	/* No inpcb (a user-space flow): its place in the copy is its cookie. */
	c = &col.conns[3];
	ck_assert_uint_eq(c->state, MIB_TCP_STATE_SYN_RCVD);
	ck_assert_uint_eq(c->pid, 0);
	ck_assert_uint_eq(c->cookie, 24 + 3 * mx_pcb_size());
	capture_free(&col);

	/* Without an owner table no record claims an owner. */
	ck_assert_int_eq(tt_mac_pcblist_walk(b.p, b.len, TT_PROTO_TCP, NULL, 0, &col), 0);
	for (size_t i = 0; i < col.n; i++)
		ck_assert_uint_eq(col.conns[i].flags & TT_CONN_PID_KNOWN, 0);
	capture_free(&col);
	free(o);
	bsd_buf_free(&b);
}
END_TEST

/* Runs the walkers on the first len bytes of b placed to end at an
 * inaccessible page: any read past the end is a SIGSEGV. */
static int on_guarded(const struct bsd_buf *b, size_t len, unsigned proto, size_t *offered)
{
	struct tt_guarded g = tt_guarded_alloc(len);
	memcpy(g.buf, b->p, len);
	int check = tt_mac_pcblist_check(g.buf, len);
	struct tt_collector col = { 0 };
	int walk = tt_mac_pcblist_walk(g.buf, len, proto, NULL, 0, &col);
	*offered = col.n;
	capture_free(&col);
	tt_guarded_free(&g);
	/* A walk that succeeds saw a well-framed list. */
	ck_assert(walk != 0 || check == 0 || check == -EAGAIN);
	return walk;
}

START_TEST(every_cut_stays_inside_the_buffer)
{
	struct bsd_buf b = mx_list(3, 3, set, N(set));
	size_t offered;
	ck_assert_int_eq(on_guarded(&b, b.len, TT_PROTO_TCP, &offered), 0);
	ck_assert_uint_eq(offered, N(set));
	for (size_t len = 0; len < b.len; len++) {
		int err = on_guarded(&b, len, TT_PROTO_TCP, &offered);
		ck_assert_msg(err == -EBADMSG || err == -EOPNOTSUPP, "cut at %zu: %d", len, err);
	}
	bsd_buf_free(&b);
}
END_TEST

/* The same for a net.inet.udp.pcblist_n copy (no xtcpcb_n records): the
 * bound sockets, stateless; the unbound one is not offered. */
START_TEST(udp_every_cut_stays_inside_the_buffer)
{
	static const struct mx_pcb udp[] = {
		{ FB_V4, 0, NULL, NULL, 53, 0, 0, 0, 0xa000, 1, 0, 17, MX_NO_TCPCB },
		{ FB_V4 | FB_V6, 0, NULL, NULL, 5353, 0, 0, 0, 0xb000, 2, 0, 17, MX_NO_TCPCB },
		{ FB_V4, 0, NULL, NULL, 0, 0, 0, 0, 0xc000, 3, 0, 17, MX_NO_TCPCB },
	};
	struct bsd_buf b = mx_list(3, 3, udp, N(udp));
	size_t offered;
	ck_assert_int_eq(on_guarded(&b, b.len, TT_PROTO_UDP, &offered), 0);
	ck_assert_uint_eq(offered, 2);
	ck_assert_int_eq(on_guarded(&b, b.len, TT_PROTO_TCP, &offered), 0);
	ck_assert_uint_eq(offered, 0);
	for (size_t len = 0; len < b.len; len++) {
		int err = on_guarded(&b, len, TT_PROTO_UDP, &offered);
		ck_assert_msg(err == -EBADMSG || err == -EOPNOTSUPP, "cut at %zu: %d", len, err);
	}
	bsd_buf_free(&b);
}
END_TEST

START_TEST(socket_records_every_cut)
{
	struct bsd_buf f = { 0 };
	mx_sock(&f, 1, 4, 0, 0xa000);
	mx_sock(&f, 2, 6, 0, 0xb000);
	struct tt_bsd_owner o[4];
	for (size_t len = 0; len <= f.len; len++) {
		struct tt_guarded g = tt_guarded_alloc(len);
		memcpy(g.buf, f.p, len);
		size_t n = 99;
		int err = tt_mac_files_owners(g.buf, len, o, &n);
		if (len % mx_sock_rec_size() == 0) {
			ck_assert_int_eq(err, 0);
			ck_assert_uint_eq(n, len / mx_sock_rec_size());
		} else {
			ck_assert_int_eq(err, -EBADMSG);
			ck_assert_uint_eq(n, 0);
		}
		struct tt_tcp_mib m;
		err = tt_mac_tcp_mib(g.buf, len, &m);
		ck_assert_int_eq(err, len >= 128 ? 0 : -EOPNOTSUPP);
		struct tt_udp_mib u;
		err = tt_mac_udp_mib(g.buf, len, &u);
		ck_assert_int_eq(err, len >= 40 ? 0 : -EOPNOTSUPP);
		tt_guarded_free(&g);
	}
	bsd_buf_free(&f);
}
END_TEST

/* Nothing assumes alignment: the same stream one byte off. */
START_TEST(unaligned_buffers)
{
	struct bsd_buf b = mx_list(1, 1, set, N(set));
	unsigned char *odd = malloc(b.len + 1);
	memcpy(odd + 1, b.p, b.len);
	struct tt_collector col = { 0 };
	ck_assert_int_eq(tt_mac_pcblist_walk(odd + 1, b.len, TT_PROTO_TCP, NULL, 0, &col), 0);
	ck_assert_uint_eq(col.n, N(set));
	capture_free(&col);
	free(odd);
	bsd_buf_free(&b);
}
END_TEST

START_TEST(collector_errors_stop_the_walk)
{
	struct bsd_buf b = mx_list(1, 1, set, N(set));
	for (size_t k = 1; k <= N(set); k++) {
		struct tt_collector col = { 0 };
		col.fail_at = k;
		ck_assert_int_eq(tt_mac_pcblist_walk(b.p, b.len, TT_PROTO_TCP, NULL, 0, &col), -ENOMEM);
		ck_assert_uint_eq(col.adds, k);
		capture_free(&col);
	}
	bsd_buf_free(&b);
}
END_TEST

/* A record of another kind before the first xinpcb_n: not a PCB stream. */
START_TEST(records_before_the_first_inpcb)
{
	struct bsd_buf b = mx_list(1, 1, set, 1);
	/* Swap in a socket record's kind for the xinpcb_n's. */
	memcpy(b.p + 24 + 4, &(uint32_t){ 0x001 }, 4);
	ck_assert_int_eq(tt_mac_pcblist_check(b.p, b.len), -EBADMSG);
	bsd_buf_free(&b);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("bsd-darwin-walker");
	TCase *tc = tcase_create("darwin");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, records_exactly);
	tcase_add_test(tc, every_cut_stays_inside_the_buffer);
	tcase_add_test(tc, udp_every_cut_stays_inside_the_buffer);
	tcase_add_test(tc, socket_records_every_cut);
	tcase_add_test(tc, unaligned_buffers);
	tcase_add_test(tc, collector_errors_stop_the_walk);
	tcase_add_test(tc, records_before_the_first_inpcb);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tt_run_suite(suite());
}
