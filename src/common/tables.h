/*
 * tables.h - the shared machinery behind every table function: one layout
 * description per Windows table type and the sizing protocol that fills it.
 */
#ifndef TT_TABLES_H
#define TT_TABLES_H

#include <stdbool.h>
#include <stddef.h>

#include "tcptable_windef.h"

struct tt_snapshot;

struct tt_layout {
	unsigned proto; /* TT_PROTO_* */
	unsigned table; /* TT_TABLE_V4 or TT_TABLE_V6 */
	size_t header; /* offset of the first row: 4, or 8 for OWNER_MODULE */
	size_t row_size;
	bool owners; /* the rows carry dwOwningPid */
	bool module; /* ...and OwningModuleInfo (the owners' process keys) */
	void (*emit)(unsigned char *row, const void *rec, const struct tt_snapshot *snap);
};

/* The sizing protocol of SPEC §4 for one table type.  states is a mask of
 * TT_STATES_* (the GetExtendedTcpTable class filter; TT_STATES_ALL for UDP). */
DWORD tt_table_get(const struct tt_layout *lay, unsigned states, void *table, ULONG *size);

/* The Win32 code for a negative errno from the snapshot or a backend. */
DWORD tt_win32_error(int err);

#endif /* TT_TABLES_H */
