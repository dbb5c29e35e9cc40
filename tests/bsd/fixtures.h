/*
 * fixtures.h - TEST ONLY.  Builders of kernel buffers exactly as the BSD
 * kernels lay them out (on the transcribed records), for the walker suites
 * and the fixture backend.  Addresses are text, ports host order; the
 * builders do the byte-order and KAME work, so a test reads like the
 * socket it describes.
 */
#ifndef TT_BSD_FIXTURES_H
#define TT_BSD_FIXTURES_H

#include <stddef.h>
#include <stdint.h>

/* A growing byte buffer (from malloc). */
struct bsd_buf {
	unsigned char *p;
	size_t len, cap;
};
void bsd_buf_free(struct bsd_buf *b);
/* A copy of the first len bytes of b (a cut buffer). */
struct bsd_buf bsd_buf_cut(const struct bsd_buf *b, size_t len);

/* The BSD TCP states (tcp_fsm.h), for the fixtures' tcps fields. */
enum {
	FX_CLOSED,
	FX_LISTEN,
	FX_SYN_SENT,
	FX_SYN_RECEIVED,
	FX_ESTABLISHED,
	FX_CLOSE_WAIT,
	FX_FIN_WAIT_1,
	FX_CLOSING,
	FX_LAST_ACK,
	FX_FIN_WAIT_2,
	FX_TIME_WAIT,
};

/* ---- FreeBSD: net.inet.tcp.pcblist, kern.file, net.inet.tcp.stats. */

enum { FB_V4 = 1, FB_V6 = 2, FB_V6PROTO = 4 }; /* inp_vflag */

struct fb_pcb {
	unsigned vflag;
	int tcps;
	const char *laddr, *raddr; /* NULL: the unspecified address */
	uint16_t lport, rport;
	uint16_t lzone, rzone; /* embedded into a link-local address (KAME) */
	uint64_t so; /* xso_so; 0 for syncache and TIME_WAIT entries */
	uint64_t gencnt;
	int protocol; /* 0: IPPROTO_TCP */
	uint64_t len; /* xt_len; 0: the right size */
	/* Counters (Get…EStats): t_snd_cwnd, t_snd_ssthresh, t_maxseg,
	 * t_rcv_wnd, t_snd_wnd (bytes), t_sndrexmitpack. */
	uint32_t cwnd, ssthresh, maxseg, rcv_wnd, snd_wnd;
	int32_t rexmit;
};

void fb_head(struct bsd_buf *b, uint64_t gen); /* also the trailer */
void fb_pcb(struct bsd_buf *b, const struct fb_pcb *r);
size_t fb_pcb_size(void);
size_t fb_gen_size(void);
/* A whole list: head(gen), the records, trailer(tail_gen). */
struct bsd_buf fb_list(uint64_t gen, uint64_t tail_gen, const struct fb_pcb *r, size_t n);

void fb_file(struct bsd_buf *b, int32_t pid, int16_t type, uint64_t data);
size_t fb_file_size(void);
void fb_file_len(struct bsd_buf *b, uint64_t xf_size); /* a record claiming another size */

/* struct tcpstat with the counters the backend reads; extra bytes after
 * them stand for the rest of the kernel's structure. */
struct fx_tcpstat {
	uint64_t connattempt, accepts, drops, conndrops, closed, sndtotal, sndrexmitpack, sndctrl,
		rcvtotal, rcvbadsum, rcvbadoff, rcvshort;
};
struct bsd_buf fb_tcpstat(const struct fx_tcpstat *s, size_t extra);

/* net.inet.udp.pcblist: the same records as bare xinpcbs (tcps unused;
 * protocol 0: IPPROTO_UDP; len: xi_len, 0 the right size). */
void fb_udp(struct bsd_buf *b, const struct fb_pcb *r);
size_t fb_udp_size(void);
struct bsd_buf fb_udp_list(uint64_t gen, uint64_t tail_gen, const struct fb_pcb *r, size_t n);

