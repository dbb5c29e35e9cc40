/*
 * test_set_entry.c - SetTcpEntry (and TcptableSetTcp6Entry) on real
 * connections: the peer of a destroyed connection sees the reset; rows cast
 * from the other IPv4 layouts work; an IPv4 row of a connection held by a
 * dual-stack IPv6 socket kills it; a caller without CAP_NET_ADMIN gets
 * ERROR_ACCESS_DENIED; unknown rows and wrong states get 317 and 87.
 * Destroying sockets needs CAP_NET_ADMIN: without it (not root), the suite
 * reports SKIP (exit 77).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <tcptable_ext.h>

#include "helpers.h"
#include "run_suite.h"

/* The error a socket reports once its connection was torn down. */
static int reset_seen(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	if (poll(&p, 1, 2000) != 1)
		return 0;
	char b;
	ssize_t n = recv(fd, &b, 1, MSG_DONTWAIT);
	return n < 0 ? errno : 0;
}

static MIB_TCPROW basic_row(const struct tt_ep *l, const struct tt_ep *r)
{
	PMIB_TCPTABLE t = tt_get_tcp();
	const MIB_TCPROW *row = tt_find_tcp(t, l, r);
	ck_assert_ptr_nonnull(row);
	MIB_TCPROW copy = *row;
	free(t);
	return copy;
}

START_TEST(destroyed_connection_resets_the_peer)
{
	struct tt_ep l = tt_ep4("127.0.0.1", 0);
	int lfd = tt_listen(&l, -1);
	int c, s;
	tt_pair(lfd, &l, &c, &s);
	struct tt_ep cl = tt_local_of(c);
	MIB_TCPROW row = basic_row(&cl, &l);
	ck_assert_uint_eq(row.dwState, MIB_TCP_STATE_ESTAB);
	row.dwState = MIB_TCP_STATE_DELETE_TCB;
	ck_assert_uint_eq(SetTcpEntry(&row), NO_ERROR);
	ck_assert_int_eq(reset_seen(s), ECONNRESET);
	ck_assert_int_eq(reset_seen(c), ECONNABORTED);
	PMIB_TCPTABLE t = tt_get_tcp();
	ck_assert_ptr_null(tt_find_tcp(t, &cl, &l));
	ck_assert_ptr_null(tt_find_tcp(t, &l, &cl));
	free(t);
	/* Gone now: a second attempt finds nothing. */
	ck_assert_uint_eq(SetTcpEntry(&row), ERROR_MR_MID_NOT_FOUND);
	close(c);
	close(s);
	close(lfd);
}
END_TEST

