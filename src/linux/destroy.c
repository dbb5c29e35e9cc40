/*
 * destroy.c - SetTcpEntry's kernel side: SOCK_DESTROY over sock_diag (needs
 * CAP_NET_ADMIN and a kernel built with CONFIG_INET_DIAG_DESTROY).  The
 * kernel looks the socket up by its 4-tuple the way an incoming packet
 * would, so an IPv4 request also finds a connection held by a dual-stack
 * IPv6 socket as ::ffff:a.b.c.d.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <libmnl/libmnl.h>

#include "backend.h"
#include "diag.h"
#include "sys.h"

/* Builds the SOCK_DESTROY request for c into buf (pure). */
static struct nlmsghdr *destroy_request(void *buf, const struct tt_conn *c)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DESTROY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = 1;
	struct inet_diag_req_v2 *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
	r->sdiag_family = c->family;
	r->sdiag_protocol = IPPROTO_TCP;
	r->idiag_states = tt_diag_state_mask(TT_STATES_ALL);
	size_t alen = c->family == AF_INET ? 4 : 16;
	memcpy(r->id.idiag_src, c->laddr, alen);
	memcpy(r->id.idiag_dst, c->raddr, alen);
	r->id.idiag_sport = c->lport;
	r->id.idiag_dport = c->rport;
	r->id.idiag_if = c->lscope;
	r->id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	r->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	return nlh;
}

int tt_backend_destroy(const struct tt_conn *c)
{
	unsigned char req[NLMSG_SPACE(sizeof(struct inet_diag_req_v2))];
	struct nlmsghdr *nlh = destroy_request(req, c);
	int fd = tt_sys_socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -EOPNOTSUPP;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	int err = 0;
	if (tt_sys_sendto(fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *)&kernel,
			  sizeof(kernel)) != (ssize_t)nlh->nlmsg_len)
		err = -errno;
	/* The answer is one NLMSG_ERROR: 0 on success (the ACK), else -errno. */
	unsigned char ans[1024];
	while (!err) {
		struct sockaddr_nl from;
		struct iovec iov = { ans, sizeof(ans) };
		struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof(from),
				      .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n = tt_sys_recvmsg(fd, &msg, 0);
		if (n < 0) {
			if (errno != EINTR)
				err = -errno;
			continue;
		}
		if (from.nl_pid != 0)
			continue;
		const struct nlmsghdr *a = (const void *)ans;
		struct nlmsgerr e;
		if (!mnl_nlmsg_ok(a, (int)n) || a->nlmsg_type != NLMSG_ERROR ||
		    mnl_nlmsg_get_payload_len(a) < sizeof(e)) {
			err = -EBADMSG;
			break;
		}
		memcpy(&e, mnl_nlmsg_get_payload(a), sizeof(e));
		err = e.error > 0 ? -EPROTO : e.error;
		break;
	}
	close(fd);
	return err;
}
