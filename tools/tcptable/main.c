/*
 * main.c - tcptable: Windows netstat's TCP and UDP display, ported to
 * Linux through the tcptable library (and only its public API).
 *
 * Exit status: 0 success (also after Ctrl+C in an interval display), 1 the
 * library reported an error, 2 the command line was wrong.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "compat.h"
#include "tool.h"

#ifndef TCPTABLE_VERSION
#define TCPTABLE_VERSION "unknown"
#endif

static const char usage_text[] =
	"Usage: tcptable [-a] [-b] [-n] [-o] [-p proto] [-s] [options] [interval]\n"
	"\n"
	"Displays TCP connections, UDP endpoints and statistics, as Windows\n"
	"netstat does.\n"
	"\n"
	"  -a            Displays all connections and listening ports (TCP and UDP).\n"
	"  -b            Displays the executable that owns each connection.\n"
	"  -n            Displays addresses and port numbers numerically.\n"
	"  -o            Displays the owning process ID of each connection.\n"
	"  -p proto      Shows connections of proto: TCP, TCPv6, UDP or UDPv6;\n"
	"                with -s, the statistics of that protocol.\n"
	"  -s            Displays per-protocol statistics (TCP, TCPv6, UDP, UDPv6).\n"
	"  interval      Redisplays every interval seconds; Ctrl+C stops.\n"
	"\n"
	"Options start with - or /, and single letters combine: -ano.\n"
	"\n"
	"  --json        One JSON object per connection, addresses numeric.\n"
	"  --state LIST  Only connections in these states (LISTENING, ESTABLISHED,\n"
	"                TIME_WAIT, CLOSE_WAIT, SYN_SENT, ...; comma-separated).\n"
	"  --port LIST   Only connections with one of these local or remote ports.\n"
	"  --pid LIST    Only connections owned by these processes.\n"
	"  --addr LIST   Only connections with a local or remote address in LIST\n"
	"                (addresses or prefixes such as 10.0.0.0/8 or fe80::/10).\n"
	"  --watch       Redraws every second (or interval) on a terminal; on a\n"
	"                pipe prints only changes: + new, - gone, ~ new state.\n"
	"  --summary     Counts connections per state and protocol.\n"
	"  --estats      Adds bytes sent and received, smoothed RTT (ms) and\n"
	"                retransmissions to TCP connections; with --watch, bytes\n"
	"                and retransmissions per second.\n"
	"  --help        Shows this text.\n"
	"  --version     Shows the version.\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* A command-line error: one line naming it, the usage, exit status 2. */
static void usage_error(const char *fmt, ...) TOOL_PRINTF(1, 2) TOOL_NORETURN;
static void usage_error(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): started just above */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* The message quotes the arguments: escaped like every outside text. */
	char shown[4 * sizeof(msg)];
	text_escape(shown, sizeof(shown), msg);
	fprintf(stderr, "tcptable: %s\n\n", shown);
	fputs(usage_text, stderr);
	exit(2);
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 10)
		return false;
	unsigned long v = strtoul(s, NULL, 10);
	if (v > max)
		return false;
	*out = v;
	return true;
}

static bool parse_addr(const char *s, struct addr_filter *f)
{
	char buf[INET6_ADDRSTRLEN + 8];
	size_t len = strlen(s);
	if (len >= sizeof(buf))
		return false;
	memcpy(buf, s, len + 1);
	char *slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	memset(f, 0, sizeof(*f));
	if (inet_pton(AF_INET, buf, f->addr) == 1)
		f->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, f->addr) == 1)
		f->family = AF_INET6;
	else
		return false;
	unsigned long max = f->family == AF_INET ? 32 : 128, bits = max;
	if (slash && !parse_uint(slash + 1, max, &bits))
		return false;
	f->prefix = (unsigned)bits;
	return true;
}

/* --state/--port/--pid/--addr: a comma-separated list. */
static void parse_list(const char *opt, const char *value, struct filters *f)
{
	char *copy = strdup(value), *save = NULL;
	if (!copy)
		usage_error("out of memory");
	bool any = false;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned long v;
		DWORD st;
		any = true;
		if (strcmp(opt, "--state") == 0) {
			if (!state_parse(tok, &st))
				usage_error("unknown state '%s' for --state", tok);
			f->states |= 1u << st;
		} else if (strcmp(opt, "--port") == 0) {
			if (!parse_uint(tok, 65535, &v) || v == 0)
				usage_error("invalid port '%s' for --port", tok);
			if (f->nports == sizeof(f->ports) / sizeof(f->ports[0]))
				usage_error("too many ports for --port");
			f->ports[f->nports++] = (unsigned)v;
		} else if (strcmp(opt, "--pid") == 0) {
			if (!parse_uint(tok, 0xffffffffUL, &v))
				usage_error("invalid process id '%s' for --pid", tok);
			if (f->npids == sizeof(f->pids) / sizeof(f->pids[0]))
				usage_error("too many process ids for --pid");
			f->pids[f->npids++] = (DWORD)v;
		} else {
			if (f->naddrs == sizeof(f->addrs) / sizeof(f->addrs[0]))
				usage_error("too many addresses for --addr");
			if (!parse_addr(tok, &f->addrs[f->naddrs]))
				usage_error("invalid address '%s' for --addr", tok);
			f->naddrs++;
		}
	}
	free(copy);
	if (!any)
		usage_error("%s needs a value", opt);
}

