/*
 * guard.h - buffers that end at an inaccessible page, for the suites that
 * prove the library never writes (or reads) past a buffer.
 */
#ifndef TT_TEST_GUARD_H
#define TT_TEST_GUARD_H

#include <stdbool.h>
#include <stddef.h>

/* A buffer of len bytes that ends exactly at an inaccessible page, with
 * TT_CANARY bytes of pattern before it: a write past the end is a SIGSEGV,
 * a write before it or into it shows in the pattern (TT_FILL). */
#define TT_FILL 0xA5
#define TT_CANARY 64
struct tt_guarded {
	unsigned char *map;
	size_t body;
	unsigned char *buf;
	size_t len;
};
struct tt_guarded tt_guarded_alloc(size_t len);
/* The same with the buffer starting off (0..7) bytes past an 8-aligned
 * address, so that a suite picks the alignment instead of inheriting one
 * from len.  Up to 7 bytes of pattern then lie between the buffer's end and
 * the guard page: check them with tt_guarded_untouched. */
struct tt_guarded tt_guarded_alloc_at(size_t len, size_t off);
/* True when every byte of g outside [g->buf, g->buf + used) holds TT_FILL. */
bool tt_guarded_untouched(const struct tt_guarded *g, size_t used);
void tt_guarded_free(struct tt_guarded *g);
/* True when every byte in [from, to) still holds TT_FILL. */
bool tt_pattern_intact(const unsigned char *from, const unsigned char *to);

#endif /* TT_TEST_GUARD_H */
