/*
 * walker.c - the FreeBSD record walkers (pure): net.inet.tcp.pcblist,
 * net.inet.udp.pcblist, kern.file, net.inet.tcp.stats and
 * net.inet.udp.stats copies in, tt_conn records, owner tables and
 * counters out.  Records are copied out of the buffer with
 * memcpy before any member is read, so no alignment is assumed, and every
 * length is checked before the bytes it covers are touched.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "freebsd.h"
#include "layout.h"

/* The state numbers of tt_bsd_state() are this system's. */
TT_TCPS_CONSTANTS(TT_TCPS_SAME)

/* The head and the trailer of a pcblist copy. */
static int frame(const unsigned char *p, size_t len, struct xinpgen *head, struct xinpgen *tail)
{
	if (len < 2 * sizeof(struct xinpgen))
		return -EBADMSG;
	memcpy(head, p, sizeof(*head));
	if (head->xig_len != sizeof(struct xinpgen))
		return -EOPNOTSUPP;
	memcpy(tail, p + len - sizeof(*tail), sizeof(*tail));
	if (tail->xig_len != sizeof(struct xinpgen))
		return -EBADMSG;
	return 0;
}

/* What tells the two pcblists apart: TCP sends struct xtcpcb records
 * (an xinpcb inside, then the tcpcb's state), UDP bare struct xinpcb. */
struct kind {
	size_t size; /* every record's size, which its length field repeats */
	size_t len_at; /* where that uint64_t length field is */
	size_t inp_at; /* where the record's struct xinpcb is */
	int proto; /* xso_protocol of the records to report */
};

static const struct kind tcp_kind = { sizeof(struct xtcpcb), offsetof(struct xtcpcb, xt_len),
				      offsetof(struct xtcpcb, xt_inp), IPPROTO_TCP };
static const struct kind udp_kind = { sizeof(struct xinpcb), offsetof(struct xinpcb, xi_len), 0,
				      IPPROTO_UDP };

/* Steps over the records between head and trailer: calls fn on each one
 * (when fn is not NULL; rec points into the buffer, unaligned) and checks
 * that they end exactly at the trailer. */
static int each_record(const unsigned char *p, size_t len, const struct kind *k,
		       int (*fn)(const unsigned char *rec, size_t at, void *arg), void *arg)
{
	size_t end = len - sizeof(struct xinpgen);
	size_t at = sizeof(struct xinpgen);
	while (at < end) {
		uint64_t rlen;
		if (end - at < k->len_at + sizeof(rlen))
			return -EBADMSG;
		memcpy(&rlen, p + at + k->len_at, sizeof(rlen));
		if (rlen != k->size)
			return -EOPNOTSUPP;
		if (end - at < k->size)
			return -EBADMSG;
		if (fn) {
			int err = fn(p + at, at, arg);
			if (err)
				return err;
		}
		at += k->size;
	}
	return 0;
}

static int list_check(const void *buf, size_t len, const struct kind *k)
{
	struct xinpgen head, tail;
	int err = frame(buf, len, &head, &tail);
	if (!err)
		err = each_record(buf, len, k, NULL, NULL);
	if (!err && head.xig_gen != tail.xig_gen)
		err = -EAGAIN;
	return err;
}

int tt_fbsd_pcblist_check(const void *buf, size_t len)
{
	return list_check(buf, len, &tcp_kind);
}

int tt_fbsd_udplist_check(const void *buf, size_t len)
{
	return list_check(buf, len, &udp_kind);
}

struct walk {
	const struct kind *kind;
	uint64_t gen; /* the head's generation */
	const struct tt_bsd_owner *owners;
	size_t nowners;
	struct tt_collector *col;
};

static void copy_v4(uint8_t dst[16], const struct in_addr *a)
{
	memcpy(dst, a, 4);
}

/* The connection a record of kind k holds, into *c, and its socket into
 * *so.  Returns 0 for a record that is not one (another protocol, created
 * after the head, a TCP one with no state or CLOSED, an unbound UDP one,
 * no family), else 1. */
static int decode(const unsigned char *rec, const struct kind *k, size_t at, uint64_t gen,
		  struct tt_conn *c, uint64_t *so)
{
	struct xinpcb x;
	memcpy(&x, rec + k->inp_at, sizeof(x));
	const struct xinpcb *inp = &x;
	if (inp->xi_socket.xso_protocol != k->proto)
		return 0;
	/* Created after the head was taken: the next read will show it. */
	if (inp->inp_gencnt > gen)
		return 0;
	/* UDP has no states; every bound socket is a row, as on Linux. */
	uint8_t state = 0;
	if (k->proto == IPPROTO_TCP) {
		int32_t tcps;
		memcpy(&tcps, rec + offsetof(struct xtcpcb, t_state), sizeof(tcps));
		state = tt_bsd_state(tcps);
		/* TCPS_CLOSED: an unbound or bound socket that neither
		 * listens nor connects, or a dropped one whose descriptor is
		 * still open.  It has no connection, and Windows and the
		 * Linux backend list none. */
		if (state == 0 || state == MIB_TCP_STATE_CLOSED)
			return 0;
	} else if (inp->inp_lport == 0) {
		return 0; /* an unbound UDP socket: no endpoint to list */
	}
	/* A TCP listener or any UDP socket may be in both tables. */
	bool anyrole = k->proto != IPPROTO_TCP || state == MIB_TCP_STATE_LISTEN;

