/*
 * walker.c - the NetBSD record walkers (pure): kinfo_pcb and kinfo_file
 * arrays and net.inet.tcp.stats copies in, tt_conn records, owner tables
 * and counters out.  Records are copied out of the buffer with memcpy
 * before any member is read, and every length is checked first.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include "layout.h"
#include "netbsd.h"

/* The state numbers of tt_bsd_state() are this system's. */
TT_TCPS_CONSTANTS(TT_TCPS_SAME)
_Static_assert(TT_NB_SIN_SIZE <= sizeof(((struct kinfo_pcb *)0)->ki_spad) &&
		       TT_NB_SIN6_SIZE <= sizeof(((struct kinfo_pcb *)0)->ki_spad),
	       "sockaddrs fit in kinfo_pcb");

struct endpoint {
	uint8_t addr[16];
	uint16_t port; /* network order */
	uint32_t scope;
};

/* Reads the sockaddr in pad, which must be of family (a BSD AF_ value);
 * an all-zero one (the peer of a socket that is not connected) reads as
 * the unspecified endpoint.  Returns false for anything else. */
static bool endpoint(const char *pad, unsigned family, struct endpoint *e)
{
	const unsigned char *sa = (const unsigned char *)pad;
	memset(e, 0, sizeof(*e));
	if (sa[TT_NB_SA_LEN] == 0 && sa[TT_NB_SA_FAMILY] == 0)
		return true;
	if (sa[TT_NB_SA_FAMILY] != family)
		return false;
	if (family == TT_NB_AF_INET) {
		if (sa[TT_NB_SA_LEN] < TT_NB_SIN_SIZE)
			return false;
		memcpy(&e->port, sa + TT_NB_SIN_PORT, 2);
		memcpy(e->addr, sa + TT_NB_SIN_ADDR, 4);
		return true;
	}
	if (sa[TT_NB_SA_LEN] < TT_NB_SIN6_SIZE)
		return false;
	memcpy(&e->port, sa + TT_NB_SIN6_PORT, 2);
	memcpy(e->addr, sa + TT_NB_SIN6_ADDR, 16);
	memcpy(&e->scope, sa + TT_NB_SIN6_SCOPE, 4);
	/* The kernel leaves sin6_scope_id 0 and keeps the zone embedded. */
	uint32_t zone = tt_bsd_take_zone(e->addr);
	if (!tt_addr6_needs_scope(e->addr))
		e->scope = 0;
	else if (zone)
		e->scope = zone;
	return true;
}

static int offer(const struct kinfo_pcb *r, size_t at, int proto,
		 const struct tt_bsd_owner *owners, size_t nowners, struct tt_collector *col)
{
	if (r->ki_protocol != (uint32_t)proto)
		return 0;
	uint8_t state = 0; /* UDP has no states */
	if (proto == IPPROTO_TCP) {
		state = tt_bsd_state(r->ki_tstate);
		if (state == 0 || state == MIB_TCP_STATE_CLOSED)
			return 0; /* no connection: see the FreeBSD walker */
	}
	unsigned family = r->ki_family;
	if (family != TT_NB_AF_INET && family != TT_NB_AF_INET6)
		return 0;
	struct endpoint local, remote;
	if (!endpoint(r->ki_spad, family, &local) || !endpoint(r->ki_dpad, family, &remote))
		return 0;

	struct tt_conn c;
	memset(&c, 0, sizeof(c));
	c.family = family == TT_NB_AF_INET ? AF_INET : AF_INET6;
	c.state = state;
	memcpy(c.laddr, local.addr, 16);
	memcpy(c.raddr, remote.addr, 16);
	c.lport = local.port;
	c.rport = remote.port;
	c.lscope = local.scope;
	c.rscope = remote.scope;
	if (proto == IPPROTO_UDP && c.lport == 0)
		return 0; /* an unbound UDP socket: no endpoint to list */
	/* An IPv6 TCP listener or UDP socket on the unspecified address
	 * without IPV6_V6ONLY takes IPv4 too: it belongs to both tables. */
	if (c.family == AF_INET6 && (proto == IPPROTO_UDP || state == MIB_TCP_STATE_LISTEN) &&
	    tt_addr6_is_unspecified(c.laddr) && !(r->ki_pflags & TT_NB_IN6P_IPV6_V6ONLY))
		c.flags |= TT_CONN_DUALSTACK;
	c.cookie = r->ki_pcbaddr ? r->ki_pcbaddr : (uint64_t)at + 1;
	if (owners) {
		c.flags |= TT_CONN_PID_KNOWN;
		c.pid = r->ki_sockaddr ? tt_bsd_owner_of(owners, nowners, r->ki_sockaddr) : 0;
	}
	return tt_collector_add(col, &c);
}

static int list_walk(const void *buf, size_t len, int proto, const struct tt_bsd_owner *owners,
		     size_t nowners, struct tt_collector *col)
{
	if (len % sizeof(struct kinfo_pcb) != 0)
		return -EOPNOTSUPP;
	const unsigned char *p = buf;
	for (size_t at = 0; at < len; at += sizeof(struct kinfo_pcb)) {
		struct kinfo_pcb r;
		memcpy(&r, p + at, sizeof(r));
		int err = offer(&r, at, proto, owners, nowners, col);
		if (err)
			return err;
	}
	return 0;
}

