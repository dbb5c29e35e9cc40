/*
 * test_fallback.c - the /proc/net/tcp{,6} fallback gives the same tables as
 * sock_diag: a forked child whose seccomp filter refuses netlink sockets
 * reads every table variant (and the statistics) and the bytes are compared
 * with the parent's, for a set of sockets covering every rule of SPEC §5
 * that the fallback can follow (it cannot see scope ids, SPEC §9), with
 * net.ipv6.bindv6only at 0 and at 1, and in a thread that has a network
 * namespace of its own (the fallback must read that thread's namespace, as
 * sock_diag does, not the main thread's).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "helpers.h"
#include "run_suite.h"
#include "sandbox.h"
#include "table_fns.h"

static int fds[64];
static int nfds;

/* Every kind of UDP row the fallback must reproduce: seven per table. */
static void udp_sockets(void)
{
	struct tt_ep u4 = tt_ep4("127.0.0.1", 0), u6 = tt_ep6("::1", 0, 0);
	tt_udp_shape(&u4, &fds[nfds]);
	nfds += 3;
	tt_udp_shape(&u6, &fds[nfds]);
	nfds += 3;
	struct tt_ep other6 = tt_ep6("::1", 0, 0);
	fds[nfds++] = tt_udp_bind(&other6, -1);
	/* Dual-stack [::], in both tables. */
	struct tt_ep dual = tt_ep6("::", 0, 0);
	fds[nfds++] = tt_udp_bind(&dual, 0);
	/* V6ONLY [::]:p beside 0.0.0.0:p: IPv6 only. */
	struct tt_ep v6only = tt_ep6("::", 0, 0);
	fds[nfds++] = tt_udp_bind(&v6only, 1);
	struct tt_ep same4 = tt_ep4("0.0.0.0", v6only.port);
	fds[nfds++] = tt_udp_bind(&same4, -1);
	/* Bound to a v4-mapped address: IPv4 only. */
	struct tt_ep mapped = tt_ep6("::ffff:127.0.0.1", 0, 0);
	fds[nfds++] = tt_udp_bind(&mapped, 0);
	/* Autobound by sendto on a dual-stack socket: both tables. */
	fds[nfds++] = tt_udp_sendto(AF_INET6, &other6);
}

/* Every kind of row the fallback must reproduce. */
static void sockets(void)
{
	tt_fresh_netns();
	nfds = 0;
	struct tt_ep l4 = tt_ep4("127.0.0.1", 0), l6 = tt_ep6("::1", 0, 0);
	struct tt_ep dual = tt_ep6("::", 0, 0);
	fds[nfds++] = tt_listen(&l4, -1);
	fds[nfds++] = tt_listen(&l6, 1);
	fds[nfds++] = tt_listen(&dual, 0);
	tt_pair(fds[0], &l4, &fds[nfds], &fds[nfds + 1]);
	nfds += 2;
	tt_pair(fds[1], &l6, &fds[nfds], &fds[nfds + 1]);
	nfds += 2;
	/* An IPv4 client of the dual-stack listener: v4-mapped on one end. */
	struct tt_ep to_dual = tt_ep4("127.0.0.1", dual.port);
	tt_pair(fds[2], &to_dual, &fds[nfds], &fds[nfds + 1]);
	nfds += 2;
	/* A V6ONLY [::] listener beside an IPv4 listener on the same port:
	 * the fallback must not show it as 0.0.0.0 as well. */
	struct tt_ep v6only = tt_ep6("::", 0, 0);
	fds[nfds++] = tt_listen(&v6only, 1);
	struct tt_ep same4 = tt_ep4("0.0.0.0", v6only.port);
	fds[nfds++] = tt_listen(&same4, -1);
	/* TIME_WAIT and a half-closed pair. */
	int c, s;
	tt_pair(fds[0], &l4, &c, &s);
	struct tt_ep cl = tt_local_of(c);
	close(c);
	char b;
	ck_assert_int_eq(read(s, &b, 1), 0);
	close(s);
	ck_assert(tt_wait_state(&cl, &l4, MIB_TCP_STATE_TIME_WAIT));
	tt_pair(fds[1], &l6, &fds[nfds], &fds[nfds + 1]);
	struct tt_ep hl = tt_local_of(fds[nfds]);
	shutdown(fds[nfds], SHUT_WR);
	ck_assert(tt_wait_state(&hl, &l6, MIB_TCP_STATE_FIN_WAIT2));
	nfds += 2;
	udp_sockets();
}

static void close_sockets(void)
{
	for (int i = 0; i < nfds; i++)
		close(fds[i]);
}

/* Table f read by a forked child whose seccomp filter refuses netlink, so
 * that the /proc/net fallback answers; *err_out is its return code. */