	memset(c, 0, sizeof(*c));
	c->state = state;
	c->lport = inp->inp_lport;
	c->rport = inp->inp_fport;
	unsigned vflag = inp->inp_vflag;
	bool dual = (vflag & (INP_IPV4 | INP_IPV6)) == (INP_IPV4 | INP_IPV6);
	if ((vflag & INP_IPV6) && (!(vflag & INP_IPV4) || anyrole)) {
		/* An IPv6 PCB; with INP_IPV4 too, a socket on [::] that also
		 * takes IPv4 (IPV6_V6ONLY off: in6_pcbbind and udp6_bind set
		 * INP_IPV4 only then) and belongs to both tables.  A TCP
		 * connection of such a socket carries one of the two flags;
		 * a v4-mapped bind or connect leaves INP_IPV4 alone. */
		c->family = AF_INET6;
		memcpy(c->laddr, &inp->in6p_laddr, 16);
		memcpy(c->raddr, &inp->in6p_faddr, 16);
		c->lscope = tt_bsd_take_zone(c->laddr);
		c->rscope = tt_bsd_take_zone(c->raddr);
		if (dual)
			c->flags |= TT_CONN_DUALSTACK;
	} else if (vflag & INP_IPV4) {
		c->family = AF_INET;
		copy_v4(c->laddr, &inp->inp_laddr);
		copy_v4(c->raddr, &inp->inp_faddr);
	} else {
		return 0; /* neither family: nothing sensible to report */
	}

	*so = inp->xi_socket.xso_so;
	/* Syncache and TIME_WAIT entries have no socket, hence no identity of
	 * their own: the record's place in the copy is one (kernel addresses
	 * are never that small). */
	c->cookie = *so ? *so : (uint64_t)at;
	return 1;
}

static int offer(const unsigned char *rec, size_t at, void *arg)
{
	const struct walk *w = arg;
	struct tt_conn c;
	uint64_t so;
	if (!decode(rec, w->kind, at, w->gen, &c, &so))
		return 0;
	if (w->owners) {
		c.flags |= TT_CONN_PID_KNOWN;
		c.pid = so ? tt_bsd_owner_of(w->owners, w->nowners, so) : 0;
	}
	return tt_collector_add(w->col, &c);
}

static int list_walk(const void *buf, size_t len, const struct kind *k,
		     const struct tt_bsd_owner *owners, size_t nowners, struct tt_collector *col)
{
	struct xinpgen head, tail;
	int err = frame(buf, len, &head, &tail);
	if (err)
		return err;
	struct walk w = { k, head.xig_gen, owners, nowners, col };
	return each_record(buf, len, k, offer, &w);
}

int tt_fbsd_pcblist_walk(const void *buf, size_t len, const struct tt_bsd_owner *owners,
			 size_t nowners, struct tt_collector *col)
{
	return list_walk(buf, len, &tcp_kind, owners, nowners, col);
}

int tt_fbsd_udplist_walk(const void *buf, size_t len, const struct tt_bsd_owner *owners,
			 size_t nowners, struct tt_collector *col)
{
	return list_walk(buf, len, &udp_kind, owners, nowners, col);
}

size_t tt_fbsd_files_max(size_t len)
{
	return len / sizeof(struct xfile);
}

int tt_fbsd_files_owners(const void *buf, size_t len, struct tt_bsd_owner *out, size_t *n)
{
	const unsigned char *p = buf;
	size_t kept = 0;
	*n = 0;
	for (size_t at = 0; at < len; at += sizeof(struct xfile)) {
		uint64_t size;
		if (len - at < sizeof(size))
			return -EBADMSG;
		memcpy(&size, p + at + offsetof(struct xfile, xf_size), sizeof(size));
		if (size != sizeof(struct xfile))
			return -EOPNOTSUPP;
		if (len - at < sizeof(struct xfile))
			return -EBADMSG;
		struct xfile f;
		memcpy(&f, p + at, sizeof(f));
		if (f.xf_type != DTYPE_SOCKET || f.xf_data == 0 || f.xf_pid < 0)
			continue;
		out[kept].so = f.xf_data;
		out[kept].pid = (uint32_t)f.xf_pid;
		out[kept].pad = 0;
		kept++;
	}
	*n = tt_bsd_owners_finish(out, kept);
	return 0;
}

