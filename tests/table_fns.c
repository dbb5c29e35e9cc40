/*
 * table_fns.c - the list behind table_fns.h.
 */
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

const struct table_fn table_fns[] = {
	{ "GetTcpTable", tcp, offsetof(MIB_TCPTABLE, table), sizeof(MIB_TCPROW), AF_INET, 0 },
	{ "GetTcpTable2", tcp2, offsetof(MIB_TCPTABLE2, table), sizeof(MIB_TCPROW2), AF_INET, 1 },
	{ "GetTcp6Table", tcp6, offsetof(MIB_TCP6TABLE, table), sizeof(MIB_TCP6ROW), AF_INET6, 0 },
	{ "GetTcp6Table2", tcp6_2, offsetof(MIB_TCP6TABLE2, table), sizeof(MIB_TCP6ROW2), AF_INET6,
	  1 },
};

const size_t table_fn_count = sizeof(table_fns) / sizeof(table_fns[0]);
