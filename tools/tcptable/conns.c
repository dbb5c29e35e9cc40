/*
 * conns.c - reads the connection tables through GetExtendedTcpTable,
 * GetTcp6Table, GetExtendedUdpTable, GetUdpTable and GetUdp6Table, the way
 * a Windows program does, and applies the filters.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "tool.h"

static const char *const state_names[] = {
	NULL,	       "CLOSED",     "LISTENING",  "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED",
	"FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING",  "LAST_ACK",	  "TIME_WAIT",
	"DELETE_TCB",
};

const char *state_name(DWORD state)
{
	return state < sizeof(state_names) / sizeof(state_names[0]) ? state_names[state] : NULL;
}

bool state_parse(const char *s, DWORD *state)
{
	static const struct {
		const char *alias;
		DWORD state;
	} aliases[] = {
		{ "LISTEN", MIB_TCP_STATE_LISTEN },	  { "ESTAB", MIB_TCP_STATE_ESTAB },
		{ "SYN_RCVD", MIB_TCP_STATE_SYN_RCVD },	  { "SYN_RECV", MIB_TCP_STATE_SYN_RCVD },
		{ "FIN_WAIT1", MIB_TCP_STATE_FIN_WAIT1 }, { "FIN_WAIT2", MIB_TCP_STATE_FIN_WAIT2 },
	};
	for (DWORD st = 1; st < sizeof(state_names) / sizeof(state_names[0]); st++) {
		if (strcasecmp(s, state_names[st]) == 0) {
			*state = st;
			return true;
		}
	}
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (strcasecmp(s, aliases[i].alias) == 0) {
			*state = aliases[i].state;
			return true;
		}
	}
	return false;
}

void conns_free(struct conn_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static struct conn *conns_add(struct conn_list *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct conn *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	struct conn *c = &l->v[l->n++];
	memset(c, 0, sizeof(*c));
	return c;
}

/* The owner column is needed for -o, -b, --pid and --json. */
static bool needs_owner(const struct options *o)
{
	return o->pid || o->module || o->json || o->filt.npids > 0;
}

static bool needs_listeners(const struct options *o)
{
	return o->all || (o->filt.states & (1u << MIB_TCP_STATE_LISTEN));
}

/* Windows' two-call pattern, retried while the table grows. */
static void *get_table(int family, TCP_TABLE_CLASS cls, DWORD *err)
{
	DWORD size = 0;
	void *t = NULL;
	for (int tries = 0; tries < 20; tries++) {
		*err = family == AF_INET6 && cls <= TCP_TABLE_BASIC_ALL
			       ? GetTcp6Table(t, &size, TRUE)
			       : GetExtendedTcpTable(t, &size, TRUE, (ULONG)family, cls, 0);
		if (*err != ERROR_INSUFFICIENT_BUFFER)
			break;
		free(t);
		t = malloc(size);
		if (!t) {
			*err = ERROR_NOT_ENOUGH_MEMORY;
			return NULL;
		}
	}
	if (*err != NO_ERROR) {
		free(t);
		return NULL;
	}
	return t;
}

static void set4(struct conn *c, DWORD state, DWORD la, DWORD lp, DWORD ra, DWORD rp)
{
	c->family = AF_INET;
	c->state = state;
	memcpy(c->laddr, &la, 4);
	memcpy(c->raddr, &ra, 4);
	c->lport = ntohs((uint16_t)lp);
	c->rport = ntohs((uint16_t)rp);
}

static void set6(struct conn *c, DWORD state, const void *la, DWORD ls, DWORD lp, const void *ra,
		 DWORD rs, DWORD rp)
{
	c->family = AF_INET6;
	c->state = state;
	memcpy(c->laddr, la, 16);
	memcpy(c->raddr, ra, 16);
	c->lscope = ls;
	c->rscope = rs;
	c->lport = ntohs((uint16_t)lp);
	c->rport = ntohs((uint16_t)rp);
}