int tt_fbsd_tcp_mib(const void *buf, size_t len, struct tt_tcp_mib *out)
{
	if (len < TT_FBSD_TCPSTAT_NEED)
		return -EOPNOTSUPP;
	struct tcpstat s;
	memset(&s, 0, sizeof(s));
	memcpy(&s, buf, len < sizeof(s) ? len : sizeof(s));
	out->active_opens = s.tcps_connattempt;
	out->passive_opens = s.tcps_accepts;
	out->attempt_fails = s.tcps_conndrops;
	out->estab_resets = s.tcps_drops;
	out->in_segs = s.tcps_rcvtotal;
	/* RFC 4022: segments sent, excluding retransmissions. */
	out->out_segs = s.tcps_sndtotal >= s.tcps_sndrexmitpack
				? s.tcps_sndtotal - s.tcps_sndrexmitpack
				: 0;
	out->retrans_segs = s.tcps_sndrexmitpack;
	out->in_errs = s.tcps_rcvbadsum + s.tcps_rcvbadoff + s.tcps_rcvshort;
	/* FreeBSD counts no RSTs of their own: control segments (SYN, FIN or
	 * RST) beyond one per closed connection, as net-snmp estimates. */
	out->out_rsts = s.tcps_sndctrl >= s.tcps_closed ? s.tcps_sndctrl - s.tcps_closed : 0;
	return 0;
}

struct info_walk {
	uint64_t gen;
	const struct tt_conn *row;
	struct tt_tcp_info *out;
};

/* The connection row names, as decode() gives it: a connection (not a
 * listener) with the row's family, addresses and ports; an IPv6 row with a
 * zone also needs that zone.  (FreeBSD keeps a connection accepted on a
 * dual-stack socket as an IPv4 PCB, which an IPv4 row matches as it is.) */
static bool same_conn(const struct tt_conn *c, const struct tt_conn *row)
{
	size_t alen = row->family == AF_INET ? 4 : 16;
	if (c->state == MIB_TCP_STATE_LISTEN || c->family != row->family ||
	    c->lport != row->lport || c->rport != row->rport ||
	    memcmp(c->laddr, row->laddr, alen) != 0 || memcmp(c->raddr, row->raddr, alen) != 0)
		return false;
	return row->lscope == 0 || row->lscope == c->lscope;
}

/* Stops the walk (1) at the first record holding the connection. */
static int info_of(const unsigned char *rec, size_t at, void *arg)
{
	const struct info_walk *w = arg;
	struct tt_conn c;
	uint64_t so;
	if (!decode(rec, &tcp_kind, at, w->gen, &c, &so) || !same_conn(&c, w->row))
		return 0;
	struct xtcpcb rcopy;
	memcpy(&rcopy, rec, sizeof(rcopy));
	const struct xtcpcb *r = &rcopy;
	struct tt_tcp_info *o = w->out;
	memset(o, 0, sizeof(*o));
	o->total_retrans = r->t_sndrexmitpack > 0 ? (uint32_t)r->t_sndrexmitpack : 0;
#ifdef TT_FBSD_HAVE_XT_WINDOWS
	o->snd_cwnd = r->t_snd_cwnd; /* bytes, unlike Linux */
	o->snd_ssthresh = r->t_snd_ssthresh;
	o->snd_mss = r->t_maxseg;
	o->rcv_wnd = r->t_rcv_wnd;
	o->snd_wnd = r->t_snd_wnd;
#endif
	return 1;
}

int tt_fbsd_pcblist_info(const void *buf, size_t len, const struct tt_conn *row,
			 struct tt_tcp_info *out)
{
	struct xinpgen head, tail;
	int err = frame(buf, len, &head, &tail);
	if (err)
		return err;
	struct info_walk w = { head.xig_gen, row, out };
	err = each_record(buf, len, &tcp_kind, info_of, &w);
	return err == 1 ? 0 : err ? err : -ENOENT;
}

int tt_fbsd_udp_mib(const void *buf, size_t len, struct tt_udp_mib *out)
{
	if (len < TT_FBSD_UDPSTAT_NEED)
		return -EOPNOTSUPP;
	struct udpstat s;
	memset(&s, 0, sizeof(s));
	memcpy(&s, buf, len < sizeof(s) ? len : sizeof(s));
	/* InErrors: datagrams that reached UDP and were thrown away for a
	 * fault of their own or a full receive buffer (net-snmp's choice
	 * for FreeBSD, plus fullsock which RFC 4113 counts too). */
	uint64_t errors = s.udps_hdrops + s.udps_badsum + s.udps_badlen + s.udps_fullsock;
	/* InDatagrams: delivered to a socket, as netstat -s computes it. */
	uint64_t lost = errors + s.udps_noport + s.udps_noportbcast;
	out->in_datagrams = s.udps_ipackets >= lost ? s.udps_ipackets - lost : 0;
	out->no_ports = s.udps_noport;
	out->in_errors = errors;
	out->out_datagrams = s.udps_opackets;
	return 0;
}
