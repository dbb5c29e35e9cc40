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

int tt_lookup_exact(struct tt_diag_sock *s, struct tt_lookup *q)
{
	unsigned char filter[TT_DIAG_FILTER_MAX];
	size_t flen = tt_diag_tuple_filter(filter, q->row);
	uint32_t states = tt_diag_state_mask(TT_STATES_CONNECTIONS);
	struct lookup_ctx ctx = { q, 0 };
	const struct tt_diag_reader rd = { lookup_begin, lookup_msg, &ctx };
	q->found = 0;
	int err = 0;
	if (q->row->family == AF_INET) {
		err = tt_diag_dump(s, IPPROTO_TCP, AF_INET, states, q->ext, filter, flen, &rd);
		ctx.base = q->found;
	}
	if (!err)
		err = tt_diag_dump(s, IPPROTO_TCP, AF_INET6, states, q->ext, filter, flen, &rd);
	return err;
}
