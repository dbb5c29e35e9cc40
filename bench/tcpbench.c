/*
 * tcpbench.c - measures the table functions against the physical floor
 * (what the kernel costs) and against ss, on a farm of real connections
 * (with --udp: of bound UDP sockets and the UDP functions) in a private
 * network namespace.  See bench/README.md.
 *
 * Usage: tcpbench [--udp] [--rounds R] [--json FILE] [--reuseport N] [N...]
 *        tcpbench --owners [--rounds R] N [N...]   (both owner sources, SPEC §12)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <iphlpapi.h>

#include "farm.h"
#include "sandbox.h"

/* ---- Allocation accounting: the library's malloc family, interposed. */

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static atomic_size_t heap_now, heap_peak;

static void heap_add(void *p)
{
	if (!p)
		return;
	size_t now = atomic_fetch_add(&heap_now, malloc_usable_size(p)) + malloc_usable_size(p);
	size_t peak = atomic_load(&heap_peak);
	while (now > peak && !atomic_compare_exchange_weak(&heap_peak, &peak, now))
		;
}

static void heap_sub(void *p)
{
	if (p)
		atomic_fetch_sub(&heap_now, malloc_usable_size(p));
}

void *malloc(size_t n)
{
	void *p = __libc_malloc(n);
	heap_add(p);
	return p;
}

void *calloc(size_t n, size_t s)
{
	void *p = __libc_calloc(n, s);
	heap_add(p);
	return p;
}

void *realloc(void *old, size_t n)
{
	heap_sub(old);
	void *p = __libc_realloc(old, n);
	heap_add(p ? p : (n ? old : NULL));
	return p;
}

void *reallocarray(void *old, size_t n, size_t s)
{
	if (s && n > (size_t)-1 / s) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(old, n * s);
}

void free(void *p)
{
	heap_sub(p);
	__libc_free(p);
}

/* ---- The floors. */

/* --udp: the UDP functions on a farm of UDP sockets. */
static bool udp_mode;

/* A minimal sock_diag dump of both families that only counts messages. */
static long floor_dump(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	static unsigned char buf[32768];
	long msgs = 0;
	const int fams[2] = { AF_INET, AF_INET6 };
	for (int f = 0; f < 2; f++) {
		struct {
			struct nlmsghdr nlh;
			struct inet_diag_req_v2 r;
		} req;
		memset(&req, 0, sizeof(req));
		req.nlh.nlmsg_len = sizeof(req);
		req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
		req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		req.nlh.nlmsg_seq = (unsigned)f + 1;
		req.r.sdiag_family = (unsigned char)fams[f];
		req.r.sdiag_protocol = udp_mode ? IPPROTO_UDP : IPPROTO_TCP;
		/* UDP sockets are CLOSE, or ESTABLISHED once connected. */
		req.r.idiag_states = udp_mode ? (1u << 1 | 1u << 7) : 0x1ffe;
		if (send(fd, &req, sizeof(req), 0) < 0)
			break;
		for (bool done = false; !done;) {
			ssize_t n = recv(fd, buf, sizeof(buf), 0);
			if (n <= 0)
				break;
			for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, (unsigned)n);
			     h = NLMSG_NEXT(h, n)) {
				if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
					done = true;
					break;
				}
				msgs++;
			}
		}
	}
	close(fd);
	return msgs;
}

