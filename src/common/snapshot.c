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

static void rec4_from_conn(void *rec, const struct tt_conn *c)
{
	struct tt_rec4 *r = rec;
	put_head(&r->h, c);
	r->laddr = v4_of(c, c->laddr);
	r->raddr = c->state == MIB_TCP_STATE_LISTEN ? 0 : v4_of(c, c->raddr);
	r->rport = c->state == MIB_TCP_STATE_LISTEN ? 0 : ntohs(c->rport);
	r->pad = 0;
}

static void rec6_from_conn(void *rec, const struct tt_conn *c)
{
	struct tt_rec6 *r = rec;
	put_head(&r->h, c);
	memcpy(r->laddr, c->laddr, 16);
	r->lscope = c->lscope;
	if (c->state == MIB_TCP_STATE_LISTEN) {
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

struct rec_ops {
	size_t size;
	void (*from_conn)(void *rec, const struct tt_conn *c);
	void (*sort)(void *recs, size_t n);
	bool (*same_tuple)(const void *a, const void *b);
	bool (*has_peer)(const void *rec);
};

static const struct rec_ops ops4 = {
	sizeof(struct tt_rec4), rec4_from_conn, sort4_any, same_tuple4, has_peer4,
};
static const struct rec_ops ops6 = {
	sizeof(struct tt_rec6), rec6_from_conn, sort6_any, same_tuple6, has_peer6,
};

/* ---- The collector: records appended to a list of fixed-size chunks, so
 * growing never copies and never holds two copies of the data. */

#define CHUNK_BYTES (16u * 1024u)

struct tt_chunk {
	struct tt_chunk *next;
	size_t n;
	unsigned char data[];
};

struct tt_collector {
	const struct rec_ops *ops;
	unsigned table;
	unsigned states;
	size_t per_chunk;
	struct tt_chunk *first, *last;
	size_t n;
};

/* Which tables a connection belongs to (SPEC §5): IPv4 sockets and IPv6
 * sockets on a v4-mapped local address are IPv4 rows; a dual-stack listener
 * is a row of both tables. */
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

int tt_collector_add(struct tt_collector *col, const struct tt_conn *c)
{
	if (!(conn_tables(c) & col->table))
		return 0;
	unsigned cls = c->state == MIB_TCP_STATE_LISTEN ? TT_STATES_LISTEN : TT_STATES_CONNECTIONS;
	if (!(cls & col->states))
		return 0;

	struct tt_chunk *ch = col->last;
	if (!ch || ch->n == col->per_chunk) {
		ch = tt_malloc(sizeof(*ch) + col->per_chunk * col->ops->size);
		if (!ch)
			return -ENOMEM;
		ch->next = NULL;
		ch->n = 0;
		if (col->last)
			col->last->next = ch;
		else
			col->first = ch;
		col->last = ch;
	}
	col->ops->from_conn(ch->data + ch->n * col->ops->size, c);
	ch->n++;
	col->n++;
	return 0;
}

size_t tt_collector_mark(const struct tt_collector *col)
{
	return col->n;
}

static void free_chunks(struct tt_chunk *ch)
{
	while (ch) {
		struct tt_chunk *next = ch->next;
		free(ch);
		ch = next;
	}
}

void tt_collector_rewind(struct tt_collector *col, size_t mark)
{
	if (mark >= col->n)
		return;
	size_t seen = 0;
	struct tt_chunk *ch = col->first, *keep = NULL;
	while (ch && seen + ch->n <= mark) {
		seen += ch->n;
		keep = ch;
		ch = ch->next;
	}
	/* ch holds record `mark` (or is NULL); keep the part before it. */
	if (ch && mark > seen) {
		ch->n = mark - seen;
		keep = ch;
		ch = ch->next;
	}
	free_chunks(ch);
	if (keep) {
		keep->next = NULL;
	} else {
		col->first = NULL;
	}
	col->last = keep;
	col->n = mark;
}

/* Moves the chunks into one array of exactly n records, releasing each chunk
 * as soon as it is copied. */
static int collector_finish(struct tt_collector *col, struct tt_snapshot *s)
{
	size_t size = col->ops->size;
	s->n = col->n;
	s->rec_size = size;
	s->recs = NULL;
	if (col->n > 0) {
		s->recs = tt_mallocarray(col->n, size);
		if (!s->recs)
			return -ENOMEM;
	}
	size_t at = 0;
	struct tt_chunk *ch = col->first;
	while (ch) {
		struct tt_chunk *next = ch->next;
		memcpy(s->recs + at * size, ch->data, ch->n * size);
		at += ch->n;
		free(ch);
		ch = next;
	}
	col->first = col->last = NULL;
	col->n = 0;
	return 0;
}

/* ---- Duplicates.  A dump that races with changes to the socket tables can
 * report a socket twice (same cookie, possibly in a later state).  It can
 * also catch a connection's 4-tuple held first by one socket and then by its
 * successor: a request socket and the full socket it became, or a TIME_WAIT
 * socket and the new connection that reused its ports.  The kernel never
 * holds two such sockets at once, so the request or TIME_WAIT one is stale.
 * All of these sort next to each other, in a run of records with the same
 * addresses and ports. */

static bool yields_tuple(const struct tt_rec_head *h)
{
	if (h->state == MIB_TCP_STATE_TIME_WAIT)
		return true;
	/* A request socket: SYN_RCVD without an inode (and so without owner). */
	return h->state == MIB_TCP_STATE_SYN_RCVD && !(h->flags & TT_REC_OWNED) && h->owner == 0;
}

static size_t dedupe_run(const struct rec_ops *ops, unsigned char *run, size_t n)
{
	size_t size = ops->size, kept = 0;
	/* First drop repeated sockets: the first report of a cookie stays. */
	for (size_t i = 0; i < n; i++) {
		const struct tt_rec_head *h = (const void *)(run + i * size);
		bool seen = false;
		for (size_t k = 0; k < kept && !seen; k++)
			seen = cookie_of((const void *)(run + k * size)) == cookie_of(h);
		if (seen)
			continue;
		if (kept != i)
			memcpy(run + kept * size, run + i * size, size);
		kept++;
	}
	if (kept < 2 || !ops->has_peer(run))
		return kept;
	/* Then, for a connection, successors win over stale predecessors. */
	size_t live = 0;
	for (size_t i = 0; i < kept; i++)
		live += !yields_tuple((const void *)(run + i * size));
	if (live == 0)
		return 1;
	size_t out = 0;
	for (size_t i = 0; i < kept; i++) {
		if (yields_tuple((const void *)(run + i * size)))
			continue;
		if (out != i)
			memcpy(run + out * size, run + i * size, size);
		out++;
	}
	return out;
}

static void dedupe(const struct rec_ops *ops, struct tt_snapshot *s)
{
	size_t size = ops->size, out = 0, i = 0;
	while (i < s->n) {
		size_t j = i + 1;
		while (j < s->n && ops->same_tuple(s->recs + i * size, s->recs + j * size))
			j++;
		if (out != i)
			memmove(s->recs + out * size, s->recs + i * size, (j - i) * size);
		out += j - i > 1 ? dedupe_run(ops, s->recs + out * size, j - i) : 1;
		i = j;
	}
	s->n = out;
}

int tt_snapshot_take(struct tt_snapshot *s, const struct tt_request *req)
{
	const struct rec_ops *ops = req->table == TT_TABLE_V4 ? &ops4 : &ops6;
	struct tt_collector col = {
		.ops = ops,
		.table = req->table,
		.states = req->states,
		.per_chunk = (CHUNK_BYTES - sizeof(struct tt_chunk)) / ops->size,
	};
	memset(s, 0, sizeof(*s));
	s->table = req->table;

	int err = tt_backend_collect(req, &col);
	if (err == 0)
		err = collector_finish(&col, s);
	free_chunks(col.first);
	if (err) {
		tt_snapshot_free(s);
		return err;
	}
	ops->sort(s->recs, s->n);
	dedupe(ops, s);
	return 0;
}

void tt_snapshot_free(struct tt_snapshot *s)
{
	free(s->recs);
	free(s->keys);
	s->recs = NULL;
	s->keys = NULL;
	s->n = s->nkeys = 0;
}
