/*
 * layout.h - the DragonFly kernel records the DragonFly backend reads:
 * struct xtcpcb (net.inet.tcp.pcblist: the kernel's inpcb, tcpcb and a
 * struct xsocket), struct xinpcb (net.inet.udp.pcblist: the same without
 * the tcpcb), struct udpstat (net.inet.udp.stats, one per network CPU), struct kinfo_file (kern.file) and struct tcp_stats
 * (net.inet.tcp.stats, one per network CPU).
 *
 * On DragonFly they come from the system headers.  Test builds on other
 * systems define TT_BSD_TRANSCRIBED and get the project's own transcription
 * (tests/bsd/dragonfly_transcribed.h).  The lists below name every size,
 * member and constant the walker relies on; scripts/bsd-check.sh turns the
 * transcription's values of them into static assertions and compiles those
 * against real DragonFly headers.
 */
#ifndef TT_DRAGONFLY_LAYOUT_H
#define TT_DRAGONFLY_LAYOUT_H

#include "tcps.h"

#ifdef TT_BSD_TRANSCRIBED
#include "dragonfly_transcribed.h"
#else
#include <sys/param.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/socketvar.h>
#include <sys/kinfo.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/tcp.h>
#include <netinet/tcp_fsm.h>
#include <netinet/tcp_var.h>
#include <netinet/udp.h>
#include <netinet/udp_var.h>
#ifndef __DragonFly__
#error "tcptable: the DragonFly backend is for DragonFly BSD"
#endif
#define TT_DF_AF_INET AF_INET
#define TT_DF_AF_INET6 AF_INET6
#endif

/* DTYPE_SOCKET in kinfo_file.f_type, spelled out: DragonFly's sys/file.h
 * defines it only for the kernel (_KERNEL_STRUCTURES), and that brings in
 * kernel-only headers (scripts/bsd-check.sh compares the two). */
#define TT_DF_DTYPE_SOCKET 2

/* DragonFly numbers the TCP states one higher than the classic BSD
 * tcp_fsm.h (tcps.h): TCPS_TERMINATING, a tcpcb being destroyed, is 0. */
#define TT_DF_TCPS_SHIFT 1

#define TT_RECORD_SIZES(X)  \
	X(struct xtcpcb)    \
	X(struct xinpcb)    \
	X(struct kinfo_file) \
	X(struct tcp_stats) \
	X(struct udpstat)

/* Members the walker reads; inp_lport and the like are the headers' own
 * accessor macros into inp_inc. */
#define TT_RECORD_MEMBERS(X)                      \
	X(struct xtcpcb, xt_len)                  \
	X(struct xtcpcb, xt_inp.inp_socket)       \
	X(struct xtcpcb, xt_inp.inp_af)           \
	X(struct xtcpcb, xt_inp.inp_lport)        \
	X(struct xtcpcb, xt_inp.inp_fport)        \
	X(struct xtcpcb, xt_inp.inp_laddr)        \
	X(struct xtcpcb, xt_inp.inp_faddr)        \
	X(struct xtcpcb, xt_inp.in6p_laddr)       \
	X(struct xtcpcb, xt_inp.in6p_faddr)       \
	X(struct xtcpcb, xt_tp.t_state)           \
	X(struct xtcpcb, xt_socket.xso_so)        \
	X(struct xtcpcb, xt_socket.xso_protocol)  \
	X(struct xinpcb, xi_len)                  \
	X(struct xinpcb, xi_inp)                  \
	X(struct xinpcb, xi_socket)               \
	X(struct kinfo_file, f_size)              \
	X(struct kinfo_file, f_pid)               \
	X(struct kinfo_file, f_type)              \
	X(struct kinfo_file, f_data)              \
	X(struct tcp_stats, tcps_connattempt)     \
	X(struct tcp_stats, tcps_accepts)         \
	X(struct tcp_stats, tcps_drops)           \
	X(struct tcp_stats, tcps_conndrops)       \
	X(struct tcp_stats, tcps_closed)          \
	X(struct tcp_stats, tcps_sndtotal)        \
	X(struct tcp_stats, tcps_sndrexmitpack)   \
	X(struct tcp_stats, tcps_sndctrl)         \
	X(struct tcp_stats, tcps_rcvtotal)        \
	X(struct tcp_stats, tcps_rcvbadsum)       \
	X(struct tcp_stats, tcps_rcvbadoff)       \
	X(struct tcp_stats, tcps_rcvshort)         \
	X(struct udpstat, udps_ipackets)          \
	X(struct udpstat, udps_hdrops)            \
	X(struct udpstat, udps_badsum)            \
	X(struct udpstat, udps_badlen)            \
	X(struct udpstat, udps_noport)            \
	X(struct udpstat, udps_noportbcast)       \
	X(struct udpstat, udps_fullsock)          \
	X(struct udpstat, udps_opackets)

#define TT_RECORD_CONSTANTS(X) \
	X(TT_DF_AF_INET)       \
	X(TT_DF_AF_INET6)      \
	X(IPPROTO_TCP)         \
	X(IPPROTO_UDP)         \
	X(TCPS_TERMINATING)    \
	TT_TCPS_CONSTANTS(X)

#endif /* TT_DRAGONFLY_LAYOUT_H */
