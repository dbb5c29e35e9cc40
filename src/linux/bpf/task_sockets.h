/*
 * task_sockets.h - the record the task_sockets iterator writes, shared by
 * the BPF program and the library (host byte order, no padding).
 */
#ifndef TT_TASK_SOCKETS_H
#define TT_TASK_SOCKETS_H

struct tt_task_socket {
	__u32 pid; /* in the reader's pid namespace */
	__u32 fd;
	__u32 inode;
};

#endif /* TT_TASK_SOCKETS_H */
