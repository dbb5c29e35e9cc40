/*
 * sysctl.c - the macOS backend's I/O: the sysctl reads and libproc calls
 * behind tt_mac_collect(), and the other tt_backend_* entry points
 * (GetOwnerModuleFrom*Entry, SetTcpEntry, GetTcpStatistics*).
 *
 * Sources used:
 *   net.inet.tcp.pcblist_n   (OID_AUTO: found by name with sysctlnametomib)
 *   net.inet.tcp.stats       {CTL_NET, PF_INET, IPPROTO_TCP, TCPCTL_STATS}
 *   libproc: proc_listpids(PROC_ALL_PIDS), proc_pidinfo(PROC_PIDLISTFDS,
 *            PROC_PIDT_SHORTBSDINFO, PROC_PIDTBSDINFO),
 *            proc_pidfdinfo(PROC_PIDFDSOCKETINFO), proc_pidpath
 * xnu has no node that drops a TCP connection (no net.inet.tcp.drop in
 * tcp_subr.c, tcp_usrreq.c or anywhere in bsd/): SetTcpEntry returns
 * ERROR_NOT_SUPPORTED.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "tcpmib.h"

#include "layout.h"
#include "darwin.h"
#include "seam.h"
#include "io.h"

static int read_pcblist(const char *name, void **buf, size_t *len)
{
	int mib[CTL_MAXNAME];
	size_t n = CTL_MAXNAME;
	if (sysctlnametomib(name, mib, &n) != 0) {
		*buf = NULL;
		*len = 0;
		return errno == ENOENT ? 0 : -errno;
	}
	return tt_bsd_sysctl_read(mib, (unsigned)n, buf, len);
}

/* A growing buffer of descriptor records (darwin.h). */
struct fdrecs {
	unsigned char *p;
	size_t len, cap;
};

static int fdrecs_add(struct fdrecs *r, uint32_t pid, uint32_t size,
		      const struct socket_fdinfo *sfi)
{
	if (r->cap - r->len < TT_MAC_FDREC_SIZE) {
		size_t cap = r->cap ? r->cap / TT_MAC_FDREC_SIZE * 2 : 64;
		unsigned char *p = tt_reallocarray(r->p, cap, TT_MAC_FDREC_SIZE);
		if (!p)
			return -ENOMEM;
		r->p = p;
		r->cap = cap * TT_MAC_FDREC_SIZE;
	}
	tt_mac_fdrec_put(r->p + r->len, pid, size, sfi);
	r->len += TT_MAC_FDREC_SIZE;
	return 0;
}

/* The socket descriptors of one process.  A process the caller may not
 * inspect (EPERM), or one that exited meanwhile (ESRCH), adds nothing: its
 * sockets get PID 0. */
