/*
 * utf8.c - a strict UTF-8 decoder (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF).
 */
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "utf8.h"

#define REPLACEMENT 0xfffdu

/* Decodes one code point at s (n >= 1 bytes left); returns its length in
 * bytes, or 0 for an invalid or truncated sequence. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t len;
	uint32_t min, v;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2, min = 0x80, v = s[0] & 0x1fu;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, min = 0x800, v = s[0] & 0x0fu;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, min = 0x10000, v = s[0] & 0x07u;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3fu);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/* Stores one wchar_t at index at of out, byte-wise: out may sit at any
 * offset of a caller's buffer. */
static void store(unsigned char *out, size_t at, uint32_t v)
{
	wchar_t w = (wchar_t)v;
	memcpy(out + at * sizeof(w), &w, sizeof(w));
}

static size_t put(unsigned char *out, size_t at, uint32_t cp)
{
	if (sizeof(wchar_t) == 2 && cp > 0xffff) {
		if (out) {
			cp -= 0x10000;
			store(out, at, 0xd800 + (cp >> 10));
			store(out, at + 1, 0xdc00 + (cp & 0x3ff));
		}
		return 2;
	}
	if (out)
		store(out, at, cp);
	return 1;
}

size_t tt_utf8_to_wide(const char *s, size_t len, void *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t at = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = decode(p + i, len - i, &cp);
		if (n == 0) {
			cp = REPLACEMENT;
			n = 1;
		}
		at += put(out, at, cp);
		i += n;
	}
	return at;
}
