/*
 * fixtures_openbsd.c - OpenBSD kernel buffers on the transcribed records.
 */
#include <string.h>

#include <check.h>

#include "fixtures_impl.h"
#include "openbsd_transcribed.h"

size_t ob_file_size(void)
{
	return sizeof(struct kinfo_file);
}

void ob_file(struct bsd_buf *b, const struct ob_sock *r, uint32_t pid, const char *comm)
{
	struct kinfo_file f;
	memset(&f, 0, sizeof(f));
	f.f_type = r->type ? r->type : DTYPE_SOCKET;
	f.so_pcb = r->pcb;
	f.so_protocol = r->protocol ? (uint32_t)r->protocol : IPPROTO_TCP;
	f.so_family = r->family == 4 ? TT_OB_AF_INET : TT_OB_AF_INET6;
	unsigned char a[16];
	/* The kernel stores the u_short ports (network order) in 32 bits. */
	f.inp_lport = htons(r->lport);
	f.inp_fport = htons(r->rport);
	fx_addr(r->family, r->laddr, r->lzone, a);
	memcpy(f.inp_laddru, a, r->family == 4 ? 4 : 16);
	fx_addr(r->family, r->raddr, r->rzone, a);
	memcpy(f.inp_faddru, a, r->family == 4 ? 4 : 16);
	f.inp_rtableid = r->rtable;
	f.t_state = (uint32_t)r->tcps;
	f.p_pid = pid;
	if (comm) {
		ck_assert_uint_lt(strlen(comm), sizeof(f.p_comm));
		memcpy(f.p_comm, comm, strlen(comm));
	}
	memcpy(bsd_buf_grow(b, sizeof(f)), &f, sizeof(f));
}

struct bsd_buf ob_list(const struct ob_sock *r, size_t n)
{
	struct bsd_buf b = { 0 };
	for (size_t i = 0; i < n; i++)
		ob_file(&b, &r[i], 0, NULL);
	return b;
}

struct bsd_buf ob_tcpstat(const struct fx_tcpstat *s, size_t extra)
{
	struct tcpstat t;
	memset(&t, 0x55, sizeof(t)); /* the counters not read */
	t.tcps_connattempt = (uint32_t)s->connattempt;
	t.tcps_accepts = (uint32_t)s->accepts;
	t.tcps_drops = (uint32_t)s->drops;
	t.tcps_conndrops = (uint32_t)s->conndrops;
	t.tcps_closed = (uint32_t)s->closed;
	t.tcps_sndtotal = (uint32_t)s->sndtotal;
	t.tcps_sndrexmitpack = (uint32_t)s->sndrexmitpack;
	t.tcps_sndctrl = (uint32_t)s->sndctrl;
	t.tcps_rcvtotal = (uint32_t)s->rcvtotal;
	t.tcps_rcvbadsum = (uint32_t)s->rcvbadsum;
	t.tcps_rcvbadoff = (uint32_t)s->rcvbadoff;
	t.tcps_rcvshort = (uint32_t)s->rcvshort;
	struct bsd_buf b = { 0 };
	memcpy(bsd_buf_grow(&b, sizeof(t)), &t, sizeof(t));
	memset(bsd_buf_grow(&b, extra), 0x55, extra);
	return b;
}

size_t ob_udpstat_size(void)
{
	return sizeof(struct udpstat);
}

struct bsd_buf ob_udpstat(const struct df_udpstat *s, size_t extra)
{
	struct udpstat u;
	memset(&u, 0, sizeof(u));
	u.tt_opaque1 = 0x55; /* a counter not read */
	u.udps_ipackets = s->ipackets;
	u.udps_hdrops = s->hdrops;
	u.udps_badsum = s->badsum;
	u.udps_badlen = s->badlen;
	u.udps_noport = s->noport;
	u.udps_noportbcast = s->noportbcast;
	u.udps_fullsock = s->fullsock;
	u.udps_opackets = s->opackets;
	struct bsd_buf b = { 0 };
	memcpy(bsd_buf_grow(&b, sizeof(u)), &u, sizeof(u));
	memset(bsd_buf_grow(&b, extra), 0x55, extra);
	return b;
}

size_t ob_ident_size(void)
{
	return sizeof(struct tcp_ident_mapping);
}

static void decode_sa(const unsigned char *ss, unsigned *len, unsigned *family, uint16_t *port,
		      unsigned char addr[16], uint32_t *scope)
{
	*len = ss[TT_OB_SA_LEN];
	*family = ss[TT_OB_SA_FAMILY];
	memset(addr, 0, 16);
	*scope = 0;
	if (*family == TT_OB_AF_INET) {
		memcpy(port, ss + TT_OB_SIN_PORT, 2);
		memcpy(addr, ss + TT_OB_SIN_ADDR, 4);
	} else {
		memcpy(port, ss + TT_OB_SIN6_PORT, 2);
		memcpy(addr, ss + TT_OB_SIN6_ADDR, 16);
		memcpy(scope, ss + TT_OB_SIN6_SCOPE, 4);
	}
}

void ob_ident_decode(const void *req, struct ob_ident *out)
{
	struct tcp_ident_mapping m;
	memcpy(&m, req, sizeof(m));
	decode_sa(m.faddr.bytes, &out->flen, &out->ffamily, &out->fport, out->faddr, &out->fscope);
	decode_sa(m.laddr.bytes, &out->llen, &out->lfamily, &out->lport, out->laddr, &out->lscope);
	out->rdomain = m.rdomain;
}
