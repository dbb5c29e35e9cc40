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
#include "module.h"
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

/* The five DWORDs every IPv4 row starts with. */
struct row4_prefix {
	DWORD state, laddr, lport, raddr, rport;
};

static struct row4_prefix prefix4(const struct tt_rec4 *r)
{
	return (struct row4_prefix){ r->h.state, htonl(r->laddr), htons(r->h.lport),
				     htonl(r->raddr), htons(r->rport) };
}

/* The IPv6 columns shared by MIB_TCP6ROW2 and the OWNER rows, in the
 * order those rows keep them (addresses first). */
struct row6_addrs {
	UCHAR laddr[16];
	DWORD lscope, lport;
	UCHAR raddr[16];
	DWORD rscope, rport;
};

static struct row6_addrs addrs6(const struct tt_rec6 *r)
{
	struct row6_addrs a;
	memcpy(a.laddr, r->laddr, 16);
	a.lscope = r->lscope;
	a.lport = htons(r->h.lport);
	memcpy(a.raddr, r->raddr, 16);
	a.rscope = r->rscope;
	a.rport = htons(r->rport);
	return a;
}

/* liCreateTimestamp and OwningModuleInfo (see module.h).  No backend can
 * tell a socket's creation time, so the timestamp is 0 (SPEC §5). */
static void put_module_info(const struct tt_snapshot *snap, DWORD pid, LARGE_INTEGER *created,
			    ULONGLONG info[TCPIP_OWNING_MODULE_SIZE])
{
	created->QuadPart = 0;
	memset(info, 0, TCPIP_OWNING_MODULE_SIZE * sizeof(info[0]));
	if (pid)
		info[TT_MODULE_KEY_SLOT] = tt_snapshot_process_key(snap, pid);
}

static void emit_tcprow(unsigned char *dst, const void *rec, const struct tt_snapshot *snap)
{
	(void)snap;
	struct row4_prefix p = prefix4(rec);
	MIB_TCPROW row;
	row.dwState = p.state;
	row.dwLocalAddr = p.laddr;
	row.dwLocalPort = p.lport;
	row.dwRemoteAddr = p.raddr;
	row.dwRemotePort = p.rport;
	memcpy(dst, &row, sizeof(row));
}

static void emit_tcprow2(unsigned char *dst, const void *rec, const struct tt_snapshot *snap)
{
	(void)snap;
	const struct tt_rec4 *r = rec;
	struct row4_prefix p = prefix4(r);
	MIB_TCPROW2 row = { p.state, p.laddr, p.lport, p.raddr, p.rport, pid_of(&r->h),
			    TcpConnectionOffloadStateInHost };
	memcpy(dst, &row, sizeof(row));
}

static void emit_tcprow_pid(unsigned char *dst, const void *rec, const struct tt_snapshot *snap)
{
	(void)snap;
	const struct tt_rec4 *r = rec;
	struct row4_prefix p = prefix4(r);
	MIB_TCPROW_OWNER_PID row = { p.state, p.laddr, p.lport, p.raddr, p.rport, pid_of(&r->h) };
	memcpy(dst, &row, sizeof(row));
}

static void emit_tcprow_module(unsigned char *dst, const void *rec, const struct tt_snapshot *snap)
{
	const struct tt_rec4 *r = rec;
	struct row4_prefix p = prefix4(r);
	MIB_TCPROW_OWNER_MODULE row;
	row.dwState = p.state;
	row.dwLocalAddr = p.laddr;
	row.dwLocalPort = p.lport;
	row.dwRemoteAddr = p.raddr;
	row.dwRemotePort = p.rport;
	row.dwOwningPid = pid_of(&r->h);
	put_module_info(snap, row.dwOwningPid, &row.liCreateTimestamp, row.OwningModuleInfo);
	memcpy(dst, &row, sizeof(row));
}