static unsigned char *fetch_fallback(const struct table_fn *f, ULONG *size_out, ULONG *err_out)
{
	int pipefd[2];
	ck_assert_int_eq(pipe(pipefd), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* Only the parent holds the sockets, so both read the same
		 * owner PIDs even when the child's PID is the lower one (PIDs
		 * wrap around). */
		if (pipefd[1] < 3 || close_range(3, (unsigned)pipefd[1] - 1, 0) != 0 ||
		    close_range((unsigned)pipefd[1] + 1, ~0u, 0) != 0)
			_exit(5);
		if (!tt_block_netlink())
			_exit(2);
		/* Proof that sock_diag is gone for this process. */
		if (socket(AF_NETLINK, SOCK_RAW, 4) >= 0)
			_exit(3);
		ULONG size, err;
		unsigned char *t = table_fn_fetch(f, &size, &err);
		bool sent = write(pipefd[1], &err, sizeof(err)) == sizeof(err) &&
			    write(pipefd[1], &size, sizeof(size)) == sizeof(size) &&
			    (!size || write(pipefd[1], t, size) == (ssize_t)size);
		free(t);
		_exit(sent ? 0 : 4);
	}
	close(pipefd[1]);
	ULONG csize = 0, cerr = 1;
	ck_assert_int_eq(read(pipefd[0], &cerr, sizeof(cerr)), sizeof(cerr));
	ck_assert_int_eq(read(pipefd[0], &csize, sizeof(csize)), sizeof(csize));
	unsigned char *theirs = malloc(csize ? csize : 1);
	size_t got = 0;
	while (got < csize) {
		ssize_t n = read(pipefd[0], theirs + got, csize - got);
		ck_assert_int_gt(n, 0);
		got += (size_t)n;
	}
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the fallback child: status %#x", st);
	close(pipefd[0]);
	*size_out = csize;
	*err_out = cerr;
	return theirs;
}

/* Table f through sock_diag (this process) and through the fallback (a
 * child): the same bytes, and at least min_rows rows. */
static void expect_fallback_equal(const struct table_fn *f, DWORD min_rows)
{
	ULONG size, err, csize, cerr;
	/* The child first: it must not inherit blocks it cannot free. */
	unsigned char *theirs = fetch_fallback(f, &csize, &cerr);
	unsigned char *mine = table_fn_fetch(f, &size, &err);
	ck_assert_uint_eq(err, NO_ERROR);
	ck_assert_msg(cerr == NO_ERROR, "%s through /proc/net: %u", f->name, (unsigned)cerr);
	ck_assert_msg(csize == size, "%s: %u bytes through /proc/net, %u through sock_diag",
		      f->name, (unsigned)csize, (unsigned)size);
	size_t at = 0;
	while (at < size && mine[at] == theirs[at])
		at++;
	ck_assert_msg(at == size, "%s differs: row %zu, byte %zu", f->name,
		      at < f->header ? 0 : (at - f->header) / f->row,
		      at < f->header ? at : (at - f->header) % f->row);
	/* The table is not trivial: every socket kind is in it. */
	DWORD n;
	memcpy(&n, mine, sizeof(n));
	ck_assert_uint_ge(n, min_rows);
	free(mine);
	free(theirs);
}

START_TEST(fallback_tables_equal_sock_diag)
{
	const struct table_fn *f = &table_fns[_i];
	expect_fallback_equal(f, table_fn_rows(f, 3, 4));
}
END_TEST


START_TEST(fallback_statistics_equal_sock_diag)
{
	int pipefd[2];
	ck_assert_int_eq(pipe(pipefd), 0);
	pid_t pid = fork();
	if (pid == 0) {
		ck_assert(tt_block_netlink());
		MIB_TCPSTATS s[2];
		if (GetTcpStatisticsEx(&s[0], AF_INET) != NO_ERROR ||
		    GetTcpStatisticsEx(&s[1], AF_INET6) != NO_ERROR)
			_exit(5);
		_exit(write(pipefd[1], s, sizeof(s)) == sizeof(s) ? 0 : 6);
	}
	MIB_TCPSTATS mine[2], theirs[2];
	ck_assert_uint_eq(GetTcpStatisticsEx(&mine[0], AF_INET), NO_ERROR);
	ck_assert_uint_eq(GetTcpStatisticsEx(&mine[1], AF_INET6), NO_ERROR);
	ck_assert_int_eq(read(pipefd[0], theirs, sizeof(theirs)), sizeof(theirs));
	for (int i = 0; i < 2; i++) {
		ck_assert_uint_eq(mine[i].dwNumConns, theirs[i].dwNumConns);
		ck_assert_uint_eq(mine[i].dwCurrEstab, theirs[i].dwCurrEstab);
		ck_assert_uint_eq(mine[i].dwActiveOpens, theirs[i].dwActiveOpens);
	}
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(pipefd[0]);
	close(pipefd[1]);
}
END_TEST

