/*
 * helpers.h - shared code of the integration suites: a private network
 * namespace per test, real sockets, fetching tables and finding rows.
 */
#ifndef TT_TEST_HELPERS_H
#define TT_TEST_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include <check.h>
#include <iphlpapi.h>

#include "guard.h"

/* True when the suite runs in private network namespaces: every table then
 * holds exactly the sockets the test opened. */
extern bool tt_isolated;

/* Tries to create a private network namespace and reports loudly which
 * mode the suite runs in.  Call once from main() before running Check. */
void tt_test_init(const char *suite);
/* Checked fixture: a fresh namespace for each test when isolated. */
void tt_fresh_netns(void);
/* Runs `ip <args>` in the current namespace; false on failure. */
bool tt_ip(const char *args);
/* Adds IPv6 address addr (/128, no DAD) to lo and waits until the kernel
 * routes to it: the local route of a new IPv6 address is inserted by a
 * kernel work item after `ip addr add` has returned, so a connect right
 * away can fail with ENETUNREACH on a loaded machine.  False on failure or
 * after 10 s. */
bool tt_add_lo6(const char *addr);

/* An endpoint as the tables carry it. */
struct tt_ep {
	int family;
	uint8_t addr[16]; /* network order; IPv4 in the first 4 bytes */
	uint16_t port; /* host order */
	uint32_t scope;
};

struct tt_ep tt_ep4(const char *addr, uint16_t port);
struct tt_ep tt_ep6(const char *addr, uint16_t port, uint32_t scope);

/* Sockets.  Every helper fails the test (ck_abort) on error. */
int tt_listen(struct tt_ep *ep, int v6only); /* ep->port 0: filled in */
int tt_listen_freebind(struct tt_ep *ep); /* IPv6: any address, no need to own it */
int tt_connect(const struct tt_ep *to, struct tt_ep *local_out);
int tt_connect_nonblock(const struct tt_ep *to, struct tt_ep *local_out);
int tt_connect_from(const struct tt_ep *from, const struct tt_ep *to); /* bound to from */
int tt_accept(int lfd);
struct tt_ep tt_local_of(int fd);
struct tt_ep tt_peer_of(int fd);
/* A connected pair through listener lfd: *client and *server. */
void tt_pair(int lfd, const struct tt_ep *to, int *client, int *server);

/* UDP sockets.  tt_udp_bind: bound to ep (port 0: filled in); v6only -1
 * leaves IPV6_V6ONLY alone.  tt_udp_pair: two sockets bound on at's address
 * and connected to each other.  tt_udp_shape: per family of at, the UDP
 * counterpart of a listener and a connected pair (three sockets in fds). */
int tt_udp_bind(struct tt_ep *ep, int v6only);
void tt_udp_pair(const struct tt_ep *at, int *a, int *b);
void tt_udp_shape(const struct tt_ep *at, int fds[3]);
/* An unbound UDP socket of family that sends one datagram to `to`, which
 * autobinds it (to a wildcard address and an ephemeral port). */
int tt_udp_sendto(int family, const struct tt_ep *to);

/* Tables, allocated with the Windows two-call pattern (retrying on 122). */
PMIB_TCPTABLE tt_get_tcp(void);
PMIB_TCPTABLE2 tt_get_tcp2(void);
PMIB_TCP6TABLE tt_get_tcp6(void);
PMIB_TCP6TABLE2 tt_get_tcp6_2(void);

/* GetExtendedUdpTable(af, cls), allocated the same way. */
void *tt_get_udp(ULONG af, UDP_TABLE_CLASS cls);

/* Rows matching local and remote endpoint (remote port 0: a listener). */
const MIB_TCPROW *tt_find_tcp(const MIB_TCPTABLE *t, const struct tt_ep *l,
			      const struct tt_ep *r);
const MIB_TCPROW2 *tt_find_tcp2(const MIB_TCPTABLE2 *t, const struct tt_ep *l,
				const struct tt_ep *r);
const MIB_TCP6ROW *tt_find_tcp6(const MIB_TCP6TABLE *t, const struct tt_ep *l,
				const struct tt_ep *r);
const MIB_TCP6ROW2 *tt_find_tcp6_2(const MIB_TCP6TABLE2 *t, const struct tt_ep *l,
				   const struct tt_ep *r);

/* Field-by-field checks of one row against the expected values. */
void tt_check_row4(const MIB_TCPROW *row, DWORD state, const struct tt_ep *l,
		   const struct tt_ep *r);
void tt_check_row4_2(const MIB_TCPROW2 *row, DWORD state, const struct tt_ep *l,
		     const struct tt_ep *r, DWORD pid);
void tt_check_row6(const MIB_TCP6ROW *row, DWORD state, const struct tt_ep *l,
		   const struct tt_ep *r);
void tt_check_row6_2(const MIB_TCP6ROW2 *row, DWORD state, const struct tt_ep *l,
		     const struct tt_ep *r, DWORD pid);

/* The unspecified endpoint a listener's remote columns must show. */
extern const struct tt_ep tt_none4, tt_none6;

/* Waits until the state of the row local->remote in the IPv4 table (or the
 * IPv6 one for AF_INET6 endpoints) is `state`; false after ~2 s. */
bool tt_wait_state(const struct tt_ep *l, const struct tt_ep *r, DWORD state);

#endif /* TT_TEST_HELPERS_H */
