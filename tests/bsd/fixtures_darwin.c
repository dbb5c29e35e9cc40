/*
 * fixtures_darwin.c - macOS kernel buffers, laid out by the offsets of
 * src/bsd/darwin/layout.h (the one transcription, which the macOS build
 * and scripts/bsd-check.sh hold against the headers).
 */
#include <stdbool.h>
#include <string.h>

#include <check.h>

#include "darwin.h"
#include "fixtures_impl.h"

/* The kinds of the records the walker steps over. */
#define XSO_RCVBUF 0x002
#define XSO_SNDBUF 0x004
#define XSO_STATS 0x008

static size_t pad8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* Appends a record of size bytes (padded) with its length and kind. */
static unsigned char *record(struct bsd_buf *b, size_t size, uint32_t kind)
{
	unsigned char *p = bsd_buf_grow(b, pad8(size));
	put32(p + TT_XNU_REC_LEN, (uint32_t)size);
	put32(p + TT_XNU_REC_KIND, kind);
	return p;
}

size_t mx_pcb_size(void)
{
	return pad8(TT_XNU_XI_SIZE) + pad8(TT_XNU_XSO_SIZE) + 2 * pad8(TT_XNU_XSB_SIZE) +
	       pad8(TT_XNU_XST_SIZE) + pad8(TT_XNU_XT_SIZE);
}

void mx_head(struct bsd_buf *b, uint64_t gen, uint32_t count)
{
	unsigned char *p = bsd_buf_grow(b, TT_XNU_XIG_SIZE);
	put32(p + TT_XNU_XIG_LEN, TT_XNU_XIG_SIZE);
	put32(p + TT_XNU_XIG_COUNT, count);
	put64(p + TT_XNU_XIG_GEN, gen);
}

void mx_pcb(struct bsd_buf *b, const struct mx_pcb *r)
{
	unsigned char *xi = record(b, TT_XNU_XI_SIZE, TT_XNU_XSO_INPCB);
	put64(xi + TT_XNU_XI_INPP, r->inpp);
	uint16_t port = htons(r->lport);
	memcpy(xi + TT_XNU_XI_LPORT, &port, 2);
	port = htons(r->rport);
	memcpy(xi + TT_XNU_XI_FPORT, &port, 2);
	put64(xi + TT_XNU_XI_GENCNT, r->gencnt);
	put32(xi + TT_XNU_XI_FLAGS, r->flags);
	xi[TT_XNU_XI_VFLAG] = (unsigned char)r->vflag;
	/* IPv6 PCBs use all 16 bytes; IPv4 ones the last four. */
	bool v6 = r->laddr ? strchr(r->laddr, ':') != NULL : (r->vflag & FB_V6) != 0;
	unsigned char a[16];
	if (v6) {
		fx_addr(6, r->laddr, r->lzone, a);
		memcpy(xi + TT_XNU_XI_LADDR, a, 16);
		fx_addr(6, r->raddr, r->rzone, a);
		memcpy(xi + TT_XNU_XI_FADDR, a, 16);
	} else {
		fx_addr(4, r->laddr, 0, a);
		memcpy(xi + TT_XNU_XI_LADDR + TT_XNU_XI_ADDR4, a, 4);
		fx_addr(4, r->raddr, 0, a);
		memcpy(xi + TT_XNU_XI_FADDR + TT_XNU_XI_ADDR4, a, 4);
	}

	if (!(r->omit & MX_NO_SOCKET)) {
		unsigned char *so = record(b, TT_XNU_XSO_SIZE, TT_XNU_XSO_SOCKET);
		/* xnu hashes the socket's address as it hashes the inpcb's. */
		put64(so + TT_XNU_XSO_SO, r->inpp ? r->inpp ^ 0x5555 : 0);
		int protocol = r->protocol == 0 ? TT_XNU_IPPROTO_TCP : r->protocol < 0 ? 0 : r->protocol;
		put32(so + TT_XNU_XSO_PROTOCOL, (uint32_t)protocol);
		put32(so + TT_XNU_XSO_FAMILY, v6 ? TT_XNU_AF_INET6 : TT_XNU_AF_INET);
	}
	memset(record(b, TT_XNU_XSB_SIZE, XSO_RCVBUF) + 8, 0x11, TT_XNU_XSB_SIZE - 8);
	memset(record(b, TT_XNU_XSB_SIZE, XSO_SNDBUF) + 8, 0x22, TT_XNU_XSB_SIZE - 8);
	memset(record(b, TT_XNU_XST_SIZE, XSO_STATS) + 8, 0x33, TT_XNU_XST_SIZE - 8);
	if (!(r->omit & MX_NO_TCPCB)) {
		unsigned char *xt = record(b, TT_XNU_XT_SIZE, TT_XNU_XSO_TCPCB);
		put32(xt + TT_XNU_XT_STATE, (uint32_t)r->tcps);
	}
}

