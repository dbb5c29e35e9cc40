/*
 * test_bpf_owners.c - the two owner sources of SPEC §12 give the same
 * tables: the BPF task-file iterator and the /proc scan, byte for byte, for
 * every table function, on one live fixture (shared sockets, a child's, one
 * of another uid, one held only by a process in a child pid namespace,
 * TIME_WAIT and SYN_RCVD rows), also for a caller that /proc refuses some
 * processes to (the PID 1 case); and every way the iterator can be missing
 * falls back to the /proc scan (unprivileged, seccomp, a read failing
 * midway, TCPTABLE_OWNERS=proc).
 *
 * The iterator runs two ways: read by the call itself after its dump, and
 * read ahead on a helper thread during the dump (the head start), which may
 * stop at any word of what it keeps and leave the rest to the call.  Both,
 * and every stopping point, give the /proc scan's tables; the helper takes
 * no signal, is joined when a call ends (also unused), and its absence
 * (no thread can be created, one CPU) only costs the head start.
 *
 * Linked with the test build of the library (TT_TESTING), whose
 * tt_bpf_owners_answered() / _prefetched() / _continued() / _loaded() tell
 * which path ran.
 * Skips loudly where the program cannot be loaded.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <pthread.h>

#include "bpf_owners.h"
#include "helpers.h"
#include "hooks.h"
#include "run_suite.h"
#include "sandbox.h"
#include "table_fns.h"

/* ---- Processes that hold sockets: children blocked on a release pipe. */

enum { HOLD_CHILD, HOLD_OTHER_UID, HOLD_PIDNS, HOLDERS };

struct held {
	pid_t pid; /* in this test's pid namespace */
	uint16_t port; /* its own IPv4 listener on 127.0.0.1 */
};

static struct held held[HOLDERS];
static pid_t forked[HOLDERS];
static int release[2] = { -1, -1 };

/* A message on the ready pipe: a port (from the holder) or a PID (from
 * the parent of a holder in a child pid namespace). */
struct ready_msg {
	int what; /* 0 port, 1 pid */
	uint32_t value;
};

/* Runs in a holder: opens its own listener, says so, waits for release. */
static void hold(int ready)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 4) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0)
		_exit(20);
	struct ready_msg m = { 0, ntohs(a.sin_port) };
	if (write(ready, &m, sizeof(m)) != sizeof(m))
		_exit(21);
	char b;
	while (read(release[0], &b, 1) > 0)
		;
	_exit(0);
}

static void spawn(int kind)
{
	int ready[2];
	ck_assert_int_eq(pipe(ready), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(release[1]);
		close(ready[0]);
		if (kind == HOLD_OTHER_UID &&
		    (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 ||
		     setresuid(65534, 65534, 65534) != 0))
			_exit(22);
		if (kind == HOLD_PIDNS) {
			if (unshare(CLONE_NEWPID) != 0)
				_exit(23);
			pid_t g = fork(); /* PID 1 of the new namespace */
			if (g == 0)
				hold(ready[1]);
			struct ready_msg m = { 1, (uint32_t)g };
			if (g < 0 || write(ready[1], &m, sizeof(m)) != sizeof(m))
				_exit(24);
			int st;
			waitpid(g, &st, 0);
			_exit(0);
		}
		hold(ready[1]);
	}
	close(ready[1]);
	forked[kind] = pid;
	held[kind].pid = pid;
	for (int msgs = kind == HOLD_PIDNS ? 2 : 1; msgs > 0; msgs--) {
		struct ready_msg m;
		ck_assert_int_eq(read(ready[0], &m, sizeof(m)), sizeof(m));
		if (m.what == 0)
			held[kind].port = (uint16_t)m.value;
		else
			held[kind].pid = (pid_t)m.value;
	}
	close(ready[0]);
}

/* ---- The fixture: every kind of row, and the holders. */

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

static int fds[96];
static bool have_mptcp; /* the fixture has an MPTCP listener and connection */
static struct tt_ep mptcp_ep, mptcp_client;
static int nfds;
static struct tt_ep syn_local, syn_remote, tw_local, tw_remote, shared_ep;