/* struct udpstat with the counters the backend reads. */
struct fx_udpstat {
	uint64_t ipackets, hdrops, badsum, badlen, noport, noportbcast, fullsock, opackets;
};
struct bsd_buf fb_udpstat(const struct fx_udpstat *s, size_t extra);

/* ---- NetBSD: kinfo_pcb lists, kern.file2, net.inet.tcp.stats. */

struct nb_pcb {
	int family; /* 4 or 6 */
	int tcps;
	const char *laddr, *raddr; /* NULL: unspecified / not connected */
	uint16_t lport, rport;
	uint16_t lzone, rzone;
	uint64_t pcb, so; /* ki_pcbaddr, ki_sockaddr */
	uint32_t pflags;
	int protocol; /* 0: IPPROTO_TCP */
	int dst_family; /* 0: the family of the record; -1: none (unconnected) */
};

void nb_pcb(struct bsd_buf *b, const struct nb_pcb *r);
size_t nb_pcb_size(void);
struct bsd_buf nb_list(const struct nb_pcb *r, size_t n);
void nb_file(struct bsd_buf *b, uint32_t pid, uint32_t type, uint64_t data);
size_t nb_file_size(void);
struct bsd_buf nb_tcpstat(const struct fx_tcpstat *s, size_t extra_counters);
/* net.inet.udp.stats (family 4) or net.inet6.udp6.stats (6): noportbcast
 * goes to UDP6_STAT_NOPORTMCAST for IPv6. */
struct bsd_buf nb_udpstat(const struct fx_udpstat *s, int family);

/* ---- DragonFly: bare xtcpcb arrays, kern.file, per-CPU tcp_stats. */

struct df_pcb {
	int family; /* 4 or 6; another value is written to inp_af as it is,
		     * with IPv4 addresses */
	int tcps; /* an FX_* state, written with DragonFly's shift; -1:
		   * TCPS_TERMINATING (0) */
	const char *laddr, *raddr; /* NULL: the unspecified address */
	uint16_t lport, rport;
	uint16_t lzone, rzone; /* embedded into a link-local address (KAME) */
	uint64_t so; /* inp_socket, and xso_so when not 0 */
	int protocol; /* xso_protocol; 0: IPPROTO_TCP */
	uint64_t len; /* xt_len; 0: the right size */
	uint64_t stale_so; /* with so == 0: what a previous record left in xt_socket */
};

void df_pcb(struct bsd_buf *b, const struct df_pcb *r);
/* A record the kernel pads a CPU's list with: zero but for xt_len. */
void df_pad(struct bsd_buf *b);
size_t df_pcb_size(void);
struct bsd_buf df_list(const struct df_pcb *r, size_t n);
void df_file(struct bsd_buf *b, int32_t pid, int16_t type, uint64_t data);
size_t df_file_size(void);
void df_file_len(struct bsd_buf *b, uint64_t f_size); /* a record claiming another size */
/* One struct tcp_stats per CPU, each with the counters of s times the
 * CPU's number (1, 2, ...). */
struct bsd_buf df_tcpstat(const struct fx_tcpstat *s, size_t ncpus);
size_t df_tcpstat_size(void);
/* net.inet.udp.pcblist: struct xinpcb records (tcps and stale_so unused;
 * protocol 0: IPPROTO_UDP). */
void df_udp(struct bsd_buf *b, const struct df_pcb *r);
size_t df_udp_size(void);
struct bsd_buf df_udp_list(const struct df_pcb *r, size_t n);
/* One struct udpstat per CPU, each with the counters of s times the CPU's
 * number (1, 2, ...). */
struct df_udpstat {
	uint64_t ipackets, hdrops, badsum, badlen, noport, noportbcast, fullsock, opackets;
};
struct bsd_buf df_udpstat(const struct df_udpstat *s, size_t ncpus);
size_t df_udpstat_size(void);

/* ---- OpenBSD: kern.file records (sockets by file; descriptors by PID),
 * net.inet.tcp.stats, the net.inet.tcp.drop request. */

#define OB_HIDDEN UINT64_MAX /* so_pcb of a socket, as non-root sees it */
#define OB_DTYPE_VNODE 1

