/*
 * collect.c - the FreeBSD read sequence, over any tt_bsd_source: the
 * pcblist, read again while its generation changes; then, when the call
 * returns owners, one kern.file copy joined to it (xf_data == xso_so).
 * kern.file is read after the pcblist, as sockstat(1) does, so that every
 * socket in the list already has its descriptors in the file table.
 * Get…EStats reads the pcblist the same way and looks for one connection.
 */
#include <errno.h>
#include <stdlib.h>

#include "freebsd.h"

static const struct tt_bsd_files files = { tt_fbsd_files_max, tt_fbsd_files_owners };

/* Reads the pcblist, again while its generation changes.  Returns 0 with
 * *pcbs NULL for a kernel without INET (no TCP at all), 0 with the copy, or
 * -errno (*pcbs is then freed or the copy to free). */
static int read_pcblist(const struct tt_bsd_source *src, void **pcbs, size_t *len)
{
	int err;
	for (int attempt = 1;; attempt++) {
		if ((err = src->read(src->ctx, TT_BSD_PCB, pcbs, len)) != 0)
			return err;
		if (*len == 0) {
			free(*pcbs);
			*pcbs = NULL;
			return 0;
		}
		err = tt_fbsd_pcblist_check(*pcbs, *len);
		if (err != -EAGAIN || attempt == TT_BSD_READ_ATTEMPTS)
			break;
		free(*pcbs);
		*pcbs = NULL;
	}
	/* After the last attempt a changed list is used as it is: records
	 * newer than its head are skipped, the rest were live while copied. */
	return err == -EAGAIN ? 0 : err;
}

int tt_fbsd_tcp_info(const struct tt_bsd_source *src, const struct tt_conn *row,
		     struct tt_tcp_info *out)
{
	void *pcbs = NULL;
	size_t len = 0;
	int err = read_pcblist(src, &pcbs, &len);
	if (!err)
		err = pcbs ? tt_fbsd_pcblist_info(pcbs, len, row, out) : -ENOENT;
	free(pcbs);
	return err;
}

int tt_fbsd_collect(const struct tt_bsd_source *src, const struct tt_request *req,
		    struct tt_collector *col)
{
	/* The UDP pcblists are not read yet (issue 11): no UDP source here. */
	if (req->proto != TT_PROTO_TCP)
		return -EOPNOTSUPP;
	void *pcbs = NULL;
	size_t len = 0;
	int err = read_pcblist(src, &pcbs, &len);
	if (!err && !pcbs)
		return 0; /* a kernel without INET: no TCP at all */

	struct tt_bsd_owner *owners = NULL;
	size_t nowners = 0;
	if (!err && req->owners)
		err = tt_bsd_read_owners(src, &files, &owners, &nowners);
	if (!err)
		err = tt_fbsd_pcblist_walk(pcbs, len, owners, nowners, col);
	free(owners);
	free(pcbs);
	return err;
}