struct dent {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

/* The cheapest correct inode -> PID map: every fd of every process, one
 * getdents64 pass per directory and one readlinkat per descriptor. */
static long owner_map(void)
{
	static unsigned char pbuf[16384], fbuf[16384];
	static uint32_t map[2][1 << 18];
	long n = 0;
	int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ssize_t got;
	while ((got = getdents64(proc, pbuf, sizeof(pbuf))) > 0) {
		for (ssize_t at = 0; at < got;) {
			struct dent *d = (void *)(pbuf + at);
			at += d->reclen;
			if (d->name[0] < '1' || d->name[0] > '9')
				continue;
			char path[64];
			snprintf(path, sizeof(path), "%s/fd", d->name);
			int fdd = openat(proc, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fdd < 0)
				continue;
			uint32_t pid = (uint32_t)strtoul(d->name, NULL, 10);
			ssize_t fg;
			while ((fg = getdents64(fdd, fbuf, sizeof(fbuf))) > 0) {
				for (ssize_t fa = 0; fa < fg;) {
					struct dent *e = (void *)(fbuf + fa);
					fa += e->reclen;
					char link[64];
					ssize_t l = readlinkat(fdd, e->name, link, sizeof(link));
					if (l > 9 && memcmp(link, "socket:[", 8) == 0 &&
					    n < (long)(sizeof(map[0]) / sizeof(map[0][0]))) {
						map[0][n] = (uint32_t)strtoul(link + 8, NULL, 10);
						map[1][n++] = pid;
					}
				}
			}
			close(fdd);
		}
	}
	close(proc);
	return n;
}

/* ---- The references. */

static long run_ss(const char *flags)
{
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execlp("ss", "ss", flags, (char *)NULL);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 1 : -1;
}

/* Reading and parsing /proc/net/tcp and tcp6 (udp and udp6): every field a
 * table needs. */
static long proc_net(void)
{
	static char *buf;
	static size_t cap;
	long rows = 0;
	const char *files[2] = { udp_mode ? "/proc/net/udp" : "/proc/net/tcp",
				 udp_mode ? "/proc/net/udp6" : "/proc/net/tcp6" };
	for (int f = 0; f < 2; f++) {
		int fd = open(files[f], O_RDONLY | O_CLOEXEC);
		size_t len = 0;
		for (;;) {
			if (cap - len < 65536) {
				cap = cap ? 2 * cap : 1 << 20;
				buf = __libc_realloc(buf, cap);
			}
			ssize_t n = read(fd, buf + len, cap - len - 1);
			if (n <= 0)
				break;
			len += (size_t)n;
		}
		close(fd);
		buf[len] = '\0';
		char *line = strchr(buf, '\n');
		while (line && line[1]) {
			char *p = line + 1;
			unsigned long slot, st, inode, lport, rport;
			char la[40], ra[40];
			if (sscanf(p, "%lu: %39[0-9A-Fa-f]:%lx %39[0-9A-Fa-f]:%lx %lx %*s %*s %*s %*s %*s %lu",
				   &slot, la, &lport, ra, &rport, &st, &inode) == 7)
				rows++;
			line = strchr(p, '\n');
		}
	}
	return rows;
}

/* ---- The library, through preallocated buffers (the fill call alone). */

static unsigned char *tbuf;
static ULONG tcap;

static void ensure(ULONG need)
{
	if (need > tcap) {
		tcap = need + need / 4 + 65536;
		tbuf = __libc_realloc(tbuf, tcap);
	}
}

static ULONG table_bytes; /* bytes the last library call returned */

#define FILL(name, call)                                                         \
	static long name(void)                                                  \
	{                                                                       \
		ULONG size = tcap;                                              \
		ULONG r = call;                                                 \
		if (r != NO_ERROR)                                              \
			return -(long)r;                                        \
		table_bytes = size;                                             \
		DWORD n;                                                        \
		memcpy(&n, tbuf, sizeof(n));                                    \
		return n;                                                       \
	}

FILL(op_tcp, GetTcpTable((void *)tbuf, &size, TRUE))
FILL(op_tcp6, GetTcp6Table((void *)tbuf, &size, TRUE))
FILL(op_tcp2, GetTcpTable2((void *)tbuf, &size, TRUE))
FILL(op_tcp6_2, GetTcp6Table2((void *)tbuf, &size, TRUE))
FILL(op_ext4, GetExtendedTcpTable(tbuf, &size, TRUE, AF_INET, TCP_TABLE_OWNER_PID_ALL, 0))
FILL(op_ext6, GetExtendedTcpTable(tbuf, &size, TRUE, AF_INET6, TCP_TABLE_OWNER_PID_ALL, 0))

FILL(op_udp, GetUdpTable((void *)tbuf, &size, TRUE))
FILL(op_udp6, GetUdp6Table((void *)tbuf, &size, TRUE))
FILL(op_uext4, GetExtendedUdpTable(tbuf, &size, TRUE, AF_INET, UDP_TABLE_OWNER_PID, 0))
FILL(op_uext6, GetExtendedUdpTable(tbuf, &size, TRUE, AF_INET6, UDP_TABLE_OWNER_PID, 0))

/* A sizing call of a table with owners: it must count only. */
static long op_usize(void)
{
	DWORD size = 0;
	DWORD r = GetExtendedUdpTable(NULL, &size, TRUE, AF_INET, UDP_TABLE_OWNER_PID, 0);
	table_bytes = size;
	return r == ERROR_INSUFFICIENT_BUFFER
		       ? (long)(size - 4) / (long)sizeof(MIB_UDPROW_OWNER_PID)
		       : -(long)r;
}

static long op_ss_uan(void)
{
	return run_ss("-uan");
}

static long op_ss_uanp(void)
{
	return run_ss("-uanp");
}

static long op_size(void)
{
	ULONG size = 0;
	ULONG r = GetTcpTable2(NULL, &size, TRUE);
	table_bytes = size;
	return r == ERROR_INSUFFICIENT_BUFFER ? (long)(size - 4) / (long)sizeof(MIB_TCPROW2)
					      : -(long)r;
}

static long op_floor_owners(void)
{
	long m = floor_dump();
	return owner_map() >= 0 ? m : -1;
}

static long op_ss_tan(void)
{
	return run_ss("-tan");
}

static long op_ss_tanp(void)
{
	return run_ss("-tanp");
}

enum { FLOOR_NONE = -1, FLOOR_DUMP = 0, FLOOR_OWNERS = 1 };

struct op {
	const char *name;
	long (*fn)(void);
	int floor; /* index of the op this one is compared with */
	double target; /* ratio to that floor; 0 = none */
	bool library; /* a library call: memory is accounted */
};

#define MAX_OPS 12

static const struct op tcp_ops[MAX_OPS] = {
	{ "floor: dump (both families)", floor_dump, FLOOR_NONE, 0, false },
	{ "floor: dump + owner map", op_floor_owners, FLOOR_NONE, 0, false },
	{ "GetTcpTable", op_tcp, FLOOR_DUMP, 1.3, true },
	{ "GetTcp6Table", op_tcp6, FLOOR_DUMP, 1.3, true },
	{ "GetTcpTable2 sizing (NULL)", op_size, FLOOR_DUMP, 1.1, true },
	{ "GetTcpTable2", op_tcp2, FLOOR_OWNERS, 1.3, true },
	{ "GetTcp6Table2", op_tcp6_2, FLOOR_OWNERS, 1.3, true },
	{ "GetExtendedTcpTable v4 OWNER_PID_ALL", op_ext4, FLOOR_OWNERS, 1.3, true },
	{ "GetExtendedTcpTable v6 OWNER_PID_ALL", op_ext6, FLOOR_OWNERS, 1.3, true },
	{ "ss -tanp", op_ss_tanp, FLOOR_NONE, 0, false },
	{ "ss -tan", op_ss_tan, FLOOR_NONE, 0, false },
	{ "/proc/net/tcp{,6} read+parse", proc_net, FLOOR_NONE, 0, false },
};

/* The UDP set (issue 11): the floors are UDP dumps. */
static const struct op udp_ops[MAX_OPS] = {
	{ "floor: UDP dump (both families)", floor_dump, FLOOR_NONE, 0, false },
	{ "floor: UDP dump + owner map", op_floor_owners, FLOOR_NONE, 0, false },
	{ "GetUdpTable", op_udp, FLOOR_DUMP, 1.3, true },
	{ "GetUdp6Table", op_udp6, FLOOR_DUMP, 1.3, true },
	{ "GetExtendedUdpTable sizing (NULL)", op_usize, FLOOR_DUMP, 1.1, true },
	{ "GetExtendedUdpTable v4 OWNER_PID", op_uext4, FLOOR_OWNERS, 1.3, true },
	{ "GetExtendedUdpTable v6 OWNER_PID", op_uext6, FLOOR_OWNERS, 1.3, true },
	{ "ss -uanp", op_ss_uanp, FLOOR_NONE, 0, false },
	{ "ss -uan", op_ss_uan, FLOOR_NONE, 0, false },
	{ "/proc/net/udp{,6} read+parse", proc_net, FLOOR_NONE, 0, false },
};

/* The set this run measures (NOPS of them), and its comparisons with ss:
 * ops[a] and ops[b] against ops[ref] (target <= 0.5). */
static const struct op *ops = tcp_ops;
static size_t NOPS = 12;
static struct {
	size_t a, b, ref;
} vs_ss = { 5, 7, 9 };

/* ---- Measurement. */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct stat_ {
	double median, min, max;
	size_t peak_alloc; /* largest over the rounds */
	ULONG table_bytes;
	long result;
};

/* Median, fastest and slowest of the rounds' samples (sorted in place). */
static void summarize(double *samples, int rounds, struct stat_ *st)
{
	qsort(samples, (size_t)rounds, sizeof(double), cmp_double);
	st->median = rounds % 2 ? samples[rounds / 2]
				: (samples[rounds / 2 - 1] + samples[rounds / 2]) / 2;
	st->min = samples[0];
	st->max = samples[rounds - 1];
}

static void measure(int rounds, struct stat_ st[MAX_OPS])
{
	static double samples[MAX_OPS][1024];
	memset(st, 0, sizeof(struct stat_) * MAX_OPS);
	for (int r = 0; r < rounds; r++) {
		/* Rotate the order so drift hits every op alike. */
		for (size_t k = 0; k < NOPS; k++) {
			size_t i = (k + (size_t)r) % NOPS;
			if (ops[i].library) {
				/* Room for the largest table, outside the timing. */
				ULONG n4 = 0, n6 = 0;
				if (udp_mode) {
					GetExtendedUdpTable(NULL, &n4, TRUE, AF_INET,
							    UDP_TABLE_OWNER_PID, 0);
					GetExtendedUdpTable(NULL, &n6, TRUE, AF_INET6,
							    UDP_TABLE_OWNER_PID, 0);
				} else {
					GetTcpTable2(NULL, &n4, TRUE);
					GetTcp6Table2(NULL, &n6, TRUE);
				}
				ensure((n4 > n6 ? n4 : n6) * 2 + 65536);
			}
			size_t base = atomic_load(&heap_now);
			atomic_store(&heap_peak, base);
			table_bytes = 0;
			double t0 = now_ms();
			long res = ops[i].fn();
			samples[i][r] = now_ms() - t0;
			size_t peak = atomic_load(&heap_peak) - base;
			if (peak > st[i].peak_alloc)
				st[i].peak_alloc = peak;
			st[i].table_bytes = table_bytes;
			st[i].result = res;
		}
	}
	for (size_t i = 0; i < NOPS; i++)
		summarize(samples[i], rounds, &st[i]);
}

struct run_ {
	int n;
	int holders;
	long rows4, rows6, msgs;
	struct stat_ st[MAX_OPS];
};

static void report(const struct run_ *run, FILE *json, bool first)
{
	printf("\nN = %d %s (%ld IPv4 rows, %ld IPv6 rows; dump: %ld messages), "
	       "%d holder processes\n",
	       run->n, udp_mode ? "UDP sockets" : "connections", run->rows4, run->rows6, run->msgs,
	       run->holders);
	printf("%-38s %9s %19s %8s %7s %5s %11s %11s %4s\n", "call", "median", "min-max (ms)",
	       "x floor", "target", "ok", "peak alloc", "table", "mem");
	fprintf(json, "%s{\"n\":%d,\"holders\":%d,\"rows_v4\":%ld,\"rows_v6\":%ld,\"ops\":[",
		first ? "" : ",", run->n, run->holders, run->rows4, run->rows6);
	for (size_t i = 0; i < NOPS; i++) {
		const struct stat_ *s = &run->st[i];
		double ratio = ops[i].floor >= 0 ? s->median / run->st[ops[i].floor].median : 0;
		bool ok = ops[i].target == 0 || ratio <= ops[i].target;
		char range[32], rat[16] = "", tgt[16] = "";
		snprintf(range, sizeof(range), "%.2f-%.2f", s->min, s->max);
		if (ops[i].floor >= 0) {
			snprintf(rat, sizeof(rat), "%.2f", ratio);
			snprintf(tgt, sizeof(tgt), "<=%.1f", ops[i].target);
		}
		bool mem_ok = s->peak_alloc <= 2 * (size_t)s->table_bytes + 65536;
		printf("%-38s %9.2f %19s %8s %7s %5s", ops[i].name, s->median, range, rat, tgt,
		       ops[i].target ? (ok ? "yes" : "NO") : "");
		if (ops[i].library)
			printf(" %11zu %11lu %4s", s->peak_alloc, (unsigned long)s->table_bytes,
			       mem_ok ? "yes" : "NO");
		printf("\n");
		fprintf(json,
			"%s{\"name\":\"%s\",\"median_ms\":%.3f,\"min_ms\":%.3f,\"max_ms\":%.3f,"
			"\"ratio\":%.3f,\"target\":%.2f,\"peak_alloc\":%zu,\"table_bytes\":%lu,"
			"\"result\":%ld}",
			i ? "," : "", ops[i].name, s->median, s->min, s->max, ratio, ops[i].target,
			s->peak_alloc, (unsigned long)s->table_bytes, s->result);
	}
	double ref = run->st[vs_ss.ref].median;
	printf("%s vs %s: %.2f (target <= 0.5); %s vs %s: %.2f\n", ops[vs_ss.a].name,
	       ops[vs_ss.ref].name, run->st[vs_ss.a].median / ref, ops[vs_ss.b].name,
	       ops[vs_ss.ref].name, run->st[vs_ss.b].median / ref);
	fprintf(json, "]}");
}

/* ---- A long run of one endpoint (issue 10, item 7).  Any local user can
 * put N SO_REUSEPORT listeners on one port: N rows with the same addresses
 * and ports, among which duplicates must still be found.  That must cost
 * about what N listeners on N ports cost.  Each farm lives in a namespace
 * of its own; every round times each call in both, in alternating order,
 * so that machine noise hits both alike.  The kernel's own dump of one
 * long SO_REUSEPORT group is slower too (the floor row), so the target is
 * on the library's part: the call's ratio over the floor's ratio. */

#define REUSE_TARGET 1.5 /* (one port / N ports) / the floor's, at most */

static const struct op reuse_ops[] = {
	/* What the kernel's dump costs, which the library cannot change. */
	{ "floor: dump (both families)", floor_dump, FLOOR_NONE, 0, false },
	{ "GetTcpTable2 sizing (NULL)", op_size, FLOOR_NONE, REUSE_TARGET, true },
	{ "GetTcpTable", op_tcp, FLOOR_NONE, REUSE_TARGET, true },
	{ "GetTcpTable2", op_tcp2, FLOOR_NONE, REUSE_TARGET, true },
};
#define NREUSE (sizeof(reuse_ops) / sizeof(reuse_ops[0]))

/* st[0][i]: op i with one port; st[1][i]: with N ports. */
static int measure_reuseport(int n, int rounds, struct stat_ st[2][NREUSE])
{
	static double samples[2][NREUSE][1024];
	struct farm farms[2];
	int ns[2] = { -1, -1 }, built = 0, err = -1;
	for (; built < 2; built++) {
		if (!tt_netns_new()) {
			fprintf(stderr, "tcpbench: needs a private network namespace (run as root)\n");
			goto out;
		}
		ns[built] = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (ns[built] < 0 || farm_listeners(&farms[built], n, built == 0) != 0) {
			fprintf(stderr, "tcpbench: could not build a farm of %d listeners\n", n);
			goto out;
		}
	}
	memset(st, 0, sizeof(struct stat_) * 2 * NREUSE);
	for (int r = 0; r < rounds; r++) {
		for (size_t i = 0; i < NREUSE; i++) {
			for (int j = 0; j < 2; j++) {
				int k = (j + r) % 2;
				if (setns(ns[k], CLONE_NEWNET) != 0) {
					perror("tcpbench: setns");
					goto out;
				}
				ensure(2 * (ULONG)n * sizeof(MIB_TCPROW2) + 65536);
				double t0 = now_ms();
				st[k][i].result = reuse_ops[i].fn();
				samples[k][i][r] = now_ms() - t0;
			}
		}
	}
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < NREUSE; i++)
			summarize(samples[k][i], rounds, &st[k][i]);
	err = 0;
out:
	for (int k = 0; k < built; k++)
		farm_stop(&farms[k]);
	for (int k = 0; k < 2; k++)
		if (ns[k] >= 0)
			close(ns[k]);
	return err;
}

