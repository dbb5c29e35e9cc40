/*
 * task_sockets.bpf.c - the BPF task-file iterator behind the owner map
 * (SPEC §12): for every open socket file of every process visible in the
 * reader's pid namespace, writes one struct tt_task_socket record (the
 * process's PID in that namespace, the descriptor, the socket inode).
 *
 * The rules of the /proc scan are kept here, so that both sources see the
 * same (pid, inode) pairs: thread-group leaders only (/proc/<pid>/fd shows
 * the leader's table), no kernel threads, sockfs inodes only (what
 * /proc/<pid>/fd shows as "socket:[inode]"; an O_PATH descriptor of a unix
 * socket's path is S_IFSOCK too, but is no socket), inodes that fit 32 bits.
 * Only TCP and UDP sockets of the reader's network namespace are written,
 * with the tables they can be rows of: a socket of another namespace, or of
 * another protocol, is in no table the caller's dump builds, so leaving it
 * out changes no owner, and keeps what a caller reads ahead of its dump
 * (bpf_owners.c) in proportion to its table.
 * Built CO-RE against the running kernel's BTF (vmlinux.h is generated at
 * build time, never committed).  No maps and no globals: nothing is shared.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#include "task_sockets.h"

/* Values from the kernel's uapi and linux/sched.h, which vmlinux.h lacks. */
#define TT_PF_KTHREAD 0x00200000
#define TT_S_IFMT 00170000
#define TT_S_IFSOCK 0140000
#define TT_SOCKFS_MAGIC 0x534F434B
#define TT_MAX_PID_NS_LEVEL 32
#define TT_AF_INET 2
#define TT_AF_INET6 10
#define TT_IPPROTO_TCP 6
#define TT_IPPROTO_UDP 17
#define TT_IPPROTO_MPTCP 262

char LICENSE[] SEC("license") = "Dual MIT/GPL";

/* The tables of TT_TASK_* that sk, a socket of the reader's network
 * namespace, can be a row of; 0 for any other socket. */
static __always_inline __u32 tables_of(struct sock *sk, struct task_struct *me)
{
	/* A kernel without network namespaces has one. */
	if (bpf_core_field_exists(sk->__sk_common.skc_net.net) &&
	    BPF_CORE_READ(sk, __sk_common.skc_net.net) != BPF_CORE_READ(me, nsproxy, net_ns))
		return 0;
	__u16 protocol = BPF_CORE_READ(sk, sk_protocol);
	/* An MPTCP socket's subflows are TCP sockets of either family that
	 * carry its inode: rows of both TCP tables. */
	if (protocol == TT_IPPROTO_MPTCP)
		return TT_TASK_TCP4 | TT_TASK_TCP6;
	__u32 v4 = protocol == TT_IPPROTO_TCP ? TT_TASK_TCP4 : protocol == TT_IPPROTO_UDP ? TT_TASK_UDP4 : 0;
	if (!v4)
		return 0;
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family == TT_AF_INET)
		return v4;
	/* Without IPv6 in the kernel there is no AF_INET6 socket. */
	if (family != TT_AF_INET6 || !bpf_core_field_exists(sk->__sk_common.skc_v6_rcv_saddr))
		return 0;
	__u32 a[4];
	if (bpf_probe_read_kernel(a, sizeof(a), &sk->__sk_common.skc_v6_rcv_saddr) != 0)
		return 0;
	/* v4 << 1 is the IPv6 bit of the same protocol.  The IPv4 bit also on
	 * ::ffff:0:0/96 and on :: (a dual-stack socket, or one not bound yet). */
	bool v4_too = a[0] == 0 && a[1] == 0 && (a[2] == 0 ? a[3] == 0 : a[2] == bpf_htonl(0xffff));
	return (v4 << 1) | (v4_too ? v4 : 0);
}

/* The upid of p at namespace level `level` (p->numbers[level]). */
static __always_inline int upid_at(struct pid *p, unsigned int level, struct upid *out)
{
	if (level > TT_MAX_PID_NS_LEVEL)
		return -1;
	const char *base = (const char *)p + bpf_core_field_offset(struct pid, numbers);
	return bpf_probe_read_kernel(out, sizeof(*out), base + level * bpf_core_type_size(struct upid));
}

SEC("iter/task_file")
int tt_task_sockets(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	if (!task || !file)
		return 0;
	if (task->flags & TT_PF_KTHREAD)
		return 0;
	if (task->pid != task->tgid)
		return 0; /* a thread with a descriptor table of its own */

	struct inode *inode = file->f_inode;
	if (!inode)
		return 0;
	if ((BPF_CORE_READ(inode, i_mode) & TT_S_IFMT) != TT_S_IFSOCK)
		return 0;
	if (BPF_CORE_READ(inode, i_sb, s_magic) != TT_SOCKFS_MAGIC)
		return 0;
	unsigned long ino = BPF_CORE_READ(inode, i_ino);
	if (ino == 0 || ino > 0xffffffffUL)
		return 0; /* /proc's "socket:[inode]" parser refuses these too */
	/* A sockfs file's private data is its struct socket. */
	struct socket *sock = (struct socket *)BPF_CORE_READ(file, private_data);
	struct sock *sk = sock ? BPF_CORE_READ(sock, sk) : NULL;
	struct task_struct *me = bpf_get_current_task_btf();
	__u32 tables = sk ? tables_of(sk, me) : 0;
	if (!tables)
		return 0;

	/* The reader's pid namespace: the iterator visits only tasks in it,
	 * but the PID must be the one in that namespace, and a task that is
	 * not in it (racing with setns, say) gives nothing. */
	struct pid *mine = BPF_CORE_READ(me, thread_pid);
	unsigned int level = BPF_CORE_READ(mine, level);
	struct upid my_ns, its;
	if (upid_at(mine, level, &my_ns) != 0)
		return 0;
	struct pid *theirs = BPF_CORE_READ(task, thread_pid);
	if (!theirs || BPF_CORE_READ(theirs, level) < level)
		return 0;
	if (upid_at(theirs, level, &its) != 0 || its.ns != my_ns.ns || its.nr <= 0)
		return 0;

	struct tt_task_socket rec = {
		.pid = (__u32)its.nr,
		.fd = ctx->fd,
		.inode = (__u32)ino,
		.tables = tables,
	};
	bpf_seq_write(ctx->meta->seq, &rec, sizeof(rec));
	return 0;
}
