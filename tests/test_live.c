/*
 * test_live.c - GetTcpTable, GetTcpTable2, GetTcp6Table and GetTcp6Table2
 * against real sockets opened by the test, checked field by field.
 *
 * Each test runs in a fresh private network namespace when the process may
 * create one, so the tables hold exactly the test's sockets and the row
 * counts are asserted too; otherwise the tests run in the host namespace and
 * check only their own rows (the suite says which at start).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "helpers.h"
#include "run_suite.h"

static DWORD me(void)
{
	return (DWORD)getpid();
}

START_TEST(ipv4_listener_and_pair)
{
	struct tt_ep l = tt_ep4("127.0.0.1", 0);
	int lfd = tt_listen(&l, -1);
	int c, s;
	tt_pair(lfd, &l, &c, &s);
	struct tt_ep cl = tt_local_of(c);

	PMIB_TCPTABLE2 t2 = tt_get_tcp2();
	tt_check_row4_2(tt_find_tcp2(t2, &l, &tt_none4), MIB_TCP_STATE_LISTEN, &l, &tt_none4, me());
	tt_check_row4_2(tt_find_tcp2(t2, &cl, &l), MIB_TCP_STATE_ESTAB, &cl, &l, me());
	tt_check_row4_2(tt_find_tcp2(t2, &l, &cl), MIB_TCP_STATE_ESTAB, &l, &cl, me());
	if (tt_isolated)
		ck_assert_uint_eq(t2->dwNumEntries, 3);

	PMIB_TCPTABLE t = tt_get_tcp();
	tt_check_row4(tt_find_tcp(t, &l, &tt_none4), MIB_TCP_STATE_LISTEN, &l, &tt_none4);
	tt_check_row4(tt_find_tcp(t, &cl, &l), MIB_TCP_STATE_ESTAB, &cl, &l);
	tt_check_row4(tt_find_tcp(t, &l, &cl), MIB_TCP_STATE_ESTAB, &l, &cl);
	if (tt_isolated) {
		ck_assert_uint_eq(t->dwNumEntries, 3);
		/* No IPv6 socket exists: the IPv6 tables are empty. */
		PMIB_TCP6TABLE2 t6 = tt_get_tcp6_2();
		ck_assert_uint_eq(t6->dwNumEntries, 0);
		free(t6);
	}
	free(t);
	free(t2);
	close(c);
	close(s);
	close(lfd);
}
END_TEST

START_TEST(ipv6_loopback_listener_and_pair)
{
	struct tt_ep l = tt_ep6("::1", 0, 0);
	int lfd = tt_listen(&l, 1);
	int c, s;
	tt_pair(lfd, &l, &c, &s);
	struct tt_ep cl = tt_local_of(c);

	PMIB_TCP6TABLE2 t2 = tt_get_tcp6_2();
	tt_check_row6_2(tt_find_tcp6_2(t2, &l, &tt_none6), MIB_TCP_STATE_LISTEN, &l, &tt_none6,
			me());
	tt_check_row6_2(tt_find_tcp6_2(t2, &cl, &l), MIB_TCP_STATE_ESTAB, &cl, &l, me());
	tt_check_row6_2(tt_find_tcp6_2(t2, &l, &cl), MIB_TCP_STATE_ESTAB, &l, &cl, me());

	PMIB_TCP6TABLE t = tt_get_tcp6();
	tt_check_row6(tt_find_tcp6(t, &l, &tt_none6), MIB_TCP_STATE_LISTEN, &l, &tt_none6);
	tt_check_row6(tt_find_tcp6(t, &cl, &l), MIB_TCP_STATE_ESTAB, &cl, &l);
	tt_check_row6(tt_find_tcp6(t, &l, &cl), MIB_TCP_STATE_ESTAB, &l, &cl);
	if (tt_isolated) {
		ck_assert_uint_eq(t2->dwNumEntries, 3);
		ck_assert_uint_eq(t->dwNumEntries, 3);
		/* A pure IPv6 connection is not an IPv4 row. */
		PMIB_TCPTABLE2 t4 = tt_get_tcp2();
		ck_assert_uint_eq(t4->dwNumEntries, 0);
		free(t4);
	}
	free(t);
	free(t2);
	close(c);
	close(s);
	close(lfd);
}
END_TEST

