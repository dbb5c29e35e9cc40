/*
 * snapshot.c - collects the backend's connections into compact records,
 * removes duplicates and sorts them: everything between "the kernel said"
 * and "write the Windows rows".  No OS calls here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "tcpmib.h"

#include "backend.h"
#include "compat.h"
#include "seam.h"
#include "records.h"
#include "sort.h"

#ifdef TT_TESTING
_Thread_local unsigned long tt_snapshot_compares;
#define COUNT_COMPARE() (tt_snapshot_compares++)
#else
#define COUNT_COMPARE() ((void)0)
#endif

/* ---- Per-family record operations. */

static void put_head(struct tt_rec_head *h, const struct tt_conn *c)
{
	h->state = c->state;
	h->lport = ntohs(c->lport);
	h->cookie_lo = (uint32_t)c->cookie;
	h->cookie_hi = (uint32_t)(c->cookie >> 32);
	if (c->flags & TT_CONN_PID_KNOWN) {
		h->owner = c->pid;
		h->flags = TT_REC_OWNED;
	} else {
		h->owner = c->owner_key;
		h->flags = 0;
	}
}

static uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The IPv4 form of an address: a plain IPv4 socket's address, the address
 * inside ::ffff:a.b.c.d, or 0.0.0.0 for the unspecified address of a
 * dual-stack listener. */
static uint32_t v4_of(const struct tt_conn *c, const uint8_t a[16])
{
	if (c->family == AF_INET)
		return load_be32(a);
	return tt_addr6_is_v4mapped(a) ? load_be32(a + 12) : 0;
}

/* peer: the record keeps the remote end.  TCP listeners have none, and UDP
 * rows show none (SPEC §10), so that all UDP sockets on one local endpoint
 * form one run, ordered by cookie. */
static void rec4_from_conn(void *rec, const struct tt_conn *c, bool peer)
{
	struct tt_rec4 *r = rec;
	put_head(&r->h, c);
	r->laddr = v4_of(c, c->laddr);
	r->raddr = peer ? v4_of(c, c->raddr) : 0;
	r->rport = peer ? ntohs(c->rport) : 0;
	r->pad = 0;
}

static void rec6_from_conn(void *rec, const struct tt_conn *c, bool peer)
{
	struct tt_rec6 *r = rec;
	put_head(&r->h, c);
	memcpy(r->laddr, c->laddr, 16);
	r->lscope = c->lscope;
	if (!peer) {
		memset(r->raddr, 0, 16);
		r->rscope = 0;
		r->rport = 0;
	} else {
		memcpy(r->raddr, c->raddr, 16);
		r->rscope = c->rscope;
		r->rport = ntohs(c->rport);
	}
	r->pad = 0;
}

static uint64_t cookie_of(const struct tt_rec_head *h)
{
	return (uint64_t)h->cookie_hi << 32 | h->cookie_lo;
}

/* Tie order for rows with the same addresses and ports (e.g. SO_REUSEPORT
 * listeners): state, then socket cookie, i.e. creation order. */
static int cmp_tail(const struct tt_rec_head *a, const struct tt_rec_head *b)
{
	if (a->state != b->state)
		return a->state < b->state ? -1 : 1;
	uint64_t ca = cookie_of(a), cb = cookie_of(b);
	return ca < cb ? -1 : ca > cb;
}

#define CMP(a, b)                                 \
	do {                                      \
		if ((a) != (b))                   \
			return (a) < (b) ? -1 : 1; \
	} while (0)

static int cmp_tuple4(const struct tt_rec4 *a, const struct tt_rec4 *b)
{
	COUNT_COMPARE();
	CMP(a->laddr, b->laddr);
	CMP(a->h.lport, b->h.lport);
	CMP(a->raddr, b->raddr);
	CMP(a->rport, b->rport);
	return 0;
}

static int cmp_addr6(const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, 16);
}

static int cmp_tuple6(const struct tt_rec6 *a, const struct tt_rec6 *b)
{
	COUNT_COMPARE();
	int d = cmp_addr6(a->laddr, b->laddr);
	if (d)
		return d;
	CMP(a->lscope, b->lscope);
	CMP(a->h.lport, b->h.lport);
	d = cmp_addr6(a->raddr, b->raddr);
	if (d)
		return d;
	CMP(a->rscope, b->rscope);
	CMP(a->rport, b->rport);
	return 0;
}