/* Converts the rows of one table into conns. */
static bool convert(int family, int kind, const void *table, struct conn_list *out)
{
	DWORD n;
	memcpy(&n, table, sizeof(n));
	for (DWORD i = 0; i < n; i++) {
		struct conn *c = conns_add(out);
		if (!c)
			return false;
		if (family == AF_INET && kind == 0) {
			const MIB_TCPROW *r = &((const MIB_TCPTABLE *)table)->table[i];
			set4(c, r->dwState, r->dwLocalAddr, r->dwLocalPort, r->dwRemoteAddr,
			     r->dwRemotePort);
		} else if (family == AF_INET && kind == 1) {
			const MIB_TCPROW_OWNER_PID *r = &((const MIB_TCPTABLE_OWNER_PID *)table)->table[i];
			set4(c, r->dwState, r->dwLocalAddr, r->dwLocalPort, r->dwRemoteAddr,
			     r->dwRemotePort);
			c->pid = r->dwOwningPid;
		} else if (family == AF_INET) {
			const MIB_TCPROW_OWNER_MODULE *r =
				&((const MIB_TCPTABLE_OWNER_MODULE *)table)->table[i];
			set4(c, r->dwState, r->dwLocalAddr, r->dwLocalPort, r->dwRemoteAddr,
			     r->dwRemotePort);
			c->pid = r->dwOwningPid;
			memcpy(c->module_info, r->OwningModuleInfo, sizeof(c->module_info));
		} else if (kind == 0) {
			const MIB_TCP6ROW *r = &((const MIB_TCP6TABLE *)table)->table[i];
			set6(c, (DWORD)r->State, &r->LocalAddr, r->dwLocalScopeId, r->dwLocalPort,
			     &r->RemoteAddr, r->dwRemoteScopeId, r->dwRemotePort);
		} else if (kind == 1) {
			const MIB_TCP6ROW_OWNER_PID *r =
				&((const MIB_TCP6TABLE_OWNER_PID *)table)->table[i];
			set6(c, r->dwState, r->ucLocalAddr, r->dwLocalScopeId, r->dwLocalPort,
			     r->ucRemoteAddr, r->dwRemoteScopeId, r->dwRemotePort);
			c->pid = r->dwOwningPid;
		} else {
			const MIB_TCP6ROW_OWNER_MODULE *r =
				&((const MIB_TCP6TABLE_OWNER_MODULE *)table)->table[i];
			set6(c, r->dwState, r->ucLocalAddr, r->dwLocalScopeId, r->dwLocalPort,
			     r->ucRemoteAddr, r->dwRemoteScopeId, r->dwRemotePort);
			c->pid = r->dwOwningPid;
			memcpy(c->module_info, r->OwningModuleInfo, sizeof(c->module_info));
		}
	}
	return true;
}

DWORD conns_fetch(int family, const struct options *o, struct conn_list *out, const char **fn)
{
	/* The cheapest class that has every column this run shows. */
	int kind = o->module ? 2 : needs_owner(o) ? 1 : 0;
	int which = needs_listeners(o) ? 2 : 1; /* ALL, or CONNECTIONS */
	TCP_TABLE_CLASS cls = (TCP_TABLE_CLASS)(kind * 3 + which);
	*fn = family == AF_INET6 && kind == 0 ? "GetTcp6Table" : "GetExtendedTcpTable";
	DWORD err;
	void *t = get_table(family, cls, &err);
	if (!t)
		return err;
	bool ok = convert(family, kind, t, out);
	free(t);
	return ok ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY;
}

/* Windows' two-call pattern for the UDP tables. */
static void *get_udp_table(int family, UDP_TABLE_CLASS cls, DWORD *err)
{
	DWORD size = 0;
	void *t = NULL;
	for (int tries = 0; tries < 20; tries++) {
		if (cls == UDP_TABLE_BASIC)
			*err = family == AF_INET ? GetUdpTable(t, &size, TRUE)
						 : GetUdp6Table(t, &size, TRUE);
		else
			*err = GetExtendedUdpTable(t, &size, TRUE, (ULONG)family, cls, 0);
		if (*err != ERROR_INSUFFICIENT_BUFFER)
			break;
		free(t);
		t = malloc(size);
		if (!t) {
			*err = ERROR_NOT_ENOUGH_MEMORY;
			return NULL;
		}
	}
	if (*err != NO_ERROR) {
		free(t);
		return NULL;
	}
	return t;
}

