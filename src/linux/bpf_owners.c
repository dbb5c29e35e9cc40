/*
 * bpf_owners.c - owners from the BPF task-file iterator (SPEC §12): one
 * read() loop over an iterator that walks every process's descriptor table
 * inside the kernel and hands back (pid, fd, socket inode, tables) for the
 * TCP and UDP sockets of the reader's network namespace
 * (bpf/task_sockets.bpf.c), instead of one readlink per descriptor.
 *
 * Same answers as the /proc scan, byte for byte:
 *  - the kernel's task iterator visits the reader's pid namespace by
 *    ascending PID (find_ge_pid), and the program writes PIDs of that
 *    namespace, so the first claim of a socket is its lowest holder, as in
 *    the scan (the order is checked, and broken it ends the walk);
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
 * The head start.  The iterator and the caller's sock_diag dump are
 * independent, so a call that will want owners (tables.c) starts a helper
 * thread that reads the iterator while the caller dumps: the thread keeps,
 * per process that passed the read-back, the inodes of the sockets that can
 * be rows of the call's table (a stream of 32-bit words: a marker, then
 * inodes).  When the dump is over the thread stops, and the caller claims
 * what it kept in that order, which is PID order, so the first claim is
 * still the lowest holder; then it reads the rest of the iterator itself,
 * claiming as it reads, from exactly the record the thread left, until
 * every row has its owner.  What the thread may keep is bounded by the rows
 * the caller's buffer holds (2 words a row, plus 64 KiB); there it stops
 * too.  A socket opened while the dump ran, by a process the thread had
 * already read, is in the dump but not in what the thread kept: so when a
 * row still waits at the end, a second walk goes over the processes the
 * thread read (claiming only rows still waiting), and the call gives what
 * a walk after the dump gives.  Only when the program is already loaded
 * and the process may run on two CPUs; the thread runs with every signal
 * blocked, is joined before the call returns, and shares nothing with
 * other calls.
 *
 * The program is loaded once per process, on first use (pthread_once), and
 * kept: the object and the iterator link are the only global state.  Any
 * failure (no BTF, no CAP_BPF + CAP_PERFMON, seccomp, old kernel) makes the
 * caller run the /proc scan instead; a read failing midway makes it run the
 * scan for the owners still missing.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
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

/* The read buffer: a read of the iterator fills it whole, so a larger one
 * saves few system calls and costs memory for the whole call. */
#define READ_BYTES ((size_t)16 * 1024)
#define REC_BYTES sizeof(struct tt_task_socket)

/* A head start keeps at most this many words, plus 2 per row the caller's
 * buffer holds, and never more than KEEP_MAX_WORDS. */
#define KEEP_MIN_WORDS ((size_t)16 * 1024)
#define KEEP_MAX_WORDS ((size_t)1 << 26)
#define KEEP_FIRST_WORDS ((size_t)4096)
/* A process in the kept stream: 0 (no inode is 0), its PID, whether its
 * key was read, the key's low and high words. */
#define MARK_WORDS 5

/* The helper thread's stack: it calls no deeper than the walk below. */
#define THREAD_STACK ((size_t)256 * 1024)

enum { NOT_TRIED, LOADED, REFUSED };

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static atomic_int load_state = NOT_TRIED;
static struct bpf_object *obj;
static struct bpf_link *iter_link;
#ifdef TT_TESTING
static atomic_ulong answered, prefetched, continued, second_walks, helpers;
static atomic_bool sync_helper;
static atomic_bool no_prefetch;
static atomic_size_t test_cap_words, last_kept;
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
	/* The verifier gives up on a pending signal (libbpf retries a few
	 * times only), so a host taking frequent signals (a profiler's timer)
	 * could see the program refused for good: signals wait for the load,
	 * once per process, as for any system call that blocks them. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
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
	pthread_sigmask(SIG_SETMASK, &old, NULL);
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

/* The TT_TASK_* bits of the sockets that can be rows of a table. */
static uint32_t want_bits(unsigned proto, unsigned table)
{
	uint32_t v4 = proto == TT_PROTO_UDP ? TT_TASK_UDP4 : TT_TASK_TCP4;
	return ((table & TT_TABLE_V4) ? v4 : 0) | ((table & TT_TABLE_V6) ? v4 << 1 : 0);
}

/* How a walk ended (or -ENOMEM). */
enum { WALK_ON, WALK_END, WALK_FAILED, WALK_MORE };

/* The iterator being read: its descriptor and the bytes read but not yet
 * walked (at most one partial record between reads). */
