/*
 * layout.h - the xnu records the macOS backend reads, as byte offsets:
 * the net.inet.tcp.pcblist_n stream (struct xinpgen, then per PCB the
 * length-prefixed records xinpcb_n, xsocket_n, xsockbuf_n x2, xsockstat_n,
 * xtcpcb_n, each padded to 8 bytes), libproc's struct socket_fdinfo
 * (proc_pidfdinfo(PROC_PIDFDSOCKETINFO)) and struct tcpstat
 * (net.inet.tcp.stats).
 *
 * Why numbers and not the headers' structures: xinpcb_n, xsocket_n and
 * xtcpcb_n are PRIVATE in xnu (bsd/netinet/in_pcb.h, bsd/sys/socketvar.h,
 * bsd/netinet/tcp_var.h) and absent from the macOS SDK, so a library
 * built with the SDK must carry its own transcription, as netstat-like
 * tools outside Apple do.  This file is that one transcription, used by the
 * library and by the tests (TT_BSD_TRANSCRIBED) alike.  TT_XNU_LAYOUT
 * lists every number with the structure and member it stands for; the
 * static assertions at the end compare them with the headers wherever
 * those are present: the public ones in every build against the SDK, the
 * private ones where the private structures are declared (xnu's headers
 * with -DPRIVATE: scripts/bsd-check.sh darwin).
 *
 * All of them are declared under #pragma pack(4) and hold only
 * fixed-width members: the same numbers on x86_64 and arm64.
 */
#ifndef TT_DARWIN_LAYOUT_H
#define TT_DARWIN_LAYOUT_H

#include "tcps.h"

/* ---- net.inet.tcp.pcblist_n */
#define TT_XNU_XIG_SIZE 24 /* struct xinpgen */
#define TT_XNU_XIG_LEN 0
#define TT_XNU_XIG_COUNT 4
#define TT_XNU_XIG_GEN 8

/* Every record after the head starts {u_int32_t len; u_int32_t kind}. */
#define TT_XNU_REC_LEN 0
#define TT_XNU_REC_KIND 4
#define TT_XNU_XSO_SOCKET 0x001
#define TT_XNU_XSO_INPCB 0x010
#define TT_XNU_XSO_TCPCB 0x020

#define TT_XNU_XI_SIZE 104 /* struct xinpcb_n */
#define TT_XNU_XI_INPP 8 /* hashed kernel address of the inpcb */
#define TT_XNU_XI_FPORT 16
#define TT_XNU_XI_LPORT 18
#define TT_XNU_XI_GENCNT 28
#define TT_XNU_XI_FLAGS 36
#define TT_XNU_XI_VFLAG 44
#define TT_XNU_XI_FADDR 48 /* 16 bytes; IPv4 in the last four */
#define TT_XNU_XI_LADDR 64
#define TT_XNU_XI_ADDR4 12 /* in_addr_4in6.ia46_addr4 inside those */

#define TT_XNU_XSO_SIZE 104 /* struct xsocket_n */
#define TT_XNU_XSO_SO 8
#define TT_XNU_XSO_PROTOCOL 36
#define TT_XNU_XSO_FAMILY 40

#define TT_XNU_XT_SIZE 204 /* struct xtcpcb_n */
#define TT_XNU_XT_STATE 36

#define TT_XNU_XSB_SIZE 32 /* struct xsockbuf_n */
#define TT_XNU_XST_SIZE 136 /* struct xsockstat_n */

#define TT_XNU_INP_IPV4 0x1
#define TT_XNU_INP_IPV6 0x2
#define TT_XNU_IN6P_IPV6_V6ONLY 0x8000 /* in inp_flags */

/* What a record must hold for the walker to read it: its members up to
 * the last one used.  Newer kernels may make records longer, never
 * shorter. */
