/*
 * procfs.c - bounded reads of /proc files through directory descriptors,
 * and the directory of the calling thread's network namespace files.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "owner_parse.h"
#include "procfs.h"
#include "sys.h"

ssize_t tt_procfs_read(int dir, const char *name, char *buf, size_t size)
{
	int fd = tt_sys_openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return tt_procfs_error(errno);
	size_t len = 0;
	while (len + 1 < size) {
		ssize_t n = tt_sys_read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = tt_procfs_error(errno);
			close(fd);
			return err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

int tt_procfs_net_dir(void)
{
	int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
	int fd = tt_sys_openat(AT_FDCWD, "/proc/thread-self/net", flags);
	/* Only a kernel without thread-self may fall back, never a shortage of
	 * descriptors: /proc/net would list another namespace's sockets. */
	if (fd < 0 && errno == ENOENT)
		fd = tt_sys_openat(AT_FDCWD, "/proc/net", flags);
	return fd < 0 ? tt_procfs_error(errno) : fd;
}

int tt_procfs_process_key(int pdir, uint64_t *key, int *kthread)
{
	char buf[1024];
	ssize_t n = tt_procfs_read(pdir, "stat", buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	uint64_t flags, start;
	if (!tt_parse_proc_stat(buf, (size_t)n, &flags, &start))
		return -EBADMSG;
	*key = start + 1;
	*kthread = (flags & TT_PF_KTHREAD) != 0;
	return 0;
}
