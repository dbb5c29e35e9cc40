/*
 * fuzz_diag.c - the inet_diag message decoder on arbitrary datagrams, and
 * the dump filter builder.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_conn c;
	/* The input as one message payload... */
	tt_diag_decode(data, size, &c);
	tt_diag_decode_as(TT_PROTO_UDP, data, size, &c);
	/* ...and as a datagram of messages, walked as the backend walks it
	 * (an aligned copy: the kernel's buffers are aligned). */
	static unsigned char buf[1 << 16];
	if (size > sizeof(buf))
		size = sizeof(buf);
	memcpy(buf, data, size);
	size_t at = 0;
	const struct nlmsghdr *h;
	while (tt_nl_next(buf, size, &at, &h) > 0)
		tt_diag_decode_as(at % 2 ? TT_PROTO_UDP : TT_PROTO_TCP, mnl_nlmsg_get_payload(h),
				  mnl_nlmsg_get_payload_len(h), &c);
	unsigned char f[TT_DIAG_FILTER_MAX];
	if (tt_diag_v4_filter(f) > sizeof(f))
		abort();
	return 0;
}
