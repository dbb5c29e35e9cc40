/*
 * suite.c - see suite.h.
 */
#include <stddef.h>
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

void *fx_udp_ext(ULONG family, UDP_TABLE_CLASS cls)
{
	DWORD size = 0;
	ck_assert_uint_eq(GetExtendedUdpTable(NULL, &size, TRUE, family, cls, 0),
			  ERROR_INSUFFICIENT_BUFFER);
	void *t = malloc(size);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(GetExtendedUdpTable(t, &size, TRUE, family, cls, 0), NO_ERROR);
	return t;
}

void fx_udp_every_class_and_size(DWORD rows4, DWORD rows6)
{
	static const struct {
		ULONG family;
		UDP_TABLE_CLASS cls;
		size_t head, row_size;
	} want[] = {
		{ AF_INET, UDP_TABLE_BASIC, sizeof(DWORD), sizeof(MIB_UDPROW) },
		{ AF_INET, UDP_TABLE_OWNER_PID, sizeof(DWORD), sizeof(MIB_UDPROW_OWNER_PID) },
		{ AF_INET, UDP_TABLE_OWNER_MODULE, offsetof(MIB_UDPTABLE_OWNER_MODULE, table),
		  sizeof(MIB_UDPROW_OWNER_MODULE) },
		{ AF_INET6, UDP_TABLE_BASIC, sizeof(DWORD), sizeof(MIB_UDP6ROW) },
		{ AF_INET6, UDP_TABLE_OWNER_PID, sizeof(DWORD), sizeof(MIB_UDP6ROW_OWNER_PID) },
		{ AF_INET6, UDP_TABLE_OWNER_MODULE, offsetof(MIB_UDP6TABLE_OWNER_MODULE, table),
		  sizeof(MIB_UDP6ROW_OWNER_MODULE) },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		DWORD rows = want[i].family == AF_INET ? rows4 : rows6;
		DWORD size = 0;
		ck_assert_uint_eq(GetExtendedUdpTable(NULL, &size, TRUE, want[i].family, want[i].cls,
						      0),
				  ERROR_INSUFFICIENT_BUFFER);
		ck_assert_uint_eq(size, want[i].head + rows * want[i].row_size);
		for (DWORD len = 0; len < size; len++) {
			struct tt_guarded g = tt_guarded_alloc(len);
			DWORD got = len;
			ck_assert_uint_eq(GetExtendedUdpTable(len ? g.buf : NULL, &got, TRUE,
							      want[i].family, want[i].cls, 0),
					  ERROR_INSUFFICIENT_BUFFER);
			ck_assert_uint_eq(got, size);
			ck_assert(tt_pattern_intact(g.map, g.map + g.body));
			tt_guarded_free(&g);
		}
		struct tt_guarded g = tt_guarded_alloc(size);
		DWORD got = size;
		ck_assert_uint_eq(GetExtendedUdpTable(g.buf, &got, TRUE, want[i].family, want[i].cls,
						      0),
				  NO_ERROR);
		ck_assert_uint_eq(*(DWORD *)g.buf, rows);
		tt_guarded_free(&g);
	}
}

void fx_udp_every_allocation_fails(ULONG family, long at_least)
{
	DWORD room = 1 << 14;
	void *buf = malloc(room);
	DWORD size = room;
	tt_hooks_reset();
	ck_assert_uint_eq(GetExtendedUdpTable(buf, &size, TRUE, family, UDP_TABLE_OWNER_PID, 0),
			  NO_ERROR);
	long allocs = tt_hooks_allocs();
	ck_assert_int_ge(allocs, at_least);
	for (long k = 1; k <= allocs; k++) {
		tt_hooks_reset();
		tt_hooks.fail_alloc_at = k;
		size = room;
		DWORD rc = GetExtendedUdpTable(buf, &size, TRUE, family, UDP_TABLE_OWNER_PID, 0);
		ck_assert_msg(rc == ERROR_NOT_ENOUGH_MEMORY, "allocation %ld: %u", k, (unsigned)rc);
	}
	tt_hooks_reset();
	free(buf);
}

void fx_expect_udp_not_supported(void)
{
	struct tt_guarded g = tt_guarded_alloc(4096);
	ULONG size = 4096;
	ck_assert_uint_eq(GetExtendedUdpTable(g.buf, &size, TRUE, AF_INET, UDP_TABLE_OWNER_PID, 0),
			  ERROR_NOT_SUPPORTED);
	ck_assert_uint_eq(size, 4096);
	ck_assert(tt_pattern_intact(g.map, g.map + g.body));
	tt_guarded_free(&g);
}
