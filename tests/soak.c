/*
 * soak.c - threads call every table function (and the statistics and
 * owner-module functions) while a churn process in the same private network
 * namespace opens and closes connections at a steady rate.  Every table must
 * be internally consistent (the size matches dwNumEntries, no row twice),
 * and afterwards the process's descriptor count and resident memory must be
 * back at their starting level (within 5%).
 *
 * Usage: soak [--seconds N] [--threads T] [--rate R] [--no-memory-check]
 *        (60 s, 4 threads, 1000 connections/s; sanitizer builds skip the
 *        resident-memory comparison, which their shadow memory distorts)
 * Exit status 0 on success, 1 on a failure, 77 without a private namespace.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "sandbox.h"
#include "table_fns.h"

static atomic_int stop, paused, parked;
static atomic_long calls, tables, failures;
static char failure[256];

static void fail(const char *what)
{
	if (atomic_fetch_add(&failures, 1) == 0)
		snprintf(failure, sizeof(failure), "%s", what);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A private namespace; TIME_WAIT rows come and go but stay bounded, so
 * tables keep a steady size and the memory comparison is fair. */
static bool netns_up(void)
{
	bool ok = tt_netns_new();
	int fd = open("/proc/sys/net/ipv4/tcp_max_tw_buckets", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "256", 3) != 3)
			ok = false;
		close(fd);
	}
	return ok;
}

/* ---- The churn process: `rate` connections a second, both families. */

static int listener(int family)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	socklen_t len;
	if (family == AF_INET) {
		struct sockaddr_in *s = (void *)&ss;
		s->sin_family = AF_INET;
		s->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (void *)&ss;
		s->sin6_family = AF_INET6;
		s->sin6_addr = in6addr_loopback;
		len = sizeof(*s);
	}
	if (bind(fd, (void *)&ss, len) != 0 || listen(fd, 1024) != 0)
		_exit(2);
	return fd;
}

static void churn(int rate)
{
	int l[2] = { listener(AF_INET), listener(AF_INET6) };
	struct sockaddr_storage to[2];
	socklen_t tolen[2];
	for (int f = 0; f < 2; f++) {
		tolen[f] = sizeof(to[f]);
		getsockname(l[f], (void *)&to[f], &tolen[f]);
	}
	double start = now();
	for (long n = 0;; n++) {
		int f = (int)(n & 1);
		int c = socket(f ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (connect(c, (void *)&to[f], tolen[f]) == 0) {
			int s = accept4(l[f], NULL, NULL, SOCK_CLOEXEC);
			/* One in four closes normally (TIME_WAIT), the rest reset. */
			if (n % 4) {
				struct linger lg = { 1, 0 };
				setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			}
			close(c);
			if (s >= 0)
				close(s);
		} else {
			close(c);
		}
		/* A UDP socket comes and goes as well, autobound by sendto. */
		int u = socket(f ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (u >= 0) {
			(void)!sendto(u, "x", 1, MSG_DONTWAIT, (void *)&to[f], tolen[f]);
			close(u);
		}
		double due = start + (double)(n + 1) / rate;
		double wait = due - now();
		if (wait > 0) {
			struct timespec ts = { (time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9) };
			nanosleep(&ts, NULL);
		}
	}
}

/* ---- The callers. */

struct key {
	unsigned char b[48];
};

static int cmp_key(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct key));
}

/* Size matches the entries, and no two rows share their endpoints. */
static void check_table(const struct table_fn *f, const unsigned char *t, ULONG size)
{
	DWORD n;
	memcpy(&n, t, sizeof(n));
	if (size != f->header + n * f->row) {
		fail("size does not match dwNumEntries");
		return;
	}
	struct key *k = calloc(n + 1, sizeof(*k));
	if (!k)
		return;
	for (DWORD i = 0; i < n; i++) {
		const unsigned char *row = t + f->header + i * f->row;
		/* UDP rows: the local end (address, scope, port) is the key. */
		if (f->proto == FN_UDP)
			memcpy(k[i].b, row, f->family == AF_INET ? 8 : 24);
		else if (f->family == AF_INET)
			memcpy(k[i].b, row + 4, 16);
		else if (f->row == sizeof(MIB_TCP6ROW))
			memcpy(k[i].b, row + 4, 48);
		else
			memcpy(k[i].b, row, 48);
	}
	qsort(k, n, sizeof(*k), cmp_key);
	for (DWORD i = 1; i < n; i++)
		if (cmp_key(&k[i - 1], &k[i]) == 0)
			fail("duplicate row");
	free(k);
}

