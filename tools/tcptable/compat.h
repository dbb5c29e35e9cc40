/*
 * compat.h - the tool's portability header: the only place its sources
 * spell a compiler extension.
 */
#ifndef TCPTABLE_TOOL_COMPAT_H
#define TCPTABLE_TOOL_COMPAT_H

#if defined(__GNUC__) || defined(__clang__)
/* Lets the compiler check printf-style calls of the function. */
#define TOOL_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define TOOL_NORETURN __attribute__((noreturn))
#else
#define TOOL_PRINTF(fmt, args)
#define TOOL_NORETURN
#endif

#endif /* TCPTABLE_TOOL_COMPAT_H */
