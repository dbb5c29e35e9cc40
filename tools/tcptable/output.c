/*
 * output.c - what tcptable prints: Windows netstat's connection and
 * statistics displays, and the JSON, summary and change formats.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "tool.h"

/* Windows netstat's columns: "  Proto  Local Address          Foreign ..." */
#define ROW_FORMAT "  %-5s  %-22s %-22s "

void format_endpoint(char *buf, size_t len, int family, const unsigned char *addr, DWORD scope,
		     unsigned port, struct names *nm)
{
	char host[INET6_ADDRSTRLEN + 16], serv[32];
	const char *name = nm ? names_host(nm, family, addr) : NULL;
	if (name) {
		snprintf(host, sizeof(host), "%.*s", (int)sizeof(host) - 1, name);
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
		snprintf(serv, sizeof(serv), "%s", sname);
	else
		snprintf(serv, sizeof(serv), "%u", port);
	snprintf(buf, len, "%s:%s", host, serv);
}

/* The executable of c's owner, cached per process (PID and identity). */
struct module_cache {
	DWORD pid;
	ULONGLONG key;
	char text[600];
};

static struct module_cache modules[64];
static size_t nmodules;

static void wide_to_utf8(const WCHAR *w, char *out, size_t len)
{
	size_t at = 0;
	for (; *w && at + 5 < len; w++) {
		unsigned long cp = (unsigned long)*w;
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
	memset(&r4, 0, sizeof(r4));
	memset(&r6, 0, sizeof(r6));
	r4.dwOwningPid = r6.dwOwningPid = c->pid;
	memcpy(r4.OwningModuleInfo, c->module_info, sizeof(r4.OwningModuleInfo));
	memcpy(r6.OwningModuleInfo, c->module_info, sizeof(r6.OwningModuleInfo));
	for (int tries = 0; tries < 5; tries++) {
		r = c->family == AF_INET
			    ? GetOwnerModuleFromTcpEntry(&r4, TCPIP_OWNER_MODULE_INFO_BASIC, buf, &size)
			    : GetOwnerModuleFromTcp6Entry(&r6, TCPIP_OWNER_MODULE_INFO_BASIC, buf, &size);
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
	if (module_of(c, name, sizeof(name), path, sizeof(path)))
		snprintf(m->text, sizeof(m->text), " [%s]", name);
	else
		snprintf(m->text, sizeof(m->text), " Can not obtain ownership information");
	return m->text;
}

static void row_text(char *buf, size_t len, const struct conn *c, const struct options *o,
		     struct names *nm)
{
	char l[128], r[128];
	format_endpoint(l, sizeof(l), c->family, c->laddr, c->lscope, c->lport, nm);
	format_endpoint(r, sizeof(r), c->family, c->raddr, c->rscope, c->rport, nm);
	const char *st = state_name(c->state);
	if (o->pid)
		snprintf(buf, len, ROW_FORMAT "%-15s %lu", "TCP", l, r, st ? st : "?",
			 (unsigned long)c->pid);
	else
		snprintf(buf, len, ROW_FORMAT "%s", "TCP", l, r, st ? st : "?");
}

void print_row(FILE *f, const struct conn *c, const struct options *o, struct names *nm)
{
	char line[400];
	row_text(line, sizeof(line), c, o, nm);
	fprintf(f, "%s\n", line);
	if (o->module && c->pid != 0)
		fprintf(f, "%s\n", module_line(c));
}

void print_table(FILE *f, const struct conn_list *l, const struct options *o, struct names *nm)
{
	fprintf(f, "\nActive Connections\n\n");
	if (o->pid)
		fprintf(f, ROW_FORMAT "%-15s %s\n", "Proto", "Local Address", "Foreign Address",
			"State", "PID");
	else
		fprintf(f, ROW_FORMAT "%s\n", "Proto", "Local Address", "Foreign Address", "State");
	for (size_t i = 0; i < l->n; i++)
		if (conns_match(&l->v[i], o))
			print_row(f, &l->v[i], o, nm);
}

/* ---- JSON: one object per line, numeric addresses, stable field names. */

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
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
		fprintf(f, "{\"proto\":\"%s\",\"local_address\":\"%s\",\"local_port\":%u,"
			   "\"local_scope_id\":%lu,\"remote_address\":\"%s\",\"remote_port\":%u,"
			   "\"remote_scope_id\":%lu,\"state\":\"%s\",\"pid\":%lu",
			c->family == AF_INET ? "TCP" : "TCPv6", la, c->lport, (unsigned long)c->lscope,
			ra, c->rport, (unsigned long)c->rscope, st ? st : "UNKNOWN",
			(unsigned long)c->pid);
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

/* ---- --summary: rows per state and family. */

void print_summary(FILE *f, const struct conn_list *l, const struct options *o)
{
	unsigned counts[16][2] = { { 0 } }, total[2] = { 0, 0 };
	for (size_t i = 0; i < l->n; i++) {
		const struct conn *c = &l->v[i];
		if (!conns_match(c, o) || c->state >= 16)
			continue;
		int fi = c->family == AF_INET6;
		counts[c->state][fi]++;
		total[fi]++;
	}
	fprintf(f, "%-16s", "State");
	if (o->v4)
		fprintf(f, " %8s", "TCP");
	if (o->v6)
		fprintf(f, " %8s", "TCPv6");
	fputc('\n', f);
	for (DWORD st = 1; st < 16; st++) {
		if (!state_name(st) || counts[st][0] + counts[st][1] == 0)
			continue;
		fprintf(f, "%-16s", state_name(st));
		if (o->v4)
			fprintf(f, " %8u", counts[st][0]);
		if (o->v6)
			fprintf(f, " %8u", counts[st][1]);
		fputc('\n', f);
	}
	fprintf(f, "%-16s", "Total");
	if (o->v4)
		fprintf(f, " %8u", total[0]);
	if (o->v6)
		fprintf(f, " %8u", total[1]);
	fputc('\n', f);
}

/* ---- -s: Windows netstat's "TCP Statistics for IPv4/IPv6". */

DWORD print_stats(FILE *f, const struct options *o, const char **fn)
{
	const int fams[2] = { AF_INET, AF_INET6 };
	for (int i = 0; i < 2; i++) {
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
	return NO_ERROR;
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
	char line[400];
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
	}
}