/* SPEC §5: a dual-stack listener is [::]:p in the IPv6 table and 0.0.0.0:p
 * in the IPv4 table; an IPv4 client's connection through it is an IPv4 row
 * on both ends, with plain IPv4 addresses. */
START_TEST(dual_stack_listener_with_ipv4_and_ipv6_clients)
{
	struct tt_ep any6 = tt_ep6("::", 0, 0);
	int lfd = tt_listen(&any6, 0);
	struct tt_ep any4 = tt_ep4("0.0.0.0", any6.port);
	struct tt_ep to4 = tt_ep4("127.0.0.1", any6.port);
	struct tt_ep to6 = tt_ep6("::1", any6.port, 0);
	int c4, s4, c6, s6;
	tt_pair(lfd, &to4, &c4, &s4);
	tt_pair(lfd, &to6, &c6, &s6);
	struct tt_ep cl4 = tt_local_of(c4), cl6 = tt_local_of(c6);
	/* The accepted socket is an AF_INET6 socket on ::ffff:127.0.0.1. */
	ck_assert_int_eq(tt_local_of(s4).family, AF_INET6);

	PMIB_TCPTABLE2 t4 = tt_get_tcp2();
	tt_check_row4_2(tt_find_tcp2(t4, &any4, &tt_none4), MIB_TCP_STATE_LISTEN, &any4,
			&tt_none4, me());
	tt_check_row4_2(tt_find_tcp2(t4, &cl4, &to4), MIB_TCP_STATE_ESTAB, &cl4, &to4, me());
	tt_check_row4_2(tt_find_tcp2(t4, &to4, &cl4), MIB_TCP_STATE_ESTAB, &to4, &cl4, me());

	PMIB_TCP6TABLE2 t6 = tt_get_tcp6_2();
	tt_check_row6_2(tt_find_tcp6_2(t6, &any6, &tt_none6), MIB_TCP_STATE_LISTEN, &any6,
			&tt_none6, me());
	tt_check_row6_2(tt_find_tcp6_2(t6, &cl6, &to6), MIB_TCP_STATE_ESTAB, &cl6, &to6, me());
	tt_check_row6_2(tt_find_tcp6_2(t6, &to6, &cl6), MIB_TCP_STATE_ESTAB, &to6, &cl6, me());
	if (tt_isolated) {
		ck_assert_uint_eq(t4->dwNumEntries, 3);
		ck_assert_uint_eq(t6->dwNumEntries, 3);
	}
	/* No ::ffff: address ever reaches the IPv6 table. */
	for (DWORD i = 0; i < t6->dwNumEntries; i++) {
		static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
		ck_assert(memcmp(&t6->table[i].LocalAddr, mapped, 12) != 0);
		ck_assert(memcmp(&t6->table[i].RemoteAddr, mapped, 12) != 0);
	}
	free(t4);
	free(t6);
	close(c4);
	close(s4);
	close(c6);
	close(s6);
	close(lfd);
}
END_TEST

START_TEST(v6only_listener_is_not_an_ipv4_row)
{
	struct tt_ep any6 = tt_ep6("::", 0, 0);
	int lfd = tt_listen(&any6, 1);
	struct tt_ep any4 = tt_ep4("0.0.0.0", any6.port);
	PMIB_TCPTABLE t4 = tt_get_tcp();
	ck_assert_ptr_null(tt_find_tcp(t4, &any4, &tt_none4));
	PMIB_TCP6TABLE t6 = tt_get_tcp6();
	tt_check_row6(tt_find_tcp6(t6, &any6, &tt_none6), MIB_TCP_STATE_LISTEN, &any6, &tt_none6);
	free(t4);
	free(t6);
	close(lfd);
}
END_TEST

/* An IPv6 socket bound to a v4-mapped address is an IPv4 socket for every
 * purpose: it belongs to the IPv4 tables only. */
