/*
 * procnet.c - the fallback connection source: the tcp and tcp6 files (udp
 * and udp6 for UDP) of the calling thread's network namespace
 * (/proc/thread-self/net, which is what sock_diag answers for; /proc/net is
 * the main thread's), read in fixed pieces (never the whole file at once)
 * and parsed line by line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>

#include "tcpmib.h"

#include "procfs.h"
#include "procnet.h"
#include "seam.h"
#include "sys.h"

/* Lines are about 150 bytes; a piece holds hundreds of them. */
#define PIECE ((size_t)64 * 1024)
/* One bit per port. */
#define PORT_BITMAP ((size_t)65536 / 8)

struct ctx {
	unsigned proto; /* TT_PROTO_* */
	struct tt_collector *col;
	int family;
	unsigned char *v4_listening; /* bitmap by port, while reading tcp */
	const unsigned char *v4_listeners; /* the same, while reading tcp6 */
	bool bindv6only;
};

static int on_line(const char *line, size_t len, struct ctx *x)
{
	struct tt_conn c;
	int r = tt_procnet_parse_line_as(x->proto, line, len, x->family, &c);
	if (r <= 0)
		return r;
	uint16_t port = ntohs(c.lport);
	/* A UDP socket holds its port as a TCP listener does. */
	if (x->proto == TT_PROTO_UDP || c.state == MIB_TCP_STATE_LISTEN) {
		if (x->v4_listening)
			x->v4_listening[port / 8] |= (unsigned char)(1u << (port % 8));
		/* /proc/net/tcp6 does not show IPV6_V6ONLY: a [::]:p listener
		 * takes IPv4 too unless the system default says otherwise or an
		 * IPv4 listener holds port p (the usual reason for V6ONLY). */
		if (x->family == AF_INET6 && tt_addr6_is_unspecified(c.laddr) && !x->bindv6only &&
		    !(x->v4_listeners && (x->v4_listeners[port / 8] & (1u << (port % 8)))))
			c.flags |= TT_CONN_DUALSTACK;
	}
	return tt_collector_add(x->col, &c);
}

/* Feeds every line of file name under directory dir to on_line. */
static int read_lines(int dir, const char *name, char *buf, struct ctx *x)
{
	int fd = tt_sys_openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return tt_procfs_error(errno);
	size_t len = 0;
	int err = 0;
	for (;;) {
		ssize_t n = tt_sys_read(fd, buf + len, PIECE - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = tt_procfs_error(errno);
			break;
		}
		if (n == 0) {
			if (len)
				err = on_line(buf, len, x); /* a last line without newline */
			break;
		}
		len += (size_t)n;
		size_t start = 0;
		const char *nl;
		while (!err && (nl = memchr(buf + start, '\n', len - start)) != NULL) {
			err = on_line(buf + start, (size_t)(nl - (buf + start)), x);
			start = (size_t)(nl - buf) + 1;
		}
		if (err)
			break;
		memmove(buf, buf + start, len - start);
		len -= start;
		if (len == PIECE) {
			err = -EBADMSG; /* a line longer than a piece is not from the kernel */
			break;
		}
	}
	close(fd);
	return err;
}

/* net.ipv6.bindv6only of the calling thread's namespace: /proc/sys/net
 * shows the namespace of the thread that opens it.  A namespace without
 * IPv6 has no such file and no tcp6 either; a file that cannot be read for
 * another reason leaves the kernel's default, 0.  A shortage of
 * descriptors or memory fails: guessing could add wrong rows. */
static int read_bindv6only(bool *on)
{
	char v[8];
	ssize_t n = tt_procfs_read(AT_FDCWD, "/proc/sys/net/ipv6/bindv6only", v, sizeof(v));
	if (n == -ENOMEM)
		return -ENOMEM;
	*on = n > 0 && v[0] == '1';
	return 0;
}

static int collect(int dir, const struct tt_request *req, char *buf, struct tt_collector *col)
{
	unsigned char *ports = (unsigned char *)buf + PIECE;
	memset(ports, 0, PORT_BITMAP);
	struct ctx x = { .proto = req->proto, .col = col };
	bool udp = req->proto == TT_PROTO_UDP;
	int err = 0;
	if (req->table & TT_TABLE_V4) {
		x.family = AF_INET;
		x.v4_listening = ports;
		err = read_lines(dir, udp ? "udp" : "tcp", buf, &x);
		x.v4_listening = NULL;
		x.v4_listeners = ports;
		if (!err)
			err = read_bindv6only(&x.bindv6only);
	}
	if (!err) {
		x.family = AF_INET6;
		err = read_lines(dir, udp ? "udp6" : "tcp6", buf, &x);
		/* Without IPv6 there is no tcp6: an IPv4 table is still whole. */
		if (err == -ENOENT && (req->table & TT_TABLE_V4))
			err = 0;
	}
	return err;
}

int tt_procnet_collect(const struct tt_request *req, struct tt_collector *col)
{
	char *buf = tt_malloc(PIECE + PORT_BITMAP);
	if (!buf)
		return -ENOMEM;
	int dir = tt_procfs_net_dir();
	int err = dir < 0 ? dir : collect(dir, req, buf, col);
	if (dir >= 0)
		close(dir);
	free(buf);
	return err;
}
