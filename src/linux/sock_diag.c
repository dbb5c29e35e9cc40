/*
 * sock_diag.c - the Linux connection source: one NETLINK_SOCK_DIAG dump per
 * address family and protocol (TCP or UDP), messages walked with libmnl and
 * decoded by diag_decode.c.
 * Also the netlink conversation itself (diag_sock.h), which the exact lookup
 * and SOCK_DESTROY share.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <libmnl/libmnl.h>

#include "backend.h"
#include "diag.h"
#include "diag_sock.h"
#include "procnet.h"
#include "seam.h"
#include "sys.h"

/* The dump buffer iproute2 uses; the kernel never builds larger dump
 * messages for plain TCP or UDP dumps (MNL_SOCKET_DUMP_SIZE in newer libmnl). */
#define RECV_SIZE 32768
/* A dump interrupted by a change (NLM_F_DUMP_INTR) or an overrun receive
 * queue (ENOBUFS) is restarted from scratch, this many times at most. */
#define MAX_RESTARTS 5
/* Signals interrupting recvmsg() are retried this many times per dump. */
#define MAX_EINTR 64

static int diag_connect(struct tt_diag_sock *s)
{
	s->fd = tt_sys_socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (s->fd < 0)
		return -errno;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t len = sizeof(sa);
	if (tt_sys_bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(s->fd, (struct sockaddr *)&sa, &len) < 0) {
		int err = -errno;
		close(s->fd);
		s->fd = -1;
		return err;
	}
	s->portid = sa.nl_pid;
	return 0;
}

static void diag_disconnect(struct tt_diag_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

int tt_diag_open(struct tt_diag_sock *s)
{
	s->fd = -1;
	s->portid = 0;
	s->seq = 0;
	s->buf = tt_malloc(RECV_SIZE);
	if (!s->buf)
		return -ENOMEM;
	int err = diag_connect(s);
	if (err) {
		free(s->buf);
		s->buf = NULL;
	}
	return err;
}

void tt_diag_close(struct tt_diag_sock *s)
{
	diag_disconnect(s);
	free(s->buf);
	s->buf = NULL;
}

/* Sends one request to the kernel under the next sequence number. */
static int send_to_kernel(struct tt_diag_sock *s, struct nlmsghdr *nlh)
{
	nlh->nlmsg_seq = ++s->seq;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n;
	do
		n = tt_sys_sendto(s->fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *)&kernel,
				  sizeof(kernel));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == (ssize_t)nlh->nlmsg_len ? 0 : -EIO;
}

/* One datagram from the kernel; datagrams from anyone else are dropped. */
static ssize_t recv_kernel(struct tt_diag_sock *s, unsigned *eintr)
{
	for (;;) {
		struct sockaddr_nl from;
		struct iovec iov = { s->buf, RECV_SIZE };
		struct msghdr msg = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
		};
		ssize_t n = tt_sys_recvmsg(s->fd, &msg, 0);
		if (n < 0) {
			if (errno == EINTR && ++*eintr < MAX_EINTR)
				continue;
			return -errno;
		}
		if (msg.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		if (msg.msg_namelen != sizeof(from) || from.nl_pid != 0)
			continue;
		return n;
	}
}

struct talk_ctx {
	const struct tt_diag_reader *rd; /* NULL: no data messages expected */
	int err;
};

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk_ctx *ctx = data;
	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY || !ctx->rd)
		return MNL_CB_OK;
	int r = ctx->rd->msg(ctx->rd->data, mnl_nlmsg_get_payload(nlh),
			     mnl_nlmsg_get_payload_len(nlh));
	if (r < 0) {
		ctx->err = r;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* NLMSG_DONE carries the dump's own result: a negative errno when the
 * kernel failed part-way (libmnl's default handler ignores it). */
static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk_ctx *ctx = data;
	int status = 0;
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(status))
		memcpy(&status, mnl_nlmsg_get_payload(nlh), sizeof(status));
	if (status < 0) {
		ctx->err = status;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

/* An error for the request, or (error 0) the acknowledgement that ends a
 * request sent with NLM_F_ACK. */
static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk_ctx *ctx = data;
	struct nlmsgerr e;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(e)) {
		ctx->err = -EBADMSG;
		return MNL_CB_ERROR;
	}
	memcpy(&e, mnl_nlmsg_get_payload(nlh), sizeof(e));
	if (e.error == 0)
		return MNL_CB_STOP;
	ctx->err = e.error < 0 ? e.error : -EPROTO;
	return MNL_CB_ERROR;
}

/* Not const: libmnl takes a non-const array. */
static mnl_cb_t ctl_cb[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
};

/* A datagram holds whole messages and nothing else; anything left over is
 * a message cut short, whose rows would otherwise be lost silently.  Only
 * datagrams that pass this are handed to libmnl's walk. */
static bool whole_messages(const unsigned char *buf, size_t len)
{
	size_t at = 0;
	const struct nlmsghdr *h;
	int r;
	while ((r = tt_nl_next(buf, len, &at, &h)) > 0)
		;
	return r == 0;
}

/* Sends req and reads the answer to its end (NLMSG_DONE, the ACK, or an
 * error), handing data messages to rd.  -EINTR means the kernel flagged a
 * dump as interrupted, -ENOBUFS that messages were lost. */