/* Converts the rows of one UDP table (class cls) into conns. */
static bool convert_udp(int family, UDP_TABLE_CLASS cls, const void *table, struct conn_list *out)
{
	DWORD n;
	memcpy(&n, table, sizeof(n));
	for (DWORD i = 0; i < n; i++) {
		struct conn *c = conns_add(out);
		if (!c)
			return false;
		DWORD lp;
		if (family == AF_INET) {
			DWORD la;
			if (cls == UDP_TABLE_BASIC) {
				const MIB_UDPROW *r = &((const MIB_UDPTABLE *)table)->table[i];
				la = r->dwLocalAddr, lp = r->dwLocalPort;
			} else if (cls == UDP_TABLE_OWNER_PID) {
				const MIB_UDPROW_OWNER_PID *r =
					&((const MIB_UDPTABLE_OWNER_PID *)table)->table[i];
				la = r->dwLocalAddr, lp = r->dwLocalPort, c->pid = r->dwOwningPid;
			} else {
				const MIB_UDPROW_OWNER_MODULE *r =
					&((const MIB_UDPTABLE_OWNER_MODULE *)table)->table[i];
				la = r->dwLocalAddr, lp = r->dwLocalPort, c->pid = r->dwOwningPid;
				memcpy(c->module_info, r->OwningModuleInfo, sizeof(c->module_info));
			}
			memcpy(c->laddr, &la, 4);
		} else if (cls == UDP_TABLE_BASIC) {
			const MIB_UDP6ROW *r = &((const MIB_UDP6TABLE *)table)->table[i];
			memcpy(c->laddr, &r->dwLocalAddr, 16);
			c->lscope = r->dwLocalScopeId, lp = r->dwLocalPort;
		} else if (cls == UDP_TABLE_OWNER_PID) {
			const MIB_UDP6ROW_OWNER_PID *r =
				&((const MIB_UDP6TABLE_OWNER_PID *)table)->table[i];
			memcpy(c->laddr, r->ucLocalAddr, 16);
			c->lscope = r->dwLocalScopeId, lp = r->dwLocalPort, c->pid = r->dwOwningPid;
		} else {
			const MIB_UDP6ROW_OWNER_MODULE *r =
				&((const MIB_UDP6TABLE_OWNER_MODULE *)table)->table[i];
			memcpy(c->laddr, r->ucLocalAddr, 16);
			c->lscope = r->dwLocalScopeId, lp = r->dwLocalPort, c->pid = r->dwOwningPid;
			memcpy(c->module_info, r->OwningModuleInfo, sizeof(c->module_info));
		}
		c->proto = PROTO_UDP;
		c->family = family;
		c->lport = ntohs((uint16_t)lp);
	}
	return true;
}

DWORD conns_fetch_udp(int family, const struct options *o, struct conn_list *out,
		      const char **fn)
{
	UDP_TABLE_CLASS cls = o->module	     ? UDP_TABLE_OWNER_MODULE
			      : needs_owner(o) ? UDP_TABLE_OWNER_PID
					       : UDP_TABLE_BASIC;
	*fn = cls != UDP_TABLE_BASIC ? "GetExtendedUdpTable"
	      : family == AF_INET    ? "GetUdpTable"
				     : "GetUdp6Table";
	DWORD err;
	void *t = get_udp_table(family, cls, &err);
	if (!t)
		return err;
	bool ok = convert_udp(family, cls, t, out);
	free(t);
	return ok ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY;
}

static bool prefix_match(const struct addr_filter *f, int family, const unsigned char *addr)
{
	if (f->family != family)
		return false;
	unsigned full = f->prefix / 8, rest = f->prefix % 8;
	if (memcmp(f->addr, addr, full) != 0)
		return false;
	if (rest == 0)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (f->addr[full] & mask) == (addr[full] & mask);
}

bool conns_match(const struct conn *c, const struct options *o)
{
	const struct filters *f = &o->filt;
	if (c->proto == PROTO_UDP) {
		/* A UDP endpoint has no state: shown with -a, as Windows netstat
		 * lists it with the listening ports, and never by --state. */
		if (f->states || !o->all)
			return false;
	} else if (f->states) {
		if (c->state >= 32 || !(f->states & (1u << c->state)))
			return false;
	} else if (!o->all && c->state == MIB_TCP_STATE_LISTEN) {
		return false;
	}
	if (f->nports) {
		bool hit = false;
		for (size_t i = 0; i < f->nports && !hit; i++)
			hit = c->lport == f->ports[i] || c->rport == f->ports[i];
		if (!hit)
			return false;
	}
	if (f->npids) {
		bool hit = false;
		for (size_t i = 0; i < f->npids && !hit; i++)
			hit = c->pid == f->pids[i];
		if (!hit)
			return false;
	}
	if (f->naddrs) {
		bool hit = false;
		for (size_t i = 0; i < f->naddrs && !hit; i++)
			hit = prefix_match(&f->addrs[i], c->family, c->laddr) ||
			      prefix_match(&f->addrs[i], c->family, c->raddr);
		if (!hit)
			return false;
	}
	return true;
}

