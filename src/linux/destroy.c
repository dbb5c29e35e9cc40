/*
 * destroy.c - SetTcpEntry's kernel side: the exact lookup (lookup.c), then
 * SOCK_DESTROY over sock_diag for the socket found, named by the cookie the
 * lookup returned (needs CAP_NET_ADMIN and a kernel built with
 * CONFIG_INET_DIAG_DESTROY).  Without a cookie the kernel would look the
 * 4-tuple up the way an incoming SYN does and fall back to a listener; with
 * it, a socket gone since the lookup gives -ESTALE or -ENOENT, never
 * another socket.
 */
#include <errno.h>
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
#include "lookup.h"

struct nlmsghdr *tt_destroy_request(void *buf, uint8_t family, const struct inet_diag_sockid *id)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DESTROY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	struct inet_diag_req_v2 *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
	r->sdiag_family = family;
	r->sdiag_protocol = IPPROTO_TCP;
	r->idiag_states = tt_diag_state_mask(TT_STATES_CONNECTIONS);
	r->id = *id;
	return nlh;
}

int tt_backend_destroy(const struct tt_conn *c)
{
	struct tt_diag_sock s;
	int err = tt_diag_open(&s);
	if (err)
		return err == -ENOMEM ? err : -EOPNOTSUPP;
	struct tt_lookup q = { .row = c };
	err = tt_lookup_exact(&s, &q);
	/* Several sockets share a 4-tuple only when bound to different devices
	 * (VRFs); an IPv4 row cannot tell them apart, so it names them all.
	 * Each is destroyed by its own identity, found afresh. */
	unsigned destroyed = 0;
	for (unsigned bound = q.found; !err && q.found > 0 && destroyed < bound;) {
		unsigned char req[TT_DESTROY_REQUEST_SIZE];
		err = tt_diag_ack(&s, tt_destroy_request(req, q.family, &q.id));
		if (err)
			break;
		destroyed++;
		if (q.found == 1)
			break;
		err = tt_lookup_exact(&s, &q);
	}
	tt_diag_close(&s);
	if (destroyed)
		return 0;
	return err ? err : -ENOENT;
}
