/*
 * snmp.h - the Tcp: and Udp: sections of /proc/net/snmp and the Udp6 lines of
 * /proc/net/snmp6 (pure parsers; fuzzed).
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

/* Parses the "Udp:" lines of /proc/net/snmp the same way (the IPv4 UDP
 * counters).  Returns 0, or -EBADMSG when they are missing or malformed. */
int tt_parse_snmp_udp(const char *buf, size_t len, struct tt_udp_mib *out);

/* Parses the "Udp6<Name> <value>" lines of /proc/net/snmp6 (the IPv6 UDP
 * counters).  Returns 0, or -EBADMSG when Udp6InDatagrams or
 * Udp6OutDatagrams is missing or a Udp6 line is malformed. */
int tt_parse_snmp6_udp(const char *buf, size_t len, struct tt_udp_mib *out);

#endif /* TT_SNMP_H */
