/*
 * fixtures_freebsd.c - FreeBSD kernel buffers on the transcribed records.
 */
#include <stdbool.h>
#include <string.h>

#include <check.h>

#include "fixtures_impl.h"
#include "freebsd_transcribed.h"

size_t fb_pcb_size(void)
{
	return sizeof(struct xtcpcb);
}

size_t fb_gen_size(void)
{
	return sizeof(struct xinpgen);
}

size_t fb_file_size(void)
{
	return sizeof(struct xfile);
}

void fb_head(struct bsd_buf *b, uint64_t gen)
{
	struct xinpgen g;
	memset(&g, 0, sizeof(g));
	g.xig_len = sizeof(g);
	g.xig_gen = gen;
	memcpy(bsd_buf_grow(b, sizeof(g)), &g, sizeof(g));
}

/* The xinpcb of a record; proto is the list's protocol, used when the
 * record names none. */
static void fill_inp(struct xinpcb *x, const struct fb_pcb *r, int proto)
{
	x->xi_len = sizeof(*x);
	x->xi_socket.xso_so = r->so;
	x->xi_socket.xso_protocol = r->protocol ? r->protocol : proto;
	x->inp_gencnt = r->gencnt;
	x->inp_vflag = (uint8_t)r->vflag;
	x->inp_lport = htons(r->lport);
	x->inp_fport = htons(r->rport);
	/* Where the kernel keeps the addresses: the IPv6 fields for an IPv6
	 * PCB, the IPv4 ones (the last 4 bytes of the same unions) otherwise. */
	bool v6 = r->laddr ? strchr(r->laddr, ':') != NULL : (r->vflag & FB_V6) != 0;
	unsigned char a[16];
	if (v6) {
		fx_addr(6, r->laddr, r->lzone, a);
		memcpy(&x->in6p_laddr, a, 16);
		fx_addr(6, r->raddr, r->rzone, a);
		memcpy(&x->in6p_faddr, a, 16);
	} else {
		fx_addr(4, r->laddr, 0, a);
		memcpy(&x->inp_laddr, a, 4);
		fx_addr(4, r->raddr, 0, a);
		memcpy(&x->inp_faddr, a, 4);
	}
}

void fb_pcb(struct bsd_buf *b, const struct fb_pcb *r)
{
	struct xtcpcb x;
	memset(&x, 0, sizeof(x));
	x.xt_len = r->len ? r->len : sizeof(x);
	x.t_state = r->tcps;
	fill_inp(&x.xt_inp, r, IPPROTO_TCP);
	x.t_snd_cwnd = r->cwnd;
	x.t_snd_ssthresh = r->ssthresh;
	x.t_maxseg = r->maxseg;
	x.t_rcv_wnd = r->rcv_wnd;
	x.t_snd_wnd = r->snd_wnd;
	x.t_sndrexmitpack = r->rexmit;
	memcpy(bsd_buf_grow(b, sizeof(x)), &x, sizeof(x));
}

size_t fb_udp_size(void)
{
	return sizeof(struct xinpcb);
}

void fb_udp(struct bsd_buf *b, const struct fb_pcb *r)
{
	struct xinpcb x;
	memset(&x, 0, sizeof(x));
	fill_inp(&x, r, IPPROTO_UDP);
	if (r->len)
		x.xi_len = r->len;
	memcpy(bsd_buf_grow(b, sizeof(x)), &x, sizeof(x));
}

struct bsd_buf fb_udp_list(uint64_t gen, uint64_t tail_gen, const struct fb_pcb *r, size_t n)
{
	struct bsd_buf b = { 0 };
	fb_head(&b, gen);
	for (size_t i = 0; i < n; i++)
		fb_udp(&b, &r[i]);
	fb_head(&b, tail_gen);
	return b;
}

struct bsd_buf fb_list(uint64_t gen, uint64_t tail_gen, const struct fb_pcb *r, size_t n)
{
	struct bsd_buf b = { 0 };
	fb_head(&b, gen);
	for (size_t i = 0; i < n; i++)
		fb_pcb(&b, &r[i]);
	fb_head(&b, tail_gen);
	return b;
}

void fb_file(struct bsd_buf *b, int32_t pid, int16_t type, uint64_t data)
{
	struct xfile f;
	memset(&f, 0, sizeof(f));
	f.xf_size = sizeof(f);
	f.xf_pid = pid;
	f.xf_fd = 3;
	f.xf_type = type;
	f.xf_data = data;
	memcpy(bsd_buf_grow(b, sizeof(f)), &f, sizeof(f));
}

void fb_file_len(struct bsd_buf *b, uint64_t xf_size)
{
	struct xfile f;
	memset(&f, 0, sizeof(f));
	f.xf_size = xf_size;
	memcpy(bsd_buf_grow(b, sizeof(f)), &f, sizeof(f));
}

struct bsd_buf fb_tcpstat(const struct fx_tcpstat *s, size_t extra)
{
	struct tcpstat t;
	memset(&t, 0, sizeof(t));
	t.tcps_connattempt = s->connattempt;
	t.tcps_accepts = s->accepts;
	t.tcps_drops = s->drops;
	t.tcps_conndrops = s->conndrops;
	t.tcps_closed = s->closed;
	t.tcps_sndtotal = s->sndtotal;
	t.tcps_sndrexmitpack = s->sndrexmitpack;
	t.tcps_sndctrl = s->sndctrl;
	t.tcps_rcvtotal = s->rcvtotal;
	t.tcps_rcvbadsum = s->rcvbadsum;
	t.tcps_rcvbadoff = s->rcvbadoff;
	t.tcps_rcvshort = s->rcvshort;
	struct bsd_buf b = { 0 };
	memcpy(bsd_buf_grow(&b, sizeof(t)), &t, sizeof(t));
	memset(bsd_buf_grow(&b, extra), 0x77, extra);
	return b;
}

struct bsd_buf fb_udpstat(const struct fx_udpstat *s, size_t extra)
{
	struct udpstat u;
	memset(&u, 0, sizeof(u));
	u.udps_ipackets = s->ipackets;
	u.udps_hdrops = s->hdrops;
	u.udps_badsum = s->badsum;
	u.udps_badlen = s->badlen;
	u.udps_noport = s->noport;
	u.udps_noportbcast = s->noportbcast;
	u.udps_fullsock = s->fullsock;
	u.udps_opackets = s->opackets;
	memset(&u.tt_opaque1, 0x55, sizeof(u.tt_opaque1)); /* counters not read */
	memset(u.tt_opaque2, 0x55, sizeof(u.tt_opaque2));
	struct bsd_buf b = { 0 };
	memcpy(bsd_buf_grow(&b, sizeof(u)), &u, sizeof(u));
	memset(bsd_buf_grow(&b, extra), 0x77, extra);
	return b;
}
