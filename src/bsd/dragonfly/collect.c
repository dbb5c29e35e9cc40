/*
 * collect.c - the DragonFly read sequence, over any tt_bsd_source: the
 * pcblist, then, when the call returns owners, one kern.file copy joined
 * to it (f_data == inp_socket).  kern.file is read after the pcblist, as
 * sockstat(1) does, so that every socket in the list already has its
 * descriptors in the file table.
 *
 * DragonFly's pcblist has no generation count to read again by: the
 * kernel copies each network CPU's list in turn, on that CPU, and a list
 * is consistent in itself.  A connection whose PCB moves to another CPU
 * between two of those copies may be listed twice (the front end keeps the
 * first, by socket) or, moving the other way, not at all; so may it in
 * netstat(1).
 */
#include <errno.h>
#include <stdlib.h>

#include "dragonfly.h"

static const struct tt_bsd_files files = { tt_dfly_files_max, tt_dfly_files_owners };

int tt_dfly_collect(const struct tt_bsd_source *src, const struct tt_request *req,
		    struct tt_collector *col)
{
	/* The UDP pcblist is not read yet (issue 11): no UDP source here. */
	if (req->proto != TT_PROTO_TCP)
		return -EOPNOTSUPP;
	void *pcbs = NULL;
	size_t len = 0;
	int err = src->read(src->ctx, TT_BSD_PCB, &pcbs, &len);
	if (err)
		return err;
	if (len == 0) {
		free(pcbs);
		return 0; /* a kernel without INET, or no PCB at all */
	}
	struct tt_bsd_owner *owners = NULL;
	size_t nowners = 0;
	if (req->owners)
		err = tt_bsd_read_owners(src, &files, &owners, &nowners);
	if (!err)
		err = tt_dfly_pcblist_walk(pcbs, len, owners, nowners, col);
	free(owners);
	free(pcbs);
	return err;
}
