/*
 * test_bsd_walkers.c - the BSD record walkers alone, on a collector that
 * keeps what they offer: the exact tt_conn records (families, flags,
 * cookies, owners) for FreeBSD, NetBSD and OpenBSD, buffers that end at an inaccessible page and are cut
 * at every length, unaligned buffers, and errors from the collector.
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
#include "fixtures.h"
#include "freebsd.h"
#include "guard.h"
#include "netbsd.h"
#include "openbsd.h"
#include "run_suite.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define DTYPE_SOCKET 2

static const struct fb_pcb fb_set[] = {
	{ FB_V4, FX_ESTABLISHED, "192.0.2.1", "198.51.100.7", 443, 50001, 0, 0, 0xa000, 1 },
	{ FB_V4 | FB_V6 | FB_V6PROTO, FX_LISTEN, NULL, NULL, 8080, 0, 0, 0, 0xb000, 1 },
	{ FB_V6, FX_TIME_WAIT, "fe80::1", "fe80::2", 22, 50002, 5, 5, 0, 1 },
	{ FB_V6, FX_SYN_RECEIVED, "2001:db8::1", "2001:db8::2", 22, 50003, 0, 0, 0, 0 },
};

static struct tt_bsd_owner *fb_owner_table(size_t *n)
{
	struct bsd_buf files = { 0 };
	fb_file(&files, 70, DTYPE_SOCKET, 0xa000);
	fb_file(&files, 60, DTYPE_SOCKET, 0xb000);
	fb_file(&files, 50, DTYPE_SOCKET, 0xa000);
	fb_file(&files, -1, DTYPE_SOCKET, 0xb000); /* no process: ignored */
	fb_file(&files, 1, 1, 0xb000); /* a vnode: ignored */
	struct tt_bsd_owner *o = calloc(tt_fbsd_files_max(files.len) + 1, sizeof(*o));
	ck_assert_int_eq(tt_fbsd_files_owners(files.p, files.len, o, n), 0);
	bsd_buf_free(&files);
	return o;
}

static bool bytes_are(const uint8_t *a, int family, const char *text)
{
	uint8_t want[16] = { 0 };
	ck_assert_int_eq(inet_pton(family, text, want), 1);
	return memcmp(a, want, family == AF_INET ? 4 : 16) == 0;
}

START_TEST(freebsd_records_exactly)
{
	struct bsd_buf b = fb_list(1, 1, fb_set, N(fb_set));
	size_t n;
	struct tt_bsd_owner *o = fb_owner_table(&n);
	ck_assert_uint_eq(n, 2);
	struct tt_collector col = { 0 };
	ck_assert_int_eq(tt_fbsd_pcblist_walk(b.p, b.len, o, n, &col), 0);
	ck_assert_uint_eq(col.n, 4);

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
	ck_assert_uint_eq(c->flags, TT_CONN_PID_KNOWN | TT_CONN_DUALSTACK);
	ck_assert_uint_eq(c->pid, 60);

	c = &col.conns[2];
	ck_assert_uint_eq(c->family, AF_INET6);
	ck_assert(bytes_are(c->laddr, AF_INET6, "fe80::1"));
	ck_assert_uint_eq(c->lscope, 5);
	ck_assert(bytes_are(c->raddr, AF_INET6, "fe80::2"));
	ck_assert_uint_eq(c->rscope, 5);
	ck_assert_uint_eq(c->pid, 0);
	/* Socketless records: distinct cookies, never a kernel address. */
	ck_assert_uint_ne(c->cookie, 0);
	ck_assert_uint_ne(c->cookie, col.conns[3].cookie);
	ck_assert_uint_lt(c->cookie, b.len);

	/* Without an owner table: no PIDs claimed. */
	capture_free(&col);
	ck_assert_int_eq(tt_fbsd_pcblist_walk(b.p, b.len, NULL, 0, &col), 0);
	ck_assert_uint_eq(col.n, 4);
	for (size_t i = 0; i < col.n; i++)
		ck_assert(!(col.conns[i].flags & TT_CONN_PID_KNOWN));
	capture_free(&col);
	free(o);
	bsd_buf_free(&b);
}
END_TEST

