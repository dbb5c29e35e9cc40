/*
 * output.c - what tcptable prints: Windows netstat's connection and
 * statistics displays (TCP and UDP), and the JSON, summary and change
 * formats.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "tool.h"

/* Windows netstat's columns: "  Proto  Local Address          Foreign ..." */
#define ROW_FORMAT "  %-5s  %-22s %-22s "
#define ADDR_WIDTH 22

/* ---- Text from outside (executable and host names, service names):
 * one UTF-8 decoder for the terminal and the JSON escaping. */

/* Decodes the UTF-8 sequence at s (NUL-terminated) strictly (RFC 3629: no
 * overlong forms, surrogates or values above U+10FFFF); returns its length,
 * or 0 when the byte at s does not start a valid sequence. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
	size_t len;
	uint32_t min, v;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		len = 2, min = 0x80, v = s[0] & 0x1fu;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, min = 0x800, v = s[0] & 0x0fu;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, min = 0x10000, v = s[0] & 0x07u;
	} else {
		return 0;
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) /* also stops at the NUL */
			return 0;
		v = v << 6 | (s[i] & 0x3fu);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/* C0, DEL and C1: what a terminal may take as a command. */
static bool is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

size_t text_escape(char *out, size_t len, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t at = 0;
	while (*p) {
		uint32_t cp;
		size_t n = utf8_next(p, &cp);
		char unit[16];
		size_t ulen = 0;
		if (n == 0) {
			n = 1;
			ulen = (size_t)snprintf(unit, sizeof(unit), "\\x%02x", p[0]);
		} else if (cp == '\\' || cp == '\n' || cp == '\t' || cp == '\r') {
			const char *named =
				cp == '\n' ? "\\n" : cp == '\t' ? "\\t" : cp == '\r' ? "\\r" : "\\\\";
			memcpy(unit, named, 2);
			ulen = 2;
		} else if (is_control(cp)) {
			/* Each byte, so that C1's two bytes read back as they were. */
			for (size_t i = 0; i < n; i++)
				ulen += (size_t)snprintf(unit + ulen, sizeof(unit) - ulen, "\\x%02x",
							 p[i]);
		} else {
			memcpy(unit, p, n);
			ulen = n;
		}
		if (at + ulen >= len) /* whole units only: never half an escape */
			break;
		memcpy(out + at, unit, ulen);
		at += ulen;
		p += n;
	}
	if (len)
		out[at] = '\0';
	return at;
}

/* Columns that escaped text takes on a terminal: one per character, two
 * for the East Asian wide ranges (CJK, Hangul, fullwidth forms). */
static size_t text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;
	while (*p) {
		uint32_t cp = 0;
		size_t n = utf8_next(p, &cp);
		p += n ? n : 1;
		bool wide = (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
			    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
			    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
			    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd);
		w += wide ? 2 : 1;
	}
	return w;
}

/* The printf field width that shows s in `columns` terminal columns. */
static int field_width(const char *s, int columns)
{
	size_t bytes = strlen(s), cols = text_width(s);
	return columns + (int)(bytes - cols);
}

void format_endpoint(char *buf, size_t len, int family, const unsigned char *addr, DWORD scope,
		     unsigned port, struct names *nm)
{
	char host[256], serv[64]; /* both fit in ENDPOINT_MAX with the ':' */
	const char *name = nm ? names_host(nm, family, addr) : NULL;
	if (name) {
		text_escape(host, sizeof(host), name);
	} else if (family == AF_INET) {
		inet_ntop(AF_INET, addr, host, sizeof(host));
	} else {
		char a[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, addr, a, sizeof(a));
		if (scope)
			snprintf(host, sizeof(host), "[%s%%%lu]", a, (unsigned long)scope);
		else
			snprintf(host, sizeof(host), "[%s]", a);
	}
	const char *sname = nm ? names_port(nm, port) : NULL;
	if (sname)
		text_escape(serv, sizeof(serv), sname);
	else
		snprintf(serv, sizeof(serv), "%u", port);
	snprintf(buf, len, "%s:%s", host, serv);
}

/* The executable of c's owner, cached per process (PID and identity). */
struct module_cache {
	DWORD pid;
	ULONGLONG key;
	char text[4 * 256 + 8]; /* " [name]", every byte of the name escaped */
};

static struct module_cache modules[64];
static size_t nmodules;

