/*
 * hooks_linux.c - the system-call side of the test seam (Linux backend).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>

#include "hooks.h"
#include "sys.h"

int tt_sys_socket(int domain, int type, int protocol)
{
	return tt_hooks.socket ? tt_hooks.socket(domain, type, protocol)
			       : socket(domain, type, protocol);
}

int tt_sys_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return bind(fd, addr, len);
}

ssize_t tt_sys_sendto(int fd, const void *buf, size_t len, int flags,
		      const struct sockaddr *addr, socklen_t alen)
{
	return tt_hooks.sendto ? tt_hooks.sendto(fd, buf, len, flags, addr, alen)
			       : sendto(fd, buf, len, flags, addr, alen);
}

ssize_t tt_sys_recvmsg(int fd, struct msghdr *msg, int flags)
{
	return tt_hooks.recvmsg ? tt_hooks.recvmsg(fd, msg, flags) : recvmsg(fd, msg, flags);
}

int tt_sys_openat(int dirfd, const char *path, int flags)
{
	return tt_hooks.openat ? tt_hooks.openat(dirfd, path, flags) : openat(dirfd, path, flags);
}

ssize_t tt_sys_getdents64(int fd, void *buf, size_t len)
{
	return tt_hooks.getdents64 ? tt_hooks.getdents64(fd, buf, len) : getdents64(fd, buf, len);
}

ssize_t tt_sys_readlinkat(int dirfd, const char *path, char *buf, size_t len)
{
	return tt_hooks.readlinkat ? tt_hooks.readlinkat(dirfd, path, buf, len)
				   : readlinkat(dirfd, path, buf, len);
}

ssize_t tt_sys_read(int fd, void *buf, size_t len)
{
	return tt_hooks.read ? tt_hooks.read(fd, buf, len) : read(fd, buf, len);
}
