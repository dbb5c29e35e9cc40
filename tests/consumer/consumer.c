/*
 * consumer.c - a program built only through `pkg-config tcptable` against an
 * installed copy of the library: it must find its own listener with its own
 * PID in GetTcpTable2, and its own UDP socket in GetExtendedUdpTable.
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

/* A UDP socket on 127.0.0.1 must be a row of GetExtendedUdpTable
 * (UDP_TABLE_OWNER_PID) with this process as its owner. */
static int find_own_udp(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(sa);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
		perror("udp");
		return 2;
	}
	DWORD size = 0, r;
	PMIB_UDPTABLE_OWNER_PID t = NULL;
	while ((r = GetExtendedUdpTable(t, &size, TRUE, AF_INET, UDP_TABLE_OWNER_PID, 0)) ==
	       ERROR_INSUFFICIENT_BUFFER) {
		free(t);
		t = malloc(size);
	}
	int found = 0;
	for (DWORD i = 0; r == NO_ERROR && i < t->dwNumEntries; i++)
		found |= t->table[i].dwLocalPort == sa.sin_port &&
			 t->table[i].dwLocalAddr == sa.sin_addr.s_addr &&
			 t->table[i].dwOwningPid == (DWORD)getpid();
	free(t);
	close(fd);
	if (!found) {
		fprintf(stderr, "own UDP socket not found (%lu)\n", (unsigned long)r);
		return 1;
	}
	printf("found own UDP socket 127.0.0.1:%u\n", (unsigned)ntohs(sa.sin_port));
	return 0;
}

int main(void)
{
	if (find_own_udp() != 0)
		return 1;
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
