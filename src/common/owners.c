/*
 * owners.c - the owner query: an index from owner key (the socket inode on
 * Linux) to the snapshot row that waits for its PID, which the backend's
 * owner scan fills through tt_owner_claim(), and the owning processes'
 * identity keys it records through tt_owner_process_key().
 */
#include <errno.h>
#include <stdlib.h>

#include "backend.h"
#include "records.h"
#include "seam.h"
#include "sort.h"

#define KEY_LESS(a, b) ((a)->pid < (b)->pid || ((a)->pid == (b)->pid && (a)->key < (b)->key))
TT_SORT_DEFINE(sort_keys, struct tt_proc_key, KEY_LESS)

struct tt_owner_query {
	struct tt_snapshot *snap;
	uint32_t *slots; /* row index + 1; 0 is an empty slot */
	unsigned bits;
	size_t pending;
	bool want_keys;
	size_t keys_cap;
	struct tt_owner_prefetch *pre;
};

static size_t slot_of(const struct tt_owner_query *q, uint32_t key)
{
	return (uint32_t)(key * 2654435761u) >> (32 - q->bits);
}

static bool waiting(const struct tt_rec_head *h)
{
	return !(h->flags & (TT_REC_OWNED | TT_REC_DUPLICATE)) && h->owner != 0;
}

size_t tt_owner_pending(const struct tt_owner_query *q)
{
	return q->pending;
}

bool tt_owner_claim(struct tt_owner_query *q, uint32_t key, uint32_t pid)
{
	size_t mask = ((size_t)1 << q->bits) - 1;
	for (size_t i = slot_of(q, key); q->slots[i]; i = (i + 1) & mask) {
		struct tt_rec_head *h = tt_snapshot_head(q->snap, q->slots[i] - 1);
		/* A row already claimed holds a PID, not a key: skip it. */
		if (waiting(h) && h->owner == key) {
			h->owner = pid;
			h->flags |= TT_REC_OWNED;
			q->pending--;
			return true;
		}
	}
	return false;
}

unsigned tt_owner_proto(const struct tt_owner_query *q)
{
	return q->snap->proto;
}

unsigned tt_owner_table(const struct tt_owner_query *q)
{
	return q->snap->table;
}

struct tt_owner_prefetch *tt_owner_prefetched(const struct tt_owner_query *q)
{
	return q->pre;
}

bool tt_owner_wants_process_keys(const struct tt_owner_query *q)
{
	return q->want_keys;
}

int tt_owner_process_key(struct tt_owner_query *q, uint32_t pid, uint64_t key)
{
	struct tt_snapshot *s = q->snap;
	if (s->nkeys == q->keys_cap) {
		size_t cap = q->keys_cap ? 2 * q->keys_cap : 16;
		struct tt_proc_key *k = tt_reallocarray(s->keys, cap, sizeof(*k));
		if (!k)
			return -ENOMEM;
		s->keys = k;
		q->keys_cap = cap;
	}
	s->keys[s->nkeys++] = (struct tt_proc_key){ pid, key };
	return 0;
}

uint64_t tt_snapshot_process_key(const struct tt_snapshot *s, uint32_t pid)
{
	/* Sorted by PID once the scan is over. */
	size_t lo = 0, hi = s->nkeys;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->keys[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nkeys && s->keys[lo].pid == pid ? s->keys[lo].key : 0;
}

int tt_snapshot_resolve_owners(struct tt_snapshot *s, bool want_keys,
			       struct tt_owner_prefetch *pre)
{
	size_t want = 0;
	for (size_t i = 0; i < s->n; i++)
		want += waiting(tt_snapshot_head(s, i));
	if (want == 0)
		return 0;

	struct tt_owner_query q = {
		.snap = s, .bits = 1, .pending = want, .want_keys = want_keys, .pre = pre
	};
	/* At most half full, so probe chains stay short. */
	while (((size_t)1 << q.bits) < 2 * want)
		q.bits++;
	q.slots = tt_calloc((size_t)1 << q.bits, sizeof(*q.slots));
	if (!q.slots)
		return -ENOMEM;
	size_t mask = ((size_t)1 << q.bits) - 1;
	for (size_t i = 0; i < s->n; i++) {
		struct tt_rec_head *h = tt_snapshot_head(s, i);
		if (!waiting(h))
			continue;
		size_t at = slot_of(&q, h->owner);
		while (q.slots[at])
			at = (at + 1) & mask;
		q.slots[at] = (uint32_t)(i + 1);
	}
	int err = tt_backend_owners(&q);
	free(q.slots);
	/* Scans record keys in PID order, but a scan that finishes another's
	 * work (the /proc scan after a failed iterator, a second pass over
	 * the iterator) starts over from the lowest PID: one PID, one key. */
	sort_keys(s->keys, s->nkeys);
	size_t kept = 0;
	for (size_t i = 0; i < s->nkeys; i++)
		if (kept == 0 || s->keys[i].pid != s->keys[kept - 1].pid)
			s->keys[kept++] = s->keys[i];
	s->nkeys = kept;
	return err;
}
