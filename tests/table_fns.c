/*
 * table_fns.c - the list behind table_fns.h.
 */
#include <stdlib.h>

#include "table_fns.h"

static ULONG tcp(void *t, PULONG s, BOOL o)
{
	return GetTcpTable(t, s, o);
}

static ULONG tcp2(void *t, PULONG s, BOOL o)
{
	return GetTcpTable2(t, s, o);
}

static ULONG tcp6(void *t, PULONG s, BOOL o)
{
	return GetTcp6Table(t, s, o);
}

static ULONG tcp6_2(void *t, PULONG s, BOOL o)
{
	return GetTcp6Table2(t, s, o);
}

/* One trampoline per (family, class): GetExtendedTcpTable behind the
 * common signature. */
#define EXT(tag, fam, cls)                                                           \
	static ULONG ext_##tag##_##cls(void *t, PULONG s, BOOL o)                    \
	{                                                                            \
		return GetExtendedTcpTable(t, s, o, fam, cls, 0);                    \
	}
#define EXT_OWNERS(tag, fam)                                                             \
	EXT(tag, fam, TCP_TABLE_OWNER_PID_LISTENER)                                       \
	EXT(tag, fam, TCP_TABLE_OWNER_PID_CONNECTIONS)                                    \
	EXT(tag, fam, TCP_TABLE_OWNER_PID_ALL)                                            \
	EXT(tag, fam, TCP_TABLE_OWNER_MODULE_LISTENER)                                    \
	EXT(tag, fam, TCP_TABLE_OWNER_MODULE_CONNECTIONS)                                 \
	EXT(tag, fam, TCP_TABLE_OWNER_MODULE_ALL)
EXT(4, AF_INET, TCP_TABLE_BASIC_LISTENER)
EXT(4, AF_INET, TCP_TABLE_BASIC_CONNECTIONS)
EXT(4, AF_INET, TCP_TABLE_BASIC_ALL)
EXT_OWNERS(4, AF_INET)
EXT_OWNERS(6, AF_INET6) /* IPv6 BASIC is ERROR_NOT_SUPPORTED */

static ULONG udp(void *t, PULONG s, BOOL o)
{
	return GetUdpTable(t, s, o);
}

static ULONG udp6(void *t, PULONG s, BOOL o)
{
	return GetUdp6Table(t, s, o);
}

#define UEXT(tag, fam, cls)                                                          \
	static ULONG uext_##tag##_##cls(void *t, PULONG s, BOOL o)                   \
	{                                                                            \
		return GetExtendedUdpTable(t, s, o, fam, cls, 0);                    \
	}
UEXT(4, AF_INET, UDP_TABLE_BASIC)
UEXT(4, AF_INET, UDP_TABLE_OWNER_PID)
UEXT(4, AF_INET, UDP_TABLE_OWNER_MODULE)
UEXT(6, AF_INET6, UDP_TABLE_BASIC)
UEXT(6, AF_INET6, UDP_TABLE_OWNER_PID)
UEXT(6, AF_INET6, UDP_TABLE_OWNER_MODULE)

/* Header and row size of each table type. */
#define L_BASIC4 offsetof(MIB_TCPTABLE, table), sizeof(MIB_TCPROW), AF_INET, 0
#define L_PID4 offsetof(MIB_TCPTABLE_OWNER_PID, table), sizeof(MIB_TCPROW_OWNER_PID), AF_INET, 1
#define L_MOD4 \
	offsetof(MIB_TCPTABLE_OWNER_MODULE, table), sizeof(MIB_TCPROW_OWNER_MODULE), AF_INET, 1
#define L_PID6 \
	offsetof(MIB_TCP6TABLE_OWNER_PID, table), sizeof(MIB_TCP6ROW_OWNER_PID), AF_INET6, 1
#define L_MOD6 \
	offsetof(MIB_TCP6TABLE_OWNER_MODULE, table), sizeof(MIB_TCP6ROW_OWNER_MODULE), AF_INET6, 1

