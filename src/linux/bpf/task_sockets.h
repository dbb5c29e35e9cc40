/*
 * task_sockets.h - the record the task_sockets iterator writes, shared by
 * the BPF program and the library (host byte order, no padding).
 */
#ifndef TT_TASK_SOCKETS_H
#define TT_TASK_SOCKETS_H

/* The tables a socket can be a row of (bits of tt_task_socket.tables):
 * TCP or UDP, IPv4 (an AF_INET socket, or an AF_INET6 one on a v4-mapped or
 * unspecified local address: SPEC §5) or IPv6 (an AF_INET6 socket). */
#define TT_TASK_TCP4 0x1u
#define TT_TASK_TCP6 0x2u
#define TT_TASK_UDP4 0x4u
#define TT_TASK_UDP6 0x8u

struct tt_task_socket {
	__u32 pid; /* in the reader's pid namespace */
	__u32 fd;
	__u32 inode;
	__u32 tables; /* TT_TASK_*: never 0 */
};

#endif /* TT_TASK_SOCKETS_H */