static void sockets(void)
{
	tt_fresh_netns();
	nfds = 0;
	struct tt_ep l4 = tt_ep4("127.0.0.1", 0), l6 = tt_ep6("::1", 0, 0);
	struct tt_ep dual = tt_ep6("::", 0, 0);
	fds[nfds++] = tt_listen(&l4, -1);
	fds[nfds++] = tt_listen(&l6, 1);
	fds[nfds++] = tt_listen(&dual, 0);
	shared_ep = l4;
	tt_pair(fds[0], &l4, &fds[nfds], &fds[nfds + 1]);
	nfds += 2;
	tt_pair(fds[1], &l6, &fds[nfds], &fds[nfds + 1]);
	nfds += 2;
	struct tt_ep to_dual = tt_ep4("127.0.0.1", dual.port);
	tt_pair(fds[2], &to_dual, &fds[nfds], &fds[nfds + 1]);
	nfds += 2;
	/* TIME_WAIT: no socket file, so PID 0 from both sources. */
	int c, s;
	tt_pair(fds[0], &l4, &c, &s);
	tw_local = tt_local_of(c);
	tw_remote = l4;
	close(c);
	char b;
	ck_assert_int_eq(read(s, &b, 1), 0);
	close(s);
	ck_assert(tt_wait_state(&tw_local, &tw_remote, MIB_TCP_STATE_TIME_WAIT));
	/* SYN_RCVD: with TCP_DEFER_ACCEPT the listener ignores the bare ACK,
	 * so the request socket stays half-open (no socket file either). */
	struct tt_ep dl = tt_ep4("127.0.0.1", 0);
	int dfd = tt_listen(&dl, -1);
	int secs = 600;
	ck_assert_int_eq(setsockopt(dfd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &secs, sizeof(secs)), 0);
	fds[nfds++] = dfd;
	fds[nfds] = tt_connect(&dl, &syn_remote);
	nfds++;
	syn_local = dl;
	ck_assert(tt_wait_state(&syn_local, &syn_remote, MIB_TCP_STATE_SYN_RCVD));

	/* UDP sockets, enough for every UDP table's row count below: bound
	 * ones and connected pairs per family, and a dual-stack [::] one. */
	struct tt_ep u4 = tt_ep4("127.0.0.1", 0), u6 = tt_ep6("::1", 0, 0);
	struct tt_ep udual = tt_ep6("::", 0, 0);
	for (int i = 0; i < 4; i++, nfds += 3)
		tt_udp_shape(&u4, &fds[nfds]);
	for (int i = 0; i < 2; i++, nfds += 3)
		tt_udp_shape(&u6, &fds[nfds]);
	fds[nfds++] = tt_udp_bind(&udual, 0);

	/* MPTCP, where the kernel has it: its subflows are TCP rows that
	 * carry the MPTCP socket's inode (the socket file's protocol is
	 * IPPROTO_MPTCP, not TCP). */
	int m = socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP);
	have_mptcp = m >= 0;
	if (have_mptcp) {
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		socklen_t len = sizeof(a);
		ck_assert_int_eq(bind(m, (struct sockaddr *)&a, sizeof(a)), 0);
		ck_assert_int_eq(listen(m, 4), 0);
		ck_assert_int_eq(getsockname(m, (struct sockaddr *)&a, &len), 0);
		fds[nfds++] = m;
		mptcp_ep = tt_ep4("127.0.0.1", ntohs(a.sin_port));
		int mc = socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP);
		ck_assert_int_ge(mc, 0);
		ck_assert_int_eq(connect(mc, (struct sockaddr *)&a, sizeof(a)), 0);
		fds[nfds++] = mc;
		mptcp_client = tt_local_of(mc);
		int ms = accept(m, NULL, NULL);
		ck_assert_int_ge(ms, 0);
		fds[nfds++] = ms;
	}
	ck_assert_int_le(nfds, (int)(sizeof(fds) / sizeof(fds[0])));

	ck_assert_int_eq(pipe(release), 0);
	for (int k = 0; k < HOLDERS; k++)
		spawn(k);
}

static void close_sockets(void)
{
	close(release[1]);
	close(release[0]);
	for (int k = 0; k < HOLDERS; k++) {
		int st;
		waitpid(forked[k], &st, 0);
	}
	for (int i = 0; i < nfds; i++)
		close(fds[i]);
}

/* One table through the owner source mode names ("proc" or "bpf"). */
static unsigned char *fetch_by(const char *mode, const struct table_fn *f, ULONG *size)
{
	ULONG err;
	setenv("TCPTABLE_OWNERS", mode, 1);
	unsigned char *t = table_fn_fetch(f, size, &err);
	unsetenv("TCPTABLE_OWNERS");
	ck_assert_msg(err == NO_ERROR, "%s through %s: %u", f->name, mode, (unsigned)err);
	return t;
}

