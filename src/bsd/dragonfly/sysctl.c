/*
 * sysctl.c - the DragonFly backend's I/O: the sysctl reads behind
 * tt_dfly_collect(), and the other tt_backend_* entry points
 * (GetOwnerModuleFrom*Entry, SetTcpEntry, GetTcpStatistics*).
 *
 * Nodes used:
 *   net.inet.tcp.pcblist  {CTL_NET, PF_INET, IPPROTO_TCP, TCPCTL_PCBLIST}
 *   net.inet.udp.pcblist  {CTL_NET, PF_INET, IPPROTO_UDP, UDPCTL_PCBLIST}
 *   kern.file             {CTL_KERN, KERN_FILE}
 *   net.inet.tcp.stats    {CTL_NET, PF_INET, IPPROTO_TCP, TCPCTL_STATS}
 *   net.inet.udp.stats    {CTL_NET, PF_INET, IPPROTO_UDP, UDPCTL_STATS}
 *   net.inet.tcp.drop     (OID_AUTO: by name), net.inet.tcp.rexmit_min
 *   kern.proc.pid.<pid>, kern.proc.pathname.<pid>
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/param.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/kinfo.h>
#include <sys/user.h> /* P_SYSTEM: userland may not include sys/proc.h */
#include <netinet/in.h>

#include "tcpmib.h"

#include "dragonfly.h"
#include "layout.h"
#include "seam.h"
#include "io.h"

static int read_list(void *ctx, enum tt_bsd_list list, void **buf, size_t *len)
{
	(void)ctx;
	static const int pcblist[] = { CTL_NET, PF_INET, IPPROTO_TCP, TCPCTL_PCBLIST };
	static const int udplist[] = { CTL_NET, PF_INET, IPPROTO_UDP, UDPCTL_PCBLIST };
	static const int files[] = { CTL_KERN, KERN_FILE };
	switch (list) {
	case TT_BSD_PCB:
		return tt_bsd_sysctl_read(pcblist, 4, buf, len);
	case TT_BSD_UDP:
		return tt_bsd_sysctl_read(udplist, 4, buf, len);
	case TT_BSD_FILES:
		return tt_bsd_sysctl_read(files, 2, buf, len);
	default:
		*buf = NULL;
		*len = 0;
		return 0; /* DragonFly keeps IPv4 and IPv6 in one list */
	}
}

int tt_backend_collect(const struct tt_request *req, struct tt_collector *col)
{
	const struct tt_bsd_source src = { read_list, NULL };
	return tt_dfly_collect(&src, req, col);
}

/* Owners were filled while collecting (TT_CONN_PID_KNOWN). */
int tt_backend_owners(struct tt_owner_query *q)
{
	(void)q;
	return 0;
}

int tt_backend_image(uint32_t pid, struct tt_image *out)
{
	memset(out, 0, sizeof(*out));
	int mib[4] = { CTL_KERN, KERN_PROC, KERN_PROC_PID, (int)pid };
	struct kinfo_proc kp;
	size_t len = sizeof(kp);
	if (sysctl(mib, 4, &kp, &len, NULL, 0) != 0)
		return errno == ESRCH ? -ESRCH : errno == EPERM ? -EACCES : -errno;
	if (len == 0)
		return -ESRCH; /* no such process: an empty list */
	if (len != sizeof(kp))
		return -EOPNOTSUPP;
	/* Start time in microseconds, + 1 so that it is never 0. */
	out->key = (uint64_t)kp.kp_start.tv_sec * 1000000u + (uint64_t)kp.kp_start.tv_usec + 1;
	if (kp.kp_flags & P_SYSTEM) {
		out->kernel = true;
		return 0;
	}

	/* kern.proc.pathname.<pid>: the executable's path from the name
	 * cache, NUL included. */
	mib[2] = KERN_PROC_PATHNAME;
	return tt_bsd_read_path(mib, 4, out);
}

/* tcpdrop(8): one node for both families, created with OID_AUTO, so
 * looked up by name.  The kernel refuses v4-mapped IPv6 endpoints, which
 * no row has (DragonFly has no IPv4-mapped sockets). */
int tt_backend_destroy(const struct tt_conn *c)
{
	int mib[CTL_MAXNAME];
	size_t n = CTL_MAXNAME;
	if (sysctlnametomib("net.inet.tcp.drop", mib, &n) != 0)
		return errno == ENOENT ? -EOPNOTSUPP : -errno;
	return tt_bsd_drop(mib, (unsigned)n, c);
}

int tt_backend_tcp_mib(int family, struct tt_tcp_mib *out)
{
	(void)family; /* one set of counters for IPv4 and IPv6 */
	static const int stats[] = { CTL_NET, PF_INET, IPPROTO_TCP, TCPCTL_STATS };
	int err = tt_bsd_tcp_counters(stats, 4, tt_dfly_tcp_mib, out);
	if (err)
		return err;
	out->rto_algorithm = MIB_TCP_RTO_VANJ;
	int min_ms = 0;
	size_t ilen = sizeof(min_ms);
	/* sysctl_msec_to_ticks: the node reads in milliseconds. */
	out->rto_min = sysctlbyname("net.inet.tcp.rexmit_min", &min_ms, &ilen, NULL, 0) == 0 &&
				       min_ms > 0
			       ? (uint32_t)min_ms
			       : 30; /* TCPTV_MIN: hz / 33 */
	out->rto_max = 64000; /* TCPTV_REXMTMAX: 64 s */
	out->max_conn = -1; /* limited by memory, not by a table */
	return 0;
}

int tt_backend_udp_mib(int family, struct tt_udp_mib *out)
{
	(void)family; /* one set of counters for IPv4 and IPv6 */
	static const int stats[] = { CTL_NET, PF_INET, IPPROTO_UDP, UDPCTL_STATS };
	return tt_bsd_udp_counters(stats, 4, tt_dfly_udp_mib, out);
}

/* Per-connection counters (Get…EStats): not read from this system's
 * records yet; docs/porting.md says which fields it could give. */
int tt_backend_tcp_info(const struct tt_conn *c, struct tt_tcp_info *out)
{
	(void)c;
	(void)out;
	return -EOPNOTSUPP;
}
