/*
 * suite.h - TEST ONLY.  Checks both BSD front-end suites make the same way.
 */
#ifndef TT_BSD_SUITE_H
#define TT_BSD_SUITE_H

#include <stdint.h>

#include <iphlpapi.h>

/* Asserts every field of an IPv4 row (addresses as text, NULL for 0;
 * ports host order). */
void fx_expect_row4(const MIB_TCPROW2 *r, DWORD state, const char *laddr, uint16_t lport,
		    const char *raddr, uint16_t rport, DWORD pid);

/* Asserts that filling the IPv4 owner table (a buffer with room for rows)
 * is ERROR_NOT_SUPPORTED and that nothing was written to the caller's
 * buffer (against a guard page). */
void fx_expect_not_supported(void);

/* Makes every allocation of one GetTcpTable2 call fail in turn (the
 * fault hooks) and asserts ERROR_NOT_ENOUGH_MEMORY each time; the call
 * must make at least at_least allocations. */
void fx_every_allocation_fails(long at_least);

/* ---- UDP (both BSD suites). */

/* The whole GetExtendedUdpTable answer for family and cls; free() it. */
void *fx_udp_ext(ULONG family, UDP_TABLE_CLASS cls);

/* Every class of GetExtendedUdpTable for both families: the size it asks
 * for (rows4 / rows6 rows), one byte short of it at every length against
 * a guard page (nothing written, the size told again), exactly enough
 * (the rows, ending at the guard page). */
void fx_udp_every_class_and_size(DWORD rows4, DWORD rows6);

/* Makes every allocation of one GetExtendedUdpTable(family,
 * UDP_TABLE_OWNER_PID) call fail in turn: ERROR_NOT_ENOUGH_MEMORY each
 * time; at least at_least allocations. */
void fx_udp_every_allocation_fails(ULONG family, long at_least);

/* Asserts that filling the IPv4 UDP owner table is ERROR_NOT_SUPPORTED
 * and that nothing was written to the caller's buffer (a guard page). */
void fx_expect_udp_not_supported(void);

#endif /* TT_BSD_SUITE_H */
