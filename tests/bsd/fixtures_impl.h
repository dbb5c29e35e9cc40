/*
 * fixtures_impl.h - what the fixture builders share (tests/bsd only).
 */
#ifndef TT_BSD_FIXTURES_IMPL_H
#define TT_BSD_FIXTURES_IMPL_H

#include <arpa/inet.h>

#include "fixtures.h"

/* Appends n zero bytes to b and returns where they start. */
void *bsd_buf_grow(struct bsd_buf *b, size_t n);
/* The 16 address bytes for text (4: IPv4 in the first four bytes), with
 * zone embedded the KAME way (bytes 2-3) when it is not 0. */
void fx_addr(int family, const char *text, uint16_t zone, unsigned char out[16]);

#endif /* TT_BSD_FIXTURES_IMPL_H */