/* ---- net.ipv6.bindv6only: [::] listeners that set no IPV6_V6ONLY take
 * the namespace's default, which /proc/net/tcp6 does not show. */

/* Sets net.ipv6.bindv6only of the calling thread's network namespace. */
static void set_bindv6only(int on)
{
	int fd = open("/proc/sys/net/ipv6/bindv6only", O_WRONLY | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "open bindv6only: %s", strerror(errno));
	ck_assert_int_eq(write(fd, on ? "1\n" : "0\n", 2), 2);
	close(fd);
}

struct v6only_sockets {
	int fd[24];
	int n;
	struct tt_ep any6; /* a [::] listener with the namespace's default */
};

/* [::] listeners without IPV6_V6ONLY, IPv6 connections to one, and what the
 * sysctl allows beside them: with it on, an IPv4 listener on the port of
 * another (a dual-stack socket would hold it); with it off, an IPv4 client
 * of the [::] listener (refused when it is IPv6 only). */
static void open_v6only_sockets(struct v6only_sockets *k, int bindv6only)
{
	k->n = 0;
	k->any6 = tt_ep6("::", 0, 0);
	struct tt_ep other6 = tt_ep6("::", 0, 0), l4 = tt_ep4("127.0.0.1", 0);
	struct tt_ep lo6 = tt_ep6("::1", 0, 0);
	k->fd[k->n++] = tt_listen(&k->any6, -1);
	k->fd[k->n++] = tt_listen(&other6, -1);
	k->fd[k->n++] = tt_listen(&l4, -1);
	lo6.port = k->any6.port;
	tt_pair(k->fd[0], &lo6, &k->fd[k->n], &k->fd[k->n + 1]);
	k->n += 2;
	tt_pair(k->fd[2], &l4, &k->fd[k->n], &k->fd[k->n + 1]);
	k->n += 2;
	if (bindv6only) {
		struct tt_ep same4 = tt_ep4("0.0.0.0", other6.port);
		k->fd[k->n++] = tt_listen(&same4, -1);
	} else {
		struct tt_ep to_any = tt_ep4("127.0.0.1", k->any6.port);
		tt_pair(k->fd[0], &to_any, &k->fd[k->n], &k->fd[k->n + 1]);
		k->n += 2;
	}
	/* The UDP counterparts: [::] sockets with the default, bound and
	 * connected ones, and with the sysctl on an IPv4 socket on the port
	 * of a [::] one. */
	struct tt_ep u_any = tt_ep6("::", 0, 0), u_other = tt_ep6("::", 0, 0);
	struct tt_ep u4 = tt_ep4("127.0.0.1", 0), u6 = tt_ep6("::1", 0, 0);
	k->fd[k->n++] = tt_udp_bind(&u_any, -1);
	k->fd[k->n++] = tt_udp_bind(&u_other, -1);
	tt_udp_shape(&u4, &k->fd[k->n]);
	k->n += 3;
	tt_udp_pair(&u6, &k->fd[k->n], &k->fd[k->n + 1]);
	k->n += 2;
	if (bindv6only) {
		struct tt_ep same4 = tt_ep4("0.0.0.0", u_other.port);
		k->fd[k->n++] = tt_udp_bind(&same4, -1);
	}
}

static void close_v6only_sockets(struct v6only_sockets *k)
{
	for (int i = 0; i < k->n; i++)
		close(k->fd[i]);
}

/* SPEC §9: the fallback shows a [::]:p listener as 0.0.0.0:p too only when
 * bindv6only is 0 (and no IPv4 listener holds p).  Every table, with the
 * sysctl at 1 and, for contrast, at 0, equals sock_diag's. */
START_TEST(fallback_follows_bindv6only)
{
	const struct table_fn *f = &table_fns[_i / 2];
	int bindv6only = _i % 2;
	tt_fresh_netns();
	set_bindv6only(bindv6only);
	struct v6only_sockets k;
	open_v6only_sockets(&k, bindv6only);
	/* The sysctl really decides: sock_diag lists 0.0.0.0:p for the [::]:p
	 * listener only when it is 0. */
	PMIB_TCPTABLE t = tt_get_tcp();
	struct tt_ep any4 = tt_ep4("0.0.0.0", k.any6.port);
	ck_assert_msg((tt_find_tcp(t, &any4, &tt_none4) != NULL) == !bindv6only,
		      "bindv6only=%d had no effect", bindv6only);
	free(t);
	expect_fallback_equal(f, table_fn_rows(f, 2, 2));
	close_v6only_sockets(&k);
}
END_TEST

