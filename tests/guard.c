/*
 * guard.c - see guard.h.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#endif
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <check.h>

#include "guard.h"

struct tt_guarded tt_guarded_alloc(size_t len)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	struct tt_guarded g = { .len = len };
	g.body = (len + TT_CANARY + pg - 1) / pg * pg;
	g.map = mmap(NULL, g.body + pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert(g.map != MAP_FAILED);
	ck_assert_int_eq(mprotect(g.map + g.body, pg, PROT_NONE), 0);
	memset(g.map, TT_FILL, g.body);
	g.buf = g.map + g.body - len;
	return g;
}

struct tt_guarded tt_guarded_alloc_at(size_t len, size_t off)
{
	/* The guard page is page-aligned, so the start is -(len + slack) mod 8. */
	size_t slack = (8 - (len + off) % 8) % 8;
	struct tt_guarded g = tt_guarded_alloc(len + slack);
	g.len = len;
	ck_assert_uint_eq((uintptr_t)g.buf % 8, off % 8);
	return g;
}

bool tt_guarded_untouched(const struct tt_guarded *g, size_t used)
{
	return tt_pattern_intact(g->map, g->buf) &&
	       tt_pattern_intact(g->buf + used, g->map + g->body);
}

void tt_guarded_free(struct tt_guarded *g)
{
	munmap(g->map, g->body + (size_t)sysconf(_SC_PAGESIZE));
}

bool tt_pattern_intact(const unsigned char *from, const unsigned char *to)
{
	for (; from < to; from++)
		if (*from != TT_FILL)
			return false;
	return true;
}