struct reader {
	int fd;
	unsigned char *buf; /* READ_BYTES */
	size_t have;
};

/* The kept stream of a head start. */
struct kept {
	uint32_t *w;
	size_t n, cap, max;
};

/* A walk of the iterator's records: claims into q, or, on the helper
 * thread (q NULL), kept for the caller. */
struct walk {
	int proc;
	uint32_t want; /* TT_TASK_* of the call's table */
	bool want_keys;
	struct tt_owner_query *q;
	struct kept *keep;
	const atomic_bool *stop;
	uint32_t limit; /* the walk ends at a record of a higher PID */
	/* The process whose records are being read. */
	uint32_t pid; /* 0: none yet */
	int pdir; /* its /proc/<pid>, -1 when it is gone */
	bool shown; /* /proc showed one of its sockets: it may claim */
	bool refused; /* /proc refuses its descriptors: it claims nothing */
	bool owns; /* a claim of it gave a row its owner */
	size_t mark; /* kept: its marker's index + 1; 0 before it kept one */
};

struct tt_owner_prefetch {
	pthread_t thread;
	bool started, joined;
	atomic_bool stop;
	int status; /* the thread's walk: WALK_* or -ENOMEM */
	struct walk w;
	struct reader rd;
	struct kept keep;
};

/* Ends the current process: its identity key, as the scan records it
 * (kept: into its marker, for the caller to record if it owns a row). */
static int end_process(struct walk *w)
{
	bool key = w->q ? w->owns && tt_owner_wants_process_keys(w->q) : w->mark && w->want_keys;
	int err = 0;
	if (w->pdir >= 0 && key) {
		uint64_t k;
		int kthread;
		err = tt_procfs_process_key(w->pdir, &k, &kthread);
		if (err == 0 && w->q) {
			err = tt_owner_process_key(w->q, w->pid, k);
		} else if (err == 0) {
			uint32_t *m = w->keep->w + w->mark - 1;
			m[2] = 1;
			m[3] = (uint32_t)k;
			m[4] = (uint32_t)(k >> 32);
		}
		if (err != -ENOMEM)
			err = 0; /* exited meanwhile: its rows keep the PID, no key */
	}
	if (w->pdir >= 0)
		close(w->pdir);
	w->pdir = -1;
	return err;
}

/* Room for n more words in the kept stream: WALK_ON, WALK_MORE when the
 * bound is reached, or -ENOMEM. */
static int keep_room(struct kept *k, size_t n)
{
	if (k->n + n > k->max)
		return WALK_MORE;
	if (k->n + n <= k->cap)
		return WALK_ON;
	/* Grown by half: realloc moves large blocks by remapping, not by
	 * copying, and the stream never holds more than half again what it
	 * uses (the caller's buffer may be far larger than the table). */
	size_t cap = k->cap == 0 ? KEEP_FIRST_WORDS : k->cap + k->cap / 2;
	if (cap < k->n + n)
		cap = k->n + n;
	if (cap > k->max)
		cap = k->max;
	uint32_t *w = tt_reallocarray(k->w, cap, sizeof(*w));
	if (!w)
		return -ENOMEM;
	k->w = w;
	k->cap = cap;
	return WALK_ON;
}

/* One record: claims are made only once /proc shows one of the process's
 * descriptors as the socket the iterator saw.  A record the kept stream
 * has no room for is not consumed (WALK_MORE): walked again, it finds the
 * process's state as this call left it. */