START_TEST(netbsd_records_exactly)
{
	static const struct nb_pcb v6[] = {
		{ 6, FX_LISTEN, NULL, NULL, 80, 0, 0, 0, 0x100, 0x1000, 0 },
		{ 6, FX_LISTEN, NULL, NULL, 81, 0, 0, 0, 0x200, 0x2000, 0x8000 },
		{ 6, FX_ESTABLISHED, "::ffff:10.1.1.1", "::ffff:10.1.1.2", 80, 999, 0, 0, 0, 0x3000 },
		{ 6, FX_LISTEN, "2001:db8::1", NULL, 82, 0, 0, 0, 0x400, 0x4000, 0 },
	};
	struct bsd_buf b = nb_list(v6, N(v6));
	struct bsd_buf files = { 0 };
	nb_file(&files, 9, DTYPE_SOCKET, 0x3000);
	nb_file(&files, 3, DTYPE_SOCKET, 0x3000);
	struct tt_bsd_owner o[3];
	size_t n;
	ck_assert_int_eq(tt_nbsd_files_owners(files.p, files.len, o, &n), 0);
	ck_assert_uint_eq(n, 1);
	struct tt_collector col = { 0 };
	ck_assert_int_eq(tt_nbsd_pcblist_walk(b.p, b.len, o, n, &col), 0);
	ck_assert_uint_eq(col.n, 4);
	/* Without IPV6_V6ONLY on ::, both tables; with it, or on a specific
	 * address, one. */
	ck_assert_uint_eq(col.conns[0].flags, TT_CONN_PID_KNOWN | TT_CONN_DUALSTACK);
	ck_assert_uint_eq(col.conns[0].cookie, 0x100);
	ck_assert_uint_eq(col.conns[1].flags, TT_CONN_PID_KNOWN);
	ck_assert_uint_eq(col.conns[3].flags, TT_CONN_PID_KNOWN);
	/* The v4-mapped connection stays an AF_INET6 record with mapped
	 * addresses; the front end files it under IPv4. */
	const struct tt_conn *c = &col.conns[2];
	ck_assert_uint_eq(c->family, AF_INET6);
	ck_assert(bytes_are(c->laddr, AF_INET6, "::ffff:10.1.1.1"));
	ck_assert_uint_eq(c->rport, htons(999));
	ck_assert_uint_eq(c->pid, 3);
	ck_assert_uint_ne(c->cookie, 0); /* no PCB address: the position */
	capture_free(&col);
	bsd_buf_free(&files);
	bsd_buf_free(&b);
}
END_TEST

/* A FreeBSD pcblist's two walkers: TCP or UDP. */
struct fb_walkers {
	int (*check)(const void *buf, size_t len);
	int (*walk)(const void *buf, size_t len, const struct tt_bsd_owner *owners, size_t n,
		    struct tt_collector *col);
};
static const struct fb_walkers fb_tcp = { tt_fbsd_pcblist_check, tt_fbsd_pcblist_walk };
static const struct fb_walkers fb_udp_walkers = { tt_fbsd_udplist_check, tt_fbsd_udplist_walk };

/* Runs the FreeBSD walkers on the first len bytes of b placed to end at
 * an inaccessible page: any read past the end is a SIGSEGV. */
static int fb_on_guarded_with(const struct fb_walkers *w, const struct bsd_buf *b, size_t len,
			      size_t *offered)
{
	struct tt_guarded g = tt_guarded_alloc(len);
	memcpy(g.buf, b->p, len);
	int check = w->check(g.buf, len);
	struct tt_collector col = { 0 };
	int walk = w->walk(g.buf, len, NULL, 0, &col);
	*offered = col.n;
	capture_free(&col);
	struct tt_bsd_owner o[64];
	size_t n;
	(void)tt_fbsd_files_owners(g.buf, len, o, &n);
	struct tt_udp_mib m;
	(void)tt_fbsd_udp_mib(g.buf, len, &m);
	tt_guarded_free(&g);
	/* A walk that succeeds saw a well-framed list. */
	ck_assert(walk != 0 || check == 0 || check == -EAGAIN);
	return walk;
}