static void emit_tcp6row(unsigned char *dst, const void *rec, const struct tt_snapshot *snap)
{
	(void)snap;
	const struct tt_rec6 *r = rec;
	struct row6_addrs a = addrs6(r);
	MIB_TCP6ROW row;
	row.State = (MIB_TCP_STATE)r->h.state;
	memcpy(&row.LocalAddr, a.laddr, 16);
	row.dwLocalScopeId = a.lscope;
	row.dwLocalPort = a.lport;
	memcpy(&row.RemoteAddr, a.raddr, 16);
	row.dwRemoteScopeId = a.rscope;
	row.dwRemotePort = a.rport;
	memcpy(dst, &row, sizeof(row));
}

/* MIB_TCP6ROW2 and both OWNER rows begin with the address columns in the
 * same order and size: one copy of them serves all three. */
_Static_assert(sizeof(struct row6_addrs) == offsetof(MIB_TCP6ROW2, State), "row6 prefix");
_Static_assert(sizeof(struct row6_addrs) == offsetof(MIB_TCP6ROW_OWNER_PID, dwState),
	       "row6 prefix");

static void emit_tcp6row2(unsigned char *dst, const void *rec, const struct tt_snapshot *snap)
{
	(void)snap;
	const struct tt_rec6 *r = rec;
	struct row6_addrs a = addrs6(r);
	MIB_TCP6ROW2 row;
	memcpy(&row, &a, sizeof(a));
	row.State = (MIB_TCP_STATE)r->h.state;
	row.dwOwningPid = pid_of(&r->h);
	row.dwOffloadState = TcpConnectionOffloadStateInHost;
	memcpy(dst, &row, sizeof(row));
}

static void emit_tcp6row_pid(unsigned char *dst, const void *rec, const struct tt_snapshot *snap)
{
	(void)snap;
	const struct tt_rec6 *r = rec;
	struct row6_addrs a = addrs6(r);
	MIB_TCP6ROW_OWNER_PID row;
	memcpy(&row, &a, sizeof(a));
	row.dwState = r->h.state;
	row.dwOwningPid = pid_of(&r->h);
	memcpy(dst, &row, sizeof(row));
}

static void emit_tcp6row_module(unsigned char *dst, const void *rec,
				const struct tt_snapshot *snap)
{
	const struct tt_rec6 *r = rec;
	struct row6_addrs a = addrs6(r);
	MIB_TCP6ROW_OWNER_MODULE row;
	memcpy(&row, &a, sizeof(a));
	row.dwState = r->h.state;
	row.dwOwningPid = pid_of(&r->h);
	put_module_info(snap, row.dwOwningPid, &row.liCreateTimestamp, row.OwningModuleInfo);
	memcpy(dst, &row, sizeof(row));
}

/* ---- UDP rows: the local end and the owner only (SPEC §10).  Rows with
 * padding (the OWNER_MODULE ones) are zeroed first, so that no byte of the
 * library's stack reaches the caller. */

static void emit_udprow(unsigned char *dst, const void *rec, const struct tt_snapshot *snap)
{
	(void)snap;
	const struct tt_rec4 *r = rec;
	MIB_UDPROW row = { htonl(r->laddr), htons(r->h.lport) };
	memcpy(dst, &row, sizeof(row));
}

static void emit_udprow_pid(unsigned char *dst, const void *rec, const struct tt_snapshot *snap)
{
	(void)snap;
	const struct tt_rec4 *r = rec;
	MIB_UDPROW_OWNER_PID row = { htonl(r->laddr), htons(r->h.lport), pid_of(&r->h) };
	memcpy(dst, &row, sizeof(row));
}

/* SpecificPortBind (dwFlags bit 0) stays 0: no backend can tell an
 * explicitly bound port from one the kernel chose (SPEC §10). */
