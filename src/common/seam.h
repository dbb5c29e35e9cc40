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

#ifdef TT_TESTING
void *tt_malloc(size_t size);
void *tt_calloc(size_t n, size_t size);
#else
#define tt_malloc malloc
#define tt_calloc calloc
#endif

#endif /* TT_SEAM_H */
