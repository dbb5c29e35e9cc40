/*
 * walker.c - the DragonFly record walkers (pure): net.inet.{tcp,udp}.pcblist,
 * kern.file and net.inet.{tcp,udp}.stats copies in, tt_conn records, owner
 * tables and counters out.  Records are copied out of the buffer with
 * memcpy before any member is read, so no alignment is assumed, and every
 * length is checked before the bytes it covers are touched.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "dragonfly.h"
#include "layout.h"

/* The state numbers of tt_bsd_state() are this system's, shifted. */
#define TT_DF_TCPS_SAME(c) _Static_assert((c) == TT_##c + TT_DF_TCPS_SHIFT, #c);
TT_TCPS_CONSTANTS(TT_DF_TCPS_SAME)
_Static_assert(TCPS_TERMINATING == 0, "TCPS_TERMINATING");

/* The length words are size_t: 64 bits on DragonFly (amd64 only). */
_Static_assert(sizeof(((struct xtcpcb *)0)->xt_len) == sizeof(uint64_t), "xt_len");
_Static_assert(sizeof(((struct kinfo_file *)0)->f_size) == sizeof(uint64_t), "f_size");
_Static_assert(sizeof(((struct xinpcb *)0)->xi_len) == sizeof(uint64_t), "xi_len");
_Static_assert(offsetof(struct xtcpcb, xt_len) == 0 && offsetof(struct xinpcb, xi_len) == 0,
	       "the length word leads both records");

/* Steps over the records of a pcblist copy of proto (struct xtcpcb for
 * TCP, struct xinpcb for UDP): calls fn on each one (when fn is not NULL),
 * a UDP record given as an xtcpcb with its inpcb and socket and a zeroed
 * tcpcb, and checks that the copy is whole records of our size. */
static int each_record(const unsigned char *p, size_t len, int proto,
		       int (*fn)(const struct xtcpcb *r, size_t at, void *arg), void *arg)
{
	size_t size = proto == IPPROTO_TCP ? sizeof(struct xtcpcb) : sizeof(struct xinpcb);
	for (size_t at = 0; at < len; at += size) {
		uint64_t rlen;
		if (len - at < sizeof(rlen))
			return -EBADMSG;
		memcpy(&rlen, p + at, sizeof(rlen));
		if (rlen != size)
			return -EOPNOTSUPP;
		if (len - at < size)
			return -EBADMSG;
		if (fn) {
			struct xtcpcb r;
			if (proto == IPPROTO_TCP) {
				memcpy(&r, p + at, sizeof(r));
			} else {
				struct xinpcb x;
				memcpy(&x, p + at, sizeof(x));
				memset(&r, 0, sizeof(r));
				r.xt_inp = x.xi_inp;
				r.xt_socket = x.xi_socket;
			}
			int err = fn(&r, at, arg);
			if (err)
				return err;
		}
	}
	return 0;
}

struct walk {
	int proto; /* IPPROTO_TCP or IPPROTO_UDP */
	const struct tt_bsd_owner *owners;
	size_t nowners;
	struct tt_collector *col;
};

