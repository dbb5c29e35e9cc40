/*
 * set_entry.c - SetTcpEntry (SPEC §8) and its IPv6 companion, which Windows
 * lacks: MIB_TCP_STATE_DELETE_TCB destroys the connection.  A row names a
 * connection; a listener's row (no remote endpoint) is refused here, once
 * for every platform, before any backend sees it.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "iphlpapi.h"
#include "tcptable_ext.h"

#include "backend.h"
#include "compat.h"
#include "row_conn.h"

static DWORD destroy(const struct tt_conn *c)
{
	/* Remote address all zero and remote port 0: a LISTEN row.  Windows'
	 * SetTcpEntry acts on connections, and the BSD drop nodes find only
	 * connections, so no platform destroys listeners. */
	static const uint8_t any[16];
	if (c->rport == 0 && memcmp(c->raddr, any, c->family == AF_INET ? 4 : 16) == 0)
		return ERROR_NOT_SUPPORTED;
	switch (tt_backend_destroy(c)) {
	case 0:
		return NO_ERROR;
	case -ENOENT:
	case -ESRCH:
	case -ESTALE: /* gone between finding it and destroying it */
		return ERROR_MR_MID_NOT_FOUND;
	case -EPERM:
	case -EACCES:
		return ERROR_ACCESS_DENIED;
	case -ENOMEM:
		return ERROR_NOT_ENOUGH_MEMORY;
	default:
		return ERROR_NOT_SUPPORTED;
	}
}

/* Takes a MIB_TCPROW, or any IPv4 row cast to one: MIB_TCPROW2 and the
 * OWNER rows share its first five DWORDs. */
TT_API DWORD WINAPI SetTcpEntry(PMIB_TCPROW pTcpRow)
{
	if (!pTcpRow || tt_row_dword(pTcpRow, offsetof(MIB_TCPROW, dwState)) != MIB_TCP_STATE_DELETE_TCB)
		return ERROR_INVALID_PARAMETER;
	struct tt_conn c;
	tt_conn_from_tcprow(pTcpRow, &c);
	return destroy(&c);
}

TT_API DWORD WINAPI TcptableSetTcp6Entry(PMIB_TCP6ROW pTcp6Row)
{
	if (!pTcp6Row || tt_row_dword(pTcp6Row, offsetof(MIB_TCP6ROW, State)) != MIB_TCP_STATE_DELETE_TCB)
		return ERROR_INVALID_PARAMETER;
	struct tt_conn c;
	tt_conn_from_tcp6row(pTcp6Row, &c);
	return destroy(&c);
}
