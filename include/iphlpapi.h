/*
 * iphlpapi.h - the Windows IP Helper TCP connection-table functions,
 * implemented by libtcptable for Linux and the BSDs.
 *
 * Include it as on Windows (`#include <iphlpapi.h>`, found through
 * `pkg-config --cflags tcptable`).  Only the functions the library implements
 * are declared; the behaviour contract is the Windows one (see the porting
 * guide, docs/porting.md, for the few differences).
 */
#ifndef _IPHLPAPI_H
#define _IPHLPAPI_H

#include "tcptable_windef.h"
#include "iprtrmib.h"

#ifdef __cplusplus
extern "C" {
#endif

IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetTcpTable(PMIB_TCPTABLE TcpTable, PULONG SizePointer,
					      BOOL Order);
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetTcpTable2(PMIB_TCPTABLE2 TcpTable, PULONG SizePointer,
					       BOOL Order);
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetTcp6Table(PMIB_TCP6TABLE TcpTable, PULONG SizePointer,
					       BOOL Order);
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetTcp6Table2(PMIB_TCP6TABLE2 TcpTable, PULONG SizePointer,
						BOOL Order);

#ifdef __cplusplus
}
#endif

#endif /* _IPHLPAPI_H */
