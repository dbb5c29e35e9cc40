/*
 * records.h - the compact records the front end keeps while it builds a
 * table, and the operations on a whole snapshot of them.
 *
 * A record holds only what the Windows rows need, in host byte order so that
 * sorting compares plain integers: 28 bytes for an IPv4 row, 60 for IPv6.
 * Records live in fixed chunks that are never copied: each chunk is sorted
 * in place and the chunks are merged while the rows are counted and while
 * they are written.  Keeping records small and never holding two copies is
 * what lets a call allocate less than twice the table it returns.
 */
#ifndef TT_RECORDS_H
#define TT_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"

/* tt_rec_head.flags */
enum {
	TT_REC_OWNED = 1u << 0, /* owner holds a PID (else an owner key, or 0) */
	TT_REC_DUPLICATE = 1u << 1, /* another record stands for this socket */
};

struct tt_rec_head {
	uint32_t owner; /* owner key until TT_REC_OWNED, then the PID */
	uint8_t state; /* MIB_TCP_STATE_*; 0 for UDP */
	uint8_t flags; /* TT_REC_* */
	uint16_t lport; /* host order */
	uint32_t cookie_lo, cookie_hi;
};

struct tt_rec4 {
	struct tt_rec_head h;
	uint32_t laddr; /* host order */
	uint32_t raddr;
	uint16_t rport; /* host order */
	uint16_t pad;
};

struct tt_rec6 {
	struct tt_rec_head h;
	uint8_t laddr[16]; /* network order: compared as a big-endian number */
	uint8_t raddr[16];
	uint32_t lscope;
	uint32_t rscope;
	uint16_t rport; /* host order */
	uint16_t pad;
};

/* The identity key of an owning process (see tt_owner_process_key). */
struct tt_proc_key {
	uint32_t pid;
	uint64_t key;
};

/* Records per chunk: a power of two, so that record i is found by shifts. */
#define TT_CHUNK_SHIFT 8
#define TT_CHUNK_RECS ((size_t)1 << TT_CHUNK_SHIFT)

struct rec_ops;
struct tt_owner_prefetch;

/* The records of one call. */
struct tt_snapshot {
	unsigned proto; /* TT_PROTO_* */
	unsigned table; /* TT_TABLE_V4 or TT_TABLE_V6 */
	const struct rec_ops *ops;
	size_t rec_size;
	size_t n; /* records collected */
	size_t rows; /* records that are rows: n minus TT_REC_DUPLICATE ones */
	unsigned char **chunks; /* record i in chunks[i >> TT_CHUNK_SHIFT] */
	size_t chunk_cap; /* entries of the chunks array */
	struct tt_proc_key *keys; /* owners' process keys, ascending PID */
	size_t nkeys;
};

static inline struct tt_rec_head *tt_snapshot_head(const struct tt_snapshot *s, size_t i)
{
	return (struct tt_rec_head *)(void *)(s->chunks[i >> TT_CHUNK_SHIFT] +
					      (i & (TT_CHUNK_RECS - 1)) * s->rec_size);
}

/* Runs the backend for req: every chunk sorted, duplicates marked, rows
 * counted.  Returns 0 or a negative errno. */
int tt_snapshot_take(struct tt_snapshot *s, const struct tt_request *req);
/* Calls fn for every row (duplicates skipped) in the order of SPEC §6.
 * Returns 0 or -ENOMEM. */
int tt_snapshot_each(const struct tt_snapshot *s, void (*fn)(const void *rec, void *arg),
		     void *arg);
/* Fills the owner of every row through the backend's owner scan, and with
 * want_keys the owners' process keys too. */
int tt_snapshot_resolve_owners(struct tt_snapshot *s, bool want_keys,
			       struct tt_owner_prefetch *pre);
/* The process key recorded for pid, 0 if none. */
uint64_t tt_snapshot_process_key(const struct tt_snapshot *s, uint32_t pid);
void tt_snapshot_free(struct tt_snapshot *s);

#ifdef TT_TESTING
/* Test builds only: record comparisons made by this thread's calls (sort,
 * merge and duplicate removal).  The tests bound a call's work with it, as
 * they may not time it.  Set it to 0 before the call. */
extern _Thread_local unsigned long tt_snapshot_compares;
#endif

#endif /* TT_RECORDS_H */
