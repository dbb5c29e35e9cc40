/*
 * capture.c - see capture.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"

int tt_collector_add(struct tt_collector *col, const struct tt_conn *c)
{
	if (++col->adds == col->fail_at)
		return -ENOMEM;
	if (col->n == col->cap) {
		size_t cap = col->cap ? 2 * col->cap : 16;
		struct tt_conn *v = realloc(col->conns, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		col->conns = v;
		col->cap = cap;
	}
	col->conns[col->n++] = *c;
	return 0;
}

size_t tt_collector_mark(const struct tt_collector *col)
{
	return col->n;
}

void tt_collector_rewind(struct tt_collector *col, size_t mark)
{
	if (mark < col->n)
		col->n = mark;
}

void capture_free(struct tt_collector *col)
{
	free(col->conns);
	memset(col, 0, sizeof(*col));
}