static inline bool less4(const struct tt_rec4 *a, const struct tt_rec4 *b)
{
	int d = cmp_tuple4(a, b);
	return (d ? d : cmp_tail(&a->h, &b->h)) < 0;
}

static inline bool less6(const struct tt_rec6 *a, const struct tt_rec6 *b)
{
	int d = cmp_tuple6(a, b);
	return (d ? d : cmp_tail(&a->h, &b->h)) < 0;
}

TT_SORT_DEFINE(sort4, struct tt_rec4, less4)
TT_SORT_DEFINE(sort6, struct tt_rec6, less6)
TT_MERGE_DEFINE(merge4, struct tt_rec4, less4)
TT_MERGE_DEFINE(merge6, struct tt_rec6, less6)

static void sort4_any(void *recs, size_t n)
{
	sort4(recs, n);
}

static void sort6_any(void *recs, size_t n)
{
	sort6(recs, n);
}

static bool same_tuple4(const void *a, const void *b)
{
	return cmp_tuple4(a, b) == 0;
}

static bool same_tuple6(const void *a, const void *b)
{
	return cmp_tuple6(a, b) == 0;
}

static bool has_peer4(const void *rec)
{
	const struct tt_rec4 *r = rec;
	return r->raddr != 0 || r->rport != 0;
}

static bool has_peer6(const void *rec)
{
	const struct tt_rec6 *r = rec;
	return r->rport != 0 || !tt_addr6_is_unspecified(r->raddr);
}

typedef void merge_fn(void *const *runs, const size_t *lens, size_t k,
		      bool (*visit)(void *rec, void *arg), void *arg,
		      struct tt_merge_cursor *heap);

struct rec_ops {
	size_t size;
	void (*from_conn)(void *rec, const struct tt_conn *c, bool peer);
	void (*sort)(void *recs, size_t n);
	merge_fn *merge; /* sorted runs, merged in the order of SPEC §6 */
	bool (*same_tuple)(const void *a, const void *b);
	bool (*has_peer)(const void *rec);
};

static const struct rec_ops ops4 = {
	sizeof(struct tt_rec4), rec4_from_conn, sort4_any, merge4, same_tuple4, has_peer4,
};
static const struct rec_ops ops6 = {
	sizeof(struct tt_rec6), rec6_from_conn, sort6_any, merge6, same_tuple6, has_peer6,
};

/* ---- The collector: records appended to fixed chunks of the snapshot, so
 * growing never copies them. */

struct tt_collector {
	struct tt_snapshot *snap;
	unsigned states;
};

/* Which tables a connection belongs to (SPEC §5, §10): IPv4 sockets and IPv6
 * sockets on a v4-mapped local address are IPv4 rows; a dual-stack socket
 * (TCP listener or UDP socket on [::]) is a row of both tables. */
static unsigned conn_tables(const struct tt_conn *c)
{
	if (c->family == AF_INET)
		return TT_TABLE_V4;
	if (c->family != AF_INET6)
		return 0;
	if (tt_addr6_is_v4mapped(c->laddr))
		return TT_TABLE_V4;
	if (c->flags & TT_CONN_DUALSTACK)
		return TT_TABLE_V4 | TT_TABLE_V6;
	return TT_TABLE_V6;
}

static size_t chunks_for(size_t n)
{
	return (n + TT_CHUNK_RECS - 1) >> TT_CHUNK_SHIFT;
}

