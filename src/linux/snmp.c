/*
 * snmp.c - the kernel's TCP counters from /proc/net/snmp.  Linux keeps one
 * TCP MIB per network namespace for IPv4 and IPv6 together, so both
 * families read the same counters.  UDP counters are kept per family:
 * `Udp:` in /proc/net/snmp, `Udp6*` in /proc/net/snmp6 (SPEC §10).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "backend.h"
#include "procfs.h"
#include "seam.h"
#include "snmp.h"

/* /proc/net/snmp is a few kilobytes; anything past this is not the file. */
#define SNMP_MAX ((size_t)64 * 1024)

int tt_backend_tcp_mib(int family, struct tt_tcp_mib *out)
{
	(void)family;
	char *buf = tt_malloc(SNMP_MAX);
	if (!buf)
		return -ENOMEM;
	ssize_t n = tt_procfs_read(AT_FDCWD, "/proc/net/snmp", buf, SNMP_MAX);
	int err = n < 0 ? (int)n : tt_parse_snmp_tcp(buf, (size_t)n, out);
	free(buf);
	return err;
}

int tt_backend_udp_mib(int family, struct tt_udp_mib *out)
{
	char *buf = tt_malloc(SNMP_MAX);
	if (!buf)
		return -ENOMEM;
	bool v6 = family == AF_INET6;
	ssize_t n = tt_procfs_read(AT_FDCWD, v6 ? "/proc/net/snmp6" : "/proc/net/snmp", buf,
				   SNMP_MAX);
	int err = n < 0   ? (int)n
		  : v6 ? tt_parse_snmp6_udp(buf, (size_t)n, out)
		       : tt_parse_snmp_udp(buf, (size_t)n, out);
	free(buf);
	return err;
}
