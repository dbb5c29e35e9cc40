/*
 * udpmib.h - UDP endpoint-table rows, tables and statistics with the layouts
 * of the Windows 10 SDK header of the same name.  The UDP functions are
 * declared in iphlpapi.h, as in the SDK.
 */
#ifndef _UDPMIB_
#define _UDPMIB_

#include "tcptable_windef.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef TCPIP_OWNING_MODULE_SIZE
#define TCPIP_OWNING_MODULE_SIZE 16
#endif

typedef struct _MIB_UDPROW {
	DWORD dwLocalAddr;
	DWORD dwLocalPort;
} MIB_UDPROW, *PMIB_UDPROW;

typedef struct _MIB_UDPTABLE {
	DWORD dwNumEntries;
	MIB_UDPROW table[ANY_SIZE];
} MIB_UDPTABLE, *PMIB_UDPTABLE;

typedef struct _MIB_UDPROW_OWNER_PID {
	DWORD dwLocalAddr;
	DWORD dwLocalPort;
	DWORD dwOwningPid;
} MIB_UDPROW_OWNER_PID, *PMIB_UDPROW_OWNER_PID;

typedef struct _MIB_UDPTABLE_OWNER_PID {
	DWORD dwNumEntries;
	MIB_UDPROW_OWNER_PID table[ANY_SIZE];
} MIB_UDPTABLE_OWNER_PID, *PMIB_UDPTABLE_OWNER_PID;

typedef struct _MIB_UDPROW_OWNER_MODULE {
	DWORD dwLocalAddr;
	DWORD dwLocalPort;
	DWORD dwOwningPid;
	LARGE_INTEGER liCreateTimestamp;
	TCPTABLE_EXTENSION union {
		TCPTABLE_EXTENSION struct {
			int SpecificPortBind : 1;
		};
		int dwFlags;
	};
	ULONGLONG OwningModuleInfo[TCPIP_OWNING_MODULE_SIZE];
} MIB_UDPROW_OWNER_MODULE, *PMIB_UDPROW_OWNER_MODULE;

typedef struct _MIB_UDPTABLE_OWNER_MODULE {
	DWORD dwNumEntries;
	MIB_UDPROW_OWNER_MODULE table[ANY_SIZE];
} MIB_UDPTABLE_OWNER_MODULE, *PMIB_UDPTABLE_OWNER_MODULE;

typedef struct _MIB_UDP6ROW {
	IN6_ADDR dwLocalAddr;
	DWORD dwLocalScopeId;
	DWORD dwLocalPort;
} MIB_UDP6ROW, *PMIB_UDP6ROW;

typedef struct _MIB_UDP6TABLE {
	DWORD dwNumEntries;
	MIB_UDP6ROW table[ANY_SIZE];
} MIB_UDP6TABLE, *PMIB_UDP6TABLE;

typedef struct _MIB_UDP6ROW_OWNER_PID {
	UCHAR ucLocalAddr[16];
	DWORD dwLocalScopeId;
	DWORD dwLocalPort;
	DWORD dwOwningPid;
} MIB_UDP6ROW_OWNER_PID, *PMIB_UDP6ROW_OWNER_PID;

typedef struct _MIB_UDP6TABLE_OWNER_PID {
	DWORD dwNumEntries;
	MIB_UDP6ROW_OWNER_PID table[ANY_SIZE];
} MIB_UDP6TABLE_OWNER_PID, *PMIB_UDP6TABLE_OWNER_PID;

typedef struct _MIB_UDP6ROW_OWNER_MODULE {
	UCHAR ucLocalAddr[16];
	DWORD dwLocalScopeId;
	DWORD dwLocalPort;
	DWORD dwOwningPid;
	LARGE_INTEGER liCreateTimestamp;
	TCPTABLE_EXTENSION union {
		TCPTABLE_EXTENSION struct {
			int SpecificPortBind : 1;
		};
		int dwFlags;
	};
	ULONGLONG OwningModuleInfo[TCPIP_OWNING_MODULE_SIZE];
} MIB_UDP6ROW_OWNER_MODULE, *PMIB_UDP6ROW_OWNER_MODULE;

typedef struct _MIB_UDP6TABLE_OWNER_MODULE {
	DWORD dwNumEntries;
	MIB_UDP6ROW_OWNER_MODULE table[ANY_SIZE];
} MIB_UDP6TABLE_OWNER_MODULE, *PMIB_UDP6TABLE_OWNER_MODULE;

typedef struct _MIB_UDPSTATS {
	DWORD dwInDatagrams;
	DWORD dwNoPorts;
	DWORD dwInErrors;
	DWORD dwOutDatagrams;
	DWORD dwNumAddrs;
} MIB_UDPSTATS, *PMIB_UDPSTATS;

typedef struct _MIB_UDPSTATS2 {
	DWORD64 dw64InDatagrams;
	DWORD dwNoPorts;
	DWORD dwInErrors;
	DWORD64 dw64OutDatagrams;
	DWORD dwNumAddrs;
} MIB_UDPSTATS2, *PMIB_UDPSTATS2;

#ifdef __cplusplus
}
#endif

#endif /* _UDPMIB_ */
