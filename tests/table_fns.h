/*
 * table_fns.h - every table function behind one signature, with its layout,
 * so that suites can run the same checks over all of them.
 */
#ifndef TT_TABLE_FNS_H
#define TT_TABLE_FNS_H

#include <stddef.h>
#include <sys/socket.h>

#include <iphlpapi.h>

struct table_fn {
	const char *name;
	ULONG (*call)(void *table, PULONG size, BOOL order);
	size_t header; /* offset of the first row */
	size_t row;
	int family; /* the table's address family */
	int owners; /* rows carry a PID */
};

extern const struct table_fn table_fns[];
extern const size_t table_fn_count;

#endif /* TT_TABLE_FNS_H */