#define TT_XNU_XI_NEED (TT_XNU_XI_LADDR + 16)
#define TT_XNU_XSO_NEED (TT_XNU_XSO_FAMILY + 4)
#define TT_XNU_XT_NEED (TT_XNU_XT_STATE + 4)

/* ---- libproc: struct socket_fdinfo {struct proc_fileinfo pfi; struct
 * socket_info psi;} */
#define TT_XNU_SFI_SIZE 792
#define TT_XNU_SFI_SOI_PCB 168 /* psi.soi_pcb: the same hash as xi_inpp */
#define TT_XNU_SFI_SOI_PROTOCOL 180
#define TT_XNU_SFI_SOI_FAMILY 184

/* ---- struct tcpstat: u_int32_t counters. */
#define TT_XNU_TCPS_CONNATTEMPT 0
#define TT_XNU_TCPS_ACCEPTS 4
#define TT_XNU_TCPS_DROPS 12
#define TT_XNU_TCPS_CONNDROPS 16
#define TT_XNU_TCPS_CLOSED 20
#define TT_XNU_TCPS_SNDTOTAL 60
#define TT_XNU_TCPS_SNDREXMITPACK 72
#define TT_XNU_TCPS_SNDCTRL 96
#define TT_XNU_TCPS_RCVTOTAL 100
#define TT_XNU_TCPS_RCVBADSUM 112
#define TT_XNU_TCPS_RCVBADOFF 116
#define TT_XNU_TCPS_RCVSHORT 124
/* A shorter copy cannot be used. */
#define TT_XNU_TCPSTAT_NEED (TT_XNU_TCPS_RCVSHORT + 4)

#define TT_XNU_UDPS_IPACKETS 0 /* struct udpstat: u_int32_t counters */
#define TT_XNU_UDPS_HDROPS 4
#define TT_XNU_UDPS_BADSUM 8
#define TT_XNU_UDPS_BADLEN 12
#define TT_XNU_UDPS_NOPORT 16
#define TT_XNU_UDPS_NOPORTBCAST 20
#define TT_XNU_UDPS_FULLSOCK 24
#define TT_XNU_UDPS_OPACKETS 36
#define TT_XNU_UDPSTAT_NEED (TT_XNU_UDPS_OPACKETS + 4)

/* The BSD address families (sys/socket.h) and IPPROTO_TCP, as xnu numbers
 * them (the fixtures run on Linux, where AF_INET6 differs). */
#define TT_XNU_AF_INET 2
#define TT_XNU_AF_INET6 30
#define TT_XNU_IPPROTO_TCP 6
#define TT_XNU_IPPROTO_UDP 17

/* Every number above against the headers.
 *   P(number, struct, member): offsetof, private structures
 *   Q(number, struct, member): offsetof, public (in the SDK)
 *   S / T(number, struct): sizeof, private / public
 *   C(number, constant): a constant's value */
