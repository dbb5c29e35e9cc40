/*
 * procfs.h - small, careful readers of /proc files, relative to directory
 * descriptors (shared by the owner scan and the process image lookup).
 */
#ifndef TT_PROCFS_H
#define TT_PROCFS_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* -errno for a failed call on /proc, with every resource shortage (no
 * descriptor left in the process or the system, no kernel memory) turned
 * into -ENOMEM: the front end reports that as ERROR_NOT_ENOUGH_MEMORY, the
 * only code SPEC §4 allows for it.  Callers must never mistake a shortage
 * for "that process has gone", which would hand back wrong owners. */
static inline int tt_procfs_error(int errnum)
{
	return errnum == EMFILE || errnum == ENFILE || errnum == ENOMEM ? -ENOMEM : -errnum;
}

/* Reads file `name` under directory fd dir into buf (at most size - 1
 * bytes, NUL-terminated).  Returns the length, or -errno as
 * tt_procfs_error() gives it. */
ssize_t tt_procfs_read(int dir, const char *name, char *buf, size_t size);

/* Opens the directory of the calling thread's network namespace files:
 * /proc/thread-self/net, or /proc/net on kernels without thread-self
 * (before 3.17).  /proc/net is /proc/self/net, the namespace of the
 * process's main thread, while sock_diag answers for the calling thread's:
 * the two differ in a thread that called unshare(CLONE_NEWNET) or setns().
 * Returns the descriptor, or -errno as tt_procfs_error() gives it. */
int tt_procfs_net_dir(void);

/* The identity key of the process whose /proc/<pid> directory is pdir:
 * its start time + 1, so that 0 means unknown; *kthread tells a kernel
 * thread.  Returns 0 or -errno (-ENOENT or -ESRCH once the process has
 * gone, -ENOMEM when out of descriptors or memory). */
int tt_procfs_process_key(int pdir, uint64_t *key, int *kthread);

#endif /* TT_PROCFS_H */
