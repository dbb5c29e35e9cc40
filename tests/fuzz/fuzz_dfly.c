/*
 * fuzz_dfly.c - the DragonFly walkers (src/bsd/dragonfly/walker.c, on the
 * transcribed records) on arbitrary bytes; see bsd_fuzz.h.
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct bsd_fuzz_ops ops = {
		{ tt_dfly_files_max, tt_dfly_files_owners },
		tt_dfly_pcblist_walk,
		tt_dfly_tcp_mib,
		check,
	};
	bsd_fuzz_run(&ops, data, size);
	return 0;
}
