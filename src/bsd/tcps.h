/*
 * tcps.h - the BSD TCP state numbers (netinet/tcp_fsm.h), shared by every
 * BSD backend and by the layout checks (no other includes).
 */
#ifndef TT_BSD_TCPS_H
#define TT_BSD_TCPS_H

/* The classic BSD TCP state numbers (netinet/tcp_fsm.h), the same on every
 * BSD; each layout.h checks them against its headers. */
enum {
	TT_TCPS_CLOSED,
	TT_TCPS_LISTEN,
	TT_TCPS_SYN_SENT,
	TT_TCPS_SYN_RECEIVED,
	TT_TCPS_ESTABLISHED,
	TT_TCPS_CLOSE_WAIT,
	TT_TCPS_FIN_WAIT_1,
	TT_TCPS_CLOSING,
	TT_TCPS_LAST_ACK,
	TT_TCPS_FIN_WAIT_2,
	TT_TCPS_TIME_WAIT,
	TT_TCP_NSTATES
};

/* The headers' names of those numbers, for each layout.h's constant list. */
#define TT_TCPS_CONSTANTS(X) \
	X(TCPS_CLOSED)       \
	X(TCPS_LISTEN)       \
	X(TCPS_SYN_SENT)     \
	X(TCPS_SYN_RECEIVED) \
	X(TCPS_ESTABLISHED)  \
	X(TCPS_CLOSE_WAIT)   \
	X(TCPS_FIN_WAIT_1)   \
	X(TCPS_CLOSING)      \
	X(TCPS_LAST_ACK)     \
	X(TCPS_FIN_WAIT_2)   \
	X(TCPS_TIME_WAIT)    \
	X(TCP_NSTATES)

/* X for TT_TCPS_CONSTANTS: asserts that a header's TCPS_* value is ours. */
#define TT_TCPS_SAME(c) _Static_assert((c) == TT_##c, #c);

#endif /* TT_BSD_TCPS_H */
