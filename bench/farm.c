/*
 * farm.c - a connection farm for the benchmarks: N established loopback
 * connections (half IPv4, half IPv6) plus their listeners, both ends held
 * by holder processes of at most HOLDER_FDS descriptors each, in the
 * caller's (private) network namespace.  Or a listener farm: N listeners,
 * on one port (SO_REUSEPORT) or on N ports.  Or a UDP farm: N bound UDP
 * sockets, held the same way.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
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

static int listener(int family, int port, bool reuseport)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0)
		die("SO_REUSEPORT");
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

static void raise_fd_limit(void)
{
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}

/* The end of every holder: reports readiness by writing one byte to
 * `ready`, then waits to be killed. */
_Noreturn static void hold_on(int ready)
{
	char c = 1;
	if (write(ready, &c, 1) != 1)
		die("ready");
	for (;;)
		pause();
}

/* Runs in the holder: `conns` connections of each family. */
_Noreturn static void hold(int index, int conns4, int conns6, int ready)
{
	raise_fd_limit();
	int fams[2] = { AF_INET, AF_INET6 }, counts[2] = { conns4, conns6 };
	for (int f = 0; f < 2; f++) {
		int ls[LISTENERS];
		for (int k = 0; k < LISTENERS; k++)
			ls[k] = listener(fams[f], 10000 + index * 100 + f * 10 + k, false);
		for (int i = 0; i < counts[f]; i++) {
			connect_to(fams[f], 10000 + index * 100 + f * 10 + i % LISTENERS);
			if (accept4(ls[i % LISTENERS], NULL, NULL, SOCK_CLOEXEC) < 0)
				die("accept");
		}
	}
	hold_on(ready);
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

/* Runs in the holder: `n4` and `n6` bound UDP sockets. */
_Noreturn static void hold_udp(int n4, int n6, int ready)
{
	raise_fd_limit();
	for (int i = 0; i < n4; i++)
		udp_bound(AF_INET);
	for (int i = 0; i < n6; i++)
		udp_bound(AF_INET6);
	hold_on(ready);
}

/* Runs in the holder: n IPv4 listeners, all on LISTEN_PORT or on n ports
 * from there. */
#define LISTEN_PORT 20000
_Noreturn static void hold_listeners(int n, bool one_port, int ready)
{
	raise_fd_limit();
	for (int i = 0; i < n; i++)
		listener(AF_INET, LISTEN_PORT + (one_port ? 0 : i), one_port);
	hold_on(ready);
}

/* What one holder holds: conns4 + conns6 connections (udp: bound UDP
 * sockets), or (listeners > 0) that many listeners. */
struct job {
	int conns4, conns6;
	bool udp;
	int listeners;
	bool one_port;
};

/* Forks a holder for job and waits until it is ready. */
static int spawn(struct farm *f, const struct job *job)
{
	if (f->nholders == FARM_MAX_HOLDERS)
		return -1;
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) != 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pfd[0]);
		if (job->listeners)
			hold_listeners(job->listeners, job->one_port, pfd[1]);
		if (job->udp)
			hold_udp(job->conns4, job->conns6, pfd[1]);
		hold(f->nholders, job->conns4, job->conns6, pfd[1]);
	}
	close(pfd[1]);
	char c;
	ssize_t got = read(pfd[0], &c, 1);
	close(pfd[0]);
	f->holders[f->nholders++] = pid;
	if (got != 1) {
		farm_stop(f);
		return -1;
	}
	return 0;
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
		/* Up to per_holder connections, half of each family while both
		 * last, then whatever family is left. */
		int take = left4 + left6 < per_holder ? left4 + left6 : per_holder;
		int c4 = left4 < take / 2 ? left4 : take / 2;
		int c6 = left6 < take - c4 ? left6 : take - c4;
		c4 = left4 < take - c6 ? left4 : take - c6;
		struct job job = { .conns4 = c4, .conns6 = c6, .udp = udp };
		if (spawn(f, &job) != 0)
			return -1;
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

int farm_listeners(struct farm *f, int n, bool one_port)
{
	memset(f, 0, sizeof(*f));
	if (n < 1 || n > HOLDER_FDS - 64 || (!one_port && LISTEN_PORT + n > 65536))
		return -1;
	struct job job = { .listeners = n, .one_port = one_port };
	return spawn(f, &job);
}

void farm_stop(struct farm *f)
{
	for (int i = 0; i < f->nholders; i++)
		kill(f->holders[i], SIGKILL);
	for (int i = 0; i < f->nholders; i++)
		waitpid(f->holders[i], NULL, 0);
	f->nholders = 0;
}
