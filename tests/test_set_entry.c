/*
 * test_set_entry.c - SetTcpEntry (and TcptableSetTcp6Entry) on real
 * connections: the peer of a destroyed connection sees the reset; rows cast
 * from the other IPv4 layouts work; an IPv4 row of a connection held by a
 * dual-stack IPv6 socket kills it; a caller without CAP_NET_ADMIN gets
 * ERROR_ACCESS_DENIED; unknown rows and wrong states get 317 and 87.
 * A row naming no connection never touches the listener on its local port
 * (the kernel's own lookup would fall back to it), a LISTEN row is refused
 * with ERROR_NOT_SUPPORTED, and a connection on a device-bound socket is
 * found.
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
#include <arpa/inet.h>
#include <linux/capability.h>
#include <net/if.h>
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
	/* All zero: a listener's row, which no platform acts on. */
	memset(&none, 0, sizeof(none));
	none.dwState = MIB_TCP_STATE_DELETE_TCB;
	ck_assert_uint_eq(SetTcpEntry(&none), ERROR_NOT_SUPPORTED);
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

/* ---- Rows that name no connection leave listeners alone. */

/* lfd still listens: no error is pending on it and a new connection to
 * `to` is accepted and carries data.  (tt_connect and tt_accept fail the
 * test when the listener is gone.) */
static void expect_listening(int lfd, const struct tt_ep *to)
{
	int err = -1;
	socklen_t len = sizeof(err);
	ck_assert_int_eq(getsockopt(lfd, SOL_SOCKET, SO_ERROR, &err, &len), 0);
	ck_assert_msg(err == 0, "listener SO_ERROR %s", strerror(err));
	int c, s;
	tt_pair(lfd, to, &c, &s);
	ck_assert_int_eq(send(c, "x", 1, 0), 1);
	char b;
	ck_assert_int_eq(recv(s, &b, 1, 0), 1);
	close(c);
	close(s);
}

static MIB_TCPROW delete_row4(const char *laddr, uint16_t lport, const char *raddr,
			      uint16_t rport)
{
	MIB_TCPROW r;
	memset(&r, 0, sizeof(r));
	r.dwState = MIB_TCP_STATE_DELETE_TCB;
	ck_assert_int_eq(inet_pton(AF_INET, laddr, &r.dwLocalAddr), 1);
	ck_assert_int_eq(inet_pton(AF_INET, raddr, &r.dwRemoteAddr), 1);
	r.dwLocalPort = htons(lport);
	r.dwRemotePort = htons(rport);
	return r;
}

static MIB_TCP6ROW delete_row6(const char *laddr, uint16_t lport, const char *raddr,
			       uint16_t rport)
{
	MIB_TCP6ROW r;
	memset(&r, 0, sizeof(r));
	r.State = MIB_TCP_STATE_DELETE_TCB;
	ck_assert_int_eq(inet_pton(AF_INET6, laddr, &r.LocalAddr), 1);
	ck_assert_int_eq(inet_pton(AF_INET6, raddr, &r.RemoteAddr), 1);
	r.dwLocalPort = htons(lport);
	r.dwRemotePort = htons(rport);
	return r;
}

/* Listeners an IPv4 row 127.0.0.1:P <-> 127.0.0.1:54321 must not reach:
 * on 127.0.0.1, on 0.0.0.0, and a dual-stack [::] one. */
static const struct {
	const char *addr;
	int family, v6only;
} v4_listeners[] = {
	{ "127.0.0.1", AF_INET, -1 },
	{ "0.0.0.0", AF_INET, -1 },
	{ "::", AF_INET6, 0 },
};