static const struct table_fn *fn_named(const char *name)
{
	for (size_t i = 0; i < table_fn_count; i++)
		if (strcmp(table_fns[i].name, name) == 0)
			return &table_fns[i];
	ck_abort_msg("no table function %s", name);
	return NULL;
}

/* How the iterator is read: by the call after its dump, or ahead of it on
 * the helper thread. */
enum { BY_CALL, BY_HELPER };

/* Byte comparison of f through both sources, the iterator read as how
 * says; 0 when equal, else a code. */
static int compare_read_as(const struct table_fn *f, int how)
{
	ULONG psize, bsize;
	unsigned long before = tt_bpf_owners_answered();
	unsigned long ahead = tt_bpf_owners_prefetched();
	unsigned char *p = fetch_by("proc", f, &psize);
	if (tt_bpf_owners_answered() != before)
		return 1; /* TCPTABLE_OWNERS=proc did not force the scan */
	tt_bpf_owners_test_knobs(how == BY_CALL, (size_t)-1);
	unsigned char *b = fetch_by("bpf", f, &bsize);
	tt_bpf_owners_test_knobs(false, (size_t)-1);
	int ret = 0;
	if (f->owners && tt_bpf_owners_answered() == before)
		ret = 2; /* the iterator did not answer */
	else if (f->owners && (tt_bpf_owners_prefetched() != ahead) != (how == BY_HELPER))
		ret = 5; /* read the other way */
	else if (psize != bsize)
		ret = 3;
	else if (memcmp(p, b, psize) != 0)
		ret = 4;
	free(p);
	free(b);
	return ret;
}

static int compare_sources(const struct table_fn *f)
{
	int r = compare_read_as(f, BY_CALL);
	return r ? r : compare_read_as(f, BY_HELPER);
}

static const char *compare_error(int r)
{
	return r == 1 ? "the scan was not forced" :
	       r == 2 ? "the iterator did not answer" :
	       r == 3 ? "sizes differ" :
	       r == 4 ? "bytes differ between bpf and proc" :
			"the iterator was not read the way asked";
}

START_TEST(bpf_tables_equal_proc)
{
	const struct table_fn *f = &table_fns[_i];
	for (int how = BY_CALL; how <= BY_HELPER; how++) {
		int r = compare_read_as(f, how);
		ck_assert_msg(r == 0, "%s (%s): %s", f->name,
			      how == BY_CALL ? "read by the call" : "read ahead by the helper",
			      compare_error(r));
	}
	/* Not trivial: every kind of row of the fixture is there. */
	ULONG size;
	unsigned char *t = fetch_by("bpf", f, &size);
	DWORD n;
	memcpy(&n, t, sizeof(n));
	ck_assert_uint_ge(n, f->family == AF_INET ? table_fn_rows(f, 2 + HOLDERS, 5)
						 : table_fn_rows(f, 2, 2));
	free(t);
}
END_TEST

/* The rules the comparison covers are really exercised: the lowest holder,
 * a child's PID, another uid's, a PID from a child pid namespace as this
 * namespace numbers it, PID 0 for TIME_WAIT and SYN_RCVD. */
START_TEST(bpf_owner_rules)
{
	ULONG size;
	PMIB_TCPTABLE2 t = (void *)fetch_by("bpf", fn_named("GetTcpTable2"), &size);
	const MIB_TCPROW2 *row = tt_find_tcp2(t, &shared_ep, &tt_none4);
	ck_assert_ptr_nonnull(row);
	ck_assert_uint_eq(row->dwOwningPid, (DWORD)getpid()); /* every holder shares it */
	for (int k = 0; k < HOLDERS; k++) {
		struct tt_ep ep = tt_ep4("127.0.0.1", held[k].port);
		row = tt_find_tcp2(t, &ep, &tt_none4);
		ck_assert_ptr_nonnull(row);
		ck_assert_uint_eq(row->dwOwningPid, (DWORD)held[k].pid);
	}
	ck_assert_int_ne(held[HOLD_PIDNS].pid, 1);
	row = tt_find_tcp2(t, &tw_local, &tw_remote);
	ck_assert_ptr_nonnull(row);
	ck_assert_uint_eq(row->dwState, MIB_TCP_STATE_TIME_WAIT);
	ck_assert_uint_eq(row->dwOwningPid, 0);
	row = tt_find_tcp2(t, &syn_local, &syn_remote);
	ck_assert_ptr_nonnull(row);
	ck_assert_uint_eq(row->dwState, MIB_TCP_STATE_SYN_RCVD);
	ck_assert_uint_eq(row->dwOwningPid, 0);
	/* MPTCP: the listener's and both ends' subflows, owned by us. */
	if (have_mptcp) {
		row = tt_find_tcp2(t, &mptcp_ep, &tt_none4);
		ck_assert_msg(row != NULL, "the MPTCP listener's row is missing");
		ck_assert_uint_eq(row->dwOwningPid, (DWORD)getpid());
		row = tt_find_tcp2(t, &mptcp_client, &mptcp_ep);
		ck_assert_msg(row != NULL, "the MPTCP connection's row is missing");
		ck_assert_uint_eq(row->dwOwningPid, (DWORD)getpid());
		row = tt_find_tcp2(t, &mptcp_ep, &mptcp_client);
		ck_assert_msg(row != NULL, "the MPTCP connection's accepted row is missing");
		ck_assert_uint_eq(row->dwOwningPid, (DWORD)getpid());
	} else {
		fprintf(stderr, "# bpf_owner_rules: no MPTCP in this kernel: its rows not checked\n");
	}
	free(t);
}
END_TEST

