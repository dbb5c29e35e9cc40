/*
 * test_udp.c - the UDP family (SPEC §10) against real sockets, field by
 * field: which sockets are rows of which table, their addresses, ports,
 * scope ids and owners in every class, the owner module, and the
 * statistics.  Each test runs in a fresh private network namespace when it
 * can (row counts are then exact); otherwise only the test's own rows are
 * checked.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
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

/* One row of any UDP table, read back into one shape. */
struct urow {
	struct tt_ep l;
	DWORD pid;
	int has_pid;
};

/* Decodes row i of GetExtendedUdpTable(af, cls) output t, checking the
 * columns that have one right value on their way. */
static struct urow urow_at(ULONG af, UDP_TABLE_CLASS cls, const unsigned char *t, DWORD i)
{
	struct urow u;
	memset(&u, 0, sizeof(u));
	u.l.family = (int)af;
	DWORD port;
	if (af == AF_INET) {
		static const size_t rows[] = { sizeof(MIB_UDPROW), sizeof(MIB_UDPROW_OWNER_PID),
					       sizeof(MIB_UDPROW_OWNER_MODULE) };
		const unsigned char *r = t + (cls == UDP_TABLE_OWNER_MODULE ? 8 : 4) + i * rows[cls];
		MIB_UDPROW_OWNER_MODULE m;
		memset(&m, 0, sizeof(m));
		memcpy(&m, r, rows[cls]);
		memcpy(u.l.addr, &m.dwLocalAddr, 4);
		port = m.dwLocalPort;
		u.pid = m.dwOwningPid;
		if (cls == UDP_TABLE_OWNER_MODULE) {
			ck_assert(m.liCreateTimestamp.QuadPart == 0);
			ck_assert_int_eq(m.dwFlags, 0); /* SpecificPortBind unknown: 0 */
			ck_assert(m.OwningModuleInfo[0] == 0);
		}
	} else {
		static const size_t rows[] = { sizeof(MIB_UDP6ROW), sizeof(MIB_UDP6ROW_OWNER_PID),
					       sizeof(MIB_UDP6ROW_OWNER_MODULE) };
		const unsigned char *r = t + (cls == UDP_TABLE_OWNER_MODULE ? 8 : 4) + i * rows[cls];
		MIB_UDP6ROW_OWNER_MODULE m;
		memset(&m, 0, sizeof(m));
		memcpy(&m, r, rows[cls]);
		memcpy(u.l.addr, m.ucLocalAddr, 16);
		u.l.scope = m.dwLocalScopeId;
		port = m.dwLocalPort;
		u.pid = m.dwOwningPid;
		if (cls == UDP_TABLE_OWNER_MODULE) {
			ck_assert(m.liCreateTimestamp.QuadPart == 0);
			ck_assert_int_eq(m.dwFlags, 0);
			ck_assert(m.OwningModuleInfo[0] == 0);
		}
	}
	ck_assert_msg((port & 0xffff0000u) == 0, "port %#x has upper bits", (unsigned)port);
	u.l.port = ntohs((uint16_t)port);
	u.has_pid = cls != UDP_TABLE_BASIC;
	if (!u.has_pid)
		ck_assert_uint_eq(u.pid, 0);
	return u;
}

static bool same_ep(const struct tt_ep *a, const struct tt_ep *b)
{
	size_t n = a->family == AF_INET ? 4 : 16;
	return a->family == b->family && memcmp(a->addr, b->addr, n) == 0 && a->port == b->port &&
	       a->scope == b->scope;
}

static DWORD entries(const void *t)
{
	DWORD n;
	memcpy(&n, t, sizeof(n));
	return n;
}

/* How many rows of GetExtendedUdpTable(af, cls) show ep; *pid gets the
 * owner of the last one. */
static int count_in(ULONG af, UDP_TABLE_CLASS cls, const struct tt_ep *ep, DWORD *pid)
{
	unsigned char *t = tt_get_udp(af, cls);
	int found = 0;
	for (DWORD i = 0; i < entries(t); i++) {
		struct urow u = urow_at(af, cls, t, i);
		if (same_ep(&u.l, ep)) {
			found++;
			if (pid)
				*pid = u.pid;
		}
	}
	free(t);
	return found;
}

