/*
 * collect.c - the macOS read sequence, over any tt_bsd_source: the
 * pcblist_n, read again while its generation changes; then, when the call
 * returns owners, the socket descriptors of every process the caller may
 * inspect, joined to it (soi_pcb == xi_inpp).  The descriptors are read
 * after the list, so that every socket in the list already has its
 * descriptors when they are read.
 */
#include <errno.h>
#include <stdlib.h>

#include "darwin.h"

static const struct tt_bsd_files files = { tt_mac_files_max, tt_mac_files_owners };

int tt_mac_collect(const struct tt_bsd_source *src, const struct tt_request *req,
		   struct tt_collector *col)
{
	/* UDP sockets are not read yet (issue 11): no UDP source here. */
	if (req->proto != TT_PROTO_TCP)
		return -EOPNOTSUPP;
	void *pcbs = NULL;
	size_t len = 0;
	int err;
	for (int attempt = 1;; attempt++) {
		if ((err = src->read(src->ctx, TT_BSD_PCB, &pcbs, &len)) != 0)
			return err;
		if (len == 0) {
			free(pcbs);
			return 0; /* no such node: no TCP */
		}
		err = tt_mac_pcblist_check(pcbs, len);
		if (err != -EAGAIN || attempt == TT_BSD_READ_ATTEMPTS)
			break;
		free(pcbs);
		pcbs = NULL;
	}
	/* After the last attempt a changed list is used as it is: records
	 * newer than its head are skipped, the rest were live while copied. */
	if (err == -EAGAIN)
		err = 0;

	struct tt_bsd_owner *owners = NULL;
	size_t nowners = 0;
	if (!err && req->owners)
		err = tt_bsd_read_owners(src, &files, &owners, &nowners);
	if (!err)
		err = tt_mac_pcblist_walk(pcbs, len, owners, nowners, col);
	free(owners);
	free(pcbs);
	return err;
}
