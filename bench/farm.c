/*
 * farm.c - a connection farm for the benchmarks: N established loopback
 * connections (half IPv4, half IPv6) plus their listeners, both ends held
 * by holder processes of at most HOLDER_FDS descriptors each, in the
 * caller's (private) network namespace; or N bound UDP sockets held the
 * same way.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "farm.h"

/* One process may hold about 19,000 descriptors here (ulimit -n is 20000).
 * Listeners use ports 10000.. , below the ephemeral range set in
 * widen_port_range(). */
#define HOLDER_FDS 19000
#define LISTENERS 4 /* per family and holder: spreads the ephemeral ports */

static void die(const char *what)
{
	fprintf(stderr, "farm: %s: %s\n", what, strerror(errno));
	_exit(1);
}

/* The loopback address of family, with port, in ss; returns its length. */
static socklen_t loopback(int family, int port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *s = (void *)ss;
		s->sin_family = AF_INET;
		s->sin_port = htons((uint16_t)port);
		s->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof(*s);
	}
	struct sockaddr_in6 *s = (void *)ss;
	s->sin6_family = AF_INET6;
	s->sin6_port = htons((uint16_t)port);
	s->sin6_addr = in6addr_loopback;
	return sizeof(*s);
}

static int listener(int family, int port)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	struct sockaddr_storage ss;
	socklen_t len = loopback(family, port, &ss);
	if (bind(fd, (void *)&ss, len) != 0 || listen(fd, 4096) != 0)
		die("listen");
	return fd;
}

static void connect_to(int family, int port)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	struct sockaddr_storage ss;
	socklen_t len = loopback(family, port, &ss);
	if (connect(fd, (void *)&ss, len) != 0)
		die("connect");
}

static void udp_bound(int family)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	struct sockaddr_storage ss;
	socklen_t len = loopback(family, 0, &ss);
	if (bind(fd, (void *)&ss, len) != 0)
		die("bind udp");
}

/* Runs in the holder: `conns` connections (udp: bound UDP sockets) of each
 * family, then waits to be killed.  Reports readiness by writing one byte
 * to `ready`. */
static void hold(int index, int conns4, int conns6, bool udp, int ready)
{
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	int fams[2] = { AF_INET, AF_INET6 }, counts[2] = { conns4, conns6 };
	for (int f = 0; f < 2 && udp; f++)
		for (int i = 0; i < counts[f]; i++)
			udp_bound(fams[f]);
	for (int f = 0; f < 2 && !udp; f++) {
		int ls[LISTENERS];
		for (int k = 0; k < LISTENERS; k++)
			ls[k] = listener(fams[f], 10000 + index * 100 + f * 10 + k);
		for (int i = 0; i < counts[f]; i++) {
			connect_to(fams[f], 10000 + index * 100 + f * 10 + i % LISTENERS);
			if (accept4(ls[i % LISTENERS], NULL, NULL, SOCK_CLOEXEC) < 0)
				die("accept");
		}
	}
	char c = 1;
	if (write(ready, &c, 1) != 1)
		die("ready");
	for (;;)
		pause();
}

static void widen_port_range(void)
{
	int fd = open("/proc/sys/net/ipv4/ip_local_port_range", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "16384 65000", 11) != 11)
			fprintf(stderr, "farm: cannot widen the ephemeral port range\n");
		close(fd);
	}
}

static int start(struct farm *f, int n, bool udp)
{
	memset(f, 0, sizeof(*f));
	widen_port_range();
	/* Two descriptors per connection, one per UDP socket. */
	int per_holder = (HOLDER_FDS - 64) / (udp ? 1 : 2);
	int left4 = n / 2, left6 = n - n / 2;
	while (left4 + left6 > 0) {
		if (f->nholders == FARM_MAX_HOLDERS)
			return -1;
		/* Up to per_holder connections, half of each family while both
		 * last, then whatever family is left. */
		int take = left4 + left6 < per_holder ? left4 + left6 : per_holder;
		int c4 = left4 < take / 2 ? left4 : take / 2;
		int c6 = left6 < take - c4 ? left6 : take - c4;
		c4 = left4 < take - c6 ? left4 : take - c6;
		int pfd[2];
		if (pipe2(pfd, O_CLOEXEC) != 0)
			return -1;
		pid_t pid = fork();
		if (pid < 0)
			return -1;
		if (pid == 0) {
			close(pfd[0]);
			hold(f->nholders, c4, c6, udp, pfd[1]);
		}
		close(pfd[1]);
		char c;
		if (read(pfd[0], &c, 1) != 1) {
			close(pfd[0]);
			farm_stop(f);
			return -1;
		}
		close(pfd[0]);
		f->holders[f->nholders++] = pid;
		f->conns4 += c4;
		f->conns6 += c6;
		left4 -= c4;
		left6 -= c6;
	}
	return 0;
}

int farm_start(struct farm *f, int n)
{
	return start(f, n, false);
}

int farm_start_udp(struct farm *f, int n)
{
	return start(f, n, true);
}

void farm_stop(struct farm *f)
{
	for (int i = 0; i < f->nholders; i++)
		kill(f->holders[i], SIGKILL);
	for (int i = 0; i < f->nholders; i++)
		waitpid(f->holders[i], NULL, 0);
	f->nholders = 0;
}
