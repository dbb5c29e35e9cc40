/*
 * fuzz_darwin.c - the macOS walkers (src/bsd/darwin/walker.c: the
 * pcblist_n stream, the libproc socket records, tcpstat) on arbitrary
 * bytes; see bsd_fuzz.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "bsd_fuzz.h"
#include "darwin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A walk only succeeds on a well-framed list. */
static void check(const uint8_t *pcbs, size_t plen, int walk_err)
{
	int framing = tt_mac_pcblist_check(pcbs, plen);
	if (walk_err == 0 && framing != 0 && framing != -EAGAIN)
		abort();
}

static int walk_tcp(const void *buf, size_t len, const struct tt_bsd_owner *owners, size_t n,
		    struct tt_collector *col)
{
	return tt_mac_pcblist_walk(buf, len, TT_PROTO_TCP, owners, n, col);
}

/* The PCB part walked as a UDP list too (bsd_fuzz.h's checks are TCP's):
 * a success only on a well-framed list, bound stateless sockets only. */
static void walk_udp(const uint8_t *data, size_t size)
{
	struct tt_udp_mib mib;
	(void)tt_mac_udp_mib(data, size, &mib);
	if (size < 4)
		return;
	size_t plen = (size_t)data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16 |
		      (size_t)data[3] << 24;
	if (plen > size - 4)
		plen = size - 4;
	struct tt_collector col = { 0 };
	int err = tt_mac_pcblist_walk(data + 4, plen, TT_PROTO_UDP, NULL, 0, &col);
	check(data + 4, plen, err);
	for (size_t i = 0; i < col.n; i++) {
		const struct tt_conn *c = &col.conns[i];
		if (c->family != AF_INET && c->family != AF_INET6)
			abort();
		if (c->state != 0 || c->lport == 0)
			abort();
	}
	capture_free(&col);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct bsd_fuzz_ops ops = {
		{ tt_mac_files_max, tt_mac_files_owners },
		walk_tcp,
		tt_mac_tcp_mib,
		check,
	};
	bsd_fuzz_run(&ops, data, size);
	walk_udp(data, size);
	return 0;
}
