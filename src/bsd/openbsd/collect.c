/*
 * collect.c - the OpenBSD read sequence, over any tt_bsd_source: the
 * sockets (kern.file by file, DTYPE_SOCKET), then, when the call returns
 * owners, one copy of every process's descriptors (kern.file by PID)
 * joined to them.  Neither copy carries a generation count; each is one
 * pass over the kernel's tables.  No system calls here: sysctl.c does the
 * I/O, the tests put fixtures in its place.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "layout.h"
#include "openbsd.h"
#include "seam.h"

const int tt_obsd_sockets_mib[TT_OBSD_FILE_MIBLEN] = {
	CTL_KERN, KERN_FILE, KERN_FILE_BYFILE, DTYPE_SOCKET, (int)sizeof(struct kinfo_file),
	INT_MAX,
};

const int tt_obsd_files_mib[TT_OBSD_FILE_MIBLEN] = {
	CTL_KERN, KERN_FILE, KERN_FILE_BYPID, -1 /* all processes */,
	(int)sizeof(struct kinfo_file), INT_MAX,
};

static int read_owners(const struct tt_bsd_source *src, struct tt_obsd_owner **out, size_t *n)
{
	void *buf = NULL;
	size_t len = 0;
	int err = src->read(src->ctx, TT_BSD_FILES, &buf, &len);
	if (err)
		return err;
	/* One entry more, so that an empty table is not a NULL one. */
	*out = tt_mallocarray(tt_obsd_owners_max(len) + 1, sizeof(**out));
	if (!*out)
		err = -ENOMEM;
	else
		err = tt_obsd_owners(buf, len, *out, n);
	free(buf);
	return err;
}

int tt_obsd_collect(const struct tt_bsd_source *src, const struct tt_request *req,
		    struct tt_collector *col)
{
	/* UDP sockets are not read yet (issue 11): no UDP source here. */
	if (req->proto != TT_PROTO_TCP)
		return -EOPNOTSUPP;
	void *socks = NULL;
	size_t len = 0;
	int err = src->read(src->ctx, TT_BSD_PCB, &socks, &len);
	struct tt_obsd_owner *owners = NULL;
	size_t nowners = 0;
	if (!err && req->owners)
		err = read_owners(src, &owners, &nowners);
	if (!err)
		err = tt_obsd_sockets_walk(socks, len, owners, nowners, col);
	free(owners);
	free(socks);
	return err;
}
