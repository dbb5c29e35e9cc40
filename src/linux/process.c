/*
 * process.c - the executable behind a PID, for GetOwnerModuleFrom*Entry:
 * /proc/<pid>/exe and /proc/<pid>/stat, both read through one directory
 * descriptor so that they describe the same process; kill(pid, 0) where
 * hidepid hides the directory of a live process.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "backend.h"
#include "procfs.h"
#include "seam.h"
#include "sys.h"

/* Link targets longer than this are refused (PATH_MAX is 4096). */
#define EXE_MAX ((size_t)64 * 1024)

static const char deleted[] = " (deleted)";

/* readlinkat(pdir, "exe") into a buffer grown until the target fits. */
static int read_exe(int pdir, struct tt_image *out)
{
	for (size_t size = 256; size <= EXE_MAX; size *= 2) {
		char *buf = tt_malloc(size);
		if (!buf)
			return -ENOMEM;
		ssize_t n = tt_sys_readlinkat(pdir, "exe", buf, size);
		if (n < 0) {
			int err = errno;
			free(buf);
			/* No exe link: a zombie, or a process that just exited. */
			return err == ENOENT ? -ESRCH : err == EPERM ? -EACCES : tt_procfs_error(err);
		}
		if ((size_t)n < size) {
			buf[n] = '\0';
			out->path = buf;
			out->len = (size_t)n;
			return 0;
		}
		free(buf);
	}
	return -ENAMETOOLONG;
}

/* The kernel appends " (deleted)" to the path of an executable that was
 * unlinked while running.  When the file really is gone (no links left),
 * the marker goes and the name and path the process was started from stay. */
static void strip_deleted(int pdir, struct tt_image *img)
{
	size_t dl = sizeof(deleted) - 1;
	if (img->len <= dl || memcmp(img->path + img->len - dl, deleted, dl) != 0)
		return;
	struct stat st;
	if (fstatat(pdir, "exe", &st, 0) == 0 && st.st_nlink == 0) {
		img->len -= dl;
		img->path[img->len] = '\0';
	}
}

/* True when the /proc mounted at proc numbers processes as the caller's
 * own PID namespace does (the one kill() uses).  NSpid in /proc/self/status
 * lists the caller's PID in every namespace from the mount's down to the
 * caller's: a single entry, equal to getpid(), means they are the same.
 * Anything else, or a kernel without NSpid, is "cannot tell". */
static bool same_pid_namespace(int proc)
{
	char buf[8192]; /* Groups: can be long, and NSpid comes after it */
	ssize_t n = tt_procfs_read(proc, "self/status", buf, sizeof(buf));
	const char *p = n > 0 ? strstr(buf, "\nNSpid:") : NULL;
	if (!p)
		return false;
	p += sizeof("\nNSpid:") - 1;
	unsigned fields = 0;
	unsigned long first = 0;
	while (*p && *p != '\n') {
		if (*p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		char *end;
		unsigned long v = strtoul(p, &end, 10);
		if (end == p)
			return false;
		if (fields++ == 0)
			first = v;
		p = end;
	}
	return fields == 1 && first == (unsigned long)getpid();
}

/* /proc/<pid> is missing.  Mostly the process has exited, but with /proc
 * mounted hidepid=2 (invisible) the entry of a live process the caller may
 * not inspect is missing in just the same way, and SPEC §8 wants
 * ERROR_ACCESS_DENIED for it.  kill(pid, 0) sends nothing and tells the
 * two apart: ESRCH when no such process exists; EPERM for a live process
 * of another user (one the caller may not even signal, it may not ptrace,
 * which is what inspecting needs); 0 for a live process whose entry is
 * hidden all the same (say, a non-dumpable one of the caller's own user).
 * Only where kill() and /proc number processes alike (same PID namespace):
 * elsewhere kill() would ask about another process, and the answer stays
 * "gone".  A PID reused between the two calls gives access denied, not
 * "gone": the newcomer exists and cannot be inspected either. */
static int missing_entry(int proc, uint32_t pid)
{
	if (pid == 0 || pid > INT_MAX || !same_pid_namespace(proc))
		return -ESRCH; /* kill() would name a process group, or nobody we know */
	if (kill((pid_t)pid, 0) == 0 || errno == EPERM)
		return -EACCES;
	return -ESRCH;
}

int tt_backend_image(uint32_t pid, struct tt_image *out)
{
	memset(out, 0, sizeof(*out));
	int proc = tt_sys_openat(AT_FDCWD, "/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (proc < 0) {
		/* Out of descriptors is a resource failure (SPEC §4); anything
		 * else: no procfs, nothing can be looked up. */
		int err = tt_procfs_error(errno);
		return err == -ENOMEM ? err : -EOPNOTSUPP;
	}
	char name[16];
	snprintf(name, sizeof(name), "%u", (unsigned)pid);
	int pdir = tt_sys_openat(proc, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	int err = pdir < 0 ? tt_procfs_error(errno) : 0;
	if (err == -ENOENT)
		err = missing_entry(proc, pid);
	close(proc);
	if (err)
		return err;

	int kthread = 0;
	err = tt_procfs_process_key(pdir, &out->key, &kthread);
	if (err == -ENOENT)
		err = -ESRCH;
	if (!err && kthread)
		out->kernel = true;
	else if (!err && (err = read_exe(pdir, out)) == 0)
		strip_deleted(pdir, out);
	close(pdir);
	if (err) {
		free(out->path);
		out->path = NULL;
	}
	return err;
}
