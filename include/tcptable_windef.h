/*
 * tcptable_windef.h - the Windows base types, calling-convention macros and
 * error codes that the IP Helper headers (iphlpapi.h, iprtrmib.h, tcpmib.h,
 * udpmib.h) are written against.
 *
 * On Windows these come from windef.h, winnt.h and winerror.h.  Here they are
 * defined with the Windows sizes: DWORD, ULONG and LONG are 32 bits (never
 * `long`, which is 64 bits on LP64 Linux/BSD), 64-bit integers are 8-byte
 * aligned inside structures on every target, and WCHAR is the platform's
 * wchar_t so that wprintf("%ls") and the wcs* functions work in ported code.
 *
 * Programs that already get the Windows base types from another
 * compatibility layer define TCPTABLE_HAVE_WINDEF before including any
 * tcptable header; the typedefs below are then skipped and only checked for
 * the sizes the structure layouts need.  The same happens automatically when
 * the Windows SDK, mingw-w64 or Wine's windef.h was included first.
 *
 * X11: <X11/Xmd.h> (pulled in by Xproto.h and many X extension headers)
 * defines BOOL as an unsigned char for the X wire structures.  When it was
 * included first, BOOL is left to X11; the functions still take Windows'
 * BOOL, an int (TCPTABLE_BOOL), so TRUE and FALSE pass unchanged.  To
 * include X11 headers after this one, wrap them as Wine does:
 *     #define BOOL X_BOOL
 *     #include <X11/Xmd.h>
 *     #undef BOOL
 * (docs/porting.md, "Programs that also use X11").
 */
#ifndef TCPTABLE_WINDEF_H
#define TCPTABLE_WINDEF_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

/* ---- Portability block: the only compiler-specific code in the public headers. */
#if defined(__GNUC__) || defined(__clang__)
/* Windows aligns 64-bit members to 8 bytes on every architecture; i386 and
 * some 32-bit ABIs align them to 4 unless asked. */
#define TCPTABLE_ALIGN8 __attribute__((aligned(8)))
/* Silences -pedantic for the one anonymous struct Windows' LARGE_INTEGER has
 * (anonymous structs are C11 but an extension in C++ and C99). */
#define TCPTABLE_EXTENSION __extension__
#else
#define TCPTABLE_ALIGN8
#define TCPTABLE_EXTENSION
#endif

#if defined(__cplusplus) && __cplusplus >= 201103L
#define TCPTABLE_STATIC_ASSERT(e, m) static_assert(e, m)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define TCPTABLE_STATIC_ASSERT(e, m) _Static_assert(e, m)
#else
#define TCPTABLE_CAT2(a, b) a##b
#define TCPTABLE_CAT(a, b) TCPTABLE_CAT2(a, b)
#define TCPTABLE_STATIC_ASSERT(e, m) \
	typedef char TCPTABLE_CAT(tcptable_static_assert_, __LINE__)[(e) ? 1 : -1]
#endif

/* Another layer already defined the base types (Windows SDK, mingw-w64, Wine). */
#if !defined(TCPTABLE_HAVE_WINDEF) && \
	(defined(_MINWINDEF_) || defined(_WINDEF_) || defined(__WINE_WINDEF_H))
#define TCPTABLE_HAVE_WINDEF 1
#endif

/* Windows' BOOL, as the function declarations spell it: an int whatever
 * BOOL means in the including program. */
#define TCPTABLE_BOOL int

#ifndef TCPTABLE_HAVE_WINDEF
typedef uint32_t DWORD, *PDWORD, *LPDWORD;
typedef uint32_t ULONG, *PULONG;
typedef int32_t LONG, *PLONG;
#ifndef XMD_H /* X11's BOOL (unsigned char) came first: it stays X11's */
typedef int BOOL, *PBOOL, *LPBOOL;
#endif
typedef int INT;
typedef unsigned int UINT;
typedef unsigned char UCHAR, *PUCHAR, BYTE, *PBYTE, BOOLEAN;
typedef uint16_t USHORT, *PUSHORT, WORD;
typedef char CHAR, *PSTR;
typedef const char *PCSTR;
typedef int64_t LONGLONG TCPTABLE_ALIGN8;
typedef uint64_t ULONGLONG TCPTABLE_ALIGN8;
typedef uint64_t DWORD64 TCPTABLE_ALIGN8;
typedef uint64_t ULONG64 TCPTABLE_ALIGN8;
typedef ULONGLONG *PULONGLONG;
typedef ULONG64 *PULONG64;
typedef DWORD64 *PDWORD64;
typedef wchar_t WCHAR, *PWCHAR, *PWSTR;
typedef const wchar_t *PCWSTR;
typedef void VOID, *PVOID, *LPVOID;
typedef void *HANDLE;
typedef size_t SIZE_T;
typedef uintptr_t ULONG_PTR;

