/*
 * openbsd_transcribed.h - TEST ONLY.  The OpenBSD kernel export records,
 * transcribed by this project from the published layouts so that the
 * OpenBSD walker compiles and runs on Linux (TT_BSD_TRANSCRIBED).
 *
 * Only the members the walker reads have names; the rest is opaque filler
 * of the exact size.  kinfo_file uses fixed-width types, the same for 32-
 * and 64-bit programs.  scripts/bsd-check.sh checks every number here
 * against real OpenBSD headers.
 */
#ifndef TT_OPENBSD_TRANSCRIBED_H
#define TT_OPENBSD_TRANSCRIBED_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h> /* IPPROTO_TCP, IPPROTO_UDP */

#include "tcp_fsm_transcribed.h"

/* sys/sysctl.h, netinet/tcp_var.h */
#define CTL_KERN 1
#define KERN_FILE 73
#define KERN_FILE_BYFILE 1
#define KERN_FILE_BYPID 2
#define TCPCTL_DROP 19
#define TCPCTL_STATS 21
#define UDPCTL_STATS 5

/* The BSD sockaddr forms inside struct tcp_ident_mapping. */
#define TT_OB_SA_LEN 0
#define TT_OB_SA_FAMILY 1
#define TT_OB_SA_FAMILY_SIZE 1
#define TT_OB_SIN_SIZE 16
#define TT_OB_SIN_PORT 2
#define TT_OB_SIN_ADDR 4
#define TT_OB_SIN6_SIZE 28
#define TT_OB_SIN6_PORT 2
#define TT_OB_SIN6_ADDR 8
#define TT_OB_SIN6_SCOPE 24
#define TT_OB_AF_INET 2
#define TT_OB_AF_INET6 24
#define TT_OB_COMLEN 24 /* KI_MAXCOMLEN */

/* sys/sysctl.h: struct kinfo_file, 632 bytes. */
struct kinfo_file {
	uint32_t tt_opaque1[4];
	uint32_t f_type; /* DTYPE_SOCKET */
	uint32_t tt_opaque2[65];
	uint64_t so_pcb; /* the inpcb; (uint64_t)-1 for non-root, 0 for none */
	uint32_t so_protocol;
	uint32_t so_family;
	uint64_t tt_opaque3;
	uint32_t inp_lport; /* a u_short in network order */
	uint32_t inp_laddru[4]; /* IPv4: [0]; IPv6: all four (KAME zone) */
	uint32_t inp_fport;
	uint32_t inp_faddru[4];
	uint32_t tt_opaque4[8];
	uint32_t p_pid; /* KERN_FILE_BYPID only */
	uint32_t tt_opaque5[5];
	char p_comm[TT_OB_COMLEN];
	uint32_t inp_rtableid;
	uint32_t tt_opaque6[42];
	uint32_t t_state; /* TCPS_* */
	uint32_t tt_opaque7[8];
};

/* netinet/tcp_var.h: the leading members of struct tcpstat, up to the
 * last one the backend reads. */
struct tcpstat {
	uint32_t tcps_connattempt;
	uint32_t tcps_accepts;
	uint32_t tt_opaque1;
	uint32_t tcps_drops;
	uint32_t tcps_conndrops;
	uint32_t tcps_closed;
	uint32_t tt_opaque2[10];
	uint32_t tcps_sndtotal;
	uint32_t tt_opaque3;
	uint64_t tt_opaque4;
	uint32_t tcps_sndrexmitpack;
	uint64_t tt_opaque5[2];
	uint32_t tt_opaque6[4];
	uint32_t tcps_sndctrl;
	uint32_t tcps_rcvtotal;
	uint32_t tt_opaque7;
	uint64_t tt_opaque8;
	uint32_t tcps_rcvbadsum;
	uint32_t tcps_rcvbadoff;
	uint32_t tt_opaque9[2];
	uint32_t tcps_rcvshort;
};

/* netinet/udp_var.h: the leading members of struct udpstat (u_long),
 * up to the last one the backend reads. */
struct udpstat {
	uint64_t udps_ipackets;
	uint64_t udps_hdrops;
	uint64_t udps_badsum;
	uint64_t tt_opaque1;
	uint64_t udps_badlen;
	uint64_t udps_noport;
	uint64_t udps_noportbcast;
	uint64_t udps_nosec;
	uint64_t udps_fullsock;
	uint64_t tt_opaque2[2];
	uint64_t udps_opackets;
};

/* netinet/tcp_var.h: the new value of net.inet.tcp.drop. */
struct tcp_ident_mapping {
	union {
		unsigned char bytes[256];
		uint64_t align;
	} faddr, laddr; /* struct sockaddr_storage */
	int euid, ruid;
	unsigned rdomain;
};

_Static_assert(sizeof(struct kinfo_file) == 632, "kinfo_file");
_Static_assert(offsetof(struct kinfo_file, f_type) == 16, "f_type");
_Static_assert(offsetof(struct kinfo_file, so_pcb) == 280, "so_pcb");
_Static_assert(offsetof(struct kinfo_file, inp_lport) == 304, "inp_lport");
_Static_assert(offsetof(struct kinfo_file, inp_faddru) == 328, "inp_faddru");
_Static_assert(offsetof(struct kinfo_file, p_pid) == 376, "p_pid");
_Static_assert(offsetof(struct kinfo_file, p_comm) == 400, "p_comm");
_Static_assert(offsetof(struct kinfo_file, inp_rtableid) == 424, "inp_rtableid");
_Static_assert(offsetof(struct kinfo_file, t_state) == 596, "t_state");
_Static_assert(offsetof(struct tcpstat, tcps_sndtotal) == 64, "tcps_sndtotal");
_Static_assert(offsetof(struct tcpstat, tcps_sndrexmitpack) == 80, "tcps_sndrexmitpack");
_Static_assert(offsetof(struct tcpstat, tcps_sndctrl) == 120, "tcps_sndctrl");
_Static_assert(offsetof(struct tcpstat, tcps_rcvbadsum) == 144, "tcps_rcvbadsum");
_Static_assert(offsetof(struct tcpstat, tcps_rcvshort) == 160, "tcps_rcvshort");
_Static_assert(sizeof(struct tcp_ident_mapping) == 528, "tcp_ident_mapping");

#endif /* TT_OPENBSD_TRANSCRIBED_H */
