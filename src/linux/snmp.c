/*
 * snmp.c - the kernel's TCP counters from /proc/net/snmp.  Linux keeps one
 * TCP MIB per network namespace for IPv4 and IPv6 together, so both
 * families read the same counters.
 */
#include <errno.h>
#include <fcntl.h>

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
