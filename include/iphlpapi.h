/*
 * iphlpapi.h - the Windows IP Helper TCP and UDP table functions,
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
#include "tcpestats.h"

#ifdef __cplusplus
extern "C" {
#endif

IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetTcpTable(PMIB_TCPTABLE TcpTable, PULONG SizePointer,
					      TCPTABLE_BOOL Order);
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetTcpTable2(PMIB_TCPTABLE2 TcpTable, PULONG SizePointer,
					       TCPTABLE_BOOL Order);
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetTcp6Table(PMIB_TCP6TABLE TcpTable, PULONG SizePointer,
					       TCPTABLE_BOOL Order);
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetTcp6Table2(PMIB_TCP6TABLE2 TcpTable, PULONG SizePointer,
						TCPTABLE_BOOL Order);

IPHLPAPI_DLL_LINKAGE DWORD WINAPI GetExtendedTcpTable(PVOID pTcpTable, PDWORD pdwSize,
						      TCPTABLE_BOOL bOrder, ULONG ulAf,
						      TCP_TABLE_CLASS TableClass, ULONG Reserved);

IPHLPAPI_DLL_LINKAGE DWORD WINAPI GetOwnerModuleFromTcpEntry(PMIB_TCPROW_OWNER_MODULE pTcpEntry,
							     TCPIP_OWNER_MODULE_INFO_CLASS Class,
							     PVOID pBuffer, PDWORD pdwSize);
IPHLPAPI_DLL_LINKAGE DWORD WINAPI GetOwnerModuleFromTcp6Entry(PMIB_TCP6ROW_OWNER_MODULE pTcpEntry,
							      TCPIP_OWNER_MODULE_INFO_CLASS Class,
							      PVOID pBuffer, PDWORD pdwSize);

IPHLPAPI_DLL_LINKAGE DWORD WINAPI SetTcpEntry(PMIB_TCPROW pTcpRow);

/* Per-connection extended statistics (tcpestats.h). */
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetPerTcpConnectionEStats(PMIB_TCPROW Row, TCP_ESTATS_TYPE EstatsType,
							    PUCHAR Rw, ULONG RwVersion, ULONG RwSize,
							    PUCHAR Ros, ULONG RosVersion, ULONG RosSize,
							    PUCHAR Rod, ULONG RodVersion, ULONG RodSize);
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetPerTcp6ConnectionEStats(PMIB_TCP6ROW Row, TCP_ESTATS_TYPE EstatsType,
							     PUCHAR Rw, ULONG RwVersion, ULONG RwSize,
							     PUCHAR Ros, ULONG RosVersion, ULONG RosSize,
							     PUCHAR Rod, ULONG RodVersion, ULONG RodSize);
IPHLPAPI_DLL_LINKAGE ULONG WINAPI SetPerTcpConnectionEStats(PMIB_TCPROW Row, TCP_ESTATS_TYPE EstatsType,
							    PUCHAR Rw, ULONG RwVersion, ULONG RwSize,
							    ULONG Offset);
IPHLPAPI_DLL_LINKAGE ULONG WINAPI SetPerTcp6ConnectionEStats(PMIB_TCP6ROW Row, TCP_ESTATS_TYPE EstatsType,
							     PUCHAR Rw, ULONG RwVersion, ULONG RwSize,
							     ULONG Offset);

IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetTcpStatistics(PMIB_TCPSTATS Statistics);
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetTcpStatisticsEx(PMIB_TCPSTATS Statistics, ULONG Family);
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetTcpStatisticsEx2(PMIB_TCPSTATS2 Statistics, ULONG Family);

IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetUdpTable(PMIB_UDPTABLE UdpTable, PULONG SizePointer,
					      TCPTABLE_BOOL Order);
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetUdp6Table(PMIB_UDP6TABLE Udp6Table, PULONG SizePointer,
					       TCPTABLE_BOOL Order);

IPHLPAPI_DLL_LINKAGE DWORD WINAPI GetExtendedUdpTable(PVOID pUdpTable, PDWORD pdwSize,
						      TCPTABLE_BOOL bOrder, ULONG ulAf,
						      UDP_TABLE_CLASS TableClass, ULONG Reserved);

IPHLPAPI_DLL_LINKAGE DWORD WINAPI GetOwnerModuleFromUdpEntry(PMIB_UDPROW_OWNER_MODULE pUdpEntry,
							     TCPIP_OWNER_MODULE_INFO_CLASS Class,
							     PVOID pBuffer, PDWORD pdwSize);
IPHLPAPI_DLL_LINKAGE DWORD WINAPI GetOwnerModuleFromUdp6Entry(PMIB_UDP6ROW_OWNER_MODULE pUdpEntry,
							      TCPIP_OWNER_MODULE_INFO_CLASS Class,
							      PVOID pBuffer, PDWORD pdwSize);

IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetUdpStatistics(PMIB_UDPSTATS Stats);
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetUdpStatisticsEx(PMIB_UDPSTATS Statistics, ULONG Family);
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetUdpStatisticsEx2(PMIB_UDPSTATS2 Statistics, ULONG Family);

#ifdef __cplusplus
}
#endif

#endif /* _IPHLPAPI_H */
