/*
 * freebsd_transcribed.h - TEST ONLY.  The FreeBSD 12-15 kernel export
 * records, transcribed by this project from the published layouts so that
 * the FreeBSD walker compiles and runs on Linux (TT_BSD_TRANSCRIBED).
 *
 * Only the members the walker reads have names; everything between them is
 * opaque filler of the exact size.  The numbers asserted at the end are the
 * published amd64 layout; FreeBSD declares these records with fixed-width
 * types so that 32- and 64-bit programs see the same one.
 * scripts/bsd-check.sh checks them against real FreeBSD headers.
 */
#ifndef TT_FREEBSD_TRANSCRIBED_H
#define TT_FREEBSD_TRANSCRIBED_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h> /* struct in_addr, struct in6_addr, IPPROTO_TCP */

#include "tcp_fsm_transcribed.h"

/* netinet/in_pcb.h: inp_vflag bits */
#define INP_IPV4 0x1
#define INP_IPV6 0x2
#define INP_IPV6PROTO 0x4

/* netinet/in_pcb.h: the connection's endpoints.  An IPv4 address sits in
 * the last four bytes of the 16-byte union. */
struct in_addr_4in6 {
	uint32_t ia46_pad32[3];
	struct in_addr ia46_addr4;
};

union in_dependaddr {
	struct in_addr_4in6 id46_addr;
	struct in6_addr id6_addr;
};

struct in_endpoints {
	uint16_t ie_fport; /* network order */
	uint16_t ie_lport;
	union in_dependaddr ie_dependfaddr;
	union in_dependaddr ie_dependladdr;
	uint32_t ie6_zoneid;
};

struct in_conninfo {
	uint8_t inc_flags;
	uint8_t inc_len;
	uint16_t inc_fibnum;
	struct in_endpoints inc_ie;
};

/* The accessor macros the FreeBSD headers define for userland. */
#define inp_fport inp_inc.inc_ie.ie_fport
#define inp_lport inp_inc.inc_ie.ie_lport
#define inp_faddr inp_inc.inc_ie.ie_dependfaddr.id46_addr.ia46_addr4
#define inp_laddr inp_inc.inc_ie.ie_dependladdr.id46_addr.ia46_addr4
#define in6p_faddr inp_inc.inc_ie.ie_dependfaddr.id6_addr
#define in6p_laddr inp_inc.inc_ie.ie_dependladdr.id6_addr

/* sys/socketvar.h: struct xsocket, 240 bytes. */
struct xsocket {
	uint64_t xso_len;
	uint64_t xso_so; /* kernel address of the socket; 0 when none */
	uint64_t so_pcb;
	uint8_t tt_opaque1[72]; /* so_oobmark, spares */
	int32_t xso_protocol;
	int32_t xso_family;
	uint8_t tt_opaque2[136]; /* queue lengths, owner ids, flags, sockbufs */
};

/* netinet/in_pcb.h: struct xinpcb, 400 bytes, 8-byte aligned. */
struct xinpcb {
	uint64_t xi_len;
	struct xsocket xi_socket;
	struct in_conninfo inp_inc;
	uint64_t inp_gencnt;
	uint8_t tt_opaque1[88]; /* inp_ppcb (12-13) or spare (14-15), flows, flags */
	uint8_t inp_vflag;
	uint8_t tt_opaque2[7];
};

/* netinet/in_pcb.h: struct xinpgen, 64 bytes: the head and the trailer of
 * the list. */
struct xinpgen {
	uint64_t xig_len;
	uint32_t xig_count;
	uint32_t tt_opaque1;
	uint64_t xig_gen;
	uint64_t xig_sogen;
	uint64_t tt_opaque2[4];
};

/* netinet/tcp_var.h: struct xtcpcb, 744 bytes. */
struct xtcpcb {
	uint64_t xt_len;
	struct xinpcb xt_inp;
	uint8_t tt_opaque1[160]; /* stack, log id and congestion names, spares */
	int32_t t_state;
	uint32_t t_flags;
	int32_t t_sndzerowin;
	int32_t t_sndrexmitpack;
	int32_t t_rcvoopack;
	uint8_t tt_opaque2[28]; /* receive time, timers, log state */
	uint32_t t_snd_cwnd; /* FreeBSD 13 on; spare (0) before */
	uint32_t t_snd_ssthresh;
	uint32_t t_maxseg;
	uint32_t t_rcv_wnd;
	uint32_t t_snd_wnd;
	uint8_t tt_opaque3[108]; /* ECN, DSACK (14), encapsulation port, spares */
};

/* sys/file.h: struct xfile, 128 bytes. */
struct xfile {
	uint64_t xf_size;
	int32_t xf_pid;
	uint32_t xf_uid;
	int32_t xf_fd;
	int32_t tt_opaque1;
	uint64_t xf_file;
	int16_t xf_type;
	uint8_t tt_opaque2[22]; /* counts, offset */
	uint64_t xf_data; /* for a socket: its struct socket */
	uint8_t tt_opaque3[64];
};

/* netinet/tcp_var.h: the start of struct tcpstat, 64-bit counters; the
 * kernel's structure goes on past the last one used here. */
