/*
 * test_netns.c - rows that need a private network namespace with devices of
 * its own: link-local IPv6 over a veth pair (scope ids on both ends),
 * SYN_SENT towards a peer that never answers, and SYN_RCVD request sockets
 * made with a raw SYN.  Needs root (or CAP_SYS_ADMIN + CAP_NET_ADMIN) and
 * the `ip` command; without them the whole suite reports SKIP (exit 77).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <poll.h>

#include <tcptable_ext.h>

#include "helpers.h"
#include "run_suite.h"

/* v0 <-> v1 veth pair, both ends in this namespace. */
static void veth_setup(void)
{
	tt_fresh_netns();
	ck_assert(tt_ip("link add v0 type veth peer name v1"));
	ck_assert(tt_ip("link set v0 up"));
	ck_assert(tt_ip("link set v1 up"));
	ck_assert(tt_ip("addr add fe80::1/64 dev v0 nodad"));
	ck_assert(tt_ip("addr add fe80::2/64 dev v1 nodad"));
	/* 10.9.0.2 is on v0's subnet but nobody answers ARP for it. */
	ck_assert(tt_ip("addr add 10.9.0.1/24 dev v0"));
}

START_TEST(link_local_connection_carries_scope_ids)
{
	unsigned v0 = if_nametoindex("v0"), v1 = if_nametoindex("v1");
	ck_assert(v0 && v1 && v0 != v1);
	struct tt_ep l = tt_ep6("fe80::2", 0, v1);
	int lfd = tt_listen(&l, 1);
	/* Dial fe80::2 through v0: the client end is scoped to v0, the
	 * accepted end to v1, where the SYN arrived. */
	struct tt_ep to = tt_ep6("fe80::2", l.port, v0);
	int c = tt_connect(&to, NULL);
	int s = tt_accept(lfd);
	struct tt_ep cl = tt_local_of(c), sp = tt_peer_of(s);
	ck_assert_uint_eq(cl.scope, v0);
	ck_assert_uint_eq(sp.scope, v1);
	struct tt_ep sl = tt_local_of(s);

	PMIB_TCP6TABLE2 t = tt_get_tcp6_2();
	DWORD me = (DWORD)getpid();
	tt_check_row6_2(tt_find_tcp6_2(t, &l, &tt_none6), MIB_TCP_STATE_LISTEN, &l, &tt_none6, me);
	tt_check_row6_2(tt_find_tcp6_2(t, &cl, &to), MIB_TCP_STATE_ESTAB, &cl, &to, me);
	tt_check_row6_2(tt_find_tcp6_2(t, &sl, &sp), MIB_TCP_STATE_ESTAB, &sl, &sp, me);
	ck_assert_uint_eq(t->dwNumEntries, 3);
	/* Rows with the same local address are ordered by scope id. */
	for (DWORD i = 1; i < t->dwNumEntries; i++) {
		int d = memcmp(&t->table[i - 1].LocalAddr, &t->table[i].LocalAddr, 16);
		ck_assert(d < 0 || (d == 0 && t->table[i - 1].dwLocalScopeId <=
						    t->table[i].dwLocalScopeId));
	}
	PMIB_TCP6TABLE tb = tt_get_tcp6();
	tt_check_row6(tt_find_tcp6(tb, &cl, &to), MIB_TCP_STATE_ESTAB, &cl, &to);
	tt_check_row6(tt_find_tcp6(tb, &sl, &sp), MIB_TCP_STATE_ESTAB, &sl, &sp);
	free(tb);
	free(t);
	close(c);
	close(s);
	close(lfd);
}
END_TEST

/* Destroying a link-local connection needs its zone: the row's scope id
 * tells the kernel which interface's fe80::/64 it is. */
START_TEST(link_local_connection_destroyed_by_row)
{
	unsigned v0 = if_nametoindex("v0"), v1 = if_nametoindex("v1");
	struct tt_ep l = tt_ep6("fe80::2", 0, v1);
	int lfd = tt_listen(&l, 1);
	struct tt_ep to = tt_ep6("fe80::2", l.port, v0);
	int c = tt_connect(&to, NULL);
	int s = tt_accept(lfd);
	struct tt_ep cl = tt_local_of(c);
	PMIB_TCP6TABLE t = tt_get_tcp6();
	MIB_TCP6ROW row = *tt_find_tcp6(t, &cl, &to);
	free(t);
	ck_assert_uint_eq(row.dwLocalScopeId, v0);
	row.State = MIB_TCP_STATE_DELETE_TCB;
	ck_assert_uint_eq(TcptableSetTcp6Entry(&row), NO_ERROR);
	struct pollfd p = { s, POLLIN, 0 };
	ck_assert_int_eq(poll(&p, 1, 2000), 1);
	char b;
	ck_assert_int_eq(recv(s, &b, 1, 0), -1);
	ck_assert_int_eq(errno, ECONNRESET);
	close(c);
	close(s);
	close(lfd);
}
END_TEST

