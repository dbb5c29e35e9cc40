/*
 * dragonfly_transcribed.h - TEST ONLY.  The DragonFly kernel export
 * records, transcribed by this project from the published layouts
 * (DragonFly 5.9, amd64) so that the DragonFly walker compiles and runs on
 * Linux (TT_BSD_TRANSCRIBED).
 *
 * net.inet.tcp.pcblist hands out the kernel's own struct inpcb and struct
 * tcpcb inside struct xtcpcb, so these sizes are those of one kernel
 * release; the walker refuses any other xt_len.  Only the members the
 * walker reads have names; the rest is opaque filler of the exact size.
 * scripts/bsd-check.sh checks every number here against real DragonFly
 * headers.
 */
#ifndef TT_DRAGONFLY_TRANSCRIBED_H
#define TT_DRAGONFLY_TRANSCRIBED_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h> /* IPPROTO_TCP, IPPROTO_UDP */

/* netinet/tcp_fsm.h: DragonFly's own numbering.  TCPS_TERMINATING (a
 * tcpcb being destroyed) takes 0 and every classic state is one higher
 * than on the other BSDs. */
#define TCPS_TERMINATING 0
#define TCPS_CLOSED 1
#define TCPS_LISTEN 2
#define TCPS_SYN_SENT 3
#define TCPS_SYN_RECEIVED 4
#define TCPS_ESTABLISHED 5
#define TCPS_CLOSE_WAIT 6
#define TCPS_FIN_WAIT_1 7
#define TCPS_CLOSING 8
#define TCPS_LAST_ACK 9
#define TCPS_FIN_WAIT_2 10
#define TCPS_TIME_WAIT 11
#define TCP_NSTATES 12

/* sys/socket.h: the address families in struct inpcb's inp_af. */
#define TT_DF_AF_INET 2
#define TT_DF_AF_INET6 28

/* netinet/in_pcb.h: struct inpcb, 288 bytes.  The connection's addresses
 * sit in inp_inc (struct in_conninfo); an IPv4 address is the last four
 * bytes of its 16-byte slot, as FreeBSD's in_addr_4in6. */
struct tt_df_inpcb {
	uint64_t tt_opaque1[5];
	uint32_t tt_opaque2;
	uint16_t inp_fport;
	uint16_t inp_lport;
	union {
		struct {
			uint8_t tt_pad4[12];
			uint8_t inp_faddr[4];
		};
		uint8_t in6p_faddr[16];
	};
	union {
		struct {
			uint8_t tt_pad5[12];
			uint8_t inp_laddr[4];
		};
		uint8_t in6p_laddr[16];
	};
	uint64_t tt_opaque3[7];
	uint64_t inp_socket; /* the struct socket: the key into kern.file */
	uint64_t tt_opaque4[2];
	uint8_t inp_af;
	uint8_t tt_opaque5[127];
};

/* netinet/tcp_var.h: struct tcpcb, 624 bytes. */
struct tt_df_tcpcb {
	uint64_t tt_opaque1[13];
	int32_t t_state;
	uint32_t tt_opaque2[129];
};

/* sys/socketvar.h: struct xsocket, 168 bytes. */
struct tt_df_xsocket {
	uint64_t xso_len;
	uint64_t xso_so;
	uint64_t tt_opaque1[2];
	int32_t xso_protocol;
	uint32_t tt_opaque2[33];
};

/* netinet/tcp_var.h: struct xtcpcb, 1096 bytes: the length, then copies of
 * the kernel's inpcb, tcpcb and socket summary. */
struct xtcpcb {
	uint64_t xt_len; /* size_t */
	struct tt_df_inpcb xt_inp;
	struct tt_df_tcpcb xt_tp;
	struct tt_df_xsocket xt_socket;
	uint64_t xt_alignment_hack;
};

/* netinet/in_pcb.h: struct xinpcb, 472 bytes (net.inet.udp.pcblist): the
 * same copies without the tcpcb. */
