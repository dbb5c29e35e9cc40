/*
 * mock_backend.c - the in-memory backend behind mock_backend.h.
 */
#include <string.h>

#include "backend.h"
#include "mock_backend.h"

struct tt_mock tt_mock;

static int deliver(struct tt_collector *col, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int err = tt_collector_add(col, &tt_mock.conns[i]);
		if (err)
			return err;
	}
	return 0;
}

int tt_backend_collect(const struct tt_request *req, struct tt_collector *col)
{
	tt_mock.collect_calls++;
	tt_mock.last_table = req->table;
	tt_mock.last_states = req->states;
	if (tt_mock.restart_after) {
		size_t mark = tt_collector_mark(col);
		int err = deliver(col, tt_mock.restart_after < tt_mock.n ? tt_mock.restart_after
									   : tt_mock.n);
		if (err)
			return err;
		tt_collector_rewind(col, mark);
	}
	int err = deliver(col, tt_mock.n);
	return err ? err : tt_mock.collect_err;
}

int tt_backend_owners(struct tt_owner_query *q)
{
	tt_mock.owner_calls++;
	for (size_t i = 0; i < tt_mock.nclaims && tt_owner_pending(q) > 0; i++) {
		tt_mock.claims_made++;
		tt_owner_claim(q, tt_mock.claims[i].key, tt_mock.claims[i].pid);
	}
	return tt_mock.owners_err;
}
