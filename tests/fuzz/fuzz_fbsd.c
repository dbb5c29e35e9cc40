/*
 * fuzz_fbsd.c - the FreeBSD walkers (src/bsd/freebsd/walker.c, on the
 * transcribed records) on arbitrary bytes; see bsd_fuzz.h.  The same PCB
 * bytes are also walked as a UDP list (net.inet.udp.pcblist) and the whole
 * input taken as UDP counters.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "bsd_fuzz.h"
#include "freebsd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A walk only succeeds on a well-framed list. */
static void check(const uint8_t *pcbs, size_t plen, int walk_err)
{
	int framing = tt_fbsd_pcblist_check(pcbs, plen);
	if (walk_err == 0 && framing != 0 && framing != -EAGAIN)
		abort();
}

/* The UDP walker on the PCB part of the input (framed as bsd_fuzz.h
 * frames it), with no owners and with an empty owner table: every record
 * it offers is a bound, stateless socket of a known family. */
static void udp(const uint8_t *data, size_t size)
{
	struct tt_udp_mib mib;
	(void)tt_fbsd_udp_mib(data, size, &mib);
	if (size < 4)
		return;
	size_t plen = (size_t)data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16 |
		      (size_t)data[3] << 24;
	if (plen > size - 4)
		plen = size - 4;
	const uint8_t *pcbs = data + 4;
	int framing = tt_fbsd_udplist_check(pcbs, plen);
	for (int owners = 0; owners < 2; owners++) {
		static const struct tt_bsd_owner none[1];
		struct tt_collector col = { 0 };
		int err = tt_fbsd_udplist_walk(pcbs, plen, owners ? none : NULL, 0, &col);
		if (err == 0 && framing != 0 && framing != -EAGAIN)
			abort();
		for (size_t i = 0; i < col.n; i++) {
			const struct tt_conn *c = &col.conns[i];
			if (c->family != AF_INET && c->family != AF_INET6)
				abort();
			if (c->state != 0 || c->lport == 0)
				abort();
			if (!(c->flags & TT_CONN_PID_KNOWN) != !owners || c->pid != 0)
				abort();
			if (c->family == AF_INET && (c->lscope || c->rscope || (c->flags & TT_CONN_DUALSTACK)))
				abort();
		}
		capture_free(&col);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	udp(data, size);
	static const struct bsd_fuzz_ops ops = {
		{ tt_fbsd_files_max, tt_fbsd_files_owners },
		tt_fbsd_pcblist_walk,
		tt_fbsd_tcp_mib,
		check,
	};
	bsd_fuzz_run(&ops, data, size);
	return 0;
}
