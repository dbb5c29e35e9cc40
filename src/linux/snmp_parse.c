/*
 * snmp_parse.c - the Tcp: and Udp: lines of /proc/net/snmp:
 *   Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens ...
 *   Tcp: 1 200 120000 -1 12 7 ...
 * and the Udp6 lines of /proc/net/snmp6, one counter a line:
 *   Udp6InDatagrams                 	12
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "snmp.h"

struct line {
	const char *p;
	size_t len;
};

/* The next line starting with prefix, from *at; false when none is left. */
static bool find_line(const char *buf, size_t len, size_t *at, const char *prefix,
		      struct line *out)
{
	size_t plen = strlen(prefix);
	while (*at < len) {
		const char *start = buf + *at;
		const char *nl = memchr(start, '\n', len - *at);
		size_t l = nl ? (size_t)(nl - start) : len - *at;
		*at += l + (nl != NULL);
		if (l >= plen && memcmp(start, prefix, plen) == 0) {
			out->p = start + plen;
			out->len = l - plen;
			return true;
		}
	}
	return false;
}

/* The next space-separated token of a line. */
static bool next_token(struct line *l, struct line *tok)
{
	while (l->len && *l->p == ' ') {
		l->p++;
		l->len--;
	}
	if (!l->len)
		return false;
	tok->p = l->p;
	while (l->len && *l->p != ' ') {
		l->p++;
		l->len--;
	}
	tok->len = (size_t)(l->p - tok->p);
	return true;
}

static bool parse_i64(const struct line *t, int64_t *out)
{
	size_t i = 0;
	bool neg = t->len > 1 && t->p[0] == '-';
	if (neg)
		i = 1;
	if (i == t->len || t->len - i > 20)
		return false;
	uint64_t v = 0;
	for (; i < t->len; i++) {
		if (t->p[i] < '0' || t->p[i] > '9')
			return false;
		uint64_t d = (uint64_t)(t->p[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	/* Counters are unsigned 64-bit; only MaxConn is ever negative. */
	*out = neg ? -(int64_t)(v & INT64_MAX) : (int64_t)v;
	return true;
}

static bool name_is(const struct line *t, const char *name)
{
	return t->len == strlen(name) && memcmp(t->p, name, t->len) == 0;
}

int tt_parse_snmp_tcp(const char *buf, size_t len, struct tt_tcp_mib *out)
{
	size_t at = 0;
	struct line names, values, n, v;
	if (!find_line(buf, len, &at, "Tcp:", &names) || !find_line(buf, len, &at, "Tcp:", &values))
		return -EBADMSG;
	memset(out, 0, sizeof(*out));
	unsigned seen = 0;
	while (next_token(&names, &n)) {
		int64_t x;
		if (!next_token(&values, &v) || !parse_i64(&v, &x))
			return -EBADMSG;
		uint64_t u = (uint64_t)x;
		if (name_is(&n, "RtoAlgorithm"))
			out->rto_algorithm = (uint32_t)u, seen |= 1;
		else if (name_is(&n, "RtoMin"))
			out->rto_min = (uint32_t)u, seen |= 2;
		else if (name_is(&n, "RtoMax"))
			out->rto_max = (uint32_t)u, seen |= 4;
		else if (name_is(&n, "MaxConn"))
			out->max_conn = x, seen |= 8;
		else if (name_is(&n, "ActiveOpens"))
			out->active_opens = u;
		else if (name_is(&n, "PassiveOpens"))
			out->passive_opens = u;
		else if (name_is(&n, "AttemptFails"))
			out->attempt_fails = u;
		else if (name_is(&n, "EstabResets"))
			out->estab_resets = u;
		else if (name_is(&n, "InSegs"))
			out->in_segs = u;
		else if (name_is(&n, "OutSegs"))
			out->out_segs = u;
		else if (name_is(&n, "RetransSegs"))
			out->retrans_segs = u;
		else if (name_is(&n, "InErrs"))
			out->in_errs = u;
		else if (name_is(&n, "OutRsts"))
			out->out_rsts = u;
	}
	/* A header without the RFC's first four columns is not the Tcp group. */
	return seen == 15 ? 0 : -EBADMSG;
}

/* The RFC 4113 counters by their /proc names (prefix stripped). */
static bool udp_counter(const struct line *n, uint64_t u, struct tt_udp_mib *out, unsigned *seen)
{
	if (name_is(n, "InDatagrams"))
		out->in_datagrams = u, *seen |= 1;
	else if (name_is(n, "NoPorts"))
		out->no_ports = u;
	else if (name_is(n, "InErrors"))
		out->in_errors = u;
	else if (name_is(n, "OutDatagrams"))
		out->out_datagrams = u, *seen |= 2;
	else
		return false;
	return true;
}

int tt_parse_snmp_udp(const char *buf, size_t len, struct tt_udp_mib *out)
{
	size_t at = 0;
	struct line names, values, n, v;
	if (!find_line(buf, len, &at, "Udp:", &names) || !find_line(buf, len, &at, "Udp:", &values))
		return -EBADMSG;
	memset(out, 0, sizeof(*out));
	unsigned seen = 0;
	while (next_token(&names, &n)) {
		int64_t x;
		if (!next_token(&values, &v) || !parse_i64(&v, &x))
			return -EBADMSG;
		udp_counter(&n, (uint64_t)x, out, &seen);
	}
	return seen == 3 ? 0 : -EBADMSG;
}

int tt_parse_snmp6_udp(const char *buf, size_t len, struct tt_udp_mib *out)
{
	size_t at = 0;
	struct line l, n, v;
	memset(out, 0, sizeof(*out));
	unsigned seen = 0;
	/* Tabs separate name and value in snmp6; make them spaces for the
	 * tokenizer by walking the line by hand. */
	while (find_line(buf, len, &at, "Udp6", &l)) {
		size_t i = 0;
		while (i < l.len && l.p[i] != ' ' && l.p[i] != '\t')
			i++;
		n = (struct line){ l.p, i };
		while (i < l.len && (l.p[i] == ' ' || l.p[i] == '\t'))
			i++;
		v = (struct line){ l.p + i, l.len - i };
		while (v.len && (v.p[v.len - 1] == ' ' || v.p[v.len - 1] == '\t'))
			v.len--;
		int64_t x;
		if (!parse_i64(&v, &x) || x < 0)
			return -EBADMSG;
		udp_counter(&n, (uint64_t)x, out, &seen);
	}
	return (seen & 3) == 3 ? 0 : -EBADMSG;
}
