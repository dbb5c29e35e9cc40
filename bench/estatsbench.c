/*
 * estatsbench.c - the cost of one Get…EStats call on a host with N
 * connections (SPEC §11: one request for one socket, not a dump of the
 * table), against the same request made raw (sock_diag's exact lookup by
 * 4-tuple with INET_DIAG_INFO, on a socket opened per call as the library
 * does, and on one kept open), against the filtered dumps the library falls
 * back to when that lookup finds no exact match (the library's own bytecode
 * builder), and against an unfiltered dump.  See bench/README.md.
 *
 * Usage: estatsbench [--rounds R] [--calls K] [N]   (N: farm size, 10000)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <iphlpapi.h>

#include "diag.h"
#include "farm.h"
#include "sandbox.h"

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The connection measured, as a row and as the backend names it. */
static struct tt_conn target;
static MIB_TCPROW row4;
static MIB_TCP6ROW row6;

/* One dump of family on fd, filtered by (filter, flen) when flen > 0,
 * asking for INET_DIAG_INFO; returns the sockets reported. */
static long dump(int fd, int family, const unsigned char *filter, size_t flen)
{
	static unsigned char buf[65536];
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 r;
		struct nlattr a;
		unsigned char bc[TT_DIAG_FILTER_MAX];
	} req;
	memset(&req, 0, sizeof(req));
	size_t len = NLMSG_LENGTH(sizeof(req.r));
	if (flen) {
		req.a.nla_type = INET_DIAG_REQ_BYTECODE;
		req.a.nla_len = (uint16_t)(NLA_HDRLEN + flen);
		memcpy(req.bc, filter, flen);
		len += NLA_ALIGN(req.a.nla_len);
	}
	req.nlh.nlmsg_len = (uint32_t)len;
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.r.sdiag_family = (uint8_t)family;
	req.r.sdiag_protocol = IPPROTO_TCP;
	req.r.idiag_states = tt_diag_state_mask(TT_STATES_CONNECTIONS);
	req.r.idiag_ext = 1u << (INET_DIAG_INFO - 1);
	if (send(fd, &req, len, 0) < 0)
		return -1;
	long msgs = 0;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0)
			return -1;
		for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
				return msgs;
			msgs++;
		}
	}
}

static int diag_socket(void)
{
	return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
}

/* sock_diag's exact lookup of c by 4-tuple (no NLM_F_DUMP), with
 * INET_DIAG_INFO and an acknowledgement, as the library asks; returns the
 * sockets reported. */
static long raw_get(int fd, const struct tt_conn *c)
{
	static unsigned char buf[8192];
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 r;
	} req;
	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.r.sdiag_family = c->family;
	req.r.sdiag_protocol = IPPROTO_TCP;
	req.r.idiag_ext = 1u << (INET_DIAG_INFO - 1);
	size_t alen = c->family == AF_INET ? 4 : 16;
	memcpy(req.r.id.idiag_src, c->laddr, alen);
	memcpy(req.r.id.idiag_dst, c->raddr, alen);
	req.r.id.idiag_sport = c->lport;
	req.r.id.idiag_dport = c->rport;
	req.r.id.idiag_cookie[0] = req.r.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if (send(fd, &req, sizeof(req), 0) < 0)
		return -1;
	long msgs = 0;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0)
			return -1;
		for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR)
				return msgs;
			msgs++;
		}
	}
}

/* The library's fallback, made raw: an IPv4 row dumps AF_INET, then
 * AF_INET6 (a dual-stack socket may hold it), filtered to the 4-tuple. */
static long raw_lookup(int fd, const struct tt_conn *c)
{
	unsigned char f[TT_DIAG_FILTER_MAX];
	size_t flen = tt_diag_tuple_filter(f, c);
	long n = 0;
	if (c->family == AF_INET)
		n += dump(fd, AF_INET, f, flen);
	return n + dump(fd, AF_INET6, f, flen);
}

static struct tt_conn conn6;

static long op_lib4(void)
{
	TCP_ESTATS_DATA_ROD_v0 d;
	return GetPerTcpConnectionEStats(&row4, TcpConnectionEstatsData, NULL, 0, 0, NULL, 0, 0,
					 (PUCHAR)&d, 0, sizeof(d)) == NO_ERROR;
}

static long op_lib6(void)
{
	TCP_ESTATS_DATA_ROD_v0 d;
	return GetPerTcp6ConnectionEStats(&row6, TcpConnectionEstatsData, NULL, 0, 0, NULL, 0, 0,
					  (PUCHAR)&d, 0, sizeof(d)) == NO_ERROR;
}

static long op_raw4_open(void)
{
	int fd = diag_socket();
	long n = raw_get(fd, &target);
	close(fd);
	return n;
}

static long op_raw6_open(void)
{
	int fd = diag_socket();
	long n = raw_get(fd, &conn6);
	close(fd);
	return n;
}

static int kept_fd = -1;

static long op_raw4_kept(void)
{
	return raw_get(kept_fd, &target);
}

static long op_filtered4(void)
{
	int fd = diag_socket();
	long n = raw_lookup(fd, &target);
	close(fd);
	return n;
}

static long op_full_dump(void)
{
	int fd = diag_socket();
	long n = dump(fd, AF_INET, NULL, 0) + dump(fd, AF_INET6, NULL, 0);
	close(fd);
	return n;
}

struct op {
	const char *name;
	long (*fn)(void);
	int calls_div; /* the full dump is slow: fewer calls */
};

