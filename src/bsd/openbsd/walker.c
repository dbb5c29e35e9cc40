/*
 * walker.c - the OpenBSD record walkers (pure): kinfo_file arrays and
 * net.inet.{tcp,udp}.stats copies in, tt_conn records, owner tables, counters,
 * drop requests and process names out.  Records are copied out of the
 * buffer with memcpy before any member is read, and every length is
 * checked first.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include "layout.h"
#include "openbsd.h"
#include "seam.h"
#include "sort.h"

/* The state numbers of tt_bsd_state() are this system's. */
TT_TCPS_CONSTANTS(TT_TCPS_SAME)
_Static_assert(sizeof(((struct kinfo_file *)0)->inp_laddru) == 16, "inp_laddru holds IPv6");
_Static_assert(TT_OB_SIN6_SIZE <= sizeof(((struct tcp_ident_mapping *)0)->faddr),
	       "a sockaddr_in6 fits in faddr");

/* so_pcb of a socket that has a PCB, as an unprivileged caller sees it. */
#define HIDDEN_POINTER UINT64_MAX

/* A socket record of protocol (IPPROTO_TCP or IPPROTO_UDP) and an
 * internet family, with a PCB. */
static bool is_inet(const struct kinfo_file *f, unsigned protocol)
{
	return f->f_type == DTYPE_SOCKET && f->so_protocol == protocol && f->so_pcb != 0 &&
	       (f->so_family == TT_OB_AF_INET || f->so_family == TT_OB_AF_INET6);
}

/* The join key of a socket record (see openbsd.h); the same bytes from
 * both lists for the same socket. */
static void key_of(const struct kinfo_file *f, uint8_t k[TT_OBSD_KEY_LEN])
{
	memset(k, 0, TT_OBSD_KEY_LEN);
	memcpy(k, &f->so_pcb, 8);
	k[8] = (uint8_t)f->so_family;
	k[9] = (uint8_t)f->so_protocol; /* a TCP and a UDP socket may share the rest */
	memcpy(k + 12, &f->inp_rtableid, 4);
	uint16_t lport = (uint16_t)f->inp_lport, fport = (uint16_t)f->inp_fport;
	memcpy(k + 16, &lport, 2);
	memcpy(k + 18, &fport, 2);
	memcpy(k + 20, f->inp_laddru, 16);
	memcpy(k + 36, f->inp_faddru, 16);
}

#define OWNER_LESS(a, b)                                                 \
	(memcmp((a)->key, (b)->key, TT_OBSD_KEY_LEN) < 0 ||              \
	 (memcmp((a)->key, (b)->key, TT_OBSD_KEY_LEN) == 0 && (a)->pid < (b)->pid))
TT_SORT_DEFINE(sort_owners, struct tt_obsd_owner, OWNER_LESS)

size_t tt_obsd_owners_max(size_t len)
{
	return len / sizeof(struct kinfo_file);
}

int tt_obsd_owners(const void *buf, size_t len, struct tt_obsd_owner *out, size_t *n)
{
	*n = 0;
	if (len % sizeof(struct kinfo_file) != 0)
		return -EOPNOTSUPP;
	const unsigned char *p = buf;
	size_t kept = 0;
	for (size_t at = 0; at < len; at += sizeof(struct kinfo_file)) {
		struct kinfo_file f;
		memcpy(&f, p + at, sizeof(f));
		if (!is_inet(&f, IPPROTO_TCP) && !is_inet(&f, IPPROTO_UDP))
			continue;
		key_of(&f, out[kept].key);
		out[kept].pid = f.p_pid;
		kept++;
	}
	if (kept == 0)
		return 0;
	sort_owners(out, kept);
	size_t unique = 1;
	for (size_t i = 1; i < kept; i++) {
		/* Sorted by PID within a key: the first entry is the lowest. */
		if (memcmp(out[i].key, out[unique - 1].key, TT_OBSD_KEY_LEN) != 0)
			out[unique++] = out[i];
	}
	*n = unique;
	return 0;
}