/* Removes capabilities from this process's effective and permitted sets. */
static bool drop_caps(const int *caps, int n)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d) != 0)
		return false;
	for (int i = 0; i < n; i++) {
		d[caps[i] / 32].effective &= ~(1u << (caps[i] % 32));
		d[caps[i] / 32].permitted &= ~(1u << (caps[i] % 32));
		d[caps[i] / 32].inheritable &= ~(1u << (caps[i] % 32));
	}
	return syscall(SYS_capset, &h, d) == 0;
}

/* Runs fn(arg) in a child: its exit status, -1 when it did not exit (or
 * could not be started).  A child starts with the program as loaded here,
 * and loads or breaks nothing for the tests after it. */
static int in_child(int (*fn)(int), int arg)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(fn(arg));
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* In a caller without CAP_SYS_PTRACE and CAP_NET_RAW: both sources give
 * the same tables, and the holder /proc refuses owns nothing. */
static int refused_child(int unused)
{
	(void)unused;
	/* The holders keep CAP_NET_RAW; this caller does not. */
	const int caps[] = { CAP_SYS_PTRACE, CAP_NET_RAW };
	if (!drop_caps(caps, 2))
		return 10;
	for (size_t i = 0; i < table_fn_count; i++) {
		int r = compare_sources(&table_fns[i]);
		if (r)
			return 10 + r;
	}
	ULONG size;
	PMIB_TCPTABLE2 t = (void *)fetch_by("bpf", fn_named("GetTcpTable2"), &size);
	struct tt_ep ep = tt_ep4("127.0.0.1", held[HOLD_CHILD].port);
	const MIB_TCPROW2 *row = tt_find_tcp2(t, &ep, &tt_none4);
	int ret = !row ? 30 : row->dwOwningPid == 0 ? 0 : 31;
	free(t);
	return ret;
}

/* The PID 1 case: /proc refuses a process's descriptors to a caller that
 * lacks some of its capabilities (and CAP_SYS_PTRACE); the iterator sees
 * them all.  Both sources must leave its sockets without an owner. */
START_TEST(bpf_refused_process_has_no_owner)
{
	int st = in_child(refused_child, 0);
	ck_assert_msg(st == 0,
		      "refused process: status %d (12 the iterator did not answer, 13/14 "
		      "tables differ, 31 the iterator gave the refused process's PID)",
		      st);
}
END_TEST

/* ---- The head start. */

/* The helper may keep any number of words before it stops: with a bound
 * of 0 words it keeps nothing, then it stops inside a marker's room, after
 * a process, inside one, ... up to keeping everything; the call reads on
 * from the very record the helper left.  Every table equals the scan's,
 * keys included.  _i picks the table.  The helper walks before the dump
 * here (tt_bpf_owners_test_sync), so that where it stops depends on the
 * bound only: in a call it also stops when the dump is over. */