START_TEST(scope_id_orders_equal_addresses)
{
	unsigned v0 = if_nametoindex("v0"), v1 = if_nametoindex("v1");
	struct tt_ep a = tt_ep6("fe80::99", 0, v0), b = tt_ep6("fe80::99", 0, v1);
	int fa = tt_listen_freebind(&a), fb = tt_listen_freebind(&b);
	PMIB_TCP6TABLE t = tt_get_tcp6();
	const MIB_TCP6ROW *ra = tt_find_tcp6(t, &a, &tt_none6), *rb = tt_find_tcp6(t, &b, &tt_none6);
	tt_check_row6(ra, MIB_TCP_STATE_LISTEN, &a, &tt_none6);
	tt_check_row6(rb, MIB_TCP_STATE_LISTEN, &b, &tt_none6);
	ck_assert((ra < rb) == (v0 < v1));
	free(t);
	close(fa);
	close(fb);
}
END_TEST

START_TEST(syn_sent_towards_a_silent_peer)
{
	struct tt_ep to = tt_ep4("10.9.0.2", 80), cl;
	int c = tt_connect_nonblock(&to, &cl);
	PMIB_TCPTABLE2 t = tt_get_tcp2();
	tt_check_row4_2(tt_find_tcp2(t, &cl, &to), MIB_TCP_STATE_SYN_SENT, &cl, &to,
			(DWORD)getpid());
	ck_assert_uint_eq(t->dwNumEntries, 1);
	free(t);
	close(c);
}
END_TEST

static uint16_t csum(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/* A SYN from 10.9.0.2:40000, which never answers the SYN-ACK: the listener
 * keeps a request socket in SYN_RECV. */
static void send_raw_syn(const struct tt_ep *to)
{
	struct {
		struct iphdr ip;
		struct tcphdr tcp;
	} pkt;
	memset(&pkt, 0, sizeof(pkt));
	struct in_addr src, dst;
	inet_pton(AF_INET, "10.9.0.2", &src);
	memcpy(&dst, to->addr, 4);
	pkt.tcp.source = htons(40000);
	pkt.tcp.dest = htons(to->port);
	pkt.tcp.seq = htonl(1234);
	pkt.tcp.doff = 5;
	pkt.tcp.syn = 1;
	pkt.tcp.window = htons(65535);
	struct {
		uint32_t src, dst;
		uint8_t zero, proto;
		uint16_t len;
	} ph = { src.s_addr, dst.s_addr, 0, IPPROTO_TCP, htons(sizeof(pkt.tcp)) };
	uint32_t sum = 0;
	const uint8_t *p = (const void *)&ph;
	for (size_t i = 0; i < sizeof(ph); i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	pkt.tcp.check = csum(&pkt.tcp, sizeof(pkt.tcp), sum);
	pkt.ip.version = 4;
	pkt.ip.ihl = 5;
	pkt.ip.tot_len = htons(sizeof(pkt));
	pkt.ip.ttl = 64;
	pkt.ip.protocol = IPPROTO_TCP;
	pkt.ip.saddr = src.s_addr;
	pkt.ip.daddr = dst.s_addr;
	int r = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	ck_assert_msg(r >= 0, "raw socket: %s", strerror(errno));
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr = dst };
	ck_assert_int_eq(sendto(r, &pkt, sizeof(pkt), 0, (void *)&sa, sizeof(sa)),
			 (ssize_t)sizeof(pkt));
	close(r);
}

START_TEST(syn_rcvd_request_socket_has_pid_zero)
{
	struct tt_ep l = tt_ep4("10.9.0.1", 0);
	int lfd = tt_listen(&l, -1);
	send_raw_syn(&l);
	struct tt_ep peer = tt_ep4("10.9.0.2", 40000);
	ck_assert(tt_wait_state(&l, &peer, MIB_TCP_STATE_SYN_RCVD));
	PMIB_TCPTABLE2 t = tt_get_tcp2();
	tt_check_row4_2(tt_find_tcp2(t, &l, &tt_none4), MIB_TCP_STATE_LISTEN, &l, &tt_none4,
			(DWORD)getpid());
	tt_check_row4_2(tt_find_tcp2(t, &l, &peer), MIB_TCP_STATE_SYN_RCVD, &l, &peer, 0);
	ck_assert_uint_eq(t->dwNumEntries, 2);
	free(t);
	close(lfd);
}
END_TEST

int main(void)
{
	tt_test_init("netns");
	if (!tt_isolated || system("ip -V >/dev/null 2>&1") != 0) {
		fprintf(stderr, "SKIP: the netns suite needs a private network namespace and the "
				"`ip` command (run as root with iproute2 installed)\n");
		return 77;
	}
	Suite *s = suite_create("netns");
	TCase *tc = tcase_create("devices");
	tcase_add_checked_fixture(tc, veth_setup, NULL);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, link_local_connection_carries_scope_ids);
	tcase_add_test(tc, scope_id_orders_equal_addresses);
	tcase_add_test(tc, link_local_connection_destroyed_by_row);
	tcase_add_test(tc, syn_sent_towards_a_silent_peer);
	tcase_add_test(tc, syn_rcvd_request_socket_has_pid_zero);
	suite_add_tcase(s, tc);
	return tt_run_suite(s);
}
