/*
 * helpers.c - namespaces, sockets and table lookups for the integration
 * suites.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "helpers.h"
#include "sandbox.h"

bool tt_isolated;

const struct tt_ep tt_none4 = { .family = AF_INET };
const struct tt_ep tt_none6 = { .family = AF_INET6 };

void tt_test_init(const char *suite)
{
	if (tt_netns_new()) {
		tt_isolated = true;
		printf("# %s: running in private network namespaces (exact tables)\n", suite);
	} else {
		int err = errno;
		tt_isolated = false;
		fprintf(stderr,
			"#\n# %s: NOTE: cannot create a network namespace (%s); running in the\n"
			"# host namespace and checking only the sockets this test opens.\n#\n",
			suite, strerror(err));
		printf("# %s: host namespace mode (own sockets only)\n", suite);
	}
	fflush(stdout);
}

void tt_fresh_netns(void)
{
	if (tt_isolated)
		ck_assert_msg(tt_netns_new(), "unshare(CLONE_NEWNET): %s", strerror(errno));
}

bool tt_ip(const char *args)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "ip %s >/dev/null 2>&1", args);
	int st = system(cmd);
	return st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

bool tt_add_lo6(const char *addr)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "-6 addr add %s/128 dev lo nodad", addr);
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(9) };
	if (!tt_ip(cmd) || inet_pton(AF_INET6, addr, &to.sin6_addr) != 1)
		return false;
	for (int i = 0; i < 1000; i++) {
		int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return false;
		/* A UDP connect looks the route up and sends nothing. */
		int r = connect(fd, (struct sockaddr *)&to, sizeof(to));
		int err = errno;
		close(fd);
		if (r == 0)
			return true;
		if (err != ENETUNREACH && err != EADDRNOTAVAIL && err != EHOSTUNREACH)
			return false;
		nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
	}
	return false;
}

struct tt_ep tt_ep4(const char *addr, uint16_t port)
{
	struct tt_ep ep = { .family = AF_INET, .port = port };
	ck_assert_int_eq(inet_pton(AF_INET, addr, ep.addr), 1);
	return ep;
}

struct tt_ep tt_ep6(const char *addr, uint16_t port, uint32_t scope)
{
	struct tt_ep ep = { .family = AF_INET6, .port = port, .scope = scope };
	ck_assert_int_eq(inet_pton(AF_INET6, addr, ep.addr), 1);
	return ep;
}

static socklen_t to_sockaddr(const struct tt_ep *ep, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (ep->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(ep->port);
		memcpy(&sin->sin_addr, ep->addr, 4);
		return sizeof(*sin);
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(ep->port);
	sin6->sin6_scope_id = ep->scope;
	memcpy(&sin6->sin6_addr, ep->addr, 16);
	return sizeof(*sin6);
}

static struct tt_ep from_sockaddr(const struct sockaddr_storage *ss)
{
	struct tt_ep ep;
	memset(&ep, 0, sizeof(ep));
	ep.family = ss->ss_family;
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;
		memcpy(ep.addr, &sin->sin_addr, 4);
		ep.port = ntohs(sin->sin_port);
	} else {
		const struct sockaddr_in6 *sin6 = (const void *)ss;
		memcpy(ep.addr, &sin6->sin6_addr, 16);
		ep.port = ntohs(sin6->sin6_port);
		ep.scope = sin6->sin6_scope_id;
	}
	return ep;
}

struct tt_ep tt_local_of(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	return from_sockaddr(&ss);
}

struct tt_ep tt_peer_of(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	ck_assert_int_eq(getpeername(fd, (struct sockaddr *)&ss, &len), 0);
	return from_sockaddr(&ss);
}

static int listen_with(struct tt_ep *ep, int v6only, bool freebind)
{
	int fd = socket(ep->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_msg(fd >= 0, "socket: %s", strerror(errno));
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ep->family == AF_INET6 && v6only >= 0)
		ck_assert_int_eq(setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only,
					    sizeof(v6only)), 0);
	if (freebind)
		ck_assert_int_eq(setsockopt(fd, IPPROTO_IPV6, IPV6_FREEBIND, &one, sizeof(one)),
				 0);
	struct sockaddr_storage ss;
	socklen_t len = to_sockaddr(ep, &ss);
	ck_assert_msg(bind(fd, (struct sockaddr *)&ss, len) == 0, "bind port %u: %s",
		      (unsigned)ep->port, strerror(errno));
	ck_assert_int_eq(listen(fd, 64), 0);
	ep->port = tt_local_of(fd).port;
	return fd;
}