static int fb_on_guarded(const struct bsd_buf *b, size_t len, size_t *offered)
{
	return fb_on_guarded_with(&fb_tcp, b, len, offered);
}

START_TEST(freebsd_every_cut_stays_inside_the_buffer)
{
	struct bsd_buf b = fb_list(3, 3, fb_set, N(fb_set));
	size_t offered;
	ck_assert_int_eq(fb_on_guarded(&b, b.len, &offered), 0);
	ck_assert_uint_eq(offered, N(fb_set));
	for (size_t len = 0; len < b.len; len++) {
		int err = fb_on_guarded(&b, len, &offered);
		ck_assert_msg(err == -EBADMSG || err == -EOPNOTSUPP, "cut at %zu: %d", len, err);
	}
	bsd_buf_free(&b);
}
END_TEST

/* The same for a UDP list (bare xinpcb records, the fb_set sockets all
 * bound), and the UDP statistics on every cut. */
START_TEST(freebsd_udp_every_cut_stays_inside_the_buffer)
{
	struct bsd_buf b = fb_udp_list(3, 3, fb_set, N(fb_set));
	size_t offered;
	ck_assert_int_eq(fb_on_guarded_with(&fb_udp_walkers, &b, b.len, &offered), 0);
	ck_assert_uint_eq(offered, N(fb_set));
	for (size_t len = 0; len < b.len; len++) {
		int err = fb_on_guarded_with(&fb_udp_walkers, &b, len, &offered);
		ck_assert_msg(err == -EBADMSG || err == -EOPNOTSUPP, "cut at %zu: %d", len, err);
	}
	bsd_buf_free(&b);
}
END_TEST

START_TEST(netbsd_every_cut_stays_inside_the_buffer)
{
	static const struct nb_pcb v4[] = {
		{ 4, FX_ESTABLISHED, "10.0.0.1", "10.0.0.2", 1, 2, 0, 0, 0x10, 0x20 },
		{ 4, FX_LISTEN, "10.0.0.1", NULL, 3, 0, 0, 0, 0x30, 0x40 },
		{ 4, 0, "10.0.0.1", NULL, 5, 0, 0, 0, 0x50, 0x60, 0, IPPROTO_UDP, -1 },
	};
	struct bsd_buf b = nb_list(v4, N(v4));
	for (size_t len = 0; len <= b.len; len++) {
		struct tt_guarded g = tt_guarded_alloc(len);
		memcpy(g.buf, b.p, len);
		struct tt_collector col = { 0 };
		int err = tt_nbsd_pcblist_walk(g.buf, len, NULL, 0, &col);
		if (len % nb_pcb_size() == 0)
			ck_assert_int_eq(err, 0);
		else
			ck_assert_int_eq(err, -EOPNOTSUPP);
		capture_free(&col);
		/* The UDP walker: the same framing; the one UDP record whole. */
		err = tt_nbsd_udplist_walk(g.buf, len, NULL, 0, &col);
		ck_assert_int_eq(err, len % nb_pcb_size() == 0 ? 0 : -EOPNOTSUPP);
		ck_assert_uint_eq(col.n, len == b.len ? 1 : 0);
		capture_free(&col);
		struct tt_udp_mib u;
		(void)tt_nbsd_udp_mib(g.buf, len, &u);
		(void)tt_nbsd_udp6_mib(g.buf, len, &u);
		struct tt_bsd_owner o[64];
		size_t n;
		err = tt_nbsd_files_owners(g.buf, len, o, &n);
		ck_assert_int_eq(err, len % nb_file_size() == 0 ? 0 : -EOPNOTSUPP);
		struct tt_tcp_mib m;
		(void)tt_nbsd_tcp_mib(g.buf, len, &m);
		(void)tt_fbsd_tcp_mib(g.buf, len, &m);
		tt_guarded_free(&g);
	}
	bsd_buf_free(&b);
}
END_TEST

