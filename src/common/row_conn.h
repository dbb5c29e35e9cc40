/*
 * row_conn.h - the connection a caller's row names (SetTcpEntry, the
 * EStats functions): rows may sit at any address, so they are read byte
 * by byte (row_conn.c).
 */
#ifndef TT_ROW_CONN_H
#define TT_ROW_CONN_H

#include "conn.h"

/* From a MIB_TCPROW, or any IPv4 row cast to one (MIB_TCPROW2 and the
 * OWNER rows share its first five DWORDs). */
void tt_conn_from_tcprow(const void *row, struct tt_conn *c);
/* From a MIB_TCP6ROW; lscope is the zone of a link-local connection. */
void tt_conn_from_tcp6row(const void *row, struct tt_conn *c);
/* The DWORD at offset off of a caller's row. */
uint32_t tt_row_dword(const void *row, size_t off);

#endif /* TT_ROW_CONN_H */