/* MIB_TCPROW2 and the OWNER rows begin with a MIB_TCPROW: callers cast. */
START_TEST(rows_of_other_layouts_cast_to_mib_tcprow)
{
	struct tt_ep l = tt_ep4("127.0.0.1", 0);
	int lfd = tt_listen(&l, -1);
	int c[3], s[3];
	struct tt_ep cl[3];
	for (int i = 0; i < 3; i++) {
		tt_pair(lfd, &l, &c[i], &s[i]);
		cl[i] = tt_local_of(c[i]);
	}
	PMIB_TCPTABLE2 t2 = tt_get_tcp2();
	MIB_TCPROW2 r2 = *tt_find_tcp2(t2, &cl[0], &l);
	free(t2);
	r2.dwState = MIB_TCP_STATE_DELETE_TCB;
	ck_assert_uint_eq(SetTcpEntry((PMIB_TCPROW)&r2), NO_ERROR);
	ck_assert_int_eq(reset_seen(s[0]), ECONNRESET);

	DWORD size = 0;
	ck_assert_uint_eq(GetExtendedTcpTable(NULL, &size, TRUE, AF_INET, TCP_TABLE_OWNER_PID_ALL, 0),
			  ERROR_INSUFFICIENT_BUFFER);
	PMIB_TCPTABLE_OWNER_PID tp = malloc(size);
	ck_assert_uint_eq(GetExtendedTcpTable(tp, &size, TRUE, AF_INET, TCP_TABLE_OWNER_PID_ALL, 0),
			  NO_ERROR);
	size = 0;
	ck_assert_uint_eq(GetExtendedTcpTable(NULL, &size, TRUE, AF_INET, TCP_TABLE_OWNER_MODULE_ALL, 0),
			  ERROR_INSUFFICIENT_BUFFER);
	PMIB_TCPTABLE_OWNER_MODULE tm = malloc(size);
	ck_assert_uint_eq(GetExtendedTcpTable(tm, &size, TRUE, AF_INET, TCP_TABLE_OWNER_MODULE_ALL, 0),
			  NO_ERROR);
	bool done_pid = false, done_mod = false;
	for (DWORD i = 0; i < tp->dwNumEntries; i++) {
		MIB_TCPROW_OWNER_PID *r = &tp->table[i];
		if (r->dwLocalPort == htons(cl[1].port)) {
			r->dwState = MIB_TCP_STATE_DELETE_TCB;
			ck_assert_uint_eq(SetTcpEntry((PMIB_TCPROW)r), NO_ERROR);
			done_pid = true;
		}
	}
	for (DWORD i = 0; i < tm->dwNumEntries; i++) {
		MIB_TCPROW_OWNER_MODULE *r = &tm->table[i];
		if (r->dwLocalPort == htons(cl[2].port)) {
			r->dwState = MIB_TCP_STATE_DELETE_TCB;
			ck_assert_uint_eq(SetTcpEntry((PMIB_TCPROW)r), NO_ERROR);
			done_mod = true;
		}
	}
	ck_assert(done_pid && done_mod);
	ck_assert_int_eq(reset_seen(s[1]), ECONNRESET);
	ck_assert_int_eq(reset_seen(s[2]), ECONNRESET);
	free(tp);
	free(tm);
	for (int i = 0; i < 3; i++) {
		close(c[i]);
		close(s[i]);
	}
	close(lfd);
}
END_TEST

/* The server end of an IPv4 connection accepted by a dual-stack listener is
 * an IPv6 socket; its IPv4 row destroys it all the same. */
START_TEST(ipv4_row_of_dual_stack_socket)
{
	struct tt_ep any6 = tt_ep6("::", 0, 0);
	int lfd = tt_listen(&any6, 0);
	struct tt_ep to = tt_ep4("127.0.0.1", any6.port);
	int c, s;
	tt_pair(lfd, &to, &c, &s);
	ck_assert_int_eq(tt_local_of(s).family, AF_INET6);
	struct tt_ep cl = tt_local_of(c);
	MIB_TCPROW row = basic_row(&to, &cl);
	row.dwState = MIB_TCP_STATE_DELETE_TCB;
	ck_assert_uint_eq(SetTcpEntry(&row), NO_ERROR);
	ck_assert_int_eq(reset_seen(c), ECONNRESET);
	ck_assert_int_eq(reset_seen(s), ECONNABORTED);
	close(c);
	close(s);
	close(lfd);
}
END_TEST

START_TEST(bad_rows)
{
	struct tt_ep l = tt_ep4("127.0.0.1", 0);
	int lfd = tt_listen(&l, -1);
	int c, s;
	tt_pair(lfd, &l, &c, &s);
	struct tt_ep cl = tt_local_of(c);
	MIB_TCPROW row = basic_row(&cl, &l);
	ck_assert_uint_eq(SetTcpEntry(NULL), ERROR_INVALID_PARAMETER);
	/* Any state but DELETE_TCB: 87, and the connection lives on. */
	for (DWORD st = 0; st <= 13; st++) {
		if (st == MIB_TCP_STATE_DELETE_TCB)
			continue;
		row.dwState = st;
		ck_assert_uint_eq(SetTcpEntry(&row), ERROR_INVALID_PARAMETER);
	}
	row.dwState = 100;
	ck_assert_uint_eq(SetTcpEntry(&row), ERROR_INVALID_PARAMETER);
	ck_assert_int_eq(send(c, "x", 1, 0), 1);
	char b;
	ck_assert_int_eq(recv(s, &b, 1, 0), 1);
	/* No such connection. */
	MIB_TCPROW none = row;
	none.dwState = MIB_TCP_STATE_DELETE_TCB;
	none.dwRemotePort = htons(1);
	ck_assert_uint_eq(SetTcpEntry(&none), ERROR_MR_MID_NOT_FOUND);
	memset(&none, 0, sizeof(none));
	none.dwState = MIB_TCP_STATE_DELETE_TCB;
	ck_assert_uint_eq(SetTcpEntry(&none), ERROR_MR_MID_NOT_FOUND);
	close(c);
	close(s);
	close(lfd);
}
END_TEST