START_TEST(v4mapped_bound_listener_is_an_ipv4_row)
{
	struct tt_ep m = tt_ep6("::ffff:127.0.0.1", 0, 0);
	int lfd = tt_listen(&m, 0);
	struct tt_ep l4 = tt_ep4("127.0.0.1", m.port);
	int c, s;
	tt_pair(lfd, &l4, &c, &s);
	struct tt_ep cl = tt_local_of(c);
	PMIB_TCPTABLE2 t4 = tt_get_tcp2();
	tt_check_row4_2(tt_find_tcp2(t4, &l4, &tt_none4), MIB_TCP_STATE_LISTEN, &l4, &tt_none4,
			me());
	tt_check_row4_2(tt_find_tcp2(t4, &l4, &cl), MIB_TCP_STATE_ESTAB, &l4, &cl, me());
	PMIB_TCP6TABLE2 t6 = tt_get_tcp6_2();
	ck_assert_ptr_null(tt_find_tcp6_2(t6, &m, &tt_none6));
	if (tt_isolated) {
		ck_assert_uint_eq(t4->dwNumEntries, 3);
		ck_assert_uint_eq(t6->dwNumEntries, 0);
	}
	free(t4);
	free(t6);
	close(c);
	close(s);
	close(lfd);
}
END_TEST

/* Half-closed pair: the side that shut down its sending half waits in
 * FIN_WAIT2, its peer in CLOSE_WAIT; both sockets are still open, so both
 * rows keep their owner. */
START_TEST(half_closed_pair_fin_wait2_and_close_wait)
{
	struct tt_ep l = tt_ep4("127.0.0.1", 0);
	int lfd = tt_listen(&l, -1);
	int c, s;
	tt_pair(lfd, &l, &c, &s);
	struct tt_ep cl = tt_local_of(c);
	ck_assert_int_eq(shutdown(c, SHUT_WR), 0);
	ck_assert(tt_wait_state(&cl, &l, MIB_TCP_STATE_FIN_WAIT2));

	PMIB_TCPTABLE2 t = tt_get_tcp2();
	tt_check_row4_2(tt_find_tcp2(t, &cl, &l), MIB_TCP_STATE_FIN_WAIT2, &cl, &l, me());
	tt_check_row4_2(tt_find_tcp2(t, &l, &cl), MIB_TCP_STATE_CLOSE_WAIT, &l, &cl, me());
	free(t);
	close(c);
	close(s);
	close(lfd);
}
END_TEST

/* TIME_WAIT rows, and an orphaned FIN_WAIT2 (its descriptor closed), belong
 * to no process: PID 0 (SPEC §5). */
START_TEST(time_wait_and_orphans_have_pid_zero)
{
	struct tt_ep l = tt_ep4("127.0.0.1", 0);
	int lfd = tt_listen(&l, -1);
	int c, s, c2, s2;
	tt_pair(lfd, &l, &c, &s);
	tt_pair(lfd, &l, &c2, &s2);
	struct tt_ep cl = tt_local_of(c), cl2 = tt_local_of(c2);

	/* c closes first and s follows: c ends in TIME_WAIT. */
	close(c);
	char b;
	ck_assert_int_eq(read(s, &b, 1), 0);
	close(s);
	ck_assert(tt_wait_state(&cl, &l, MIB_TCP_STATE_TIME_WAIT));
	/* c2 closes, s2 stays open: c2 is an orphan in FIN_WAIT2. */
	close(c2);
	ck_assert(tt_wait_state(&cl2, &l, MIB_TCP_STATE_FIN_WAIT2));

	PMIB_TCPTABLE2 t = tt_get_tcp2();
	tt_check_row4_2(tt_find_tcp2(t, &cl, &l), MIB_TCP_STATE_TIME_WAIT, &cl, &l, 0);
	tt_check_row4_2(tt_find_tcp2(t, &cl2, &l), MIB_TCP_STATE_FIN_WAIT2, &cl2, &l, 0);
	tt_check_row4_2(tt_find_tcp2(t, &l, &cl2), MIB_TCP_STATE_CLOSE_WAIT, &l, &cl2, me());
	/* The server side of the first pair is gone. */
	ck_assert_ptr_null(tt_find_tcp2(t, &l, &cl));
	if (tt_isolated)
		ck_assert_uint_eq(t->dwNumEntries, 4);
	free(t);
	close(s2);
	close(lfd);
}
END_TEST

/* A socket held by several processes reports the lowest PID; once only a
 * forked child holds it, the child's. */
