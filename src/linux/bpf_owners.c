/*
 * bpf_owners.c - owners from the BPF task-file iterator (SPEC §12): one
 * read() loop over an iterator that walks every process's descriptor table
 * inside the kernel and hands back (pid, fd, socket inode) for sockets only
 * (bpf/task_sockets.bpf.c), instead of one readlink per descriptor.
 *
 * Same answers as the /proc scan, byte for byte:
 *  - the kernel's task iterator visits the reader's pid namespace by
 *    ascending PID (find_ge_pid), and the program writes PIDs of that
 *    namespace, so the first claim of a socket is its lowest holder, as in
 *    the scan (the order is checked; out of order, the records are sorted);
 *  - the iterator sees processes that /proc refuses (their descriptors are
 *    behind a ptrace access check, PTRACE_MODE_READ_FSCREDS: a process with
 *    capabilities the caller lacks, PID 1 here, or another user's process).
 *    So before a process claims anything, one of its descriptors is read
 *    back through /proc/<pid>/fd/<fd>: refused there, the process is
 *    skipped, as the scan skips it; the link must name the same socket, so
 *    a PID reused since the walk claims nothing;
 *  - the process keys come from /proc/<pid>/stat through that same
 *    directory, as in the scan.
 * That costs a few system calls per owning process, not per descriptor.
 *
 * The program is loaded once per process, on first use (pthread_once), and
 * kept: the skeleton and the iterator link are the only global state.  Any
 * failure (no BTF, no CAP_BPF + CAP_PERFMON, seccomp, old kernel, a read
 * failing midway) makes the caller run the /proc scan instead.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/resource.h>
#include <linux/types.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "backend.h"
#include "bpf_owners.h"
#include "owner_parse.h"
#include "procfs.h"
#include "seam.h"
#include "sys.h"
#include "task_sockets.h"
#include "task_sockets.skel.h"

/* Below this many sockets waiting for an owner, a call that would have to
 * load the program first runs the /proc scan instead: loading (BTF parse,
 * verifier, attach) costs more than a scan of a small table (bench/README.md,
 * "Owner sources").  Once loaded, the iterator answers every call. */
#define TT_BPF_MIN_PENDING 256

/* Records read per read() at first; the buffer doubles as needed. */
#define FIRST_RECORDS ((size_t)4096)

enum { NOT_TRIED, LOADED, REFUSED };

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static atomic_int load_state = NOT_TRIED;
static struct tt_task_sockets_bpf *skel;
static struct bpf_link *iter_link;
#ifdef TT_TESTING
static atomic_ulong answered;
#endif

/* libbpf prints warnings to stderr by default; library code never prints. */
static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static void load(void)
{
	/* libbpf's print callback is process-wide: ours is set only while
	 * loading and the host's put back, so a host program that uses libbpf
	 * itself loses at most the messages other threads log meanwhile. */
	libbpf_print_fn_t prev = libbpf_set_print(quiet);
	/* On kernels without memcg accounting of BPF memory (before 5.11)
	 * libbpf raises RLIMIT_MEMLOCK; the host's limit is put back. */
	struct rlimit memlock;
	bool have_limit = getrlimit(RLIMIT_MEMLOCK, &memlock) == 0;

	skel = tt_task_sockets_bpf__open_and_load();
	if (skel) {
		iter_link = bpf_program__attach_iter(skel->progs.tt_task_sockets, NULL);
		if (!iter_link) {
			tt_task_sockets_bpf__destroy(skel);
			skel = NULL;
		}
	}

	struct rlimit now;
	if (have_limit && getrlimit(RLIMIT_MEMLOCK, &now) == 0 &&
	    (now.rlim_cur != memlock.rlim_cur || now.rlim_max != memlock.rlim_max))
		setrlimit(RLIMIT_MEMLOCK, &memlock);
	libbpf_set_print(prev);
	atomic_store(&load_state, iter_link ? LOADED : REFUSED);
}

/* Reads the whole iterator output.  Returns the number of records (into
 * *out, from tt_malloc), or -1 when the iterator could not be read (the
 * caller falls back) and -ENOMEM. */
static long read_records(struct tt_task_socket **out)
{
	int fd = bpf_iter_create(bpf_link__fd(iter_link));
	if (fd < 0)
		return -1;
	size_t cap = FIRST_RECORDS, bytes = 0;
	unsigned char *buf = tt_mallocarray(cap, sizeof(struct tt_task_socket));
	long ret = -ENOMEM;
	while (buf) {
		size_t room = cap * sizeof(struct tt_task_socket) - bytes;
		if (room == 0) {
			unsigned char *more = tt_reallocarray(buf, 2 * cap, sizeof(struct tt_task_socket));
			if (!more)
				break;
			buf = more;
			cap *= 2;
			continue;
		}
		ssize_t n = tt_sys_read(fd, buf + bytes, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (n == 0 && bytes % sizeof(struct tt_task_socket) != 0)) {
			ret = -1; /* failed midway */
			break;
		}
		if (n == 0) {
			*out = (struct tt_task_socket *)(void *)buf;
			close(fd);
			return (long)(bytes / sizeof(struct tt_task_socket));
		}
		bytes += (size_t)n;
	}
	free(buf);
	close(fd);
	return ret;
}