struct xinpcb {
	uint64_t xi_len; /* size_t */
	struct tt_df_inpcb xi_inp;
	struct tt_df_xsocket xi_socket;
	uint64_t xi_alignment_hack;
};

/* sys/kinfo.h: struct kinfo_file, 72 bytes (kern.file). */
struct kinfo_file {
	uint64_t f_size; /* size_t */
	int32_t f_pid;
	uint32_t tt_opaque1[5];
	int16_t f_type;
	uint16_t tt_opaque2[3];
	uint64_t tt_opaque3[2];
	uint64_t f_data; /* for a socket: its struct socket */
	uint64_t tt_opaque4;
};

/* netinet/tcp_var.h: struct tcp_stats, 896 bytes (112 u_long counters);
 * net.inet.tcp.stats is an array of them, one per network CPU. */
struct tcp_stats {
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
	uint64_t tt_opaque5[16];
	uint64_t tcps_sndctrl;
	uint64_t tt_opaque6[10];
	uint64_t tcps_rcvtotal;
	uint64_t tt_opaque7[2];
	uint64_t tcps_rcvbadsum;
	uint64_t tcps_rcvbadoff;
	uint64_t tt_opaque8;
	uint64_t tcps_rcvshort;
	uint64_t tt_opaque9[58];
};

/* netinet/udp_var.h: struct udpstat, 128 bytes (16 u_long, padded to a
 * cache line); net.inet.udp.stats is an array of them, one per CPU. */
struct udpstat {
	uint64_t udps_ipackets;
	uint64_t udps_hdrops;
	uint64_t udps_badsum;
	uint64_t tt_opaque1;
	uint64_t udps_badlen;
	uint64_t udps_noport;
	uint64_t udps_noportbcast;
	uint64_t udps_fullsock;
	uint64_t tt_opaque2[2];
	uint64_t udps_opackets;
	uint64_t tt_opaque3[5];
};

_Static_assert(sizeof(struct tt_df_inpcb) == 288, "inpcb");
_Static_assert(offsetof(struct tt_df_inpcb, inp_lport) == 46, "inp_lport");
_Static_assert(offsetof(struct tt_df_inpcb, inp_laddr) == 76, "inp_laddr");
_Static_assert(offsetof(struct tt_df_inpcb, in6p_laddr) == 64, "in6p_laddr");
_Static_assert(offsetof(struct tt_df_inpcb, inp_socket) == 136, "inp_socket");
_Static_assert(offsetof(struct tt_df_inpcb, inp_af) == 160, "inp_af");
_Static_assert(sizeof(struct tt_df_tcpcb) == 624, "tcpcb");
_Static_assert(offsetof(struct tt_df_tcpcb, t_state) == 104, "t_state");
_Static_assert(sizeof(struct tt_df_xsocket) == 168, "xsocket");
_Static_assert(offsetof(struct tt_df_xsocket, xso_protocol) == 32, "xso_protocol");
_Static_assert(sizeof(struct xtcpcb) == 1096, "xtcpcb");
_Static_assert(offsetof(struct xtcpcb, xt_socket) == 920, "xt_socket");
_Static_assert(sizeof(struct xinpcb) == 472, "xinpcb");
_Static_assert(sizeof(struct udpstat) == 128, "udpstat");
_Static_assert(sizeof(struct kinfo_file) == 72, "kinfo_file");
_Static_assert(offsetof(struct kinfo_file, f_type) == 32, "f_type");
_Static_assert(offsetof(struct kinfo_file, f_data) == 56, "f_data");
_Static_assert(sizeof(struct tcp_stats) == 896, "tcp_stats");
_Static_assert(offsetof(struct tcp_stats, tcps_sndctrl) == 288, "tcps_sndctrl");
_Static_assert(offsetof(struct tcp_stats, tcps_rcvshort) == 424, "tcps_rcvshort");

#endif /* TT_DRAGONFLY_TRANSCRIBED_H */
