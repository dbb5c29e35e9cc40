/*
 * proc_owners.c - finds the processes that hold the sockets of a snapshot:
 * one pass over /proc/<pid>/fd, in ascending PID order, stopping as soon
 * as every wanted socket has an owner.
 *
 * /proc content is untrusted input: everything is opened relative to
 * directory descriptors, link targets are read into a bounded buffer and
 * parsed strictly, and a process that vanishes mid-scan is simply skipped.
 * A process that cannot be read for want of a descriptor or of memory is
 * not skipped: the scan fails with -ENOMEM, since skipping it would leave
 * its sockets with PID 0, a wrong owner in a table returned as complete.
 * The scan ends: /proc lists each PID once and in ascending order, and an fd
 * directory holds at most the process's descriptor-table size.  So that no
 * process can stretch a call without bound (by opening descriptors as fast
 * as they are listed, say), each directory is also read for a bounded number
 * of entries only: more than pid_max (at most 2^22) PIDs, more than nr_open
 * (at most 2^20) descriptors, and the rest of that directory is skipped.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include "backend.h"
#include "bpf_owners.h"
#include "owner_parse.h"
#include "procfs.h"
#include "seam.h"
#include "sys.h"

#define DENTS_SIZE ((size_t)16 * 1024)
#define MAX_PROCS ((size_t)1 << 23)
#define MAX_FDS ((size_t)1 << 21)

struct dirent64_head {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* -ENOMEM when errno says the scan ran out of descriptors or memory, else
 * 0: the entry has gone (or is not ours to read) and is skipped. */
static int shortage(void)
{
	return tt_procfs_error(errno) == -ENOMEM ? -ENOMEM : 0;
}

/* Calls fn for each entry name of the directory fd, at most max of them;
 * stops when fn returns false.  Entries are validated against the bytes the
 * kernel returned.  Returns -ENOMEM when the directory could not be read
 * for want of memory, else 0 (a directory that goes away ends the walk). */
static int each_entry(int fd, unsigned char *buf, size_t max,
		      bool (*fn)(const char *name, unsigned type, void *arg), void *arg)
{
	for (size_t seen = 0; seen < max;) {
		ssize_t n = tt_sys_getdents64(fd, buf, DENTS_SIZE);
		if (n < 0)
			return shortage();
		if (n == 0)
			return 0;
		for (ssize_t at = 0; at + (ssize_t)sizeof(struct dirent64_head) <= n;) {
			struct dirent64_head *d = (void *)(buf + at);
			if (d->d_reclen < sizeof(*d) || d->d_reclen > n - at)
				return 0;
			/* d_name must be NUL-terminated inside the record. */
			size_t room = d->d_reclen - offsetof(struct dirent64_head, d_name);
			if (memchr(d->d_name, '\0', room) && !fn(d->d_name, d->d_type, arg))
				return 0;
			at += d->d_reclen;
			seen++;
		}
	}
	return 0;
}

struct fd_scan {
	int dir;
	uint32_t pid;
	bool owns; /* some claim of this process gave a row its owner */
	int err;
	struct tt_owner_query *q;
};

static bool visit_fd(const char *name, unsigned type, void *arg)
{
	struct fd_scan *fs = arg;
	if (type != DT_LNK && type != DT_UNKNOWN)
		return true;
	char link[TT_SOCKET_LINK_MAX];
	ssize_t n = tt_sys_readlinkat(fs->dir, name, link, sizeof(link));
	if (n < 0 && (fs->err = shortage()) != 0)
		return false;
	uint32_t inode;
	if (n <= 0 || !tt_parse_socket_link(link, (size_t)n, &inode))
		return true; /* closed meanwhile, or not a socket */
	if (tt_owner_claim(fs->q, inode, fs->pid))
		fs->owns = true;
	return tt_owner_pending(fs->q) > 0;
}

struct proc_scan {
	int proc;
	unsigned char *fdbuf;
	struct tt_owner_query *q;
	int err;
};

/* Records the identity of an owning process, read through the same
 * /proc/<pid> directory descriptor as its fds: if the PID was reused in
 * between, the read fails instead of describing the newcomer. */
static int record_process_key(int pdir, uint32_t pid, struct tt_owner_query *q)
{
	uint64_t key;
	int kthread;
	int err = tt_procfs_process_key(pdir, &key, &kthread);
	if (err == -ENOMEM)
		return err;
	if (err)
		return 0; /* exited meanwhile: the row keeps its PID, no key */
	return tt_owner_process_key(q, pid, key);
}

static bool visit_pid(const char *name, unsigned type, void *arg)
{
	struct proc_scan *ps = arg;
	uint32_t pid;
	if (type != DT_DIR && type != DT_UNKNOWN)
		return true;
	if (!tt_parse_pid(name, &pid))
		return true;

	/* O_NOFOLLOW: never follow a link a process could plant in /proc. */
	int pdir = tt_sys_openat(ps->proc, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (pdir < 0) {
		ps->err = shortage(); /* else exited, or hidden (hidepid) */
		return ps->err == 0;
	}
	struct fd_scan fs = { .pid = pid, .q = ps->q };
	fs.dir = tt_sys_openat(pdir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fs.dir >= 0) {
		int err = each_entry(fs.dir, ps->fdbuf, MAX_FDS, visit_fd, &fs);
		ps->err = fs.err ? fs.err : err;
		close(fs.dir);
	} else {
		ps->err = shortage(); /* else exited, or another user's process */
	}
	if (!ps->err && fs.owns && tt_owner_wants_process_keys(ps->q))
		ps->err = record_process_key(pdir, pid, ps->q);
	close(pdir);
	return ps->err == 0 && tt_owner_pending(ps->q) > 0;
}

int tt_backend_owners_prefetch(const struct tt_request *req, bool want_keys, size_t rows,
			       struct tt_owner_prefetch **out)
{
	return tt_bpf_owners_prefetch(req->proto, req->table, want_keys, rows, out);
}

void tt_backend_owners_drop(struct tt_owner_prefetch *pre)
{
	tt_bpf_owners_drop(pre);
}

int tt_backend_owners(struct tt_owner_query *q)
{
	int by_bpf = tt_bpf_owners(q); /* 1: the iterator cannot answer */
	if (by_bpf <= 0)
		return by_bpf;
	unsigned char *buf = tt_malloc(2 * DENTS_SIZE);
	if (!buf)
		return -ENOMEM;
	struct proc_scan ps = { .fdbuf = buf + DENTS_SIZE, .q = q };
	ps.proc = tt_sys_openat(AT_FDCWD, "/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* Without /proc no owner can be known: the rows keep PID 0, as for
	 * sockets of processes the caller may not inspect.  A /proc that is
	 * there but cannot be opened now is a failure. */
	if (ps.proc >= 0) {
		int err = each_entry(ps.proc, buf, MAX_PROCS, visit_pid, &ps);
		if (!ps.err)
			ps.err = err;
		close(ps.proc);
	} else {
		ps.err = shortage();
	}
	free(buf);
	return ps.err;
}