static int visit(struct walk *w, const struct tt_task_socket *r)
{
	if (!(r->tables & w->want))
		return WALK_ON; /* in no row of this table */
	if (r->pid != w->pid) {
		int err = end_process(w);
		if (err)
			return err;
		char name[16];
		snprintf(name, sizeof(name), "%u", (unsigned)r->pid);
		w->pid = r->pid;
		w->shown = w->refused = w->owns = false;
		w->mark = 0;
		w->pdir = tt_sys_openat(w->proc, name,
					O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (w->pdir < 0 && out_of_files(errno))
			return -ENOMEM;
	}
	if (w->pdir < 0 || w->refused)
		return WALK_ON; /* exited, or refused */
	if (!w->shown) {
		char path[24], link[TT_SOCKET_LINK_MAX];
		snprintf(path, sizeof(path), "fd/%u", (unsigned)r->fd);
		ssize_t len = tt_sys_readlinkat(w->pdir, path, link, sizeof(link));
		if (len < 0 && (errno == EACCES || errno == EPERM)) {
			w->refused = true; /* the scan sees none of its sockets */
			return WALK_ON;
		}
		if (len < 0 && out_of_files(errno))
			return -ENOMEM;
		uint32_t inode;
		if (len <= 0 || !tt_parse_socket_link(link, (size_t)len, &inode) ||
		    inode != r->inode)
			return WALK_ON; /* closed or replaced since the walk */
		w->shown = true;
	}
	if (w->q) {
		if (tt_owner_claim(w->q, r->inode, r->pid))
			w->owns = true;
		return WALK_ON;
	}
	int ret = keep_room(w->keep, w->mark ? 1 : MARK_WORDS + 1);
	if (ret != WALK_ON)
		return ret;
	uint32_t *out = w->keep->w + w->keep->n;
	if (!w->mark) {
		w->mark = w->keep->n + 1;
		const uint32_t m[MARK_WORDS] = { 0, r->pid, 0, 0, 0 };
		memcpy(out, m, sizeof(m));
		out += MARK_WORDS;
		w->keep->n += MARK_WORDS;
	}
	*out = r->inode;
	w->keep->n++;
	return WALK_ON;
}

/* Walks the iterator from where rd stands.  Claiming, it stops once every
 * socket has its owner (WALK_END); keeping, when the stream is full or the
 * caller asks it to stop (WALK_MORE).  WALK_FAILED: the iterator failed
 * midway or broke PID order (every claim made so far is a lowest holder,
 * since the processes before the failing one were read whole). */
static int walk(struct walk *w, struct reader *rd)
{
	for (;;) {
		size_t at = 0;
		int ret = WALK_ON;
		while (ret == WALK_ON && rd->have - at >= REC_BYTES) {
			if (w->q ? tt_owner_pending(w->q) == 0 :
				   atomic_load_explicit(w->stop, memory_order_relaxed)) {
				ret = w->q ? WALK_END : WALK_MORE;
				break;
			}
			struct tt_task_socket r;
			memcpy(&r, rd->buf + at, sizeof(r));
			if (r.pid < w->pid)
				ret = WALK_FAILED; /* never, from find_ge_pid */
			else if (r.pid > w->limit)
				ret = WALK_END;
			else if ((ret = visit(w, &r)) == WALK_ON)
				at += REC_BYTES;
		}
		rd->have -= at;
		memmove(rd->buf, rd->buf + at, rd->have);
		if (ret != WALK_ON)
			return ret;
		if (w->q && tt_owner_pending(w->q) == 0)
			return WALK_END;
		ssize_t n = tt_sys_read(rd->fd, rd->buf + rd->have, READ_BYTES - rd->have);
		/* EAGAIN: the kernel visited a million files without a record
		 * and yields; the next read goes on from there. */
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0 || (n == 0 && rd->have != 0))
			return WALK_FAILED;
		if (n == 0)
			return WALK_END;
		rd->have += (size_t)n;
	}
}

/* TCPTABLE_OWNERS: the /proc scan only, the iterator from the first call
 * whatever its size, or neither (the default). */
enum { MODE_DEFAULT, MODE_PROC, MODE_BPF };

static int owners_mode(void)
{
	const char *mode = getenv("TCPTABLE_OWNERS");
	if (mode && strcmp(mode, "proc") == 0)
		return MODE_PROC;
	return mode && strcmp(mode, "bpf") == 0 ? MODE_BPF : MODE_DEFAULT;
}

/* Loads the program if it is not yet and may be; true when it is loaded.
 * eager: whatever the size of the call. */
static bool loaded(bool eager, size_t pending)
{
	int state = atomic_load(&load_state);
	if (state == REFUSED || (state == NOT_TRIED && !eager && pending < TT_BPF_MIN_PENDING))
		return false;
	if (state == NOT_TRIED)
		pthread_once(&load_once, load);
	return atomic_load(&load_state) == LOADED;
}

/* The answer of a whole walk: 0, 1 (the scan must finish it) or -ENOMEM. */
static int answer(int ret, bool from_prefetch)
{
	if (ret < 0)
		return ret;
#ifdef TT_TESTING
	if (ret == WALK_END) {
		atomic_fetch_add(&answered, 1);
		if (from_prefetch)
			atomic_fetch_add(&prefetched, 1);
	}
#else
	(void)from_prefetch;
#endif
	return ret == WALK_END ? 0 : 1;
}

/* Records the key of a process of the kept stream, if it owns a row. */
static int key_from_mark(struct tt_owner_query *q, const uint32_t *m, bool owns)
{
	if (!m || !owns || !tt_owner_wants_process_keys(q) || !m[2])
		return 0;
	return tt_owner_process_key(q, m[1], m[3] | (uint64_t)m[4] << 32);
}