static void report_reuseport(int n, const struct stat_ st[2][NREUSE], FILE *json)
{
	printf("\nLong run of one endpoint: %d IPv4 listeners on one port (SO_REUSEPORT) "
	       "vs on %d ports\n", n, n);
	printf("%-38s %5s %21s %21s %7s %7s %7s %5s\n", "call", "rows", "one port (ms)",
	       "N ports (ms)", "ratio", "x floor", "target", "ok");
	fprintf(json, ",\"reuseport\":{\"n\":%d,\"ops\":[", n);
	for (size_t i = 0; i < NREUSE; i++) {
		const struct stat_ *a = &st[0][i], *b = &st[1][i];
		double ratio = a->median / b->median;
		char ra[32], rb[32];
		snprintf(ra, sizeof(ra), "%.2f (%.2f-%.2f)", a->median, a->min, a->max);
		snprintf(rb, sizeof(rb), "%.2f (%.2f-%.2f)", b->median, b->min, b->max);
		bool target = reuse_ops[i].target > 0;
		/* The ratio over the kernel's own (the floor's): the part of
		 * the ratio that is the library's. */
		double xf = ratio / (st[0][0].median / st[1][0].median);
		printf("%-38s %5ld %21s %21s %7.2f %7.2f %7s %5s\n", reuse_ops[i].name, a->result, ra,
		       rb, ratio, xf, target ? "<=1.5" : "",
		       !target ? "" : xf <= REUSE_TARGET ? "yes" : "NO");
		fprintf(json,
			"%s{\"name\":\"%s\",\"rows\":%ld,\"one_port_ms\":%.3f,"
			"\"ports_ms\":%.3f,\"ratio\":%.3f,\"ratio_x_floor\":%.3f,\"target\":%.2f}",
			i ? "," : "", reuse_ops[i].name, a->result, a->median, b->median, ratio, xf,
			reuse_ops[i].target);
	}
	fprintf(json, "]}");
}