static void parse_proto(const char *p, struct options *o)
{
	static const struct {
		const char *name;
		bool tcp, v6;
	} protos[] = { { "TCP", true, false }, { "TCPv6", true, true },
		       { "UDP", false, false }, { "UDPv6", false, true } };
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		if (strcasecmp(p, protos[i].name) == 0) {
			o->tcp = protos[i].tcp;
			o->udp = !protos[i].tcp;
			o->v4 = !protos[i].v6;
			o->v6 = protos[i].v6;
			return;
		}
	}
	usage_error("unknown protocol '%s' for -p (TCP, TCPv6, UDP or UDPv6)", p);
}

static void parse_args(int argc, char **argv, struct options *o)
{
	static const char *const long_value[] = { "--state", "--port", "--pid", "--addr" };
	bool have_interval = false, have_proto = false;
	memset(o, 0, sizeof(*o));
	o->v4 = o->v6 = o->tcp = o->udp = true;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-?") == 0 || strcmp(a, "/?") == 0 ||
		    strcmp(a, "-h") == 0) {
			fputs(usage_text, stdout);
			exit(0);
		}
		if (strcmp(a, "--version") == 0) {
			printf("tcptable %s\n", TCPTABLE_VERSION);
			exit(0);
		}
		if (strncmp(a, "--", 2) == 0) {
			if (strcmp(a, "--json") == 0) {
				o->json = true;
				continue;
			}
			if (strcmp(a, "--summary") == 0) {
				o->summary = true;
				continue;
			}
			if (strcmp(a, "--watch") == 0) {
				o->watch = true;
				continue;
			}
			if (strcmp(a, "--estats") == 0) {
				o->estats = true;
				continue;
			}
			bool known = false;
			for (size_t k = 0; k < sizeof(long_value) / sizeof(long_value[0]); k++) {
				size_t n = strlen(long_value[k]);
				if (strncmp(a, long_value[k], n) != 0 || (a[n] && a[n] != '='))
					continue;
				const char *v = a[n] == '=' ? a + n + 1 : (i + 1 < argc ? argv[++i] : NULL);
				if (!v)
					usage_error("%s needs a value", long_value[k]);
				parse_list(long_value[k], v, &o->filt);
				known = true;
			}
			if (!known)
				usage_error("unknown option '%s'", a);
			continue;
		}
		if ((a[0] == '-' || a[0] == '/') && a[1]) {
			for (const char *p = a + 1; *p; p++) {
				switch (*p) {
				case 'a': case 'A': o->all = true; break;
				case 'b': case 'B': o->module = true; break;
				case 'n': case 'N': o->numeric = true; break;
				case 'o': case 'O': o->pid = true; break;
				case 's': case 'S': o->stats = true; break;
				case 'p': case 'P':
					if (have_proto)
						usage_error("-p given twice");
					if (i + 1 >= argc)
						usage_error("-p needs a protocol (TCP, TCPv6, UDP or "
							    "UDPv6)");
					parse_proto(argv[++i], o);
					have_proto = true;
					break;
				case 'e': case 'E': case 'f': case 'F': case 'r': case 'R': case 't':
				case 'T': case 'x': case 'X': case 'y': case 'Y': case 'q': case 'Q':
				case 'i': case 'I':
					usage_error("option '%c' of Windows netstat is not supported", *p);
					break;
				default:
					usage_error("unknown option '%c' in '%s'", *p, a);
				}
			}
			continue;
		}
		unsigned long secs;
		if (parse_uint(a, 86400, &secs) && secs > 0) {
			if (have_interval)
				usage_error("interval given twice");
			o->interval = (int)secs;
			have_interval = true;
			continue;
		}
		usage_error("unexpected argument '%s'", a);
	}
	if (o->watch && o->interval == 0)
		o->interval = 1;
	if (o->stats && (o->json || o->summary || o->watch))
		usage_error("-s does not combine with --json, --summary or --watch");
	if (o->estats && (o->stats || o->summary))
		usage_error("--estats does not combine with -s or --summary");
}