static int by_pid_fd(const void *a, const void *b)
{
	const struct tt_task_socket *x = a, *y = b;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->fd < y->fd ? -1 : x->fd > y->fd;
}

/* True when /proc is the procfs of the caller's pid namespace: the
 * iterator's PIDs name the same processes there. */
static bool proc_is_ours(int proc)
{
	char self[16];
	ssize_t n = tt_sys_readlinkat(proc, "self", self, sizeof(self) - 1);
	if (n <= 0)
		return false;
	self[n] = '\0';
	uint32_t pid;
	return tt_parse_pid(self, &pid) && pid == (uint32_t)getpid();
}

static bool out_of_files(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOMEM;
}

/* The claims of process pid, whose records are r[0..n): made only once
 * /proc shows one of its descriptors as the socket the iterator saw. */
static int claim_process(int proc, struct tt_owner_query *q,
			 const struct tt_task_socket *r, size_t n)
{
	char name[16];
	snprintf(name, sizeof(name), "%u", (unsigned)r[0].pid);
	int pdir = tt_sys_openat(proc, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (pdir < 0)
		return out_of_files(errno) ? -ENOMEM : 0; /* exited */
	bool shown = false, owns = false;
	int err = 0;
	for (size_t i = 0; i < n && tt_owner_pending(q) > 0; i++) {
		if (!shown) {
			char path[24], link[TT_SOCKET_LINK_MAX];
			snprintf(path, sizeof(path), "fd/%u", (unsigned)r[i].fd);
			ssize_t len = tt_sys_readlinkat(pdir, path, link, sizeof(link));
			if (len < 0 && (errno == EACCES || errno == EPERM))
				break; /* /proc refuses this process: the scan sees none */
			if (len < 0 && out_of_files(errno)) {
				err = -ENOMEM;
				break;
			}
			uint32_t inode;
			if (len <= 0 || !tt_parse_socket_link(link, (size_t)len, &inode) ||
			    inode != r[i].inode)
				continue; /* closed or replaced since the walk */
			shown = true;
		}
		if (tt_owner_claim(q, r[i].inode, r[i].pid))
			owns = true;
	}
	if (!err && owns && tt_owner_wants_process_keys(q)) {
		uint64_t key;
		int kthread;
		if (tt_procfs_process_key(pdir, &key, &kthread) == 0)
			err = tt_owner_process_key(q, r[0].pid, key);
	}
	close(pdir);
	return err;
}

int tt_bpf_owners(struct tt_owner_query *q)
{
	const char *mode = getenv("TCPTABLE_OWNERS");
	bool eager = mode && strcmp(mode, "bpf") == 0;
	if (mode && strcmp(mode, "proc") == 0)
		return 1;
	int state = atomic_load(&load_state);
	if (state == REFUSED || (state == NOT_TRIED && !eager &&
				 tt_owner_pending(q) < TT_BPF_MIN_PENDING))
		return 1;
	if (state == NOT_TRIED) {
		pthread_once(&load_once, load);
		if (atomic_load(&load_state) != LOADED)
			return 1;
	}

	int proc = tt_sys_openat(AT_FDCWD, "/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (proc < 0)
		return out_of_files(errno) ? -ENOMEM : 1;
	if (!proc_is_ours(proc)) {
		close(proc);
		return 1;
	}
	struct tt_task_socket *r = NULL;
	long n = read_records(&r);
	if (n < 0) {
		close(proc);
		return n == -ENOMEM ? -ENOMEM : 1;
	}
	for (long i = 1; i < n; i++) {
		if (r[i].pid < r[i - 1].pid) {
			qsort(r, (size_t)n, sizeof(*r), by_pid_fd);
			break;
		}
	}
	int err = 0;
	for (size_t i = 0; i < (size_t)n && !err && tt_owner_pending(q) > 0;) {
		size_t end = i + 1;
		while (end < (size_t)n && r[end].pid == r[i].pid)
			end++;
		err = claim_process(proc, q, r + i, end - i);
		i = end;
	}
	free(r);
	close(proc);
#ifdef TT_TESTING
	if (!err)
		atomic_fetch_add(&answered, 1);
#endif
	return err;
}

#ifdef TT_TESTING
unsigned long tt_bpf_owners_answered(void)
{
	return atomic_load(&answered);
}

int tt_bpf_owners_loaded(void)
{
	int s = atomic_load(&load_state);
	return s == NOT_TRIED ? -1 : s == LOADED;
}
#endif