struct tcpstat {
	uint64_t tcps_connattempt;
	uint64_t tcps_accepts;
	uint64_t tt_opaque1;
	uint64_t tcps_drops;
	uint64_t tcps_conndrops;
	uint64_t tt_opaque2;
	uint64_t tcps_closed;
	uint64_t tt_opaque3[9];
	uint64_t tcps_sndtotal;
	uint64_t tt_opaque4[2];
	uint64_t tcps_sndrexmitpack;
	uint64_t tt_opaque5[6];
	uint64_t tcps_sndctrl;
	uint64_t tcps_rcvtotal;
	uint64_t tt_opaque6[2];
	uint64_t tcps_rcvbadsum;
	uint64_t tcps_rcvbadoff;
	uint64_t tt_opaque7;
	uint64_t tcps_rcvshort;
};

/* netinet/udp_var.h: the start of struct udpstat (net.inet.udp.stats),
 * 64-bit counters, up to the last one the statistics read. */
struct udpstat {
	uint64_t udps_ipackets;
	uint64_t udps_hdrops;
	uint64_t udps_badsum;
	uint64_t tt_opaque1; /* nosum */
	uint64_t udps_badlen;
	uint64_t udps_noport;
	uint64_t udps_noportbcast;
	uint64_t udps_fullsock;
	uint64_t tt_opaque2[2]; /* pcb cache and hash misses */
	uint64_t udps_opackets;
};

/* The layout, as published. */
_Static_assert(sizeof(struct in_conninfo) == 44, "in_conninfo");
_Static_assert(sizeof(struct xsocket) == 240, "xsocket");
_Static_assert(sizeof(struct xinpcb) == 400, "xinpcb");
_Static_assert(sizeof(struct xinpgen) == 64, "xinpgen");
_Static_assert(sizeof(struct xtcpcb) == 744, "xtcpcb");
_Static_assert(sizeof(struct xfile) == 128, "xfile");
_Static_assert(offsetof(struct xinpgen, xig_gen) == 16, "xig_gen");
_Static_assert(offsetof(struct xtcpcb, xt_inp) == 8, "xt_inp");
_Static_assert(offsetof(struct xtcpcb, t_state) == 568, "t_state");
_Static_assert(offsetof(struct xtcpcb, t_sndrexmitpack) == 580, "t_sndrexmitpack");
_Static_assert(offsetof(struct xtcpcb, t_snd_cwnd) == 616, "t_snd_cwnd");
_Static_assert(offsetof(struct xtcpcb, t_snd_ssthresh) == 620, "t_snd_ssthresh");
_Static_assert(offsetof(struct xtcpcb, t_maxseg) == 624, "t_maxseg");
_Static_assert(offsetof(struct xtcpcb, t_rcv_wnd) == 628, "t_rcv_wnd");
_Static_assert(offsetof(struct xtcpcb, t_snd_wnd) == 632, "t_snd_wnd");
_Static_assert(offsetof(struct xtcpcb, xt_inp.xi_socket.xso_so) == 24, "xso_so");
_Static_assert(offsetof(struct xtcpcb, xt_inp.xi_socket.xso_protocol) == 112, "xso_protocol");
_Static_assert(offsetof(struct xtcpcb, xt_inp.inp_inc) == 256, "inp_inc");
_Static_assert(offsetof(struct xtcpcb, xt_inp.inp_fport) == 260, "inp_fport");
_Static_assert(offsetof(struct xtcpcb, xt_inp.inp_lport) == 262, "inp_lport");
_Static_assert(offsetof(struct xtcpcb, xt_inp.in6p_faddr) == 264, "in6p_faddr");
_Static_assert(offsetof(struct xtcpcb, xt_inp.inp_faddr) == 276, "inp_faddr");
_Static_assert(offsetof(struct xtcpcb, xt_inp.in6p_laddr) == 280, "in6p_laddr");
_Static_assert(offsetof(struct xtcpcb, xt_inp.inp_laddr) == 292, "inp_laddr");
_Static_assert(offsetof(struct xtcpcb, xt_inp.inp_gencnt) == 304, "inp_gencnt");
_Static_assert(offsetof(struct xtcpcb, xt_inp.inp_vflag) == 400, "inp_vflag");
_Static_assert(offsetof(struct xfile, xf_pid) == 8, "xf_pid");
_Static_assert(offsetof(struct xfile, xf_type) == 32, "xf_type");
_Static_assert(offsetof(struct xfile, xf_data) == 56, "xf_data");
_Static_assert(offsetof(struct tcpstat, tcps_closed) == 48, "tcps_closed");
_Static_assert(offsetof(struct tcpstat, tcps_sndtotal) == 128, "tcps_sndtotal");
_Static_assert(offsetof(struct tcpstat, tcps_sndrexmitpack) == 152, "tcps_sndrexmitpack");
_Static_assert(offsetof(struct tcpstat, tcps_sndctrl) == 208, "tcps_sndctrl");
_Static_assert(offsetof(struct tcpstat, tcps_rcvtotal) == 216, "tcps_rcvtotal");
_Static_assert(offsetof(struct tcpstat, tcps_rcvbadsum) == 240, "tcps_rcvbadsum");
_Static_assert(offsetof(struct tcpstat, tcps_rcvshort) == 264, "tcps_rcvshort");

_Static_assert(offsetof(struct udpstat, udps_noport) == 40, "udps_noport");
_Static_assert(offsetof(struct udpstat, udps_opackets) == 80, "udps_opackets");

#endif /* TT_FREEBSD_TRANSCRIBED_H */
