/*
 * capture.h - TEST ONLY.  A collector that keeps every tt_conn a walker
 * offers, so walker tests and fuzz targets see the walkers' exact output
 * without the front end.  (Programs that link it must not link
 * src/common/snapshot.c, which defines the real collector.)
 */
#ifndef TT_BSD_CAPTURE_H
#define TT_BSD_CAPTURE_H

#include <stddef.h>

#include "backend.h"
#include "conn.h"

struct tt_collector {
	struct tt_conn *conns;
	size_t n, cap;
	size_t fail_at; /* the add that returns -ENOMEM (1-based); 0: none */
	size_t adds;
};

void capture_free(struct tt_collector *col);

#endif /* TT_BSD_CAPTURE_H */
