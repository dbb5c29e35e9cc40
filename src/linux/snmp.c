/*
 * snmp.c - the kernel's TCP counters from the snmp file of the calling
 * thread's network namespace (/proc/thread-self/net/snmp: the namespace
 * whose rows sock_diag lists and dwNumConns counts; /proc/net/snmp is the
 * main thread's).  Linux keeps one TCP MIB per network namespace for IPv4
 * and IPv6 together, so both families read the same counters.  UDP counters
 * are kept per family: `Udp:` in snmp, `Udp6*` in snmp6 (SPEC §10).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <unistd.h>
#include <sys/socket.h>

#include "backend.h"
#include "procfs.h"
#include "seam.h"
#include "snmp.h"

/* The snmp file is a few kilobytes; anything past this is not the file. */
#define SNMP_MAX ((size_t)64 * 1024)

int tt_backend_tcp_mib(int family, struct tt_tcp_mib *out)
{
	(void)family;
	char *buf = tt_malloc(SNMP_MAX);
	if (!buf)
		return -ENOMEM;
	int dir = tt_procfs_net_dir();
	ssize_t n = dir < 0 ? dir : tt_procfs_read(dir, "snmp", buf, SNMP_MAX);
	int err = n < 0 ? (int)n : tt_parse_snmp_tcp(buf, (size_t)n, out);
	if (dir >= 0)
		close(dir);
	free(buf);
	return err;
}

int tt_backend_udp_mib(int family, struct tt_udp_mib *out)
{
	char *buf = tt_malloc(SNMP_MAX);
	if (!buf)
		return -ENOMEM;
	bool v6 = family == AF_INET6;
	int dir = tt_procfs_net_dir();
	ssize_t n = dir < 0 ? dir : tt_procfs_read(dir, v6 ? "snmp6" : "snmp", buf, SNMP_MAX);
	int err = n < 0   ? (int)n
		  : v6 ? tt_parse_snmp6_udp(buf, (size_t)n, out)
		       : tt_parse_snmp_udp(buf, (size_t)n, out);
	if (dir >= 0)
		close(dir);
	free(buf);
	return err;
}
