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

#endif /* TT_OWNER_PARSE_H */
