/*
 * sysctl.c - the NetBSD backend's I/O: the sysctl reads behind
 * tt_nbsd_collect(), and the other tt_backend_* entry points
 * (GetOwnerModuleFrom*Entry, SetTcpEntry, GetTcpStatistics*).
 *
 * Nodes used:
 *   net.inet.tcp.pcblist, net.inet6.tcp6.pcblist, net.inet.udp.pcblist,
 *   net.inet6.udp6.pcblist   (dynamic: by name, then
 *       {PCB_ALL, 0, sizeof(struct kinfo_pcb), INT_MAX} appended)
 *   kern.file2  tt_nbsd_files_mib: {CTL_KERN, KERN_FILE2, KERN_FILE_BYPID,
 *                -1 (all processes), sizeof(struct kinfo_file), INT_MAX}
 *   net.inet.tcp.drop, net.inet6.tcp6.drop (in tt_nbsd_destroy's order),
 *   net.inet.tcp.stats, net.inet.udp.stats, net.inet6.udp6.stats
 *   kern.proc2, kern.proc_args.<pid>.pathname
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tcpmib.h"

#include "layout.h"
#include "netbsd.h"
#include "seam.h"
#include "io.h"

/* A dynamic PCB list node with the four selector words appended. */
static int read_pcblist(const char *name, void **buf, size_t *len)
{
	int mib[CTL_MAXNAME];
	size_t n = CTL_MAXNAME - 4;
	if (sysctlnametomib(name, mib, &n) != 0) {
		*buf = NULL;
		*len = 0;
		return errno == ENOENT ? 0 : -errno; /* ENOENT: no such protocol */
	}
	mib[n] = PCB_ALL;
	mib[n + 1] = 0;
	mib[n + 2] = (int)sizeof(struct kinfo_pcb);
	mib[n + 3] = INT_MAX;
	return tt_bsd_sysctl_read(mib, (unsigned)n + 4, buf, len);
}

static int read_list(void *ctx, enum tt_bsd_list list, void **buf, size_t *len)
{
	(void)ctx;
	switch (list) {
	case TT_BSD_PCB:
		return read_pcblist("net.inet.tcp.pcblist", buf, len);
	case TT_BSD_PCB6:
		return read_pcblist("net.inet6.tcp6.pcblist", buf, len);
	case TT_BSD_UDP:
		return read_pcblist("net.inet.udp.pcblist", buf, len);
	case TT_BSD_UDP6:
		return read_pcblist("net.inet6.udp6.pcblist", buf, len);
	default:
		return tt_bsd_sysctl_read(tt_nbsd_files_mib, TT_NBSD_FILES_MIBLEN, buf, len);
	}
}

int tt_backend_collect(const struct tt_request *req, struct tt_collector *col)
{
	const struct tt_bsd_source src = { read_list, NULL };
	return tt_nbsd_collect(&src, req, col);
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
	int mib[6] = { CTL_KERN, KERN_PROC2, KERN_PROC_PID, (int)pid,
		       (int)sizeof(struct kinfo_proc2), 1 };
	struct kinfo_proc2 kp;
	size_t len = sizeof(kp);
	if (sysctl(mib, 6, &kp, &len, NULL, 0) != 0)
		return errno == EPERM ? -EACCES : -errno;
	if (len < sizeof(kp))
		return -ESRCH; /* no such process (or not visible) */
	/* Start time in microseconds, + 1 so that it is never 0. */
	out->key = (uint64_t)kp.p_ustart_sec * 1000000u + kp.p_ustart_usec + 1;
	if (kp.p_flag & P_SYSTEM) {
		out->kernel = true;
		return 0;
	}

	int pmib[4] = { CTL_KERN, KERN_PROC_ARGS, (int)pid, KERN_PROC_PATHNAME };
	return tt_bsd_read_path(pmib, 4, out);
}

/* The drop node of the connection's family. */
static int drop_node(void *ctx, const struct tt_conn *c)
{
	(void)ctx;
	const int drop[] = { CTL_NET, c->family == AF_INET ? PF_INET : PF_INET6, IPPROTO_TCP,
			     TCPCTL_DROP };
	return tt_bsd_drop(drop, 4, c);
}

/* An IPv4 row may be a dual-stack socket's: tt_nbsd_destroy tries the
 * IPv6 node too. */
int tt_backend_destroy(const struct tt_conn *c)
{
	const struct tt_nbsd_dropper d = { drop_node, NULL };
	return tt_nbsd_destroy(&d, c);
}

int tt_backend_tcp_mib(int family, struct tt_tcp_mib *out)
{
	(void)family; /* one set of counters for IPv4 and IPv6 */
	static const int stats[] = { CTL_NET, PF_INET, IPPROTO_TCP, TCPCTL_STATS };
	int err = tt_bsd_tcp_counters(stats, 4, tt_nbsd_tcp_mib, out);
	if (err)
		return err;
	out->rto_algorithm = MIB_TCP_RTO_VANJ;
	out->rto_min = 1000; /* TCPTV_MIN: one second */
	out->rto_max = 64000; /* TCPTV_REXMTMAX: 64 s */
	out->max_conn = -1;
	return 0;
}

/* NetBSD counts UDP per family: net.inet.udp.stats, net.inet6.udp6.stats. */
int tt_backend_udp_mib(int family, struct tt_udp_mib *out)
{
	static const int stats[] = { CTL_NET, PF_INET, IPPROTO_UDP, UDPCTL_STATS };
	static const int stats6[] = { CTL_NET, PF_INET6, IPPROTO_UDP, UDP6CTL_STATS };
	if (family == AF_INET6)
		return tt_bsd_udp_counters(stats6, 4, tt_nbsd_udp6_mib, out);
	return tt_bsd_udp_counters(stats, 4, tt_nbsd_udp_mib, out);
}

/* Per-connection counters (Get…EStats): not read from this system's
 * records yet; docs/porting.md says which fields it could give. */
int tt_backend_tcp_info(const struct tt_conn *c, struct tt_tcp_info *out)
{
	(void)c;
	(void)out;
	return -EOPNOTSUPP;
}
