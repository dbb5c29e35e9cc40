/*
 * fuzz_nbsd.c - the NetBSD walkers (src/bsd/netbsd/walker.c, on the
 * transcribed records) on arbitrary bytes; see bsd_fuzz.h.  The PCB bytes
 * are also walked as a UDP list and the whole input taken as UDP and UDP6
 * counters.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "bsd_fuzz.h"
#include "netbsd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A list that is not whole records is refused, never walked. */
static void check(const uint8_t *pcbs, size_t plen, int walk_err)
{
	(void)pcbs;
	if (plen % 640 != 0 && walk_err != -EOPNOTSUPP) /* 640: sizeof(struct kinfo_pcb) */
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct bsd_fuzz_ops ops = {
		{ tt_nbsd_files_max, tt_nbsd_files_owners },
		tt_nbsd_pcblist_walk,
		tt_nbsd_tcp_mib,
		check,
	};
	bsd_fuzz_run(&ops, data, size);
	struct tt_udp_mib udp;
	(void)tt_nbsd_udp_mib(data, size, &udp);
	(void)tt_nbsd_udp6_mib(data, size, &udp);
	bsd_fuzz_udp_run(tt_nbsd_udplist_walk, check, data, size);
	return 0;
}
