/*
 * sort.h - an in-place introsort template for arrays of small records.
 *
 * The library sorts every table it returns (SPEC §6), so the sort runs on
 * every call.  It must not allocate (glibc's qsort copies the whole array
 * into a temporary buffer), and an inlined comparison is several times
 * faster than qsort's function-pointer calls.
 *
 * TT_SORT_DEFINE(name, T, LESS) defines `static void name(T *a, size_t n)`
 * where LESS(x, y) is an expression over two `const T *` that is true when
 * x sorts before y.
 */
#ifndef TT_SORT_H
#define TT_SORT_H

#include <stdbool.h>
#include <stddef.h>

#define TT_SORT_SMALL 16

/* T is a type in these templates, which cannot be put in parentheses. */
/* NOLINTBEGIN(bugprone-macro-parentheses) */

#define TT_SORT_DEFINE(name, T, LESS)                                                  \
	static void name##_insertion(T *a, size_t n)                                   \
	{                                                                              \
		for (size_t i = 1; i < n; i++) {                                       \
			T v = a[i];                                                    \
			size_t j = i;                                                  \
			while (j > 0 && LESS(&v, &a[j - 1])) {                         \
				a[j] = a[j - 1];                                       \
				j--;                                                   \
			}                                                              \
			a[j] = v;                                                      \
		}                                                                      \
	}                                                                              \
                                                                                       \
	static void name##_sift(T *a, size_t root, size_t n)                           \
	{                                                                              \
		T v = a[root];                                                         \
		for (;;) {                                                             \
			size_t child = 2 * root + 1;                                   \
			if (child >= n)                                                \
				break;                                                 \
			if (child + 1 < n && LESS(&a[child], &a[child + 1]))           \
				child++;                                               \
			if (!LESS(&v, &a[child]))                                      \
				break;                                                 \
			a[root] = a[child];                                            \
			root = child;                                                  \
		}                                                                      \
		a[root] = v;                                                           \
	}                                                                              \
                                                                                       \
	static void name##_heap(T *a, size_t n)                                        \
	{                                                                              \
		for (size_t i = n / 2; i-- > 0;)                                       \
			name##_sift(a, i, n);                                          \
		for (size_t end = n; end-- > 1;) {                                     \
			T t = a[0];                                                    \
			a[0] = a[end];                                                 \
			a[end] = t;                                                    \
			name##_sift(a, 0, end);                                        \
		}                                                                      \
	}                                                                              \
                                                                                       \
	/* Median of three moved to a[0]; it then serves as the pivot. */             \
	static void name##_pivot(T *a, size_t n)                                       \
	{                                                                              \
		size_t m = n / 2, l = n - 1, p;                                        \
		if (LESS(&a[0], &a[m]))                                                \
			p = LESS(&a[m], &a[l]) ? m : (LESS(&a[0], &a[l]) ? l : 0);     \
		else                                                                   \
			p = LESS(&a[0], &a[l]) ? 0 : (LESS(&a[m], &a[l]) ? l : m);     \
		T t = a[0];                                                            \
		a[0] = a[p];                                                           \
		a[p] = t;                                                              \
	}                                                                              \
                                                                                       \
	static void name##_intro(T *a, size_t n, unsigned depth)                       \
	{                                                                              \
		while (n > TT_SORT_SMALL) {                                            \
			if (depth-- == 0) {                                            \
				name##_heap(a, n);                                     \
				return;                                                \
			}                                                              \
			name##_pivot(a, n);                                            \
			/* Hoare partition around a[0]. */                             \
			size_t i = 0, j = n;                                           \
			for (;;) {                                                     \
				do                                                     \
					i++;                                           \
				while (i < n && LESS(&a[i], &a[0]));                   \
				do                                                     \
					j--;                                           \
				while (LESS(&a[0], &a[j]));                            \
				if (i >= j)                                            \
					break;                                         \
				T t = a[i];                                            \
				a[i] = a[j];                                           \
				a[j] = t;                                              \
			}                                                              \
			T t = a[0];                                                    \
			a[0] = a[j];                                                   \
			a[j] = t;                                                      \
			/* Recurse into the smaller side, loop on the larger. */       \
			if (j < n - j - 1) {                                           \
				name##_intro(a, j, depth);                             \
				a += j + 1;                                            \
				n -= j + 1;                                            \
			} else {                                                       \
				name##_intro(a + j + 1, n - j - 1, depth);             \
				n = j;                                                 \
			}                                                              \
		}                                                                      \
		name##_insertion(a, n);                                                \
	}                                                                              \
                                                                                       \
	static void name(T *a, size_t n)                                               \
	{                                                                              \
		unsigned depth = 0;                                                    \
		for (size_t m = n; m > 1; m >>= 1)                                     \
			depth += 2;                                                    \
		name##_intro(a, n, depth);                                             \
	}


