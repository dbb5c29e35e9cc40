/*
 * tcptable_ext.h - what tcptable adds to the Windows API.  Not part of
 * iphlpapi.h, so Windows code never sees these names by accident; include
 * this header explicitly to use them.
 */
#ifndef TCPTABLE_EXT_H
#define TCPTABLE_EXT_H

#include "iphlpapi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* SetTcpEntry for IPv6, which Windows does not offer: with State set to
 * MIB_TCP_STATE_DELETE_TCB, destroys the connection described by the
 * row's addresses, ports and scope ids (a row from GetTcp6Table, or built
 * from a MIB_TCP6ROW_OWNER_PID/_MODULE row).  Returns what SetTcpEntry
 * returns: NO_ERROR, ERROR_INVALID_PARAMETER (NULL or another State),
 * ERROR_MR_MID_NOT_FOUND (no such connection), ERROR_ACCESS_DENIED (needs
 * CAP_NET_ADMIN on Linux), ERROR_NOT_SUPPORTED (the kernel cannot). */
IPHLPAPI_DLL_LINKAGE DWORD WINAPI TcptableSetTcp6Entry(PMIB_TCP6ROW pTcp6Row);

#ifdef __cplusplus
}
#endif

#endif /* TCPTABLE_EXT_H */
