/*
 * walker.c - the macOS record walkers (pure): net.inet.tcp.pcblist_n
 * copies, socket descriptor records and net.inet.tcp.stats copies in,
 * tt_conn records, owner tables and counters out.  Every member is copied
 * out of the buffer with memcpy at its offset (layout.h), so no alignment
 * is assumed, and every length is checked before the bytes it covers are
 * touched.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include "darwin.h"

static uint16_t rd16(const unsigned char *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t rd32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t rd64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* Records are padded to 8 bytes (ROUNDUP64 in xnu's in_pcblist.c). */
static size_t roundup8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/* Where the records end: before the trailer, or at the head of an empty
 * list (xnu sends the head alone when it has no PCB). */
static int frame(const unsigned char *p, size_t len, size_t *end, uint64_t *gen,
		 uint64_t *tail_gen)
{
	if (len < TT_XNU_XIG_SIZE)
		return -EBADMSG;
	if (rd32(p + TT_XNU_XIG_LEN) != TT_XNU_XIG_SIZE)
		return -EOPNOTSUPP;
	*gen = rd64(p + TT_XNU_XIG_GEN);
	if (len == TT_XNU_XIG_SIZE) {
		if (rd32(p + TT_XNU_XIG_COUNT) != 0)
			return -EBADMSG; /* PCBs announced, none copied */
		*end = TT_XNU_XIG_SIZE;
		*tail_gen = *gen;
		return 0;
	}
	if (len < (size_t)2 * TT_XNU_XIG_SIZE)
		return -EBADMSG;
	const unsigned char *tail = p + len - TT_XNU_XIG_SIZE;
	if (rd32(tail + TT_XNU_XIG_LEN) != TT_XNU_XIG_SIZE)
		return -EBADMSG;
	*end = len - TT_XNU_XIG_SIZE;
	*tail_gen = rd64(tail + TT_XNU_XIG_GEN);
	return 0;
}

/* One PCB as the walker reads it: where its three records start (0: not
 * seen). */
struct pcb {
	size_t inp, so, tcp;
	size_t at; /* its xinpcb_n, for a cookie */
};

struct walk {
	const unsigned char *p;
	uint64_t gen;
	int32_t protocol; /* TT_XNU_IPPROTO_TCP or TT_XNU_IPPROTO_UDP */
	const struct tt_bsd_owner *owners;
	size_t nowners;
	struct tt_collector *col; /* NULL: check only */
};

static int offer(const struct walk *w, const struct pcb *r)
{
	bool udp = w->protocol == TT_XNU_IPPROTO_UDP;
	if (!w->col || !r->so || (!udp && !r->tcp))
		return 0; /* no state without the xtcpcb_n: nothing to report */
	const unsigned char *xi = w->p + r->inp, *xso = w->p + r->so;
	int32_t protocol = (int32_t)rd32(xso + TT_XNU_XSO_PROTOCOL);
	/* 0: a PCB whose socket is gone (the kernel leaves the record zero). */
	if (protocol != 0 && protocol != w->protocol)
		return 0;
	/* Created after the head was taken: the next read will show it. */
	if (rd64(xi + TT_XNU_XI_GENCNT) > w->gen)
		return 0;
	uint8_t state = 0;
	if (!udp) {
		state = tt_bsd_state((int32_t)rd32(w->p + r->tcp + TT_XNU_XT_STATE));
		/* TCPS_CLOSED: no connection (see the FreeBSD walker). */
		if (state == 0 || state == MIB_TCP_STATE_CLOSED)
			return 0;
	} else if (rd16(xi + TT_XNU_XI_LPORT) == 0) {
		return 0; /* UDP has no state: listed once bound */
	}

	struct tt_conn c;
	memset(&c, 0, sizeof(c));
	c.state = state;
	c.lport = rd16(xi + TT_XNU_XI_LPORT);
	c.rport = rd16(xi + TT_XNU_XI_FPORT);
	unsigned vflag = xi[TT_XNU_XI_VFLAG];
	uint32_t flags = rd32(xi + TT_XNU_XI_FLAGS);
	if ((vflag & TT_XNU_INP_IPV6) &&
	    (!(vflag & TT_XNU_INP_IPV4) || state == MIB_TCP_STATE_LISTEN || udp)) {
		/* An IPv6 PCB.  xnu sets INP_IPV4 too on an IPv6 socket bound
		 * to :: without IPV6_V6ONLY (tcp6_usr_listen, in6_pcbbind,
		 * udp6_bind): a listener or UDP socket that takes IPv4 as
		 * well, in both tables.  TCP connections carry one flag or the
		 * other; a UDP socket bound or connected to a v4-mapped
		 * address loses INP_IPV6. */
		c.family = AF_INET6;
		memcpy(c.laddr, xi + TT_XNU_XI_LADDR, 16);
		memcpy(c.raddr, xi + TT_XNU_XI_FADDR, 16);
		c.lscope = tt_bsd_take_zone(c.laddr);
		c.rscope = tt_bsd_take_zone(c.raddr);
		if ((vflag & TT_XNU_INP_IPV4) && !(flags & TT_XNU_IN6P_IPV6_V6ONLY) &&
		    tt_addr6_is_unspecified(c.laddr))
			c.flags |= TT_CONN_DUALSTACK;
	} else if (vflag & TT_XNU_INP_IPV4) {
		c.family = AF_INET;
		memcpy(c.laddr, xi + TT_XNU_XI_LADDR + TT_XNU_XI_ADDR4, 4);
		memcpy(c.raddr, xi + TT_XNU_XI_FADDR + TT_XNU_XI_ADDR4, 4);
	} else {
		return 0; /* neither family */
	}

	/* The hashed inpcb address: the key proc_pidfdinfo reports as
	 * soi_pcb.  0 for the user-space (Skywalk) flows xnu appends, which
	 * no descriptor holds: their place in the copy identifies them. */
	uint64_t inpp = rd64(xi + TT_XNU_XI_INPP);
	c.cookie = inpp ? inpp : (uint64_t)r->at;
	if (w->owners) {
		c.flags |= TT_CONN_PID_KNOWN;
		c.pid = inpp ? tt_bsd_owner_of(w->owners, w->nowners, inpp) : 0;
	}
	return tt_collector_add(w->col, &c);
}