START_TEST(bpf_head_start_stops_anywhere)
{
	static const char *const fns[] = { "GetTcpTable2",
					   "GetExtendedTcpTable(AF_INET, TCP_TABLE_OWNER_MODULE_ALL)",
					   "GetExtendedUdpTable(AF_INET6, UDP_TABLE_OWNER_MODULE)" };
	const struct table_fn *f = fn_named(fns[_i]);
	ULONG psize, bsize;
	unsigned char *p = fetch_by("proc", f, &psize);
	tt_bpf_owners_test_sync(true);
	unsigned long ahead = tt_bpf_owners_prefetched();
	free(fetch_by("bpf", f, &bsize));
	ck_assert_uint_eq(tt_bpf_owners_prefetched(), ahead + 1);
	size_t all = tt_bpf_owners_last_kept();
	ck_assert_msg(all >= 6, "%s: the helper kept %zu words, not even one process", f->name, all);
	/* Under valgrind (20 times slower), the first two processes' worth
	 * and the end only. */
	bool slow = getenv("TT_UNDER_VALGRIND") != NULL;
	for (size_t cap = 0; cap <= all; cap = slow && cap == 13 && all > 16 ? all - 2 : cap + 1) {
		ahead = tt_bpf_owners_prefetched();
		unsigned long cont = tt_bpf_owners_continued();
		tt_bpf_owners_test_knobs(false, cap);
		unsigned char *b = fetch_by("bpf", f, &bsize);
		tt_bpf_owners_test_knobs(false, (size_t)-1);
		ck_assert_msg(tt_bpf_owners_prefetched() == ahead + 1, "%s, %zu words: no head start",
			      f->name, cap);
		/* The fixture does not change: below its whole stream the
		 * helper stops early, at it it does not. */
		ck_assert_msg(tt_bpf_owners_continued() == cont + (cap < all),
			      "%s, %zu of %zu words: the call %s", f->name, cap, all,
			      cap < all ? "did not read on" : "read on");
		ck_assert_uint_eq(psize, bsize);
		ck_assert_msg(memcmp(p, b, psize) == 0, "%s, helper stopped at %zu words: tables differ",
			      f->name, cap);
		free(b);
	}
	tt_bpf_owners_test_sync(false);
	free(p);
}
END_TEST

static int threads_counted(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	int n = -1;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Threads: %d", &n) == 1)
			break;
	if (f)
		fclose(f);
	return n;
}

/* The threads of this process once they are down to want, waiting up to
 * a second: pthread_join() returns when the thread's TID is cleared, a
 * little before the kernel stops counting the thread. */
static int threads_down_to(int want)
{
	int n = threads_counted();
	for (int i = 0; i < 200 && n > want; i++) {
		usleep(5000);
		n = threads_counted();
	}
	return n;
}

/* A call that turns out to have too small a buffer began a head start it
 * never uses: the helper is stopped and joined, and everything it had
 * (thread, descriptors, memory: ASan and valgrind runs) is gone. */
START_TEST(bpf_unused_head_start_is_ended)
{
	const struct table_fn *f = fn_named("GetTcpTable2");
	ULONG size;
	/* Loads the program (its descriptors stay), and has had a helper: a
	 * sanitizer's own threads are running by now. */
	free(fetch_by("bpf", f, &size));
	int threads = threads_down_to(1); /* more under a sanitizer */
	int fds_before = tt_count_fds();
	unsigned long helpers = tt_bpf_owners_helpers();
	setenv("TCPTABLE_OWNERS", "bpf", 1);
	for (int round = 0; round < 20; round++) {
		/* Room for one row: owners are wanted, the table has more. */
		unsigned char buf[sizeof(MIB_TCPTABLE2)];
		size = sizeof(buf);
		ck_assert_uint_eq(f->call(buf, &size, TRUE), ERROR_INSUFFICIENT_BUFFER);
		ck_assert_uint_gt(size, sizeof(buf));
		ck_assert_int_eq(threads_down_to(threads), threads);
		ck_assert_int_eq(tt_count_fds(), fds_before);
	}
	unsetenv("TCPTABLE_OWNERS");
	ck_assert_uint_eq(tt_bpf_owners_helpers(), helpers + 20); /* every call began one */
	/* And a used one ends too. */
	ck_assert_int_eq(compare_read_as(f, BY_HELPER), 0);
	ck_assert_int_eq(threads_down_to(threads), threads);
	ck_assert_int_eq(tt_count_fds(), fds_before);
}
END_TEST

/* A listener the calling process opens when the call's dump opens its
 * netlink socket: after the helper (made to finish first) read this
 * process's descriptors, before the dump lists sockets. */
static struct tt_ep late_ep;
static int late_fd = -1;

static int open_late_listener(int domain, int type, int protocol)
{
	if (domain == AF_NETLINK && late_fd < 0) {
		late_ep = tt_ep4("127.0.0.1", 0);
		late_fd = tt_listen(&late_ep, -1);
	}
	return socket(domain, type, protocol);
}