static const char *error_text(DWORD e)
{
	switch (e) {
	case ERROR_NOT_SUPPORTED:
		return "the kernel's connection list cannot be read";
	case ERROR_NOT_ENOUGH_MEMORY:
		return "not enough memory";
	case ERROR_ACCESS_DENIED:
		return "access denied";
	case ERROR_INVALID_PARAMETER:
		return "invalid parameter";
	default:
		return "unexpected error";
	}
}

static void library_error(const char *fn, DWORD e)
{
	fprintf(stderr, "tcptable: %s failed with error %lu: %s\n", fn, (unsigned long)e,
		error_text(e));
	exit(1);
}

/* The rows of the selected tables in netstat's order: TCP IPv4, TCP IPv6,
 * UDP IPv4, UDP IPv6.  UDP endpoints show only with -a and without
 * --state, so they are not read otherwise. */
static void fetch_all(const struct options *o, struct conn_list *l)
{
	const char *fn;
	DWORD e;
	if (o->tcp && o->v4 && (e = conns_fetch(AF_INET, o, l, &fn)) != NO_ERROR)
		library_error(fn, e);
	if (o->tcp && o->v6 && (e = conns_fetch(AF_INET6, o, l, &fn)) != NO_ERROR)
		library_error(fn, e);
	bool udp = o->udp && o->all && !o->filt.states;
	if (udp && o->v4 && (e = conns_fetch_udp(AF_INET, o, l, &fn)) != NO_ERROR)
		library_error(fn, e);
	if (udp && o->v6 && (e = conns_fetch_udp(AF_INET6, o, l, &fn)) != NO_ERROR)
		library_error(fn, e);
	if (o->estats)
		conns_estats(l);
}

/* Whole displays are built in memory and written at once, so an interrupt
 * never leaves a partial line. */
static void emit(char *buf, size_t len)
{
	fwrite(buf, 1, len, stdout);
	fflush(stdout);
	free(buf);
}

/* A stream into memory: output is built whole, then written at once. */
static FILE *memstream(char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);
	if (!f)
		library_error("open_memstream", ERROR_NOT_ENOUGH_MEMORY);
	return f;
}

/* prev: the previous refresh under --watch, for the --estats rates; it
 * becomes this one. */
static void display(const struct options *o, struct names *nm, bool clear,
		    struct conn_list *prev)
{
	struct conn_list l = { 0 };
	fetch_all(o, &l);
	if (o->estats && o->watch)
		conns_rates(&l, prev, o->interval);
	if (nm && !o->json && !o->summary)
		names_prefetch(nm, &l);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = memstream(&buf, &len);
	if (clear)
		fputs("\033[H\033[2J", f);
	if (o->json)
		print_json(f, &l, o);
	else if (o->summary)
		print_summary(f, &l, o);
	else
		print_table(f, &l, o, nm);
	fclose(f);
	emit(buf, len);
	conns_free(prev);
	*prev = l;
}

static void statistics(const struct options *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = memstream(&buf, &len);
	const char *fn = "";
	DWORD e = print_stats(f, o, &fn);
	fclose(f);
	if (e != NO_ERROR) {
		free(buf);
		library_error(fn, e);
	}
	emit(buf, len);
}

/* --watch on a pipe: the first snapshot as + lines, then the changes. */
static void changes(const struct options *o, struct names *nm, struct conn_list *prev)
{
	struct conn_list cur = { 0 };
	fetch_all(o, &cur);
	if (o->estats)
		conns_rates(&cur, prev, o->interval);
	if (nm)
		names_prefetch(nm, &cur);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = memstream(&buf, &len);
	print_changes(f, prev, &cur, o, nm);
	fclose(f);
	emit(buf, len);
	conns_free(prev);
	*prev = cur;
}

/* Sleeps until the next display, or returns false when interrupted. */
static bool pause_for(int seconds)
{
	struct timespec ts = { seconds, 0 };
	while (!stop && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	return !stop;
}

int main(int argc, char **argv)
{
	struct options o;
	parse_args(argc, argv, &o);
	/* A closed pipe (tcptable | head) ends the program quietly. */
	signal(SIGPIPE, SIG_DFL);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART; /* writes finish; only the sleep is cut short */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	struct names *nm = o.numeric || o.json || o.summary || o.stats ? NULL : names_new();
	bool tty = isatty(STDOUT_FILENO);
	struct conn_list prev = { 0 };
	do {
		if (o.stats)
			statistics(&o);
		else if (o.watch && !tty)
			changes(&o, nm, &prev);
		else
			display(&o, nm, o.watch && tty, &prev);
	} while (o.interval > 0 && pause_for(o.interval));
	conns_free(&prev);
	return 0;
}
