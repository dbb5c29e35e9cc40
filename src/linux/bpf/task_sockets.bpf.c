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
 * Built CO-RE against the running kernel's BTF (vmlinux.h is generated at
 * build time, never committed).  No maps and no globals: nothing is shared.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "task_sockets.h"

/* Values from the kernel's uapi and linux/sched.h, which vmlinux.h lacks. */
#define TT_PF_KTHREAD 0x00200000
#define TT_S_IFMT 00170000
#define TT_S_IFSOCK 0140000
#define TT_SOCKFS_MAGIC 0x534F434B
#define TT_MAX_PID_NS_LEVEL 32

char LICENSE[] SEC("license") = "Dual MIT/GPL";

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

	/* The reader's pid namespace: the iterator visits only tasks in it,
	 * but the PID must be the one in that namespace, and a task that is
	 * not in it (racing with setns, say) gives nothing. */
	struct task_struct *me = bpf_get_current_task_btf();
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
	};
	bpf_seq_write(ctx->meta->seq, &rec, sizeof(rec));
	return 0;
}