START_TEST(socket_held_by_forked_child)
{
	struct tt_ep l = tt_ep4("127.0.0.1", 0);
	int lfd = tt_listen(&l, -1);
	struct tt_ep l6 = tt_ep6("::1", 0, 0);
	int lfd6 = tt_listen(&l6, 1);
	int go[2];
	ck_assert_int_eq(pipe(go), 0);
	pid_t child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		char b;
		close(go[1]);
		/* Holds the inherited listeners until the parent says so. */
		(void)!read(go[0], &b, 1);
		_exit(0);
	}
	close(go[0]);
	DWORD low = me() < (DWORD)child ? me() : (DWORD)child;

	PMIB_TCPTABLE2 t = tt_get_tcp2();
	tt_check_row4_2(tt_find_tcp2(t, &l, &tt_none4), MIB_TCP_STATE_LISTEN, &l, &tt_none4, low);
	free(t);

	close(lfd);
	close(lfd6);
	t = tt_get_tcp2();
	tt_check_row4_2(tt_find_tcp2(t, &l, &tt_none4), MIB_TCP_STATE_LISTEN, &l, &tt_none4,
			(DWORD)child);
	PMIB_TCP6TABLE2 t6 = tt_get_tcp6_2();
	tt_check_row6_2(tt_find_tcp6_2(t6, &l6, &tt_none6), MIB_TCP_STATE_LISTEN, &l6, &tt_none6,
			(DWORD)child);
	free(t);
	free(t6);

	close(go[1]);
	int st;
	ck_assert_int_eq(waitpid(child, &st, 0), child);
	/* The child exited: its listener is gone with it. */
	t = tt_get_tcp2();
	ck_assert_ptr_null(tt_find_tcp2(t, &l, &tt_none4));
	free(t);
}
END_TEST

/* The privilege model: a caller that may not read another user's
 * /proc/<pid>/fd sees PID 0 for that user's sockets and the owners of its
 * own; root sees every owner. */
START_TEST(unprivileged_caller_sees_own_owners_only)
{
	if (geteuid() != 0) {
		fprintf(stderr, "# unprivileged_caller_sees_own_owners_only: SKIPPED, needs root\n");
		return;
	}
	struct tt_ep root_l = tt_ep4("127.0.0.1", 0);
	int rfd = tt_listen(&root_l, -1);
	int ready[2], done[2];
	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(done), 0);
	pid_t child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		close(rfd); /* inherited: it would make the child an owner too */
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(100);
		struct tt_ep mine = tt_ep4("127.0.0.1", 0);
		int mfd = tt_listen(&mine, -1);
		PMIB_TCPTABLE2 t = tt_get_tcp2();
		const MIB_TCPROW2 *a = tt_find_tcp2(t, &root_l, &tt_none4);
		const MIB_TCPROW2 *b = tt_find_tcp2(t, &mine, &tt_none4);
		int st = !a ? 101 : a->dwOwningPid != 0 ? 102 : !b ? 103
			 : b->dwOwningPid != (DWORD)getpid() ? 104 : 0;
		free(t);
		/* Let the parent, as root, look at the child's listener too. */
		uint16_t port = mine.port;
		if (write(ready[1], &port, sizeof(port)) != sizeof(port))
			st = 105;
		char x;
		(void)!read(done[0], &x, 1);
		close(mfd);
		_exit(st);
	}
	uint16_t port;
	ck_assert_int_eq(read(ready[0], &port, sizeof(port)), sizeof(port));
	struct tt_ep theirs = tt_ep4("127.0.0.1", port);
	PMIB_TCPTABLE2 t = tt_get_tcp2();
	tt_check_row4_2(tt_find_tcp2(t, &theirs, &tt_none4), MIB_TCP_STATE_LISTEN, &theirs,
			&tt_none4, (DWORD)child);
	tt_check_row4_2(tt_find_tcp2(t, &root_l, &tt_none4), MIB_TCP_STATE_LISTEN, &root_l,
			&tt_none4, me());
	free(t);
	ck_assert_int_eq(write(done[1], "x", 1), 1);
	int st;
	ck_assert_int_eq(waitpid(child, &st, 0), child);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", st);
	close(rfd);
}
END_TEST

/* ---- Order (SPEC §6): the byte-order traps. */

static int cmp32(DWORD a, DWORD b)
{
	return a < b ? -1 : a > b;
}

static int cmp_row4(const MIB_TCPROW *a, const MIB_TCPROW *b)
{
	int d = cmp32(ntohl(a->dwLocalAddr), ntohl(b->dwLocalAddr));
	if (!d)
		d = cmp32(ntohs((uint16_t)a->dwLocalPort), ntohs((uint16_t)b->dwLocalPort));
	if (!d)
		d = cmp32(ntohl(a->dwRemoteAddr), ntohl(b->dwRemoteAddr));
	if (!d)
		d = cmp32(ntohs((uint16_t)a->dwRemotePort), ntohs((uint16_t)b->dwRemotePort));
	return d;
}