/* ---- --owners: the two owner sources of SPEC §12 side by side. */

/* Runs fn with TCPTABLE_OWNERS=mode. */
static long by_source(const char *mode, long (*fn)(void))
{
	setenv("TCPTABLE_OWNERS", mode, 1);
	long r = fn();
	unsetenv("TCPTABLE_OWNERS");
	return r;
}

static long op_tcp2_bpf(void)
{
	return by_source("bpf", op_tcp2);
}

static long op_tcp2_proc(void)
{
	return by_source("proc", op_tcp2);
}

static long op_ext4_bpf(void)
{
	return by_source("bpf", op_ext4);
}

static long op_ext4_proc(void)
{
	return by_source("proc", op_ext4);
}

enum { OW_DUMP, OW_TCP, OW_TCP2_BPF, OW_TCP2_PROC, OW_EXT4_BPF, OW_EXT4_PROC, OW_SS, OW_N };

static const struct op owner_ops[OW_N] = {
	{ "floor: dump (both families)", floor_dump, FLOOR_NONE, 0, false },
	{ "GetTcpTable (no owners)", op_tcp, OW_DUMP, 0, true },
	{ "GetTcpTable2 [bpf]", op_tcp2_bpf, OW_DUMP, 1.3, true },
	{ "GetTcpTable2 [proc]", op_tcp2_proc, OW_DUMP, 0, true },
	{ "GetExtendedTcpTable v4 OWNER_PID_ALL [bpf]", op_ext4_bpf, OW_DUMP, 1.3, true },
	{ "GetExtendedTcpTable v4 OWNER_PID_ALL [proc]", op_ext4_proc, OW_DUMP, 0, true },
	{ "ss -tanp", op_ss_tanp, FLOOR_NONE, 0, false },
};

