/*
 * test_fallback.c - the /proc/net/tcp{,6} fallback gives the same tables as
 * sock_diag: a forked child whose seccomp filter refuses netlink sockets
 * reads every table variant (and the statistics) and the bytes are compared
 * with the parent's, for a set of sockets covering every rule of SPEC §5
 * that the fallback can follow (it cannot see scope ids, SPEC §9).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
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

static int fds[32];
static int nfds;

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
}

static void close_sockets(void)
{
	for (int i = 0; i < nfds; i++)
		close(fds[i]);
}

START_TEST(fallback_tables_equal_sock_diag)
{
	const struct table_fn *f = &table_fns[_i];
	int pipefd[2];
	ck_assert_int_eq(pipe(pipefd), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(pipefd[0]);
		ck_assert(tt_block_netlink());
		/* Proof that sock_diag is gone for this process. */
		if (socket(AF_NETLINK, SOCK_RAW, 4) >= 0)
			_exit(3);
		ULONG size, err;
		unsigned char *t = table_fn_fetch(f, &size, &err);
		if (write(pipefd[1], &err, sizeof(err)) != sizeof(err) ||
		    write(pipefd[1], &size, sizeof(size)) != sizeof(size) ||
		    (size && write(pipefd[1], t, size) != (ssize_t)size))
			_exit(4);
		_exit(0);
	}
	close(pipefd[1]);
	ULONG size, err, csize = 0, cerr = 1;
	unsigned char *mine = table_fn_fetch(f, &size, &err);
	ck_assert_uint_eq(err, NO_ERROR);
	ck_assert_int_eq(read(pipefd[0], &cerr, sizeof(cerr)), sizeof(cerr));
	ck_assert_int_eq(read(pipefd[0], &csize, sizeof(csize)), sizeof(csize));
	ck_assert_msg(cerr == NO_ERROR, "%s through /proc/net: %u", f->name, (unsigned)cerr);
	ck_assert_msg(csize == size, "%s: %u bytes through /proc/net, %u through sock_diag",
		      f->name, (unsigned)csize, (unsigned)size);
	unsigned char *theirs = malloc(csize);
	size_t got = 0;
	while (got < csize) {
		ssize_t n = read(pipefd[0], theirs + got, csize - got);
		ck_assert_int_gt(n, 0);
		got += (size_t)n;
	}
	ck_assert_msg(memcmp(mine, theirs, size) == 0, "%s differs", f->name);
	/* The table is not trivial: every socket kind is in it. */
	DWORD n;
	memcpy(&n, mine, sizeof(n));
	ck_assert_uint_ge(n, table_fn_rows(f, 3, 4));
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	free(mine);
	free(theirs);
	close(pipefd[0]);
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
	suite_add_tcase(s, tc);
	return tt_run_suite(s);
}
