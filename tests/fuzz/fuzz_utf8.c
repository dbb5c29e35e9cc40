/*
 * fuzz_utf8.c - the UTF-8 decoder: the count it gives must be exactly what
 * it writes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <wchar.h>

#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = tt_utf8_to_wide((const char *)data, size, NULL);
	wchar_t *out = malloc((n + 1) * sizeof(wchar_t));
	if (!out)
		return 0;
	if (tt_utf8_to_wide((const char *)data, size, out) != n || n > size)
		abort();
	free(out);
	return 0;
}
