/*
 * fixtures_netbsd.c - NetBSD kernel buffers on the transcribed records.
 */
#include <string.h>

#include <check.h>

#include "fixtures_impl.h"
#include "netbsd_transcribed.h"

size_t nb_pcb_size(void)
{
	return sizeof(struct kinfo_pcb);
}

size_t nb_file_size(void)
{
	return sizeof(struct kinfo_file);
}

/* A BSD sockaddr_in or sockaddr_in6 in pad. */
static void put_sockaddr(char *pad, int family, const char *addr, uint16_t port, uint16_t zone)
{
	unsigned char a[16];
	fx_addr(family, addr, zone, a);
	unsigned char *sa = (unsigned char *)pad;
	uint16_t nport = htons(port);
	if (family == 4) {
		sa[TT_NB_SA_LEN] = TT_NB_SIN_SIZE;
		sa[TT_NB_SA_FAMILY] = TT_NB_AF_INET;
		memcpy(sa + TT_NB_SIN_PORT, &nport, 2);
		memcpy(sa + TT_NB_SIN_ADDR, a, 4);
	} else {
		sa[TT_NB_SA_LEN] = TT_NB_SIN6_SIZE;
		sa[TT_NB_SA_FAMILY] = TT_NB_AF_INET6;
		memcpy(sa + TT_NB_SIN6_PORT, &nport, 2);
		memcpy(sa + TT_NB_SIN6_ADDR, a, 16);
		/* sin6_scope_id stays 0, as the kernel leaves it */
	}
}

void nb_pcb(struct bsd_buf *b, const struct nb_pcb *r)
{
	struct kinfo_pcb k;
	memset(&k, 0, sizeof(k));
	k.ki_pcbaddr = r->pcb;
	k.ki_sockaddr = r->so;
	k.ki_family = r->family == 4 ? TT_NB_AF_INET : TT_NB_AF_INET6;
	k.ki_protocol = r->protocol ? (uint32_t)r->protocol : IPPROTO_TCP;
	k.ki_pflags = r->pflags;
	k.ki_tstate = r->tcps;
	put_sockaddr(k.ki_spad, r->family, r->laddr, r->lport, r->lzone);
	if (r->dst_family >= 0 && r->tcps != FX_LISTEN)
		put_sockaddr(k.ki_dpad, r->dst_family ? r->dst_family : r->family, r->raddr,
			     r->rport, r->rzone);
	memcpy(bsd_buf_grow(b, sizeof(k)), &k, sizeof(k));
}

struct bsd_buf nb_list(const struct nb_pcb *r, size_t n)
{
	struct bsd_buf b = { 0 };
	for (size_t i = 0; i < n; i++)
		nb_pcb(&b, &r[i]);
	return b;
}

void nb_file(struct bsd_buf *b, uint32_t pid, uint32_t type, uint64_t data)
{
	struct kinfo_file f;
	memset(&f, 0, sizeof(f));
	f.ki_ftype = type;
	f.ki_fdata = data;
	f.ki_pid = pid;
	memcpy(bsd_buf_grow(b, sizeof(f)), &f, sizeof(f));
}

struct bsd_buf nb_tcpstat(const struct fx_tcpstat *s, size_t extra_counters)
{
	uint64_t v[TCP_STAT_RCVSHORT + 1];
	memset(v, 0, sizeof(v));
	v[TCP_STAT_CONNATTEMPT] = s->connattempt;
	v[TCP_STAT_ACCEPTS] = s->accepts;
	v[TCP_STAT_DROPS] = s->drops;
	v[TCP_STAT_CONNDROPS] = s->conndrops;
	v[TCP_STAT_CLOSED] = s->closed;
	v[TCP_STAT_SNDTOTAL] = s->sndtotal;
	v[TCP_STAT_SNDREXMITPACK] = s->sndrexmitpack;
	v[TCP_STAT_SNDCTRL] = s->sndctrl;
	v[TCP_STAT_RCVTOTAL] = s->rcvtotal;
	v[TCP_STAT_RCVBADSUM] = s->rcvbadsum;
	v[TCP_STAT_RCVBADOFF] = s->rcvbadoff;
	v[TCP_STAT_RCVSHORT] = s->rcvshort;
	struct bsd_buf b = { 0 };
	memcpy(bsd_buf_grow(&b, sizeof(v)), v, sizeof(v));
	memset(bsd_buf_grow(&b, extra_counters * 8), 0x55, extra_counters * 8);
	return b;
}

struct bsd_buf nb_udpstat(const struct fx_udpstat *s, int family)
{
	uint64_t v[UDP6_STAT_OPACKETS + 1 > UDP_STAT_OPACKETS + 1 ? UDP6_STAT_OPACKETS + 1
								 : UDP_STAT_OPACKETS + 1];
	memset(v, 0x55, sizeof(v)); /* the counters not read */
	size_t n;
	if (family == 4) {
		v[UDP_STAT_IPACKETS] = s->ipackets;
		v[UDP_STAT_HDROPS] = s->hdrops;
		v[UDP_STAT_BADSUM] = s->badsum;
		v[UDP_STAT_BADLEN] = s->badlen;
		v[UDP_STAT_NOPORT] = s->noport;
		v[UDP_STAT_NOPORTBCAST] = s->noportbcast;
		v[UDP_STAT_FULLSOCK] = s->fullsock;
		v[UDP_STAT_OPACKETS] = s->opackets;
		n = UDP_STAT_OPACKETS + 1;
	} else {
		v[UDP6_STAT_IPACKETS] = s->ipackets;
		v[UDP6_STAT_HDROPS] = s->hdrops;
		v[UDP6_STAT_BADSUM] = s->badsum;
		v[UDP6_STAT_BADLEN] = s->badlen;
		v[UDP6_STAT_NOPORT] = s->noport;
		v[UDP6_STAT_NOPORTMCAST] = s->noportbcast;
		v[UDP6_STAT_FULLSOCK] = s->fullsock;
		v[UDP6_STAT_OPACKETS] = s->opackets;
		n = UDP6_STAT_OPACKETS + 1;
	}
	struct bsd_buf b = { 0 };
	memcpy(bsd_buf_grow(&b, n * sizeof(v[0])), v, n * sizeof(v[0]));
	return b;
}