static void wide_to_utf8(const WCHAR *w, char *out, size_t len)
{
	size_t at = 0;
	for (; *w && at + 5 < len; w++) {
		unsigned long cp = (unsigned long)*w;
		/* Not a Unicode scalar value: shown as U+FFFD, as the library
		 * shows bytes that are not UTF-8. */
		if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			cp = 0xfffd;
		if (cp < 0x80) {
			out[at++] = (char)cp;
		} else if (cp < 0x800) {
			out[at++] = (char)(0xc0 | cp >> 6);
			out[at++] = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			out[at++] = (char)(0xe0 | cp >> 12);
			out[at++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			out[at++] = (char)(0x80 | (cp & 0x3f));
		} else {
			out[at++] = (char)(0xf0 | cp >> 18);
			out[at++] = (char)(0x80 | ((cp >> 12) & 0x3f));
			out[at++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			out[at++] = (char)(0x80 | (cp & 0x3f));
		}
	}
	out[at] = '\0';
}

/* The module's name and path through GetOwnerModuleFrom*Entry; false when
 * the owner is unknown or cannot be inspected. */
static bool module_of(const struct conn *c, char *name, size_t nlen, char *path, size_t plen)
{
	DWORD size = 0, r;
	unsigned char *buf = NULL;
	MIB_TCPROW_OWNER_MODULE r4;
	MIB_TCP6ROW_OWNER_MODULE r6;
	MIB_UDPROW_OWNER_MODULE u4;
	MIB_UDP6ROW_OWNER_MODULE u6;
	memset(&r4, 0, sizeof(r4));
	memset(&r6, 0, sizeof(r6));
	memset(&u4, 0, sizeof(u4));
	memset(&u6, 0, sizeof(u6));
	r4.dwOwningPid = r6.dwOwningPid = u4.dwOwningPid = u6.dwOwningPid = c->pid;
	memcpy(r4.OwningModuleInfo, c->module_info, sizeof(r4.OwningModuleInfo));
	memcpy(r6.OwningModuleInfo, c->module_info, sizeof(r6.OwningModuleInfo));
	memcpy(u4.OwningModuleInfo, c->module_info, sizeof(u4.OwningModuleInfo));
	memcpy(u6.OwningModuleInfo, c->module_info, sizeof(u6.OwningModuleInfo));
	const TCPIP_OWNER_MODULE_INFO_CLASS basic = TCPIP_OWNER_MODULE_INFO_BASIC;
	for (int tries = 0; tries < 5; tries++) {
		if (c->proto == PROTO_UDP)
			r = c->family == AF_INET ? GetOwnerModuleFromUdpEntry(&u4, basic, buf, &size)
						 : GetOwnerModuleFromUdp6Entry(&u6, basic, buf, &size);
		else
			r = c->family == AF_INET ? GetOwnerModuleFromTcpEntry(&r4, basic, buf, &size)
						 : GetOwnerModuleFromTcp6Entry(&r6, basic, buf, &size);
		if (r != ERROR_INSUFFICIENT_BUFFER)
			break;
		free(buf);
		buf = malloc(size);
		if (!buf)
			return false;
	}
	bool ok = r == NO_ERROR && buf;
	if (ok) {
		const TCPIP_OWNER_MODULE_BASIC_INFO *bi = (const void *)buf;
		wide_to_utf8(bi->pModuleName, name, nlen);
		wide_to_utf8(bi->pModulePath, path, plen);
	}
	free(buf);
	return ok;
}

/* Windows netstat -b's line under a row: " [name]". */
static const char *module_line(const struct conn *c)
{
	for (size_t i = 0; i < nmodules; i++)
		if (modules[i].pid == c->pid && modules[i].key == c->module_info[1])
			return modules[i].text;
	struct module_cache *m = &modules[nmodules < 64 ? nmodules++ : 63];
	m->pid = c->pid;
	m->key = c->module_info[1];
	char name[256], path[512];
	if (module_of(c, name, sizeof(name), path, sizeof(path))) {
		char shown[sizeof(m->text) - 4];
		text_escape(shown, sizeof(shown), name);
		snprintf(m->text, sizeof(m->text), " [%s]", shown);
	} else
		snprintf(m->text, sizeof(m->text), " Can not obtain ownership information");
	return m->text;
}

/* --estats columns: Sent, Received, RTT (ms), Retrans; under --watch the
 * byte and retransmission columns are per second. */
#define ESTATS_FORMAT " %12s %12s %7s %7s"

static void estats_text(char *buf, size_t len, const struct conn *c, const struct options *o)
{
	char out[24] = "-", in[24] = "-", rtt[24] = "-", re[24] = "-";
	if (c->has_estats && (!o->watch || c->has_rate)) {
		snprintf(out, sizeof(out), "%llu",
			 (unsigned long long)(o->watch ? c->out_rate : c->bytes_out));
		snprintf(in, sizeof(in), "%llu",
			 (unsigned long long)(o->watch ? c->in_rate : c->bytes_in));
		snprintf(rtt, sizeof(rtt), "%lu", (unsigned long)c->rtt_ms);
		snprintf(re, sizeof(re), "%llu",
			 (unsigned long long)(o->watch ? c->retrans_rate : c->retrans));
	}
	snprintf(buf, len, ESTATS_FORMAT, out, in, rtt, re);
}

static void row_text(char *buf, size_t len, const struct conn *c, const struct options *o,
		     struct names *nm)
{
	char l[ENDPOINT_MAX], est[80] = "";
	/* With --estats the state and PID columns are padded too, so the
	 * counters after them line up. */
	int at;
	if (o->estats)
		estats_text(est, sizeof(est), c, o);
	format_endpoint(l, sizeof(l), c->family, c->laddr, c->lscope, c->lport, nm);
	if (c->proto == PROTO_UDP) {
		/* Windows netstat: "UDP    0.0.0.0:5353    *:*", no state; the
		 * PID under -o stands where it stands in TCP rows. */
		int lw = field_width(l, ADDR_WIDTH);
		if (o->pid || o->estats)
			at = snprintf(buf, len, "  %-5s  %-*s %-22s %-15s", "UDP", lw, l, "*:*", "");
		else
			at = snprintf(buf, len, "  %-5s  %-*s %s", "UDP", lw, l, "*:*");
	} else {
		char r[ENDPOINT_MAX];
		format_endpoint(r, sizeof(r), c->family, c->raddr, c->rscope, c->rport, nm);
		const char *st = state_name(c->state);
		/* Padded by columns, not bytes: names may hold multibyte characters. */
		int lw = field_width(l, ADDR_WIDTH), rw = field_width(r, ADDR_WIDTH);
		if (o->pid || o->estats)
			at = snprintf(buf, len, "  %-5s  %-*s %-*s %-15s", "TCP", lw, l, rw, r,
				      st ? st : "?");
		else
			at = snprintf(buf, len, "  %-5s  %-*s %-*s %s", "TCP", lw, l, rw, r,
				      st ? st : "?");
	}
	if (at < 0 || (size_t)at >= len)
		return;
	if (o->pid)
		at += snprintf(buf + at, len - (size_t)at, " %-*lu", o->estats ? 7 : 0,
			       (unsigned long)c->pid);
	if (at >= 0 && (size_t)at < len)
		snprintf(buf + at, len - (size_t)at, "%s", est);
}

void print_row(FILE *f, const struct conn *c, const struct options *o, struct names *nm)
{
	char line[ROW_MAX];
	row_text(line, sizeof(line), c, o, nm);
	fprintf(f, "%s\n", line);
	if (o->module && c->pid != 0)
		fprintf(f, "%s\n", module_line(c));
}

void print_table(FILE *f, const struct conn_list *l, const struct options *o, struct names *nm)
{
	fprintf(f, "\nActive Connections\n\n");
	if (o->estats) {
		fprintf(f, ROW_FORMAT "%-15s", "Proto", "Local Address", "Foreign Address", "State");
		if (o->pid)
			fprintf(f, " %-7s", "PID");
		fprintf(f, ESTATS_FORMAT "\n", o->watch ? "Sent/s" : "Sent",
			o->watch ? "Received/s" : "Received", "RTT(ms)", o->watch ? "Rtx/s" : "Retrans");
	} else if (o->pid)
		fprintf(f, ROW_FORMAT "%-15s %s\n", "Proto", "Local Address", "Foreign Address",
			"State", "PID");
	else
		fprintf(f, ROW_FORMAT "%s\n", "Proto", "Local Address", "Foreign Address", "State");
	for (size_t i = 0; i < l->n; i++)
		if (conns_match(&l->v[i], o))
			print_row(f, &l->v[i], o, nm);
}

/* ---- JSON: one object per line, numeric addresses, stable field names. */

/* A JSON string: controls (C0, DEL, C1) as \u escapes, and bytes that
 * are not UTF-8 as U+FFFD, which JSON can carry. */
static void json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	fputc('"', f);
	while (*p) {
		uint32_t cp;
		size_t n = utf8_next(p, &cp);
		if (n == 0) {
			fputs("\\ufffd", f);
			n = 1;
		} else if (cp == '"' || cp == '\\') {
			fprintf(f, "\\%c", (int)cp);
		} else if (is_control(cp)) {
			fprintf(f, "\\u%04x", (unsigned)cp);
		} else {
			fwrite(p, 1, n, f);
		}
		p += n;
	}
	fputc('"', f);
}

/* A JSON number, or null when the row has none. */
static void json_number(FILE *f, const char *key, bool have, ULONGLONG v)
{
	if (have)
		fprintf(f, ",\"%s\":%llu", key, (unsigned long long)v);
	else
		fprintf(f, ",\"%s\":null", key);
}

/* --estats: the totals; under --watch also the rates (null on a
 * connection's first refresh). */
static void json_estats(FILE *f, const struct conn *c, const struct options *o)
{
	json_number(f, "bytes_sent", c->has_estats, c->bytes_out);
	json_number(f, "bytes_received", c->has_estats, c->bytes_in);
	json_number(f, "rtt_ms", c->has_estats, c->rtt_ms);
	json_number(f, "retransmissions", c->has_estats, c->retrans);
	if (!o->watch)
		return;
	json_number(f, "bytes_sent_per_s", c->has_rate, c->out_rate);
	json_number(f, "bytes_received_per_s", c->has_rate, c->in_rate);
	json_number(f, "retransmissions_per_s", c->has_rate, c->retrans_rate);
}

void print_json(FILE *f, const struct conn_list *l, const struct options *o)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct conn *c = &l->v[i];
		if (!conns_match(c, o))
			continue;
		char la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN];
		inet_ntop(c->family, c->laddr, la, sizeof(la));
		inet_ntop(c->family, c->raddr, ra, sizeof(ra));
		const char *st = state_name(c->state);
		if (c->proto == PROTO_UDP)
			/* A UDP endpoint: the local end and the owner only. */
			fprintf(f, "{\"proto\":\"%s\",\"local_address\":\"%s\",\"local_port\":%u,"
				   "\"local_scope_id\":%lu,\"pid\":%lu",
				c->family == AF_INET ? "UDP" : "UDPv6", la, c->lport,
				(unsigned long)c->lscope, (unsigned long)c->pid);
		else
			fprintf(f, "{\"proto\":\"%s\",\"local_address\":\"%s\",\"local_port\":%u,"
				   "\"local_scope_id\":%lu,\"remote_address\":\"%s\","
				   "\"remote_port\":%u,\"remote_scope_id\":%lu,\"state\":\"%s\","
				   "\"pid\":%lu",
				c->family == AF_INET ? "TCP" : "TCPv6", la, c->lport,
				(unsigned long)c->lscope, ra, c->rport, (unsigned long)c->rscope,
				st ? st : "UNKNOWN", (unsigned long)c->pid);
		if (o->estats)
			json_estats(f, c, o);
		if (o->module) {
			char name[256], path[512];
			if (c->pid && module_of(c, name, sizeof(name), path, sizeof(path))) {
				fputs(",\"module_name\":", f);
				json_string(f, name);
				fputs(",\"module_path\":", f);
				json_string(f, path);
			} else {
				fputs(",\"module_name\":null,\"module_path\":null", f);
			}
		}
		fputs("}\n", f);
	}
}

