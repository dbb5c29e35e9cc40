/*
 * io.c - see io.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <netinet/in.h>

#include "io.h"
#include "seam.h"

/* Each attempt at least doubles the buffer; lists grow by a fraction
 * between two calls, so more attempts only happen under extreme churn. */
#define READ_ATTEMPTS 8

/* xnu declares sysctl() with a non-const MIB; the others with a const one.
 * None writes to it. */
#define SYSCTL_MIB(mib) ((int *)(uintptr_t)(mib))

int tt_bsd_sysctl_read(const int *mib, unsigned miblen, void **buf, size_t *len)
{
	*buf = NULL;
	*len = 0;
	size_t want = 0;
	if (sysctl(SYSCTL_MIB(mib), miblen, NULL, &want, NULL, 0) != 0)
		return errno == ENOENT ? 0 : -errno;
	for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
		/* Room for what was created since the size was taken. */
		if (want > SIZE_MAX / 4)
			return -ENOMEM;
		size_t cap = want + want / 8 + 4096;
		void *p = tt_malloc(cap);
		if (!p)
			return -ENOMEM;
		size_t got = cap;
		if (sysctl(SYSCTL_MIB(mib), miblen, p, &got, NULL, 0) == 0) {
			*buf = p;
			*len = got;
			return 0;
		}
		int err = errno;
		free(p);
		if (err == ENOENT)
			return 0;
		if (err != ENOMEM)
			return -err;
		if (cap > SIZE_MAX / 4)
			return -ENOMEM;
		want = got > 2 * cap ? got : 2 * cap;
	}
	return -EAGAIN;
}

static void endpoint(struct sockaddr_storage *ss, int family, const uint8_t *addr, uint16_t port,
		     uint32_t zone)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_len = sizeof(*sin);
		sin->sin_family = AF_INET;
		sin->sin_port = port;
		memcpy(&sin->sin_addr, addr, 4);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
		sin6->sin6_len = sizeof(*sin6);
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = port;
		memcpy(&sin6->sin6_addr, addr, 16);
		sin6->sin6_scope_id = tt_addr6_needs_scope(addr) ? zone : 0;
	}
}

int tt_bsd_read_path(const int *mib, unsigned miblen, struct tt_image *out)
{
	char *path = NULL;
	size_t len = 0;
	int err = tt_bsd_sysctl_read(mib, miblen, (void **)&path, &len);
	if (err)
		return err == -EPERM ? -EACCES : err;
	if (!path || len == 0 || path[len - 1] != '\0' || len - 1 != strlen(path)) {
		free(path);
		return -EIO;
	}
	out->path = path;
	out->len = len - 1;
	return 0;
}

int tt_bsd_drop(const int *mib, unsigned miblen, const struct tt_conn *c)
{
	/* Listener rows never get here (src/common/set_entry.c): the drop
	 * nodes look up connections only, and FreeBSD would report success
	 * for a listener it leaves alone. */
	struct sockaddr_storage addrs[2];
	endpoint(&addrs[0], c->family, c->raddr, c->rport, c->rscope ? c->rscope : c->lscope);
	endpoint(&addrs[1], c->family, c->laddr, c->lport, c->lscope);
	if (sysctl(SYSCTL_MIB(mib), miblen, NULL, NULL, addrs, sizeof(addrs)) == 0)
		return 0;
	return tt_bsd_drop_error(errno);
}

int tt_bsd_drop_error(int errnum)
{
	switch (errnum) {
	case ESRCH:
		return -ENOENT;
	case EPERM:
	case EACCES:
		return -EPERM;
	default:
		return -errnum;
	}
}

int tt_bsd_tcp_counters(const int *mib, unsigned miblen,
			int (*map)(const void *buf, size_t len, struct tt_tcp_mib *out),
			struct tt_tcp_mib *out)
{
	void *buf = NULL;
	size_t len = 0;
	int err = tt_bsd_sysctl_read(mib, miblen, &buf, &len);
	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	err = map(buf, len, out);
	free(buf);
	return err;
}

int tt_bsd_udp_counters(const int *mib, unsigned miblen,
			int (*map)(const void *buf, size_t len, struct tt_udp_mib *out),
			struct tt_udp_mib *out)
{
	void *buf = NULL;
	size_t len = 0;
	int err = tt_bsd_sysctl_read(mib, miblen, &buf, &len);
	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	err = map(buf, len, out);
	free(buf);
	return err;
}
