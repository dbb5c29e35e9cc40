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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct bsd_fuzz_ops ops = {
		{ tt_mac_files_max, tt_mac_files_owners },
		tt_mac_pcblist_walk,
		tt_mac_tcp_mib,
		check,
	};
	bsd_fuzz_run(&ops, data, size);
	return 0;
}
