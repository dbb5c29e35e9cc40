/*
 * sysctl.c - the OpenBSD backend's I/O: the sysctl reads behind
 * tt_obsd_collect(), and the other tt_backend_* entry points
 * (GetOwnerModuleFrom*Entry, SetTcpEntry, GetTcpStatistics*).
 *
 * Nodes used:
 *   kern.file  tt_obsd_sockets_mib (rows), tt_obsd_files_mib (owners),
 *              {CTL_KERN, KERN_FILE, KERN_FILE_BYPID, pid, ...} (a name)
 *   net.inet.tcp.drop   struct tcp_ident_mapping, both families
 *   net.inet.tcp.stats  struct tcpstat
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "tcpmib.h"

#include "layout.h"
#include "openbsd.h"
#include "seam.h"
#include "io.h"

static int read_list(void *ctx, enum tt_bsd_list list, void **buf, size_t *len)
{
	(void)ctx;
	const int *mib = list == TT_BSD_FILES ? tt_obsd_files_mib : tt_obsd_sockets_mib;
	return tt_bsd_sysctl_read(mib, TT_OBSD_FILE_MIBLEN, buf, len);
}

int tt_backend_collect(const struct tt_request *req, struct tt_collector *col)
{
	const struct tt_bsd_source src = { read_list, NULL };
	return tt_obsd_collect(&src, req, col);
}

/* Owners were filled while collecting (TT_CONN_PID_KNOWN). */
int tt_backend_owners(struct tt_owner_query *q)
{
	(void)q;
	return 0;
}

/* OpenBSD keeps no executable path for a process: the module is its
 * command name (p_comm, at most KI_MAXCOMLEN - 1 bytes), as path and name;
 * no start time is read, so a reused PID is not told apart. */
int tt_backend_image(uint32_t pid, struct tt_image *out)
{
	memset(out, 0, sizeof(*out));
	if (pid > INT_MAX)
		return -ESRCH;
	const int mib[TT_OBSD_FILE_MIBLEN] = { CTL_KERN, KERN_FILE, KERN_FILE_BYPID, (int)pid,
					       (int)sizeof(struct kinfo_file), INT_MAX };
	void *buf = NULL;
	size_t len = 0;
	int err = tt_bsd_sysctl_read(mib, TT_OBSD_FILE_MIBLEN, &buf, &len);
	if (!err)
		err = tt_obsd_image(buf, len, pid, out);
	free(buf);
	return err == -EPERM ? -EACCES : err;
}

int tt_backend_destroy(const struct tt_conn *c)
{
	struct tcp_ident_mapping req;
	int err = tt_obsd_drop_request(c, &req);
	if (err)
		return err;
	/* One node for both families (tcp_ident() looks in tcb6table for
	 * an AF_INET6 pair). */
	static const int drop[] = { CTL_NET, PF_INET, IPPROTO_TCP, TCPCTL_DROP };
	if (sysctl(drop, 4, NULL, NULL, &req, sizeof(req)) == 0)
		return 0;
	return tt_bsd_drop_error(errno);
}

int tt_backend_tcp_mib(int family, struct tt_tcp_mib *out)
{
	(void)family; /* one set of counters for IPv4 and IPv6 */
	static const int stats[] = { CTL_NET, PF_INET, IPPROTO_TCP, TCPCTL_STATS };
	int err = tt_bsd_tcp_counters(stats, 4, tt_obsd_tcp_mib, out);
	if (err)
		return err;
	out->rto_algorithm = MIB_TCP_RTO_VANJ;
	out->rto_min = 1000; /* TCPTV_MIN: one second */
	out->rto_max = 64000; /* TCPTV_REXMTMAX: 64 s */
	out->max_conn = -1;
	return 0;
}

int tt_backend_udp_mib(int family, struct tt_udp_mib *out)
{
	(void)family; /* one set of counters for IPv4 and IPv6 */
	static const int stats[] = { CTL_NET, PF_INET, IPPROTO_UDP, UDPCTL_STATS };
	return tt_bsd_udp_counters(stats, 4, tt_obsd_udp_mib, out);
}

/* Per-connection counters (Get…EStats): not read from this system's
 * records yet; docs/porting.md says which fields it could give. */
int tt_backend_tcp_info(const struct tt_conn *c, struct tt_tcp_info *out)
{
	(void)c;
	(void)out;
	return -EOPNOTSUPP;
}
