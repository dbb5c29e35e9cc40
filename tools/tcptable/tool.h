/*
 * tool.h - shared types of the tcptable command: a port of Windows
 * netstat's TCP and UDP display, written only against the library's public
 * API.
 */
#ifndef TCPTABLE_TOOL_H
#define TCPTABLE_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

#include <iphlpapi.h>

/* conn.proto */
enum { PROTO_TCP, PROTO_UDP };

/* One connection (or UDP endpoint), whichever table it came from. */
struct conn {
	int proto; /* PROTO_TCP or PROTO_UDP */
	int family; /* AF_INET or AF_INET6 */
	DWORD state; /* MIB_TCP_STATE_*; 0 for UDP, which has none */
	unsigned char laddr[16], raddr[16]; /* IPv4 in the first 4 bytes */
	DWORD lscope, rscope;
	unsigned lport, rport; /* host order */
	DWORD pid;
	ULONGLONG module_info[TCPIP_OWNING_MODULE_SIZE]; /* for -b */
	/* --estats: read for TCP rows with a peer; false for LISTEN and UDP
	 * rows, a connection gone since the table call, or an OS without
	 * EStats (ERROR_NOT_SUPPORTED). */
	bool has_estats;
	ULONGLONG bytes_out, bytes_in; /* Data ROD DataBytesOut, DataBytesIn */
	ULONG rtt_ms, retrans; /* Path ROD SmoothedRtt, PktsRetrans */
	/* --watch: per-second rates since the previous refresh of the same
	 * connection; false on its first refresh. */
	bool has_rate;
	ULONGLONG out_rate, in_rate, retrans_rate;
};

struct conn_list {
	struct conn *v;
	size_t n, cap;
};

/* A list of values for one filter kind; empty means "no filter". */
struct addr_filter {
	int family;
	unsigned char addr[16];
	unsigned prefix; /* bits */
};

struct filters {
	unsigned states; /* bit (1 << MIB_TCP_STATE_*) per wanted state; 0 = any */
	unsigned ports[64];
	size_t nports;
	DWORD pids[64];
	size_t npids;
	struct addr_filter addrs[32];
	size_t naddrs;
};

struct options {
	bool all; /* -a */
	bool numeric; /* -n */
	bool pid; /* -o */
	bool module; /* -b */
	bool stats; /* -s */
	bool v4, v6; /* -p: which families */
	bool tcp, udp; /* -p: which protocols */
	bool json, summary, watch;
	bool estats; /* --estats */
	int interval; /* seconds; 0 = once */
	struct filters filt;
};

/* ---- conns.c */

/* Fetches the family's TCP rows (with owners when needed).  Returns
 * NO_ERROR or the library's error code; *fn names the call that failed. */
DWORD conns_fetch(int family, const struct options *o, struct conn_list *out, const char **fn);
/* The same for the family's UDP endpoints. */
DWORD conns_fetch_udp(int family, const struct options *o, struct conn_list *out,
		      const char **fn);
void conns_free(struct conn_list *l);
bool conns_match(const struct conn *c, const struct options *o);
/* Windows netstat's state name; NULL for a value outside the enum. */
const char *state_name(DWORD state);
/* Parses a state name (Windows' or a common alias, any case). */
bool state_parse(const char *s, DWORD *state);
/* Same socket (protocol, endpoints): the identity --watch compares by. */
bool conns_same(const struct conn *a, const struct conn *b);
/* --estats: reads the counters of l's TCP connections. */
void conns_estats(struct conn_list *l);
/* --watch --estats: the rates of cur's rows against prev, `seconds` apart. */
void conns_rates(struct conn_list *cur, const struct conn_list *prev, int seconds);

/* ---- names.c: bounded, cached name resolution for output without -n. */

struct names;
struct names *names_new(void);
/* Resolves the addresses of l in parallel within a fixed time budget;
 * afterwards names_host() answers from the cache (NULL: numeric). */
void names_prefetch(struct names *nm, const struct conn_list *l);
const char *names_host(struct names *nm, int family, const unsigned char *addr);
const char *names_port(struct names *nm, unsigned port);

/* ---- output.c */

/* Buffer sizes: an endpoint as format_endpoint writes it, a table row. */
#define ENDPOINT_MAX (256 + 64 + 8)
#define ROW_MAX (2 * ENDPOINT_MAX + 64)

/* Copies s into out (len bytes, NUL-terminated) safe for a terminal:
 * control characters (C0, DEL, C1) and bytes that are not UTF-8 become
 * visible escapes (\n, \t, \r, \xNN for each byte), a backslash becomes
 * \\, valid UTF-8 stays as it is.  Cuts only between whole characters or
 * escapes.  Returns the length written. */
size_t text_escape(char *out, size_t len, const char *s);

/* Writes an endpoint as Windows netstat does: a.b.c.d:port or
 * [v6%scope]:port, or host:service with names. */
void format_endpoint(char *buf, size_t len, int family, const unsigned char *addr,
		     DWORD scope, unsigned port, struct names *nm);
void print_table(FILE *f, const struct conn_list *l, const struct options *o,
		 struct names *nm);
void print_row(FILE *f, const struct conn *c, const struct options *o, struct names *nm);
void print_json(FILE *f, const struct conn_list *l, const struct options *o);
void print_summary(FILE *f, const struct conn_list *l, const struct options *o);
/* -s: returns NO_ERROR or the failing call's error. */
DWORD print_stats(FILE *f, const struct options *o, const char **fn);
/* --watch on a pipe: +, - and ~ lines between two snapshots. */
void print_changes(FILE *f, const struct conn_list *before, const struct conn_list *after,
		   const struct options *o, struct names *nm);

#endif /* TCPTABLE_TOOL_H */
