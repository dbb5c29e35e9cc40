/*
 * hooks_alloc.c - the allocation side of the test seam.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "hooks.h"
#include "seam.h"

struct tt_hooks tt_hooks;
static atomic_long allocs;

void tt_hooks_reset(void)
{
	memset(&tt_hooks, 0, sizeof(tt_hooks));
	atomic_store(&allocs, 0);
}

long tt_hooks_allocs(void)
{
	return atomic_load(&allocs);
}

static int fail_now(void)
{
	long n = atomic_fetch_add(&allocs, 1) + 1;
	return tt_hooks.fail_alloc_at && n == tt_hooks.fail_alloc_at;
}

void *tt_malloc(size_t size)
{
	return fail_now() ? NULL : malloc(size);
}

void *tt_calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : calloc(n, size);
}

void *tt_mallocarray(size_t n, size_t size)
{
	return fail_now() ? NULL : reallocarray(NULL, n, size);
}

void *tt_reallocarray(void *p, size_t n, size_t size)
{
	return fail_now() ? NULL : reallocarray(p, n, size);
}