static bool drop_net_admin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d) != 0)
		return false;
	unsigned bit = 1u << (CAP_NET_ADMIN % 32);
	d[CAP_NET_ADMIN / 32].effective &= ~bit;
	d[CAP_NET_ADMIN / 32].permitted &= ~bit;
	d[CAP_NET_ADMIN / 32].inheritable &= ~bit;
	return syscall(SYS_capset, &h, d) == 0;
}

START_TEST(without_cap_net_admin_access_is_denied)
{
	struct tt_ep l = tt_ep4("127.0.0.1", 0);
	int lfd = tt_listen(&l, -1);
	int c, s;
	tt_pair(lfd, &l, &c, &s);
	struct tt_ep cl = tt_local_of(c);
	MIB_TCPROW row = basic_row(&cl, &l);
	row.dwState = MIB_TCP_STATE_DELETE_TCB;
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (!drop_net_admin())
			_exit(100);
		_exit(SetTcpEntry(&row) == ERROR_ACCESS_DENIED ? 0 : 101);
	}
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", st);
	/* The connection survived. */
	ck_assert_int_eq(send(c, "x", 1, 0), 1);
	char b;
	ck_assert_int_eq(recv(s, &b, 1, 0), 1);
	close(c);
	close(s);
	close(lfd);
}
END_TEST

START_TEST(ipv6_connection_through_the_extension)
{
	struct tt_ep l = tt_ep6("::1", 0, 0);
	int lfd = tt_listen(&l, 1);
	int c, s;
	tt_pair(lfd, &l, &c, &s);
	struct tt_ep cl = tt_local_of(c);
	PMIB_TCP6TABLE t = tt_get_tcp6();
	MIB_TCP6ROW row = *tt_find_tcp6(t, &cl, &l);
	free(t);
	ck_assert_uint_eq(TcptableSetTcp6Entry(NULL), ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(TcptableSetTcp6Entry(&row), ERROR_INVALID_PARAMETER); /* State ESTAB */
	row.State = MIB_TCP_STATE_DELETE_TCB;
	ck_assert_uint_eq(TcptableSetTcp6Entry(&row), NO_ERROR);
	ck_assert_int_eq(reset_seen(s), ECONNRESET);
	ck_assert_uint_eq(TcptableSetTcp6Entry(&row), ERROR_MR_MID_NOT_FOUND);
	close(c);
	close(s);
	close(lfd);
}
END_TEST

int main(void)
{
	tt_test_init("set_entry");
	if (geteuid() != 0) {
		fprintf(stderr, "SKIP: SetTcpEntry tests need root (CAP_NET_ADMIN)\n");
		return 77;
	}
	Suite *s = suite_create("set_entry");
	TCase *tc = tcase_create("set_entry");
	tcase_add_checked_fixture(tc, tt_fresh_netns, NULL);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, destroyed_connection_resets_the_peer);
	tcase_add_test(tc, rows_of_other_layouts_cast_to_mib_tcprow);
	tcase_add_test(tc, ipv4_row_of_dual_stack_socket);
	tcase_add_test(tc, bad_rows);
	tcase_add_test(tc, without_cap_net_admin_access_is_denied);
	tcase_add_test(tc, ipv6_connection_through_the_extension);
	suite_add_tcase(s, tc);
	return tt_run_suite(s);
}
