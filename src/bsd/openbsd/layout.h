/*
 * layout.h - the OpenBSD kernel records the OpenBSD backend reads:
 * struct kinfo_file (kern.file), the leading counters of struct tcpstat
 * (net.inet.tcp.stats), the leading counters of struct udpstat
 * (net.inet.udp.stats) and struct tcp_ident_mapping (the new value of
 * net.inet.tcp.drop), with the BSD sockaddr forms inside it.
 *
 * On OpenBSD they come from the system headers.  Test builds on other
 * systems define TT_BSD_TRANSCRIBED and get the project's own transcription
 * (tests/bsd/openbsd_transcribed.h).  The lists below name every size,
 * member and constant the walker relies on; scripts/bsd-check.sh turns the
 * transcription's values of them into static assertions and compiles those
 * against real OpenBSD headers.
 */
#ifndef TT_OPENBSD_LAYOUT_H
#define TT_OPENBSD_LAYOUT_H

#include "tcps.h"

#ifdef TT_BSD_TRANSCRIBED
#include "openbsd_transcribed.h"
#else
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/file.h>
#include <netinet/in.h>
/* What netinet/tcp_var.h needs before it (sys/queue.h too), in
 * netstat(1)'s order. */
#include <netinet/tcp.h>
#include <netinet/tcp_fsm.h>
#include <netinet/tcp_timer.h>
#include <netinet/tcp_var.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/udp.h>
#include <netinet/udp_var.h>
#ifndef KERN_FILE_BYFILE
#error "tcptable: the OpenBSD backend needs struct kinfo_file (kern.file)"
#endif
#ifndef DTYPE_SOCKET
#define DTYPE_SOCKET 2 /* older sys/file.h: only under _KERNEL */
#endif

#define TT_OB_SA_LEN offsetof(struct sockaddr, sa_len)
#define TT_OB_SA_FAMILY offsetof(struct sockaddr, sa_family)
#define TT_OB_SA_FAMILY_SIZE sizeof(((struct sockaddr *)0)->sa_family)
#define TT_OB_SIN_SIZE sizeof(struct sockaddr_in)
#define TT_OB_SIN_PORT offsetof(struct sockaddr_in, sin_port)
#define TT_OB_SIN_ADDR offsetof(struct sockaddr_in, sin_addr)
#define TT_OB_SIN6_SIZE sizeof(struct sockaddr_in6)
#define TT_OB_SIN6_PORT offsetof(struct sockaddr_in6, sin6_port)
#define TT_OB_SIN6_ADDR offsetof(struct sockaddr_in6, sin6_addr)
#define TT_OB_SIN6_SCOPE offsetof(struct sockaddr_in6, sin6_scope_id)
#define TT_OB_AF_INET AF_INET
#define TT_OB_AF_INET6 AF_INET6
#define TT_OB_COMLEN KI_MAXCOMLEN
#endif

#define TT_RECORD_SIZES(X)   \
	X(struct kinfo_file) \
	X(struct tcp_ident_mapping)

#define TT_RECORD_MEMBERS(X)                      \
	X(struct kinfo_file, f_type)              \
	X(struct kinfo_file, so_pcb)              \
	X(struct kinfo_file, so_protocol)         \
	X(struct kinfo_file, so_family)           \
	X(struct kinfo_file, inp_lport)           \
	X(struct kinfo_file, inp_laddru)          \
	X(struct kinfo_file, inp_fport)           \
	X(struct kinfo_file, inp_faddru)          \
	X(struct kinfo_file, p_pid)               \
	X(struct kinfo_file, p_comm)              \
	X(struct kinfo_file, inp_rtableid)        \
	X(struct kinfo_file, t_state)             \
	X(struct tcpstat, tcps_connattempt)       \
	X(struct tcpstat, tcps_accepts)           \
	X(struct tcpstat, tcps_drops)             \
	X(struct tcpstat, tcps_conndrops)         \
	X(struct tcpstat, tcps_closed)            \
	X(struct tcpstat, tcps_sndtotal)          \
	X(struct tcpstat, tcps_sndrexmitpack)     \
	X(struct tcpstat, tcps_sndctrl)           \
	X(struct tcpstat, tcps_rcvtotal)          \
	X(struct tcpstat, tcps_rcvbadsum)         \
	X(struct tcpstat, tcps_rcvbadoff)         \
	X(struct tcpstat, tcps_rcvshort)          \
	X(struct udpstat, udps_ipackets)          \
	X(struct udpstat, udps_hdrops)            \
	X(struct udpstat, udps_badsum)            \
	X(struct udpstat, udps_badlen)            \
	X(struct udpstat, udps_noport)            \
	X(struct udpstat, udps_noportbcast)       \
	X(struct udpstat, udps_nosec)             \
	X(struct udpstat, udps_fullsock)          \
	X(struct udpstat, udps_opackets)          \
	X(struct tcp_ident_mapping, faddr)        \
	X(struct tcp_ident_mapping, laddr)        \
	X(struct tcp_ident_mapping, rdomain)

#define TT_RECORD_CONSTANTS(X)  \
	X(TT_OB_SA_LEN)         \
	X(TT_OB_SA_FAMILY)      \
	X(TT_OB_SA_FAMILY_SIZE) \
	X(TT_OB_SIN_SIZE)       \
	X(TT_OB_SIN_PORT)       \
	X(TT_OB_SIN_ADDR)       \
	X(TT_OB_SIN6_SIZE)      \
	X(TT_OB_SIN6_PORT)      \
	X(TT_OB_SIN6_ADDR)      \
	X(TT_OB_SIN6_SCOPE)     \
	X(TT_OB_AF_INET)        \
	X(TT_OB_AF_INET6)       \
	X(TT_OB_COMLEN)         \
	X(DTYPE_SOCKET)         \
	X(IPPROTO_TCP)          \
	X(IPPROTO_UDP)          \
	X(UDPCTL_STATS)         \
	X(CTL_KERN)             \
	X(KERN_FILE)            \
	X(KERN_FILE_BYFILE)     \
	X(KERN_FILE_BYPID)      \
	X(TCPCTL_DROP)          \
	X(TCPCTL_STATS)         \
	TT_TCPS_CONSTANTS(X)

/* The end of the last tcpstat counter read: a shorter copy is unusable. */
#define TT_OB_TCPSTAT_NEED \
	(offsetof(struct tcpstat, tcps_rcvshort) + sizeof(((struct tcpstat *)0)->tcps_rcvshort))

/* The same for udpstat. */
#define TT_OB_UDPSTAT_NEED \
	(offsetof(struct udpstat, udps_opackets) + sizeof(((struct udpstat *)0)->udps_opackets))

#endif /* TT_OPENBSD_LAYOUT_H */