/* ---- --summary: rows per state and protocol.  Columns TCP, TCPv6, UDP,
 * UDPv6 as selected; UDP endpoints have no state and are counted on a line
 * of their own. */

static void summary_line(FILE *f, const char *label, const unsigned v[4], const bool col[4])
{
	fprintf(f, "%-16s", label);
	for (int k = 0; k < 4; k++)
		if (col[k])
			fprintf(f, " %8u", v[k]);
	fputc('\n', f);
}

void print_summary(FILE *f, const struct conn_list *l, const struct options *o)
{
	static const char *const heads[4] = { "TCP", "TCPv6", "UDP", "UDPv6" };
	unsigned counts[16][4] = { { 0 } }, udp[4] = { 0 }, total[4] = { 0 };
	for (size_t i = 0; i < l->n; i++) {
		const struct conn *c = &l->v[i];
		if (!conns_match(c, o) || c->state >= 16)
			continue;
		int k = (c->proto == PROTO_UDP) * 2 + (c->family == AF_INET6);
		if (c->proto == PROTO_UDP)
			udp[k]++;
		else
			counts[c->state][k]++;
		total[k]++;
	}
	/* UDP columns only where UDP rows can show (-a, no --state). */
	bool show_udp = o->udp && o->all && !o->filt.states;
	const bool col[4] = { o->tcp && o->v4, o->tcp && o->v6, show_udp && o->v4,
			      show_udp && o->v6 };
	fprintf(f, "%-16s", "State");
	for (int k = 0; k < 4; k++)
		if (col[k])
			fprintf(f, " %8s", heads[k]);
	fputc('\n', f);
	for (DWORD st = 1; st < 16; st++) {
		if (!state_name(st) || counts[st][0] + counts[st][1] == 0)
			continue;
		summary_line(f, state_name(st), counts[st], col);
	}
	if (show_udp)
		summary_line(f, "(no state)", udp, col);
	summary_line(f, "Total", total, col);
}