/* OpenBSD: cookies are the PCB addresses where the kernel shows them and
 * positions where it hides them; zones come out of link-local addresses;
 * the owner table keeps the lowest PID per socket. */
START_TEST(openbsd_records_exactly)
{
	static const struct ob_sock s[] = {
		{ 4, FX_ESTABLISHED, "192.0.2.1", "198.51.100.7", 443, 50001, 0, 0, 0xa000 },
		{ 6, FX_TIME_WAIT, "fe80::1", "fe80::2", 22, 50002, 5, 5, 0xb000 },
		{ 4, FX_LISTEN, NULL, NULL, 8080, 0, 0, 0, OB_HIDDEN },
	};
	struct bsd_buf b = ob_list(s, N(s));
	struct bsd_buf files = { 0 };
	ob_file(&files, &s[0], 70, "a");
	ob_file(&files, &s[0], 50, "b");
	ob_file(&files, &s[2], 60, "c");
	struct ob_sock udp = s[0];
	udp.protocol = 17;
	ob_file(&files, &udp, 1, "d"); /* UDP: its own key (the protocol is part of it) */
	struct tt_obsd_owner o[8];
	size_t n;
	ck_assert_uint_eq(tt_obsd_owners_max(files.len), 4);
	ck_assert_int_eq(tt_obsd_owners(files.p, files.len, o, &n), 0);
	ck_assert_uint_eq(n, 3);
	struct tt_collector col = { 0 };
	ck_assert_int_eq(tt_obsd_sockets_walk(b.p, b.len, TT_PROTO_TCP, o, n, &col), 0);
	ck_assert_uint_eq(col.n, 3);
	const struct tt_conn *c = &col.conns[0];
	ck_assert_uint_eq(c->family, AF_INET);
	ck_assert(bytes_are(c->laddr, AF_INET, "192.0.2.1"));
	ck_assert(bytes_are(c->raddr, AF_INET, "198.51.100.7"));
	ck_assert_uint_eq(c->lport, htons(443));
	ck_assert_uint_eq(c->rport, htons(50001));
	ck_assert_uint_eq(c->flags, TT_CONN_PID_KNOWN);
	ck_assert_uint_eq(c->pid, 50);
	ck_assert_uint_eq(c->cookie, 0xa000);
	c = &col.conns[1];
	ck_assert_uint_eq(c->family, AF_INET6);
	ck_assert(bytes_are(c->laddr, AF_INET6, "fe80::1"));
	ck_assert_uint_eq(c->lscope, 5);
	ck_assert_uint_eq(c->rscope, 5);
	ck_assert_uint_eq(c->state, MIB_TCP_STATE_TIME_WAIT);
	ck_assert_uint_eq(c->pid, 0);
	c = &col.conns[2];
	ck_assert_uint_eq(c->pid, 60);
	ck_assert_uint_eq(c->cookie, 2 * ob_file_size() + 1); /* hidden: the position */
	capture_free(&col);
	/* Without owners: no PID claimed. */
	ck_assert_int_eq(tt_obsd_sockets_walk(b.p, b.len, TT_PROTO_TCP, NULL, 0, &col), 0);
	ck_assert_uint_eq(col.conns[0].flags, 0);
	capture_free(&col);
	/* The UDP walk: no UDP socket in b; the UDP one, with its owner. */
	ck_assert_int_eq(tt_obsd_sockets_walk(b.p, b.len, TT_PROTO_UDP, o, n, &col), 0);
	ck_assert_uint_eq(col.n, 0);
	struct bsd_buf u = ob_list(&udp, 1);
	ck_assert_int_eq(tt_obsd_sockets_walk(u.p, u.len, TT_PROTO_UDP, o, n, &col), 0);
	ck_assert_uint_eq(col.n, 1);
	ck_assert_uint_eq(col.conns[0].state, 0);
	ck_assert_uint_eq(col.conns[0].lport, htons(443));
	ck_assert_uint_eq(col.conns[0].pid, 1);
	capture_free(&col);
	bsd_buf_free(&u);
	bsd_buf_free(&files);
	bsd_buf_free(&b);
}
END_TEST