/* A walk of a new instance of the iterator, claiming into q, up to the
 * processes of PID limit: WALK_END, WALK_FAILED or -ENOMEM. */
static int walk_iterator(struct tt_owner_query *q, int proc, uint32_t limit)
{
	struct walk w = { .proc = proc,
			  .want = want_bits(tt_owner_proto(q), tt_owner_table(q)),
			  .q = q,
			  .limit = limit,
			  .pdir = -1 };
	struct reader rd = { .fd = bpf_iter_create(bpf_link__fd(iter_link)) };
	int ret = rd.fd < 0 ? WALK_FAILED : (rd.buf = tt_malloc(READ_BYTES)) ? walk(&w, &rd) : -ENOMEM;
	int err = end_process(&w);
	free(rd.buf);
	if (rd.fd >= 0)
		close(rd.fd);
	return err ? err : ret;
}

/* Joins the helper (once), which stops at its next record when asked to.
 * Never a cancellation point of the caller's: the helper would outlive it. */
static void join(struct tt_owner_prefetch *p, bool stop)
{
	if (!p->started || p->joined)
		return;
	if (stop)
		atomic_store(&p->stop, true);
	int state;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &state);
	pthread_join(p->thread, NULL);
	pthread_setcancelstate(state, NULL);
	p->joined = true;
}

/* The caller's side of a head start, once its dump is over: the helper
 * stops (what it has not read, the call reads itself, claiming as it goes
 * and stopping once every row has its owner); what it kept is claimed in
 * its order; then, if a row still waits, a second walk over the processes
 * the helper read: a socket opened after the helper had passed its
 * process, yet in the dump, has its owner too, as with a walk after the
 * dump. */
static int from_prefetch(struct tt_owner_query *q, struct tt_owner_prefetch *p)
{
	join(p, true);
	int ret = p->status;
	if (ret < 0)
		return ret;
#ifdef TT_TESTING
	atomic_store(&last_kept, p->keep.n);
#endif
	uint32_t helper_read = ret == WALK_MORE ? p->w.pid : UINT32_MAX;
	const uint32_t *w = p->keep.w, *mark = NULL;
	uint32_t pid = 0;
	bool owns = false;
	int err = 0;
	for (size_t i = 0; i < p->keep.n && !err && tt_owner_pending(q) > 0;) {
		if (w[i] == 0) {
			err = key_from_mark(q, mark, owns);
			mark = w + i;
			pid = w[i + 1];
			owns = false;
			i += MARK_WORDS;
		} else {
			owns |= tt_owner_claim(q, w[i++], pid);
		}
	}
	if (err)
		return err;
	if (ret == WALK_MORE && mark && pid == p->w.pid) {
		/* The thread stopped inside this process: the walk below goes
		 * on with it and records its key. */
		p->w.owns = owns;
	} else if ((err = key_from_mark(q, mark, owns)) != 0) {
		return err;
	}
	free(p->keep.w);
	p->keep.w = NULL;
	if (ret == WALK_MORE) {
#ifdef TT_TESTING
		atomic_fetch_add(&continued, 1);
#endif
		p->w.q = q;
		ret = walk(&p->w, &p->rd);
		err = end_process(&p->w);
		if (err)
			return err;
	}
	if (ret == WALK_END && tt_owner_pending(q) > 0 && helper_read > 0) {
#ifdef TT_TESTING
		atomic_fetch_add(&second_walks, 1);
#endif
		ret = walk_iterator(q, p->w.proc, helper_read);
	}
	return answer(ret, true);
}