static const struct op ops[] = {
	{ "GetPerTcpConnectionEStats (IPv4 row)", op_lib4, 1 },
	{ "raw exact request, IPv4 (socket per call)", op_raw4_open, 1 },
	{ "raw exact request, IPv4 (socket kept)", op_raw4_kept, 1 },
	{ "GetPerTcp6ConnectionEStats (IPv6 row)", op_lib6, 1 },
	{ "raw exact request, IPv6 (socket per call)", op_raw6_open, 1 },
	{ "filtered dumps AF_INET+AF_INET6 (fallback)", op_filtered4, 50 },
	{ "unfiltered dump with INET_DIAG_INFO", op_full_dump, 50 },
};
#define NOPS (sizeof(ops) / sizeof(ops[0]))

/* A connected loopback pair of family held by this process. */
static void pair(int family, struct tt_conn *c)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	socklen_t sl;
	if (family == AF_INET) {
		struct sockaddr_in *a = (void *)&ss;
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sl = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (void *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		sl = sizeof(*a);
	}
	int l = socket(family, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (void *)&ss, sl) || listen(l, 1) || getsockname(l, (void *)&ss, &sl)) {
		perror("estatsbench: listener");
		exit(1);
	}
	int cfd = socket(family, SOCK_STREAM, 0);
	if (cfd < 0 || connect(cfd, (void *)&ss, sl) || accept(l, NULL, NULL) < 0) {
		perror("estatsbench: pair");
		exit(1);
	}
	struct sockaddr_storage me;
	socklen_t ml = sizeof(me);
	getsockname(cfd, (void *)&me, &ml);
	memset(c, 0, sizeof(*c));
	c->family = (uint8_t)family;
	if (family == AF_INET) {
		const struct sockaddr_in *l4 = (void *)&me, *r4 = (void *)&ss;
		memcpy(c->laddr, &l4->sin_addr, 4);
		memcpy(c->raddr, &r4->sin_addr, 4);
		c->lport = l4->sin_port;
		c->rport = r4->sin_port;
		row4.dwState = MIB_TCP_STATE_ESTAB;
		memcpy(&row4.dwLocalAddr, c->laddr, 4);
		memcpy(&row4.dwRemoteAddr, c->raddr, 4);
		row4.dwLocalPort = c->lport;
		row4.dwRemotePort = c->rport;
	} else {
		const struct sockaddr_in6 *l6 = (void *)&me, *r6 = (void *)&ss;
		memcpy(c->laddr, &l6->sin6_addr, 16);
		memcpy(c->raddr, &r6->sin6_addr, 16);
		c->lport = l6->sin6_port;
		c->rport = r6->sin6_port;
		row6.State = MIB_TCP_STATE_ESTAB;
		row6.LocalAddr = l6->sin6_addr;
		row6.RemoteAddr = r6->sin6_addr;
		row6.dwLocalPort = c->lport;
		row6.dwRemotePort = c->rport;
	}
}

int main(int argc, char **argv)
{
	int rounds = 15, calls = 1000, n = 10000;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (strcmp(argv[i], "--calls") == 0 && i + 1 < argc)
			calls = atoi(argv[++i]);
		else if (atoi(argv[i]) > 0)
			n = atoi(argv[i]);
		else {
			fprintf(stderr, "usage: estatsbench [--rounds R] [--calls K] [N]\n");
			return 2;
		}
	}
	if (rounds < 1 || rounds > 1024 || calls < 50) {
		fprintf(stderr, "usage: estatsbench [--rounds R] [--calls K] [N]\n");
		return 2;
	}
	if (!tt_netns_new()) {
		fprintf(stderr, "estatsbench: needs a private network namespace (run as root)\n");
		return 1;
	}
	struct farm farm;
	if (farm_start(&farm, n) != 0) {
		fprintf(stderr, "estatsbench: could not build a farm of %d connections\n", n);
		return 1;
	}
	pair(AF_INET, &target);
	pair(AF_INET6, &conn6);
	kept_fd = diag_socket();
	if (op_lib4() != 1 || op_lib6() != 1 || op_raw4_kept() != 1 || op_filtered4() != 1) {
		fprintf(stderr, "estatsbench: the connection measured was not found\n");
		return 1;
	}
	static double samples[NOPS][1024];
	long full = op_full_dump();
	for (int r = 0; r < rounds; r++) {
		for (size_t k = 0; k < NOPS; k++) {
			size_t i = (k + (size_t)r) % NOPS; /* rotated: noise hits all alike */
			int m = calls / ops[i].calls_div;
			double t0 = now_us();
			for (int j = 0; j < m; j++)
				ops[i].fn();
			samples[i][r] = (now_us() - t0) / m;
		}
	}
	printf("estatsbench: %d connections (%ld sockets with connections in the dump), "
	       "%d rounds of %d calls, per-call median (min-max) in microseconds\n",
	       n, full, rounds, calls);
	double med[NOPS];
	for (size_t i = 0; i < NOPS; i++) {
		qsort(samples[i], (size_t)rounds, sizeof(double), cmp_double);
		med[i] = samples[i][rounds / 2];
		printf("  %-46s %9.1f  (%.1f-%.1f)\n", ops[i].name, med[i], samples[i][0],
		       samples[i][rounds - 1]);
	}
	double r4 = med[0] / med[1], r6 = med[3] / med[4];
	printf("  library / raw, socket per call: IPv4 %.2fx, IPv6 %.2fx (target < 2x: %s)\n", r4,
	       r6, r4 < 2 && r6 < 2 ? "yes" : "NO");
	printf("  library / raw, socket kept:     IPv4 %.2fx\n", med[0] / med[2]);
	printf("  filtered dumps / library:       %.0fx\n", med[5] / med[0]);
	printf("  unfiltered dump / library:      %.0fx\n", med[6] / med[0]);
	close(kept_fd);
	farm_stop(&farm);
	return 0;
}
