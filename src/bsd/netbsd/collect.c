/*
 * collect.c - the NetBSD read sequence, over any tt_bsd_source: the PCB
 * lists, then, when the call returns owners, one kern.file2 copy joined to
 * them (ki_fdata == ki_sockaddr).  NetBSD's lists carry no generation
 * count; each is one consistent copy, taken under the network lock.  Also
 * the order of the drop nodes SetTcpEntry tries.  No system calls here:
 * sysctl.c does the I/O, the tests put fixtures in its place.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "layout.h"
#include "netbsd.h"

const int tt_nbsd_files_mib[TT_NBSD_FILES_MIBLEN] = {
	CTL_KERN, KERN_FILE2, KERN_FILE_BYPID, -1 /* all processes */,
	(int)sizeof(struct kinfo_file), INT_MAX,
};

static const struct tt_bsd_files files = { tt_nbsd_files_max, tt_nbsd_files_owners };

int tt_nbsd_collect(const struct tt_bsd_source *src, const struct tt_request *req,
		    struct tt_collector *col)
{
	/* UDP has the same two lists of the same records (SPEC §10). */
	bool udp = req->proto == TT_PROTO_UDP;
	void *lists[2] = { NULL, NULL };
	size_t lens[2] = { 0, 0 };
	int err = src->read(src->ctx, udp ? TT_BSD_UDP6 : TT_BSD_PCB6, &lists[0], &lens[0]);
	if (!err && (req->table & TT_TABLE_V4))
		err = src->read(src->ctx, udp ? TT_BSD_UDP : TT_BSD_PCB, &lists[1], &lens[1]);

	struct tt_bsd_owner *owners = NULL;
	size_t nowners = 0;
	if (!err && req->owners)
		err = tt_bsd_read_owners(src, &files, &owners, &nowners);
	for (int i = 0; i < 2 && !err; i++)
		err = (udp ? tt_nbsd_udplist_walk : tt_nbsd_pcblist_walk)(lists[i], lens[i], owners,
								  nowners, col);
	free(owners);
	free(lists[0]);
	free(lists[1]);
	return err;
}

/* ::ffff:a.b.c.d, from the IPv4 address in a[0..3]. */
static void v4mapped(uint8_t a[16])
{
	memmove(a + 12, a, 4);
	memset(a, 0, 10);
	a[10] = 0xff;
	a[11] = 0xff;
}

int tt_nbsd_destroy(const struct tt_nbsd_dropper *d, const struct tt_conn *c)
{
	int err = d->drop(d->ctx, c);
	if (err != -ENOENT || c->family != AF_INET)
		return err;
	/* The IPv6 node takes a pair of v4-mapped addresses; what it looks
	 * them up in is the kernel's.  in6_pcblookup_connect() would match
	 * them against the IPv6 PCBs and skip IPV6_V6ONLY sockets, i.e. find
	 * exactly the dual-stack connection; but NetBSD 7.99's handler
	 * (sysctl_net_inet_tcp_ident, the one version checked) turns them
	 * back into sockaddr_in and searches the IPv4 PCBs again, so there the
	 * row stays not found.  No other socket has this exact four-tuple. */
	struct tt_conn m = *c;
	m.family = AF_INET6;
	v4mapped(m.laddr);
	v4mapped(m.raddr);
	m.lscope = 0;
	m.rscope = 0;
	return d->drop(d->ctx, &m);
}