int tt_bpf_owners(struct tt_owner_query *q)
{
	struct tt_owner_prefetch *p = tt_owner_prefetched(q);
	if (p && p->started)
		return from_prefetch(q, p);

	int mode = owners_mode();
	if (mode == MODE_PROC || !loaded(mode == MODE_BPF, tt_owner_pending(q)))
		return 1;
	int proc = tt_sys_openat(AT_FDCWD, "/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (proc < 0)
		return out_of_files(errno) ? -ENOMEM : 1;
	int ret = proc_is_ours(proc) ? walk_iterator(q, proc, UINT32_MAX) : WALK_FAILED;
	close(proc);
	return answer(ret, false);
}

/* ---- The head start. */

static void *prefetch_main(void *arg)
{
	struct tt_owner_prefetch *p = arg;
	int ret = walk(&p->w, &p->rd);
	if (ret != WALK_MORE) {
		/* Over: the last process's key is read now, while its /proc
		 * directory is open, and the read buffer goes back. */
		int err = end_process(&p->w);
		if (err)
			ret = err;
		free(p->rd.buf);
		p->rd.buf = NULL;
	}
	p->status = ret;
	return NULL;
}

/* More than one CPU to run on: otherwise the thread only takes turns with
 * the dump. */
static bool two_cpus(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return true; /* more CPUs than a cpu_set_t holds */
	return CPU_COUNT(&set) >= 2;
}

void tt_bpf_owners_drop(struct tt_owner_prefetch *p)
{
	if (!p)
		return;
	join(p, true);
	if (p->w.pdir >= 0)
		close(p->w.pdir);
	if (p->w.proc >= 0)
		close(p->w.proc);
	if (p->rd.fd >= 0)
		close(p->rd.fd);
	free(p->rd.buf);
	free(p->keep.w);
	free(p);
}

/* Starts the thread with every signal blocked: the host's handlers never
 * run on it.  Returns the pthread_create() result. */
static int start(struct tt_owner_prefetch *p)
{
	pthread_attr_t attr;
	if (pthread_attr_init(&attr) != 0)
		return -1;
	(void)pthread_attr_setstacksize(&attr, THREAD_STACK);
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int err = pthread_create(&p->thread, &attr, prefetch_main, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	return err;
}

int tt_bpf_owners_prefetch(unsigned proto, unsigned table, bool want_keys, size_t rows,
			   struct tt_owner_prefetch **out)
{
	*out = NULL;
	int mode = owners_mode();
#ifdef TT_TESTING
	if (atomic_load(&no_prefetch))
		return 0;
#endif
	/* Nothing waits for an owner yet: the first call of a process loads
	 * the program here only on request, otherwise its own walk decides
	 * by the number of owners it needs. */
	if (mode == MODE_PROC || !loaded(mode == MODE_BPF, 0) || !two_cpus())
		return 0;

	struct tt_owner_prefetch *p = tt_calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->w.proc = p->w.pdir = p->rd.fd = -1;
	p->rd.buf = tt_malloc(READ_BYTES);
	if (!p->rd.buf) {
		tt_bpf_owners_drop(p);
		return -ENOMEM;
	}
	p->w.proc = tt_sys_openat(AT_FDCWD, "/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p->w.proc < 0 || !proc_is_ours(p->w.proc) ||
	    (p->rd.fd = bpf_iter_create(bpf_link__fd(iter_link))) < 0) {
		/* The call's own walk meets the same and says what it means. */
		tt_bpf_owners_drop(p);
		return 0;
	}
	p->w.want = want_bits(proto, table);
	p->w.want_keys = want_keys;
	p->w.keep = &p->keep;
	p->w.stop = &p->stop;
	p->w.limit = UINT32_MAX;
	p->keep.max = rows < (KEEP_MAX_WORDS - KEEP_MIN_WORDS) / 2 ? KEEP_MIN_WORDS + 2 * rows
								: KEEP_MAX_WORDS;
#ifdef TT_TESTING
	if (atomic_load(&test_cap_words))
		p->keep.max = atomic_load(&test_cap_words) - 1;
#endif
	if (start(p) != 0) {
		tt_bpf_owners_drop(p);
		return 0;
	}
	p->started = true;
#ifdef TT_TESTING
	atomic_fetch_add(&helpers, 1);
	if (atomic_load(&sync_helper))
		join(p, false); /* the helper's walk is over before the dump */
#endif
	*out = p;
	return 0;
}

#ifdef TT_TESTING
unsigned long tt_bpf_owners_answered(void)
{
	return atomic_load(&answered);
}

unsigned long tt_bpf_owners_prefetched(void)
{
	return atomic_load(&prefetched);
}

unsigned long tt_bpf_owners_helpers(void)
{
	return atomic_load(&helpers);
}

unsigned long tt_bpf_owners_second_walks(void)
{
	return atomic_load(&second_walks);
}

void tt_bpf_owners_test_sync(bool on)
{
	atomic_store(&sync_helper, on);
}

size_t tt_bpf_owners_last_kept(void)
{
	return atomic_load(&last_kept);
}

unsigned long tt_bpf_owners_continued(void)
{
	return atomic_load(&continued);
}

int tt_bpf_owners_loaded(void)
{
	int s = atomic_load(&load_state);
	return s == NOT_TRIED ? -1 : s == LOADED;
}

void tt_bpf_owners_test_knobs(bool off, size_t cap_words)
{
	atomic_store(&no_prefetch, off);
	/* Stored + 1, so that a cap of 0 words can be asked for. */
	atomic_store(&test_cap_words, cap_words == (size_t)-1 ? 0 : cap_words + 1);
}
#endif
