/*
 * get_tcp_table2.c - prints every field of every row of GetTcpTable2, the
 * way a Windows tool does it: ask for the size, allocate, fill, walk.
 *
 * This is Windows code with the few changes a port needs, each marked
 * "PORT:" (the full list is in docs/porting.md).  On Windows it would
 * include <winsock2.h> and <ws2tcpip.h>, allocate with HeapAlloc and copy
 * strings with strcpy_s.
 */
#include <iphlpapi.h>
#include <stdio.h>
#include <stdlib.h>

/* PORT: <winsock2.h>/<ws2tcpip.h> become the POSIX socket headers. */
#include <arpa/inet.h>
#include <netinet/in.h>

/* PORT: HeapAlloc(GetProcessHeap(), 0, x) / HeapFree(...) become malloc/free. */
#define MALLOC(x) malloc(x)
#define FREE(x) free(x)

static const char *state_name(DWORD state)
{
	switch (state) {
	case MIB_TCP_STATE_CLOSED: return "CLOSED";
	case MIB_TCP_STATE_LISTEN: return "LISTEN";
	case MIB_TCP_STATE_SYN_SENT: return "SYN-SENT";
	case MIB_TCP_STATE_SYN_RCVD: return "SYN-RECEIVED";
	case MIB_TCP_STATE_ESTAB: return "ESTABLISHED";
	case MIB_TCP_STATE_FIN_WAIT1: return "FIN-WAIT-1";
	case MIB_TCP_STATE_FIN_WAIT2: return "FIN-WAIT-2";
	case MIB_TCP_STATE_CLOSE_WAIT: return "CLOSE-WAIT";
	case MIB_TCP_STATE_CLOSING: return "CLOSING";
	case MIB_TCP_STATE_LAST_ACK: return "LAST-ACK";
	case MIB_TCP_STATE_TIME_WAIT: return "TIME-WAIT";
	case MIB_TCP_STATE_DELETE_TCB: return "DELETE-TCB";
	default: return "UNKNOWN";
	}
}

static const char *offload_name(TCP_CONNECTION_OFFLOAD_STATE s)
{
	switch (s) {
	case TcpConnectionOffloadStateInHost: return "Owned by the network stack";
	case TcpConnectionOffloadStateOffloading: return "Being offloaded";
	case TcpConnectionOffloadStateOffloaded: return "Offloaded";
	case TcpConnectionOffloadStateUploading: return "Being uploaded";
	default: return "Unknown";
	}
}

int main(void)
{
	PMIB_TCPTABLE2 pTcpTable;
	ULONG ulSize = 0;
	DWORD dwRetVal = 0;
	char szLocalAddr[128];
	char szRemoteAddr[128];
	struct in_addr IpAddr;
	int i;

	pTcpTable = (MIB_TCPTABLE2 *)MALLOC(sizeof(MIB_TCPTABLE2));
	if (pTcpTable == NULL) {
		printf("Error allocating memory\n");
		return 1;
	}
	ulSize = sizeof(MIB_TCPTABLE2);
	/* The table can grow between two calls: retry until it fits. */
	while ((dwRetVal = GetTcpTable2(pTcpTable, &ulSize, TRUE)) == ERROR_INSUFFICIENT_BUFFER) {
		FREE(pTcpTable);
		pTcpTable = (MIB_TCPTABLE2 *)MALLOC(ulSize);
		if (pTcpTable == NULL) {
			printf("Error allocating memory\n");
			return 1;
		}
	}
	if (dwRetVal != NO_ERROR) {
		/* PORT: %ld with a DWORD becomes %lu with a cast (DWORD is 32 bits). */
		printf("\tGetTcpTable2 failed with %lu\n", (unsigned long)dwRetVal);
		FREE(pTcpTable);
		return 1;
	}

	printf("\tNumber of entries: %d\n", (int)pTcpTable->dwNumEntries);
	for (i = 0; i < (int)pTcpTable->dwNumEntries; i++) {
		MIB_TCPROW2 *row = &pTcpTable->table[i];

		printf("\n\tTCP[%d] State: %lu - %s\n", i, (unsigned long)row->dwState,
		       state_name(row->dwState));

		/* PORT: IpAddr.S_un.S_addr becomes IpAddr.s_addr, and
		 * strcpy_s(dst, size, src) becomes snprintf(dst, size, "%s", src). */
		IpAddr.s_addr = (in_addr_t)row->dwLocalAddr;
		snprintf(szLocalAddr, sizeof(szLocalAddr), "%s", inet_ntoa(IpAddr));
		printf("\tTCP[%d] Local Addr: %s\n", i, szLocalAddr);
		printf("\tTCP[%d] Local Port: %d \n", i, ntohs((u_short)row->dwLocalPort));

		IpAddr.s_addr = (in_addr_t)row->dwRemoteAddr;
		snprintf(szRemoteAddr, sizeof(szRemoteAddr), "%s", inet_ntoa(IpAddr));
		printf("\tTCP[%d] Remote Addr: %s\n", i, szRemoteAddr);
		printf("\tTCP[%d] Remote Port: %d\n", i, ntohs((u_short)row->dwRemotePort));

		printf("\tTCP[%d] Owning PID: %lu\n", i, (unsigned long)row->dwOwningPid);
		printf("\tTCP[%d] Offload State: %lu - %s\n", i, (unsigned long)row->dwOffloadState,
		       offload_name(row->dwOffloadState));
	}
	FREE(pTcpTable);
	return 0;
}