START_TEST(openbsd_every_cut_stays_inside_the_buffer)
{
	static const struct ob_sock s[] = {
		{ 4, FX_ESTABLISHED, "10.0.0.1", "10.0.0.2", 1, 2, 0, 0, 0x10 },
		{ 6, FX_LISTEN, "2001:db8::1", NULL, 3, 0, 0, 0, 0x30 },
		{ 4, 0, "10.0.0.1", NULL, 53, 0, 0, 0, 0x50, 0, 17 }, /* UDP */
	};
	struct bsd_buf b = { 0 };
	ob_file(&b, &s[0], 7, "seven");
	ob_file(&b, &s[1], 8, "eight");
	ob_file(&b, &s[2], 9, "nine");
	const struct df_udpstat us = { .ipackets = 3, .opackets = 4 };
	struct bsd_buf ustats = ob_udpstat(&us, 0);
	for (size_t len = 0; len <= b.len; len++) {
		struct tt_guarded g = tt_guarded_alloc(len);
		memcpy(g.buf, b.p, len);
		bool whole = len % ob_file_size() == 0;
		size_t records = whole ? len / ob_file_size() : 0;
		struct tt_collector col = { 0 };
		int err = tt_obsd_sockets_walk(g.buf, len, TT_PROTO_TCP, NULL, 0, &col);
		ck_assert_int_eq(err, whole ? 0 : -EOPNOTSUPP);
		ck_assert_uint_eq(col.n, records < 2 ? records : 2);
		capture_free(&col);
		err = tt_obsd_sockets_walk(g.buf, len, TT_PROTO_UDP, NULL, 0, &col);
		ck_assert_int_eq(err, whole ? 0 : -EOPNOTSUPP);
		ck_assert_uint_eq(col.n, records == 3 ? 1 : 0);
		capture_free(&col);
		struct tt_obsd_owner o[4];
		size_t n;
		ck_assert_int_eq(tt_obsd_owners(g.buf, len, o, &n), whole ? 0 : -EOPNOTSUPP);
		struct tt_image img;
		err = tt_obsd_image(g.buf, len, 8, &img);
		ck_assert_int_eq(err, !whole ? -EOPNOTSUPP : records >= 2 ? 0 : -ESRCH);
		if (err == 0)
			ck_assert_str_eq(img.path, "eight");
		free(img.path);
		struct tt_tcp_mib m;
		(void)tt_obsd_tcp_mib(g.buf, len, &m);
		tt_guarded_free(&g);
	}
	for (size_t len = 0; len <= ustats.len; len++) {
		struct tt_guarded g = tt_guarded_alloc(len);
		memcpy(g.buf, ustats.p, len);
		struct tt_udp_mib m;
		int err = tt_obsd_udp_mib(g.buf, len, &m);
		ck_assert_int_eq(err, len == ustats.len ? 0 : -EOPNOTSUPP);
		if (!err)
			ck_assert_uint_eq(m.out_datagrams, 4);
		tt_guarded_free(&g);
	}
	bsd_buf_free(&ustats);
	bsd_buf_free(&b);
}
END_TEST

