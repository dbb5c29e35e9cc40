/*
 * get_tcp6_table.c - prints every field of every row of GetTcp6Table, as a
 * Windows tool does.  Changes a port needs are marked "PORT:".
 */
#include <iphlpapi.h>
#include <stdio.h>
#include <stdlib.h>

/* PORT: <winsock2.h>/<ws2tcpip.h> become the POSIX socket headers. */
#include <arpa/inet.h>
#include <netinet/in.h>

#define MALLOC(x) malloc(x)
#define FREE(x) free(x)

static const char *state_name(MIB_TCP_STATE state)
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

int main(void)
{
	PMIB_TCP6TABLE pTcpTable = NULL;
	ULONG ulSize = 0;
	DWORD dwRetVal;
	/* PORT: InetNtop with a wchar_t buffer (UNICODE builds) becomes
	 * inet_ntop with a char buffer. */
	char ipstringbuffer[INET6_ADDRSTRLEN];
	int i;

	/* First call with no buffer: returns the size needed. */
	dwRetVal = GetTcp6Table(NULL, &ulSize, TRUE);
	while (dwRetVal == ERROR_INSUFFICIENT_BUFFER) {
		FREE(pTcpTable);
		pTcpTable = (MIB_TCP6TABLE *)MALLOC(ulSize);
		if (pTcpTable == NULL) {
			printf("Error allocating memory\n");
			return 1;
		}
		dwRetVal = GetTcp6Table(pTcpTable, &ulSize, TRUE);
	}
	if (dwRetVal != NO_ERROR) {
		printf("\tGetTcp6Table failed with %lu\n", (unsigned long)dwRetVal);
		FREE(pTcpTable);
		return 1;
	}

	printf("\tNumber of entries: %d\n", (int)pTcpTable->dwNumEntries);
	for (i = 0; i < (int)pTcpTable->dwNumEntries; i++) {
		MIB_TCP6ROW *row = &pTcpTable->table[i];

		printf("\n\tTCP[%d] State: %d - %s\n", i, (int)row->State, state_name(row->State));
		if (inet_ntop(AF_INET6, &row->LocalAddr, ipstringbuffer, sizeof(ipstringbuffer)))
			printf("\tTCP[%d] Local Addr: %s\n", i, ipstringbuffer);
		else
			printf("\tTCP[%d] Local Addr: (invalid)\n", i);
		/* The scope id is the interface index in host order: the sample
		 * in the Windows documentation calls ntohl() on it, which prints
		 * a byte-swapped number there too (see docs/porting.md). */
		printf("\tTCP[%d] Local Scope ID: %lu \n", i, (unsigned long)row->dwLocalScopeId);
		printf("\tTCP[%d] Local Port: %d \n", i, ntohs((u_short)row->dwLocalPort));

		if (inet_ntop(AF_INET6, &row->RemoteAddr, ipstringbuffer, sizeof(ipstringbuffer)))
			printf("\tTCP[%d] Remote Addr: %s\n", i, ipstringbuffer);
		else
			printf("\tTCP[%d] Remote Addr: (invalid)\n", i);
		printf("\tTCP[%d] Remote Scope ID: %lu \n", i, (unsigned long)row->dwRemoteScopeId);
		printf("\tTCP[%d] Remote Port: %d \n", i, ntohs((u_short)row->dwRemotePort));
	}
	FREE(pTcpTable);
	return 0;
}
