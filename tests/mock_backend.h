/*
 * mock_backend.h - a backend that serves connections from memory, so the
 * front end (src/common) can be tested on exactly chosen records.
 */
#ifndef TT_MOCK_BACKEND_H
#define TT_MOCK_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"

struct tt_mock_claim {
	uint32_t key;
	uint32_t pid;
};

struct tt_mock {
	const struct tt_conn *conns;
	size_t n;
	/* Deliver this many first, then rewind and deliver all (a restarted
	 * dump); 0 disables. */
	size_t restart_after;
	int collect_err; /* returned once everything was delivered */
	const struct tt_mock_claim *claims; /* offered in order by the owner scan */
	size_t nclaims;
	int owners_err;
	/* Observations. */
	int collect_calls, owner_calls;
	size_t claims_made;
	unsigned last_table, last_states;
};

extern struct tt_mock tt_mock;

#endif /* TT_MOCK_BACKEND_H */
