/*
 * suite.c - see suite.h.
 */
#include <stdlib.h>
#include <arpa/inet.h>

#include <check.h>

#include "guard.h"
#include "hooks.h"
#include "suite.h"

static DWORD addr4(const char *s)
{
	DWORD a = 0;
	if (s)
		ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
	return a;
}

void fx_expect_row4(const MIB_TCPROW2 *r, DWORD state, const char *laddr, uint16_t lport,
		    const char *raddr, uint16_t rport, DWORD pid)
{
	ck_assert_uint_eq(r->dwState, state);
	ck_assert_uint_eq(r->dwLocalAddr, addr4(laddr));
	ck_assert_uint_eq(r->dwLocalPort, htons(lport));
	ck_assert_uint_eq(r->dwRemoteAddr, addr4(raddr));
	ck_assert_uint_eq(r->dwRemotePort, htons(rport));
	ck_assert_uint_eq(r->dwOwningPid, pid);
	ck_assert_uint_eq(r->dwOffloadState, 0);
}

void fx_expect_not_supported(void)
{
	struct tt_guarded g = tt_guarded_alloc(4096);
	ULONG size = 4096;
	ck_assert_uint_eq(GetTcpTable2((PMIB_TCPTABLE2)g.buf, &size, TRUE), ERROR_NOT_SUPPORTED);
	ck_assert_uint_eq(size, 4096);
	ck_assert(tt_pattern_intact(g.map, g.map + g.body));
	tt_guarded_free(&g);
}

void fx_every_allocation_fails(long at_least)
{
	ULONG room = 1 << 16;
	PMIB_TCPTABLE2 buf = malloc(room);
	ULONG size = room;
	tt_hooks_reset();
	ck_assert_uint_eq(GetTcpTable2(buf, &size, TRUE), NO_ERROR);
	long allocs = tt_hooks_allocs();
	ck_assert_int_ge(allocs, at_least);
	for (long k = 1; k <= allocs; k++) {
		tt_hooks_reset();
		tt_hooks.fail_alloc_at = k;
		size = room;
		DWORD rc = GetTcpTable2(buf, &size, TRUE);
		ck_assert_msg(rc == ERROR_NOT_ENOUGH_MEMORY, "allocation %ld: %u", k, (unsigned)rc);
	}
	tt_hooks_reset();
	free(buf);
}

/* The UDP owner table (GetExtendedUdpTable, IPv4, UDP_TABLE_OWNER_PID). */
static DWORD udp_owner_table(void *buf, ULONG *size)
{
	return GetExtendedUdpTable(buf, size, TRUE, AF_INET, UDP_TABLE_OWNER_PID, 0);
}

void fx_expect_udp_not_supported(void)
{
	struct tt_guarded g = tt_guarded_alloc(4096);
	ULONG size = 4096;
	ck_assert_uint_eq(udp_owner_table(g.buf, &size), ERROR_NOT_SUPPORTED);
	ck_assert_uint_eq(size, 4096);
	ck_assert(tt_pattern_intact(g.map, g.map + g.body));
	tt_guarded_free(&g);
}

void fx_every_udp_allocation_fails(long at_least)
{
	ULONG room = 1 << 16;
	void *buf = malloc(room);
	ULONG size = room;
	tt_hooks_reset();
	ck_assert_uint_eq(udp_owner_table(buf, &size), NO_ERROR);
	long allocs = tt_hooks_allocs();
	ck_assert_int_ge(allocs, at_least);
	for (long k = 1; k <= allocs; k++) {
		tt_hooks_reset();
		tt_hooks.fail_alloc_at = k;
		size = room;
		DWORD rc = udp_owner_table(buf, &size);
		ck_assert_msg(rc == ERROR_NOT_ENOUGH_MEMORY, "allocation %ld: %u", k, (unsigned)rc);
	}
	tt_hooks_reset();
	free(buf);
}
