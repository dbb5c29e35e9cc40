/*
 * collect.c - the NetBSD read sequence, over any tt_bsd_source: the PCB
 * lists, then, when the call returns owners, one kern.file2 copy joined to
 * them (ki_fdata == ki_sockaddr).  NetBSD's lists carry no generation
 * count; each is one consistent copy, taken under the network lock.
 */
#include <errno.h>
#include <stdlib.h>

#include "netbsd.h"

static const struct tt_bsd_files files = { tt_nbsd_files_max, tt_nbsd_files_owners };

int tt_nbsd_collect(const struct tt_bsd_source *src, const struct tt_request *req,
		    struct tt_collector *col)
{
	void *lists[2] = { NULL, NULL };
	size_t lens[2] = { 0, 0 };
	int err = src->read(src->ctx, TT_BSD_PCB6, &lists[0], &lens[0]);
	if (!err && (req->table & TT_TABLE_V4))
		err = src->read(src->ctx, TT_BSD_PCB, &lists[1], &lens[1]);

	struct tt_bsd_owner *owners = NULL;
	size_t nowners = 0;
	if (!err && req->owners)
		err = tt_bsd_read_owners(src, &files, &owners, &nowners);
	for (int i = 0; i < 2 && !err; i++)
		err = tt_nbsd_pcblist_walk(lists[i], lens[i], owners, nowners, col);
	free(owners);
	free(lists[0]);
	free(lists[1]);
	return err;
}