/* ep is exactly one row of its family's table in every class, owned by
 * pid (0 in BASIC tables, which have no owner column). */
static void expect_row(const struct tt_ep *ep, DWORD pid)
{
	ULONG af = (ULONG)ep->family;
	for (int cls = UDP_TABLE_BASIC; cls <= UDP_TABLE_OWNER_MODULE; cls++) {
		DWORD got = 0xffffffff;
		ck_assert_msg(count_in(af, (UDP_TABLE_CLASS)cls, ep, &got) == 1,
			      "class %d: row for port %u not found once", cls, (unsigned)ep->port);
		ck_assert_uint_eq(got, cls == UDP_TABLE_BASIC ? 0 : pid);
	}
}

static void expect_no_row(const struct tt_ep *ep)
{
	for (int cls = UDP_TABLE_BASIC; cls <= UDP_TABLE_OWNER_MODULE; cls++)
		ck_assert_int_eq(count_in((ULONG)ep->family, (UDP_TABLE_CLASS)cls, ep, NULL), 0);
}

static void expect_rows(ULONG af, DWORD n)
{
	if (!tt_isolated)
		return;
	for (int cls = UDP_TABLE_BASIC; cls <= UDP_TABLE_OWNER_MODULE; cls++) {
		void *t = tt_get_udp(af, (UDP_TABLE_CLASS)cls);
		ck_assert_uint_eq(entries(t), n);
		free(t);
	}
	ULONG size = 0;
	ck_assert_uint_eq(af == AF_INET ? GetUdpTable(NULL, &size, TRUE)
					: GetUdp6Table(NULL, &size, TRUE),
			  ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(size, 4 + n * (af == AF_INET ? sizeof(MIB_UDPROW) : sizeof(MIB_UDP6ROW)));
}

static DWORD me(void)
{
	return (DWORD)getpid();
}

START_TEST(bound_loopback_both_families)
{
	struct tt_ep a4 = tt_ep4("127.0.0.1", 0), a6 = tt_ep6("::1", 0, 0);
	int f4 = tt_udp_bind(&a4, -1), f6 = tt_udp_bind(&a6, -1);
	expect_row(&a4, me());
	expect_row(&a6, me());
	expect_rows(AF_INET, 1);
	expect_rows(AF_INET6, 1);
	close(f4);
	close(f6);
	expect_no_row(&a4);
	expect_no_row(&a6);
}
END_TEST

START_TEST(wildcards_dual_stack_and_v6only)
{
	struct tt_ep any4 = tt_ep4("0.0.0.0", 0);
	int f4 = tt_udp_bind(&any4, -1);
	/* Dual-stack [::]:p: [::]:p in IPv6 and 0.0.0.0:p in IPv4. */
	struct tt_ep dual = tt_ep6("::", 0, 0);
	int fd = tt_udp_bind(&dual, 0);
	struct tt_ep dual4 = tt_ep4("0.0.0.0", dual.port);
	/* V6ONLY [::]:q: IPv6 only. */
	struct tt_ep only = tt_ep6("::", 0, 0);
	int fo = tt_udp_bind(&only, 1);
	struct tt_ep only4 = tt_ep4("0.0.0.0", only.port);

	expect_row(&any4, me());
	expect_row(&dual, me());
	expect_row(&dual4, me());
	expect_row(&only, me());
	expect_no_row(&only4);
	struct tt_ep any4_as6 = tt_ep6("::", any4.port, 0);
	expect_no_row(&any4_as6);
	expect_rows(AF_INET, 2);
	expect_rows(AF_INET6, 2);
	close(f4);
	close(fd);
	close(fo);
}
END_TEST

START_TEST(v4_mapped_bound_is_ipv4_only)
{
	struct tt_ep m = tt_ep6("::ffff:127.0.0.1", 0, 0);
	int fd = tt_udp_bind(&m, 0);
	struct tt_ep as4 = tt_ep4("127.0.0.1", m.port);
	expect_row(&as4, me());
	expect_no_row(&m);
	expect_rows(AF_INET, 1);
	expect_rows(AF_INET6, 0);
	close(fd);
}
END_TEST

/* connect() autobinds: the local end the kernel chose is the row. */
START_TEST(connected_autobound)
{
	struct tt_ep p4 = tt_ep4("127.0.0.1", 0), p6 = tt_ep6("::1", 0, 0);
	int s4 = tt_udp_bind(&p4, -1), s6 = tt_udp_bind(&p6, -1);
	int c4 = socket(AF_INET, SOCK_DGRAM, 0), c6 = socket(AF_INET6, SOCK_DGRAM, 0);
	struct sockaddr_in sa4 = { .sin_family = AF_INET, .sin_port = htons(p4.port) };
	memcpy(&sa4.sin_addr, p4.addr, 4);
	struct sockaddr_in6 sa6 = { .sin6_family = AF_INET6, .sin6_port = htons(p6.port) };
	memcpy(&sa6.sin6_addr, p6.addr, 16);
	ck_assert_int_eq(connect(c4, (struct sockaddr *)&sa4, sizeof(sa4)), 0);
	ck_assert_int_eq(connect(c6, (struct sockaddr *)&sa6, sizeof(sa6)), 0);
	struct tt_ep l4 = tt_local_of(c4), l6 = tt_local_of(c6);
	expect_row(&l4, me());
	expect_row(&l6, me());
	/* An IPv6 socket connected to a v4-mapped peer gets a v4-mapped local
	 * address: an IPv4 row. */
	int cm = socket(AF_INET6, SOCK_DGRAM, 0);
	struct sockaddr_in6 sm = { .sin6_family = AF_INET6, .sin6_port = htons(p4.port) };
	ck_assert_int_eq(inet_pton(AF_INET6, "::ffff:127.0.0.1", &sm.sin6_addr), 1);
	ck_assert_int_eq(connect(cm, (struct sockaddr *)&sm, sizeof(sm)), 0);
	struct tt_ep lm = tt_local_of(cm);
	struct tt_ep lm4 = tt_ep4("127.0.0.1", lm.port);
	expect_row(&lm4, me());
	expect_no_row(&lm);
	expect_rows(AF_INET, 3);
	expect_rows(AF_INET6, 2);
	close(s4);
	close(s6);
	close(c4);
	close(c6);
	close(cm);
}
END_TEST

/* sendto() on an unbound dual-stack socket autobinds it to [::]:eph: a row
 * of both tables. */
START_TEST(autobound_by_sendto)
{
	struct tt_ep p6 = tt_ep6("::1", 0, 0);
	int s6 = tt_udp_bind(&p6, -1);
	int c = tt_udp_sendto(AF_INET6, &p6);
	struct tt_ep l = tt_local_of(c);
	struct tt_ep any6 = tt_ep6("::", l.port, 0), any4 = tt_ep4("0.0.0.0", l.port);
	expect_row(&any6, me());
	expect_row(&any4, me());
	struct tt_ep p4 = tt_ep4("127.0.0.1", 0);
	int s4 = tt_udp_bind(&p4, -1);
	int c4 = tt_udp_sendto(AF_INET, &p4);
	struct tt_ep l4 = tt_local_of(c4);
	expect_row(&l4, me());
	expect_rows(AF_INET, 3);
	expect_rows(AF_INET6, 2);
	close(s6);
	close(c);
	close(s4);
	close(c4);
}
END_TEST

START_TEST(unbound_socket_is_not_listed)
{
	int u4 = socket(AF_INET, SOCK_DGRAM, 0), u6 = socket(AF_INET6, SOCK_DGRAM, 0);
	ck_assert_int_ge(u4, 0);
	ck_assert_int_ge(u6, 0);
	expect_rows(AF_INET, 0);
	expect_rows(AF_INET6, 0);
	if (!tt_isolated)
		fprintf(stderr, "# unbound_socket_is_not_listed: counts SKIPPED, host namespace\n");
	close(u4);
	close(u6);
}
END_TEST

START_TEST(link_local_carries_scope_id)
{
	if (!tt_isolated) {
		fprintf(stderr, "# link_local_carries_scope_id: SKIPPED, needs a private namespace\n");
		return;
	}
	ck_assert(tt_ip("link add v0 type veth peer name v1"));
	ck_assert(tt_ip("link set v0 up"));
	ck_assert(tt_ip("link set v1 up"));
	ck_assert(tt_ip("addr add fe80::1/64 dev v0 nodad"));
	unsigned idx = if_nametoindex("v0");
	ck_assert_uint_ne(idx, 0);
	struct tt_ep ll = tt_ep6("fe80::1", 0, idx);
	int fd = tt_udp_bind(&ll, -1);
	ck_assert_uint_eq(tt_local_of(fd).scope, idx);
	expect_row(&ll, me());
	/* A global address on the same device: scope 0. */
	struct tt_ep lo = tt_ep6("::1", 0, 0);
	int f2 = tt_udp_bind(&lo, -1);
	expect_row(&lo, me());
	close(fd);
	close(f2);
}
END_TEST

/* A socket only a child holds is the child's; one held by parent and child
 * is the lower PID's (the parent's). */
START_TEST(child_and_shared_sockets)
{
	struct tt_ep shared = tt_ep4("127.0.0.1", 0);
	int sfd = tt_udp_bind(&shared, -1);
	int ready[2], go[2];
	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(go), 0);
	pid_t child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		struct tt_ep own = tt_ep6("::1", 0, 0);
		int fd = tt_udp_bind(&own, -1);
		(void)fd;
		if (write(ready[1], &own, sizeof(own)) != sizeof(own))
			_exit(1);
		char b;
		_exit(read(go[0], &b, 1) == 1 ? 0 : 2);
	}
	struct tt_ep own;
	ck_assert_int_eq(read(ready[0], &own, sizeof(own)), sizeof(own));
	expect_row(&own, (DWORD)child);
	expect_row(&shared, me()); /* the child holds it too; the parent is lower */
	ck_assert_int_eq(write(go[1], "x", 1), 1);
	int st;
	ck_assert_int_eq(waitpid(child, &st, 0), child);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(sfd);
}
END_TEST

