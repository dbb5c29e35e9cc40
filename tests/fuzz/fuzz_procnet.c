/*
 * fuzz_procnet.c - the /proc/net/tcp{,6} line parser: the input as one
 * line of each family, and split at newlines as the reader splits a file.
 */
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "procnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_conn c;
	const char *s = (const char *)data;
	tt_procnet_parse_line(s, size, AF_INET, &c);
	tt_procnet_parse_line(s, size, AF_INET6, &c);
	tt_procnet_parse_line_as(TT_PROTO_UDP, s, size, AF_INET, &c);
	tt_procnet_parse_line_as(TT_PROTO_UDP, s, size, AF_INET6, &c);
	size_t start = 0;
	for (size_t i = 0; i <= size; i++) {
		if (i == size || s[i] == '\n') {
			tt_procnet_parse_line_as(i % 3 ? TT_PROTO_TCP : TT_PROTO_UDP, s + start,
						 i - start, i % 2 ? AF_INET6 : AF_INET, &c);
			start = i + 1;
		}
	}
	return 0;
}