/* ---- -s: Windows netstat's "TCP Statistics for IPv4/IPv6". */

/* Windows netstat's "UDP Statistics for IPv4/IPv6". */
static DWORD print_udp_stats(FILE *f, const struct options *o, const char **fn)
{
	const int fams[2] = { AF_INET, AF_INET6 };
	for (int i = 0; i < 2; i++) {
		if (!(i ? o->v6 : o->v4))
			continue;
		MIB_UDPSTATS2 s;
		*fn = "GetUdpStatisticsEx2";
		DWORD r = GetUdpStatisticsEx2(&s, (ULONG)fams[i]);
		if (r != NO_ERROR)
			return r;
		fprintf(f, "\nUDP Statistics for %s\n\n", i ? "IPv6" : "IPv4");
		fprintf(f, "  %-36s= %llu\n", "Datagrams Received",
			(unsigned long long)s.dw64InDatagrams);
		fprintf(f, "  %-36s= %lu\n", "No Ports", (unsigned long)s.dwNoPorts);
		fprintf(f, "  %-36s= %lu\n", "Receive Errors", (unsigned long)s.dwInErrors);
		fprintf(f, "  %-36s= %llu\n", "Datagrams Sent",
			(unsigned long long)s.dw64OutDatagrams);
	}
	return NO_ERROR;
}

