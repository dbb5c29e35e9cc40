/*
 * collect.c - the FreeBSD read sequence, over any tt_bsd_source: the
 * TCP or UDP pcblist, read again while its generation changes; then, when the call
 * returns owners, one kern.file copy joined to it (xf_data == xso_so).
 * kern.file is read after the pcblist, as sockstat(1) does, so that every
 * socket in the list already has its descriptors in the file table.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "freebsd.h"

static const struct tt_bsd_files files = { tt_fbsd_files_max, tt_fbsd_files_owners };

int tt_fbsd_collect(const struct tt_bsd_source *src, const struct tt_request *req,
		    struct tt_collector *col)
{
	/* Both lists have the same frame and generation rule (SPEC §10). */
	bool udp = req->proto == TT_PROTO_UDP;
	enum tt_bsd_list list = udp ? TT_BSD_UDP : TT_BSD_PCB;
	void *pcbs = NULL;
	size_t len = 0;
	int err;
	for (int attempt = 1;; attempt++) {
		if ((err = src->read(src->ctx, list, &pcbs, &len)) != 0)
			return err;
		if (len == 0) {
			free(pcbs);
			return 0; /* a kernel without INET: no sockets at all */
		}
		err = udp ? tt_fbsd_udplist_check(pcbs, len) : tt_fbsd_pcblist_check(pcbs, len);
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
		err = (udp ? tt_fbsd_udplist_walk : tt_fbsd_pcblist_walk)(pcbs, len, owners, nowners,
								  col);
	free(owners);
	free(pcbs);
	return err;
}