typedef union _LARGE_INTEGER {
	TCPTABLE_EXTENSION struct {
		DWORD LowPart;
		LONG HighPart;
	};
	struct {
		DWORD LowPart;
		LONG HighPart;
	} u;
	LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef struct in_addr IN_ADDR, *PIN_ADDR;
typedef struct in6_addr IN6_ADDR, *PIN6_ADDR;
#endif /* !TCPTABLE_HAVE_WINDEF */

/* Whatever defined them, the structure layouts need the Windows sizes. */
TCPTABLE_STATIC_ASSERT(sizeof(DWORD) == 4, "DWORD must be 32 bits");
TCPTABLE_STATIC_ASSERT(sizeof(ULONG) == 4, "ULONG must be 32 bits");
TCPTABLE_STATIC_ASSERT(sizeof(LONG) == 4, "LONG must be 32 bits");
#ifdef TCPTABLE_HAVE_WINDEF
/* Another layer's BOOL must be Windows' int (X11's is a char: see above). */
TCPTABLE_STATIC_ASSERT(sizeof(BOOL) == sizeof(int), "BOOL must be an int");
#endif
TCPTABLE_STATIC_ASSERT(sizeof(LARGE_INTEGER) == 8, "LARGE_INTEGER must be 64 bits");
TCPTABLE_STATIC_ASSERT(sizeof(ULONGLONG) == 8, "ULONGLONG must be 64 bits");
TCPTABLE_STATIC_ASSERT(sizeof(WCHAR) == sizeof(wchar_t),
		       "tcptable returns module names as wchar_t strings");

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
#ifndef ANY_SIZE
#define ANY_SIZE 1
#endif
#ifndef WINAPI
#define WINAPI
#endif
#ifndef NTAPI
#define NTAPI
#endif
#ifndef FIELD_OFFSET
#define FIELD_OFFSET(type, field) ((LONG)offsetof(type, field))
#endif

/* The export attribute is applied only while the library itself is built. */
#ifndef IPHLPAPI_DLL_LINKAGE
#if defined(TCPTABLE_BUILDING) && (defined(__GNUC__) || defined(__clang__))
#define IPHLPAPI_DLL_LINKAGE __attribute__((visibility("default")))
#else
#define IPHLPAPI_DLL_LINKAGE
#endif
#endif

/* Win32 error codes (winerror.h) returned by the IP Helper functions. */
#ifndef NO_ERROR
#define NO_ERROR 0
#endif
#ifndef ERROR_SUCCESS
#define ERROR_SUCCESS 0
#endif
#ifndef ERROR_ACCESS_DENIED
#define ERROR_ACCESS_DENIED 5
#endif
#ifndef ERROR_NOT_ENOUGH_MEMORY
#define ERROR_NOT_ENOUGH_MEMORY 8
#endif
#ifndef ERROR_OUTOFMEMORY
#define ERROR_OUTOFMEMORY 14
#endif
#ifndef ERROR_NOT_SUPPORTED
#define ERROR_NOT_SUPPORTED 50
#endif
#ifndef ERROR_INVALID_PARAMETER
#define ERROR_INVALID_PARAMETER 87
#endif
#ifndef ERROR_INSUFFICIENT_BUFFER
#define ERROR_INSUFFICIENT_BUFFER 122
#endif
#ifndef ERROR_NO_DATA
#define ERROR_NO_DATA 232
#endif
#ifndef ERROR_PARTIAL_COPY
#define ERROR_PARTIAL_COPY 299
#endif
#ifndef ERROR_MR_MID_NOT_FOUND
#define ERROR_MR_MID_NOT_FOUND 317
#endif
#ifndef ERROR_INVALID_USER_BUFFER
#define ERROR_INVALID_USER_BUFFER 1784
#endif
#ifndef ERROR_NOT_FOUND
#define ERROR_NOT_FOUND 1168
#endif

#endif /* TCPTABLE_WINDEF_H */
