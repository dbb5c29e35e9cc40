/*
 * tables.c - the table functions of the Windows API: argument checks, the
 * sizing protocol of SPEC §4 and the conversion of snapshot records into
 * the Windows row layouts.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>

#include "iphlpapi.h"

#include "compat.h"
#include "records.h"
#include "tables.h"

DWORD tt_win32_error(int err)
{
	return err == -ENOMEM ? ERROR_NOT_ENOUGH_MEMORY : ERROR_NOT_SUPPORTED;
}

static DWORD pid_of(const struct tt_rec_head *h)
{
	return (h->flags & TT_REC_OWNED) ? h->owner : 0;
}

/* ---- Record to row.  Rows are assembled on the stack and copied, so that
 * the caller's buffer needs no particular alignment. */

static void emit_tcprow(unsigned char *dst, const void *rec)
{
	const struct tt_rec4 *r = rec;
	MIB_TCPROW row;
	row.dwState = r->h.state;
	row.dwLocalAddr = htonl(r->laddr);
	row.dwLocalPort = htons(r->h.lport);
	row.dwRemoteAddr = htonl(r->raddr);
	row.dwRemotePort = htons(r->rport);
	memcpy(dst, &row, sizeof(row));
}

static void emit_tcprow2(unsigned char *dst, const void *rec)
{
	const struct tt_rec4 *r = rec;
	MIB_TCPROW2 row;
	row.dwState = r->h.state;
	row.dwLocalAddr = htonl(r->laddr);
	row.dwLocalPort = htons(r->h.lport);
	row.dwRemoteAddr = htonl(r->raddr);
	row.dwRemotePort = htons(r->rport);
	row.dwOwningPid = pid_of(&r->h);
	row.dwOffloadState = TcpConnectionOffloadStateInHost;
	memcpy(dst, &row, sizeof(row));
}

static void emit_tcp6row(unsigned char *dst, const void *rec)
{
	const struct tt_rec6 *r = rec;
	MIB_TCP6ROW row;
	row.State = (MIB_TCP_STATE)r->h.state;
	memcpy(&row.LocalAddr, r->laddr, 16);
	row.dwLocalScopeId = r->lscope;
	row.dwLocalPort = htons(r->h.lport);
	memcpy(&row.RemoteAddr, r->raddr, 16);
	row.dwRemoteScopeId = r->rscope;
	row.dwRemotePort = htons(r->rport);
	memcpy(dst, &row, sizeof(row));
}

static void emit_tcp6row2(unsigned char *dst, const void *rec)
{
	const struct tt_rec6 *r = rec;
	MIB_TCP6ROW2 row;
	memcpy(&row.LocalAddr, r->laddr, 16);
	row.dwLocalScopeId = r->lscope;
	row.dwLocalPort = htons(r->h.lport);
	memcpy(&row.RemoteAddr, r->raddr, 16);
	row.dwRemoteScopeId = r->rscope;
	row.dwRemotePort = htons(r->rport);
	row.State = (MIB_TCP_STATE)r->h.state;
	row.dwOwningPid = pid_of(&r->h);
	row.dwOffloadState = TcpConnectionOffloadStateInHost;
	memcpy(dst, &row, sizeof(row));
}

const struct tt_layout tt_layout_tcp = {
	TT_TABLE_V4, offsetof(MIB_TCPTABLE, table), sizeof(MIB_TCPROW), false, emit_tcprow,
};
const struct tt_layout tt_layout_tcp2 = {
	TT_TABLE_V4, offsetof(MIB_TCPTABLE2, table), sizeof(MIB_TCPROW2), true, emit_tcprow2,
};
const struct tt_layout tt_layout_tcp6 = {
	TT_TABLE_V6, offsetof(MIB_TCP6TABLE, table), sizeof(MIB_TCP6ROW), false, emit_tcp6row,
};
const struct tt_layout tt_layout_tcp6_2 = {
	TT_TABLE_V6, offsetof(MIB_TCP6TABLE2, table), sizeof(MIB_TCP6ROW2), true, emit_tcp6row2,
};

/* ---- The sizing protocol (SPEC §4), shared by every table function. */

DWORD tt_table_get(const struct tt_layout *lay, unsigned states, void *table, ULONG *size)
{
	if (!size)
		return ERROR_INVALID_PARAMETER;

	struct tt_request req = { lay->table, states };
	struct tt_snapshot snap;
	int err = tt_snapshot_take(&snap, &req);
	if (err)
		return tt_win32_error(err);

	uint64_t need = lay->header + (uint64_t)snap.n * lay->row_size;
	DWORD ret = NO_ERROR;
	if (need > UINT32_MAX) {
		ret = ERROR_NOT_ENOUGH_MEMORY;
	} else if (!table || *size < need) {
		/* Nothing is written to the table, and no owner is looked up. */
		*size = (ULONG)need;
		ret = ERROR_INSUFFICIENT_BUFFER;
	} else if (lay->owners && (err = tt_snapshot_resolve_owners(&snap)) != 0) {
		ret = tt_win32_error(err);
	} else {
		unsigned char *base = table;
		DWORD entries = (DWORD)snap.n;
		memcpy(base, &entries, sizeof(entries));
		/* Alignment padding between dwNumEntries and the first row. */
		memset(base + sizeof(entries), 0, lay->header - sizeof(entries));
		for (size_t i = 0; i < snap.n; i++)
			lay->emit(base + lay->header + i * lay->row_size,
				  snap.recs + i * snap.rec_size);
		*size = (ULONG)need;
	}
	tt_snapshot_free(&snap);
	return ret;
}

/* ---- Entry points.  Order is accepted and honoured by always sorting:
 * Order=FALSE allows any order, and a sorted one is also the cheapest way
 * to remove the duplicates a racing dump can produce. */

TT_API ULONG WINAPI GetTcpTable(PMIB_TCPTABLE TcpTable, PULONG SizePointer, BOOL Order)
{
	(void)Order;
	return tt_table_get(&tt_layout_tcp, TT_STATES_ALL, TcpTable, SizePointer);
}

TT_API ULONG WINAPI GetTcpTable2(PMIB_TCPTABLE2 TcpTable, PULONG SizePointer, BOOL Order)
{
	(void)Order;
	return tt_table_get(&tt_layout_tcp2, TT_STATES_ALL, TcpTable, SizePointer);
}

TT_API ULONG WINAPI GetTcp6Table(PMIB_TCP6TABLE TcpTable, PULONG SizePointer, BOOL Order)
{
	(void)Order;
	return tt_table_get(&tt_layout_tcp6, TT_STATES_ALL, TcpTable, SizePointer);
}

TT_API ULONG WINAPI GetTcp6Table2(PMIB_TCP6TABLE2 TcpTable, PULONG SizePointer, BOOL Order)
{
	(void)Order;
	return tt_table_get(&tt_layout_tcp6_2, TT_STATES_ALL, TcpTable, SizePointer);
}