int tt_udp_bind(struct tt_ep *ep, int v6only)
{
	int fd = socket(ep->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_msg(fd >= 0, "socket: %s", strerror(errno));
	if (ep->family == AF_INET6 && v6only >= 0)
		ck_assert_int_eq(setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only,
					    sizeof(v6only)), 0);
	struct sockaddr_storage ss;
	socklen_t len = to_sockaddr(ep, &ss);
	ck_assert_msg(bind(fd, (struct sockaddr *)&ss, len) == 0, "bind udp port %u: %s",
		      (unsigned)ep->port, strerror(errno));
	ep->port = tt_local_of(fd).port;
	return fd;
}

void tt_udp_pair(const struct tt_ep *at, int *a, int *b)
{
	struct tt_ep ea = *at, eb = *at;
	ea.port = eb.port = 0;
	*a = tt_udp_bind(&ea, -1);
	*b = tt_udp_bind(&eb, -1);
	struct sockaddr_storage ss;
	socklen_t len = to_sockaddr(&eb, &ss);
	ck_assert_int_eq(connect(*a, (struct sockaddr *)&ss, len), 0);
	len = to_sockaddr(&ea, &ss);
	ck_assert_int_eq(connect(*b, (struct sockaddr *)&ss, len), 0);
}

void tt_udp_shape(const struct tt_ep *at, int fds[3])
{
	struct tt_ep e = *at;
	e.port = 0;
	fds[0] = tt_udp_bind(&e, -1);
	tt_udp_pair(at, &fds[1], &fds[2]);
}

int tt_udp_sendto(int family, const struct tt_ep *to)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_msg(fd >= 0, "socket: %s", strerror(errno));
	struct sockaddr_storage ss;
	socklen_t len = to_sockaddr(to, &ss);
	ck_assert_msg(sendto(fd, "x", 1, 0, (struct sockaddr *)&ss, len) == 1, "sendto: %s",
		      strerror(errno));
	return fd;
}

int tt_listen(struct tt_ep *ep, int v6only)
{
	return listen_with(ep, v6only, false);
}

int tt_listen_freebind(struct tt_ep *ep)
{
	return listen_with(ep, 1, true);
}

static int connect_with(const struct tt_ep *to, struct tt_ep *local_out, int extra)
{
	int fd = socket(to->family, SOCK_STREAM | SOCK_CLOEXEC | extra, 0);
	ck_assert_msg(fd >= 0, "socket: %s", strerror(errno));
	struct sockaddr_storage ss;
	socklen_t len = to_sockaddr(to, &ss);
	int r = connect(fd, (struct sockaddr *)&ss, len);
	ck_assert_msg(r == 0 || (extra && errno == EINPROGRESS), "connect: %s", strerror(errno));
	if (local_out)
		*local_out = tt_local_of(fd);
	return fd;
}

int tt_connect(const struct tt_ep *to, struct tt_ep *local_out)
{
	return connect_with(to, local_out, 0);
}

int tt_connect_nonblock(const struct tt_ep *to, struct tt_ep *local_out)
{
	return connect_with(to, local_out, SOCK_NONBLOCK);
}

int tt_connect_from(const struct tt_ep *from, const struct tt_ep *to)
{
	int fd = socket(to->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_msg(fd >= 0, "socket: %s", strerror(errno));
	struct sockaddr_storage ss;
	socklen_t len = to_sockaddr(from, &ss);
	ck_assert_msg(bind(fd, (struct sockaddr *)&ss, len) == 0, "bind port %u: %s",
		      (unsigned)from->port, strerror(errno));
	len = to_sockaddr(to, &ss);
	ck_assert_msg(connect(fd, (struct sockaddr *)&ss, len) == 0, "connect: %s", strerror(errno));
	return fd;
}

int tt_accept(int lfd)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	ck_assert_msg(fd >= 0, "accept: %s", strerror(errno));
	return fd;
}

void tt_pair(int lfd, const struct tt_ep *to, int *client, int *server)
{
	*client = tt_connect(to, NULL);
	*server = tt_accept(lfd);
}

/* ---- Tables. */

