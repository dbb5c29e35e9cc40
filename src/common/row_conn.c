/*
 * row_conn.c - see row_conn.h.
 */
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "iphlpapi.h"

#include "row_conn.h"

uint32_t tt_row_dword(const void *row, size_t off)
{
	DWORD v;
	memcpy(&v, (const unsigned char *)row + off, sizeof(v));
	return v;
}

void tt_conn_from_tcprow(const void *row, struct tt_conn *c)
{
	const unsigned char *r = row;
	memset(c, 0, sizeof(*c));
	c->family = AF_INET;
	memcpy(c->laddr, r + offsetof(MIB_TCPROW, dwLocalAddr), 4);
	memcpy(c->raddr, r + offsetof(MIB_TCPROW, dwRemoteAddr), 4);
	c->lport = (uint16_t)tt_row_dword(r, offsetof(MIB_TCPROW, dwLocalPort));
	c->rport = (uint16_t)tt_row_dword(r, offsetof(MIB_TCPROW, dwRemotePort));
}

void tt_conn_from_tcp6row(const void *row, struct tt_conn *c)
{
	const unsigned char *r = row;
	memset(c, 0, sizeof(*c));
	c->family = AF_INET6;
	memcpy(c->laddr, r + offsetof(MIB_TCP6ROW, LocalAddr), 16);
	memcpy(c->raddr, r + offsetof(MIB_TCP6ROW, RemoteAddr), 16);
	c->lport = (uint16_t)tt_row_dword(r, offsetof(MIB_TCP6ROW, dwLocalPort));
	c->rport = (uint16_t)tt_row_dword(r, offsetof(MIB_TCP6ROW, dwRemotePort));
	/* The zone of a link-local connection: the interface it is bound to. */
	DWORD lscope = tt_row_dword(r, offsetof(MIB_TCP6ROW, dwLocalScopeId));
	c->lscope = lscope ? lscope : tt_row_dword(r, offsetof(MIB_TCP6ROW, dwRemoteScopeId));
}