/*
 * TT_MERGE_DEFINE(name, T, LESS) defines
 *   static void name(void *const *runs, const size_t *lens, size_t k,
 *                    bool (*visit)(void *rec, void *arg), void *arg,
 *                    struct tt_merge_cursor *heap)
 * which calls visit for every element of the k sorted runs in merged order
 * (equal elements in run order) until visit returns false.  heap has room
 * for k cursors.  The heap is replaced at the top bottom-up: the hole goes
 * down along the smaller children, then the new element rises, so each
 * step costs about log2(k) comparisons.
 */
struct tt_merge_cursor {
	void *at, *end;
	size_t run;
};

#define TT_MERGE_DEFINE(name, T, LESS)                                                 \
	static bool name##_before(const struct tt_merge_cursor *a,                     \
				  const struct tt_merge_cursor *b)                     \
	{                                                                              \
		const T *x = a->at, *y = b->at;                                        \
		if (LESS(x, y))                                                        \
			return true;                                                   \
		return !LESS(y, x) && a->run < b->run;                                 \
	}                                                                              \
                                                                                       \
	static void name##_down(struct tt_merge_cursor *h, size_t n, size_t i)          \
	{                                                                              \
		struct tt_merge_cursor v = h[i];                                       \
		for (;;) {                                                             \
			size_t c = 2 * i + 1;                                          \
			if (c >= n)                                                    \
				break;                                                 \
			if (c + 1 < n && name##_before(&h[c + 1], &h[c]))              \
				c++;                                                   \
			if (!name##_before(&h[c], &v))                                 \
				break;                                                 \
			h[i] = h[c];                                                   \
			i = c;                                                         \
		}                                                                      \
		h[i] = v;                                                              \
	}                                                                              \
                                                                                       \
	/* Replaces the top: the hole sinks to a leaf, the new top rises. */          \
	static void name##_replace(struct tt_merge_cursor *h, size_t n)                \
	{                                                                              \
		struct tt_merge_cursor v = h[0];                                       \
		size_t i = 0;                                                          \
		for (;;) {                                                             \
			size_t c = 2 * i + 1;                                          \
			if (c >= n)                                                    \
				break;                                                 \
			if (c + 1 < n && name##_before(&h[c + 1], &h[c]))              \
				c++;                                                   \
			h[i] = h[c];                                                   \
			i = c;                                                         \
		}                                                                      \
		while (i > 0 && name##_before(&v, &h[(i - 1) / 2])) {                  \
			h[i] = h[(i - 1) / 2];                                         \
			i = (i - 1) / 2;                                               \
		}                                                                      \
		h[i] = v;                                                              \
	}                                                                              \
                                                                                       \
	static void name(void *const *runs, const size_t *lens, size_t k,              \
			 bool (*visit)(void *rec, void *arg), void *arg,               \
			 struct tt_merge_cursor *h)                                    \
	{                                                                              \
		size_t n = 0;                                                          \
		for (size_t r = 0; r < k; r++)                                         \
			if (lens[r])                                                   \
				h[n++] = (struct tt_merge_cursor){                     \
					runs[r], (T *)runs[r] + lens[r], r };          \
		for (size_t i = n / 2; i-- > 0;)                                       \
			name##_down(h, n, i);                                          \
		while (n > 0) {                                                        \
			T *top = h[0].at;                                              \
			if (!visit(top, arg))                                          \
				return;                                                \
			h[0].at = top + 1;                                             \
			if (h[0].at == h[0].end) {                                     \
				h[0] = h[--n];                                         \
				name##_down(h, n, 0);                                  \
			} else {                                                       \
				name##_replace(h, n);                                  \
			}                                                              \
		}                                                                      \
	}

/* NOLINTEND(bugprone-macro-parentheses) */

#endif /* TT_SORT_H */