/* A socket its process opened after the helper had passed that process,
 * yet in the dump, has its owner: a second walk over the processes the
 * helper read, as a walk after the dump would give. */
START_TEST(bpf_socket_opened_during_the_dump_has_its_owner)
{
	const struct table_fn *f = fn_named("GetTcpTable2");
	ULONG size;
	free(fetch_by("bpf", f, &size)); /* loads */
	size = 65536;
	unsigned char *buf = malloc(size);
	unsigned long ahead = tt_bpf_owners_prefetched(), second = tt_bpf_owners_second_walks();
	tt_bpf_owners_test_sync(true);
	tt_hooks.socket = open_late_listener;
	ULONG err = f->call(buf, &size, TRUE);
	tt_hooks.socket = NULL;
	tt_bpf_owners_test_sync(false);
	ck_assert_uint_eq(err, NO_ERROR);
	ck_assert_int_ge(late_fd, 0);
	ck_assert_uint_eq(tt_bpf_owners_prefetched(), ahead + 1);
	const MIB_TCPROW2 *row = tt_find_tcp2((PMIB_TCPTABLE2)buf, &late_ep, &tt_none4);
	ck_assert_msg(row != NULL, "the listener opened during the dump is not in the table");
	ck_assert_uint_eq(row->dwOwningPid, (DWORD)getpid());
	ck_assert_uint_eq(tt_bpf_owners_second_walks(), second + 1);
	free(buf);
	close(late_fd);
	late_fd = -1;
}
END_TEST

static pid_t caller_tid;
static atomic_int alarms, alarms_elsewhere;

static void on_alarm(int sig)
{
	(void)sig;
	atomic_fetch_add(&alarms, 1);
	if ((pid_t)syscall(SYS_gettid) != caller_tid)
		atomic_fetch_add(&alarms_elsewhere, 1);
}

static void *signalled_caller(void *arg)
{
	(void)arg;
	caller_tid = (pid_t)syscall(SYS_gettid);
	sigset_t alrm;
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	pthread_sigmask(SIG_UNBLOCK, &alrm, NULL);
	const struct table_fn *f = fn_named("GetTcpTable2");
	struct itimerval it = { { 0, 200 }, { 0, 200 } };
	setitimer(ITIMER_REAL, &it, NULL);
	intptr_t bad = 0;
	for (int i = 0; i < 200 && !bad; i++)
		bad = compare_read_as(f, BY_HELPER);
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	pthread_sigmask(SIG_BLOCK, &alrm, NULL);
	return (void *)bad;
}

/* The host's signal handlers never run on the helper: a process-directed
 * SIGALRM every 200 µs, blocked everywhere but in the calling thread (the
 * main thread blocks it), is taken by the caller only.  A helper that kept
 * the caller's signal mask would take some of them. */
START_TEST(bpf_helper_takes_no_signals)
{
	if (getenv("TT_UNDER_VALGRIND")) {
		/* Valgrind routes signals itself, whatever a thread's mask. */
		fprintf(stderr, "# bpf_helper_takes_no_signals: SKIPPED under valgrind, which "
				"routes signals itself (run natively, under ASan and TSan)\n");
		return;
	}
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
	sigset_t alrm, old;
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alrm, &old);
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, signalled_caller, NULL), 0);
	void *bad;
	pthread_join(t, &bad);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	signal(SIGALRM, SIG_DFL);
	ck_assert_msg(bad == NULL, "tables: %s", compare_error((int)(intptr_t)bad));
	ck_assert_int_gt(atomic_load(&alarms), 0);
	ck_assert_msg(atomic_load(&alarms_elsewhere) == 0, "%d of %d signals ran on another thread",
		      atomic_load(&alarms_elsewhere), atomic_load(&alarms));
}
END_TEST

/* Each allocation of a call with a head start failing in turn (on either
 * thread): ERROR_NOT_ENOUGH_MEMORY, or, once the numbering runs past the
 * call's allocations, the scan's table; nothing leaks and the helper ends. */
