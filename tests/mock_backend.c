/*
 * mock_backend.c - the in-memory backend behind mock_backend.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "mock_backend.h"
#include "seam.h"

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
	tt_mock.last_proto = req->proto;
	tt_mock.last_table = req->table;
	tt_mock.last_states = req->states;
	tt_mock.last_owners = req->owners;
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

/* Claims are offered in the order given; an owning process's key is
 * TT_MOCK_KEY(pid), recorded at its first claim of a run of its PID (a
 * PID listed again later, or a lower one, is recorded again, as a scan
 * that finishes another's does). */
int tt_backend_owners(struct tt_owner_query *q)
{
	tt_mock.owner_calls++;
	if (tt_owner_prefetched(q) == (void *)&tt_mock) {
		tt_mock.owners_saw_prefetch++;
		tt_mock.drops_before_owners += tt_mock.drops;
	}
	uint32_t last_keyed = 0;
	for (size_t i = 0; i < tt_mock.nclaims && tt_owner_pending(q) > 0; i++) {
		tt_mock.claims_made++;
		uint32_t pid = tt_mock.claims[i].pid;
		if (tt_owner_claim(q, tt_mock.claims[i].key, pid) &&
		    tt_owner_wants_process_keys(q) && pid != last_keyed) {
			int err = tt_owner_process_key(q, pid, TT_MOCK_KEY(pid));
			if (err)
				return err;
			last_keyed = pid;
		}
	}
	return tt_mock.owners_err;
}

int tt_backend_image(uint32_t pid, struct tt_image *out)
{
	tt_mock.image_calls++;
	tt_mock.last_image_pid = pid;
	memset(out, 0, sizeof(*out));
	if (tt_mock.image_err)
		return tt_mock.image_err;
	out->key = tt_mock.image_key;
	if (!tt_mock.image_path) {
		out->kernel = true;
		return 0;
	}
	out->len = strlen(tt_mock.image_path);
	out->path = tt_malloc(out->len + 1);
	if (!out->path)
		return -ENOMEM;
	memcpy(out->path, tt_mock.image_path, out->len + 1);
	return 0;
}

int tt_backend_destroy(const struct tt_conn *c)
{
	tt_mock.destroy_calls++;
	tt_mock.destroyed = *c;
	return tt_mock.destroy_err;
}

int tt_backend_tcp_mib(int family, struct tt_tcp_mib *out)
{
	(void)family;
	*out = tt_mock.mib;
	return tt_mock.mib_err;
}

int tt_backend_udp_mib(int family, struct tt_udp_mib *out)
{
	(void)family;
	*out = tt_mock.udp_mib;
	return tt_mock.udp_mib_err;
}

int tt_backend_tcp_info(const struct tt_conn *c, struct tt_tcp_info *out)
{
	tt_mock.info_calls++;
	tt_mock.info_conn = *c;
	*out = tt_mock.info;
	return tt_mock.info_err;
}

int tt_backend_owners_prefetch(const struct tt_request *req, bool want_keys, size_t rows,
			       struct tt_owner_prefetch **out)
{
	(void)req;
	*out = NULL;
	if (tt_mock.prefetch_err)
		return tt_mock.prefetch_err;
	if (tt_mock.prefetch) {
		tt_mock.prefetches++;
		tt_mock.prefetch_rows = rows;
		tt_mock.prefetch_keys = want_keys;
		*out = (struct tt_owner_prefetch *)(void *)&tt_mock;
	}
	return 0;
}

void tt_backend_owners_drop(struct tt_owner_prefetch *pre)
{
	if (pre)
		tt_mock.drops++;
}
