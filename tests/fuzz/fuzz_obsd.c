/*
 * fuzz_obsd.c - the OpenBSD walkers (src/bsd/openbsd/walker.c, on the
 * transcribed records) on arbitrary bytes.  The input is a 4-byte
 * little-endian length, that many bytes of a kern.file by-file copy (the
 * sockets) and a by-PID copy (the owners) after them; the whole input is
 * also taken as TCP counters and as a by-PID copy for a process name.
 * Checks what must hold for any input: copies that are not whole records
 * refused, the owner table sorted and unique, records of a known family
 * and state that carry their owner, a name without a '/'.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "capture.h"
#include "openbsd.h"

#define KINFO_FILE_SIZE 632 /* sizeof(struct kinfo_file) */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_tcp_mib mib;
	(void)tt_obsd_tcp_mib(data, size, &mib);
	struct tt_udp_mib umib;
	(void)tt_obsd_udp_mib(data, size, &umib);
	struct tt_image img;
	int err = tt_obsd_image(data, size, 7, &img);
	if (err == 0 && (!img.path || img.len != strlen(img.path) || memchr(img.path, '/', img.len)))
		abort();
	free(img.path);
	if (size < 4)
		return 0;
	size_t plen = (size_t)data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16 |
		      (size_t)data[3] << 24;
	if (plen > size - 4)
		plen = size - 4;
	const uint8_t *socks = data + 4, *files = socks + plen;
	size_t flen = size - 4 - plen;

	size_t n = 0;
	struct tt_obsd_owner *o = malloc((tt_obsd_owners_max(flen) + 1) * sizeof(*o));
	if (!o)
		abort();
	err = tt_obsd_owners(files, flen, o, &n);
	if ((flen % KINFO_FILE_SIZE != 0) != (err == -EOPNOTSUPP) || n > tt_obsd_owners_max(flen))
		abort();
	for (size_t i = 1; i < n; i++)
		if (memcmp(o[i - 1].key, o[i].key, TT_OBSD_KEY_LEN) >= 0)
			abort();

	/* The same copy walked for TCP and for UDP: UDP sockets are bound
	 * and stateless. */
	for (unsigned proto = TT_PROTO_TCP; proto <= TT_PROTO_UDP; proto++) {
		struct tt_collector col = { 0 };
		err = tt_obsd_sockets_walk(socks, plen, proto, o, n, &col);
		if ((plen % KINFO_FILE_SIZE != 0) != (err == -EOPNOTSUPP))
			abort();
		for (size_t i = 0; i < col.n; i++) {
			const struct tt_conn *c = &col.conns[i];
			if (c->family != AF_INET && c->family != AF_INET6)
				abort();
			if (!(c->flags & TT_CONN_PID_KNOWN) || !c->cookie)
				abort();
			if (proto == TT_PROTO_TCP ? c->state < 2 || c->state > 11
						  : c->state != 0 || c->lport == 0)
				abort();
			if (c->family == AF_INET && (c->lscope || c->rscope))
				abort();
			if (c->flags & TT_CONN_DUALSTACK)
				abort();
		}
		capture_free(&col);
	}
	free(o);
	return 0;
}
