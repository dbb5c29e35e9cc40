/*
 * get_extended_udp_table.c - a Windows UDP endpoint lister of the kind
 * psutil, .NET's IPGlobalProperties and System Informer contain, ported:
 * GetExtendedUdpTable with UDP_TABLE_OWNER_MODULE for IPv4 and IPv6, each
 * endpoint printed with its owning process and executable, optionally only
 * those of one PID given on the command line ("self": this process).
 * Changes a port needs are marked "PORT:"; docs/porting.md lists them.
 */
#include <iphlpapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* PORT: <winsock2.h>/<ws2tcpip.h> become the POSIX socket headers, and
 * <windows.h>'s GetCurrentProcessId() is getpid() from <unistd.h>. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

/* Size, allocate with some slack, fill; retry while the table grows. */
static void *get_table(ULONG family)
{
	DWORD size = 0;
	void *table = NULL;
	DWORD ret = GetExtendedUdpTable(NULL, &size, TRUE, family, UDP_TABLE_OWNER_MODULE, 0);
	for (int tries = 0; ret == ERROR_INSUFFICIENT_BUFFER && tries < 10; tries++) {
		free(table);
		size += size / 4;
		table = malloc(size);
		if (!table)
			return NULL;
		ret = GetExtendedUdpTable(table, &size, TRUE, family, UDP_TABLE_OWNER_MODULE, 0);
	}
	if (ret != NO_ERROR) {
		fprintf(stderr, "GetExtendedUdpTable(%s) failed: %lu\n",
			family == AF_INET ? "AF_INET" : "AF_INET6", (unsigned long)ret);
		free(table);
		return NULL;
	}
	return table;
}

/* The executable's file name, split from the path the owner-module call
 * returns, as the Windows program did. */
static void module_name(void *row, int v6, char *out, size_t len)
{
	DWORD size = 0;
	unsigned char *buf = NULL;
	DWORD ret = ERROR_INSUFFICIENT_BUFFER;
	for (int tries = 0; ret == ERROR_INSUFFICIENT_BUFFER && tries < 5; tries++) {
		ret = v6 ? GetOwnerModuleFromUdp6Entry(row, TCPIP_OWNER_MODULE_INFO_BASIC, buf, &size)
			 : GetOwnerModuleFromUdpEntry(row, TCPIP_OWNER_MODULE_INFO_BASIC, buf, &size);
		if (ret == ERROR_INSUFFICIENT_BUFFER) {
			free(buf);
			buf = malloc(size);
			if (!buf)
				break;
		}
	}
	snprintf(out, len, "-");
	if (ret == NO_ERROR && buf) {
		const TCPIP_OWNER_MODULE_BASIC_INFO *info = (const void *)buf;
		/* PORT: paths are split at L'/', not L'\\'. */
		const WCHAR *slash = wcsrchr(info->pModulePath, L'/');
		/* PORT: wprintf(L"%s") and printf() on one stream: glibc fixes a
		 * stream's orientation at its first output and drops the other
		 * kind silently, so wide text goes through printf's "%ls". */
		snprintf(out, len, "%ls", slash ? slash + 1 : info->pModulePath);
	}
	free(buf);
}

/* PORT: int wmain(int argc, wchar_t **argv) becomes main with char. */
int main(int argc, char **argv)
{
	DWORD only = 0;
	if (argc > 1) {
		/* PORT: GetCurrentProcessId() is getpid(). */
		if (strcmp(argv[1], "self") == 0)
			only = (DWORD)getpid();
		/* PORT: swscanf(argv[1], L"%lu", &only) writes 8 bytes into the
		 * 4-byte DWORD on LP64: read an unsigned long, then check and
		 * narrow it (or sscanf with SCNu32 from <inttypes.h>). */
		else {
			char *end;
			unsigned long v = strtoul(argv[1], &end, 10);
			if (end == argv[1] || *end != '\0' || v > 0xffffffffUL)
				return 2;
			only = (DWORD)v;
		}
	}
	char addr[INET6_ADDRSTRLEN], exe[256];
	int status = 0;

	PMIB_UDPTABLE_OWNER_MODULE t4 = get_table(AF_INET);
	if (t4) {
		for (DWORD i = 0; i < t4->dwNumEntries; i++) {
			MIB_UDPROW_OWNER_MODULE *r = &t4->table[i];
			if (only && r->dwOwningPid != only)
				continue;
			inet_ntop(AF_INET, &r->dwLocalAddr, addr, sizeof(addr));
			module_name(r, 0, exe, sizeof(exe));
			/* PORT: "%lu" with a DWORD becomes a cast to unsigned long. */
			printf("UDP   %s:%u  pid %lu  %s\n", addr, ntohs((u_short)r->dwLocalPort),
			       (unsigned long)r->dwOwningPid, exe);
		}
		free(t4);
	} else {
		status = 1;
	}

	PMIB_UDP6TABLE_OWNER_MODULE t6 = get_table(AF_INET6);
	if (t6) {
		for (DWORD i = 0; i < t6->dwNumEntries; i++) {
			MIB_UDP6ROW_OWNER_MODULE *r = &t6->table[i];
			if (only && r->dwOwningPid != only)
				continue;
			inet_ntop(AF_INET6, r->ucLocalAddr, addr, sizeof(addr));
			module_name(r, 1, exe, sizeof(exe));
			/* PORT: the scope id is host order: no ntohl() (SPEC §5). */
			char zone[16] = "";
			if (r->dwLocalScopeId)
				snprintf(zone, sizeof(zone), "%%%lu", (unsigned long)r->dwLocalScopeId);
			printf("UDPv6 [%s%s]:%u  pid %lu  %s\n", addr, zone,
			       ntohs((u_short)r->dwLocalPort), (unsigned long)r->dwOwningPid, exe);
		}
		free(t6);
	} else {
		status = 1;
	}

	/* The statistics .NET's IPGlobalProperties.GetUdpIPv4Statistics()
	 * reads, with the number of endpoints. */
	MIB_UDPSTATS st;
	if (GetUdpStatisticsEx(&st, AF_INET) == NO_ERROR)
		printf("IPv4: %lu datagrams in, %lu out, %lu endpoints\n",
		       (unsigned long)st.dwInDatagrams, (unsigned long)st.dwOutDatagrams,
		       (unsigned long)st.dwNumAddrs);
	return status;
}
