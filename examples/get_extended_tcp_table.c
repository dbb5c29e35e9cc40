/*
 * get_extended_tcp_table.c - the pattern real tools use (psutil, osquery,
 * netdata, windows_exporter): GetExtendedTcpTable with
 * TCP_TABLE_OWNER_PID_ALL for IPv4 and IPv6, each row printed with its
 * owning process.  Changes a port needs are marked "PORT:".
 */
#include <iphlpapi.h>
#include <stdio.h>
#include <stdlib.h>

/* PORT: <winsock2.h>/<ws2tcpip.h> become the POSIX socket headers. */
#include <arpa/inet.h>
#include <netinet/in.h>

static const char *state_name(DWORD s)
{
	static const char *names[] = { "?", "CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD",
				       "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "CLOSE_WAIT",
				       "CLOSING", "LAST_ACK", "TIME_WAIT", "DELETE_TCB" };
	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

/* Size, allocate with some slack, fill; retry while the table grows. */
static void *get_table(ULONG family)
{
	/* PORT: `unsigned long size` would be 64 bits here; DWORD is 32. */
	DWORD size = 0;
	void *table = NULL;
	DWORD ret = GetExtendedTcpTable(NULL, &size, FALSE, family, TCP_TABLE_OWNER_PID_ALL, 0);
	for (int tries = 0; ret == ERROR_INSUFFICIENT_BUFFER && tries < 10; tries++) {
		free(table);
		size += size / 4; /* the table may grow before the next call */
		table = malloc(size);
		if (!table)
			return NULL;
		ret = GetExtendedTcpTable(table, &size, FALSE, family, TCP_TABLE_OWNER_PID_ALL, 0);
	}
	if (ret != NO_ERROR) {
		fprintf(stderr, "GetExtendedTcpTable(%s) failed: %lu\n",
			family == AF_INET ? "AF_INET" : "AF_INET6", (unsigned long)ret);
		free(table);
		return NULL;
	}
	return table;
}

int main(void)
{
	char local[INET6_ADDRSTRLEN], remote[INET6_ADDRSTRLEN];
	int status = 0;

	PMIB_TCPTABLE_OWNER_PID t4 = get_table(AF_INET);
	if (t4) {
		for (DWORD i = 0; i < t4->dwNumEntries; i++) {
			MIB_TCPROW_OWNER_PID *r = &t4->table[i];
			/* PORT: RtlIpv4AddressToStringA becomes inet_ntop. */
			inet_ntop(AF_INET, &r->dwLocalAddr, local, sizeof(local));
			inet_ntop(AF_INET, &r->dwRemoteAddr, remote, sizeof(remote));
			printf("TCP   %s:%u -> %s:%u  %-11s pid %lu\n", local,
			       ntohs((u_short)r->dwLocalPort), remote, ntohs((u_short)r->dwRemotePort),
			       state_name(r->dwState), (unsigned long)r->dwOwningPid);
		}
		free(t4);
	} else {
		status = 1;
	}

	/* PORT: AF_INET6 is the host's value (10 on Linux), not Windows' 23. */
	PMIB_TCP6TABLE_OWNER_PID t6 = get_table(AF_INET6);
	if (t6) {
		for (DWORD i = 0; i < t6->dwNumEntries; i++) {
			MIB_TCP6ROW_OWNER_PID *r = &t6->table[i];
			inet_ntop(AF_INET6, r->ucLocalAddr, local, sizeof(local));
			inet_ntop(AF_INET6, r->ucRemoteAddr, remote, sizeof(remote));
			printf("TCPv6 [%s]:%u -> [%s]:%u  %-11s pid %lu\n", local,
			       ntohs((u_short)r->dwLocalPort), remote, ntohs((u_short)r->dwRemotePort),
			       state_name(r->dwState), (unsigned long)r->dwOwningPid);
		}
		free(t6);
	} else {
		status = 1;
	}
	return status;
}
