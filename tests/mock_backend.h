/*
 * mock_backend.h - a backend that serves connections from memory, so the
 * front end (src/common) can be tested on exactly chosen records.
 */
#ifndef TT_MOCK_BACKEND_H
#define TT_MOCK_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
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
	/* tt_backend_image: image_err, else a copy of image_path (NULL: a
	 * kernel thread) with key image_key. */
	int image_err;
	const char *image_path;
	uint64_t image_key;
	/* tt_backend_destroy and tt_backend_tcp_mib. */
	int destroy_err;
	struct tt_conn destroyed;
	struct tt_tcp_mib mib;
	int mib_err;
	/* tt_backend_tcp_info: info_err, else a copy of info. */
	struct tt_tcp_info info;
	int info_err;
	struct tt_conn info_conn; /* the connection last asked for */
	struct tt_udp_mib udp_mib; /* tt_backend_udp_mib */
	int udp_mib_err;
	/* tt_backend_owners_prefetch: prefetch_err, else a head start when
	 * prefetch is set (its address is struct tt_mock's own). */
	bool prefetch;
	int prefetch_err;
	/* Observations. */
	int collect_calls, owner_calls, image_calls, destroy_calls, info_calls;
	int prefetches, drops; /* head starts begun, ended (NULL included) */
	int owners_saw_prefetch; /* owner calls that were given the head start */
	int drops_before_owners; /* head starts ended before the owner call */
	size_t prefetch_rows; /* the rows of the last head start */
	bool prefetch_keys;
	size_t claims_made;
	unsigned last_proto, last_table, last_states;
	bool last_owners;
	uint32_t last_image_pid;
};

extern struct tt_mock tt_mock;

/* The process key the mock owner scan records for pid. */
#define TT_MOCK_KEY(pid) (0x5000000000ull + (pid))

#endif /* TT_MOCK_BACKEND_H */
