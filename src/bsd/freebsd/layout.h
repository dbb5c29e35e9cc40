/*
 * layout.h - the FreeBSD kernel records the FreeBSD backend reads:
 * struct xinpgen, struct xtcpcb (net.inet.tcp.pcblist), struct xfile
 * (kern.file), struct tcpstat (net.inet.tcp.stats), struct xinpcb alone
 * (net.inet.udp.pcblist) and struct udpstat (net.inet.udp.stats).
 *
 * On FreeBSD they come from the system headers.  Test builds on other
 * systems define TT_BSD_TRANSCRIBED and get the project's own transcription
 * of the same layouts (tests/bsd/freebsd_transcribed.h).  The lists below
 * name every size, member and constant the walker relies on;
 * scripts/bsd-check.sh turns the transcription's values of them into static
 * assertions and compiles those against real FreeBSD headers.
 */
#ifndef TT_FREEBSD_LAYOUT_H
#define TT_FREEBSD_LAYOUT_H

#include "tcps.h"

#ifdef TT_BSD_TRANSCRIBED
#include "freebsd_transcribed.h"
#else
#include <sys/param.h>
#if !defined(__FreeBSD_version) || __FreeBSD_version < 1200026
#error "tcptable: the FreeBSD backend needs FreeBSD 12.0 or later (__FreeBSD_version >= 1200026): older kernels export their raw inpcb and tcpcb structures in net.inet.tcp.pcblist"
#endif
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/socketvar.h>
#include <sys/file.h>
#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/tcp_fsm.h>
#include <netinet/tcp_var.h>
#include <netinet/in_systm.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h> /* struct ipovly, for udp_var.h */
#include <netinet/udp.h>
#include <netinet/udp_var.h>
#endif

/* The windows and the MSS in xtcpcb (Get…EStats), exported since
 * FreeBSD 13; FreeBSD 12's records have zeroed spares there, and its
 * headers no names: the EStats fields then read 0. */
#if defined(TT_BSD_TRANSCRIBED) || __FreeBSD_version >= 1300000
#define TT_FBSD_HAVE_XT_WINDOWS 1
#define TT_FBSD_XT_WINDOWS(X)          \
	X(struct xtcpcb, t_snd_cwnd)     \
	X(struct xtcpcb, t_snd_ssthresh) \
	X(struct xtcpcb, t_maxseg)       \
	X(struct xtcpcb, t_rcv_wnd)      \
	X(struct xtcpcb, t_snd_wnd)
#else
#define TT_FBSD_XT_WINDOWS(X)
#endif

/* Types whose size the walker checks records against. */
#define TT_RECORD_SIZES(X) \
	X(struct xinpgen)        \
	X(struct xtcpcb)         \
	X(struct xinpcb)         \
	X(struct xfile)

/* Members the walker reads (a path through nested members and the
 * headers' own accessor macros such as inp_lport). */
#define TT_RECORD_MEMBERS(X)                           \
	X(struct xinpgen, xig_len)                   \
	X(struct xinpgen, xig_gen)                   \
	X(struct xtcpcb, xt_len)                     \
	X(struct xtcpcb, t_state)                    \
	X(struct xtcpcb, t_sndrexmitpack)            \
	TT_FBSD_XT_WINDOWS(X)                        \
	X(struct xtcpcb, xt_inp.xi_socket.xso_so)    \
	X(struct xtcpcb, xt_inp.xi_socket.xso_protocol) \
	X(struct xtcpcb, xt_inp.inp_gencnt)          \
	X(struct xtcpcb, xt_inp.inp_vflag)           \
	X(struct xtcpcb, xt_inp.inp_lport)           \
	X(struct xtcpcb, xt_inp.inp_fport)           \
	X(struct xtcpcb, xt_inp.inp_laddr)           \
	X(struct xtcpcb, xt_inp.inp_faddr)           \
	X(struct xtcpcb, xt_inp.in6p_laddr)          \
	X(struct xtcpcb, xt_inp.in6p_faddr)          \
	X(struct xfile, xf_size)                     \
	X(struct xfile, xf_pid)                      \
	X(struct xfile, xf_type)                     \
	X(struct xfile, xf_data)                     \
	X(struct tcpstat, tcps_connattempt)          \
	X(struct tcpstat, tcps_accepts)              \
	X(struct tcpstat, tcps_drops)                \
	X(struct tcpstat, tcps_conndrops)            \
	X(struct tcpstat, tcps_closed)               \
	X(struct tcpstat, tcps_sndtotal)             \
	X(struct tcpstat, tcps_sndrexmitpack)        \
	X(struct tcpstat, tcps_sndctrl)              \
	X(struct tcpstat, tcps_rcvtotal)             \
	X(struct tcpstat, tcps_rcvbadsum)            \
	X(struct tcpstat, tcps_rcvbadoff)            \
	X(struct tcpstat, tcps_rcvshort)             \
	X(struct xinpcb, xi_len)                     \
	X(struct xinpcb, xi_socket.xso_so)           \
	X(struct xinpcb, xi_socket.xso_protocol)     \
	X(struct xinpcb, inp_gencnt)                 \
	X(struct xinpcb, inp_vflag)                  \
	X(struct xinpcb, inp_lport)                  \
	X(struct xinpcb, inp_fport)                  \
	X(struct xinpcb, inp_laddr)                  \
	X(struct xinpcb, inp_faddr)                  \
	X(struct xinpcb, in6p_laddr)                 \
	X(struct xinpcb, in6p_faddr)                 \
	X(struct udpstat, udps_ipackets)             \
	X(struct udpstat, udps_hdrops)               \
	X(struct udpstat, udps_badsum)               \
	X(struct udpstat, udps_badlen)               \
	X(struct udpstat, udps_noport)               \
	X(struct udpstat, udps_noportbcast)          \
	X(struct udpstat, udps_fullsock)             \
	X(struct udpstat, udps_opackets)

/* Constants the walker compares with. */
#define TT_RECORD_CONSTANTS(X) \
	X(INP_IPV4)              \
	X(INP_IPV6)              \
	X(DTYPE_SOCKET)          \
	X(IPPROTO_TCP)           \
	X(IPPROTO_UDP)           \
	TT_TCPS_CONSTANTS(X)

/* The last tcpstat member the statistics read: a shorter copy from the
 * kernel cannot be used. */
#define TT_FBSD_TCPSTAT_NEED \
	(offsetof(struct tcpstat, tcps_rcvshort) + sizeof(uint64_t))

/* The same for udpstat. */
#define TT_FBSD_UDPSTAT_NEED \
	(offsetof(struct udpstat, udps_opackets) + sizeof(uint64_t))

#endif /* TT_FREEBSD_LAYOUT_H */