static int talk(struct tt_diag_sock *s, struct nlmsghdr *req, const struct tt_diag_reader *rd)
{
	int err = send_to_kernel(s, req);
	if (err)
		return err;
	struct talk_ctx ctx = { rd, 0 };
	unsigned eintr = 0;
	for (;;) {
		ssize_t n = recv_kernel(s, &eintr);
		if (n < 0)
			return (int)n;
		if (!whole_messages(s->buf, (size_t)n))
			return -EBADMSG;
		errno = 0;
		int r = mnl_cb_run2(s->buf, (size_t)n, s->seq, s->portid, data_cb, &ctx, ctl_cb,
				    NLMSG_MIN_TYPE);
		if (r == MNL_CB_ERROR)
			return ctx.err ? ctx.err : (errno ? -errno : -EPROTO);
		if (r == MNL_CB_STOP)
			return 0;
	}
}

int tt_diag_ack(struct tt_diag_sock *s, struct nlmsghdr *req)
{
	req->nlmsg_flags |= NLM_F_ACK;
	return talk(s, req, NULL);
}

int tt_diag_get(struct tt_diag_sock *s, int family, uint8_t ext, const struct inet_diag_sockid *id,
		const struct tt_diag_reader *rd)
{
	unsigned char req[NLMSG_SPACE(sizeof(struct inet_diag_req_v2))];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	/* The answer is the socket's message, then the acknowledgement. */
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	struct inet_diag_req_v2 *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
	r->sdiag_family = (uint8_t)family;
	r->sdiag_protocol = IPPROTO_TCP;
	r->idiag_ext = ext;
	r->id = *id;
	rd->begin(rd->data);
	return talk(s, nlh, rd);
}

/* Restarts on a fresh socket, so that nothing of the abandoned attempt is
 * left in the receive queue. */
int tt_diag_dump(struct tt_diag_sock *s, uint8_t protocol, int family, uint32_t states,
		 uint8_t ext, const void *filter, size_t flen, const struct tt_diag_reader *rd)
{
	if (flen > TT_DIAG_FILTER_MAX)
		return -EINVAL;
	unsigned char req[NLMSG_SPACE(sizeof(struct inet_diag_req_v2)) +
			  MNL_ATTR_HDRLEN + TT_DIAG_FILTER_MAX];
	for (unsigned attempt = 0;; attempt++) {
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
		nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		struct inet_diag_req_v2 *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
		r->sdiag_family = (uint8_t)family;
		r->sdiag_protocol = protocol;
		r->idiag_ext = ext;
		r->idiag_states = states;
		if (filter)
			mnl_attr_put(nlh, INET_DIAG_REQ_BYTECODE, flen, filter);
		rd->begin(rd->data);
		int err = talk(s, nlh, rd);
		if (err != -EINTR && err != -ENOBUFS)
			return err;
		diag_disconnect(s);
		if (attempt + 1 >= MAX_RESTARTS)
			return -EAGAIN;
		err = diag_connect(s);
		if (err)
			return err;
	}
}

/* ---- The table: every socket of the wanted kinds into the collector. */

struct collect_ctx {
	unsigned proto; /* TT_PROTO_* */
	struct tt_collector *col;
	size_t mark; /* where this family's rows begin */
};

static void collect_begin(void *data)
{
	struct collect_ctx *ctx = data;
	tt_collector_rewind(ctx->col, ctx->mark);
}

static int collect_msg(void *data, const void *payload, size_t len)
{
	struct collect_ctx *ctx = data;
	struct tt_conn c;
	int r = tt_diag_decode_as(ctx->proto, payload, len, &c);
	if (r > 0)
		r = tt_collector_add(ctx->col, &c);
	return r < 0 ? r : 0;
}

/* Dumps one family's sockets of protocol proto (TT_PROTO_*) into col. */
static int dump_family(struct tt_diag_sock *s, unsigned proto, int family, uint32_t states,
		       const void *filter, size_t flen, struct tt_collector *col)
{
	struct collect_ctx ctx = { proto, col, tt_collector_mark(col) };
	const struct tt_diag_reader rd = { collect_begin, collect_msg, &ctx };
	uint8_t protocol = proto == TT_PROTO_UDP ? IPPROTO_UDP : IPPROTO_TCP;
	return tt_diag_dump(s, protocol, family, states, 0, filter, flen, &rd);
}

static int collect_diag(const struct tt_request *req, struct tt_collector *col)
{
	struct tt_diag_sock s;
	int err = tt_diag_open(&s);
	if (err)
		return err;
	uint32_t states = tt_diag_proto_state_mask(req->proto, req->states);
	/* IPv4 rows also come from IPv6 sockets: v4-mapped sockets and
	 * dual-stack listeners (UDP: any socket on [::]) live in the AF_INET6
	 * dump.  For an IPv4 table the kernel is asked for those alone. */
	unsigned char filter[TT_DIAG_FILTER_MAX];
	size_t flen = 0;
	if (req->table & TT_TABLE_V4) {
		err = dump_family(&s, req->proto, AF_INET, states, NULL, 0, col);
		flen = tt_diag_v4_filter(filter);
	}
	if (!err)
		err = dump_family(&s, req->proto, AF_INET6, states, flen ? filter : NULL, flen,
				  col);
	tt_diag_close(&s);
	return err;
}

/* sock_diag when it answers, else the tcp{,6} or udp{,6} files of /proc: a
 * kernel without the inet_diag module, a sandbox that refuses netlink sockets, or a dump that
 * failed part-way all leave the caller with the same rows.  Only running
 * out of memory is not worth a second try. */
int tt_backend_collect(const struct tt_request *req, struct tt_collector *col)
{
	int err = collect_diag(req, col);
	if (err == 0 || err == -ENOMEM)
		return err;
	tt_collector_rewind(col, 0);
	return tt_procnet_collect(req, col);
}