static void emit_udprow_module(unsigned char *dst, const void *rec, const struct tt_snapshot *snap)
{
	const struct tt_rec4 *r = rec;
	MIB_UDPROW_OWNER_MODULE row;
	memset(&row, 0, sizeof(row));
	row.dwLocalAddr = htonl(r->laddr);
	row.dwLocalPort = htons(r->h.lport);
	row.dwOwningPid = pid_of(&r->h);
	put_module_info(snap, row.dwOwningPid, &row.liCreateTimestamp, row.OwningModuleInfo);
	memcpy(dst, &row, sizeof(row));
}

/* The IPv6 columns every UDP6 row starts with. */
struct udp6_addrs {
	UCHAR laddr[16];
	DWORD lscope, lport;
};
_Static_assert(sizeof(struct udp6_addrs) == sizeof(MIB_UDP6ROW), "udp6 prefix");
_Static_assert(sizeof(struct udp6_addrs) == offsetof(MIB_UDP6ROW_OWNER_PID, dwOwningPid),
	       "udp6 prefix");
_Static_assert(sizeof(struct udp6_addrs) == offsetof(MIB_UDP6ROW_OWNER_MODULE, dwOwningPid),
	       "udp6 prefix");

static struct udp6_addrs udp6_addrs(const struct tt_rec6 *r)
{
	struct udp6_addrs a;
	memcpy(a.laddr, r->laddr, 16);
	a.lscope = r->lscope;
	a.lport = htons(r->h.lport);
	return a;
}

static void emit_udp6row(unsigned char *dst, const void *rec, const struct tt_snapshot *snap)
{
	(void)snap;
	struct udp6_addrs a = udp6_addrs(rec);
	memcpy(dst, &a, sizeof(a));
}

static void emit_udp6row_pid(unsigned char *dst, const void *rec, const struct tt_snapshot *snap)
{
	(void)snap;
	const struct tt_rec6 *r = rec;
	struct udp6_addrs a = udp6_addrs(r);
	MIB_UDP6ROW_OWNER_PID row;
	memcpy(&row, &a, sizeof(a));
	row.dwOwningPid = pid_of(&r->h);
	memcpy(dst, &row, sizeof(row));
}

static void emit_udp6row_module(unsigned char *dst, const void *rec,
				const struct tt_snapshot *snap)
{
	const struct tt_rec6 *r = rec;
	struct udp6_addrs a = udp6_addrs(r);
	MIB_UDP6ROW_OWNER_MODULE row;
	memset(&row, 0, sizeof(row));
	memcpy(&row, &a, sizeof(a));
	row.dwOwningPid = pid_of(&r->h);
	put_module_info(snap, row.dwOwningPid, &row.liCreateTimestamp, row.OwningModuleInfo);
	memcpy(dst, &row, sizeof(row));
}

#define LAYOUT(proto, which, type, row, owners, module, emit) \
	{ proto, which, offsetof(type, table), sizeof(row), owners, module, emit }
#define TCP TT_PROTO_TCP
#define UDP TT_PROTO_UDP
#define V4 TT_TABLE_V4
#define V6 TT_TABLE_V6

const struct tt_layout tt_layout_tcp = LAYOUT(TCP, V4, MIB_TCPTABLE, MIB_TCPROW, false, false,
					      emit_tcprow);
const struct tt_layout tt_layout_tcp2 = LAYOUT(TCP, V4, MIB_TCPTABLE2, MIB_TCPROW2, true, false,
					       emit_tcprow2);
const struct tt_layout tt_layout_tcp6 = LAYOUT(TCP, V6, MIB_TCP6TABLE, MIB_TCP6ROW, false, false,
					       emit_tcp6row);
const struct tt_layout tt_layout_tcp6_2 = LAYOUT(TCP, V6, MIB_TCP6TABLE2, MIB_TCP6ROW2, true,
						 false, emit_tcp6row2);

/* The row writers of GetExtended*Table, and of GetUdpTable/GetUdp6Table:
 * [protocol][IPv4, IPv6][BASIC, OWNER_PID, OWNER_MODULE]. */