/* Kernel buffers are aligned, but the walkers do not rely on it. */
START_TEST(unaligned_buffers)
{
	struct bsd_buf b = fb_list(1, 1, fb_set, N(fb_set));
	unsigned char *odd = malloc(b.len + 1);
	memcpy(odd + 1, b.p, b.len);
	struct tt_collector aligned = { 0 }, shifted = { 0 };
	ck_assert_int_eq(tt_fbsd_pcblist_walk(b.p, b.len, NULL, 0, &aligned), 0);
	ck_assert_int_eq(tt_fbsd_pcblist_walk(odd + 1, b.len, NULL, 0, &shifted), 0);
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
	struct bsd_buf b = fb_list(1, 1, fb_set, N(fb_set));
	struct tt_collector col = { .fail_at = 2 };
	ck_assert_int_eq(tt_fbsd_pcblist_walk(b.p, b.len, NULL, 0, &col), -ENOMEM);
	ck_assert_uint_eq(col.n, 1);
	capture_free(&col);
	bsd_buf_free(&b);

	static const struct nb_pcb v4[] = {
		{ 4, FX_LISTEN, "10.0.0.1", NULL, 3, 0, 0, 0, 0x30, 0x40 },
		{ 4, 0, "10.0.0.1", NULL, 5, 0, 0, 0, 0x50, 0x60, 0, IPPROTO_UDP, -1 },
	};
	b = nb_list(v4, N(v4));
	col = (struct tt_collector){ .fail_at = 1 };
	ck_assert_int_eq(tt_nbsd_pcblist_walk(b.p, b.len, NULL, 0, &col), -ENOMEM);
	capture_free(&col);
	bsd_buf_free(&b);

	static const struct ob_sock ob[] = {
		{ 4, FX_LISTEN, "10.0.0.1", NULL, 3, 0, 0, 0, 0x30 },
		{ 4, FX_LISTEN, "10.0.0.1", NULL, 4, 0, 0, 0, 0x40 },
	};
	b = ob_list(ob, N(ob));
	col = (struct tt_collector){ .fail_at = 2 };
	ck_assert_int_eq(tt_obsd_sockets_walk(b.p, b.len, TT_PROTO_TCP, NULL, 0, &col), -ENOMEM);
	ck_assert_uint_eq(col.n, 1);
	capture_free(&col);
	bsd_buf_free(&b);
}
END_TEST

START_TEST(owner_table)
{
	struct tt_bsd_owner o[] = {
		{ 30, 9, 0 }, { 10, 4, 0 }, { 30, 2, 0 }, { 20, 8, 0 }, { 10, 4, 0 }, { 30, 5, 0 },
	};
	size_t n = tt_bsd_owners_finish(o, N(o));
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(tt_bsd_owner_of(o, n, 10), 4);
	ck_assert_uint_eq(tt_bsd_owner_of(o, n, 20), 8);
	ck_assert_uint_eq(tt_bsd_owner_of(o, n, 30), 2);
	ck_assert_uint_eq(tt_bsd_owner_of(o, n, 25), 0);
	ck_assert_uint_eq(tt_bsd_owner_of(o, n, 0), 0);
	ck_assert_uint_eq(tt_bsd_owner_of(o, n, 31), 0);
	ck_assert_uint_eq(tt_bsd_owners_finish(o, 0), 0);
	ck_assert_uint_eq(tt_bsd_owner_of(o, 0, 10), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("bsd-walkers");
	TCase *tc = tcase_create("walkers");
	tcase_add_test(tc, freebsd_records_exactly);
	tcase_add_test(tc, netbsd_records_exactly);
	tcase_add_test(tc, freebsd_every_cut_stays_inside_the_buffer);
	tcase_add_test(tc, freebsd_udp_every_cut_stays_inside_the_buffer);
	tcase_add_test(tc, netbsd_every_cut_stays_inside_the_buffer);
	tcase_add_test(tc, openbsd_records_exactly);
	tcase_add_test(tc, openbsd_every_cut_stays_inside_the_buffer);
	tcase_add_test(tc, unaligned_buffers);
	tcase_add_test(tc, collector_errors_propagate);
	tcase_add_test(tc, owner_table);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tt_run_suite(suite());
}
