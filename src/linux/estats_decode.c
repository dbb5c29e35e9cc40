/*
 * estats_decode.c - the counters of one connection from its sock_diag reply
 * (pure, fuzzed): struct inet_diag_msg for the queues, INET_DIAG_INFO
 * (struct tcp_info) for the rest.  tcp_info only ever grew at its end, and
 * the kernel sends as much of it as it has: the attribute is decoded by its
 * length, and a field beyond it reads 0, as on a kernel that has no such
 * counter.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>

#include "backend.h"
#include "diag.h"

/* The uapi struct tcp_info (include/uapi/linux/tcp.h) as of Linux 6.7,
 * spelled out so that the build machine's headers, which may be older than
 * the kernel the library runs on, do not limit what is read; the members
 * not read here are opaque. */
struct lx_tcp_info {
	uint8_t tt_opaque1[2]; /* state, ca_state */
	uint8_t retransmits;
	uint8_t tt_opaque2[2]; /* probes, backoff */
	uint8_t options;
	uint8_t wscale; /* snd_wscale:4 (low bits), rcv_wscale:4 */
	uint8_t tt_opaque3; /* app_limited, fastopen_client_fail */
	uint32_t rto;
	uint32_t tt_opaque4; /* ato */
	uint32_t snd_mss, rcv_mss;
	uint8_t tt_opaque5[36]; /* unacked .. fackets, last_data_sent .. last_ack_recv */
	uint8_t tt_opaque6[8]; /* pmtu, rcv_ssthresh */
	uint32_t rtt, rttvar, snd_ssthresh, snd_cwnd, advmss, reordering;
	uint8_t tt_opaque7[8]; /* rcv_rtt, rcv_space */
	uint32_t total_retrans;
	uint8_t tt_opaque8[16]; /* pacing_rate, max_pacing_rate */
	uint64_t bytes_acked, bytes_received; /* 4.1, 4.2 */
	uint32_t segs_out, segs_in; /* 4.2 */
	uint32_t notsent_bytes, min_rtt, data_segs_in, data_segs_out; /* 4.6 */
	uint64_t delivery_rate; /* 4.9 */
	uint64_t busy_time, rwnd_limited, sndbuf_limited; /* 4.10 */
	uint8_t tt_opaque9[8]; /* delivered, delivered_ce (4.18) */
	uint64_t bytes_sent, bytes_retrans; /* 4.19 */
	uint32_t dsack_dups;
	uint8_t tt_opaque10[8]; /* reord_seen, rcv_ooopack (5.4) */
	uint32_t snd_wnd; /* 5.4 */
	uint32_t rcv_wnd; /* 6.2 */
	uint32_t tt_opaque11; /* rehash */
	uint16_t total_rto; /* 6.7 */
	uint8_t tt_opaque12[6]; /* total_rto_recoveries, total_rto_time */
};

_Static_assert(offsetof(struct lx_tcp_info, rto) == 8, "tcp_info.rto");
_Static_assert(offsetof(struct lx_tcp_info, total_retrans) == 100, "tcp_info.total_retrans");
_Static_assert(offsetof(struct lx_tcp_info, delivery_rate) == 160, "tcp_info.delivery_rate");
_Static_assert(offsetof(struct lx_tcp_info, bytes_sent) == 200, "tcp_info.bytes_sent");
_Static_assert(offsetof(struct lx_tcp_info, snd_wnd) == 228, "tcp_info.snd_wnd");
_Static_assert(offsetof(struct lx_tcp_info, rtt) == 68, "tcp_info.rtt");
_Static_assert(offsetof(struct lx_tcp_info, bytes_acked) == 120, "tcp_info.bytes_acked");
_Static_assert(offsetof(struct lx_tcp_info, dsack_dups) == 216, "tcp_info.dsack_dups");
_Static_assert(offsetof(struct lx_tcp_info, total_rto) == 240, "tcp_info.total_rto");
_Static_assert(sizeof(struct lx_tcp_info) == 248, "tcp_info as of Linux 6.7");