#define TT_XNU_LAYOUT(P, Q, S, T, C)                                         \
	T(TT_XNU_XIG_SIZE, struct xinpgen)                                   \
	Q(TT_XNU_XIG_LEN, struct xinpgen, xig_len)                           \
	Q(TT_XNU_XIG_COUNT, struct xinpgen, xig_count)                       \
	Q(TT_XNU_XIG_GEN, struct xinpgen, xig_gen)                           \
	S(TT_XNU_XI_SIZE, struct xinpcb_n)                                   \
	P(TT_XNU_REC_LEN, struct xinpcb_n, xi_len)                           \
	P(TT_XNU_REC_KIND, struct xinpcb_n, xi_kind)                         \
	P(TT_XNU_XI_INPP, struct xinpcb_n, xi_inpp)                          \
	P(TT_XNU_XI_FPORT, struct xinpcb_n, inp_fport)                       \
	P(TT_XNU_XI_LPORT, struct xinpcb_n, inp_lport)                       \
	P(TT_XNU_XI_GENCNT, struct xinpcb_n, inp_gencnt)                     \
	P(TT_XNU_XI_FLAGS, struct xinpcb_n, inp_flags)                       \
	P(TT_XNU_XI_VFLAG, struct xinpcb_n, inp_vflag)                       \
	P(TT_XNU_XI_FADDR, struct xinpcb_n, inp_dependfaddr.inp6_foreign)    \
	P(TT_XNU_XI_LADDR, struct xinpcb_n, inp_dependladdr.inp6_local)      \
	P(TT_XNU_XI_FADDR + TT_XNU_XI_ADDR4, struct xinpcb_n,                 \
	  inp_dependfaddr.inp46_foreign.ia46_addr4)                          \
	P(TT_XNU_XI_LADDR + TT_XNU_XI_ADDR4, struct xinpcb_n,                 \
	  inp_dependladdr.inp46_local.ia46_addr4)                            \
	S(TT_XNU_XSO_SIZE, struct xsocket_n)                                 \
	P(TT_XNU_REC_LEN, struct xsocket_n, xso_len)                         \
	P(TT_XNU_REC_KIND, struct xsocket_n, xso_kind)                       \
	P(TT_XNU_XSO_SO, struct xsocket_n, xso_so)                           \
	P(TT_XNU_XSO_PROTOCOL, struct xsocket_n, xso_protocol)               \
	P(TT_XNU_XSO_FAMILY, struct xsocket_n, xso_family)                   \
	S(TT_XNU_XT_SIZE, struct xtcpcb_n)                                   \
	P(TT_XNU_REC_LEN, struct xtcpcb_n, xt_len)                           \
	P(TT_XNU_REC_KIND, struct xtcpcb_n, xt_kind)                         \
	P(TT_XNU_XT_STATE, struct xtcpcb_n, t_state)                         \
	S(TT_XNU_XSB_SIZE, struct xsockbuf_n)                                \
	P(TT_XNU_REC_LEN, struct xsockbuf_n, xsb_len)                        \
	P(TT_XNU_REC_KIND, struct xsockbuf_n, xsb_kind)                      \
	S(TT_XNU_XST_SIZE, struct xsockstat_n)                               \
	P(TT_XNU_REC_LEN, struct xsockstat_n, xst_len)                       \
	P(TT_XNU_REC_KIND, struct xsockstat_n, xst_kind)                     \
	C(TT_XNU_XSO_SOCKET, XSO_SOCKET)                                     \
	C(TT_XNU_XSO_INPCB, XSO_INPCB)                                       \
	C(TT_XNU_XSO_TCPCB, XSO_TCPCB)                                       \
	C(TT_XNU_INP_IPV4, INP_IPV4)                                         \
	C(TT_XNU_INP_IPV6, INP_IPV6)                                         \
	C(TT_XNU_IN6P_IPV6_V6ONLY, IN6P_IPV6_V6ONLY)                         \
	T(TT_XNU_SFI_SIZE, struct socket_fdinfo)                             \
	Q(TT_XNU_SFI_SOI_PCB, struct socket_fdinfo, psi.soi_pcb)             \
	Q(TT_XNU_SFI_SOI_PROTOCOL, struct socket_fdinfo, psi.soi_protocol)   \
	Q(TT_XNU_SFI_SOI_FAMILY, struct socket_fdinfo, psi.soi_family)       \
	Q(TT_XNU_TCPS_CONNATTEMPT, struct tcpstat, tcps_connattempt)         \
	Q(TT_XNU_TCPS_ACCEPTS, struct tcpstat, tcps_accepts)                 \
	Q(TT_XNU_TCPS_DROPS, struct tcpstat, tcps_drops)                     \
	Q(TT_XNU_TCPS_CONNDROPS, struct tcpstat, tcps_conndrops)             \
	Q(TT_XNU_TCPS_CLOSED, struct tcpstat, tcps_closed)                   \
	Q(TT_XNU_TCPS_SNDTOTAL, struct tcpstat, tcps_sndtotal)               \
	Q(TT_XNU_TCPS_SNDREXMITPACK, struct tcpstat, tcps_sndrexmitpack)     \
	Q(TT_XNU_TCPS_SNDCTRL, struct tcpstat, tcps_sndctrl)                 \
	Q(TT_XNU_TCPS_RCVTOTAL, struct tcpstat, tcps_rcvtotal)               \
	Q(TT_XNU_TCPS_RCVBADSUM, struct tcpstat, tcps_rcvbadsum)             \
	Q(TT_XNU_TCPS_RCVBADOFF, struct tcpstat, tcps_rcvbadoff)             \
	Q(TT_XNU_TCPS_RCVSHORT, struct tcpstat, tcps_rcvshort)               \
	Q(TT_XNU_UDPS_IPACKETS, struct udpstat, udps_ipackets)               \
	Q(TT_XNU_UDPS_HDROPS, struct udpstat, udps_hdrops)                   \
	Q(TT_XNU_UDPS_BADSUM, struct udpstat, udps_badsum)                   \
	Q(TT_XNU_UDPS_BADLEN, struct udpstat, udps_badlen)                   \
	Q(TT_XNU_UDPS_NOPORT, struct udpstat, udps_noport)                   \
	Q(TT_XNU_UDPS_NOPORTBCAST, struct udpstat, udps_noportbcast)         \
	Q(TT_XNU_UDPS_FULLSOCK, struct udpstat, udps_fullsock)               \
	Q(TT_XNU_UDPS_OPACKETS, struct udpstat, udps_opackets)               \
	C(TT_XNU_AF_INET, AF_INET)                                           \
	C(TT_XNU_AF_INET6, AF_INET6)                                         \
	C(TT_XNU_IPPROTO_TCP, IPPROTO_TCP)                                   \
	C(TT_XNU_IPPROTO_UDP, IPPROTO_UDP)

