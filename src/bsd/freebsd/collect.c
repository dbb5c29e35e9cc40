/*
 * collect.c - the FreeBSD read sequence, over any tt_bsd_source: the
 * TCP or UDP pcblist, read again while its generation changes; then, when the call
 * returns owners, one kern.file copy joined to it (xf_data == xso_so).
 * kern.file is read after the pcblist, as sockstat(1) does, so that every
 * socket in the list already has its descriptors in the file table.
 * Get…EStats reads the pcblist the same way and looks for one connection.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "freebsd.h"

static const struct tt_bsd_files files = { tt_fbsd_files_max, tt_fbsd_files_owners };

/* Reads a pcblist (list, framed as check checks), again while its
 * generation changes.  Returns 0 with *pcbs NULL for a kernel without INET
 * (no sockets at all), 0 with the copy, or -errno (*pcbs is then freed or
 * the copy to free).  TCP and UDP lists share the frame and the rule. */
static int read_pcblist(const struct tt_bsd_source *src, enum tt_bsd_list list,
			int (*check)(const void *buf, size_t len), void **pcbs, size_t *len)
{
	int err;
	for (int attempt = 1;; attempt++) {
		if ((err = src->read(src->ctx, list, pcbs, len)) != 0)
			return err;
		if (*len == 0) {
			free(*pcbs);
			*pcbs = NULL;
			return 0;
		}
		err = check(*pcbs, *len);
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
	int err = read_pcblist(src, TT_BSD_PCB, tt_fbsd_pcblist_check, &pcbs, &len);
	if (!err)
		err = pcbs ? tt_fbsd_pcblist_info(pcbs, len, row, out) : -ENOENT;
	free(pcbs);
	return err;
}

int tt_fbsd_collect(const struct tt_bsd_source *src, const struct tt_request *req,
		    struct tt_collector *col)
{
	bool udp = req->proto == TT_PROTO_UDP;
	void *pcbs = NULL;
	size_t len = 0;
	int err = read_pcblist(src, udp ? TT_BSD_UDP : TT_BSD_PCB,
			       udp ? tt_fbsd_udplist_check : tt_fbsd_pcblist_check, &pcbs, &len);
	if (!err && !pcbs)
		return 0; /* a kernel without INET: no sockets at all */

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