bool conns_same(const struct conn *a, const struct conn *b)
{
	size_t alen = a->family == AF_INET ? 4 : 16;
	return a->proto == b->proto && a->family == b->family && a->lport == b->lport && a->rport == b->rport &&
	       a->lscope == b->lscope && a->rscope == b->rscope &&
	       memcmp(a->laddr, b->laddr, alen) == 0 && memcmp(a->raddr, b->raddr, alen) == 0;
}

/* One EStats type of c into rod; the row is rebuilt from c, as a Windows
 * program passes the row it got from the table. */
static bool estats_get(const struct conn *c, TCP_ESTATS_TYPE type, void *rod, ULONG size)
{
	ULONG r;
	if (c->family == AF_INET) {
		MIB_TCPROW row;
		memset(&row, 0, sizeof(row));
		row.dwState = c->state;
		memcpy(&row.dwLocalAddr, c->laddr, 4);
		memcpy(&row.dwRemoteAddr, c->raddr, 4);
		row.dwLocalPort = htons((uint16_t)c->lport);
		row.dwRemotePort = htons((uint16_t)c->rport);
		r = GetPerTcpConnectionEStats(&row, type, NULL, 0, 0, NULL, 0, 0, rod, 0, size);
	} else {
		MIB_TCP6ROW row;
		memset(&row, 0, sizeof(row));
		row.State = (MIB_TCP_STATE)c->state;
		memcpy(&row.LocalAddr, c->laddr, 16);
		memcpy(&row.RemoteAddr, c->raddr, 16);
		row.dwLocalScopeId = c->lscope;
		row.dwRemoteScopeId = c->rscope;
		row.dwLocalPort = htons((uint16_t)c->lport);
		row.dwRemotePort = htons((uint16_t)c->rport);
		r = GetPerTcp6ConnectionEStats(&row, type, NULL, 0, 0, NULL, 0, 0, rod, 0, size);
	}
	/* 1168 (gone since the table call), ERROR_NOT_SUPPORTED (no EStats
	 * on this OS) and any other error: the columns show "-". */
	return r == NO_ERROR;
}

void conns_estats(struct conn_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct conn *c = &l->v[i];
		/* A listener has no connection, so no counters. */
		if (c->proto != PROTO_TCP || c->state == MIB_TCP_STATE_LISTEN)
			continue;
		TCP_ESTATS_DATA_ROD_v0 data;
		TCP_ESTATS_PATH_ROD_v0 path;
		memset(&data, 0, sizeof(data));
		memset(&path, 0, sizeof(path));
		if (!estats_get(c, TcpConnectionEstatsData, &data, sizeof(data)) ||
		    !estats_get(c, TcpConnectionEstatsPath, &path, sizeof(path)))
			continue;
		c->has_estats = true;
		c->bytes_out = data.DataBytesOut;
		c->bytes_in = data.DataBytesIn;
		c->rtt_ms = path.SmoothedRtt;
		c->retrans = path.PktsRetrans;
	}
}

/* Counters only grow; a smaller value means another socket reused the
 * endpoints, whose rate starts over. */
static ULONGLONG per_second(ULONGLONG now, ULONGLONG was, int seconds)
{
	return now >= was ? (now - was) / (ULONGLONG)seconds : 0;
}

void conns_rates(struct conn_list *cur, const struct conn_list *prev, int seconds)
{
	for (size_t i = 0; i < cur->n; i++) {
		struct conn *c = &cur->v[i];
		if (!c->has_estats || seconds <= 0)
			continue;
		for (size_t k = 0; prev->v && k < prev->n; k++) {
			const struct conn *p = &prev->v[k];
			if (!p->has_estats || !conns_same(c, p))
				continue;
			c->has_rate = true;
			c->out_rate = per_second(c->bytes_out, p->bytes_out, seconds);
			c->in_rate = per_second(c->bytes_in, p->bytes_in, seconds);
			c->retrans_rate = per_second(c->retrans, p->retrans, seconds);
			break;
		}
	}
}