/* Steps over the records between the head and end, gathering each PCB's
 * records and offering it when the next xinpcb_n (or the end) comes.
 * Records of other kinds (socket buffers, statistics, kinds a newer
 * kernel adds) are stepped over by their length. */
static int each_pcb(const struct walk *w, size_t end)
{
	struct pcb r = { 0, 0, 0, 0 };
	size_t at = TT_XNU_XIG_SIZE;
	while (at < end) {
		if (end - at < 8)
			return -EBADMSG;
		uint32_t rlen = rd32(w->p + at + TT_XNU_REC_LEN);
		uint32_t kind = rd32(w->p + at + TT_XNU_REC_KIND);
		if (rlen < 8 || roundup8(rlen) > end - at)
			return -EBADMSG;
		size_t need = 0;
		switch (kind) {
		case TT_XNU_XSO_INPCB:
			need = TT_XNU_XI_NEED;
			break;
		case TT_XNU_XSO_SOCKET:
			need = TT_XNU_XSO_NEED;
			break;
		case TT_XNU_XSO_TCPCB:
			need = TT_XNU_XT_NEED;
			break;
		default:
			break;
		}
		if (rlen < need)
			return -EOPNOTSUPP;
		if (kind == TT_XNU_XSO_INPCB) {
			if (r.inp) {
				int err = offer(w, &r);
				if (err)
					return err;
			}
			r = (struct pcb){ at, 0, 0, at };
		} else if (kind == TT_XNU_XSO_SOCKET || kind == TT_XNU_XSO_TCPCB) {
			if (!r.inp)
				return -EBADMSG; /* a PCB's records start with its xinpcb_n */
			if (kind == TT_XNU_XSO_SOCKET)
				r.so = at;
			else
				r.tcp = at;
		}
		at += roundup8(rlen);
	}
	return r.inp ? offer(w, &r) : 0;
}

int tt_mac_pcblist_check(const void *buf, size_t len)
{
	size_t end;
	uint64_t gen, tail_gen;
	int err = frame(buf, len, &end, &gen, &tail_gen);
	if (err)
		return err;
	const struct walk w = { buf, gen, TT_XNU_IPPROTO_TCP, NULL, 0, NULL };
	err = each_pcb(&w, end);
	if (!err && gen != tail_gen)
		err = -EAGAIN;
	return err;
}

int tt_mac_pcblist_walk(const void *buf, size_t len, unsigned proto,
			const struct tt_bsd_owner *owners, size_t nowners, struct tt_collector *col)
{
	size_t end;
	uint64_t gen, tail_gen;
	int err = frame(buf, len, &end, &gen, &tail_gen);
	if (err)
		return err;
	int32_t protocol = proto == TT_PROTO_UDP ? TT_XNU_IPPROTO_UDP : TT_XNU_IPPROTO_TCP;
	const struct walk w = { buf, gen, protocol, owners, nowners, col };
	return each_pcb(&w, end);
}

void tt_mac_fdrec_put(void *at, uint32_t pid, uint32_t size, const void *sfi)
{
	unsigned char *p = at;
	memcpy(p, &pid, 4);
	memcpy(p + 4, &size, 4);
	memcpy(p + TT_MAC_FDREC_HEAD, sfi, TT_XNU_SFI_SIZE);
}

