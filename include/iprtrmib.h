/*
 * iprtrmib.h - the table-class enumerations and the owner-module structure
 * of the Windows header of the same name; pulls in tcpmib.h and udpmib.h as
 * the Windows one does.
 */
#ifndef __ROUTING_IPRTRMIB_H__
#define __ROUTING_IPRTRMIB_H__

#include "tcptable_windef.h"
#include "tcpmib.h"
#include "udpmib.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum _TCP_TABLE_CLASS {
	TCP_TABLE_BASIC_LISTENER,
	TCP_TABLE_BASIC_CONNECTIONS,
	TCP_TABLE_BASIC_ALL,
	TCP_TABLE_OWNER_PID_LISTENER,
	TCP_TABLE_OWNER_PID_CONNECTIONS,
	TCP_TABLE_OWNER_PID_ALL,
	TCP_TABLE_OWNER_MODULE_LISTENER,
	TCP_TABLE_OWNER_MODULE_CONNECTIONS,
	TCP_TABLE_OWNER_MODULE_ALL
} TCP_TABLE_CLASS, *PTCP_TABLE_CLASS;

typedef enum _UDP_TABLE_CLASS {
	UDP_TABLE_BASIC,
	UDP_TABLE_OWNER_PID,
	UDP_TABLE_OWNER_MODULE
} UDP_TABLE_CLASS, *PUDP_TABLE_CLASS;

typedef enum _TCPIP_OWNER_MODULE_INFO_CLASS {
	TCPIP_OWNER_MODULE_INFO_BASIC
} TCPIP_OWNER_MODULE_INFO_CLASS, *PTCPIP_OWNER_MODULE_INFO_CLASS;

/* Filled by GetOwnerModuleFrom*Entry: the two pointers point into the
 * caller's buffer, right after this structure. */
typedef struct _TCPIP_OWNER_MODULE_BASIC_INFO {
	PWCHAR pModuleName;
	PWCHAR pModulePath;
} TCPIP_OWNER_MODULE_BASIC_INFO, *PTCPIP_OWNER_MODULE_BASIC_INFO;

#ifdef __cplusplus
}
#endif

#endif /* __ROUTING_IPRTRMIB_H__ */
