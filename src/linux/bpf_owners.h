/*
 * bpf_owners.h - owners from the BPF task-file iterator (SPEC §12), the
 * other source of the owner query next to the /proc scan (proc_owners.c).
 * Built only with the meson option bpf_owners (TT_BPF_OWNERS); without it
 * the iterator is never available and the /proc scan always runs.
 */
#ifndef TT_BPF_OWNERS_H
#define TT_BPF_OWNERS_H

struct tt_owner_query;

#ifdef TT_BPF_OWNERS
/* Answers q from the iterator.  Returns 0 when it did, -ENOMEM when memory
 * ran out, and 1 when it could not (not loaded, not permitted, forced off by
 * TCPTABLE_OWNERS=proc, /proc of another pid namespace: q untouched; failed
 * midway: q holds the lowest holders found so far): the caller then runs
 * the /proc scan for the owners still missing. */
int tt_bpf_owners(struct tt_owner_query *q);
#ifdef TT_TESTING
/* Queries the iterator answered since the process started, and whether it
 * loaded (-1 not tried yet, 0 refused, 1 loaded): tests tell the paths
 * apart with these. */
unsigned long tt_bpf_owners_answered(void);
int tt_bpf_owners_loaded(void);
#endif
#else
static inline int tt_bpf_owners(struct tt_owner_query *q)
{
	(void)q;
	return 1;
}
#endif

#endif /* TT_BPF_OWNERS_H */
