/*
 * owners.c - the owner table shared by the BSD backends: the kernel's list
 * of open files, read through a tt_bsd_source and reduced to one entry per
 * socket with the lowest PID that holds it, and the lookup the record
 * walkers do in it.
 */
#include <errno.h>
#include <stdlib.h>

#include "bsd.h"
#include "seam.h"
#include "sort.h"

#define OWNER_LESS(a, b) ((a)->so < (b)->so || ((a)->so == (b)->so && (a)->pid < (b)->pid))
TT_SORT_DEFINE(sort_owners, struct tt_bsd_owner, OWNER_LESS)

size_t tt_bsd_owners_finish(struct tt_bsd_owner *o, size_t n)
{
	if (n == 0)
		return 0;
	sort_owners(o, n);
	size_t kept = 1;
	for (size_t i = 1; i < n; i++) {
		/* Sorted by PID within a socket: the first entry is the lowest. */
		if (o[i].so != o[kept - 1].so)
			o[kept++] = o[i];
	}
	return kept;
}

uint32_t tt_bsd_owner_of(const struct tt_bsd_owner *o, size_t n, uint64_t so)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (o[mid].so < so)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && o[lo].so == so ? o[lo].pid : 0;
}

int tt_bsd_read_owners(const struct tt_bsd_source *src, const struct tt_bsd_files *files,
		       struct tt_bsd_owner **out, size_t *n)
{
	void *buf = NULL;
	size_t len = 0;
	*out = NULL;
	*n = 0;
	int err = src->read(src->ctx, TT_BSD_FILES, &buf, &len);
	if (err)
		return err;
	/* One entry more, so that an empty table is not a NULL one. */
	*out = tt_mallocarray(files->max(len) + 1, sizeof(**out));
	if (!*out)
		err = -ENOMEM;
	else
		err = files->parse(buf, len, *out, n);
	free(buf);
	return err;
}

/* The BSDs learn owners while collecting: no head start. */
int tt_backend_owners_prefetch(const struct tt_request *req, bool want_keys, size_t rows,
			       struct tt_owner_prefetch **out)
{
	(void)req;
	(void)want_keys;
	(void)rows;
	*out = NULL;
	return 0;
}

void tt_backend_owners_drop(struct tt_owner_prefetch *pre)
{
	(void)pre;
}
