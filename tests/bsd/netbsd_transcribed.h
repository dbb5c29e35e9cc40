/*
 * netbsd_transcribed.h - TEST ONLY.  The NetBSD kernel export records,
 * transcribed by this project from the published layouts so that the
 * NetBSD walker compiles and runs on Linux (TT_BSD_TRANSCRIBED).
 *
 * Only the members the walker reads have names; the rest is opaque filler
 * of the exact size.  kinfo_pcb and kinfo_file use fixed-width types, the
 * same for 32- and 64-bit programs.  scripts/bsd-check.sh checks every
 * number here against real NetBSD headers.
 */
#ifndef TT_NETBSD_TRANSCRIBED_H
#define TT_NETBSD_TRANSCRIBED_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h> /* IPPROTO_TCP */

#include "tcp_fsm_transcribed.h"

/* sys/socket.h, sys/sysctl.h */
#define PCB_ALL 0
#define CTL_KERN 1
#define KERN_FILE2 77
#define KERN_FILE_BYPID 2

/* netinet/tcp_var.h: indices into the net.inet.tcp.stats array. */
#define TCP_STAT_CONNATTEMPT 0
#define TCP_STAT_ACCEPTS 1
#define TCP_STAT_DROPS 3
#define TCP_STAT_CONNDROPS 4
#define TCP_STAT_CLOSED 5
#define TCP_STAT_SNDTOTAL 18
#define TCP_STAT_SNDREXMITPACK 21
#define TCP_STAT_SNDCTRL 27
#define TCP_STAT_RCVTOTAL 28
#define TCP_STAT_RCVBADSUM 31
#define TCP_STAT_RCVBADOFF 32
#define TCP_STAT_RCVSHORT 34

/* netinet/udp_var.h, netinet6/udp6_var.h: the UDP statistics nodes'
 * numbers and the indices into their arrays. */
#define UDPCTL_STATS 5
#define UDP_STAT_IPACKETS 0
#define UDP_STAT_HDROPS 1
#define UDP_STAT_BADSUM 2
#define UDP_STAT_BADLEN 3
#define UDP_STAT_NOPORT 4
#define UDP_STAT_NOPORTBCAST 5
#define UDP_STAT_FULLSOCK 6
#define UDP_STAT_OPACKETS 8
#define UDP6CTL_STATS 4
#define UDP6_STAT_IPACKETS 0
#define UDP6_STAT_HDROPS 1
#define UDP6_STAT_BADSUM 2
#define UDP6_STAT_BADLEN 4
#define UDP6_STAT_NOPORT 5
#define UDP6_STAT_NOPORTMCAST 6
#define UDP6_STAT_FULLSOCK 7
#define UDP6_STAT_OPACKETS 9

/* The BSD sockaddr forms: a length byte, a family byte, the port. */
#define TT_NB_SA_LEN 0
#define TT_NB_SA_FAMILY 1
#define TT_NB_SA_FAMILY_SIZE 1
#define TT_NB_SIN_SIZE 16
#define TT_NB_SIN_PORT 2
#define TT_NB_SIN_ADDR 4
#define TT_NB_SIN6_SIZE 28
#define TT_NB_SIN6_PORT 2
#define TT_NB_SIN6_ADDR 8
#define TT_NB_SIN6_SCOPE 24
#define TT_NB_AF_INET 2
#define TT_NB_AF_INET6 24

/* sys/socket.h: struct kinfo_pcb, 640 bytes. */
struct kinfo_pcb {
	uint64_t ki_pcbaddr;
	uint64_t tt_opaque1;
	uint64_t ki_sockaddr; /* the struct socket: the key into kern.file2 */
	uint32_t ki_family;
	uint32_t tt_opaque2;
	uint32_t ki_protocol;
	uint32_t ki_pflags;
	uint32_t tt_opaque3[2];
	int32_t ki_tstate;
	uint32_t tt_opaque4;
	uint64_t tt_opaque5[2];
	union {
		char _kis_pad[264]; /* a local sockaddr */
	} ki_s;
	union {
		char _kid_pad[264]; /* the peer's; all zero until connected */
	} ki_d;
	uint64_t tt_opaque6[5];
};
#define ki_spad ki_s._kis_pad
#define ki_dpad ki_d._kid_pad

/* sys/sysctl.h: struct kinfo_file, 120 bytes. */
struct kinfo_file {
	uint64_t tt_opaque1;
	uint32_t tt_opaque2[2];
	uint32_t ki_ftype;
	uint32_t tt_opaque3[3];
	uint64_t tt_opaque4;
	uint32_t tt_opaque5[2];
	uint64_t tt_opaque6[2];
	uint64_t ki_fdata; /* for a socket: its struct socket */
	uint64_t tt_opaque7[2];
	uint32_t tt_opaque8[2];
	uint64_t tt_opaque9;
	uint32_t ki_pid;
	int32_t tt_opaque10[3];
};

_Static_assert(sizeof(struct kinfo_pcb) == 640, "kinfo_pcb");
_Static_assert(offsetof(struct kinfo_pcb, ki_family) == 24, "ki_family");
_Static_assert(offsetof(struct kinfo_pcb, ki_pflags) == 36, "ki_pflags");
_Static_assert(offsetof(struct kinfo_pcb, ki_tstate) == 48, "ki_tstate");
_Static_assert(offsetof(struct kinfo_pcb, ki_spad) == 72, "ki_src");
_Static_assert(offsetof(struct kinfo_pcb, ki_dpad) == 336, "ki_dst");
_Static_assert(sizeof(struct kinfo_file) == 120, "kinfo_file");
_Static_assert(offsetof(struct kinfo_file, ki_ftype) == 16, "ki_ftype");
_Static_assert(offsetof(struct kinfo_file, ki_fdata) == 64, "ki_fdata");
_Static_assert(offsetof(struct kinfo_file, ki_pid) == 104, "ki_pid");

#endif /* TT_NETBSD_TRANSCRIBED_H */
