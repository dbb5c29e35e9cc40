/*
 * fixture_backend.c - the backend behind fixture_backend.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tcpmib.h"

#include "darwin.h"
#include "fixture_backend.h"
#include "dragonfly.h"
#include "freebsd.h"
#include "netbsd.h"
#include "openbsd.h"
#include "seam.h"

struct fx_state fx;

void fx_reset(void)
{
	for (size_t i = 0; i < FX_MAX_READS; i++)
		bsd_buf_free(&fx.pcb[i]);
	bsd_buf_free(&fx.pcb6);
	bsd_buf_free(&fx.files);
	bsd_buf_free(&fx.stats);
	memset(&fx, 0, sizeof(fx));
}

/* A read hands out a fresh tt_malloc copy, as the sysctl I/O does. */
static int copy_out(const struct bsd_buf *b, void **buf, size_t *len)
{
	*buf = NULL;
	*len = 0;
	if (b->len == 0)
		return 0;
	void *p = tt_malloc(b->len);
	if (!p)
		return -ENOMEM;
	memcpy(p, b->p, b->len);
	*buf = p;
	*len = b->len;
	return 0;
}

static int read_list(void *ctx, enum tt_bsd_list list, void **buf, size_t *len)
{
	(void)ctx;
	int n = fx.reads[list]++;
	if (fx.read_err[list])
		return fx.read_err[list];
	switch (list) {
	case TT_BSD_PCB:
	case TT_BSD_UDP: {
		size_t i = (size_t)n < fx.npcb ? (size_t)n : fx.npcb ? fx.npcb - 1 : 0;
		return copy_out(&fx.pcb[i], buf, len);
	}
	case TT_BSD_PCB6:
	case TT_BSD_UDP6:
		return copy_out(&fx.pcb6, buf, len);
	default:
		return copy_out(&fx.files, buf, len);
	}
}

int tt_backend_collect(const struct tt_request *req, struct tt_collector *col)
{
	const struct tt_bsd_source src = { read_list, NULL };
	switch (fx.os) {
	case FX_FREEBSD:
		return tt_fbsd_collect(&src, req, col);
	case FX_NETBSD:
		return tt_nbsd_collect(&src, req, col);
	case FX_DRAGONFLY:
		return tt_dfly_collect(&src, req, col);
	case FX_DARWIN:
		return tt_mac_collect(&src, req, col);
	default:
		return tt_obsd_collect(&src, req, col);
	}
}

int tt_backend_owners(struct tt_owner_query *q)
{
	(void)q;
	return 0;
}

/* OpenBSD: the real name lookup, on the KERN_FILE_BYPID fixture (the
 * kernel's answer for one PID is that PID's part of it). */
int tt_backend_image(uint32_t pid, struct tt_image *out)
{
	memset(out, 0, sizeof(*out));
	if (fx.os != FX_OPENBSD)
		return -EOPNOTSUPP;
	void *buf = NULL;
	size_t len = 0;
	int err = copy_out(&fx.files, &buf, &len);
	if (!err)
		err = tt_obsd_image(buf, len, pid, out);
	free(buf);
	return err;
}

/* In place of the drop nodes (tt_bsd_drop): records the call. */
static int drop_node(void *ctx, const struct tt_conn *c)
{
	(void)ctx;
	int i = fx.ndrops++;
	if (i >= FX_MAX_DROPS)
		return -EIO;
	fx.drops[i] = *c;
	return fx.drop_err[i];
}

/* FreeBSD and DragonFly have one drop node for both families; NetBSD's
 * order of nodes is the real one (tt_nbsd_destroy). */
int tt_backend_destroy(const struct tt_conn *c)
{
	const struct tt_nbsd_dropper d = { drop_node, NULL };
	if (fx.os == FX_DARWIN)
		return -EOPNOTSUPP; /* xnu has no drop node (darwin/sysctl.c) */
	if (fx.os == FX_OPENBSD) {
		/* The real request is built (and refused for a listener). */
		struct {
			uint64_t align[(1024 + 7) / 8];
		} req;
		if (ob_ident_size() > sizeof(req))
			return -EIO;
		int err = tt_obsd_drop_request(c, (struct tcp_ident_mapping *)(void *)&req);
		return err ? err : drop_node(NULL, c);
	}
	return fx.os == FX_NETBSD ? tt_nbsd_destroy(&d, c) : drop_node(NULL, c);
}

int tt_backend_tcp_mib(int family, struct tt_tcp_mib *out)
{
	(void)family;
	memset(out, 0, sizeof(*out));
	int err = fx.os == FX_FREEBSD	  ? tt_fbsd_tcp_mib(fx.stats.p, fx.stats.len, out)
		  : fx.os == FX_NETBSD    ? tt_nbsd_tcp_mib(fx.stats.p, fx.stats.len, out)
		  : fx.os == FX_DRAGONFLY ? tt_dfly_tcp_mib(fx.stats.p, fx.stats.len, out)
		  : fx.os == FX_DARWIN    ? tt_mac_tcp_mib(fx.stats.p, fx.stats.len, out)
					  : tt_obsd_tcp_mib(fx.stats.p, fx.stats.len, out);
	out->rto_algorithm = MIB_TCP_RTO_VANJ;
	out->max_conn = -1;
	return err;
}

/* UDP statistics from fx.stats where the backend reads them; elsewhere
 * GetUdpStatistics* say ERROR_NOT_SUPPORTED. */
int tt_backend_udp_mib(int family, struct tt_udp_mib *out)
{
	memset(out, 0, sizeof(*out));
	if (fx.os == FX_DRAGONFLY)
		return tt_dfly_udp_mib(fx.stats.p, fx.stats.len, out);
	if (fx.os == FX_OPENBSD)
		return tt_obsd_udp_mib(fx.stats.p, fx.stats.len, out);
	if (fx.os == FX_DARWIN)
		return tt_mac_udp_mib(fx.stats.p, fx.stats.len, out);
	if (fx.os == FX_FREEBSD)
		return tt_fbsd_udp_mib(fx.stats.p, fx.stats.len, out);
	if (fx.os == FX_NETBSD)
		return (family == AF_INET6 ? tt_nbsd_udp6_mib : tt_nbsd_udp_mib)(fx.stats.p,
										  fx.stats.len, out);
	return -EOPNOTSUPP;
}

/* FreeBSD reads its pcblist (freebsd/sysctl.c); the other BSD backends
 * have no per-connection counters. */
int tt_backend_tcp_info(const struct tt_conn *c, struct tt_tcp_info *out)
{
	const struct tt_bsd_source src = { read_list, NULL };
	return fx.os == FX_FREEBSD ? tt_fbsd_tcp_info(&src, c, out) : -EOPNOTSUPP;
}