/* tcpi_options bits (uapi linux/tcp.h). */
#define LX_TCPI_OPT_WSCALE 4

/* The payload of INET_DIAG_INFO in the attributes (p, len bytes) into *ti,
 * zero-extended.  Returns 0, or -EBADMSG when an attribute overruns. */
static int find_info(const unsigned char *p, size_t len, struct lx_tcp_info *ti)
{
	while (len >= sizeof(struct nlattr)) {
		struct nlattr a;
		memcpy(&a, p, sizeof(a));
		if (a.nla_len < sizeof(a) || a.nla_len > len)
			return -EBADMSG;
		if ((a.nla_type & NLA_TYPE_MASK) == INET_DIAG_INFO) {
			size_t n = a.nla_len - sizeof(a);
			memcpy(ti, p + sizeof(a), n < sizeof(*ti) ? n : sizeof(*ti));
			return 0;
		}
		size_t step = NLA_ALIGN(a.nla_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return 0;
}

int tt_diag_tcp_info(const void *payload, size_t len, struct tt_tcp_info *out)
{
	struct inet_diag_msg m;
	if (len < sizeof(m))
		return -EBADMSG;
	memcpy(&m, payload, sizeof(m));
	struct lx_tcp_info ti;
	memset(&ti, 0, sizeof(ti));
	int err = find_info((const unsigned char *)payload + sizeof(m), len - sizeof(m), &ti);
	if (err)
		return err;

	memset(out, 0, sizeof(*out));
	out->snd_mss = ti.snd_mss;
	out->rcv_mss = ti.rcv_mss;
	out->advmss = ti.advmss;
	out->rtt_us = ti.rtt;
	out->rttvar_us = ti.rttvar;
	out->min_rtt_us = ti.min_rtt;
	out->rto_us = ti.rto;
	/* Linux counts cwnd and ssthresh in segments of snd_mss (SPEC §11). */
	out->snd_cwnd = (uint64_t)ti.snd_cwnd * ti.snd_mss;
	out->snd_ssthresh = (uint64_t)ti.snd_ssthresh * ti.snd_mss;
	out->snd_wnd = ti.snd_wnd;
	out->rcv_wnd = ti.rcv_wnd;
	out->wscale = (ti.options & LX_TCPI_OPT_WSCALE) != 0;
	if (out->wscale) {
		out->snd_wscale = ti.wscale & 0x0f;
		out->rcv_wscale = ti.wscale >> 4;
	}
	out->bytes_sent = ti.bytes_sent;
	out->bytes_retrans = ti.bytes_retrans;
	out->bytes_acked = ti.bytes_acked;
	out->bytes_received = ti.bytes_received;
	out->segs_out = ti.segs_out;
	out->segs_in = ti.segs_in;
	out->data_segs_out = ti.data_segs_out;
	out->data_segs_in = ti.data_segs_in;
	out->total_retrans = ti.total_retrans;
	out->timeouts = ti.total_rto;
	out->cur_timeouts = ti.retransmits;
	out->reordering = ti.reordering;
	out->dsack_dups = ti.dsack_dups;
	out->busy_us = ti.busy_time;
	out->rwnd_limited_us = ti.rwnd_limited;
	out->sndbuf_limited_us = ti.sndbuf_limited;
	out->delivery_rate = ti.delivery_rate;
	/* For a TCP socket the kernel reports in idiag_wqueue the bytes
	 * written and not yet acknowledged (write_seq - snd_una), in
	 * idiag_rqueue the bytes received and not yet read. */
	out->notsent_bytes = ti.notsent_bytes;
	out->unacked_bytes = m.idiag_wqueue > ti.notsent_bytes ? m.idiag_wqueue - ti.notsent_bytes : 0;
	out->unread_bytes = m.idiag_rqueue;
	return 0;
}