#ifndef TT_BSD_TRANSCRIBED
#include <stddef.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/socketvar.h>
#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/tcp_fsm.h>
#include <netinet/tcp_var.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/udp.h>
#include <netinet/udp_var.h>
#include <libproc.h>
#include <sys/proc_info.h>

#define TT_XNU_NONE(...)
#define TT_XNU_OFFSET(n, T, m) _Static_assert((n) == offsetof(T, m), #T "." #m);
#define TT_XNU_SIZE(n, T) _Static_assert((n) == sizeof(T), "sizeof(" #T ")");
#define TT_XNU_CONST(n, c) _Static_assert((n) == (c), #c);
TT_TCPS_CONSTANTS(TT_TCPS_SAME)
#ifdef XSO_INPCB
/* The private records are declared (xnu's headers with -DPRIVATE). */
TT_XNU_LAYOUT(TT_XNU_OFFSET, TT_XNU_OFFSET, TT_XNU_SIZE, TT_XNU_SIZE, TT_XNU_CONST)
#else
/* The SDK: the public records and constants (XSO_* are private). */
TT_XNU_LAYOUT(TT_XNU_NONE, TT_XNU_OFFSET, TT_XNU_NONE, TT_XNU_SIZE, TT_XNU_NONE)
TT_XNU_CONST(TT_XNU_INP_IPV4, INP_IPV4)
TT_XNU_CONST(TT_XNU_INP_IPV6, INP_IPV6)
TT_XNU_CONST(TT_XNU_IN6P_IPV6_V6ONLY, IN6P_IPV6_V6ONLY)
TT_XNU_CONST(TT_XNU_AF_INET, AF_INET)
TT_XNU_CONST(TT_XNU_AF_INET6, AF_INET6)
TT_XNU_CONST(TT_XNU_IPPROTO_TCP, IPPROTO_TCP)
#endif
#endif /* !TT_BSD_TRANSCRIBED */

#endif /* TT_DARWIN_LAYOUT_H */
