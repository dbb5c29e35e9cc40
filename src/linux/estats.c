/*
 * estats.c - Get/SetPer…EStats' kernel side: the exact lookup (lookup.c),
 * one sock_diag request filtered in the kernel to the row's 4-tuple, asking
 * for INET_DIAG_INFO; the reply of the socket found is decoded by
 * estats_decode.c.  No need to own the socket: the kernel gives tcp_info to
 * any caller.
 */
#include <errno.h>
#include <string.h>
#include <linux/inet_diag.h>

#include "backend.h"
#include "diag.h"
#include "diag_sock.h"
#include "lookup.h"

struct info_ctx {
	const struct tt_lookup *q;
	struct tt_tcp_info *out;
	int err;
};

/* Keeps the counters of the socket the lookup reports first (q->id, set
 * before this is called): several sockets share a 4-tuple only when bound
 * to different devices (VRFs), which a row cannot tell apart.  A restarted
 * dump offers it again, with fresher counters. */
static int info_reply(void *data, const void *payload, size_t len)
{
	struct info_ctx *ctx = data;
	struct inet_diag_msg m;
	memcpy(&m, payload, sizeof(m)); /* the lookup checked the length */
	if (memcmp(m.id.idiag_cookie, ctx->q->id.idiag_cookie, sizeof(m.id.idiag_cookie)) != 0)
		return 0;
	ctx->err = tt_diag_tcp_info(payload, len, ctx->out);
	return 0;
}

int tt_backend_tcp_info(const struct tt_conn *c, struct tt_tcp_info *out)
{
	struct tt_diag_sock s;
	int err = tt_diag_open(&s);
	if (err)
		return err == -ENOMEM ? err : -EOPNOTSUPP;
	struct tt_lookup q;
	struct info_ctx ctx = { &q, out, 0 };
	q = (struct tt_lookup){
		.row = c,
		.ext = 1u << (INET_DIAG_INFO - 1),
		.reply = info_reply,
		.data = &ctx,
		.first_only = true,
	};
	err = tt_lookup_exact(&s, &q);
	tt_diag_close(&s);
	if (err)
		return err;
	if (q.found == 0)
		return -ENOENT;
	return ctx.err;
}
