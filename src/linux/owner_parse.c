/*
 * owner_parse.c - parsers for /proc/<pid> names and fd link targets.
 */
#include <string.h>

#include "owner_parse.h"

/* Parses n decimal digits at s into *out; false on a non-digit, a leading
 * zero, zero itself or a value above UINT32_MAX. */
static bool parse_u32(const char *s, size_t n, uint32_t *out)
{
	if (n == 0 || n > 10 || s[0] == '0')
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

bool tt_parse_pid(const char *name, uint32_t *pid)
{
	return parse_u32(name, strnlen(name, 11), pid);
}

bool tt_parse_socket_link(const char *link, size_t len, uint32_t *inode)
{
	static const char prefix[] = "socket:[";
	const size_t plen = sizeof(prefix) - 1;
	if (len < plen + 2 || len >= TT_SOCKET_LINK_MAX)
		return false;
	if (memcmp(link, prefix, plen) != 0 || link[len - 1] != ']')
		return false;
	return parse_u32(link + plen, len - plen - 1, inode);
}