static int process_sockets(pid_t pid, struct fdrecs *r)
{
	errno = 0;
	int bytes = proc_pidinfo(pid, PROC_PIDLISTFDS, 0, NULL, 0);
	if (bytes <= 0)
		return errno == ENOMEM ? -ENOMEM : 0;
	/* Room for descriptors opened since the size was taken. */
	size_t cap = (size_t)bytes / sizeof(struct proc_fdinfo) + 32;
	if (cap > INT_MAX / sizeof(struct proc_fdinfo))
		return -ENOMEM;
	struct proc_fdinfo *fds = tt_mallocarray(cap, sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	bytes = proc_pidinfo(pid, PROC_PIDLISTFDS, 0, fds, (int)(cap * sizeof(*fds)));
	int err = 0;
	size_t nfds = bytes > 0 ? (size_t)bytes / sizeof(*fds) : 0;
	for (size_t i = 0; i < nfds && !err; i++) {
		if (fds[i].proc_fdtype != PROX_FDTYPE_SOCKET)
			continue;
		struct socket_fdinfo sfi;
		memset(&sfi, 0, sizeof(sfi));
		int got = proc_pidfdinfo(pid, fds[i].proc_fd, PROC_PIDFDSOCKETINFO, &sfi,
					 (int)sizeof(sfi));
		if (got <= 0)
			continue; /* closed meanwhile, or not ours to see */
		err = fdrecs_add(r, (uint32_t)pid, (uint32_t)got, &sfi);
	}
	free(fds);
	return err;
}

static int read_sockets(void **buf, size_t *len)
{
	*buf = NULL;
	*len = 0;
	errno = 0;
	int bytes = proc_listpids(PROC_ALL_PIDS, 0, NULL, 0);
	if (bytes <= 0)
		return -(errno ? errno : EIO);
	/* Room for processes started since the size was taken. */
	size_t cap = (size_t)bytes / sizeof(pid_t) + 64;
	if (cap > INT_MAX / sizeof(pid_t))
		return -ENOMEM;
	pid_t *pids = tt_mallocarray(cap, sizeof(*pids));
	if (!pids)
		return -ENOMEM;
	errno = 0;
	bytes = proc_listpids(PROC_ALL_PIDS, 0, pids, (int)(cap * sizeof(*pids)));
	if (bytes <= 0) {
		int err = errno ? errno : EIO;
		free(pids);
		return -err;
	}
	struct fdrecs r = { NULL, 0, 0 };
	int err = 0;
	size_t n = (size_t)bytes / sizeof(pid_t);
	for (size_t i = 0; i < n && !err; i++) {
		if (pids[i] > 0)
			err = process_sockets(pids[i], &r);
	}
	free(pids);
	if (err) {
		free(r.p);
		return err;
	}
	if (!r.p) {
		/* No socket the caller may see: an empty, non-NULL copy. */
		r.p = tt_malloc(1);
		if (!r.p)
			return -ENOMEM;
	}
	*buf = r.p;
	*len = r.len;
	return 0;
}

static int read_list(void *ctx, enum tt_bsd_list list, void **buf, size_t *len)
{
	(void)ctx;
	switch (list) {
	case TT_BSD_PCB:
		return read_pcblist("net.inet.tcp.pcblist_n", buf, len);
	case TT_BSD_UDP:
		return read_pcblist("net.inet.udp.pcblist_n", buf, len);
	case TT_BSD_FILES:
		return read_sockets(buf, len);
	default:
		*buf = NULL;
		*len = 0;
		return 0; /* one list for IPv4 and IPv6 */
	}
}

int tt_backend_collect(const struct tt_request *req, struct tt_collector *col)
{
	const struct tt_bsd_source src = { read_list, NULL };
	return tt_mac_collect(&src, req, col);
}

/* Owners were filled while collecting (TT_CONN_PID_KNOWN). */
int tt_backend_owners(struct tt_owner_query *q)
{
	(void)q;
	return 0;
}

/* libproc's error for a process pid, as tt_backend_image() returns it. */
static int proc_error(int err)
{
	switch (err) {
	case EPERM:
	case EACCES:
		return -EACCES;
	case 0:
	case ESRCH:
		return -ESRCH;
	default:
		return -err;
	}
}

/* PROC_PIDT_SHORTBSDINFO and PROC_PIDPATHINFO are the flavours xnu answers
 * for any caller (proc_info.c: no same-user check); PROC_PIDTBSDINFO, for
 * the start time, only for the caller's own user's processes or root. */
int tt_backend_image(uint32_t pid, struct tt_image *out)
{
	memset(out, 0, sizeof(*out));
	struct proc_bsdshortinfo si;
	errno = 0;
	int got = proc_pidinfo((int)pid, PROC_PIDT_SHORTBSDINFO, 0, &si, (int)sizeof(si));
	if (got <= 0)
		return proc_error(errno);
	if (got != (int)sizeof(si))
		return -EOPNOTSUPP;
	struct proc_bsdinfo bi;
	if (proc_pidinfo((int)pid, PROC_PIDTBSDINFO, 0, &bi, (int)sizeof(bi)) == (int)sizeof(bi))
		/* Start time in microseconds, + 1 so that it is never 0. */
		out->key = bi.pbi_start_tvsec * 1000000u + bi.pbi_start_tvusec + 1;
	if (pid == 0 || (si.pbsi_flags & PROC_FLAG_SYSTEM)) {
		out->kernel = true; /* kernel_task runs no executable */
		return 0;
	}
	char *path = tt_malloc(PROC_PIDPATHINFO_MAXSIZE);
	if (!path)
		return -ENOMEM;
	errno = 0;
	int n = proc_pidpath((int)pid, path, PROC_PIDPATHINFO_MAXSIZE);
	if (n <= 0) {
		int err = proc_error(errno);
		free(path);
		return err;
	}
	if ((size_t)n >= PROC_PIDPATHINFO_MAXSIZE || path[n] != '\0' || strlen(path) != (size_t)n) {
		free(path);
		return -EIO;
	}
	out->path = path;
	out->len = (size_t)n;
	return 0;
}

/* No drop node in xnu (see the top of this file). */
int tt_backend_destroy(const struct tt_conn *c)
{
	(void)c;
	return -EOPNOTSUPP;
}

int tt_backend_tcp_mib(int family, struct tt_tcp_mib *out)
{
	(void)family; /* one set of counters for IPv4 and IPv6 */
	static const int stats[] = { CTL_NET, PF_INET, IPPROTO_TCP, TCPCTL_STATS };
	int err = tt_bsd_tcp_counters(stats, 4, tt_mac_tcp_mib, out);
	if (err)
		return err;
	out->rto_algorithm = MIB_TCP_RTO_VANJ;
	out->rto_min = 30; /* TCPTV_REXMTMIN: TCP_RETRANSHZ / 33, in ms */
	out->rto_max = 64000; /* TCPTV_REXMTMAX: 64 s */
	out->max_conn = -1; /* limited by memory, not by a table */
	return 0;
}

int tt_backend_udp_mib(int family, struct tt_udp_mib *out)
{
	(void)family; /* one set of counters for IPv4 and IPv6 */
	static const int stats[] = { CTL_NET, PF_INET, IPPROTO_UDP, UDPCTL_STATS };
	return tt_bsd_udp_counters(stats, 4, tt_mac_udp_mib, out);
}

/* Per-connection counters (Get…EStats): not read from this system's
 * records yet; docs/porting.md says which fields it could give. */
int tt_backend_tcp_info(const struct tt_conn *c, struct tt_tcp_info *out)
{
	(void)c;
	(void)out;
	return -EOPNOTSUPP;
}
