/*
 * consumer.c - a program built only through `pkg-config tcptable` against an
 * installed copy of the library: it must find its own listener with its own
 * PID in GetTcpTable2.
 */
#define _DEFAULT_SOURCE
#include <iphlpapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

int main(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(sa);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 1) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
		perror("listener");
		return 2;
	}
	ULONG size = 0;
	PMIB_TCPTABLE2 t = NULL;
	DWORD r;
	while ((r = GetTcpTable2(t, &size, TRUE)) == ERROR_INSUFFICIENT_BUFFER) {
		free(t);
		t = malloc(size);
	}
	if (r != NO_ERROR) {
		fprintf(stderr, "GetTcpTable2: %lu\n", (unsigned long)r);
		return 1;
	}
	for (DWORD i = 0; i < t->dwNumEntries; i++) {
		const MIB_TCPROW2 *row = &t->table[i];
		if (row->dwState == MIB_TCP_STATE_LISTEN && row->dwLocalPort == sa.sin_port &&
		    row->dwLocalAddr == sa.sin_addr.s_addr && row->dwOwningPid == (DWORD)getpid()) {
			printf("found own listener 127.0.0.1:%u, pid %lu, among %lu rows\n",
			       (unsigned)ntohs(sa.sin_port), (unsigned long)row->dwOwningPid,
			       (unsigned long)t->dwNumEntries);
			free(t);
			return 0;
		}
	}
	fprintf(stderr, "own listener not found among %lu rows\n", (unsigned long)t->dwNumEntries);
	free(t);
	return 1;
}
