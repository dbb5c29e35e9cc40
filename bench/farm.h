/*
 * farm.h - the benchmarks' connection farm.
 */
#ifndef TT_BENCH_FARM_H
#define TT_BENCH_FARM_H

#include <stdbool.h>
#include <sys/types.h>

#define FARM_MAX_HOLDERS 16

struct farm {
	pid_t holders[FARM_MAX_HOLDERS];
	int nholders;
	int conns4, conns6; /* established connections (UDP: sockets) per family */
};

/* Starts holders with n connections in all (half IPv4, half IPv6) in the
 * caller's network namespace; returns 0 when every holder is ready. */
int farm_start(struct farm *f, int n);
/* Starts holders with n bound UDP sockets in all (half on 127.0.0.1, half
 * on [::1], ephemeral ports); returns 0 when every holder is ready. */
int farm_start_udp(struct farm *f, int n);
/* Starts one holder with n IPv4 listeners on 127.0.0.1 in the caller's
 * network namespace: all on one port with SO_REUSEPORT (one run of
 * identical endpoints in the table), or each on a port of its own. */
int farm_listeners(struct farm *f, int n, bool one_port);
void farm_stop(struct farm *f);

#endif /* TT_BENCH_FARM_H */