#define GET_TABLE(name, type, fn)                                                   \
	type name(void)                                                             \
	{                                                                           \
		ULONG size = 0, r;                                                  \
		type t = NULL;                                                      \
		for (int i = 0; i < 100; i++) {                                     \
			r = fn(t, &size, TRUE);                                     \
			if (r != ERROR_INSUFFICIENT_BUFFER)                         \
				break;                                              \
			free(t);                                                    \
			t = malloc(size);                                           \
			ck_assert_ptr_nonnull(t);                                   \
		}                                                                   \
		ck_assert_msg(r == NO_ERROR, #fn " returned %u", (unsigned)r);      \
		return t;                                                           \
	}

void *tt_get_udp(ULONG af, UDP_TABLE_CLASS cls)
{
	ULONG size = 0, r = ERROR_INSUFFICIENT_BUFFER;
	void *t = NULL;
	for (int i = 0; i < 100; i++) {
		r = GetExtendedUdpTable(t, &size, TRUE, af, cls, 0);
		if (r != ERROR_INSUFFICIENT_BUFFER)
			break;
		free(t);
		t = malloc(size);
		ck_assert_ptr_nonnull(t);
	}
	ck_assert_msg(r == NO_ERROR, "GetExtendedUdpTable returned %u", (unsigned)r);
	return t;
}

GET_TABLE(tt_get_tcp, PMIB_TCPTABLE, GetTcpTable)
GET_TABLE(tt_get_tcp2, PMIB_TCPTABLE2, GetTcpTable2)
GET_TABLE(tt_get_tcp6, PMIB_TCP6TABLE, GetTcp6Table)
GET_TABLE(tt_get_tcp6_2, PMIB_TCP6TABLE2, GetTcp6Table2)

static DWORD addr4(const struct tt_ep *ep)
{
	DWORD a;
	memcpy(&a, ep->addr, 4);
	return a;
}

static bool match4(DWORD la, DWORD lp, DWORD ra, DWORD rp, const struct tt_ep *l,
		   const struct tt_ep *r)
{
	return la == addr4(l) && lp == htons(l->port) && ra == addr4(r) && rp == htons(r->port);
}

static bool match6(const void *la, DWORD ls, DWORD lp, const void *ra, DWORD rs, DWORD rp,
		   const struct tt_ep *l, const struct tt_ep *r)
{
	return memcmp(la, l->addr, 16) == 0 && ls == l->scope && lp == htons(l->port) &&
	       memcmp(ra, r->addr, 16) == 0 && rs == r->scope && rp == htons(r->port);
}

#define FIND4(name, ttype, rtype)                                                        \
	const rtype *name(const ttype *t, const struct tt_ep *l, const struct tt_ep *r)  \
	{                                                                                \
		for (DWORD i = 0; i < t->dwNumEntries; i++) {                            \
			const rtype *w = &t->table[i];                                   \
			if (match4(w->dwLocalAddr, w->dwLocalPort, w->dwRemoteAddr,      \
				   w->dwRemotePort, l, r))                               \
				return w;                                                \
		}                                                                        \
		return NULL;                                                             \
	}

#define FIND6(name, ttype, rtype)                                                        \
	const rtype *name(const ttype *t, const struct tt_ep *l, const struct tt_ep *r)  \
	{                                                                                \
		for (DWORD i = 0; i < t->dwNumEntries; i++) {                            \
			const rtype *w = &t->table[i];                                   \
			if (match6(&w->LocalAddr, w->dwLocalScopeId, w->dwLocalPort,     \
				   &w->RemoteAddr, w->dwRemoteScopeId, w->dwRemotePort,  \
				   l, r))                                                \
				return w;                                                \
		}                                                                        \
		return NULL;                                                             \
	}

FIND4(tt_find_tcp, MIB_TCPTABLE, MIB_TCPROW)
FIND4(tt_find_tcp2, MIB_TCPTABLE2, MIB_TCPROW2)
FIND6(tt_find_tcp6, MIB_TCP6TABLE, MIB_TCP6ROW)
FIND6(tt_find_tcp6_2, MIB_TCP6TABLE2, MIB_TCP6ROW2)

static void ep_name(const struct tt_ep *ep, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	inet_ntop(ep->family, ep->addr, a, sizeof(a));
	snprintf(buf, len, ep->family == AF_INET6 ? "[%s%%%u]:%u" : "%s%.0u:%u", a,
		 (unsigned)ep->scope, (unsigned)ep->port);
}

#define ROW_MSG(l, r)                                              \
	char ln[80], rn[80];                                       \
	ep_name(l, ln, sizeof(ln));                                \
	ep_name(r, rn, sizeof(rn));                                \
	ck_assert_msg(row != NULL, "no row %s -> %s", ln, rn)

void tt_check_row4(const MIB_TCPROW *row, DWORD state, const struct tt_ep *l,
		   const struct tt_ep *r)
{
	ROW_MSG(l, r);
	ck_assert_uint_eq(row->dwState, state);
	ck_assert_uint_eq(row->State, state);
	ck_assert_uint_eq(row->dwLocalAddr, addr4(l));
	ck_assert_uint_eq(row->dwLocalPort, (DWORD)htons(l->port));
	ck_assert_uint_eq(row->dwRemoteAddr, addr4(r));
	ck_assert_uint_eq(row->dwRemotePort, (DWORD)htons(r->port));
	ck_assert_uint_eq(row->dwLocalPort >> 16, 0);
	ck_assert_uint_eq(row->dwRemotePort >> 16, 0);
}

void tt_check_row4_2(const MIB_TCPROW2 *row, DWORD state, const struct tt_ep *l,
		     const struct tt_ep *r, DWORD pid)
{
	ROW_MSG(l, r);
	ck_assert_uint_eq(row->dwState, state);
	ck_assert_uint_eq(row->dwLocalAddr, addr4(l));
	ck_assert_uint_eq(row->dwLocalPort, (DWORD)htons(l->port));
	ck_assert_uint_eq(row->dwRemoteAddr, addr4(r));
	ck_assert_uint_eq(row->dwRemotePort, (DWORD)htons(r->port));
	ck_assert_uint_eq(row->dwOwningPid, pid);
	ck_assert_uint_eq(row->dwOffloadState, TcpConnectionOffloadStateInHost);
}

void tt_check_row6(const MIB_TCP6ROW *row, DWORD state, const struct tt_ep *l,
		   const struct tt_ep *r)
{
	ROW_MSG(l, r);
	ck_assert_uint_eq(row->State, state);
	ck_assert_mem_eq(&row->LocalAddr, l->addr, 16);
	ck_assert_uint_eq(row->dwLocalScopeId, l->scope);
	ck_assert_uint_eq(row->dwLocalPort, (DWORD)htons(l->port));
	ck_assert_mem_eq(&row->RemoteAddr, r->addr, 16);
	ck_assert_uint_eq(row->dwRemoteScopeId, r->scope);
	ck_assert_uint_eq(row->dwRemotePort, (DWORD)htons(r->port));
}

void tt_check_row6_2(const MIB_TCP6ROW2 *row, DWORD state, const struct tt_ep *l,
		     const struct tt_ep *r, DWORD pid)
{
	ROW_MSG(l, r);
	ck_assert_uint_eq(row->State, state);
	ck_assert_mem_eq(&row->LocalAddr, l->addr, 16);
	ck_assert_uint_eq(row->dwLocalScopeId, l->scope);
	ck_assert_uint_eq(row->dwLocalPort, (DWORD)htons(l->port));
	ck_assert_mem_eq(&row->RemoteAddr, r->addr, 16);
	ck_assert_uint_eq(row->dwRemoteScopeId, r->scope);
	ck_assert_uint_eq(row->dwRemotePort, (DWORD)htons(r->port));
	ck_assert_uint_eq(row->dwOwningPid, pid);
	ck_assert_uint_eq(row->dwOffloadState, TcpConnectionOffloadStateInHost);
}

bool tt_wait_state(const struct tt_ep *l, const struct tt_ep *r, DWORD state)
{
	for (int i = 0; i < 200; i++) {
		DWORD got = 0;
		if (l->family == AF_INET) {
			PMIB_TCPTABLE t = tt_get_tcp();
			const MIB_TCPROW *row = tt_find_tcp(t, l, r);
			got = row ? row->dwState : 0;
			free(t);
		} else {
			PMIB_TCP6TABLE t = tt_get_tcp6();
			const MIB_TCP6ROW *row = tt_find_tcp6(t, l, r);
			got = row ? (DWORD)row->State : 0;
			free(t);
		}
		if (got == state)
			return true;
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return false;
}
