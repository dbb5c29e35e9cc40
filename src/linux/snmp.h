/*
 * snmp.h - the Tcp: section of /proc/net/snmp (pure parser; fuzzed).
 */
#ifndef TT_SNMP_H
#define TT_SNMP_H

#include <stddef.h>

#include "backend.h"

/* Parses the "Tcp:" header and value lines of /proc/net/snmp text (len
 * bytes, not necessarily NUL-terminated), matching values to names, so
 * new kernel columns do not matter.  Returns 0, or -EBADMSG when the Tcp
 * lines are missing or malformed. */
int tt_parse_snmp_tcp(const char *buf, size_t len, struct tt_tcp_mib *out);

#endif /* TT_SNMP_H */