static int cmp_row6(const MIB_TCP6ROW *a, const MIB_TCP6ROW *b)
{
	int d = memcmp(&a->LocalAddr, &b->LocalAddr, 16);
	if (!d)
		d = cmp32(a->dwLocalScopeId, b->dwLocalScopeId);
	if (!d)
		d = cmp32(ntohs((uint16_t)a->dwLocalPort), ntohs((uint16_t)b->dwLocalPort));
	if (!d)
		d = memcmp(&a->RemoteAddr, &b->RemoteAddr, 16);
	if (!d)
		d = cmp32(a->dwRemoteScopeId, b->dwRemoteScopeId);
	if (!d)
		d = cmp32(ntohs((uint16_t)a->dwRemotePort), ntohs((uint16_t)b->dwRemotePort));
	return d;
}

/* Two free ports p, p+1 on addr with p = k*256 + 255: the high bytes order
 * them one way and the low bytes (a network-order compare on a
 * little-endian host) the other. */
static void listen_straddling(const char *addr, int fds[2], uint16_t ports[2])
{
	for (unsigned k = 80; k < 250; k++) {
		struct tt_ep a = tt_ep4(addr, (uint16_t)(k * 256 + 255));
		struct tt_ep b = tt_ep4(addr, (uint16_t)(k * 256 + 256));
		int fa = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int fb = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(a.port) };
		memcpy(&sa.sin_addr, a.addr, 4);
		struct sockaddr_in sb = sa;
		sb.sin_port = htons(b.port);
		if (bind(fa, (void *)&sa, sizeof(sa)) == 0 && bind(fb, (void *)&sb, sizeof(sb)) == 0 &&
		    listen(fa, 4) == 0 && listen(fb, 4) == 0) {
			fds[0] = fa;
			fds[1] = fb;
			ports[0] = a.port;
			ports[1] = b.port;
			return;
		}
		close(fa);
		close(fb);
	}
	ck_abort_msg("no free port pair on %s", addr);
}

static size_t index4(const MIB_TCPTABLE *t, const struct tt_ep *l)
{
	const MIB_TCPROW *row = tt_find_tcp(t, l, &tt_none4);
	ck_assert_ptr_nonnull(row);
	return (size_t)(row - t->table);
}

START_TEST(order_ipv4_addresses_and_ports)
{
	/* Addresses that differ only in the last octet, and one in the third:
	 * a compare of the first 16 bits (Wine) or of network-order DWORDs
	 * gets these wrong. */
	const char *addrs[] = { "127.0.0.1", "127.0.0.2", "127.0.0.10", "127.0.1.1", "127.1.0.0" };
	int fds[5];
	struct tt_ep eps[5];
	for (int i = 0; i < 5; i++) {
		eps[i] = tt_ep4(addrs[i], 0);
		fds[i] = tt_listen(&eps[i], -1);
	}
	int pfds[2];
	uint16_t ports[2];
	listen_straddling("127.0.0.3", pfds, ports);
	struct tt_ep p0 = tt_ep4("127.0.0.3", ports[0]), p1 = tt_ep4("127.0.0.3", ports[1]);

	PMIB_TCPTABLE t = tt_get_tcp();
	for (DWORD i = 1; i < t->dwNumEntries; i++)
		ck_assert_msg(cmp_row4(&t->table[i - 1], &t->table[i]) <= 0, "rows %u and %u out of order",
			      (unsigned)i - 1, (unsigned)i);
	for (int i = 1; i < 5; i++)
		ck_assert(index4(t, &eps[i - 1]) < index4(t, &eps[i]));
	ck_assert(index4(t, &eps[1]) < index4(t, &p0));
	ck_assert(index4(t, &p0) < index4(t, &p1));
	ck_assert(index4(t, &p1) < index4(t, &eps[2]));
	free(t);
	for (int i = 0; i < 5; i++)
		close(fds[i]);
	close(pfds[0]);
	close(pfds[1]);
}
END_TEST

static size_t index6(const MIB_TCP6TABLE *t, const struct tt_ep *l)
{
	const MIB_TCP6ROW *row = tt_find_tcp6(t, l, &tt_none6);
	ck_assert_ptr_nonnull(row);
	return (size_t)(row - t->table);
}

