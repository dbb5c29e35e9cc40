/*
 * sandbox.h - the environment tricks the suites, the soak test and the
 * benchmark share (no test framework needed): a private network namespace,
 * netlink blocked by seccomp, and counting open descriptors.
 */
#ifndef TT_TEST_SANDBOX_H
#define TT_TEST_SANDBOX_H

#include <stdbool.h>

/* Moves the calling thread into a new network namespace and brings its
 * loopback interface up.  False (errno set) when either fails. */
bool tt_netns_new(void);

/* Makes socket(AF_NETLINK, ...) fail with EPERM for the rest of this
 * process's life (seccomp), so sock_diag is unavailable.  False when the
 * filter could not be installed. */
bool tt_block_netlink(void);

/* Makes the bpf() system call fail with EPERM for the rest of this
 * process's life (seccomp).  False when the filter could not be installed. */
bool tt_block_bpf(void);

/* Makes every later clone3()/clone() of this process fail with EAGAIN (seccomp):
 * no thread or child can be created.  True when installed. */
bool tt_block_threads(void);

/* The number of descriptors this process has open. */
int tt_count_fds(void);

#endif /* TT_TEST_SANDBOX_H */
