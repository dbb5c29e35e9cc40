/*
 * procfs.h - small, careful readers of /proc files, relative to directory
 * descriptors (shared by the owner scan and the process image lookup).
 */
#ifndef TT_PROCFS_H
#define TT_PROCFS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Reads file `name` under directory fd dir into buf (at most size - 1
 * bytes, NUL-terminated).  Returns the length, or -errno. */
ssize_t tt_procfs_read(int dir, const char *name, char *buf, size_t size);

/* The identity key of the process whose /proc/<pid> directory is pdir:
 * its start time + 1, so that 0 means unknown; *kthread tells a kernel
 * thread.  Returns 0 or -errno (-ESRCH once the process has gone). */
int tt_procfs_process_key(int pdir, uint64_t *key, int *kthread);

#endif /* TT_PROCFS_H */