struct bsd_buf mx_list(uint64_t gen, uint64_t tail_gen, const struct mx_pcb *r, size_t n)
{
	struct bsd_buf b = { 0 };
	mx_head(&b, gen, (uint32_t)n);
	if (n == 0)
		return b;
	for (size_t i = 0; i < n; i++)
		mx_pcb(&b, &r[i]);
	mx_head(&b, tail_gen, (uint32_t)n);
	return b;
}

size_t mx_sock_rec_size(void)
{
	return TT_MAC_FDREC_SIZE;
}

void mx_sock(struct bsd_buf *b, uint32_t pid, int family, int protocol, uint64_t pcb)
{
	/* A struct socket_fdinfo as proc_pidfdinfo fills it, put into the
	 * buffer the way the I/O does. */
	unsigned char sfi[TT_XNU_SFI_SIZE];
	memset(sfi, 0x44, sizeof(sfi)); /* the rest of the record */
	put64(sfi + TT_XNU_SFI_SOI_PCB, pcb);
	put32(sfi + TT_XNU_SFI_SOI_PROTOCOL, (uint32_t)(protocol ? protocol : TT_XNU_IPPROTO_TCP));
	put32(sfi + TT_XNU_SFI_SOI_FAMILY,
	      family == 4 ? TT_XNU_AF_INET : family == 6 ? TT_XNU_AF_INET6 : (uint32_t)family);
	tt_mac_fdrec_put(bsd_buf_grow(b, TT_MAC_FDREC_SIZE), pid, TT_XNU_SFI_SIZE, sfi);
}

void mx_sock_size(struct bsd_buf *b, uint32_t size)
{
	mx_sock(b, 1, 4, 0, 0x1234);
	put32(b->p + b->len - TT_MAC_FDREC_SIZE + 4, size);
}

struct bsd_buf mx_tcpstat(const struct fx_tcpstat *s, size_t extra)
{
	struct bsd_buf b = { 0 };
	unsigned char *p = bsd_buf_grow(&b, TT_XNU_TCPSTAT_NEED + extra);
	put32(p + TT_XNU_TCPS_CONNATTEMPT, (uint32_t)s->connattempt);
	put32(p + TT_XNU_TCPS_ACCEPTS, (uint32_t)s->accepts);
	put32(p + TT_XNU_TCPS_DROPS, (uint32_t)s->drops);
	put32(p + TT_XNU_TCPS_CONNDROPS, (uint32_t)s->conndrops);
	put32(p + TT_XNU_TCPS_CLOSED, (uint32_t)s->closed);
	put32(p + TT_XNU_TCPS_SNDTOTAL, (uint32_t)s->sndtotal);
	put32(p + TT_XNU_TCPS_SNDREXMITPACK, (uint32_t)s->sndrexmitpack);
	put32(p + TT_XNU_TCPS_SNDCTRL, (uint32_t)s->sndctrl);
	put32(p + TT_XNU_TCPS_RCVTOTAL, (uint32_t)s->rcvtotal);
	put32(p + TT_XNU_TCPS_RCVBADSUM, (uint32_t)s->rcvbadsum);
	put32(p + TT_XNU_TCPS_RCVBADOFF, (uint32_t)s->rcvbadoff);
	put32(p + TT_XNU_TCPS_RCVSHORT, (uint32_t)s->rcvshort);
	return b;
}

struct bsd_buf mx_udpstat(const struct df_udpstat *s)
{
	struct bsd_buf b = { 0 };
	unsigned char *p = bsd_buf_grow(&b, TT_XNU_UDPSTAT_NEED);
	put32(p + TT_XNU_UDPS_IPACKETS, (uint32_t)s->ipackets);
	put32(p + TT_XNU_UDPS_HDROPS, (uint32_t)s->hdrops);
	put32(p + TT_XNU_UDPS_BADSUM, (uint32_t)s->badsum);
	put32(p + TT_XNU_UDPS_BADLEN, (uint32_t)s->badlen);
	put32(p + TT_XNU_UDPS_NOPORT, (uint32_t)s->noport);
	put32(p + TT_XNU_UDPS_NOPORTBCAST, (uint32_t)s->noportbcast);
	put32(p + TT_XNU_UDPS_FULLSOCK, (uint32_t)s->fullsock);
	put32(p + TT_XNU_UDPS_OPACKETS, (uint32_t)s->opackets);
	return b;
}
