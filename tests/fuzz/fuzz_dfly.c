/*
 * fuzz_dfly.c - the DragonFly walkers (src/bsd/dragonfly/walker.c, on the
 * transcribed records) on arbitrary bytes; see bsd_fuzz.h.  The PCB part
 * is walked as a TCP list there and as a UDP list here, and the whole
 * input is also taken as the UDP counters.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "bsd_fuzz.h"
#include "dragonfly.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A copy that is not whole records is refused, never walked. */
static void check(const uint8_t *pcbs, size_t plen, int walk_err)
{
	(void)pcbs;
	if (plen % 1096 != 0 && walk_err == 0) /* 1096: sizeof(struct xtcpcb) */
		abort();
}

static int walk_tcp(const void *buf, size_t len, const struct tt_bsd_owner *owners, size_t n,
		    struct tt_collector *col)
{
	return tt_dfly_pcblist_walk(buf, len, TT_PROTO_TCP, owners, n, col);
}

/* The UDP walk: whole xinpcb records or refused; bound sockets of a known
 * family, without state. */
static void walk_udp(const uint8_t *data, size_t size)
{
	struct tt_udp_mib mib;
	(void)tt_dfly_udp_mib(data, size, &mib);
	if (size < 4)
		return;
	size_t plen = (size_t)data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16 |
		      (size_t)data[3] << 24;
	if (plen > size - 4)
		plen = size - 4;
	struct tt_collector col = { 0 };
	int err = tt_dfly_pcblist_walk(data + 4, plen, TT_PROTO_UDP, NULL, 0, &col);
	if (plen % 472 != 0 && err == 0) /* 472: sizeof(struct xinpcb) */
		abort();
	for (size_t i = 0; i < col.n; i++) {
		const struct tt_conn *c = &col.conns[i];
		if (c->family != AF_INET && c->family != AF_INET6)
			abort();
		if (c->state != 0 || c->lport == 0 || (c->flags & TT_CONN_PID_KNOWN))
			abort();
	}
	capture_free(&col);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct bsd_fuzz_ops ops = {
		{ tt_dfly_files_max, tt_dfly_files_owners },
		walk_tcp,
		tt_dfly_tcp_mib,
		check,
	};
	bsd_fuzz_run(&ops, data, size);
	walk_udp(data, size);
	return 0;
}
