/*
 * diag_sock.h - the NETLINK_SOCK_DIAG conversation (sock_diag.c): one
 * socket, one request at a time, every answer read by the same receive loop.
 * The table dump, the exact lookup (lookup.c) and SOCK_DESTROY (destroy.c)
 * all talk through it.
 */
#ifndef TT_DIAG_SOCK_H
#define TT_DIAG_SOCK_H

#include <stddef.h>
#include <stdint.h>

struct nlmsghdr;

struct tt_diag_sock {
	int fd;
	uint32_t portid;
	uint32_t seq;
	unsigned char *buf; /* the receive buffer, from tt_malloc */
};

/* Opens and binds the socket and allocates its receive buffer; sets every
 * field of s.  Returns 0, -ENOMEM, or the -errno of socket()/bind(); on
 * failure nothing is left to close. */
int tt_diag_open(struct tt_diag_sock *s);
void tt_diag_close(struct tt_diag_sock *s);

/* What a dump delivers to its reader. */
struct tt_diag_reader {
	/* Called at the start of every attempt, the first included: a dump
	 * interrupted by a change is restarted from scratch, so the reader
	 * forgets what the abandoned attempt gave it. */
	void (*begin)(void *data);
	/* The payload of one SOCK_DIAG_BY_FAMILY message (struct
	 * inet_diag_msg and its attributes).  Returns 0, or a negative errno
	 * that ends the dump with that error. */
	int (*msg)(void *data, const void *payload, size_t len);
	void *data;
};

/* Dumps the sockets of protocol (IPPROTO_TCP or IPPROTO_UDP) and family in
 * the kernel states `states` (an
 * idiag_states mask), asking for the extensions `ext` (an idiag_ext mask)
 * and, when filter is not NULL, running the bytecode filter (flen bytes) in
 * the kernel.  Restarts a dump the kernel flagged as interrupted or whose
 * messages were lost, a bounded number of times (then -EAGAIN).  Returns 0
 * or -errno. */
int tt_diag_dump(struct tt_diag_sock *s, uint8_t protocol, int family, uint32_t states,
		 uint8_t ext, const void *filter, size_t flen, const struct tt_diag_reader *rd);

/* Asks for the one socket the kernel's own hash lookup finds for id (its
 * 4-tuple, idiag_if as the device, the cookie or INET_DIAG_NOCOOKIE), with
 * the extensions ext: no walk of the socket table.  That lookup is the one
 * an incoming segment gets, so with no connection it may answer with a
 * listener: the reader checks what it is given.  Returns 0, -ENOENT when
 * the kernel found nothing, or another -errno. */
struct inet_diag_sockid;
int tt_diag_get(struct tt_diag_sock *s, int family, uint8_t ext, const struct inet_diag_sockid *id,
		const struct tt_diag_reader *rd);

/* Sends one request that is answered by an acknowledgement (NLM_F_ACK is
 * set here, and the sequence number) and waits for it.  Returns 0 when the
 * kernel acknowledged, else its -errno. */
int tt_diag_ack(struct tt_diag_sock *s, struct nlmsghdr *req);

#endif /* TT_DIAG_SOCK_H */
