/*
 * layout.h - the NetBSD kernel records the NetBSD backend reads:
 * struct kinfo_pcb (net.inet.tcp.pcblist, net.inet6.tcp6.pcblist), struct
 * kinfo_file (kern.file2), the BSD sockaddr forms inside kinfo_pcb, and
 * the uint64_t counters of net.inet.tcp.stats.
 *
 * On NetBSD they come from the system headers.  Test builds on other
 * systems define TT_BSD_TRANSCRIBED and get the project's own transcription
 * (tests/bsd/netbsd_transcribed.h).  The lists below name every size,
 * member and constant the walker relies on; scripts/bsd-check.sh turns the
 * transcription's values of them into static assertions and compiles those
 * against real NetBSD headers.
 */
#ifndef TT_NETBSD_LAYOUT_H
#define TT_NETBSD_LAYOUT_H

#include "tcps.h"

#ifdef TT_BSD_TRANSCRIBED
#include "netbsd_transcribed.h"
#else
#include <sys/param.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/file.h>
#include <sys/queue.h>
#include <netinet/in.h>
/* What netinet/tcp_var.h needs before it, in netstat(1)'s order. */
#include <netinet/in_systm.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/tcp.h>
#include <netinet/tcp_fsm.h>
#include <netinet/tcp_timer.h>
#include <netinet/tcp_var.h>
#include <netinet/udp.h>
#include <netinet/udp_var.h>
#include <netinet6/udp6_var.h>
#ifndef PCB_ALL
#error "tcptable: the NetBSD backend needs struct kinfo_pcb (NetBSD 2.0 or later)"
#endif

/* Where the fields of a BSD sockaddr sit (sa_len and a one-byte family
 * first). */
#define TT_NB_SA_LEN offsetof(struct sockaddr, sa_len)
#define TT_NB_SA_FAMILY offsetof(struct sockaddr, sa_family)
#define TT_NB_SA_FAMILY_SIZE sizeof(((struct sockaddr *)0)->sa_family)
#define TT_NB_SIN_SIZE sizeof(struct sockaddr_in)
#define TT_NB_SIN_PORT offsetof(struct sockaddr_in, sin_port)
#define TT_NB_SIN_ADDR offsetof(struct sockaddr_in, sin_addr)
#define TT_NB_SIN6_SIZE sizeof(struct sockaddr_in6)
#define TT_NB_SIN6_PORT offsetof(struct sockaddr_in6, sin6_port)
#define TT_NB_SIN6_ADDR offsetof(struct sockaddr_in6, sin6_addr)
#define TT_NB_SIN6_SCOPE offsetof(struct sockaddr_in6, sin6_scope_id)
#define TT_NB_AF_INET AF_INET
#define TT_NB_AF_INET6 AF_INET6
#endif

/* IN6P_IPV6_V6ONLY in kinfo_pcb.ki_pflags of an IPv6 PCB: the KAME value,
 * spelled out because the header defining it moved in NetBSD 10
 * (scripts/bsd-check.sh compares it with netinet6/in6_pcb.h). */
#define TT_NB_IN6P_IPV6_V6ONLY 0x8000

#define TT_RECORD_SIZES(X)  \
	X(struct kinfo_pcb) \
	X(struct kinfo_file)

#define TT_RECORD_MEMBERS(X)              \
	X(struct kinfo_pcb, ki_pcbaddr)   \
	X(struct kinfo_pcb, ki_sockaddr)  \
	X(struct kinfo_pcb, ki_family)    \
	X(struct kinfo_pcb, ki_protocol)  \
	X(struct kinfo_pcb, ki_pflags)    \
	X(struct kinfo_pcb, ki_tstate)    \
	X(struct kinfo_pcb, ki_spad)      \
	X(struct kinfo_pcb, ki_dpad)      \
	X(struct kinfo_file, ki_ftype)    \
	X(struct kinfo_file, ki_fdata)    \
	X(struct kinfo_file, ki_pid)

#define TT_RECORD_CONSTANTS(X)   \
	X(TT_NB_SA_LEN)          \
	X(TT_NB_SA_FAMILY)       \
	X(TT_NB_SA_FAMILY_SIZE)  \
	X(TT_NB_SIN_SIZE)        \
	X(TT_NB_SIN_PORT)        \
	X(TT_NB_SIN_ADDR)        \
	X(TT_NB_SIN6_SIZE)       \
	X(TT_NB_SIN6_PORT)       \
	X(TT_NB_SIN6_ADDR)       \
	X(TT_NB_SIN6_SCOPE)      \
	X(TT_NB_AF_INET)         \
	X(TT_NB_AF_INET6)        \
	X(DTYPE_SOCKET)          \
	X(IPPROTO_TCP)           \
	X(PCB_ALL)               \
	X(CTL_KERN)              \
	X(KERN_FILE2)            \
	X(KERN_FILE_BYPID)       \
	TT_TCPS_CONSTANTS(X)     \
	X(TCP_STAT_CONNATTEMPT)  \
	X(TCP_STAT_ACCEPTS)      \
	X(TCP_STAT_DROPS)        \
	X(TCP_STAT_CONNDROPS)    \
	X(TCP_STAT_CLOSED)       \
	X(TCP_STAT_SNDTOTAL)     \
	X(TCP_STAT_SNDREXMITPACK) \
	X(TCP_STAT_SNDCTRL)      \
	X(TCP_STAT_RCVTOTAL)     \
	X(TCP_STAT_RCVBADSUM)    \
	X(TCP_STAT_RCVBADOFF)    \
	X(TCP_STAT_RCVSHORT)     \
	X(IPPROTO_UDP)           \
	X(UDPCTL_STATS)          \
	X(UDP_STAT_IPACKETS)     \
	X(UDP_STAT_HDROPS)       \
	X(UDP_STAT_BADSUM)       \
	X(UDP_STAT_BADLEN)       \
	X(UDP_STAT_NOPORT)       \
	X(UDP_STAT_NOPORTBCAST)  \
	X(UDP_STAT_FULLSOCK)     \
	X(UDP_STAT_OPACKETS)     \
	X(UDP6CTL_STATS)         \
	X(UDP6_STAT_IPACKETS)    \
	X(UDP6_STAT_HDROPS)      \
	X(UDP6_STAT_BADSUM)      \
	X(UDP6_STAT_BADLEN)      \
	X(UDP6_STAT_NOPORT)      \
	X(UDP6_STAT_NOPORTMCAST) \
	X(UDP6_STAT_FULLSOCK)    \
	X(UDP6_STAT_OPACKETS)

/* The highest TCP_STAT_* index read, + 1: a shorter copy is unusable. */
#define TT_NB_TCPSTAT_NEED ((size_t)(TCP_STAT_RCVSHORT + 1) * sizeof(uint64_t))
/* The same for net.inet.udp.stats and net.inet6.udp6.stats. */
#define TT_NB_UDPSTAT_NEED ((size_t)(UDP_STAT_OPACKETS + 1) * sizeof(uint64_t))
#define TT_NB_UDP6STAT_NEED ((size_t)(UDP6_STAT_OPACKETS + 1) * sizeof(uint64_t))

#endif /* TT_NETBSD_LAYOUT_H */
