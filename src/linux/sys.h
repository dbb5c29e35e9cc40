/*
 * sys.h - the system calls of the Linux backend, named through one seam.
 * Normal builds call libc directly; test builds (TT_TESTING) call hooks in
 * tests/hooks.c that can fail, shorten or delay any call for fault
 * injection.  Never exported.
 */
#ifndef TT_LINUX_SYS_H
#define TT_LINUX_SYS_H

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>

#ifdef TT_TESTING
int tt_sys_socket(int domain, int type, int protocol);
int tt_sys_bind(int fd, const struct sockaddr *addr, socklen_t len);
ssize_t tt_sys_sendto(int fd, const void *buf, size_t len, int flags,
		      const struct sockaddr *addr, socklen_t alen);
ssize_t tt_sys_recvmsg(int fd, struct msghdr *msg, int flags);
int tt_sys_openat(int dirfd, const char *path, int flags);
ssize_t tt_sys_getdents64(int fd, void *buf, size_t len);
ssize_t tt_sys_readlinkat(int dirfd, const char *path, char *buf, size_t len);
ssize_t tt_sys_read(int fd, void *buf, size_t len);
#else
#define tt_sys_socket socket
#define tt_sys_bind bind
#define tt_sys_sendto sendto
#define tt_sys_recvmsg recvmsg
#define tt_sys_openat openat
/* The system call itself, not a libc wrapper: glibc has getdents64() only
 * since 2.30, musl declares it as getdents(int, struct dirent *, size_t)
 * (and 1.2.4 dropped the alias), uClibc has none; proc_owners.c parses the
 * kernel's own record layout anyway. */
static inline ssize_t tt_sys_getdents64(int fd, void *buf, size_t len)
{
	return (ssize_t)syscall(SYS_getdents64, fd, buf, len);
}
#define tt_sys_readlinkat readlinkat
#define tt_sys_read read
#endif

#endif /* TT_LINUX_SYS_H */
