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
 *    the scan (records are claimed as they are read, so a call needs one
 *    64 KiB buffer; the order is checked, and broken it ends the walk);
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
 * kept: the object and the iterator link are the only global state.  Any
 * failure (no BTF, no CAP_BPF + CAP_PERFMON, seccomp, old kernel) makes the
 * caller run the /proc scan instead; a read failing midway makes it run the
 * scan for the owners still missing.
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
#define TT_BPF_MIN_PENDING 16384

/* The read buffer: the whole of what a call allocates (SPEC's memory
 * bound is the table + 64 KiB). */
#define READ_BYTES ((size_t)64 * 1024)

enum { NOT_TRIED, LOADED, REFUSED };

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static atomic_int load_state = NOT_TRIED;
static struct bpf_object *obj;
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

	/* Only the object bytes of the skeleton are used: libbpf's object API
	 * is as short, and the skeleton's own helpers trip clang-tidy. */
	size_t size;
	const void *elf = tt_task_sockets_bpf__elf_bytes(&size);
	obj = bpf_object__open_mem(elf, size, NULL);
	if (obj && bpf_object__load(obj) == 0) {
		struct bpf_program *prog = bpf_object__find_program_by_name(obj, "tt_task_sockets");
		if (prog)
			iter_link = bpf_program__attach_iter(prog, NULL);
	}
	if (obj && !iter_link) {
		bpf_object__close(obj);
		obj = NULL;
	}

	struct rlimit now;
	if (have_limit && getrlimit(RLIMIT_MEMLOCK, &now) == 0 &&
	    (now.rlim_cur != memlock.rlim_cur || now.rlim_max != memlock.rlim_max))
		setrlimit(RLIMIT_MEMLOCK, &memlock);
	libbpf_set_print(prev);
	atomic_store(&load_state, iter_link ? LOADED : REFUSED);
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

/* The process whose records are being read. */
struct walk {
	int proc;
	struct tt_owner_query *q;
	uint32_t pid; /* 0: none yet */
	int pdir; /* its /proc/<pid>, -1 when it is gone */
	bool shown; /* /proc showed one of its sockets: it may claim */
	bool refused; /* /proc refuses its descriptors: it claims nothing */
	bool owns; /* a claim of it gave a row its owner */
};

/* Ends the current process: its identity key, as the scan records it. */
static int end_process(struct walk *w)
{
	int err = 0;
	if (w->pdir >= 0 && w->owns && tt_owner_wants_process_keys(w->q)) {
		uint64_t key;
		int kthread;
		if (tt_procfs_process_key(w->pdir, &key, &kthread) == 0)
			err = tt_owner_process_key(w->q, w->pid, key);
	}
	if (w->pdir >= 0)
		close(w->pdir);
	w->pdir = -1;
	return err;
}

/* One record: claims are made only once /proc shows one of the process's
 * descriptors as the socket the iterator saw. */
static int visit(struct walk *w, const struct tt_task_socket *r)
{
	if (r->pid != w->pid) {
		int err = end_process(w);
		if (err)
			return err;
		char name[16];
		snprintf(name, sizeof(name), "%u", (unsigned)r->pid);
		w->pid = r->pid;
		w->shown = w->refused = w->owns = false;
		w->pdir = tt_sys_openat(w->proc, name,
					O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (w->pdir < 0 && out_of_files(errno))
			return -ENOMEM;
	}
	if (w->pdir < 0 || w->refused)
		return 0; /* exited, or refused */
	if (!w->shown) {
		char path[24], link[TT_SOCKET_LINK_MAX];
		snprintf(path, sizeof(path), "fd/%u", (unsigned)r->fd);
		ssize_t len = tt_sys_readlinkat(w->pdir, path, link, sizeof(link));
		if (len < 0 && (errno == EACCES || errno == EPERM)) {
			w->refused = true; /* the scan sees none of its sockets */
			return 0;
		}
		if (len < 0 && out_of_files(errno))
			return -ENOMEM;
		uint32_t inode;
		if (len <= 0 || !tt_parse_socket_link(link, (size_t)len, &inode) ||
		    inode != r->inode)
			return 0; /* closed or replaced since the walk */
		w->shown = true;
	}
	if (tt_owner_claim(w->q, r->inode, r->pid))
		w->owns = true;
	return 0;
}

/* Reads the iterator and claims as it goes, stopping once every socket has
 * its owner.  Returns 0, -ENOMEM, or 1 when the iterator failed midway or
 * broke PID order (the caller then lets the /proc scan find the owners
 * still missing: every claim made so far is a lowest holder, since the
 * processes before the failing one were read whole). */
static int walk(struct walk *w)
{
	int fd = bpf_iter_create(bpf_link__fd(iter_link));
	if (fd < 0)
		return 1;
	unsigned char *buf = tt_malloc(READ_BYTES);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	size_t have = 0; /* bytes of a partial record kept at buf[0] */
	int ret = 0;
	while (ret == 0 && tt_owner_pending(w->q) > 0) {
		ssize_t n = tt_sys_read(fd, buf + have, READ_BYTES - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (n == 0 && have != 0)) {
			ret = 1;
			break;
		}
		if (n == 0)
			break;
		size_t len = have + (size_t)n, at = 0;
		for (; ret == 0 && len - at >= sizeof(struct tt_task_socket);
		     at += sizeof(struct tt_task_socket)) {
			struct tt_task_socket r;
			memcpy(&r, buf + at, sizeof(r));
			if (r.pid < w->pid)
				ret = 1; /* never, from find_ge_pid: no order to trust */
			else
				ret = visit(w, &r);
		}
		have = len - at;
		memmove(buf, buf + at, have);
	}
	free(buf);
	close(fd);
	return ret;
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
	struct walk w = { .proc = proc, .q = q, .pdir = -1 };
	int ret = walk(&w);
	int err = end_process(&w);
	close(proc);
	if (err)
		return err;
#ifdef TT_TESTING
	if (ret == 0)
		atomic_fetch_add(&answered, 1);
#endif
	return ret;
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
