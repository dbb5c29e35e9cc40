/*
 * bpf_owners.h - owners from the BPF task-file iterator (SPEC §12), the
 * other source of the owner query next to the /proc scan (proc_owners.c).
 * Built only with the meson option bpf_owners (TT_BPF_OWNERS); without it
 * the iterator is never available and the /proc scan always runs.
 */
#ifndef TT_BPF_OWNERS_H
#define TT_BPF_OWNERS_H

#include <stdbool.h>
#include <stddef.h>

struct tt_owner_query;
struct tt_owner_prefetch;

#ifdef TT_BPF_OWNERS
/* Answers q from the iterator.  Returns 0 when it did, -ENOMEM when memory
 * ran out, and 1 when it could not (not loaded, not permitted, forced off by
 * TCPTABLE_OWNERS=proc, /proc of another pid namespace: q untouched; failed
 * midway: q holds the lowest holders found so far): the caller then runs
 * the /proc scan for the owners still missing.  Uses q's head start, if
 * it has one. */
int tt_bpf_owners(struct tt_owner_query *q);
/* The head start of tt_backend_owners_prefetch(): when the program is
 * loaded (or TCPTABLE_OWNERS=bpf loads it now) and the process may run on
 * two CPUs, a helper thread reads the iterator while the caller dumps. */
int tt_bpf_owners_prefetch(unsigned proto, unsigned table, bool want_keys, size_t rows,
			   struct tt_owner_prefetch **out);
void tt_bpf_owners_drop(struct tt_owner_prefetch *pre);
#ifdef TT_TESTING
/* Queries the iterator answered since the process started, those of them
 * answered from a head start, and whether it loaded (-1 not tried yet, 0
 * refused, 1 loaded): tests tell the paths apart with these. */
unsigned long tt_bpf_owners_answered(void);
unsigned long tt_bpf_owners_prefetched(void);
/* Head starts whose thread stopped at its bound, the caller reading on. */
unsigned long tt_bpf_owners_continued(void);
/* The words the last head start used kept. */
size_t tt_bpf_owners_last_kept(void);
/* Helper threads started; second walks after a head start (a row still
 * waited). */
unsigned long tt_bpf_owners_helpers(void);
unsigned long tt_bpf_owners_second_walks(void);
/* Test knob: a head start's helper finishes its walk before the call's
 * dump begins (the prefetch joins it at once). */
void tt_bpf_owners_test_sync(bool on);
int tt_bpf_owners_loaded(void);
/* Test knobs: no head start at all (false by default), and the words a
 * head start may keep ((size_t)-1, the default: as the rows given allow). */
void tt_bpf_owners_test_knobs(bool no_prefetch, size_t cap_words);
#endif
#else
static inline int tt_bpf_owners(struct tt_owner_query *q)
{
	(void)q;
	return 1;
}

static inline int tt_bpf_owners_prefetch(unsigned proto, unsigned table, bool want_keys,
					 size_t rows, struct tt_owner_prefetch **out)
{
	(void)proto;
	(void)table;
	(void)want_keys;
	(void)rows;
	*out = NULL;
	return 0;
}

static inline void tt_bpf_owners_drop(struct tt_owner_prefetch *pre)
{
	(void)pre;
}
#endif

#endif /* TT_BPF_OWNERS_H */
