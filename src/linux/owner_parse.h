/*
 * owner_parse.h - strict parsers for the /proc text the owner scan reads
 * (pure functions; fuzzed).
 */
#ifndef TT_OWNER_PARSE_H
#define TT_OWNER_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest link target worth reading: "socket:[4294967295]" and a margin.
 * Longer targets are truncated by readlinkat() and rejected by the parser. */
#define TT_SOCKET_LINK_MAX 64

/* A /proc entry name that is a process: decimal digits only, no leading
 * zero, value in 1..UINT32_MAX. */
bool tt_parse_pid(const char *name, uint32_t *pid);

/* A /proc/<pid>/fd link target of exactly "socket:[<inode>]" (len bytes, not
 * NUL-terminated), inode in 1..UINT32_MAX. */
bool tt_parse_socket_link(const char *link, size_t len, uint32_t *inode);

/* The fields of /proc/<pid>/stat the library uses: flags (field 9) and
 * starttime (field 22, clock ticks after boot).  The command name (field 2)
 * may hold any bytes, parentheses included, so fields are counted from the
 * last ')'.  False when the text is malformed or cut short. */
bool tt_parse_proc_stat(const char *buf, size_t len, uint64_t *flags, uint64_t *starttime);

/* PF_KTHREAD in the stat flags: a kernel thread, with no executable. */
#define TT_PF_KTHREAD 0x00200000u

#endif /* TT_OWNER_PARSE_H */