static int offer(const struct xtcpcb *r, size_t at, void *arg)
{
	const struct walk *w = arg;
	/* TCPS_TERMINATING (0): a tcpcb being destroyed, a PCB without one
	 * (the kernel zeroes xt_tp) or a padding record.  TCPS_CLOSED: a
	 * socket that neither listens nor connects.  UDP has no state: a
	 * socket is listed once bound (a padding record has port 0). */
	uint8_t state = 0;
	if (w->proto == IPPROTO_TCP) {
		int32_t tcps = r->xt_tp.t_state;
		state = tcps >= TT_DF_TCPS_SHIFT ? tt_bsd_state(tcps - TT_DF_TCPS_SHIFT) : 0;
		if (state == 0 || state == MIB_TCP_STATE_CLOSED)
			return 0;
	} else if (r->xt_inp.inp_lport == 0) {
		return 0;
	}
	/* The socket, from the kernel's inpcb itself: the kernel fills
	 * the xsocket only for a PCB that has one, and otherwise leaves there
	 * what the previous record had (TCP) or zeroes (UDP). */
	uint64_t so = (uint64_t)(uintptr_t)r->xt_inp.inp_socket;
	if (so && r->xt_socket.xso_protocol != w->proto)
		return 0;

	struct tt_conn c;
	memset(&c, 0, sizeof(c));
	c.state = state;
	c.lport = r->xt_inp.inp_lport;
	c.rport = r->xt_inp.inp_fport;
	/* DragonFly has no IPv4-mapped addresses: an IPv6 socket carries
	 * IPv6 only, so every PCB belongs to exactly one table. */
	switch (r->xt_inp.inp_af) {
	case TT_DF_AF_INET:
		c.family = AF_INET;
		memcpy(c.laddr, &r->xt_inp.inp_laddr, 4);
		memcpy(c.raddr, &r->xt_inp.inp_faddr, 4);
		break;
	case TT_DF_AF_INET6:
		c.family = AF_INET6;
		memcpy(c.laddr, &r->xt_inp.in6p_laddr, 16);
		memcpy(c.raddr, &r->xt_inp.in6p_faddr, 16);
		c.lscope = tt_bsd_take_zone(c.laddr);
		c.rscope = tt_bsd_take_zone(c.raddr);
		break;
	default:
		return 0; /* neither family: nothing sensible to report */
	}

	/* A connection can be listed twice, when connect(2) moves its PCB
	 * to another CPU's list between the copies of the two lists; the
	 * socket is the identity the front end removes the second by.  A PCB
	 * without a socket has its place in the copy (+ 1, never 0). */
	c.cookie = so ? so : (uint64_t)at + 1;
	if (w->owners) {
		c.flags |= TT_CONN_PID_KNOWN;
		c.pid = so ? tt_bsd_owner_of(w->owners, w->nowners, so) : 0;
	}
	return tt_collector_add(w->col, &c);
}

int tt_dfly_pcblist_walk(const void *buf, size_t len, unsigned proto,
			 const struct tt_bsd_owner *owners, size_t nowners, struct tt_collector *col)
{
	int ipproto = proto == TT_PROTO_UDP ? IPPROTO_UDP : IPPROTO_TCP;
	/* All or nothing: a copy from a kernel of another release is refused
	 * before any of it is read as ours. */
	int err = each_record(buf, len, ipproto, NULL, NULL);
	if (err)
		return err;
	struct walk w = { ipproto, owners, nowners, col };
	return each_record(buf, len, ipproto, offer, &w);
}

size_t tt_dfly_files_max(size_t len)
{
	return len / sizeof(struct kinfo_file);
}

int tt_dfly_files_owners(const void *buf, size_t len, struct tt_bsd_owner *out, size_t *n)
{
	const unsigned char *p = buf;
	size_t kept = 0;
	*n = 0;
	for (size_t at = 0; at < len; at += sizeof(struct kinfo_file)) {
		uint64_t size;
		if (len - at < sizeof(size))
			return -EBADMSG;
		memcpy(&size, p + at + offsetof(struct kinfo_file, f_size), sizeof(size));
		if (size != sizeof(struct kinfo_file))
			return -EOPNOTSUPP;
		if (len - at < sizeof(struct kinfo_file))
			return -EBADMSG;
		struct kinfo_file f;
		memcpy(&f, p + at, sizeof(f));
		uint64_t data = (uint64_t)(uintptr_t)f.f_data;
		if (f.f_type != TT_DF_DTYPE_SOCKET || data == 0 || f.f_pid < 0)
			continue;
		out[kept].so = data;
		out[kept].pid = (uint32_t)f.f_pid;
		out[kept].pad = 0;
		kept++;
	}
	*n = tt_bsd_owners_finish(out, kept);
	return 0;
}