/* A caller without privilege sees PID 0 for another user's socket. */
START_TEST(other_users_socket_has_pid_zero)
{
	if (geteuid() != 0) {
		fprintf(stderr, "# other_users_socket_has_pid_zero: SKIPPED, needs root to "
				"become another user\n");
		return;
	}
	struct tt_ep mine = tt_ep4("127.0.0.1", 0);
	int fd = tt_udp_bind(&mine, -1);
	int res[2];
	ck_assert_int_eq(pipe(res), 0);
	pid_t child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		close(fd); /* inherited: it would make the child an owner too */
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(3);
		/* Its own socket it does see. */
		struct tt_ep own = tt_ep4("127.0.0.1", 0);
		int ofd = tt_udp_bind(&own, -1);
		DWORD opid = 0;
		if (count_in(AF_INET, UDP_TABLE_OWNER_PID, &own, &opid) != 1 ||
		    opid != (DWORD)getpid())
			_exit(5);
		close(ofd);
		DWORD pid = 0xffffffff;
		int n = count_in(AF_INET, UDP_TABLE_OWNER_PID, &mine, &pid);
		_exit(n == 1 && write(res[1], &pid, sizeof(pid)) == sizeof(pid) ? 0 : 4);
	}
	int st;
	ck_assert_int_eq(waitpid(child, &st, 0), child);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", st);
	DWORD pid = 1;
	ck_assert_int_eq(read(res[0], &pid, sizeof(pid)), sizeof(pid));
	ck_assert_uint_eq(pid, 0);
	close(fd);
}
END_TEST