static const struct tt_layout extended[TT_PROTO_COUNT][2][3] = {
	[TCP] = {
		{
			LAYOUT(TCP, V4, MIB_TCPTABLE, MIB_TCPROW, false, false, emit_tcprow),
			LAYOUT(TCP, V4, MIB_TCPTABLE_OWNER_PID, MIB_TCPROW_OWNER_PID, true, false,
			       emit_tcprow_pid),
			LAYOUT(TCP, V4, MIB_TCPTABLE_OWNER_MODULE, MIB_TCPROW_OWNER_MODULE, true,
			       true, emit_tcprow_module),
		},
		{
			{ 0 }, /* IPv6 BASIC: ERROR_NOT_SUPPORTED, as documented */
			LAYOUT(TCP, V6, MIB_TCP6TABLE_OWNER_PID, MIB_TCP6ROW_OWNER_PID, true,
			       false, emit_tcp6row_pid),
			LAYOUT(TCP, V6, MIB_TCP6TABLE_OWNER_MODULE, MIB_TCP6ROW_OWNER_MODULE, true,
			       true, emit_tcp6row_module),
		},
	},
	[UDP] = {
		{
			LAYOUT(UDP, V4, MIB_UDPTABLE, MIB_UDPROW, false, false, emit_udprow),
			LAYOUT(UDP, V4, MIB_UDPTABLE_OWNER_PID, MIB_UDPROW_OWNER_PID, true, false,
			       emit_udprow_pid),
			LAYOUT(UDP, V4, MIB_UDPTABLE_OWNER_MODULE, MIB_UDPROW_OWNER_MODULE, true,
			       true, emit_udprow_module),
		},
		{
			LAYOUT(UDP, V6, MIB_UDP6TABLE, MIB_UDP6ROW, false, false, emit_udp6row),
			LAYOUT(UDP, V6, MIB_UDP6TABLE_OWNER_PID, MIB_UDP6ROW_OWNER_PID, true,
			       false, emit_udp6row_pid),
			LAYOUT(UDP, V6, MIB_UDP6TABLE_OWNER_MODULE, MIB_UDP6ROW_OWNER_MODULE, true,
			       true, emit_udp6row_module),
		},
	},
};

/* ---- The sizing protocol (SPEC §4), shared by every table function. */

struct emit_arg {
	const struct tt_layout *lay;
	const struct tt_snapshot *snap;
	unsigned char *row; /* where the next row goes */
};

static void emit_one(const void *rec, void *arg)
{
	struct emit_arg *e = arg;
	e->lay->emit(e->row, rec, e->snap);
	e->row += e->lay->row_size;
}