int tt_nbsd_pcblist_walk(const void *buf, size_t len, const struct tt_bsd_owner *owners,
			 size_t nowners, struct tt_collector *col)
{
	return list_walk(buf, len, IPPROTO_TCP, owners, nowners, col);
}

int tt_nbsd_udplist_walk(const void *buf, size_t len, const struct tt_bsd_owner *owners,
			 size_t nowners, struct tt_collector *col)
{
	return list_walk(buf, len, IPPROTO_UDP, owners, nowners, col);
}

size_t tt_nbsd_files_max(size_t len)
{
	return len / sizeof(struct kinfo_file);
}

int tt_nbsd_files_owners(const void *buf, size_t len, struct tt_bsd_owner *out, size_t *n)
{
	*n = 0;
	if (len % sizeof(struct kinfo_file) != 0)
		return -EOPNOTSUPP;
	const unsigned char *p = buf;
	size_t kept = 0;
	for (size_t at = 0; at < len; at += sizeof(struct kinfo_file)) {
		struct kinfo_file f;
		memcpy(&f, p + at, sizeof(f));
		if (f.ki_ftype != DTYPE_SOCKET || f.ki_fdata == 0)
			continue;
		out[kept].so = f.ki_fdata;
		out[kept].pid = f.ki_pid;
		out[kept].pad = 0;
		kept++;
	}
	*n = tt_bsd_owners_finish(out, kept);
	return 0;
}

static uint64_t counter(const unsigned char *p, unsigned index)
{
	uint64_t v;
	memcpy(&v, p + (size_t)index * sizeof(v), sizeof(v));
	return v;
}

int tt_nbsd_tcp_mib(const void *buf, size_t len, struct tt_tcp_mib *out)
{
	if (len < TT_NB_TCPSTAT_NEED)
		return -EOPNOTSUPP;
	const unsigned char *p = buf;
	out->active_opens = counter(p, TCP_STAT_CONNATTEMPT);
	out->passive_opens = counter(p, TCP_STAT_ACCEPTS);
	out->attempt_fails = counter(p, TCP_STAT_CONNDROPS);
	out->estab_resets = counter(p, TCP_STAT_DROPS);
	out->in_segs = counter(p, TCP_STAT_RCVTOTAL);
	uint64_t sent = counter(p, TCP_STAT_SNDTOTAL), rexmit = counter(p, TCP_STAT_SNDREXMITPACK);
	out->out_segs = sent >= rexmit ? sent - rexmit : 0;
	out->retrans_segs = rexmit;
	out->in_errs = counter(p, TCP_STAT_RCVBADSUM) + counter(p, TCP_STAT_RCVBADOFF) +
		       counter(p, TCP_STAT_RCVSHORT);
	/* No RST counter of its own: see the FreeBSD walker. */
	uint64_t ctrl = counter(p, TCP_STAT_SNDCTRL), closed = counter(p, TCP_STAT_CLOSED);
	out->out_rsts = ctrl >= closed ? ctrl - closed : 0;
	return 0;
}

/* InErrors: datagrams with a fault of their own or for a full receive
 * buffer; InDatagrams: what reached a socket (netstat -s "delivered"). */
static void udp_counters(struct tt_udp_mib *out, uint64_t in, uint64_t errors, uint64_t noport,
			 uint64_t noport_group, uint64_t sent)
{
	uint64_t lost = errors + noport + noport_group;
	out->in_datagrams = in >= lost ? in - lost : 0;
	out->no_ports = noport;
	out->in_errors = errors;
	out->out_datagrams = sent;
}

int tt_nbsd_udp_mib(const void *buf, size_t len, struct tt_udp_mib *out)
{
	if (len < TT_NB_UDPSTAT_NEED)
		return -EOPNOTSUPP;
	const unsigned char *p = buf;
	udp_counters(out, counter(p, UDP_STAT_IPACKETS),
		     counter(p, UDP_STAT_HDROPS) + counter(p, UDP_STAT_BADSUM) +
			     counter(p, UDP_STAT_BADLEN) + counter(p, UDP_STAT_FULLSOCK),
		     counter(p, UDP_STAT_NOPORT), counter(p, UDP_STAT_NOPORTBCAST),
		     counter(p, UDP_STAT_OPACKETS));
	return 0;
}

int tt_nbsd_udp6_mib(const void *buf, size_t len, struct tt_udp_mib *out)
{
	if (len < TT_NB_UDP6STAT_NEED)
		return -EOPNOTSUPP;
	const unsigned char *p = buf;
	udp_counters(out, counter(p, UDP6_STAT_IPACKETS),
		     counter(p, UDP6_STAT_HDROPS) + counter(p, UDP6_STAT_BADSUM) +
			     counter(p, UDP6_STAT_BADLEN) + counter(p, UDP6_STAT_FULLSOCK),
		     counter(p, UDP6_STAT_NOPORT), counter(p, UDP6_STAT_NOPORTMCAST),
		     counter(p, UDP6_STAT_OPACKETS));
	return 0;
}
