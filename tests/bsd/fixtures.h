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

#endif /* TT_BSD_FIXTURES_H */
