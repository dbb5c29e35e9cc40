/*
 * table_fns.h - every table function behind one signature, with its layout,
 * so that suites can run the same checks over all of them.
 */
#ifndef TT_TABLE_FNS_H
#define TT_TABLE_FNS_H

#include <stddef.h>
#include <sys/socket.h>

#include <iphlpapi.h>

/* table_fn.states */
enum { FN_LISTEN = 1, FN_CONNECTIONS = 2, FN_ALL = 3 };
/* table_fn.proto */
enum { FN_TCP = 0, FN_UDP = 1 };

struct table_fn {
	const char *name;
	ULONG (*call)(void *table, PULONG size, BOOL order);
	size_t header; /* offset of the first row */
	size_t row;
	int family; /* the table's address family */
	int owners; /* rows carry a PID */
	unsigned states; /* FN_*: which rows the table holds */
	int cls; /* GetExtended{Tcp,Udp}Table class, -1 for the other functions */
	int proto; /* FN_TCP or FN_UDP */
};

/* The four GetTcp*Table* functions, then GetExtendedTcpTable with every
 * valid family and class (bound through a per-entry trampoline), then
 * GetUdpTable, GetUdp6Table and GetExtendedUdpTable with all six pairs. */
extern const struct table_fn table_fns[];
extern const size_t table_fn_count;

/* Rows a table of f holds given per-family listener and connection rows.
 * A UDP table holds every UDP socket (FN_ALL): suites open UDP sockets in
 * the same shape as their TCP ones (tt_udp_shape: a bound socket for the
 * listener, a connected pair for the connection), so the count is alike. */
unsigned table_fn_rows(const struct table_fn *f, unsigned listeners, unsigned connections);

/* One table read the Windows way (sizing call, then fill, again while it
 * grows); returns malloc'd bytes, their size (0 on error) and the result. */
unsigned char *table_fn_fetch(const struct table_fn *f, ULONG *size_out, ULONG *err_out);

#endif /* TT_TABLE_FNS_H */
