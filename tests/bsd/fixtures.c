/*
 * fixtures.c - the byte buffers behind fixtures.h.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "fixtures.h"
#include "fixtures_impl.h"

void *bsd_buf_grow(struct bsd_buf *b, size_t n)
{
	if (b->cap - b->len < n) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap - b->len < n)
			cap *= 2;
		b->p = realloc(b->p, cap);
		ck_assert_ptr_nonnull(b->p);
		b->cap = cap;
	}
	void *at = b->p + b->len;
	memset(at, 0, n);
	b->len += n;
	return at;
}

void bsd_buf_free(struct bsd_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

struct bsd_buf bsd_buf_cut(const struct bsd_buf *b, size_t len)
{
	struct bsd_buf c = { 0 };
	ck_assert_uint_le(len, b->len);
	memcpy(bsd_buf_grow(&c, len ? len : 1), b->p, len);
	c.len = len;
	return c;
}

void fx_addr(int family, const char *text, uint16_t zone, unsigned char out[16])
{
	memset(out, 0, 16);
	if (!text)
		return;
	ck_assert_int_eq(inet_pton(family == 4 ? AF_INET : AF_INET6, text, out), 1);
	if (zone) {
		out[2] = (unsigned char)(zone >> 8);
		out[3] = (unsigned char)zone;
	}
}
