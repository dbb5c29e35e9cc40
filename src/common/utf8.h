/*
 * utf8.h - converts the byte strings the kernel gives (paths) into WCHAR
 * strings without depending on the caller's locale (pure; fuzzed).
 */
#ifndef TT_UTF8_H
#define TT_UTF8_H

#include <stddef.h>
#include <wchar.h>

/* Decodes len bytes of UTF-8 into out (when out is not NULL) and returns
 * the number of wchar_t written (or needed), without a terminator.  out
 * needs no alignment: the characters are stored byte-wise.  Each
 * byte of an invalid or truncated sequence becomes U+FFFD; code points
 * above U+FFFF become surrogate pairs where wchar_t is 16 bits. */
size_t tt_utf8_to_wide(const char *s, size_t len, void *out);

#endif /* TT_UTF8_H */
