/*
 * hooks.h - fault injection at the library's seam (src/common/seam.h,
 * src/linux/sys.h), available only in the test builds of the library
 * (TT_TESTING).  A test sets a field, calls the API, and resets.
 */
#ifndef TT_TEST_HOOKS_H
#define TT_TEST_HOOKS_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

struct tt_hooks {
	/* Allocations: fail the allocation numbered fail_alloc_at (1-based,
	 * counted from the last reset); 0 never fails. */
	long fail_alloc_at;
	/* Overrides of system calls; NULL calls the real one. */
	int (*socket)(int domain, int type, int protocol);
	ssize_t (*sendto)(int fd, const void *buf, size_t len, int flags,
			  const struct sockaddr *addr, socklen_t alen);
	ssize_t (*recvmsg)(int fd, struct msghdr *msg, int flags);
	int (*openat)(int dirfd, const char *path, int flags);
	ssize_t (*getdents64)(int fd, void *buf, size_t len);
	ssize_t (*readlinkat)(int dirfd, const char *path, char *buf, size_t len);
	ssize_t (*read)(int fd, void *buf, size_t len);
};

extern struct tt_hooks tt_hooks;

/* Clears every hook and counter. */
void tt_hooks_reset(void);
/* Allocations made through the seam since the last reset. */
long tt_hooks_allocs(void);

#endif /* TT_TEST_HOOKS_H */