/* Between two calls, a thread waits while the main thread measures. */
static void park_if_asked(void)
{
	if (!atomic_load(&paused))
		return;
	atomic_fetch_add(&parked, 1);
	while (atomic_load(&paused)) {
		struct timespec ts = { 0, 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	atomic_fetch_sub(&parked, 1);
}

static void *caller(void *arg)
{
	size_t id = (size_t)arg;
	for (size_t i = id; !atomic_load(&stop); i++) {
		park_if_asked();
		const struct table_fn *f = &table_fns[i % table_fn_count];
		ULONG size = 0, r;
		unsigned char *t = NULL;
		while ((r = f->call(t, &size, (BOOL)(i & 1))) == ERROR_INSUFFICIENT_BUFFER) {
			free(t);
			t = malloc(size);
			if (!t)
				break;
		}
		if (r != NO_ERROR)
			fail("table call failed");
		else
			check_table(f, t, size);
		free(t);
		atomic_fetch_add(&tables, 1);
		/* Now and then the other functions. */
		if (i % 7 == 0) {
			MIB_TCPSTATS2 st;
			if (GetTcpStatisticsEx2(&st, (i & 8) ? AF_INET6 : AF_INET) != NO_ERROR)
				fail("statistics failed");
			MIB_TCPROW_OWNER_MODULE row;
			memset(&row, 0, sizeof(row));
			row.dwOwningPid = (DWORD)getpid();
			DWORD ms = 0;
			if (GetOwnerModuleFromTcpEntry(&row, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &ms) !=
			    ERROR_INSUFFICIENT_BUFFER)
				fail("owner module failed");
			MIB_UDPSTATS2 us;
			if (GetUdpStatisticsEx2(&us, (i & 8) ? AF_INET6 : AF_INET) != NO_ERROR)
				fail("UDP statistics failed");
			MIB_UDP6ROW_OWNER_MODULE urow;
			memset(&urow, 0, sizeof(urow));
			urow.dwOwningPid = (DWORD)getpid();
			ms = 0;
			if (GetOwnerModuleFromUdp6Entry(&urow, TCPIP_OWNER_MODULE_INFO_BASIC, NULL,
							&ms) != ERROR_INSUFFICIENT_BUFFER)
				fail("UDP owner module failed");
		}
		atomic_fetch_add(&calls, 1);
	}
	return NULL;
}

static long rss_kib(void)
{
	malloc_trim(0); /* what the allocator keeps cached is not a leak */
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, res = 0;
	if (f) {
		if (fscanf(f, "%ld %ld", &size, &res) != 2)
			res = 0;
		fclose(f);
	}
	return res * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Resident memory with every caller parked between two calls. */
static long rss_parked(int threads)
{
	atomic_store(&paused, 1);
	while (atomic_load(&parked) < threads)
		sched_yield();
	long rss = rss_kib();
	atomic_store(&paused, 0);
	return rss;
}

static void run_for(double seconds)
{
	double end = now() + seconds;
	while (now() < end && !atomic_load(&failures)) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

int main(int argc, char **argv)
{
	double seconds = 60;
	int threads = 4, rate = 1000;
	bool memory_check = true;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--no-memory-check") == 0)
			memory_check = false;
		else if (i + 1 < argc && strcmp(argv[i], "--seconds") == 0)
			seconds = atof(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--threads") == 0)
			threads = atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--rate") == 0)
			rate = atoi(argv[++i]);
		else
			seconds = -1;
	}
	if (seconds <= 0 || threads < 1 || threads > 64 || rate < 1) {
		fprintf(stderr, "usage: soak [--seconds N] [--threads T] [--rate R] "
				"[--no-memory-check]\n");
		return 2;
	}
	if (!netns_up()) {
		fprintf(stderr, "SKIP: soak needs a private network namespace (run as root)\n");
		return 77;
	}
	pid_t churner = fork();
	if (churner == 0)
		churn(rate);
	pthread_t t[64];
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, caller, (void *)(size_t)i);

	/* The starting level of memory: once every thread has run for a while
	 * (thread arenas exist, TIME_WAIT rows have reached their bound), with
	 * every thread parked between two calls. */
	double warm = seconds / 5 < 5 ? seconds / 5 : 5;
	run_for(warm);
	long rss0 = rss_parked(threads);
	/* After the first calls: the BPF owner source (SPEC §12), once
	 * loaded, keeps its descriptors for the process's life. */
	int fds0 = tt_count_fds();
	long tables0 = atomic_load(&tables);
	run_for(seconds - warm);
	/* The same measurement at the end, then the threads go. */
	long rss1 = rss_parked(threads);
	atomic_store(&stop, 1);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	int fds1 = tt_count_fds();
	kill(churner, SIGKILL);
	waitpid(churner, NULL, 0);

	long done = atomic_load(&tables);
	printf("soak: %.0f s, %d threads, churn %d connections/s: %ld table calls (%.0f/s), "
	       "%ld calls in all\n",
	       seconds, threads, rate, done, (double)(done - tables0) / (seconds - warm),
	       atomic_load(&calls));
	printf("soak: descriptors %d -> %d, resident memory %ld KiB -> %ld KiB\n", fds0, fds1, rss0,
	       rss1);
	int status = 0;
	if (atomic_load(&failures)) {
		printf("soak: FAILED: %s (%ld failures)\n", failure, atomic_load(&failures));
		status = 1;
	}
	if (fds1 > fds0 + fds0 / 20) {
		printf("soak: FAILED: descriptors grew\n");
		status = 1;
	}
	if (memory_check && rss1 > rss0 + rss0 / 20) {
		printf("soak: FAILED: resident memory grew more than 5%%\n");
		status = 1;
	}
	if (done == 0) {
		printf("soak: FAILED: no table was read\n");
		status = 1;
	}
	if (!status)
		printf("soak: ok\n");
	return status;
}
