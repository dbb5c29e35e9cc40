/*
 * fixture_backend.h - TEST ONLY.  A backend that runs the real BSD read
 * sequences and walkers (tt_fbsd_collect, tt_nbsd_collect,
 * tt_obsd_collect, tt_dfly_collect, tt_mac_collect) on buffers the
 * test built, so the whole front end can be exercised on BSD records:
 * rows, sorting, sizing, owners, statistics.
 */
#ifndef TT_BSD_FIXTURE_BACKEND_H
#define TT_BSD_FIXTURE_BACKEND_H

#include <stddef.h>

#include "bsd.h"
#include "fixtures.h"

enum fx_os { FX_FREEBSD, FX_NETBSD, FX_OPENBSD, FX_DRAGONFLY, FX_DARWIN };

#define FX_MAX_READS 8
#define FX_MAX_DROPS 4

struct fx_state {
	enum fx_os os;
	/* Successive reads of TT_BSD_PCB (or TT_BSD_UDP) return pcb[0],
	 * pcb[1], ... and the last one again once they run out. */
	struct bsd_buf pcb[FX_MAX_READS];
	size_t npcb;
	struct bsd_buf pcb6; /* NetBSD's IPv6 list (TCP or UDP) */
	struct bsd_buf files;
	struct bsd_buf stats; /* TCP or UDP statistics */
	int read_err[5]; /* per enum tt_bsd_list: returned instead of data */
	/* Observations: reads per enum tt_bsd_list. */
	int reads[5];
	/* SetTcpEntry: the drop-node calls, in order, with the connection
	 * as each node was given it (its family picks the node), and what
	 * each returns (0 unless set; -ENOENT: no such connection). */
	struct tt_conn drops[FX_MAX_DROPS];
	int ndrops;
	int drop_err[FX_MAX_DROPS];
};

extern struct fx_state fx;

/* Frees every buffer and clears fx for the next test. */
void fx_reset(void);

#endif /* TT_BSD_FIXTURE_BACKEND_H */