DWORD tt_table_get(const struct tt_layout *lay, unsigned states, void *table, ULONG *size)
{
	if (!size)
		return ERROR_INVALID_PARAMETER;

	/* A buffer that cannot hold a row (the sizing call) gets no row, so
	 * backends that read owners while collecting need not read them. */
	bool can_fill = table && *size >= lay->header + lay->row_size;
	struct tt_request req = { lay->proto, lay->table, states, lay->owners && can_fill };
	/* A call that will look up owners lets the backend start on them
	 * while the snapshot is taken. */
	struct tt_owner_prefetch *pre = NULL;
	int err = req.owners ? tt_backend_owners_prefetch(&req, lay->module,
							  (*size - lay->header) / lay->row_size, &pre)
			     : 0;
	struct tt_snapshot snap;
	if (!err)
		err = tt_snapshot_take(&snap, &req);
	if (err) {
		tt_backend_owners_drop(pre);
		return tt_win32_error(err);
	}

	uint64_t need = lay->header + (uint64_t)snap.rows * lay->row_size;
	DWORD ret = NO_ERROR;
	if (need > UINT32_MAX) {
		ret = ERROR_NOT_ENOUGH_MEMORY;
	} else if (!table || *size < need) {
		/* Nothing is written to the table, and no owner is looked up. */
		*size = (ULONG)need;
		ret = ERROR_INSUFFICIENT_BUFFER;
	} else if (lay->owners && (err = tt_snapshot_resolve_owners(&snap, lay->module, pre)) != 0) {
		ret = tt_win32_error(err);
	} else {
		/* The head start ends before the rows are written: what it
		 * holds is not kept past the owner lookup. */
		tt_backend_owners_drop(pre);
		pre = NULL;
		/* The merge allocates before it writes the first row, so a
		 * failure leaves the caller's buffer untouched. */
		unsigned char *base = table;
		struct emit_arg e = { lay, &snap, base + lay->header };
		if ((err = tt_snapshot_each(&snap, emit_one, &e)) != 0) {
			ret = tt_win32_error(err);
		} else {
			DWORD entries = (DWORD)snap.rows;
			memcpy(base, &entries, sizeof(entries));
			/* Alignment padding between dwNumEntries and the first row. */
			memset(base + sizeof(entries), 0, lay->header - sizeof(entries));
			*size = (ULONG)need;
		}
	}
	tt_backend_owners_drop(pre);
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

/* SPEC §4 step 1, then the shared protocol.  Reserved is ignored, as on
 * Windows.  kind: BASIC, OWNER_PID or OWNER_MODULE. */
static DWORD extended_get(unsigned proto, ULONG af, unsigned kind, unsigned states, PVOID table,
			  PDWORD size)
{
	const struct tt_layout *lay = &extended[proto][af == AF_INET ? 0 : 1][kind];
	if (!lay->emit)
		return ERROR_NOT_SUPPORTED;
	return tt_table_get(lay, states, table, size);
}

TT_API DWORD WINAPI GetExtendedTcpTable(PVOID pTcpTable, PDWORD pdwSize, BOOL bOrder, ULONG ulAf,
					TCP_TABLE_CLASS TableClass, ULONG Reserved)
{
	static const unsigned class_states[3] = { TT_STATES_LISTEN, TT_STATES_CONNECTIONS,
						   TT_STATES_ALL };
	(void)bOrder;
	(void)Reserved;
	if (ulAf != AF_INET && ulAf != AF_INET6)
		return ERROR_INVALID_PARAMETER;
	unsigned cls = (unsigned)TableClass;
	if (cls > TCP_TABLE_OWNER_MODULE_ALL)
		return ERROR_INVALID_PARAMETER;
	return extended_get(TT_PROTO_TCP, ulAf, cls / 3, class_states[cls % 3], pTcpTable, pdwSize);
}

TT_API ULONG WINAPI GetUdpTable(PMIB_UDPTABLE UdpTable, PULONG SizePointer, BOOL Order)
{
	(void)Order;
	return tt_table_get(&extended[UDP][0][UDP_TABLE_BASIC], TT_STATES_ALL, UdpTable,
			    SizePointer);
}

TT_API ULONG WINAPI GetUdp6Table(PMIB_UDP6TABLE Udp6Table, PULONG SizePointer, BOOL Order)
{
	(void)Order;
	return tt_table_get(&extended[UDP][1][UDP_TABLE_BASIC], TT_STATES_ALL, Udp6Table,
			    SizePointer);
}

/* All six (family, class) pairs are valid (SPEC §10). */
TT_API DWORD WINAPI GetExtendedUdpTable(PVOID pUdpTable, PDWORD pdwSize, BOOL bOrder, ULONG ulAf,
					UDP_TABLE_CLASS TableClass, ULONG Reserved)
{
	(void)bOrder;
	(void)Reserved;
	if (ulAf != AF_INET && ulAf != AF_INET6)
		return ERROR_INVALID_PARAMETER;
	unsigned cls = (unsigned)TableClass;
	if (cls > UDP_TABLE_OWNER_MODULE)
		return ERROR_INVALID_PARAMETER;
	return extended_get(TT_PROTO_UDP, ulAf, cls, TT_STATES_ALL, pUdpTable, pdwSize);
}
