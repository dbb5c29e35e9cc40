/*
 * test_threads.c - 8 threads x 200 calls of the table functions while
 * another thread opens and closes connections: no crash, every table
 * consistent (size matches the entry count) and free of duplicate rows.
 * Also built with ThreadSanitizer in CI.  Run with TCPTABLE_OWNERS=bpf: where
 * the BPF owner iterator can load, the owner calls use it (each read ahead
 * on the call's helper thread), and the test checks that it was loaded.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "table_fns.h"
#include "run_suite.h"

#define THREADS 8
#define CALLS 200

static atomic_int stop;
static atomic_long churned;

struct churn_arg {
	struct tt_ep l4, l6;
	int lfd4, lfd6;
};

/* Closes a pair; most with a reset, so that TIME_WAIT rows (one in four
 * pairs) accumulate slowly. */
static void close_pair(int c, int s, long n)
{
	if (n % 4) {
		struct linger lg = { 1, 0 };
		setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	}
	close(c);
	close(s);
}

static void *churn(void *p)
{
	struct churn_arg *a = p;
	while (!atomic_load(&stop)) {
		long n = atomic_fetch_add(&churned, 1);
		int c, s;
		tt_pair(a->lfd4, &a->l4, &c, &s);
		close_pair(c, s, n);
		tt_pair(a->lfd6, &a->l6, &c, &s);
		close_pair(c, s, n);
		/* UDP sockets come and go too: a connected pair per family. */
		tt_udp_pair(n & 1 ? &a->l6 : &a->l4, &c, &s);
		close(c);
		close(s);
		usleep(200);
	}
	return NULL;
}

/* The addresses and ports of a row, whatever its layout. */
struct key {
	unsigned char b[48];
};

static struct key key_of(const struct table_fn *f, const unsigned char *row)
{
	struct key k;
	memset(&k, 0, sizeof(k));
	if (f->proto == FN_UDP) {
		/* UDP rows: the local end (address, scope, port) comes first. */
		memcpy(k.b, row, f->family == AF_INET ? 8 : 24);
	} else if (f->family == AF_INET) {
		/* All IPv4 rows start with state, laddr, lport, raddr, rport. */
		memcpy(k.b, row + 4, 16);
	} else if (f->row == sizeof(MIB_TCP6ROW)) {
		memcpy(k.b, row + 4, 48);
	} else {
		memcpy(k.b, row, 48);
	}
	return k;
}

static int cmp_key(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct key));
}

static const char *check_table(const struct table_fn *f, const unsigned char *t, ULONG size)
{
	DWORD n;
	memcpy(&n, t, sizeof(n));
	if (size != f->header + n * f->row)
		return "size does not match dwNumEntries";
	struct key *keys = malloc((n + 1) * sizeof(*keys));
	if (!keys)
		return "out of memory";
	for (DWORD i = 0; i < n; i++)
		keys[i] = key_of(f, t + f->header + i * f->row);
	qsort(keys, n, sizeof(*keys), cmp_key);
	const char *err = NULL;
	for (DWORD i = 1; i < n && !err; i++)
		if (cmp_key(&keys[i - 1], &keys[i]) == 0)
			err = "duplicate row";
	free(keys);
	return err;
}

struct caller_arg {
	int id;
	const char *err;
	long tables;
};

static void *caller(void *p)
{
	struct caller_arg *a = p;
	for (int i = 0; i < CALLS && !a->err; i++) {
		const struct table_fn *f = &table_fns[(size_t)(i + a->id) % table_fn_count];
		ULONG size = 0, r;
		unsigned char *t = NULL;
		while ((r = f->call(t, &size, i & 1)) == ERROR_INSUFFICIENT_BUFFER) {
			free(t);
			t = malloc(size);
			if (!t) {
				a->err = "out of memory";
				break;
			}
		}
		if (!a->err && r != NO_ERROR)
			a->err = "call failed";
		if (!a->err)
			a->err = check_table(f, t, size);
		free(t);
		a->tables++;
	}
	return NULL;
}

/* True when this process holds a BPF link: the owner iterator loaded. */
static bool holds_bpf_link(void)
{
	DIR *d = opendir("/proc/self/fd");
	bool found = false;
	for (struct dirent *e; d && !found && (e = readdir(d)) != NULL;) {
		char link[64];
		ssize_t n = readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			found = strcmp(link, "anon_inode:bpf_link") == 0;
		}
	}
	if (d)
		closedir(d);
	return found;
}

static void report_owner_source(void)
{
#ifdef TT_EXPECT_BPF
	if (geteuid() == 0 && access("/sys/kernel/btf/vmlinux", R_OK) == 0) {
		ck_assert_msg(holds_bpf_link(), "the BPF owner iterator did not load: the owner "
						"calls ran on the /proc scan only");
		printf("# threads: owners came from the BPF iterator, read ahead on helper "
		       "threads\n");
	} else {
		printf("#\n# threads: the BPF owner iterator cannot load here (needs root and "
		       "kernel BTF): owners came from the /proc scan\n#\n");
	}
#else
	(void)holds_bpf_link;
	printf("# threads: built without the BPF owner iterator: owners came from the /proc "
	       "scan\n");
#endif
}

START_TEST(concurrent_calls_during_churn)
{
	struct churn_arg ca = { .l4 = tt_ep4("127.0.0.1", 0), .l6 = tt_ep6("::1", 0, 0) };
	ca.lfd4 = tt_listen(&ca.l4, -1);
	ca.lfd6 = tt_listen(&ca.l6, 1);
	pthread_t churner, callers[THREADS];
	struct caller_arg args[THREADS];
	ck_assert_int_eq(pthread_create(&churner, NULL, churn, &ca), 0);
	for (int i = 0; i < THREADS; i++) {
		args[i] = (struct caller_arg){ .id = i };
		ck_assert_int_eq(pthread_create(&callers[i], NULL, caller, &args[i]), 0);
	}
	long tables = 0;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(callers[i], NULL);
		ck_assert_msg(args[i].err == NULL, "thread %d: %s", i, args[i].err);
		tables += args[i].tables;
	}
	atomic_store(&stop, 1);
	pthread_join(churner, NULL);
	ck_assert_int_eq(tables, THREADS * CALLS);
	printf("# threads: %ld tables checked while %ld connection pairs churned\n", tables,
	       atomic_load(&churned));
	ck_assert_int_gt(atomic_load(&churned), 0);
	report_owner_source();
	close(ca.lfd4);
	close(ca.lfd6);
}
END_TEST

int main(void)
{
	tt_test_init("threads");
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("churn");
	tcase_add_checked_fixture(tc, tt_fresh_netns, NULL);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, concurrent_calls_during_churn);
	suite_add_tcase(s, tc);
	return tt_run_suite(s);
}
