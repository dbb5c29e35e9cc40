/*
 * backend.h - the one internal interface between the front end (src/common)
 * and the per-OS backends (src/linux, src/bsd).
 *
 * A call runs in two steps.  tt_backend_collect() hands every TCP socket of
 * the requested kind to the front end's collector, one tt_conn at a time.
 * If the call returns owners and the caller's buffer is large enough, the
 * front end then builds an owner query from the rows it kept and asks
 * tt_backend_owners() to fill in the owning PIDs.  Backends that learn the
 * owner while collecting (the BSDs) set TT_CONN_PID_KNOWN instead.
 *
 * All functions return 0 or a negative errno value: -ENOMEM when memory ran
 * out, any other value when the kernel source could not be read.
 */
#ifndef TT_BACKEND_H
#define TT_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"

struct tt_request {
	unsigned table; /* TT_TABLE_V4 or TT_TABLE_V6: the table being built */
	unsigned states; /* TT_STATES_*: which rows are wanted */
};

/* ---- Provided by the front end, called by backends. */
struct tt_collector;

/* Offers one connection; the collector keeps it if it belongs to the table
 * being built.  Returns 0 or -ENOMEM. */
int tt_collector_add(struct tt_collector *col, const struct tt_conn *c);
/* A position to return to when a backend restarts a partial dump. */
size_t tt_collector_mark(const struct tt_collector *col);
void tt_collector_rewind(struct tt_collector *col, size_t mark);

struct tt_owner_query;

/* Sockets that still have no owner; a scan may stop when this reaches 0. */
size_t tt_owner_pending(const struct tt_owner_query *q);
/* Reports that process pid holds the socket whose owner key is key.  The
 * first claim of a key wins, so scans visit processes in ascending PID order
 * to give the lowest holder.  Returns the sockets still pending. */
size_t tt_owner_claim(struct tt_owner_query *q, uint32_t key, uint32_t pid);

/* ---- Provided by each backend. */
int tt_backend_collect(const struct tt_request *req, struct tt_collector *col);
int tt_backend_owners(struct tt_owner_query *q);

#endif /* TT_BACKEND_H */