START_TEST(bpf_allocation_failures)
{
	const struct table_fn *f = fn_named("GetExtendedTcpTable(AF_INET, TCP_TABLE_OWNER_MODULE_ALL)");
	ULONG psize;
	unsigned char *p = fetch_by("proc", f, &psize);
	unsigned char *b = malloc(psize + 4096);
	free(fetch_by("bpf", f, &(ULONG){ 0 })); /* loaded, and a helper has run */
	int threads = threads_down_to(1), failed = 0;
	unsigned long helpers = tt_bpf_owners_helpers();
	setenv("TCPTABLE_OWNERS", "bpf", 1);
	for (long at = 1; at < 200; at++) {
		tt_hooks_reset();
		tt_hooks.fail_alloc_at = at;
		ULONG size = psize + 4096;
		ULONG err = f->call(b, &size, TRUE);
		long made = tt_hooks_allocs();
		tt_hooks_reset();
		ck_assert_int_eq(threads_down_to(threads), threads);
		if (err == ERROR_NOT_ENOUGH_MEMORY) {
			failed++;
			continue;
		}
		ck_assert_msg(err == NO_ERROR, "allocation %ld failing: %u", at, (unsigned)err);
		ck_assert_msg(made < at, "allocation %ld failed, yet the call succeeded", at);
		ck_assert_uint_eq(size, psize);
		ck_assert(memcmp(p, b, psize) == 0);
		break;
	}
	unsetenv("TCPTABLE_OWNERS");
	ck_assert_int_ge(failed, 4);
	ck_assert_uint_gt(tt_bpf_owners_helpers(), helpers); /* the failures met helpers */
	free(p);
	free(b);
}
END_TEST

/* Without a head start (no thread can be created; one CPU to run on) the
 * call reads the iterator itself: the same table, still from the iterator. */
static int without_head_start_child(int how)
{
	const struct table_fn *f = fn_named("GetTcpTable2");
	ULONG psize, bsize;
	unsigned char *p = fetch_by("proc", f, &psize);
	free(fetch_by("bpf", f, &bsize)); /* loads */
	if (tt_bpf_owners_loaded() != 1)
		return 1;
	if (how == 0 && !tt_block_threads())
		return 2;
	if (how == 1) {
		cpu_set_t one;
		CPU_ZERO(&one);
		CPU_SET(sched_getcpu(), &one);
		if (sched_setaffinity(0, sizeof(one), &one) != 0)
			return 3;
	}
	unsigned long answered = tt_bpf_owners_answered(), ahead = tt_bpf_owners_prefetched();
	unsigned char *b = fetch_by("bpf", f, &bsize);
	if (tt_bpf_owners_answered() != answered + 1)
		return 4;
	if (tt_bpf_owners_prefetched() != ahead)
		return 5;
	if (psize != bsize || memcmp(p, b, psize) != 0)
		return 6;
	free(p);
	free(b);
	return 0;
}

START_TEST(bpf_without_head_start)
{
	static const char *const names[] = { "no thread can be created", "one CPU" };
	int st = in_child(without_head_start_child, _i);
	ck_assert_msg(st == 0,
		      "%s: status %d (4 the iterator did not answer, 5 a head start ran, 6 "
		      "tables differ)",
		      names[_i], st);
}
END_TEST

/* ---- Fallbacks: each runs in a fresh child, where nothing is loaded. */

/* The iterator's first read gives one record and a half, the next fails:
 * the walk has claimed something when it fails. */
static ssize_t fail_second_read(int fd, void *buf, size_t len)
{
	static atomic_int calls;
	if (atomic_fetch_add(&calls, 1) + 1 >= 2) {
		errno = EIO;
		return -1;
	}
	return read(fd, buf, len < 18 ? len : 18);
}

enum { FB_UNPRIVILEGED, FB_SECCOMP, FB_MIDWAY, FB_MIDWAY_BY_CALL, FB_FORCED_PROC };

/* In a child: sets up the case, then the table read with TCPTABLE_OWNERS=bpf
 * must equal the /proc scan's, and the iterator must not have answered. */