START_TEST(order_ipv6_addresses_and_scopes)
{
	/* Listeners on addresses this host need not own (IPV6_FREEBIND). */
	const char *addrs[] = { "2001:db8::1", "2001:db8::2", "2001:db8::100", "2001:db8:0:1::",
				"2001:db9::" };
	int fds[5];
	struct tt_ep eps[5];
	for (int i = 0; i < 5; i++) {
		eps[i] = tt_ep6(addrs[i], 0, 0);
		fds[i] = tt_listen_freebind(&eps[i]);
	}
	/* The same link-local address on two interfaces: scope decides. */
	struct if_nameindex *ifs = if_nameindex();
	ck_assert_ptr_nonnull(ifs);
	unsigned sc[2] = { 0, 0 }, nsc = 0;
	for (struct if_nameindex *i = ifs; i->if_index && nsc < 2; i++)
		sc[nsc++] = i->if_index;
	if_freenameindex(ifs);
	int lfds[2] = { -1, -1 };
	struct tt_ep ll[2];
	for (unsigned i = 0; i < nsc; i++) {
		ll[i] = tt_ep6("fe80::77", 0, sc[i]);
		lfds[i] = tt_listen_freebind(&ll[i]);
	}

	PMIB_TCP6TABLE t = tt_get_tcp6();
	for (DWORD i = 1; i < t->dwNumEntries; i++)
		ck_assert_msg(cmp_row6(&t->table[i - 1], &t->table[i]) <= 0, "rows %u and %u out of order",
			      (unsigned)i - 1, (unsigned)i);
	for (int i = 1; i < 5; i++)
		ck_assert(index6(t, &eps[i - 1]) < index6(t, &eps[i]));
	for (unsigned i = 0; i < nsc; i++) {
		const MIB_TCP6ROW *row = tt_find_tcp6(t, &ll[i], &tt_none6);
		tt_check_row6(row, MIB_TCP_STATE_LISTEN, &ll[i], &tt_none6);
	}
	if (nsc == 2)
		ck_assert((index6(t, &ll[0]) < index6(t, &ll[1])) == (sc[0] < sc[1]));
	else
		fprintf(stderr, "# order_ipv6: only one interface, scope order not compared\n");
	free(t);
	for (int i = 0; i < 5; i++)
		close(fds[i]);
	for (unsigned i = 0; i < nsc; i++)
		close(lfds[i]);
}
END_TEST

/* ---- Order across the whole unsigned range (issue 10, item 9): local and
 * remote addresses at and above 128.0.0.0 (or 0x80::), ports at and above
 * 32768, from real sockets.  The addresses go on lo of the test's private
 * namespace, so these tests need one. */

static bool range_skipped(const char *test)
{
	if (tt_isolated)
		return false;
	fprintf(stderr, "#\n# %s: SKIPPED: needs a private network namespace to add addresses "
			"to lo\n#\n", test);
	return true;
}

/* The descriptors of one range test, closed at its end. */
struct range_farm {
	int fds[64];
	int n;
};

static uint16_t range_port(int addr_index, uint16_t port)
{
	return (uint16_t)(port + (addr_index == 0));
}

/* Listeners on every address at ports 1000 and 40000 (1001 and 40001 on
 * the wildcard address addrs[0], whose bind takes the port on every
 * address), and connections to two of them from every address in from[]
 * at ports 2000 and 50000. */
static void range_farm_build(struct range_farm *f, const char *const *addrs, int naddrs,
			     struct tt_ep (*ep)(const char *, uint16_t), const struct tt_ep to[2],
			     const char *const *from, int nfrom)
{
	static const uint16_t lports[] = { 1000, 40000 }, cports[] = { 2000, 50000 };
	f->n = 0;
	int lfd[2] = { -1, -1 };
	for (int a = 0; a < naddrs; a++) {
		for (int p = 0; p < 2; p++) {
			struct tt_ep l = ep(addrs[a], range_port(a, lports[p]));
			int fd = tt_listen(&l, 1);
			f->fds[f->n++] = fd;
			for (int k = 0; k < 2; k++)
				if (memcmp(l.addr, to[k].addr, 16) == 0 && l.port == to[k].port)
					lfd[k] = fd;
		}
	}
	ck_assert(lfd[0] >= 0 && lfd[1] >= 0);
	for (int a = 0; a < nfrom; a++) {
		for (int p = 0; p < 2; p++) {
			for (int k = 0; k < 2; k++) {
				struct tt_ep c = ep(from[a], (uint16_t)(cports[p] + k));
				f->fds[f->n++] = tt_connect_from(&c, &to[k]);
				f->fds[f->n++] = tt_accept(lfd[k]);
			}
		}
	}
}

