/*
 * fixtures_dragonfly.c - DragonFly kernel buffers on the transcribed
 * records.
 */
#include <string.h>

#include <check.h>

#include "dragonfly_transcribed.h"
#include "fixtures_impl.h"

size_t df_pcb_size(void)
{
	return sizeof(struct xtcpcb);
}

size_t df_file_size(void)
{
	return sizeof(struct kinfo_file);
}

size_t df_tcpstat_size(void)
{
	return sizeof(struct tcp_stats);
}

/* The inpcb both lists carry. */
static void df_inpcb(struct tt_df_inpcb *inp, const struct df_pcb *r)
{
	inp->inp_af = r->family == 4   ? TT_DF_AF_INET
		      : r->family == 6 ? TT_DF_AF_INET6
				       : (uint8_t)r->family;
	inp->inp_lport = htons(r->lport);
	inp->inp_fport = htons(r->rport);
	unsigned char la[16], ra[16];
	int fam = r->family == 6 ? 6 : 4; /* another family: IPv4 addresses */
	fx_addr(fam, r->laddr, r->lzone, la);
	fx_addr(fam, r->raddr, r->rzone, ra);
	if (fam == 4) {
		memcpy(inp->inp_laddr, la, 4);
		memcpy(inp->inp_faddr, ra, 4);
	} else {
		memcpy(inp->in6p_laddr, la, 16);
		memcpy(inp->in6p_faddr, ra, 16);
	}
	inp->inp_socket = r->so;
}

void df_pcb(struct bsd_buf *b, const struct df_pcb *r)
{
	struct xtcpcb x;
	memset(&x, 0, sizeof(x));
	x.xt_len = r->len ? r->len : sizeof(x);
	df_inpcb(&x.xt_inp, r);
	x.xt_tp.t_state = r->tcps + TCPS_CLOSED - FX_CLOSED; /* -1: TCPS_TERMINATING */
	uint64_t xso = r->so ? r->so : r->stale_so;
	if (xso) {
		x.xt_socket.xso_len = sizeof(x.xt_socket);
		x.xt_socket.xso_so = xso;
		x.xt_socket.xso_protocol = r->protocol ? r->protocol : IPPROTO_TCP;
	}
	memcpy(bsd_buf_grow(b, sizeof(x)), &x, sizeof(x));
}

void df_pad(struct bsd_buf *b)
{
	struct xtcpcb x;
	memset(&x, 0, sizeof(x));
	x.xt_len = sizeof(x);
	memcpy(bsd_buf_grow(b, sizeof(x)), &x, sizeof(x));
}

struct bsd_buf df_list(const struct df_pcb *r, size_t n)
{
	struct bsd_buf b = { 0 };
	for (size_t i = 0; i < n; i++)
		df_pcb(&b, &r[i]);
	return b;
}

void df_file(struct bsd_buf *b, int32_t pid, int16_t type, uint64_t data)
{
	struct kinfo_file f;
	memset(&f, 0, sizeof(f));
	f.f_size = sizeof(f);
	f.f_pid = pid;
	f.f_type = type;
	f.f_data = data;
	memcpy(bsd_buf_grow(b, sizeof(f)), &f, sizeof(f));
}

void df_file_len(struct bsd_buf *b, uint64_t f_size)
{
	struct kinfo_file f;
	memset(&f, 0, sizeof(f));
	f.f_size = f_size;
	memcpy(bsd_buf_grow(b, sizeof(f)), &f, sizeof(f));
}

struct bsd_buf df_tcpstat(const struct fx_tcpstat *s, size_t ncpus)
{
	struct bsd_buf b = { 0 };
	for (uint64_t k = 1; k <= ncpus; k++) {
		struct tcp_stats t;
		memset(&t, 0x55, sizeof(t)); /* the counters not read */
		t.tcps_connattempt = k * s->connattempt;
		t.tcps_accepts = k * s->accepts;
		t.tcps_drops = k * s->drops;
		t.tcps_conndrops = k * s->conndrops;
		t.tcps_closed = k * s->closed;
		t.tcps_sndtotal = k * s->sndtotal;
		t.tcps_sndrexmitpack = k * s->sndrexmitpack;
		t.tcps_sndctrl = k * s->sndctrl;
		t.tcps_rcvtotal = k * s->rcvtotal;
		t.tcps_rcvbadsum = k * s->rcvbadsum;
		t.tcps_rcvbadoff = k * s->rcvbadoff;
		t.tcps_rcvshort = k * s->rcvshort;
		memcpy(bsd_buf_grow(&b, sizeof(t)), &t, sizeof(t));
	}
	return b;
}

size_t df_udp_size(void)
{
	return sizeof(struct xinpcb);
}

void df_udp(struct bsd_buf *b, const struct df_pcb *r)
{
	struct xinpcb x;
	memset(&x, 0, sizeof(x));
	x.xi_len = r->len ? r->len : sizeof(x);
	df_inpcb(&x.xi_inp, r);
	if (r->so) {
		x.xi_socket.xso_len = sizeof(x.xi_socket);
		x.xi_socket.xso_so = r->so;
		x.xi_socket.xso_protocol = r->protocol ? r->protocol : IPPROTO_UDP;
	}
	memcpy(bsd_buf_grow(b, sizeof(x)), &x, sizeof(x));
}

struct bsd_buf df_udp_list(const struct df_pcb *r, size_t n)
{
	struct bsd_buf b = { 0 };
	for (size_t i = 0; i < n; i++)
		df_udp(&b, &r[i]);
	return b;
}

size_t df_udpstat_size(void)
{
	return sizeof(struct udpstat);
}

struct bsd_buf df_udpstat(const struct df_udpstat *s, size_t ncpus)
{
	struct bsd_buf b = { 0 };
	for (uint64_t k = 1; k <= ncpus; k++) {
		struct udpstat u;
		memset(&u, 0x55, sizeof(u)); /* the counters not read */
		u.udps_ipackets = k * s->ipackets;
		u.udps_hdrops = k * s->hdrops;
		u.udps_badsum = k * s->badsum;
		u.udps_badlen = k * s->badlen;
		u.udps_noport = k * s->noport;
		u.udps_noportbcast = k * s->noportbcast;
		u.udps_fullsock = k * s->fullsock;
		u.udps_opackets = k * s->opackets;
		memcpy(bsd_buf_grow(&b, sizeof(u)), &u, sizeof(u));
	}
	return b;
}