struct ob_sock {
	int family; /* 4 or 6 */
	int tcps;
	const char *laddr, *raddr; /* NULL: the unspecified address */
	uint16_t lport, rport;
	uint16_t lzone, rzone; /* embedded into a link-local address (KAME) */
	uint64_t pcb; /* so_pcb: the inpcb's address, OB_HIDDEN, or 0 (none) */
	uint32_t rtable;
	int protocol; /* 0: IPPROTO_TCP */
	uint32_t type; /* f_type; 0: DTYPE_SOCKET */
};

/* One kinfo_file record of socket r, as KERN_FILE_BYPID gives it for
 * process pid named comm (pid 0, comm NULL: as KERN_FILE_BYFILE does). */
void ob_file(struct bsd_buf *b, const struct ob_sock *r, uint32_t pid, const char *comm);
/* A KERN_FILE_BYFILE list of the sockets r. */
struct bsd_buf ob_list(const struct ob_sock *r, size_t n);
size_t ob_file_size(void);
struct bsd_buf ob_tcpstat(const struct fx_tcpstat *s, size_t extra);
/* A struct udpstat with the counters of s (the DragonFly set; nosec 0),
 * and extra bytes after it. */
struct bsd_buf ob_udpstat(const struct df_udpstat *s, size_t extra);
size_t ob_udpstat_size(void);

/* A struct tcp_ident_mapping, decoded. */
struct ob_ident {
	unsigned flen, ffamily, llen, lfamily;
	uint16_t fport, lport; /* network order */
	unsigned char faddr[16], laddr[16];
	uint32_t fscope, lscope, rdomain;
};
size_t ob_ident_size(void);
void ob_ident_decode(const void *req, struct ob_ident *out);


/* ---- macOS: net.inet.tcp.pcblist_n, libproc socket records,
 * net.inet.tcp.stats. */

enum { MX_NO_SOCKET = 1, MX_NO_TCPCB = 2 }; /* mx_pcb.omit */

struct mx_pcb {
	unsigned vflag; /* FB_V4, FB_V6 (INP_IPV4, INP_IPV6) */
	int tcps;
	const char *laddr, *raddr; /* NULL: the unspecified address */
	uint16_t lport, rport;
	uint16_t lzone, rzone; /* embedded into a link-local address (KAME) */
	uint64_t inpp; /* xi_inpp; 0 for a user-space (Skywalk) flow */
	uint64_t gencnt;
	uint32_t flags; /* inp_flags: IN6P_IPV6_V6ONLY */
	int protocol; /* 0: IPPROTO_TCP; -1: 0 in the record (no socket) */
	unsigned omit; /* MX_*: records the kernel left out */
};

/* A PCB's records as xnu's get_pcblist_n emits them: xinpcb_n, xsocket_n,
 * two xsockbuf_n, xsockstat_n, xtcpcb_n, each padded to 8 bytes. */
void mx_pcb(struct bsd_buf *b, const struct mx_pcb *r);
size_t mx_pcb_size(void); /* all of one PCB's records */
void mx_head(struct bsd_buf *b, uint64_t gen, uint32_t count); /* also the trailer */
/* A whole list: head(gen), the records, trailer(tail_gen); with n == 0 the
 * head alone, as xnu sends an empty list. */
struct bsd_buf mx_list(uint64_t gen, uint64_t tail_gen, const struct mx_pcb *r, size_t n);
/* One socket descriptor record (what sysctl.c collects through libproc):
 * family 4 or 6, protocol 0 for TCP. */
void mx_sock(struct bsd_buf *b, uint32_t pid, int family, int protocol, uint64_t pcb);
void mx_sock_size(struct bsd_buf *b, uint32_t size); /* a record claiming another size */
size_t mx_sock_rec_size(void);
struct bsd_buf mx_tcpstat(const struct fx_tcpstat *s, size_t extra);
/* net.inet.udp.stats: struct udpstat up to the last counter read (the
 * DragonFly set of counters). */
struct bsd_buf mx_udpstat(const struct df_udpstat *s);

#endif /* TT_BSD_FIXTURES_H */
