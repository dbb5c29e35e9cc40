/*
 * fuzz_proc.c - the parsers of /proc text the owner scan and the module
 * lookup read: PID names, fd link targets, /proc/<pid>/stat, and
 * /proc/net/snmp (Tcp: and Udp:) and /proc/net/snmp6 (Udp6).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "owner_parse.h"
#include "snmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	uint32_t v;
	uint64_t a, b;
	struct tt_tcp_mib m;
	tt_parse_socket_link(s, size, &v);
	tt_parse_proc_stat(s, size, &a, &b);
	tt_parse_snmp_tcp(s, size, &m);
	struct tt_udp_mib u;
	tt_parse_snmp_udp(s, size, &u);
	tt_parse_snmp6_udp(s, size, &u);
	/* Directory entry names are NUL-terminated. */
	char *name = malloc(size + 1);
	if (name) {
		memcpy(name, data, size);
		name[size] = '\0';
		tt_parse_pid(name, &v);
		free(name);
	}
	return 0;
}