START_TEST(owner_module_of_a_udp_row)
{
	struct tt_ep a4 = tt_ep4("127.0.0.1", 0), a6 = tt_ep6("::1", 0, 0);
	int f4 = tt_udp_bind(&a4, -1), f6 = tt_udp_bind(&a6, -1);
	/* "exe" of /proc/<pid> through a directory descriptor, as the library
	 * reads it: valgrind answers a readlink of /proc/self/exe (or of
	 * /proc/<own pid>/exe) with the program it runs, not with itself. */
	char exe[4096], dir[32];
	snprintf(dir, sizeof(dir), "/proc/%d", (int)getpid());
	int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(d, 0);
	ssize_t n = readlinkat(d, "exe", exe, sizeof(exe) - 1);
	close(d);
	ck_assert_int_gt(n, 0);
	exe[n] = 0;
	const char *base = strrchr(exe, '/') + 1;
	for (int fam = 0; fam < 2; fam++) {
		ULONG af = fam ? AF_INET6 : AF_INET;
		unsigned char *t = tt_get_udp(af, UDP_TABLE_OWNER_MODULE);
		ck_assert_uint_ge(entries(t), 1);
		DWORD i;
		for (i = 0; i < entries(t); i++) {
			struct urow u = urow_at(af, UDP_TABLE_OWNER_MODULE, t, i);
			if (same_ep(&u.l, fam ? &a6 : &a4))
				break;
		}
		ck_assert_uint_lt(i, entries(t));
		size_t rsz = fam ? sizeof(MIB_UDP6ROW_OWNER_MODULE) : sizeof(MIB_UDPROW_OWNER_MODULE);
		void *row = t + 8 + i * rsz;
		DWORD size = 0, r;
		r = fam ? GetOwnerModuleFromUdp6Entry(row, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &size)
			: GetOwnerModuleFromUdpEntry(row, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &size);
		ck_assert_uint_eq(r, ERROR_INSUFFICIENT_BUFFER);
		unsigned char *buf = malloc(size);
		r = fam ? GetOwnerModuleFromUdp6Entry(row, TCPIP_OWNER_MODULE_INFO_BASIC, buf, &size)
			: GetOwnerModuleFromUdpEntry(row, TCPIP_OWNER_MODULE_INFO_BASIC, buf, &size);
		ck_assert_uint_eq(r, NO_ERROR);
		TCPIP_OWNER_MODULE_BASIC_INFO bi;
		memcpy(&bi, buf, sizeof(bi));
		char name[256], path[4096];
		ck_assert(wcstombs(name, bi.pModuleName, sizeof(name)) < sizeof(name));
		ck_assert(wcstombs(path, bi.pModulePath, sizeof(path)) < sizeof(path));
		ck_assert_str_eq(name, base);
		ck_assert_str_eq(path, exe);
		free(buf);
		ck_assert_uint_eq(GetOwnerModuleFromUdpEntry(NULL, TCPIP_OWNER_MODULE_INFO_BASIC,
							     NULL, &size),
				  ERROR_INVALID_PARAMETER);
		free(t);
	}
	close(f4);
	close(f6);
}
END_TEST

