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

/* The DWORD at offset off of a caller's row: rows may sit at any address
 * (a table filled at an odd offset), so they are read byte by byte. */
static DWORD row_dword(const void *row, size_t off)
{
	DWORD v;
	memcpy(&v, (const unsigned char *)row + off, sizeof(v));
	return v;
}

/* Takes a MIB_TCPROW, or any IPv4 row cast to one: MIB_TCPROW2 and the
 * OWNER rows share its first five DWORDs. */
TT_API DWORD WINAPI SetTcpEntry(PMIB_TCPROW pTcpRow)
{
	if (!pTcpRow || row_dword(pTcpRow, offsetof(MIB_TCPROW, dwState)) != MIB_TCP_STATE_DELETE_TCB)
		return ERROR_INVALID_PARAMETER;
	const unsigned char *row = (const unsigned char *)pTcpRow;
	struct tt_conn c;
	memset(&c, 0, sizeof(c));
	c.family = AF_INET;
	memcpy(c.laddr, row + offsetof(MIB_TCPROW, dwLocalAddr), 4);
	memcpy(c.raddr, row + offsetof(MIB_TCPROW, dwRemoteAddr), 4);
	c.lport = (uint16_t)row_dword(row, offsetof(MIB_TCPROW, dwLocalPort));
	c.rport = (uint16_t)row_dword(row, offsetof(MIB_TCPROW, dwRemotePort));
	return destroy(&c);
}

TT_API DWORD WINAPI TcptableSetTcp6Entry(PMIB_TCP6ROW pTcp6Row)
{
	if (!pTcp6Row || row_dword(pTcp6Row, offsetof(MIB_TCP6ROW, State)) != MIB_TCP_STATE_DELETE_TCB)
		return ERROR_INVALID_PARAMETER;
	const unsigned char *row = (const unsigned char *)pTcp6Row;
	struct tt_conn c;
	memset(&c, 0, sizeof(c));
	c.family = AF_INET6;
	memcpy(c.laddr, row + offsetof(MIB_TCP6ROW, LocalAddr), 16);
	memcpy(c.raddr, row + offsetof(MIB_TCP6ROW, RemoteAddr), 16);
	c.lport = (uint16_t)row_dword(row, offsetof(MIB_TCP6ROW, dwLocalPort));
	c.rport = (uint16_t)row_dword(row, offsetof(MIB_TCP6ROW, dwRemotePort));
	/* The zone of a link-local connection: the interface it is bound to. */
	DWORD lscope = row_dword(row, offsetof(MIB_TCP6ROW, dwLocalScopeId));
	c.lscope = lscope ? lscope : row_dword(row, offsetof(MIB_TCP6ROW, dwRemoteScopeId));
	return destroy(&c);
}
