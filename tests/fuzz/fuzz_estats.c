/*
 * fuzz_estats.c - the EStats decoder (INET_DIAG_INFO by length, the queues
 * of inet_diag_msg) on arbitrary reply payloads: truncated and short-version
 * tcp_info, attributes of any length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_tcp_info o;
	if (tt_diag_tcp_info(data, size, &o) == 0) {
		/* What the front end relies on: cwnd and ssthresh were
		 * multiplied in 64 bits, the unsent part of the queue never
		 * exceeds the queue. */
		if (o.snd_cwnd > (uint64_t)UINT32_MAX * UINT32_MAX || o.unacked_bytes > UINT32_MAX)
			abort();
	}
	return 0;
}