START_TEST(extended_udp_arguments)
{
	DWORD size = 0;
	ck_assert_uint_eq(GetExtendedUdpTable(NULL, &size, TRUE, AF_UNSPEC, UDP_TABLE_BASIC, 0),
			  ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(GetExtendedUdpTable(NULL, &size, TRUE, AF_INET, (UDP_TABLE_CLASS)3, 0),
			  ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(GetExtendedUdpTable(NULL, NULL, TRUE, AF_INET, UDP_TABLE_BASIC, 0),
			  ERROR_INVALID_PARAMETER);
	/* IPv6 BASIC is valid for UDP (unlike TCP); Reserved is ignored. */
	ck_assert_uint_eq(GetExtendedUdpTable(NULL, &size, TRUE, AF_INET6, UDP_TABLE_BASIC, 7),
			  ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_ge(size, 4);
}
END_TEST

/* Sends and receives k datagrams over family's loopback. */
static void traffic(int family, int k)
{
	struct tt_ep a = family == AF_INET ? tt_ep4("127.0.0.1", 0) : tt_ep6("::1", 0, 0);
	int r = tt_udp_bind(&a, -1);
	int s = socket(family, SOCK_DGRAM, 0);
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	socklen_t len;
	if (family == AF_INET) {
		struct sockaddr_in *sa = (struct sockaddr_in *)&ss;
		sa->sin_family = AF_INET;
		sa->sin_port = htons(a.port);
		memcpy(&sa->sin_addr, a.addr, 4);
		len = sizeof(*sa);
	} else {
		struct sockaddr_in6 *sa = (struct sockaddr_in6 *)&ss;
		sa->sin6_family = AF_INET6;
		sa->sin6_port = htons(a.port);
		memcpy(&sa->sin6_addr, a.addr, 16);
		len = sizeof(*sa);
	}
	for (int i = 0; i < k; i++) {
		ck_assert_int_eq(sendto(s, "d", 1, 0, (struct sockaddr *)&ss, len), 1);
		char b;
		ck_assert_int_eq(recv(r, &b, 1, 0), 1);
	}
	close(r);
	close(s);
}

START_TEST(statistics_move_per_family)
{
	enum { K = 50 };
	MIB_UDPSTATS b4, b6, a4, a6, m4, m6;
	ck_assert_uint_eq(GetUdpStatistics(&b4), NO_ERROR);
	ck_assert_uint_eq(GetUdpStatisticsEx(&b6, AF_INET6), NO_ERROR);
	traffic(AF_INET, K);
	ck_assert_uint_eq(GetUdpStatisticsEx(&a4, AF_INET), NO_ERROR);
	ck_assert_uint_eq(GetUdpStatisticsEx(&a6, AF_INET6), NO_ERROR);
	ck_assert_uint_ge(a4.dwInDatagrams - b4.dwInDatagrams, K);
	ck_assert_uint_ge(a4.dwOutDatagrams - b4.dwOutDatagrams, K);
	if (tt_isolated) {
		/* Linux counts the families apart: IPv4 traffic leaves the IPv6
		 * counters where they were. */
		ck_assert_uint_eq(a6.dwInDatagrams, b6.dwInDatagrams);
		ck_assert_uint_eq(a6.dwOutDatagrams, b6.dwOutDatagrams);
	}
	traffic(AF_INET6, K);
	MIB_UDPSTATS2 x6;
	ck_assert_uint_eq(GetUdpStatisticsEx(&m6, AF_INET6), NO_ERROR);
	ck_assert_uint_eq(GetUdpStatisticsEx2(&x6, AF_INET6), NO_ERROR);
	ck_assert_uint_eq(GetUdpStatisticsEx(&m4, AF_INET), NO_ERROR);
	ck_assert_uint_ge(m6.dwInDatagrams - a6.dwInDatagrams, K);
	ck_assert_uint_ge(m6.dwOutDatagrams - a6.dwOutDatagrams, K);
	ck_assert_uint_ge(x6.dw64OutDatagrams, m6.dwOutDatagrams);
	if (tt_isolated) {
		ck_assert_uint_eq(m4.dwInDatagrams, a4.dwInDatagrams);
		ck_assert_uint_eq(m4.dwOutDatagrams, a4.dwOutDatagrams);
	}
	/* Argument checks. */
	ck_assert_uint_eq(GetUdpStatistics(NULL), ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(GetUdpStatisticsEx(&m4, AF_UNSPEC), ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(GetUdpStatisticsEx2(NULL, AF_INET), ERROR_INVALID_PARAMETER);
}
END_TEST

/* dwNumAddrs is the row count of GetUdpTable / GetUdp6Table. */
START_TEST(statistics_count_the_rows)
{
	struct tt_ep a4 = tt_ep4("127.0.0.1", 0), dual = tt_ep6("::", 0, 0);
	int f4 = tt_udp_bind(&a4, -1), fd = tt_udp_bind(&dual, 0);
	for (int attempt = 0; attempt < 10; attempt++) {
		MIB_UDPSTATS s4, s6;
		MIB_UDPSTATS2 x4;
		ck_assert_uint_eq(GetUdpStatisticsEx(&s4, AF_INET), NO_ERROR);
		ck_assert_uint_eq(GetUdpStatisticsEx(&s6, AF_INET6), NO_ERROR);
		ck_assert_uint_eq(GetUdpStatisticsEx2(&x4, AF_INET), NO_ERROR);
		PMIB_UDPTABLE t4 = tt_get_udp(AF_INET, UDP_TABLE_BASIC);
		PMIB_UDP6TABLE t6 = tt_get_udp(AF_INET6, UDP_TABLE_BASIC);
		bool same = s4.dwNumAddrs == t4->dwNumEntries && s6.dwNumAddrs == t6->dwNumEntries &&
			    x4.dwNumAddrs == t4->dwNumEntries;
		if (tt_isolated) {
			ck_assert_uint_eq(s4.dwNumAddrs, 2);
			ck_assert_uint_eq(s6.dwNumAddrs, 1);
		}
		free(t4);
		free(t6);
		if (same) {
			close(f4);
			close(fd);
			return;
		}
		ck_assert(!tt_isolated);
	}
	ck_abort_msg("UDP table never stable");
}
END_TEST

/* ---- Every class and family against `ss -uanp`. */

struct ss_row {
	struct tt_ep l;
	DWORD pid; /* lowest holder, 0 none */
};

/* Parses one ss local-address column into *out (one or, for a dual-stack
 * "*:p", two endpoints).  Returns how many. */
static int parse_ss_local(const char *tok, struct tt_ep out[2])
{
	const char *colon = strrchr(tok, ':');
	ck_assert_ptr_nonnull(colon);
	uint16_t port = (uint16_t)atoi(colon + 1);
	char addr[128];
	size_t alen = (size_t)(colon - tok);
	ck_assert_uint_lt(alen, sizeof(addr));
	memcpy(addr, tok, alen);
	addr[alen] = 0;
	if (strcmp(addr, "*") == 0) {
		out[0] = tt_ep4("0.0.0.0", port);
		out[1] = tt_ep6("::", port, 0);
		return 2;
	}
	uint32_t scope = 0;
	char *pct = strchr(addr, '%');
	if (pct) {
		*pct = 0;
		scope = if_nametoindex(pct + 1);
	}
	if (addr[0] != '[') {
		out[0] = tt_ep4(addr, port);
		return 1;
	}
	char *end = strchr(addr, ']');
	ck_assert_ptr_nonnull(end);
	*end = 0;
	if (strncmp(addr + 1, "::ffff:", 7) == 0 && strchr(addr + 8, '.')) {
		out[0] = tt_ep4(addr + 8, port);
		return 1;
	}
	/* Only link-local addresses carry a zone in the tables. */
	out[0] = tt_ep6(addr + 1, port, 0);
	if (out[0].addr[0] == 0xfe && (out[0].addr[1] & 0xc0) == 0x80)
		out[0].scope = scope;
	return 1;
}

/* The lowest pid= in an ss users:(...) column, 0 when none. */
static DWORD lowest_pid(const char *users)
{
	DWORD low = 0;
	for (const char *p = users; (p = strstr(p, "pid=")) != NULL; p += 4) {
		DWORD v = (DWORD)strtoul(p + 4, NULL, 10);
		if (low == 0 || v < low)
			low = v;
	}
	return low;
}

/* ss's view of family af, in rows[]; returns the count. */
static size_t ss_rows(int af, struct ss_row *rows, size_t max)
{
	FILE *f = popen("ss -uanpH 2>/dev/null", "r");
	ck_assert_ptr_nonnull(f);
	char line[1024];
	size_t n = 0;
	while (fgets(line, sizeof(line), f)) {
		char st[32], rq[32], sq[32], loc[256], peer[256];
		int used = 0;
		if (sscanf(line, "%31s %31s %31s %255s %255s %n", st, rq, sq, loc, peer, &used) < 5)
			continue;
		DWORD pid = lowest_pid(line + used);
		struct tt_ep eps[2];
		int k = parse_ss_local(loc, eps);
		for (int i = 0; i < k; i++) {
			if (eps[i].family != af)
				continue;
			ck_assert_uint_lt(n, max);
			rows[n].l = eps[i];
			rows[n].pid = pid;
			n++;
		}
	}
	ck_assert_int_eq(pclose(f), 0);
	return n;
}

START_TEST(every_class_and_family_matches_ss)
{
	if (!tt_isolated) {
		fprintf(stderr, "# every_class_and_family_matches_ss: SKIPPED, needs a private "
				"namespace (the host's sockets change under ss)\n");
		return;
	}
	if (system("ss -V >/dev/null 2>&1") != 0) {
		fprintf(stderr, "# every_class_and_family_matches_ss: SKIPPED, no ss\n");
		return;
	}
	ck_assert(tt_ip("link add v0 type veth peer name v1"));
	ck_assert(tt_ip("link set v0 up"));
	ck_assert(tt_ip("addr add fe80::1/64 dev v0 nodad"));
	int fds[16], n = 0;
	struct tt_ep e[] = { tt_ep4("127.0.0.1", 0), tt_ep6("::1", 0, 0), tt_ep4("0.0.0.0", 0),
			     tt_ep6("::", 0, 0), tt_ep6("::ffff:127.0.0.1", 0, 0),
			     tt_ep6("fe80::1", 0, if_nametoindex("v0")) };
	for (size_t i = 0; i < sizeof(e) / sizeof(e[0]); i++)
		fds[n++] = tt_udp_bind(&e[i], -1);
	struct tt_ep only = tt_ep6("::", 0, 0);
	fds[n++] = tt_udp_bind(&only, 1);
	tt_udp_pair(&e[0], &fds[n], &fds[n + 1]);
	n += 2;
	fds[n++] = tt_udp_sendto(AF_INET6, &e[1]);
	int go[2], ready[2];
	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_eq(pipe(ready), 0);
	pid_t child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		for (int i = 1; i < n; i++)
			close(fds[i]); /* fds[0] stays shared with the parent */
		struct tt_ep own = tt_ep6("::1", 0, 0);
		(void)tt_udp_bind(&own, -1);
		char b;
		_exit(write(ready[1], "r", 1) == 1 && read(go[0], &b, 1) == 1 ? 0 : 1);
	}
	char r;
	ck_assert_int_eq(read(ready[0], &r, 1), 1); /* the child's socket is bound */
	for (int fam = 0; fam < 2; fam++) {
		ULONG af = fam ? AF_INET6 : AF_INET;
		struct ss_row want[64];
		size_t nw = ss_rows((int)af, want, 64);
		ck_assert_uint_eq(nw, fam ? 6 : 7);
		for (int cls = UDP_TABLE_BASIC; cls <= UDP_TABLE_OWNER_MODULE; cls++) {
			unsigned char *t = tt_get_udp(af, (UDP_TABLE_CLASS)cls);
			ck_assert_uint_eq(entries(t), nw);
			for (size_t w = 0; w < nw; w++) {
				bool found = false;
				for (DWORD i = 0; i < entries(t) && !found; i++) {
					struct urow u = urow_at(af, (UDP_TABLE_CLASS)cls, t, i);
					if (!same_ep(&u.l, &want[w].l))
						continue;
					found = true;
					ck_assert_uint_eq(u.pid, cls == UDP_TABLE_BASIC ? 0 : want[w].pid);
				}
				ck_assert_msg(found, "af %lu class %d: ss row %zu (port %u) missing",
					      (unsigned long)af, cls, w, (unsigned)want[w].l.port);
			}
			free(t);
		}
	}
	ck_assert_int_eq(write(go[1], "x", 1), 1);
	int st;
	ck_assert_int_eq(waitpid(child, &st, 0), child);
	for (int i = 0; i < n; i++)
		close(fds[i]);
}
END_TEST

int main(void)
{
	tt_test_init("udp");
	Suite *s = suite_create("udp");
	TCase *tc = tcase_create("udp");
	tcase_add_checked_fixture(tc, tt_fresh_netns, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, bound_loopback_both_families);
	tcase_add_test(tc, wildcards_dual_stack_and_v6only);
	tcase_add_test(tc, v4_mapped_bound_is_ipv4_only);
	tcase_add_test(tc, connected_autobound);
	tcase_add_test(tc, autobound_by_sendto);
	tcase_add_test(tc, unbound_socket_is_not_listed);
	tcase_add_test(tc, link_local_carries_scope_id);
	tcase_add_test(tc, child_and_shared_sockets);
	tcase_add_test(tc, other_users_socket_has_pid_zero);
	tcase_add_test(tc, owner_module_of_a_udp_row);
	tcase_add_test(tc, extended_udp_arguments);
	tcase_add_test(tc, statistics_move_per_family);
	tcase_add_test(tc, statistics_count_the_rows);
	tcase_add_test(tc, every_class_and_family_matches_ss);
	suite_add_tcase(s, tc);
	return tt_run_suite(s);
}
