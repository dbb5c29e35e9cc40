/*
 * snmp.c - the kernel's TCP counters from the snmp file of the calling
 * thread's network namespace (/proc/thread-self/net/snmp: the namespace
 * whose rows sock_diag lists and dwNumConns counts; /proc/net/snmp is the
 * main thread's).  Linux keeps one TCP MIB per network namespace for IPv4
 * and IPv6 together, so both families read the same counters.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

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
