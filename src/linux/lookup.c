/*
 * lookup.c - see lookup.h.  The kernel's own lookup by 4-tuple (the one
 * SOCK_DESTROY runs without a cookie) falls back to listeners the way an
 * incoming SYN would; a dump with an exact filter does not.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>

#include "diag.h"
#include "lookup.h"

struct lookup_ctx {
	struct tt_lookup *q;
	unsigned base; /* sockets found by the dumps before this one */
};

/* A restarted dump counts its own sockets again; the first identity found
 * is kept unless this dump gave it. */
static void lookup_begin(void *data)
{
	struct lookup_ctx *ctx = data;
	ctx->q->found = ctx->base;
}

static int lookup_msg(void *data, const void *payload, size_t len)
{
	struct lookup_ctx *ctx = data;
	struct tt_lookup *q = ctx->q;
	struct inet_diag_msg m;
	int r = tt_diag_match(q->row, payload, len, &m);
	if (r <= 0)
		return r;
	if (q->found++ == 0) {
		q->family = m.idiag_family;
		q->state = m.idiag_state;
		q->id = m.id;
	}
	return q->reply ? q->reply(q->data, payload, len) : 0;
}

/* The kernel's own lookup of the row's 4-tuple, by hash: an IPv4 row's
 * request also finds a dual-stack socket holding it v4-mapped (such
 * connections are hashed by their IPv4 addresses).  Its answer is checked
 * as a dump's is, so a listener it falls back to never counts. */
static int lookup_hashed(struct tt_diag_sock *s, struct tt_lookup *q,
			 const struct tt_diag_reader *rd)
{
	const struct tt_conn *row = q->row;
	struct inet_diag_sockid id;
	memset(&id, 0, sizeof(id));
	size_t alen = row->family == AF_INET ? 4 : 16;
	memcpy(id.idiag_src, row->laddr, alen);
	memcpy(id.idiag_dst, row->raddr, alen);
	id.idiag_sport = row->lport;
	id.idiag_dport = row->rport;
	id.idiag_if = row->lscope;
	id.idiag_cookie[0] = id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	return tt_diag_get(s, row->family, q->ext, &id, rd);
}

int tt_lookup_exact(struct tt_diag_sock *s, struct tt_lookup *q)
{
	unsigned char filter[TT_DIAG_FILTER_MAX];
	size_t flen = tt_diag_tuple_filter(filter, q->row);
	uint32_t states = tt_diag_state_mask(TT_STATES_CONNECTIONS);
	struct lookup_ctx ctx = { q, 0 };
	const struct tt_diag_reader rd = { lookup_begin, lookup_msg, &ctx };
	q->found = 0;
	int err = 0;
	if (q->first_only) {
		/* Any failure, -ENOENT included, leaves it to the dumps. */
		if (lookup_hashed(s, q, &rd) == 0 && q->found > 0)
			return 0;
		q->found = 0;
	}
	if (q->row->family == AF_INET) {
		err = tt_diag_dump(s, IPPROTO_TCP, AF_INET, states, q->ext, filter, flen, &rd);
		ctx.base = q->found;
	}
	if (!err)
		err = tt_diag_dump(s, IPPROTO_TCP, AF_INET6, states, q->ext, filter, flen, &rd);
	return err;
}
