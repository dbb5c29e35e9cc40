/*
 * seam.h - the library's seam to the outside world: memory allocation here,
 * system calls in each backend's sys.h.  In normal builds these are the libc
 * functions themselves.  Test builds (TT_TESTING) route them through hooks
 * that the fault-injection tests use to fail each call in turn; those hooks
 * are never part of the shipped library.
 */
#ifndef TT_SEAM_H
#define TT_SEAM_H

#include <stddef.h>
#include <stdlib.h>

/* tt_mallocarray: n * size bytes, NULL on overflow (BSD reallocarray, from
 * libc where it has it, else from libbsd-overlay on Linux; see meson.build). */
#ifdef TT_TESTING
void *tt_malloc(size_t size);
void *tt_calloc(size_t n, size_t size);
void *tt_mallocarray(size_t n, size_t size);
void *tt_reallocarray(void *p, size_t n, size_t size);
#else
#define tt_malloc malloc
#define tt_calloc calloc
#ifdef TT_USE_REALLOCARR
/* NetBSD: its own reallocarr(3), present since 7.0, instead of
 * reallocarray(3), which later releases declare only for _OPENBSD_SOURCE. */
static inline void *tt_reallocarray(void *p, size_t n, size_t size)
{
	return reallocarr(&p, n, size) == 0 ? p : NULL;
}
#define tt_mallocarray(n, size) tt_reallocarray(NULL, (n), (size))
#elif defined(TT_OWN_REALLOCARRAY)
/* macOS: its libc has no reallocarray(3); the same overflow check. */
static inline void *tt_reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	return realloc(p, n * size);
}
#define tt_mallocarray(n, size) tt_reallocarray(NULL, (n), (size))
#else
#define tt_mallocarray(n, size) reallocarray(NULL, (n), (size))
#define tt_reallocarray reallocarray
#endif
#endif

#endif /* TT_SEAM_H */