/* The counters read, summed over the CPUs. */
#define TT_DF_COUNTERS(X) \
	X(tcps_connattempt) \
	X(tcps_accepts)     \
	X(tcps_drops)       \
	X(tcps_conndrops)   \
	X(tcps_closed)      \
	X(tcps_sndtotal)    \
	X(tcps_sndrexmitpack) \
	X(tcps_sndctrl)     \
	X(tcps_rcvtotal)    \
	X(tcps_rcvbadsum)   \
	X(tcps_rcvbadoff)   \
	X(tcps_rcvshort)

int tt_dfly_tcp_mib(const void *buf, size_t len, struct tt_tcp_mib *out)
{
	/* The kernel writes one struct tcp_stats per network CPU
	 * (sysctl_tcpstats); another size is another kernel release. */
	if (len == 0 || len % sizeof(struct tcp_stats) != 0)
		return -EOPNOTSUPP;
#define DECLARE(f) uint64_t f = 0;
	TT_DF_COUNTERS(DECLARE)
#undef DECLARE
	const unsigned char *p = buf;
	for (size_t at = 0; at < len; at += sizeof(struct tcp_stats)) {
		struct tcp_stats s;
		memcpy(&s, p + at, sizeof(s));
#define ADD(f) f += (uint64_t)s.f;
		TT_DF_COUNTERS(ADD)
#undef ADD
	}
	out->active_opens = tcps_connattempt;
	out->passive_opens = tcps_accepts;
	out->attempt_fails = tcps_conndrops;
	out->estab_resets = tcps_drops;
	out->in_segs = tcps_rcvtotal;
	/* RFC 4022: segments sent, excluding retransmissions. */
	out->out_segs = tcps_sndtotal >= tcps_sndrexmitpack ? tcps_sndtotal - tcps_sndrexmitpack : 0;
	out->retrans_segs = tcps_sndrexmitpack;
	out->in_errs = tcps_rcvbadsum + tcps_rcvbadoff + tcps_rcvshort;
	/* No RST counter of its own (as FreeBSD): control segments beyond one
	 * per closed connection, as net-snmp estimates. */
	out->out_rsts = tcps_sndctrl >= tcps_closed ? tcps_sndctrl - tcps_closed : 0;
	return 0;
}

/* The UDP counters read, summed over the CPUs. */
#define TT_DF_UDP_COUNTERS(X) \
	X(udps_ipackets)      \
	X(udps_hdrops)        \
	X(udps_badsum)        \
	X(udps_badlen)        \
	X(udps_noport)        \
	X(udps_noportbcast)   \
	X(udps_fullsock)      \
	X(udps_opackets)

int tt_dfly_udp_mib(const void *buf, size_t len, struct tt_udp_mib *out)
{
	/* One struct udpstat per network CPU (sysctl_udpstat). */
	if (len == 0 || len % sizeof(struct udpstat) != 0)
		return -EOPNOTSUPP;
#define DECLARE(f) uint64_t f = 0;
	TT_DF_UDP_COUNTERS(DECLARE)
#undef DECLARE
	const unsigned char *p = buf;
	for (size_t at = 0; at < len; at += sizeof(struct udpstat)) {
		struct udpstat s;
		memcpy(&s, p + at, sizeof(s));
#define ADD(f) f += (uint64_t)s.f;
		TT_DF_UDP_COUNTERS(ADD)
#undef ADD
	}
	/* As netstat(1)'s "delivered": what was received less what was
	 * dropped; the kernel counts a broadcast without a listener apart. */
	uint64_t dropped = udps_hdrops + udps_badsum + udps_badlen + udps_noport +
			   udps_noportbcast + udps_fullsock;
	out->in_datagrams = udps_ipackets >= dropped ? udps_ipackets - dropped : 0;
	out->no_ports = udps_noport + udps_noportbcast;
	out->in_errors = udps_hdrops + udps_badsum + udps_badlen + udps_fullsock;
	out->out_datagrams = udps_opackets;
	return 0;
}