static int fallback_child(int how)
{
	const struct table_fn *f = fn_named("GetTcpTable2");
	if (tt_bpf_owners_loaded() != -1)
		return 1;
	if (how == FB_UNPRIVILEGED &&
	    (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 ||
	     setresuid(65534, 65534, 65534) != 0))
		return 2;
	/* A zeroed BPF_MAP_CREATE: EINVAL from the kernel, EPERM from seccomp. */
	unsigned char attr[128] = { 0 };
	if (how == FB_SECCOMP && (!tt_block_bpf() || syscall(SYS_bpf, 0, attr, sizeof(attr)) != -1 ||
				  errno != EPERM))
		return 3;
	ULONG psize, bsize, err;
	unsigned char *p = fetch_by("proc", f, &psize);
	bool midway = how == FB_MIDWAY || how == FB_MIDWAY_BY_CALL;
	if (midway) {
		/* Loaded first, then every iterator read after the first fails
		 * (on the helper thread, or in the call). */
		unsigned char *t = fetch_by("bpf", f, &bsize);
		free(t);
		if (tt_bpf_owners_loaded() != 1 || tt_bpf_owners_answered() != 1)
			return 4;
		tt_bpf_owners_test_knobs(how == FB_MIDWAY_BY_CALL, (size_t)-1);
		tt_hooks.read = fail_second_read;
	}
	unsigned long before = tt_bpf_owners_answered();
	setenv("TCPTABLE_OWNERS", how == FB_FORCED_PROC ? "proc" : "bpf", 1);
	unsigned char *b = table_fn_fetch(f, &bsize, &err);
	tt_hooks.read = NULL;
	if (err != NO_ERROR)
		return 5;
	if (tt_bpf_owners_answered() != before)
		return 6; /* the iterator answered */
	if (midway ? tt_bpf_owners_loaded() != 1 :
	    how == FB_FORCED_PROC ? tt_bpf_owners_loaded() != -1 : tt_bpf_owners_loaded() != 0)
		return 7;
	if (psize != bsize || memcmp(p, b, psize) != 0)
		return 8;
	free(p);
	free(b);
	return 0;
}

START_TEST(bpf_falls_back)
{
	static const char *const names[] = { "unprivileged", "seccomp blocking bpf()",
					     "a read failing midway on the helper",
					     "a read failing midway in the call",
					     "TCPTABLE_OWNERS=proc" };
	int st = in_child(fallback_child, _i);
	ck_assert_msg(st == 0, "%s: status %d", names[_i], st);
}
END_TEST

/* In a child: 0 when the program loads. */
static int load_child(int unused)
{
	(void)unused;
	/* A socket, so that the call has an owner to look for. */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || listen(fd, 1) != 0)
		return 2;
	ULONG size = 0;
	setenv("TCPTABLE_OWNERS", "bpf", 1);
	GetTcpTable2(NULL, &size, TRUE);
	unsigned char *t = malloc(size + 4096);
	size += 4096;
	GetTcpTable2((void *)t, &size, TRUE);
	free(t);
	close(fd);
	return tt_bpf_owners_loaded() == 1 ? 0 : 1;
}

/* Whether this machine can load the program: in a child, so that every
 * test starts with nothing loaded. */
static bool iterator_loads(void)
{
	return in_child(load_child, 0) == 0;
}

int main(void)
{
	tt_test_init("bpf_owners");
	if (!tt_isolated) {
		fprintf(stderr, "#\n# bpf_owners: SKIPPED: the comparison of whole tables needs a "
				"private network namespace\n#\n");
		return 77;
	}
	if (!iterator_loads()) {
		fprintf(stderr, "#\n# bpf_owners: SKIPPED: the BPF owner iterator cannot be loaded "
				"here (needs root or CAP_BPF + CAP_PERFMON, kernel BTF, Linux >= 5.8);\n"
				"# only the /proc scan was tested\n#\n");
		return 77;
	}
	printf("# bpf_owners: the iterator loads; both owner sources are compared, the iterator "
	       "read by the call and ahead of it on a helper thread\n");
	Suite *s = suite_create("bpf_owners");
	TCase *tc = tcase_create("sources");
	tcase_add_checked_fixture(tc, sockets, close_sockets);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, bpf_tables_equal_proc, 0, (int)table_fn_count);
	tcase_add_loop_test(tc, bpf_head_start_stops_anywhere, 0, 3);
	tcase_add_test(tc, bpf_unused_head_start_is_ended);
	tcase_add_test(tc, bpf_socket_opened_during_the_dump_has_its_owner);
	tcase_add_test(tc, bpf_helper_takes_no_signals);
	tcase_add_test(tc, bpf_allocation_failures);
	tcase_add_test(tc, bpf_owner_rules);
	tcase_add_test(tc, bpf_refused_process_has_no_owner);
	suite_add_tcase(s, tc);
	TCase *fb = tcase_create("fallback");
	tcase_add_checked_fixture(fb, sockets, close_sockets);
	tcase_set_timeout(fb, 120);
	tcase_add_loop_test(fb, bpf_falls_back, FB_UNPRIVILEGED, FB_FORCED_PROC + 1);
	tcase_add_loop_test(fb, bpf_without_head_start, 0, 2);
	suite_add_tcase(s, fb);
	return tt_run_suite(s);
}
