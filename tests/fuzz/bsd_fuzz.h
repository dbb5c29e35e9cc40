/*
 * bsd_fuzz.h - the body both BSD walker fuzz targets share.  The input is
 * a 4-byte little-endian length, that many bytes of a PCB list, and a file
 * table copy after them; the whole input is also taken as the TCP
 * counters.  Checks what must hold for any input: the owner table sorted
 * and unique, records of a known family and state that carry their owner.
 */
#ifndef TT_BSD_FUZZ_H
#define TT_BSD_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "bsd.h"
#include "capture.h"

struct bsd_fuzz_ops {
	struct tt_bsd_files files;
	int (*walk)(const void *buf, size_t len, const struct tt_bsd_owner *owners, size_t n,
		    struct tt_collector *col);
	int (*tcp_mib)(const void *buf, size_t len, struct tt_tcp_mib *out);
	/* Extra checks of one walk's result (may be NULL). */
	void (*check)(const uint8_t *pcbs, size_t plen, int walk_err);
};

static inline void bsd_fuzz_run(const struct bsd_fuzz_ops *ops, const uint8_t *data, size_t size)
{
	struct tt_tcp_mib mib;
	(void)ops->tcp_mib(data, size, &mib);
	if (size < 4)
		return;
	size_t plen = (size_t)data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16 |
		      (size_t)data[3] << 24;
	if (plen > size - 4)
		plen = size - 4;
	const uint8_t *pcbs = data + 4, *files = pcbs + plen;
	size_t flen = size - 4 - plen;

	size_t n = 0;
	struct tt_bsd_owner *o = malloc((ops->files.max(flen) + 1) * sizeof(*o));
	if (!o)
		abort();
	if (ops->files.parse(files, flen, o, &n) != 0)
		n = 0;
	for (size_t i = 1; i < n; i++)
		if (o[i - 1].so >= o[i].so)
			abort();

	struct tt_collector col = { 0 };
	int err = ops->walk(pcbs, plen, o, n, &col);
	if (ops->check)
		ops->check(pcbs, plen, err);
	for (size_t i = 0; i < col.n; i++) {
		const struct tt_conn *c = &col.conns[i];
		if (c->family != AF_INET && c->family != AF_INET6)
			abort();
		if (c->state < 2 || c->state > 11 || !(c->flags & TT_CONN_PID_KNOWN))
			abort();
		if (c->family == AF_INET && (c->lscope || c->rscope))
			abort();
	}
	capture_free(&col);
	free(o);
}

/* A UDP list walker on the PCB part of the input (framed as above), with
 * no owners and with an empty owner table: every record it offers is a
 * bound, stateless socket of a known family; check (may be NULL) sees
 * each walk's result as in bsd_fuzz_ops. */
static inline void bsd_fuzz_udp_run(int (*walk)(const void *buf, size_t len,
						const struct tt_bsd_owner *owners, size_t n,
						struct tt_collector *col),
				    void (*check)(const uint8_t *pcbs, size_t plen, int walk_err),
				    const uint8_t *data, size_t size)
{
	if (size < 4)
		return;
	size_t plen = (size_t)data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16 |
		      (size_t)data[3] << 24;
	if (plen > size - 4)
		plen = size - 4;
	const uint8_t *pcbs = data + 4;
	for (int owners = 0; owners < 2; owners++) {
		static const struct tt_bsd_owner none[1];
		struct tt_collector col = { 0 };
		int err = walk(pcbs, plen, owners ? none : NULL, 0, &col);
		if (check)
			check(pcbs, plen, err);
		for (size_t i = 0; i < col.n; i++) {
			const struct tt_conn *c = &col.conns[i];
			if (c->family != AF_INET && c->family != AF_INET6)
				abort();
			if (c->state != 0 || c->lport == 0)
				abort();
			if (!(c->flags & TT_CONN_PID_KNOWN) != !owners || c->pid != 0)
				abort();
			if (c->family == AF_INET &&
			    (c->lscope || c->rscope || (c->flags & TT_CONN_DUALSTACK)))
				abort();
		}
		capture_free(&col);
	}
}

#endif /* TT_BSD_FUZZ_H */