int tt_collector_add(struct tt_collector *col, const struct tt_conn *c)
{
	struct tt_snapshot *s = col->snap;
	if (!(conn_tables(c) & s->table))
		return 0;
	/* UDP has no listeners: every UDP row is in every UDP table. */
	bool listen = s->proto == TT_PROTO_TCP && c->state == MIB_TCP_STATE_LISTEN;
	unsigned cls = listen ? TT_STATES_LISTEN : TT_STATES_CONNECTIONS;
	if (s->proto == TT_PROTO_TCP && !(cls & col->states))
		return 0;

	if ((s->n & (TT_CHUNK_RECS - 1)) == 0) {
		size_t c_idx = s->n >> TT_CHUNK_SHIFT;
		if (c_idx == s->chunk_cap) {
			size_t cap = s->chunk_cap ? 2 * s->chunk_cap : 8;
			unsigned char **v = tt_reallocarray(s->chunks, cap, sizeof(*v));
			if (!v)
				return -ENOMEM;
			s->chunks = v;
			s->chunk_cap = cap;
		}
		s->chunks[c_idx] = tt_mallocarray(TT_CHUNK_RECS, s->rec_size);
		if (!s->chunks[c_idx])
			return -ENOMEM;
	}
	struct tt_rec_head *h = tt_snapshot_head(s, s->n);
	s->ops->from_conn(h, c, s->proto == TT_PROTO_TCP && !listen);
	if (s->proto != TT_PROTO_TCP)
		h->state = 0; /* UDP rows have no state; ties go by cookie */
	s->n++;
	return 0;
}

size_t tt_collector_mark(const struct tt_collector *col)
{
	return col->snap->n;
}

void tt_collector_rewind(struct tt_collector *col, size_t mark)
{
	struct tt_snapshot *s = col->snap;
	if (mark >= s->n)
		return;
	for (size_t c = chunks_for(mark); c < chunks_for(s->n); c++)
		free(s->chunks[c]);
	s->n = mark;
}

/* ---- Sorted order: each chunk is sorted in place and the chunks are
 * merged; equal records come out in the order they were collected. */

static size_t chunk_len(const struct tt_snapshot *s, size_t c)
{
	return (c + 1) * TT_CHUNK_RECS <= s->n ? TT_CHUNK_RECS : s->n - c * TT_CHUNK_RECS;
}

/* Calls visit for every record in order; visit returns false to stop.  The
 * records are the snapshot's own, so visit may mark them. */
static int merge_walk(const struct tt_snapshot *s, bool (*visit)(void *rec, void *arg), void *arg)
{
	size_t k = chunks_for(s->n);
	if (k == 0)
		return 0;
	struct tt_merge_cursor *heap =
		tt_mallocarray(k, sizeof(*heap) + sizeof(size_t));
	if (!heap)
		return -ENOMEM;
	size_t *lens = (size_t *)(void *)(heap + k);
	for (size_t c = 0; c < k; c++)
		lens[c] = chunk_len(s, c);
	s->ops->merge((void *const *)s->chunks, lens, k, visit, arg, heap);
	free(heap);
	return 0;
}

struct each_arg {
	void (*fn)(const void *rec, void *arg);
	void *arg;
};

static bool each_row(void *rec, void *arg)
{
	const struct each_arg *e = arg;
	if (!(((const struct tt_rec_head *)rec)->flags & TT_REC_DUPLICATE))
		e->fn(rec, e->arg);
	return true;
}

int tt_snapshot_each(const struct tt_snapshot *s, void (*fn)(const void *rec, void *arg),
		     void *arg)
{
	struct each_arg e = { fn, arg };
	return merge_walk(s, each_row, &e);
}

/* ---- Duplicates.  A dump that races with changes to the socket tables can
 * report a socket twice (same cookie, possibly in a later state).  It can
 * also catch a connection's 4-tuple held first by one socket and then by its
 * successor: a request socket and the full socket it became, or a TIME_WAIT
 * socket and the new connection that reused its ports.  The kernel never
 * holds two such sockets at once, so the request or TIME_WAIT one is stale.
 * All of these come out of the merge next to each other, in a run of
 * records with the same addresses and ports. */

static bool yields_tuple(const struct tt_rec_head *h)
{
	if (h->state == MIB_TCP_STATE_TIME_WAIT)
		return true;
	/* A request socket: SYN_RCVD without an inode (and so without owner). */
	return h->state == MIB_TCP_STATE_SYN_RCVD && !(h->flags & TT_REC_OWNED) && h->owner == 0;
}

/* Whether run[lo..hi), sorted by cookie, holds cookie. */
static bool has_cookie(void *const *run, size_t lo, size_t hi, uint64_t cookie)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t c = cookie_of(run[mid]);
		COUNT_COMPARE();
		if (c == cookie)
			return true;
		if (c < cookie)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Marks the duplicates of one run; returns how many it marked. */