DWORD print_stats(FILE *f, const struct options *o, const char **fn)
{
	const int fams[2] = { AF_INET, AF_INET6 };
	for (int i = 0; i < 2 && o->tcp; i++) {
		if (!(i ? o->v6 : o->v4))
			continue;
		MIB_TCPSTATS2 s;
		*fn = "GetTcpStatisticsEx2";
		DWORD r = GetTcpStatisticsEx2(&s, (ULONG)fams[i]);
		if (r != NO_ERROR)
			return r;
		fprintf(f, "\nTCP Statistics for %s\n\n", i ? "IPv6" : "IPv4");
		fprintf(f, "  %-36s= %lu\n", "Active Opens", (unsigned long)s.dwActiveOpens);
		fprintf(f, "  %-36s= %lu\n", "Passive Opens", (unsigned long)s.dwPassiveOpens);
		fprintf(f, "  %-36s= %lu\n", "Failed Connection Attempts",
			(unsigned long)s.dwAttemptFails);
		fprintf(f, "  %-36s= %lu\n", "Reset Connections", (unsigned long)s.dwEstabResets);
		fprintf(f, "  %-36s= %lu\n", "Current Connections", (unsigned long)s.dwCurrEstab);
		fprintf(f, "  %-36s= %llu\n", "Segments Received", (unsigned long long)s.dw64InSegs);
		fprintf(f, "  %-36s= %llu\n", "Segments Sent", (unsigned long long)s.dw64OutSegs);
		fprintf(f, "  %-36s= %lu\n", "Segments Retransmitted", (unsigned long)s.dwRetransSegs);
	}
	return o->udp ? print_udp_stats(f, o, fn) : NO_ERROR;
}

/* ---- --watch on a pipe: what changed between two snapshots. */

static const struct conn *find_same(const struct conn_list *l, const struct conn *c)
{
	for (size_t i = 0; i < l->n; i++)
		if (conns_same(&l->v[i], c))
			return &l->v[i];
	return NULL;
}

void print_changes(FILE *f, const struct conn_list *before, const struct conn_list *after,
		   const struct options *o, struct names *nm)
{
	char line[ROW_MAX];
	for (size_t i = 0; before->v && i < before->n; i++) {
		const struct conn *c = &before->v[i];
		if (conns_match(c, o) && !find_same(after, c)) {
			row_text(line, sizeof(line), c, o, nm);
			fprintf(f, "-%s\n", line + 1);
		}
	}
	for (size_t i = 0; after->v && i < after->n; i++) {
		const struct conn *c = &after->v[i];
		if (!conns_match(c, o))
			continue;
		const struct conn *was = find_same(before, c);
		row_text(line, sizeof(line), c, o, nm);
		if (!was || !conns_match(was, o))
			fprintf(f, "+%s\n", line + 1);
		else if (was->state != c->state)
			fprintf(f, "~%s (was %s)\n", line + 1, state_name(was->state));
		else if (o->estats && c->has_rate)
			/* --estats: the rates of each kept connection, every refresh. */
			fprintf(f, "=%s\n", line + 1);
	}
}