size_t tt_mac_files_max(size_t len)
{
	return len / TT_MAC_FDREC_SIZE;
}

/* The owner table of the sockets of protocol. */
static int files_owners(const void *buf, size_t len, int32_t want, struct tt_bsd_owner *out,
			size_t *n)
{
	const unsigned char *p = buf;
	size_t kept = 0;
	*n = 0;
	if (len % TT_MAC_FDREC_SIZE != 0)
		return -EBADMSG;
	for (size_t at = 0; at < len; at += TT_MAC_FDREC_SIZE) {
		uint32_t pid = rd32(p + at);
		if (rd32(p + at + 4) != TT_XNU_SFI_SIZE)
			return -EOPNOTSUPP;
		const unsigned char *sfi = p + at + TT_MAC_FDREC_HEAD;
		int32_t family = (int32_t)rd32(sfi + TT_XNU_SFI_SOI_FAMILY);
		uint64_t pcb = rd64(sfi + TT_XNU_SFI_SOI_PCB);
		if ((int32_t)rd32(sfi + TT_XNU_SFI_SOI_PROTOCOL) != want ||
		    (family != TT_XNU_AF_INET && family != TT_XNU_AF_INET6) || pcb == 0)
			continue;
		out[kept].so = pcb;
		out[kept].pid = pid;
		out[kept].pad = 0;
		kept++;
	}
	*n = tt_bsd_owners_finish(out, kept);
	return 0;
}

int tt_mac_files_owners(const void *buf, size_t len, struct tt_bsd_owner *out, size_t *n)
{
	return files_owners(buf, len, TT_XNU_IPPROTO_TCP, out, n);
}

int tt_mac_udp_files_owners(const void *buf, size_t len, struct tt_bsd_owner *out, size_t *n)
{
	return files_owners(buf, len, TT_XNU_IPPROTO_UDP, out, n);
}

int tt_mac_tcp_mib(const void *buf, size_t len, struct tt_tcp_mib *out)
{
	if (len < TT_XNU_TCPSTAT_NEED)
		return -EOPNOTSUPP;
	const unsigned char *p = buf;
	out->active_opens = rd32(p + TT_XNU_TCPS_CONNATTEMPT);
	out->passive_opens = rd32(p + TT_XNU_TCPS_ACCEPTS);
	out->attempt_fails = rd32(p + TT_XNU_TCPS_CONNDROPS);
	out->estab_resets = rd32(p + TT_XNU_TCPS_DROPS);
	out->in_segs = rd32(p + TT_XNU_TCPS_RCVTOTAL);
	uint64_t sent = rd32(p + TT_XNU_TCPS_SNDTOTAL);
	uint64_t rexmit = rd32(p + TT_XNU_TCPS_SNDREXMITPACK);
	/* RFC 4022: segments sent, excluding retransmissions. */
	out->out_segs = sent >= rexmit ? sent - rexmit : 0;
	out->retrans_segs = rexmit;
	out->in_errs = (uint64_t)rd32(p + TT_XNU_TCPS_RCVBADSUM) +
		       rd32(p + TT_XNU_TCPS_RCVBADOFF) + rd32(p + TT_XNU_TCPS_RCVSHORT);
	/* No RST counter of its own: see the FreeBSD walker. */
	uint64_t ctrl = rd32(p + TT_XNU_TCPS_SNDCTRL), closed = rd32(p + TT_XNU_TCPS_CLOSED);
	out->out_rsts = ctrl >= closed ? ctrl - closed : 0;
	return 0;
}

int tt_mac_udp_mib(const void *buf, size_t len, struct tt_udp_mib *out)
{
	if (len < TT_XNU_UDPSTAT_NEED)
		return -EOPNOTSUPP;
	const unsigned char *p = buf;
	uint64_t errors = (uint64_t)rd32(p + TT_XNU_UDPS_HDROPS) + rd32(p + TT_XNU_UDPS_BADSUM) +
			  rd32(p + TT_XNU_UDPS_BADLEN) + rd32(p + TT_XNU_UDPS_FULLSOCK);
	uint64_t noport = (uint64_t)rd32(p + TT_XNU_UDPS_NOPORT) + rd32(p + TT_XNU_UDPS_NOPORTBCAST);
	uint64_t in = rd32(p + TT_XNU_UDPS_IPACKETS);
	/* As netstat(1)'s "delivered": received less every drop. */
	out->in_datagrams = in >= errors + noport ? in - errors - noport : 0;
	out->no_ports = noport;
	out->in_errors = errors;
	out->out_datagrams = rd32(p + TT_XNU_UDPS_OPACKETS);
	return 0;
}