START_TEST(ipv4_row_without_connection_spares_the_listener)
{
	struct tt_ep l = v4_listeners[_i].family == AF_INET ? tt_ep4(v4_listeners[_i].addr, 0)
							    : tt_ep6(v4_listeners[_i].addr, 0, 0);
	int lfd = tt_listen(&l, v4_listeners[_i].v6only);
	struct tt_ep to = tt_ep4("127.0.0.1", l.port);
	MIB_TCPROW row = delete_row4("127.0.0.1", l.port, "127.0.0.1", 54321);
	ck_assert_uint_eq(SetTcpEntry(&row), ERROR_MR_MID_NOT_FOUND);
	expect_listening(lfd, &to);
	close(lfd);
}
END_TEST

/* The same through the IPv6 entry point, with global addresses, against
 * [::] listeners (IPv6 only, and dual-stack). */
START_TEST(ipv6_row_without_connection_spares_the_listener)
{
	if (!tt_isolated) {
		fprintf(stderr, "SKIP (loud): %s needs a private namespace to add 2001:db8::1\n",
			__func__);
		return;
	}
	ck_assert(tt_add_lo6("2001:db8::1"));
	for (int v6only = 0; v6only <= 1; v6only++) {
		struct tt_ep l = tt_ep6("::", 0, 0);
		int lfd = tt_listen(&l, v6only);
		struct tt_ep to = tt_ep6("2001:db8::1", l.port, 0);
		MIB_TCP6ROW row = delete_row6("2001:db8::1", l.port, "2001:db8::2", 54321);
		ck_assert_uint_eq(TcptableSetTcp6Entry(&row), ERROR_MR_MID_NOT_FOUND);
		expect_listening(lfd, &to);
		close(lfd);
	}
}
END_TEST

/* A LISTEN row, as the tables give it (remote 0:0): refused on both entry
 * points, and the listener goes on accepting. */
START_TEST(listen_rows_are_not_supported)
{
	struct tt_ep l4 = tt_ep4("127.0.0.1", 0), l6 = tt_ep6("::1", 0, 0);
	int lfd4 = tt_listen(&l4, -1), lfd6 = tt_listen(&l6, 1);
	PMIB_TCPTABLE t = tt_get_tcp();
	const MIB_TCPROW *r4 = tt_find_tcp(t, &l4, &tt_none4);
	ck_assert_ptr_nonnull(r4);
	MIB_TCPROW row4 = *r4;
	free(t);
	PMIB_TCP6TABLE t6 = tt_get_tcp6();
	const MIB_TCP6ROW *r6 = tt_find_tcp6(t6, &l6, &tt_none6);
	ck_assert_ptr_nonnull(r6);
	MIB_TCP6ROW row6 = *r6;
	free(t6);
	ck_assert_uint_eq(row4.dwState, MIB_TCP_STATE_LISTEN);
	ck_assert_uint_eq(row6.State, MIB_TCP_STATE_LISTEN);
	row4.dwState = MIB_TCP_STATE_DELETE_TCB;
	row6.State = MIB_TCP_STATE_DELETE_TCB;
	ck_assert_uint_eq(SetTcpEntry(&row4), ERROR_NOT_SUPPORTED);
	ck_assert_uint_eq(TcptableSetTcp6Entry(&row6), ERROR_NOT_SUPPORTED);
	expect_listening(lfd4, &l4);
	expect_listening(lfd6, &l6);
	close(lfd4);
	close(lfd6);
}
END_TEST

/* ---- Device-bound sockets (SO_BINDTODEVICE, as in a VRF). */