static size_t dedupe_run(const struct rec_ops *ops, void *const *run, size_t n)
{
	size_t marked = 0;
	/* First repeated sockets: the first report of a cookie stays, i.e. a
	 * record is a duplicate when an earlier one has its cookie.  The run
	 * comes in sort order, by state and then cookie, so it is a series of
	 * groups (one per state) each sorted by cookie: an earlier report in
	 * the same state is the record just before, one in an earlier state is
	 * found by binary search in that state's group.  A run of n sockets in
	 * one state (SO_REUSEPORT listeners) costs n compares, not n * n / 2. */
	size_t group[UINT8_MAX + 1]; /* where each group starts; at most one per state */
	size_t ngroups = 0;
	for (size_t i = 0; i < n; i++) {
		struct tt_rec_head *h = run[i];
		const struct tt_rec_head *prev = i ? run[i - 1] : NULL;
		uint64_t cookie = cookie_of(h);
		bool dup = false;
		if (prev && prev->state == h->state) {
			COUNT_COMPARE();
			dup = cookie_of(prev) == cookie;
		} else {
			group[ngroups++] = i;
		}
		for (size_t g = 0; !dup && g + 1 < ngroups; g++)
			dup = has_cookie(run, group[g], group[g + 1], cookie);
		if (dup) {
			h->flags |= TT_REC_DUPLICATE;
			marked++;
		}
	}
	if (n - marked < 2 || !ops->has_peer(run[0]))
		return marked;
	/* Then, for a connection, successors win over stale predecessors;
	 * if all are stale, the first stays. */
	size_t live = 0;
	for (size_t i = 0; i < n; i++) {
		const struct tt_rec_head *h = run[i];
		live += !(h->flags & TT_REC_DUPLICATE) && !yields_tuple(h);
	}
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		struct tt_rec_head *h = run[i];
		if (h->flags & TT_REC_DUPLICATE)
			continue;
		if (live ? yields_tuple(h) : !first) {
			h->flags |= TT_REC_DUPLICATE;
			marked++;
		}
		first = false;
	}
	return marked;
}

struct dedupe {
	const struct rec_ops *ops;
	void **run; /* the records of the current run */
	size_t len, cap;
	size_t marked;
	int err;
};

static void flush_run(struct dedupe *d)
{
	if (d->len > 1)
		d->marked += dedupe_run(d->ops, d->run, d->len);
	d->len = 0;
}

static bool dedupe_visit(void *rec, void *arg)
{
	struct dedupe *d = arg;
	if (d->len && !d->ops->same_tuple(d->run[0], rec))
		flush_run(d);
	if (d->len == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 16;
		void **r = tt_reallocarray(d->run, cap, sizeof(void *));
		if (!r) {
			d->err = -ENOMEM;
			return false;
		}
		d->run = r;
		d->cap = cap;
	}
	d->run[d->len++] = rec;
	return true;
}

static int dedupe(struct tt_snapshot *s)
{
	struct dedupe d = { .ops = s->ops };
	int err = merge_walk(s, dedupe_visit, &d);
	if (!err)
		err = d.err;
	if (!err)
		flush_run(&d);
	free(d.run);
	s->rows = s->n - d.marked;
	return err;
}

int tt_snapshot_take(struct tt_snapshot *s, const struct tt_request *req)
{
	memset(s, 0, sizeof(*s));
	s->proto = req->proto;
	s->table = req->table;
	s->ops = req->table == TT_TABLE_V4 ? &ops4 : &ops6;
	s->rec_size = s->ops->size;
	struct tt_collector col = { s, req->states };

	int err = tt_backend_collect(req, &col);
	if (!err) {
		for (size_t c = 0; c < chunks_for(s->n); c++)
			s->ops->sort(s->chunks[c], chunk_len(s, c));
		err = dedupe(s);
	}
	if (err)
		tt_snapshot_free(s);
	return err;
}

void tt_snapshot_free(struct tt_snapshot *s)
{
	for (size_t c = 0; c < chunks_for(s->n); c++)
		free(s->chunks[c]);
	free(s->chunks);
	free(s->keys);
	s->chunks = NULL;
	s->keys = NULL;
	s->n = s->rows = s->nkeys = s->chunk_cap = 0;
}