static void range_farm_close(struct range_farm *f)
{
	for (int i = 0; i < f->n; i++)
		close(f->fds[i]);
}

static struct tt_ep ep4_of(const char *a, uint16_t port)
{
	return tt_ep4(a, port);
}

static struct tt_ep ep6_of(const char *a, uint16_t port)
{
	return tt_ep6(a, port, 0);
}

START_TEST(order_ipv4_across_the_unsigned_range)
{
	if (range_skipped("order_ipv4_across_the_unsigned_range"))
		return;
	/* Ascending as unsigned numbers; a signed compare puts the last four
	 * first. */
	static const char *const addrs[] = { "0.0.0.0",	    "10.0.0.1",	   "127.0.0.1",
					     "128.0.0.1",   "192.168.0.1", "203.0.113.1",
					     "255.255.255.254" };
	const int naddrs = 7;
	char cmd[64];
	for (int a = 1; a < naddrs; a++) {
		if (strncmp(addrs[a], "127.", 4) == 0)
			continue; /* lo has 127.0.0.0/8 already */
		snprintf(cmd, sizeof(cmd), "addr add %s/32 dev lo", addrs[a]);
		ck_assert_msg(tt_ip(cmd), "ip %s", cmd);
	}
	const struct tt_ep to[2] = { tt_ep4("10.0.0.1", 1000), tt_ep4("203.0.113.1", 40000) };
	static const char *const from[] = { "127.0.0.1", "192.168.0.1", "255.255.255.254" };
	struct range_farm f;
	range_farm_build(&f, addrs, naddrs, ep4_of, to, from, 3);

	PMIB_TCPTABLE t = tt_get_tcp();
	/* 14 listeners, 12 connections with both ends in the table. */
	ck_assert_uint_eq(t->dwNumEntries, 14 + 2 * 12);
	for (DWORD i = 1; i < t->dwNumEntries; i++)
		ck_assert_msg(cmp_row4(&t->table[i - 1], &t->table[i]) < 0,
			      "rows %u and %u out of order", (unsigned)i - 1, (unsigned)i);
	/* The listeners, by address then port, exactly where they belong. */
	size_t last = 0;
	for (int a = 0; a < naddrs; a++) {
		for (int p = 0; p < 2; p++) {
			struct tt_ep l = tt_ep4(addrs[a], range_port(a, p ? 40000 : 1000));
			size_t at = index4(t, &l);
			ck_assert_msg(a + p == 0 || at > last, "listener %s:%u out of order", addrs[a],
				      (unsigned)l.port);
			last = at;
		}
	}
	free(t);
	range_farm_close(&f);
}
END_TEST

START_TEST(order_ipv6_across_the_unsigned_range)
{
	if (range_skipped("order_ipv6_across_the_unsigned_range"))
		return;
	/* Ascending as unsigned big-endian numbers; a signed byte compare
	 * puts the last three first. */
	static const char *const addrs[] = { "::", "::1", "2001:db8::1", "2001:db8::80", "7fff::1",
					     "8000::1", "fd00::1" };
	const int naddrs = 7;
	for (int a = 2; a < naddrs; a++) /* lo has ::1 already */
		ck_assert_msg(tt_add_lo6(addrs[a]), "%s on lo", addrs[a]);
	const struct tt_ep to[2] = { tt_ep6("2001:db8::1", 1000, 0), tt_ep6("fd00::1", 40000, 0) };
	static const char *const from[] = { "::1", "2001:db8::80", "8000::1" };
	struct range_farm f;
	range_farm_build(&f, addrs, naddrs, ep6_of, to, from, 3);

	PMIB_TCP6TABLE t = tt_get_tcp6();
	ck_assert_uint_eq(t->dwNumEntries, 14 + 2 * 12);
	for (DWORD i = 1; i < t->dwNumEntries; i++)
		ck_assert_msg(cmp_row6(&t->table[i - 1], &t->table[i]) < 0,
			      "rows %u and %u out of order", (unsigned)i - 1, (unsigned)i);
	size_t last = 0;
	for (int a = 0; a < naddrs; a++) {
		for (int p = 0; p < 2; p++) {
			struct tt_ep l = tt_ep6(addrs[a], range_port(a, p ? 40000 : 1000), 0);
			size_t at = index6(t, &l);
			ck_assert_msg(a + p == 0 || at > last, "listener [%s]:%u out of order",
				      addrs[a], (unsigned)l.port);
			last = at;
		}
	}
	free(t);
	range_farm_close(&f);
}
END_TEST