#define FAMILY_4 "AF_INET"
#define FAMILY_6 "AF_INET6"
#define EXT_FN(tag, cls, layout, states) \
	{ "GetExtendedTcpTable(" FAMILY_##tag ", " #cls ")", ext_##tag##_##cls, layout, states, cls }

#define U_BASIC4 offsetof(MIB_UDPTABLE, table), sizeof(MIB_UDPROW), AF_INET, 0
#define U_PID4 offsetof(MIB_UDPTABLE_OWNER_PID, table), sizeof(MIB_UDPROW_OWNER_PID), AF_INET, 1
#define U_MOD4 \
	offsetof(MIB_UDPTABLE_OWNER_MODULE, table), sizeof(MIB_UDPROW_OWNER_MODULE), AF_INET, 1
#define U_BASIC6 offsetof(MIB_UDP6TABLE, table), sizeof(MIB_UDP6ROW), AF_INET6, 0
#define U_PID6 \
	offsetof(MIB_UDP6TABLE_OWNER_PID, table), sizeof(MIB_UDP6ROW_OWNER_PID), AF_INET6, 1
#define U_MOD6 \
	offsetof(MIB_UDP6TABLE_OWNER_MODULE, table), sizeof(MIB_UDP6ROW_OWNER_MODULE), AF_INET6, 1
#define UEXT_FN(tag, cls, layout)                                                            \
	{ "GetExtendedUdpTable(" FAMILY_##tag ", " #cls ")", uext_##tag##_##cls, layout, FN_ALL, \
	  cls, FN_UDP }

const struct table_fn table_fns[] = {
	{ "GetTcpTable", tcp, L_BASIC4, FN_ALL, -1 },
	{ "GetTcpTable2", tcp2, offsetof(MIB_TCPTABLE2, table), sizeof(MIB_TCPROW2), AF_INET, 1,
	  FN_ALL, -1 },
	{ "GetTcp6Table", tcp6, offsetof(MIB_TCP6TABLE, table), sizeof(MIB_TCP6ROW), AF_INET6, 0,
	  FN_ALL, -1 },
	{ "GetTcp6Table2", tcp6_2, offsetof(MIB_TCP6TABLE2, table), sizeof(MIB_TCP6ROW2), AF_INET6,
	  1, FN_ALL, -1 },
	EXT_FN(4, TCP_TABLE_BASIC_LISTENER, L_BASIC4, FN_LISTEN),
	EXT_FN(4, TCP_TABLE_BASIC_CONNECTIONS, L_BASIC4, FN_CONNECTIONS),
	EXT_FN(4, TCP_TABLE_BASIC_ALL, L_BASIC4, FN_ALL),
	EXT_FN(4, TCP_TABLE_OWNER_PID_LISTENER, L_PID4, FN_LISTEN),
	EXT_FN(4, TCP_TABLE_OWNER_PID_CONNECTIONS, L_PID4, FN_CONNECTIONS),
	EXT_FN(4, TCP_TABLE_OWNER_PID_ALL, L_PID4, FN_ALL),
	EXT_FN(4, TCP_TABLE_OWNER_MODULE_LISTENER, L_MOD4, FN_LISTEN),
	EXT_FN(4, TCP_TABLE_OWNER_MODULE_CONNECTIONS, L_MOD4, FN_CONNECTIONS),
	EXT_FN(4, TCP_TABLE_OWNER_MODULE_ALL, L_MOD4, FN_ALL),
	EXT_FN(6, TCP_TABLE_OWNER_PID_LISTENER, L_PID6, FN_LISTEN),
	EXT_FN(6, TCP_TABLE_OWNER_PID_CONNECTIONS, L_PID6, FN_CONNECTIONS),
	EXT_FN(6, TCP_TABLE_OWNER_PID_ALL, L_PID6, FN_ALL),
	EXT_FN(6, TCP_TABLE_OWNER_MODULE_LISTENER, L_MOD6, FN_LISTEN),
	EXT_FN(6, TCP_TABLE_OWNER_MODULE_CONNECTIONS, L_MOD6, FN_CONNECTIONS),
	EXT_FN(6, TCP_TABLE_OWNER_MODULE_ALL, L_MOD6, FN_ALL),
	{ "GetUdpTable", udp, U_BASIC4, FN_ALL, -1, FN_UDP },
	{ "GetUdp6Table", udp6, U_BASIC6, FN_ALL, -1, FN_UDP },
	UEXT_FN(4, UDP_TABLE_BASIC, U_BASIC4),
	UEXT_FN(4, UDP_TABLE_OWNER_PID, U_PID4),
	UEXT_FN(4, UDP_TABLE_OWNER_MODULE, U_MOD4),
	UEXT_FN(6, UDP_TABLE_BASIC, U_BASIC6),
	UEXT_FN(6, UDP_TABLE_OWNER_PID, U_PID6),
	UEXT_FN(6, UDP_TABLE_OWNER_MODULE, U_MOD6),
};

const size_t table_fn_count = sizeof(table_fns) / sizeof(table_fns[0]);

unsigned table_fn_rows(const struct table_fn *f, unsigned listeners, unsigned connections)
{
	return (f->states & FN_LISTEN ? listeners : 0) + (f->states & FN_CONNECTIONS ? connections : 0);
}

unsigned char *table_fn_fetch(const struct table_fn *f, ULONG *size_out, ULONG *err_out)
{
	ULONG size = 0, r;
	unsigned char *t = NULL;
	while ((r = f->call(t, &size, TRUE)) == ERROR_INSUFFICIENT_BUFFER) {
		free(t);
		t = malloc(size);
	}
	*err_out = r;
	*size_out = r == NO_ERROR ? size : 0;
	return t;
}