/* ---- A thread in a network namespace of its own. */

/* The thread's namespace: bindv6only on, a listener on each family (the
 * [::] one IPv6 only by that default), one connection. */
static void *own_namespace_thread(void *arg)
{
	(void)arg;
	ck_assert_msg(tt_netns_new(), "unshare(CLONE_NEWNET) in a thread: %s", strerror(errno));
	set_bindv6only(1);
	struct tt_ep l4 = tt_ep4("127.0.0.1", 0), any6 = tt_ep6("::", 0, 0);
	int fd[4];
	fd[0] = tt_listen(&l4, -1);
	fd[1] = tt_listen(&any6, -1);
	tt_pair(fd[0], &l4, &fd[2], &fd[3]);

	/* Every table through sock_diag, then with netlink refused to this
	 * thread alone (seccomp filters are per thread) through /proc. */
	unsigned char *ref[64];
	ULONG rsize[64], err;
	ck_assert_uint_le(table_fn_count, 64);
	for (size_t i = 0; i < table_fn_count; i++) {
		ref[i] = table_fn_fetch(&table_fns[i], &rsize[i], &err);
		ck_assert_uint_eq(err, NO_ERROR);
	}
	ck_assert(tt_block_netlink());
	ck_assert_int_lt(socket(AF_NETLINK, SOCK_RAW, 4), 0);
	for (size_t i = 0; i < table_fn_count; i++) {
		const struct table_fn *f = &table_fns[i];
		ULONG size;
		unsigned char *t = table_fn_fetch(f, &size, &err);
		ck_assert_msg(err == NO_ERROR, "%s through /proc: %u", f->name, (unsigned)err);
		ck_assert_msg(size == rsize[i] && memcmp(t, ref[i], size) == 0,
			      "%s: the fallback lists another namespace", f->name);
		free(t);
		free(ref[i]);
	}
	/* Exactly the thread's sockets: its listener, both ends of the
	 * connection, and no 0.0.0.0 row for the IPv6-only [::] listener. */
	PMIB_TCPTABLE t = tt_get_tcp();
	ck_assert_uint_eq(t->dwNumEntries, 3);
	tt_check_row4(tt_find_tcp(t, &l4, &tt_none4), MIB_TCP_STATE_LISTEN, &l4, &tt_none4);
	free(t);
	/* The counters are the thread's namespace's too: one connection was
	 * made there, several in the main thread's. */
	MIB_TCPSTATS st;
	ck_assert_uint_eq(GetTcpStatisticsEx(&st, AF_INET), NO_ERROR);
	ck_assert_uint_eq(st.dwActiveOpens, 1);
	ck_assert_uint_eq(st.dwPassiveOpens, 1);
	ck_assert_uint_eq(st.dwNumConns, 2);
	for (int i = 0; i < 4; i++)
		close(fd[i]);
	return NULL;
}

/* sock_diag answers for the calling thread's network namespace; /proc/net
 * is the main thread's.  The fallback and the statistics must follow the
 * calling thread, as sock_diag does. */
START_TEST(fallback_reads_the_calling_threads_namespace)
{
	pthread_t th;
	ck_assert_int_eq(pthread_create(&th, NULL, own_namespace_thread, NULL), 0);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	/* The main thread still sees its own namespace, the fixture's. */
	PMIB_TCPTABLE t = tt_get_tcp();
	ck_assert_uint_ge(t->dwNumEntries, table_fn_rows(&table_fns[0], 3, 4));
	free(t);
}
END_TEST

int main(void)
{
	tt_test_init("fallback");
	if (!tt_isolated) {
		fprintf(stderr, "SKIP: the fallback suite compares whole tables and needs a private "
				"network namespace\n");
		return 77;
	}
	Suite *s = suite_create("fallback");
	TCase *tc = tcase_create("fallback");
	tcase_add_checked_fixture(tc, sockets, close_sockets);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, fallback_tables_equal_sock_diag, 0, (int)table_fn_count);
	tcase_add_test(tc, fallback_statistics_equal_sock_diag);
	tcase_add_test(tc, fallback_reads_the_calling_threads_namespace);
	suite_add_tcase(s, tc);
	/* Sockets of its own per test: which ones can exist depends on the
	 * sysctl. */
	TCase *v6 = tcase_create("bindv6only");
	tcase_set_timeout(v6, 60);
	tcase_add_loop_test(v6, fallback_follows_bindv6only, 0, 2 * (int)table_fn_count);
	suite_add_tcase(s, v6);
	return tt_run_suite(s);
}