START_TEST(connection_on_a_device_bound_socket)
{
	if (!tt_isolated) {
		fprintf(stderr, "SKIP (loud): %s needs a private namespace for its veth pair\n",
			__func__);
		return;
	}
	ck_assert(tt_ip("link add tt0 type veth peer name tt1"));
	ck_assert(tt_ip("addr add 10.9.0.1/24 dev tt0"));
	ck_assert(tt_ip("link set tt0 up"));
	ck_assert(tt_ip("link set tt1 up"));
	struct tt_ep l = tt_ep4("10.9.0.1", 0);
	int lfd = tt_listen(&l, -1);
	int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(c, 0);
	ck_assert_msg(setsockopt(c, SOL_SOCKET, SO_BINDTODEVICE, "tt0", 4) == 0,
		      "SO_BINDTODEVICE: %s", strerror(errno));
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(l.port) };
	memcpy(&to.sin_addr, l.addr, 4);
	ck_assert_msg(connect(c, (struct sockaddr *)&to, sizeof(to)) == 0, "connect: %s",
		      strerror(errno));
	int s = tt_accept(lfd);
	struct tt_ep cl = tt_local_of(c);
	/* The client's row, straight from the table (IPv4 rows carry no
	 * interface). */
	MIB_TCPROW row = basic_row(&cl, &l);
	row.dwState = MIB_TCP_STATE_DELETE_TCB;
	ck_assert_uint_eq(SetTcpEntry(&row), NO_ERROR);
	ck_assert_int_eq(reset_seen(s), ECONNRESET);
	ck_assert_int_eq(reset_seen(c), ECONNABORTED);
	PMIB_TCPTABLE t = tt_get_tcp();
	ck_assert_ptr_null(tt_find_tcp(t, &cl, &l));
	free(t);
	expect_listening(lfd, &l);
	close(c);
	close(s);
	close(lfd);
}
END_TEST

/* An IPv6 link-local row names its interface: a row with another zone is
 * no such connection, and the connection lives on; the right zone (as the
 * table gives it) destroys it. */
START_TEST(link_local_row_needs_the_right_zone)
{
	if (!tt_isolated) {
		fprintf(stderr, "SKIP (loud): %s needs a private namespace for its veth pair\n",
			__func__);
		return;
	}
	ck_assert(tt_ip("link add tt0 type veth peer name tt1"));
	ck_assert(tt_ip("link set tt0 up"));
	ck_assert(tt_ip("link set tt1 up"));
	ck_assert(tt_ip("addr add fe80::1/64 dev tt0 nodad"));
	ck_assert(tt_ip("addr add fe80::2/64 dev tt1 nodad"));
	unsigned v0 = if_nametoindex("tt0"), v1 = if_nametoindex("tt1");
	ck_assert(v0 && v1 && v0 != v1);
	struct tt_ep l = tt_ep6("fe80::2", 0, v1);
	int lfd = tt_listen(&l, 1);
	struct tt_ep to = tt_ep6("fe80::2", l.port, v0);
	int c = tt_connect(&to, NULL);
	int s = tt_accept(lfd);
	struct tt_ep cl = tt_local_of(c);
	PMIB_TCP6TABLE t = tt_get_tcp6();
	const MIB_TCP6ROW *found = tt_find_tcp6(t, &cl, &to);
	ck_assert_ptr_nonnull(found);
	MIB_TCP6ROW row = *found;
	free(t);
	ck_assert_uint_eq(row.dwLocalScopeId, v0);
	row.State = MIB_TCP_STATE_DELETE_TCB;
	MIB_TCP6ROW wrong = row;
	wrong.dwLocalScopeId = wrong.dwRemoteScopeId = v1;
	ck_assert_uint_eq(TcptableSetTcp6Entry(&wrong), ERROR_MR_MID_NOT_FOUND);
	ck_assert_int_eq(send(c, "x", 1, 0), 1);
	char b;
	ck_assert_int_eq(recv(s, &b, 1, 0), 1);
	ck_assert_uint_eq(TcptableSetTcp6Entry(&row), NO_ERROR);
	ck_assert_int_eq(reset_seen(s), ECONNRESET);
	expect_listening(lfd, &to);
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
	tcase_add_loop_test(tc, ipv4_row_without_connection_spares_the_listener, 0,
			    (int)(sizeof(v4_listeners) / sizeof(v4_listeners[0])));
	tcase_add_test(tc, ipv6_row_without_connection_spares_the_listener);
	tcase_add_test(tc, listen_rows_are_not_supported);
	tcase_add_test(tc, connection_on_a_device_bound_socket);
	tcase_add_test(tc, link_local_row_needs_the_right_zone);
	suite_add_tcase(s, tc);
	return tt_run_suite(s);
}