static uint32_t owner_of(const struct tt_obsd_owner *o, size_t n, const uint8_t *key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (memcmp(o[mid].key, key, TT_OBSD_KEY_LEN) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && memcmp(o[lo].key, key, TT_OBSD_KEY_LEN) == 0 ? o[lo].pid : 0;
}

static int offer(const struct kinfo_file *f, size_t at, unsigned protocol,
		 const struct tt_obsd_owner *owners, size_t nowners, struct tt_collector *col)
{
	if (!is_inet(f, protocol))
		return 0;
	uint8_t state = 0;
	if (protocol == IPPROTO_TCP) {
		state = tt_bsd_state((int32_t)f->t_state);
		if (state == 0 || state == MIB_TCP_STATE_CLOSED)
			return 0; /* no connection: see the FreeBSD walker */
	} else if ((uint16_t)f->inp_lport == 0) {
		return 0; /* UDP has no state: listed once bound (the port is the low 16 bits) */
	}

	struct tt_conn c;
	memset(&c, 0, sizeof(c));
	c.state = state;
	/* The ports are u_shorts in network order, widened. */
	c.lport = (uint16_t)f->inp_lport;
	c.rport = (uint16_t)f->inp_fport;
	if (f->so_family == TT_OB_AF_INET) {
		c.family = AF_INET;
		memcpy(c.laddr, &f->inp_laddru[0], 4);
		memcpy(c.raddr, &f->inp_faddru[0], 4);
	} else {
		/* OpenBSD's IPv6 sockets never carry IPv4 (no v4-mapped
		 * addresses, always IPV6_V6ONLY): no dual-stack rows.  The
		 * kernel keeps a link-local address's zone embedded. */
		c.family = AF_INET6;
		memcpy(c.laddr, f->inp_laddru, 16);
		memcpy(c.raddr, f->inp_faddru, 16);
		c.lscope = tt_bsd_take_zone(c.laddr);
		c.rscope = tt_bsd_take_zone(c.raddr);
	}
	c.cookie = f->so_pcb != HIDDEN_POINTER ? f->so_pcb : (uint64_t)at + 1;
	if (owners) {
		uint8_t key[TT_OBSD_KEY_LEN];
		key_of(f, key);
		c.flags |= TT_CONN_PID_KNOWN;
		c.pid = owner_of(owners, nowners, key);
	}
	return tt_collector_add(col, &c);
}

int tt_obsd_sockets_walk(const void *buf, size_t len, unsigned proto,
			 const struct tt_obsd_owner *owners, size_t nowners, struct tt_collector *col)
{
	unsigned protocol = proto == TT_PROTO_UDP ? IPPROTO_UDP : IPPROTO_TCP;
	if (len % sizeof(struct kinfo_file) != 0)
		return -EOPNOTSUPP;
	const unsigned char *p = buf;
	for (size_t at = 0; at < len; at += sizeof(struct kinfo_file)) {
		struct kinfo_file f;
		memcpy(&f, p + at, sizeof(f));
		int err = offer(&f, at, protocol, owners, nowners, col);
		if (err)
			return err;
	}
	return 0;
}

int tt_obsd_tcp_mib(const void *buf, size_t len, struct tt_tcp_mib *out)
{
	if (len < TT_OB_TCPSTAT_NEED)
		return -EOPNOTSUPP;
	struct tcpstat s;
	memset(&s, 0, sizeof(s));
	memcpy(&s, buf, len < sizeof(s) ? len : sizeof(s));
	out->active_opens = s.tcps_connattempt;
	out->passive_opens = s.tcps_accepts;
	out->attempt_fails = s.tcps_conndrops;
	out->estab_resets = s.tcps_drops;
	out->in_segs = s.tcps_rcvtotal;
	uint64_t sent = s.tcps_sndtotal, rexmit = s.tcps_sndrexmitpack;
	out->out_segs = sent >= rexmit ? sent - rexmit : 0;
	out->retrans_segs = rexmit;
	out->in_errs = (uint64_t)s.tcps_rcvbadsum + s.tcps_rcvbadoff + s.tcps_rcvshort;
	/* No RST counter of its own: see the FreeBSD walker. */
	uint64_t ctrl = s.tcps_sndctrl, closed = s.tcps_closed;
	out->out_rsts = ctrl >= closed ? ctrl - closed : 0;
	return 0;
}

int tt_obsd_udp_mib(const void *buf, size_t len, struct tt_udp_mib *out)
{
	if (len < TT_OB_UDPSTAT_NEED)
		return -EOPNOTSUPP;
	struct udpstat s;
	memset(&s, 0, sizeof(s));
	memcpy(&s, buf, len < sizeof(s) ? len : sizeof(s));
	/* As netstat(1)'s "delivered": received less every drop. */
	uint64_t errors = (uint64_t)s.udps_hdrops + s.udps_badsum + s.udps_badlen + s.udps_fullsock;
	uint64_t noport = (uint64_t)s.udps_noport + s.udps_noportbcast;
	uint64_t dropped = errors + noport + s.udps_nosec;
	uint64_t in = s.udps_ipackets;
	out->in_datagrams = in >= dropped ? in - dropped : 0;
	out->no_ports = noport;
	out->in_errors = errors;
	out->out_datagrams = s.udps_opackets;
	return 0;
}

static void endpoint(unsigned char *ss, int family, const uint8_t *addr, uint16_t port,
		     uint32_t zone)
{
	if (family == AF_INET) {
		ss[TT_OB_SA_LEN] = TT_OB_SIN_SIZE;
		ss[TT_OB_SA_FAMILY] = TT_OB_AF_INET;
		memcpy(ss + TT_OB_SIN_PORT, &port, 2);
		memcpy(ss + TT_OB_SIN_ADDR, addr, 4);
	} else {
		ss[TT_OB_SA_LEN] = TT_OB_SIN6_SIZE;
		ss[TT_OB_SA_FAMILY] = TT_OB_AF_INET6;
		memcpy(ss + TT_OB_SIN6_PORT, &port, 2);
		memcpy(ss + TT_OB_SIN6_ADDR, addr, 16);
		uint32_t scope = tt_addr6_needs_scope(addr) ? zone : 0;
		memcpy(ss + TT_OB_SIN6_SCOPE, &scope, 4);
	}
}

int tt_obsd_drop_request(const struct tt_conn *c, struct tcp_ident_mapping *out)
{
	static const uint8_t any[16];
	if (c->rport == 0 && memcmp(c->raddr, any, c->family == AF_INET ? 4 : 16) == 0)
		return -EOPNOTSUPP;
	memset(out, 0, sizeof(*out));
	/* One byte for the family: the header's sa_family_t is a u_int8_t. */
	_Static_assert(TT_OB_SA_FAMILY_SIZE == 1, "sa_family is one byte");
	endpoint((unsigned char *)&out->faddr, c->family, c->raddr, c->rport,
		 c->rscope ? c->rscope : c->lscope);
	endpoint((unsigned char *)&out->laddr, c->family, c->laddr, c->lport, c->lscope);
	out->rdomain = 0; /* the rows do not say; the default routing domain */
	return 0;
}

int tt_obsd_image(const void *buf, size_t len, uint32_t pid, struct tt_image *out)
{
	memset(out, 0, sizeof(*out));
	if (len % sizeof(struct kinfo_file) != 0)
		return -EOPNOTSUPP;
	const unsigned char *p = buf;
	for (size_t at = 0; at < len; at += sizeof(struct kinfo_file)) {
		struct kinfo_file f;
		memcpy(&f, p + at, sizeof(f));
		if (f.p_pid != pid)
			continue;
		size_t n = strnlen(f.p_comm, sizeof(f.p_comm));
		if (n == 0)
			return -EIO;
		char *name = tt_malloc(n + 1);
		if (!name)
			return -ENOMEM;
		memcpy(name, f.p_comm, n);
		name[n] = '\0';
		/* A name, never a path: keep a '/' out of it so that the
		 * front end takes all of it as the module name. */
		for (size_t i = 0; i < n; i++)
			if (name[i] == '/')
				name[i] = '_';
		out->path = name;
		out->len = n;
		return 0;
	}
	return -ESRCH;
}