/* In a fresh process (exec'd, so nothing is loaded): the first and the
 * second GetTcpTable2 through source mode, in ms, on stdout. */
static int first_call(const char *mode)
{
	setenv("TCPTABLE_OWNERS", mode, 1);
	ULONG size = 0;
	GetTcpTable2(NULL, &size, TRUE);
	size = size * 2 + 65536;
	void *t = malloc(size);
	double ms[2];
	for (int i = 0; i < 2; i++) {
		ULONG sz = size;
		double t0 = now_ms();
		ULONG r = GetTcpTable2(t, &sz, TRUE);
		ms[i] = now_ms() - t0;
		if (r != NO_ERROR)
			return 1;
	}
	printf("%.3f %.3f\n", ms[0], ms[1]);
	return 0;
}

static bool run_first_call(const char *mode, double ms[2])
{
	int p[2];
	if (pipe(p) != 0)
		return false;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		execl("/proc/self/exe", "tcpbench", "--first-call", mode, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char buf[64] = "";
	ssize_t n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	int st;
	waitpid(pid, &st, 0);
	return n > 0 && sscanf(buf, "%lf %lf", &ms[0], &ms[1]) == 2;
}

static void owners_run(int n, int rounds)
{
	struct farm farm;
	if (!tt_netns_new() || farm_start(&farm, n) != 0) {
		fprintf(stderr, "tcpbench: could not build a farm of %d connections\n", n);
		exit(1);
	}
	double first[2][2] = { { 0, 0 }, { 0, 0 } };
	bool have_first = run_first_call("bpf", first[0]) && run_first_call("proc", first[1]);
	/* The program loads on the first call (reported above, from new
	 * processes): the rounds measure calls of a process that has it. */
	ULONG need = 0;
	GetTcpTable2(NULL, &need, TRUE);
	ensure(need * 2 + 65536);
	op_tcp2_bpf();
	static double samples[OW_N][1024];
	struct stat_ st[OW_N];
	memset(st, 0, sizeof(st));
	for (int r = 0; r < rounds; r++) {
		for (size_t k = 0; k < OW_N; k++) {
			size_t i = (k + (size_t)r) % OW_N;
			if (owner_ops[i].library) {
				ULONG n4 = 0;
				GetTcpTable2(NULL, &n4, TRUE);
				ensure(n4 * 2 + 65536);
			}
			size_t base = atomic_load(&heap_now);
			atomic_store(&heap_peak, base);
			table_bytes = 0;
			double t0 = now_ms();
			st[i].result = owner_ops[i].fn();
			samples[i][r] = now_ms() - t0;
			size_t peak = atomic_load(&heap_peak) - base;
			if (peak > st[i].peak_alloc)
				st[i].peak_alloc = peak;
			st[i].table_bytes = table_bytes;
		}
	}
	for (size_t i = 0; i < OW_N; i++) {
		qsort(samples[i], (size_t)rounds, sizeof(double), cmp_double);
		st[i].median = rounds % 2 ? samples[i][rounds / 2]
					  : (samples[i][rounds / 2 - 1] + samples[i][rounds / 2]) / 2;
		st[i].min = samples[i][0];
		st[i].max = samples[i][rounds - 1];
	}
	printf("\nOwner sources, N = %d connections, %d holder processes, %d rounds\n", n,
	       farm.nholders, rounds);
	farm_stop(&farm);
	printf("%-44s %9s %19s %8s %11s %11s %4s\n", "call", "median", "min-max (ms)", "x dump",
	       "peak alloc", "table", "mem");
	for (size_t i = 0; i < OW_N; i++) {
		char range[32], rat[16] = "";
		snprintf(range, sizeof(range), "%.2f-%.2f", st[i].min, st[i].max);
		if (owner_ops[i].floor >= 0)
			snprintf(rat, sizeof(rat), "%.2f", st[i].median / st[OW_DUMP].median);
		printf("%-44s %9.2f %19s %8s", owner_ops[i].name, st[i].median, range, rat);
		if (owner_ops[i].library)
			printf(" %11zu %11lu %4s", st[i].peak_alloc, (unsigned long)st[i].table_bytes,
			       st[i].peak_alloc <= 2 * (size_t)st[i].table_bytes + 65536 ? "yes" : "NO");
		printf("\n");
	}
	/* The owner map's own cost: the owner call minus the same table
	 * without owners. */
	double base = st[OW_TCP].median;
	double own_bpf = st[OW_TCP2_BPF].median - base, own_proc = st[OW_TCP2_PROC].median - base;
	double r1 = st[OW_TCP2_BPF].median / st[OW_DUMP].median;
	double r2 = st[OW_EXT4_BPF].median / st[OW_DUMP].median;
	double r3 = st[OW_TCP2_PROC].median / st[OW_TCP2_BPF].median;
	double r4 = st[OW_EXT4_PROC].median / st[OW_EXT4_BPF].median;
	double r5 = own_proc > 0 ? own_bpf / own_proc : 0;
	printf("ratios: GetTcpTable2 [bpf] / dump %.2f (<= 1.3 %s); "
	       "OWNER_PID [bpf] / dump %.2f (<= 1.3 %s)\n",
	       r1, r1 <= 1.3 ? "yes" : "NO", r2, r2 <= 1.3 ? "yes" : "NO");
	printf("        [proc] / [bpf]: GetTcpTable2 %.2f, OWNER_PID %.2f (>= 3 %s)\n", r3, r4,
	       r3 >= 3 && r4 >= 3 ? "yes" : "NO");
	printf("        owner map alone (call - GetTcpTable): bpf %.2f ms, proc %.2f ms, "
	       "ratio %.2f (<= 0.25 %s)\n",
	       own_bpf, own_proc, r5, r5 <= 0.25 ? "yes" : "NO");
	printf("        ss -tanp / GetTcpTable2 [bpf] %.1f, / [proc] %.1f\n",
	       st[OW_SS].median / st[OW_TCP2_BPF].median,
	       st[OW_SS].median / st[OW_TCP2_PROC].median);
	if (have_first)
		printf("first GetTcpTable2 of a new process: bpf %.2f ms (loads the program; "
		       "then %.2f ms), proc %.2f ms (then %.2f ms)\n",
		       first[0][0], first[0][1], first[1][0], first[1][1]);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int rounds = 15;
	const char *json_path = "bench-results.json";
	int ns[16], nn = 0, reuse_n = 0;
	bool owners = false;
	if (argc == 3 && strcmp(argv[1], "--first-call") == 0)
		return first_call(argv[2]);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--udp") == 0)
			udp_mode = true;
		else if (strcmp(argv[i], "--owners") == 0)
			owners = true;
		else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (strcmp(argv[i], "--reuseport") == 0 && i + 1 < argc)
			reuse_n = atoi(argv[++i]);
		else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc)
			json_path = argv[++i];
		else if (nn < 16 && atoi(argv[i]) > 0)
			ns[nn++] = atoi(argv[i]);
		else {
			fprintf(stderr, "usage: tcpbench [--udp | --owners] [--rounds R] [--json FILE] [--reuseport N] [N...]\n");
			return 2;
		}
	}
	if (rounds < 1 || rounds > 1024 || reuse_n < 0 || (nn == 0 && reuse_n == 0) ||
	    (owners && nn == 0) || (owners && udp_mode)) {
		fprintf(stderr, "usage: tcpbench [--udp | --owners] [--rounds R] [--json FILE] [--reuseport N] [N...]\n");
		return 2;
	}
	if (owners) {
		for (int k = 0; k < nn; k++)
			owners_run(ns[k], rounds);
		return 0;
	}
	if (udp_mode) {
		ops = udp_ops;
		NOPS = 10;
		/* GetUdpTable and GetExtendedUdpTable v4 OWNER_PID vs ss -uanp. */
		vs_ss.a = 2, vs_ss.b = 5, vs_ss.ref = 7;
	}
	FILE *json = fopen(json_path, "w");
	if (!json) {
		perror(json_path);
		return 1;
	}
	fprintf(json, "{\"rounds\":%d,\"proto\":\"%s\",\"runs\":[", rounds,
		udp_mode ? "udp" : "tcp");
	struct run_ runs[16];
	for (int k = 0; k < nn; k++) {
		struct run_ *run = &runs[k];
		memset(run, 0, sizeof(*run));
		run->n = ns[k];
		if (!tt_netns_new()) {
			fprintf(stderr, "tcpbench: needs a private network namespace (run as root)\n");
			return 1;
		}
		struct farm farm;
		if ((udp_mode ? farm_start_udp(&farm, ns[k]) : farm_start(&farm, ns[k])) != 0) {
			fprintf(stderr, "tcpbench: could not build a farm of %d connections\n", ns[k]);
			return 1;
		}
		run->holders = farm.nholders;
		run->msgs = floor_dump();
		ULONG size = 0;
		if (udp_mode)
			GetUdpTable(NULL, &size, TRUE);
		else
			GetTcpTable(NULL, &size, TRUE);
		run->rows4 = (long)(size - 4) /
			     (long)(udp_mode ? sizeof(MIB_UDPROW) : sizeof(MIB_TCPROW));
		size = 0;
		if (udp_mode)
			GetUdp6Table(NULL, &size, TRUE);
		else
			GetTcp6Table(NULL, &size, TRUE);
		run->rows6 = (long)(size - 4) /
			     (long)(udp_mode ? sizeof(MIB_UDP6ROW) : sizeof(MIB_TCP6ROW));
		measure(rounds, run->st);
		farm_stop(&farm);
		report(run, json, k == 0);
		fflush(stdout);
	}
	/* Linear growth between the two largest runs, when they are 5x apart. */
	for (int k = 1; k < nn; k++) {
		if (runs[k].n != 5 * runs[k - 1].n)
			continue;
		printf("\nGrowth %d -> %d (target <= 5.5x):\n", runs[k - 1].n, runs[k].n);
		for (size_t i = 0; i < NOPS; i++) {
			if (!ops[i].library)
				continue;
			double g = runs[k].st[i].median / runs[k - 1].st[i].median;
			printf("  %-38s %.2fx %s\n", ops[i].name, g, g <= 5.5 ? "yes" : "NO");
		}
	}
	fprintf(json, "]");
	if (reuse_n > 0) {
		static struct stat_ rst[2][NREUSE];
		if (measure_reuseport(reuse_n, rounds, rst) != 0)
			return 1;
		report_reuseport(reuse_n, rst, json);
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("\nPeak resident memory of the benchmark process: %ld KiB\n", ru.ru_maxrss);
	fprintf(json, ",\"max_rss_kib\":%ld}\n", ru.ru_maxrss);
	fclose(json);
	printf("Results written to %s\n", json_path);
	return 0;
}
