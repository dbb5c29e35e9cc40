/*
 * fuzz_nbsd.c - the NetBSD walkers (src/bsd/netbsd/walker.c, on the
 * transcribed records) on arbitrary bytes; see bsd_fuzz.h.
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
	return 0;
}