/* On an unchanged system two calls return identical bytes (ties broken
 * deterministically), whatever Order says. */
START_TEST(repeated_calls_return_identical_bytes)
{
	struct tt_ep l = tt_ep4("127.0.0.1", 0), l6 = tt_ep6("::1", 0, 0);
	int lfd = tt_listen(&l, -1), lfd6 = tt_listen(&l6, 1);
	int c[4], s[4];
	for (int i = 0; i < 2; i++) {
		tt_pair(lfd, &l, &c[i], &s[i]);
		tt_pair(lfd6, &l6, &c[i + 2], &s[i + 2]);
	}
	bool same = false;
	for (int attempt = 0; attempt < 20 && !same; attempt++) {
		ULONG a = 0, b = 0;
		ck_assert_uint_eq(GetTcpTable2(NULL, &a, TRUE), ERROR_INSUFFICIENT_BUFFER);
		a += 4096;
		b = a;
		void *ta = malloc(a), *tb = malloc(b);
		ck_assert_uint_eq(GetTcpTable2(ta, &a, TRUE), NO_ERROR);
		ck_assert_uint_eq(GetTcpTable2(tb, &b, FALSE), NO_ERROR);
		same = a == b && memcmp(ta, tb, a) == 0;
		if (same) {
			ULONG x = 0, y;
			ck_assert_uint_eq(GetTcp6Table(NULL, &x, TRUE), ERROR_INSUFFICIENT_BUFFER);
			y = x;
			void *tx = malloc(x), *ty = malloc(y);
			ck_assert_uint_eq(GetTcp6Table(tx, &x, TRUE), NO_ERROR);
			ck_assert_uint_eq(GetTcp6Table(ty, &y, TRUE), NO_ERROR);
			same = x == y && memcmp(tx, ty, x) == 0;
			free(tx);
			free(ty);
		}
		free(ta);
		free(tb);
		/* Only the host namespace can change under us. */
		ck_assert(same || !tt_isolated);
	}
	ck_assert(same);
	for (int i = 0; i < 4; i++) {
		close(c[i]);
		close(s[i]);
	}
	close(lfd);
	close(lfd6);
}
END_TEST

static Suite *live_suite(void)
{
	Suite *s = suite_create("live");
	TCase *tc = tcase_create("rows");
	tcase_add_checked_fixture(tc, tt_fresh_netns, NULL);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, ipv4_listener_and_pair);
	tcase_add_test(tc, ipv6_loopback_listener_and_pair);
	tcase_add_test(tc, dual_stack_listener_with_ipv4_and_ipv6_clients);
	tcase_add_test(tc, v6only_listener_is_not_an_ipv4_row);
	tcase_add_test(tc, v4mapped_bound_listener_is_an_ipv4_row);
	tcase_add_test(tc, half_closed_pair_fin_wait2_and_close_wait);
	tcase_add_test(tc, time_wait_and_orphans_have_pid_zero);
	tcase_add_test(tc, socket_held_by_forked_child);
	tcase_add_test(tc, unprivileged_caller_sees_own_owners_only);
	suite_add_tcase(s, tc);

	TCase *order = tcase_create("order");
	tcase_add_checked_fixture(order, tt_fresh_netns, NULL);
	tcase_set_timeout(order, 30);
	tcase_add_test(order, order_ipv4_addresses_and_ports);
	tcase_add_test(order, order_ipv6_addresses_and_scopes);
	tcase_add_test(order, order_ipv4_across_the_unsigned_range);
	tcase_add_test(order, order_ipv6_across_the_unsigned_range);
	tcase_add_test(order, repeated_calls_return_identical_bytes);
	suite_add_tcase(s, order);
	return s;
}

int main(void)
{
	tt_test_init("live");
	return tt_run_suite(live_suite());
}
