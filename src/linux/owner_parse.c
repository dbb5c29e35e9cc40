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

/* An unsigned decimal field ending at a space or at the end of the text. */
static bool field_u64(const char *s, size_t n, uint64_t *out)
{
	if (n == 0 || n > 20)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		uint64_t d = (uint64_t)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

bool tt_parse_proc_stat(const char *buf, size_t len, uint64_t *flags, uint64_t *starttime)
{
	/* The last ')' closes the command name. */
	size_t at = len;
	while (at > 0 && buf[at - 1] != ')')
		at--;
	if (at == 0 || at >= len || buf[at] != ' ')
		return false;
	at++;
	/* Fields 3.. follow, one space apart: field 9 is flags, 22 starttime. */
	bool got_flags = false;
	for (unsigned field = 3; at < len; field++) {
		size_t end = at;
		while (end < len && buf[end] != ' ' && buf[end] != '\n')
			end++;
		if (field == 9)
			got_flags = field_u64(buf + at, end - at, flags);
		if (field == 22)
			return got_flags && field_u64(buf + at, end - at, starttime);
		if (end >= len || buf[end] != ' ')
			return false;
		at = end + 1;
	}
	return false;
}
