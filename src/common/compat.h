/*
 * compat.h - the small portability layer of the library's own sources: the
 * only place where compiler-specific spellings appear.
 */
#ifndef TT_COMPAT_H
#define TT_COMPAT_H

#if defined(__GNUC__) || defined(__clang__)
#define TT_LIKELY(x) __builtin_expect(!!(x), 1)
#define TT_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define TT_UNUSED __attribute__((unused))
#define TT_HIDDEN __attribute__((visibility("hidden")))
#else
#define TT_LIKELY(x) (x)
#define TT_UNLIKELY(x) (x)
#define TT_UNUSED
#define TT_HIDDEN
#endif

/* Entry points of the Windows API: exported from the shared library. */
#define TT_API IPHLPAPI_DLL_LINKAGE

#endif /* TT_COMPAT_H */
