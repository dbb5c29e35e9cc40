/*
 * test_tool.c - the tcptable command against a known set of sockets in a
 * private network namespace: golden output of the Windows displays, JSON
 * parsed field by field, filters, summary, statistics, -b, executable,
 * host and service names from outside shown escaped, every
 * command-line error, library errors, a closed pipe, Ctrl+C during an
 * interval display, --watch changes, --estats counters, and name
 * resolution that stays bounded when the resolver never answers.
 *
 * argv[1]: the tcptable binary; argv[2]: the directory of the golden files.
 * Needs a private network namespace (fixed ports); without one the suite
 * reports SKIP (exit 77).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "helpers.h"
#include "run_suite.h"
#include "sandbox.h"

static const char *tool, *golden_dir;

/* ---- Running the tool. */

struct run {
	pid_t pid;
	int out, err; /* read ends */
};

enum { CHILD_PLAIN, CHILD_NO_SOURCES, CHILD_SILENT_DNS, CHILD_NAMES };

static const char *silent_resolv; /* resolv.conf for CHILD_SILENT_DNS */
static const char *names_hosts, *names_services; /* /etc files for CHILD_NAMES */

/* A private mount namespace in which path shows other content. */
static void private_mounts(void)
{
	if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		_exit(121);
}

static struct run start(const char *const args[], int mode)
{
	int out[2], err[2];
	ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(err, O_CLOEXEC), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		const char *argv[32] = { tool };
		for (int i = 0; args[i] && i < 30; i++)
			argv[i + 1] = args[i];
		if (mode == CHILD_NO_SOURCES) {
			/* Neither sock_diag nor /proc/net (the library reads
			 * the thread's, /proc/thread-self/net): nothing can be read.
			 * (/proc itself stays: the loader needs it for $ORIGIN.) */
			private_mounts();
			if (mount("none", "/proc/self/net", "tmpfs", 0, NULL) != 0 ||
			    mount("none", "/proc/thread-self/net", "tmpfs", 0, NULL) != 0)
				_exit(122);
			if (!tt_block_netlink())
				_exit(120);
		} else if (mode == CHILD_SILENT_DNS) {
			private_mounts();
			if (mount(silent_resolv, "/etc/resolv.conf", NULL, MS_BIND, NULL) != 0)
				_exit(123);
		} else if (mode == CHILD_NAMES) {
			private_mounts();
			if (mount(names_hosts, "/etc/hosts", NULL, MS_BIND, NULL) != 0 ||
			    mount(names_services, "/etc/services", NULL, MS_BIND, NULL) != 0)
				_exit(124);
		}
		execv(tool, (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	return (struct run){ pid, out[0], err[0] };
}

/* Reads fd until EOF into a NUL-terminated heap string. */
static char *slurp(int fd)
{
	size_t cap = 4096, len = 0;
	char *s = malloc(cap);
	for (;;) {
		if (len + 1 == cap)
			s = realloc(s, cap *= 2);
		ssize_t n = read(fd, s + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	s[len] = '\0';
	close(fd);
	return s;
}

struct result {
	int status;
	char *out, *err;
};

static struct result run_mode(const char *const args[], int mode)
{
	struct run r = start(args, mode);
	struct result res;
	res.err = NULL;
	res.out = slurp(r.out);
	res.err = slurp(r.err);
	ck_assert_int_eq(waitpid(r.pid, &res.status, 0), r.pid);
	return res;
}

static struct result run(const char *const args[])
{
	return run_mode(args, CHILD_PLAIN);
}

static void result_free(struct result *r)
{
	free(r->out);
	free(r->err);
}

static bool exited(const struct result *r, int code)
{
	return WIFEXITED(r->status) && WEXITSTATUS(r->status) == code;
}

/* The golden file with @PID@ replaced by this process's PID. */
/* A golden file as it is stored. */
static char *golden_text(const char *name)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s.golden", golden_dir, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	return slurp(fd);
}

/* A golden file with @PID@ replaced by the test's process id. */
static char *golden(const char *name)
{
	char *text = golden_text(name);
	char pid[16];
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	size_t cap = strlen(text) * 2 + 64, at = 0;
	char *out = malloc(cap);
	for (const char *p = text; *p;) {
		if (strncmp(p, "@PID@", 5) == 0) {
			at += (size_t)sprintf(out + at, "%s", pid);
			p += 5;
		} else {
			out[at++] = *p++;
		}
	}
	out[at] = '\0';
	free(text);
	return out;
}

static void expect_golden(const char *const args[], const char *name)
{
	struct result r = run(args);
	char *want = golden(name);
	ck_assert_msg(exited(&r, 0), "%s: status %d, stderr: %s", name, r.status, r.err);
	ck_assert_str_eq(r.err, "");
	ck_assert_msg(strcmp(r.out, want) == 0, "%s:\n--- got\n%s--- want\n%s", name, r.out, want);
	free(want);
	result_free(&r);
}

/* ---- The known sockets: fixed ports, possible only in a private netns. */

static int fds[16];
static int nfds;

static int bound_client(const struct tt_ep *from, const struct tt_ep *to)
{
	int fd = socket(from->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_storage a, b;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	socklen_t la, lb;
	if (from->family == AF_INET) {
		struct sockaddr_in *x = (void *)&a, *y = (void *)&b;
		x->sin_family = y->sin_family = AF_INET;
		x->sin_port = htons(from->port);
		y->sin_port = htons(to->port);
		memcpy(&x->sin_addr, from->addr, 4);
		memcpy(&y->sin_addr, to->addr, 4);
		la = lb = sizeof(*x);
	} else {
		struct sockaddr_in6 *x = (void *)&a, *y = (void *)&b;
		x->sin6_family = y->sin6_family = AF_INET6;
		x->sin6_port = htons(from->port);
		y->sin6_port = htons(to->port);
		memcpy(&x->sin6_addr, from->addr, 16);
		memcpy(&y->sin6_addr, to->addr, 16);
		la = lb = sizeof(*x);
	}
	ck_assert_int_eq(bind(fd, (void *)&a, la), 0);
	ck_assert_int_eq(connect(fd, (void *)&b, lb), 0);
	return fd;
}

static void known_sockets(void)
{
	tt_fresh_netns();
	nfds = 0;
	struct tt_ep l4 = tt_ep4("127.0.0.1", 5000), l6 = tt_ep6("::1", 6000, 0);
	struct tt_ep dual = tt_ep6("::", 8080, 0);
	fds[nfds++] = tt_listen(&l4, -1);
	fds[nfds++] = tt_listen(&l6, 1);
	fds[nfds++] = tt_listen(&dual, 0);
	struct tt_ep c4 = tt_ep4("127.0.0.1", 40001), c6 = tt_ep6("::1", 40002, 0);
	fds[nfds++] = bound_client(&c4, &l4);
	fds[nfds++] = tt_accept(fds[0]);
	fds[nfds++] = bound_client(&c6, &l6);
	fds[nfds++] = tt_accept(fds[1]);
	/* UDP: an IPv4 wildcard, an IPv6 loopback and a dual-stack [::] (a
	 * row of both tables). */
	struct tt_ep u4 = tt_ep4("0.0.0.0", 5353), u6 = tt_ep6("::1", 5354, 0);
	struct tt_ep udual = tt_ep6("::", 5355, 0);
	fds[nfds++] = tt_udp_bind(&u4, -1);
	fds[nfds++] = tt_udp_bind(&u6, -1);
	fds[nfds++] = tt_udp_bind(&udual, 0);
}

static void close_known(void)
{
	for (int i = 0; i < nfds; i++)
		close(fds[i]);
	nfds = 0;
}

/* ---- Golden displays. */

START_TEST(golden_displays)
{
	expect_golden((const char *[]){ "-an", NULL }, "an");
	expect_golden((const char *[]){ "/a", "/n", NULL }, "an");
	expect_golden((const char *[]){ "-ano", NULL }, "ano");
	expect_golden((const char *[]){ "-a", "-n", "-o", NULL }, "ano");
	expect_golden((const char *[]){ "-n", NULL }, "n");
	expect_golden((const char *[]){ "-an", "-p", "TCPv6", NULL }, "anp_tcpv6");
	expect_golden((const char *[]){ "-anp", "UDP", NULL }, "anp_udp");
	expect_golden((const char *[]){ "-anop", "udpv6", NULL }, "anop_udpv6");
	/* UDP endpoints have no state: never listed under --state. */
	expect_golden((const char *[]){ "-an", "--state", "established", "--port", "6000", NULL },
		      "filter_state_port");
	expect_golden((const char *[]){ "-anp", "tcpv6", NULL }, "anp_tcpv6");
	expect_golden((const char *[]){ "-an", "--summary", NULL }, "summary");
	expect_golden((const char *[]){ "-an", "--state", "established", "--port", "6000", NULL },
		      "filter_state_port");
	expect_golden((const char *[]){ "-no", "--state=LISTEN", "--addr", "127.0.0.0/8", NULL },
		      "filter_addr_listen");
}
END_TEST

START_TEST(filters_combine)
{
	char pid[16];
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	/* The PID filter keeps everything (all ours); a foreign one nothing. */
	expect_golden((const char *[]){ "-ano", "--pid", pid, NULL }, "ano");
	struct result r = run((const char *[]){ "-ano", "--pid", "1", "--port", "5000", NULL });
	ck_assert(exited(&r, 0));
	ck_assert(strstr(r.out, "Active Connections") && !strstr(r.out, "TCP  "));
	result_free(&r);
	/* Lists: either port; v6 prefix. */
	r = run((const char *[]){ "-an", "--port", "40001,40002", "--addr", "::/0", NULL });
	ck_assert(exited(&r, 0));
	ck_assert_ptr_nonnull(strstr(r.out, "[::1]:40002            [::1]:6000"));
	ck_assert_ptr_null(strstr(r.out, "127.0.0.1"));
	result_free(&r);
}
END_TEST

/* ---- JSON, parsed field by field. */

/* The value of "key" in a flat JSON object line: a string (unquoted) or
 * a number, copied into out; false when absent. */
static bool json_field(const char *line, const char *key, char *out, size_t len)
{
	char pat[64];
	snprintf(pat, sizeof(pat), "\"%s\":", key);
	const char *p = strstr(line, pat);
	if (!p)
		return false;
	p += strlen(pat);
	const char *end;
	if (*p == '"') {
		p++;
		end = strchr(p, '"');
	} else {
		end = p + strcspn(p, ",}");
	}
	if (!end || (size_t)(end - p) >= len)
		return false;
	memcpy(out, p, (size_t)(end - p));
	out[end - p] = '\0';
	return true;
}

START_TEST(json_rows)
{
	struct result r = run((const char *[]){ "-a", "--json", NULL });
	ck_assert(exited(&r, 0));
	ck_assert_str_eq(r.err, "");
	char pid[16];
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	struct {
		const char *proto, *la, *lp, *ra, *rp, *state;
		bool seen;
	} want[] = {
		{ "TCP", "0.0.0.0", "8080", "0.0.0.0", "0", "LISTENING", false },
		{ "TCP", "127.0.0.1", "5000", "0.0.0.0", "0", "LISTENING", false },
		{ "TCP", "127.0.0.1", "5000", "127.0.0.1", "40001", "ESTABLISHED", false },
		{ "TCP", "127.0.0.1", "40001", "127.0.0.1", "5000", "ESTABLISHED", false },
		{ "TCPv6", "::", "8080", "::", "0", "LISTENING", false },
		{ "TCPv6", "::1", "6000", "::", "0", "LISTENING", false },
		{ "TCPv6", "::1", "6000", "::1", "40002", "ESTABLISHED", false },
		{ "TCPv6", "::1", "40002", "::1", "6000", "ESTABLISHED", false },
		/* UDP objects carry the local end and the owner only. */
		{ "UDP", "0.0.0.0", "5353", NULL, NULL, NULL, false },
		{ "UDP", "0.0.0.0", "5355", NULL, NULL, NULL, false },
		{ "UDPv6", "::", "5355", NULL, NULL, NULL, false },
		{ "UDPv6", "::1", "5354", NULL, NULL, NULL, false },
	};
	size_t nwant = sizeof(want) / sizeof(want[0]), lines = 0;
	char *save = NULL;
	for (char *line = strtok_r(r.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		lines++;
		ck_assert(line[0] == '{' && line[strlen(line) - 1] == '}');
		char proto[16], la[64], lp[16], ra[64], rp[16], st[32], p[16], ls[16], rs[16];
		ck_assert(json_field(line, "proto", proto, sizeof(proto)));
		ck_assert(json_field(line, "local_address", la, sizeof(la)));
		ck_assert(json_field(line, "local_port", lp, sizeof(lp)));
		if (strncmp(proto, "UDP", 3) == 0) {
			ck_assert(json_field(line, "pid", p, sizeof(p)));
			ck_assert(json_field(line, "local_scope_id", ls, sizeof(ls)));
			ck_assert_str_eq(p, pid);
			ck_assert_str_eq(ls, "0");
			ck_assert(!json_field(line, "state", st, sizeof(st)));
			ck_assert(!json_field(line, "remote_address", ra, sizeof(ra)));
			bool hit = false;
			for (size_t i = 0; i < nwant && !hit; i++)
				if (!want[i].seen && !want[i].state &&
				    strcmp(want[i].proto, proto) == 0 &&
				    strcmp(want[i].la, la) == 0 && strcmp(want[i].lp, lp) == 0)
					hit = want[i].seen = true;
			ck_assert_msg(hit, "unexpected row %s", line);
			continue;
		}
		ck_assert(json_field(line, "remote_address", ra, sizeof(ra)));
		ck_assert(json_field(line, "remote_port", rp, sizeof(rp)));
		ck_assert(json_field(line, "state", st, sizeof(st)));
		ck_assert(json_field(line, "pid", p, sizeof(p)));
		ck_assert(json_field(line, "local_scope_id", ls, sizeof(ls)));
		ck_assert(json_field(line, "remote_scope_id", rs, sizeof(rs)));
		ck_assert_str_eq(p, pid);
		ck_assert_str_eq(ls, "0");
		ck_assert_str_eq(rs, "0");
		bool matched = false;
		for (size_t i = 0; i < nwant && !matched; i++) {
			if (!want[i].seen && want[i].state && strcmp(want[i].proto, proto) == 0 &&
			    strcmp(want[i].la, la) == 0 && strcmp(want[i].lp, lp) == 0 &&
			    strcmp(want[i].ra, ra) == 0 && strcmp(want[i].rp, rp) == 0 &&
			    strcmp(want[i].state, st) == 0)
				matched = want[i].seen = true;
		}
		ck_assert_msg(matched, "unexpected row %s", line);
	}
	ck_assert_uint_eq(lines, nwant);
	result_free(&r);
}
END_TEST

/* ---- -s and -b. */

START_TEST(statistics_display)
{
	struct result r = run((const char *[]){ "-s", "-p", "TCP", NULL });
	ck_assert(exited(&r, 0));
	ck_assert_ptr_nonnull(strstr(r.out, "\nTCP Statistics for IPv4\n\n"));
	ck_assert_ptr_null(strstr(r.out, "IPv6"));
	/* Two connections were made in this fresh namespace. */
	ck_assert_ptr_nonnull(strstr(r.out, "  Active Opens                        = 2\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "  Passive Opens                       = 2\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "  Current Connections                 = 2\n"));
	result_free(&r);
	r = run((const char *[]){ "-s", NULL });
	ck_assert(exited(&r, 0));
	ck_assert_ptr_nonnull(strstr(r.out, "TCP Statistics for IPv4"));
	ck_assert_ptr_nonnull(strstr(r.out, "TCP Statistics for IPv6"));
	ck_assert_ptr_nonnull(strstr(r.out, "UDP Statistics for IPv4"));
	ck_assert_ptr_nonnull(strstr(r.out, "UDP Statistics for IPv6"));
	result_free(&r);
	/* Three IPv4 datagrams, sent and received, in this fresh namespace. */
	struct tt_ep to = tt_ep4("127.0.0.1", 5353);
	int snd = tt_udp_sendto(AF_INET, &to);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(5353) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(sendto(snd, "x", 1, 0, (struct sockaddr *)&sa, sizeof(sa)), 1);
	for (int i = 0; i < 3; i++) {
		char b;
		ck_assert_int_eq(recv(fds[7], &b, 1, 0), 1);
	}
	close(snd);
	r = run((const char *[]){ "-s", "-p", "UDP", NULL });
	ck_assert(exited(&r, 0));
	ck_assert_ptr_nonnull(strstr(r.out, "\nUDP Statistics for IPv4\n\n"));
	ck_assert_ptr_null(strstr(r.out, "IPv6"));
	ck_assert_ptr_null(strstr(r.out, "TCP"));
	ck_assert_ptr_nonnull(strstr(r.out, "  Datagrams Received                  = 3\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "  Datagrams Sent                      = 3\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "  No Ports                            = 0\n"));
	result_free(&r);
	r = run((const char *[]){ "-s", "-p", "UDPv6", NULL });
	ck_assert(exited(&r, 0));
	ck_assert_ptr_nonnull(strstr(r.out, "\nUDP Statistics for IPv6\n\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "  Datagrams Sent                      = 0\n"));
	result_free(&r);
}
END_TEST

static void own_exe_name(char *buf, size_t len)
{
	char dir[32], path[PATH_MAX];
	snprintf(dir, sizeof(dir), "/proc/%d", (int)getpid());
	int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ssize_t n = readlinkat(d, "exe", path, sizeof(path) - 1);
	close(d);
	ck_assert_int_gt(n, 0);
	path[n] = '\0';
	snprintf(buf, len, " [%s]", strrchr(path, '/') + 1);
}

START_TEST(owning_executables)
{
	char mine[PATH_MAX + 4];
	own_exe_name(mine, sizeof(mine));
	struct result r = run((const char *[]){ "-anbo", "-p", "tcp", NULL });
	ck_assert(exited(&r, 0));
	/* Every row is ours: each is followed by our executable's name. */
	char *save = NULL;
	int rows = 0;
	for (char *line = strtok_r(r.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "  TCP ", 6) != 0)
			continue;
		rows++;
		char *next = strtok_r(NULL, "\n", &save);
		ck_assert_ptr_nonnull(next);
		ck_assert_str_eq(next, mine);
	}
	ck_assert_int_eq(rows, 4);
	result_free(&r);
	/* UDP rows through GetOwnerModuleFromUdpEntry/Udp6Entry. */
	for (int v6 = 0; v6 < 2; v6++) {
		r = run((const char *[]){ "-anbo", "-p", v6 ? "udpv6" : "udp", NULL });
		ck_assert(exited(&r, 0));
		save = NULL;
		rows = 0;
		for (char *line = strtok_r(r.out, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			if (strncmp(line, "  UDP ", 6) != 0)
				continue;
			rows++;
			char *next = strtok_r(NULL, "\n", &save);
			ck_assert_ptr_nonnull(next);
			ck_assert_str_eq(next, mine);
		}
		ck_assert_int_eq(rows, 2);
		result_free(&r);
	}
}
END_TEST

/* ---- Names from outside reach the terminal escaped. */

/* What another user may name a program: a terminal title, a screen clear
 * and a forged row, then a tab, a backslash, a byte that is not UTF-8,
 * valid accented and CJK text, a C1 control (CSI) and DEL. */
static const char evil_name[] = "evil\033]0;pwned\007\033[2J\n"
				"  TCP    6.6.6.6:1              0.0.0.0:0              LISTENING\n"
				"\tback\\slash \xff caf\xc3\xa9 \xe5\x90\x8d \xc2\x9b\x7f";

/* The temporary file dir/name with content text; its path in path. */
static void write_file(char *path, size_t len, const char *dir, const char *name,
		       const void *text, size_t n, mode_t mode)
{
	snprintf(path, len, "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(write(fd, text, n), (ssize_t)n);
	ck_assert_int_eq(close(fd), 0);
}

/* Starts a copy of /bin/sleep named evil_name that holds the listener lfd
 * (which the caller no longer has afterwards); returns once it runs the
 * copy, so that its executable is the evil one. */
static pid_t start_evil(const char *dir, int lfd, char *exe, size_t exelen)
{
	int src = open("/bin/sleep", O_RDONLY | O_CLOEXEC);
	ck_assert_msg(src >= 0, "/bin/sleep: %s", strerror(errno));
	char *bin = slurp(src); /* closes src */
	struct stat st;
	ck_assert_int_eq(stat("/bin/sleep", &st), 0);
	write_file(exe, exelen, dir, evil_name, bin, (size_t)st.st_size, 0755);
	free(bin);
	int sync[2]; /* closed by the exec: read() sees EOF once it happened */
	ck_assert_int_eq(pipe2(sync, O_CLOEXEC), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* Gone with the test, even when an assertion ends it early. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		fcntl(lfd, F_SETFD, 0); /* the listener, and only it, survives the exec */
		execl(exe, evil_name, "600", (char *)NULL);
		_exit(127);
	}
	close(sync[1]);
	char c;
	ck_assert_int_eq(read(sync[0], &c, 1), 0);
	close(sync[0]);
	close(lfd);
	return pid;
}

START_TEST(outside_names_escaped)
{
	char dir[] = "/tmp/tt-names-XXXXXX", exe[PATH_MAX];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	struct tt_ep e = tt_ep4("127.0.0.1", 7101);
	pid_t evil = start_evil(dir, tt_listen(&e, -1), exe, sizeof(exe));

	/* The owner's line shows the name escaped, on one line. */
	expect_golden((const char *[]){ "-anb", "--port", "7101", NULL }, "anb_evil");
	struct result r = run((const char *[]){ "-anb", NULL });
	ck_assert(exited(&r, 0));
	ck_assert_msg(!strpbrk(r.out, "\033\007\x7f"), "raw control in:\n%s", r.out);
	ck_assert_ptr_null(strstr(r.out, "\n  TCP    6.6.6.6"));
	ck_assert_ptr_nonnull(strstr(r.out, "\n [evil\\x1b]0;pwned\\x07\\x1b[2J\\n  TCP    6.6.6.6:1"));
	result_free(&r);
	/* JSON: the same name with JSON's escapes. */
	r = run((const char *[]){ "-anb", "--json", "--port", "7101", NULL });
	ck_assert(exited(&r, 0));
	ck_assert_ptr_nonnull(strstr(r.out, "\"module_name\":\"evil\\u001b]0;pwned\\u0007\\u001b[2J"
					    "\\u000a  TCP    6.6.6.6:1 "));
	ck_assert_ptr_nonnull(strstr(r.out, "\\u0009back\\\\slash \xef\xbf\xbd caf\xc3\xa9 \xe5\x90\x8d "
					    "\\u009b\\u007f\",\"module_path\":\"/tmp/tt-names-"));
	ck_assert_msg(!strpbrk(r.out, "\033\007\x7f\t"), "raw control in:\n%s", r.out);
	ck_assert_ptr_null(strstr(r.out, "\xc2\x9b"));
	result_free(&r);
	kill(evil, SIGKILL);
	ck_assert_int_eq(waitpid(evil, NULL, 0), evil);
	unlink(exe);

	/* Host and service names (without -n) from /etc files in a private
	 * mount namespace, the same bytes as a resolver could send. */
	if (geteuid() != 0) {
		fprintf(stderr, "# outside_names_escaped: host names SKIPPED, needs root\n");
		rmdir(dir);
		return;
	}
	char hosts[PATH_MAX], services[PATH_MAX];
	const char hosts_text[] = "127.0.0.1 localhost\n"
				  "127.0.0.9 evil\033]2;x\007\033[2J\xff\xc2\x9b" "caf\xc3\xa9\\h\n"
				  "127.0.0.10 caf\xc3\xa9\n"
				  "127.0.0.11 \xe5\x90\x8d\xe5\x89\x8d\n";
	const char services_text[] = "ev\033[1mil\\svc 7104/tcp\n";
	write_file(hosts, sizeof(hosts), dir, "hosts", hosts_text, sizeof(hosts_text) - 1, 0644);
	write_file(services, sizeof(services), dir, "services", services_text,
		   sizeof(services_text) - 1, 0644);
	names_hosts = hosts;
	names_services = services;
	int lf[3];
	const char *addrs[3] = { "127.0.0.9", "127.0.0.10", "127.0.0.11" };
	for (int i = 0; i < 3; i++) {
		e = tt_ep4(addrs[i], (uint16_t)(7101 + i));
		lf[i] = tt_listen(&e, -1);
	}
	e = tt_ep4("127.0.0.1", 7104);
	int svc = tt_listen(&e, -1);
	r = run_mode((const char *[]){ "-a", "--port", "7101,7102,7103,7104", NULL }, CHILD_NAMES);
	char *want = golden("a_names");
	ck_assert_msg(exited(&r, 0), "status %d: %s", r.status, r.err);
	ck_assert_msg(strcmp(r.out, want) == 0, "a_names:\n--- got\n%s--- want\n%s", r.out, want);
	free(want);
	result_free(&r);

	for (int i = 0; i < 3; i++)
		close(lf[i]);
	close(svc);
	unlink(hosts);
	unlink(services);
	rmdir(dir);
}
END_TEST

/* ---- Command-line errors: one line, the usage, status 2, no output. */

START_TEST(command_line_errors)
{
	const char *const cases[][4] = {
		{ "-x" },		       { "-z" },		   { "--bogus" },
		{ "-p" },		       { "-p", "UDP4" },	   { "-p", "udp6" },
		{ "-p", "icmp" },	       { "-an", "-p", "tcp", "-p" }, { "banana" },
		{ "0" },		       { "-1" },		   { "5", "6" },
		{ "99999999999" },	       { "--state", "BOGUS" },	   { "--state" },
		{ "--state=" },		       { "--port", "0" },	   { "--port", "70000" },
		{ "--port", "http" },	       { "--pid", "x" },	   { "--addr", "1.2.3.4/40" },
		{ "--addr", "nothere" },       { "-s", "--json" },	   { "-r" },
		{ "-e" },		       { "/" "q" },		   { "--json=1" },
		{ "--estats", "-s" },	       { "--estats", "--summary" }, { "--estats=1" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct result r = run(cases[i]);
		ck_assert_msg(exited(&r, 2), "case %zu (%s): status %d", i, cases[i][0], r.status);
		ck_assert_msg(r.out[0] == '\0', "case %zu wrote to stdout", i);
		ck_assert_msg(strncmp(r.err, "tcptable: ", 10) == 0, "case %zu: %s", i, r.err);
		/* One line naming the problem, then the usage. */
		const char *nl = strchr(r.err, '\n');
		ck_assert_ptr_nonnull(nl);
		ck_assert_msg(strncmp(nl, "\n\nUsage: tcptable", 17) == 0, "case %zu: %s", i, r.err);
		result_free(&r);
	}
}
END_TEST

START_TEST(help_and_version)
{
	struct result r = run((const char *[]){ "--help", NULL });
	ck_assert(exited(&r, 0));
	ck_assert(strncmp(r.out, "Usage: tcptable", 15) == 0);
	ck_assert_str_eq(r.err, "");
	result_free(&r);
	r = run((const char *[]){ "/?", NULL });
	ck_assert(exited(&r, 0));
	ck_assert(strncmp(r.out, "Usage: tcptable", 15) == 0);
	result_free(&r);
	r = run((const char *[]){ "--version", NULL });
	ck_assert(exited(&r, 0));
	ck_assert(strncmp(r.out, "tcptable ", 9) == 0);
	ck_assert_str_eq(r.err, "");
	result_free(&r);
}
END_TEST

/* Neither source readable: exit status 1 and a message naming the cause. */
START_TEST(library_error_exit_status)
{
	if (geteuid() != 0) {
		fprintf(stderr, "# library_error_exit_status: SKIPPED, needs root\n");
		return;
	}
	struct result r = run_mode((const char *[]){ "-an", NULL }, CHILD_NO_SOURCES);
	ck_assert_msg(exited(&r, 1), "status %d, stderr %s", r.status, r.err);
	ck_assert_str_eq(r.out, "");
	ck_assert_str_eq(r.err, "tcptable: GetExtendedTcpTable failed with error 50: the kernel's "
				"connection list cannot be read\n");
	result_free(&r);
}
END_TEST

/* tcptable -an | head -1: the closed pipe ends the program, silently. */
START_TEST(closed_pipe_is_quiet)
{
	struct tt_ep l = tt_ep4("127.0.0.2", 0);
	int many[300];
	for (int i = 0; i < 300; i++) {
		l.port = 0;
		many[i] = tt_listen(&l, -1);
	}
	struct run p = start((const char *[]){ "-an", "5", NULL }, CHILD_PLAIN);
	char line[256];
	ssize_t n = read(p.out, line, sizeof(line));
	ck_assert_int_gt(n, 0);
	close(p.out); /* like head after its line */
	char *err = slurp(p.err);
	int st;
	ck_assert_int_eq(waitpid(p.pid, &st, 0), p.pid);
	ck_assert_msg(err[0] == '\0', "stderr: %s", err);
	ck_assert((WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE) || (WIFEXITED(st) && !WEXITSTATUS(st)));
	free(err);
	for (int i = 0; i < 300; i++)
		close(many[i]);
}
END_TEST

/* Reads from fd until `needle` appears (or 5 s pass); returns the text. */
static char *read_until(int fd, const char *needle, char *acc, size_t *len, size_t cap)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		acc[*len] = '\0';
		if (strstr(acc, needle))
			return acc;
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec > 5)
			return NULL;
		struct pollfd pfd = { fd, POLLIN, 0 };
		if (poll(&pfd, 1, 200) == 1) {
			ssize_t n = read(fd, acc + *len, cap - 1 - *len);
			if (n <= 0)
				return NULL;
			*len += (size_t)n;
		}
	}
}

/* Ctrl+C during an interval display: exit 0, complete lines only. */
START_TEST(interrupted_interval_display)
{
	struct run p = start((const char *[]){ "-an", "1", NULL }, CHILD_PLAIN);
	static char acc[1 << 16];
	size_t len = 0;
	/* Wait for the second display, then interrupt during the pause. */
	ck_assert_ptr_nonnull(read_until(p.out, "[::1]:5354             *:*\n\nActive", acc, &len,
					 sizeof(acc)));
	kill(p.pid, SIGINT);
	int st;
	ck_assert_int_eq(waitpid(p.pid, &st, 0), p.pid);
	char *rest = slurp(p.out);
	char *err = slurp(p.err);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d", st);
	ck_assert_str_eq(err, "");
	size_t total = len + strlen(rest);
	const char *last = rest[0] ? rest : acc;
	ck_assert(total > 0 && last[strlen(last) - 1] == '\n');
	free(rest);
	free(err);
}
END_TEST

/* --watch on a pipe: + for every row at first, then only changes. */
START_TEST(watch_prints_changes)
{
	struct run p = start((const char *[]){ "-an", "--watch", NULL }, CHILD_PLAIN);
	static char acc[1 << 16];
	size_t len = 0;
	ck_assert_ptr_nonnull(read_until(p.out, "+ TCP    [::1]:40002            [::1]:6000", acc, &len,
					 sizeof(acc)));
	int plus = 0;
	for (const char *s = acc; (s = strstr(s, "+ TCP")); s++)
		plus++;
	ck_assert_int_eq(plus, 8);
	ck_assert_ptr_null(strstr(acc, "Active Connections"));
	ck_assert_ptr_null(strstr(acc, "\033"));

	/* A new connection, */
	struct tt_ep l4 = tt_ep4("127.0.0.1", 5000), c = tt_ep4("127.0.0.1", 40003);
	int cfd = bound_client(&c, &l4), sfd = tt_accept(fds[0]);
	ck_assert_ptr_nonnull(read_until(p.out, "+ TCP    127.0.0.1:40003        127.0.0.1:5000", acc,
					 &len, sizeof(acc)));
	/* half-closed (state changes), */
	shutdown(cfd, SHUT_WR);
	ck_assert_ptr_nonnull(read_until(p.out, "(was ESTABLISHED)", acc, &len, sizeof(acc)));
	ck_assert_ptr_nonnull(strstr(acc, "~ TCP    127.0.0.1:40003"));
	/* and gone. */
	struct linger lg = { 1, 0 };
	setsockopt(cfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(cfd);
	close(sfd);
	ck_assert_ptr_nonnull(read_until(p.out, "- TCP    127.0.0.1:5000         127.0.0.1:40003", acc,
					 &len, sizeof(acc)));
	/* A UDP endpoint comes and goes too. */
	struct tt_ep u = tt_ep4("127.0.0.1", 5399);
	int ufd = tt_udp_bind(&u, -1);
	ck_assert_ptr_nonnull(read_until(p.out, "+ UDP    127.0.0.1:5399         *:*", acc, &len,
					 sizeof(acc)));
	close(ufd);
	ck_assert_ptr_nonnull(read_until(p.out, "- UDP    127.0.0.1:5399         *:*", acc, &len,
					 sizeof(acc)));
	kill(p.pid, SIGINT);
	int st;
	ck_assert_int_eq(waitpid(p.pid, &st, 0), p.pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(p.out);
	close(p.err);
}
END_TEST

/* ---- --estats. */

/* Sends exactly n bytes from one end of a connection and reads them all
 * at the other, so the byte counters are known. */
static void send_exactly(int from, int to, size_t n)
{
	char buf[4096];
	memset(buf, 'x', sizeof(buf));
	for (size_t done = 0; done < n;) {
		size_t chunk = n - done < sizeof(buf) ? n - done : sizeof(buf);
		ssize_t w = write(from, buf, chunk);
		ck_assert_int_gt(w, 0);
		done += (size_t)w;
	}
	for (size_t got = 0; got < n;) {
		ssize_t r = read(to, buf, sizeof(buf));
		ck_assert_int_gt(r, 0);
		got += (size_t)r;
	}
}

/* The 40001 <-> 5000 pair of the known sockets carries 1000 bytes one
 * way and 300 the other. */
static void estats_traffic(void)
{
	send_exactly(fds[3], fds[4], 1000);
	send_exactly(fds[4], fds[3], 300);
}

/* The smoothed RTT depends on timing: each row's RTT(ms) field (under the
 * header's) must be a number or "-"; a number is replaced by "R" so that
 * the rest can be compared with a golden file. */
static void mask_rtt(char *text)
{
	const char *head = strstr(text, " RTT(ms)");
	ck_assert_ptr_nonnull(head);
	const char *line = head;
	while (line > text && line[-1] != '\n')
		line--;
	size_t col = (size_t)(head - line) + 1, width = 7;
	for (char *p = text; *p;) {
		char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (strncmp(p, "  TCP", 5) == 0 || strncmp(p, "  UDP", 5) == 0) {
			ck_assert_uint_ge(len, col + width);
			char *f = p + col;
			size_t sp = strspn(f, " ");
			ck_assert_uint_lt(sp, width);
			size_t digits = strspn(f + sp, "0123456789");
			bool dash = f[sp] == '-' && sp + 1 == width;
			ck_assert_msg(dash || sp + digits == width, "RTT field '%.7s' in: %.*s", f,
				      (int)len, p);
			if (!dash) {
				memset(f, ' ', width);
				f[width - 1] = 'R';
			}
		}
		p = end ? end + 1 : p + len;
	}
}

/* Compares with a golden file after mask_rtt; the PID column, padded to
 * 7 under --estats, is masked as "@PID@  " so the golden does not depend
 * on the number of digits of the process id. */
static void expect_estats_golden(const char *const args[], const char *name)
{
	struct result r = run(args);
	char *want = golden_text(name);
	ck_assert_msg(exited(&r, 0), "%s: status %d, stderr: %s", name, r.status, r.err);
	ck_assert_str_eq(r.err, "");
	mask_rtt(r.out);
	char pid[16];
	snprintf(pid, sizeof(pid), " %-7d ", (int)getpid());
	for (char *p = r.out; (p = strstr(p, pid)); p += strlen(pid))
		memcpy(p, " @PID@   ", strlen(pid));
	ck_assert_msg(strcmp(r.out, want) == 0, "%s:\n--- got\n%s--- want\n%s", name, r.out, want);
	free(want);
	result_free(&r);
}

/* Columns of known byte counts; "-" for a listener and a UDP endpoint,
 * which have no connection. */
START_TEST(estats_columns)
{
	estats_traffic();
	expect_estats_golden((const char *[]){ "-an", "--estats", "--port", "5000,5353", NULL },
			     "an_estats");
	expect_estats_golden((const char *[]){ "-ano", "--estats", "--port", "5000,5353", NULL },
			     "ano_estats");
}
END_TEST

/* --json --estats: the counters as numbers equal to what was sent, null
 * where there is no connection. */
START_TEST(estats_json)
{
	estats_traffic();
	struct result r = run((const char *[]){ "-an", "--json", "--estats", "--port", "5000,5353",
						NULL });
	ck_assert(exited(&r, 0));
	ck_assert_str_eq(r.err, "");
	int client = 0, server = 0, none = 0;
	char *save = NULL;
	for (char *line = strtok_r(r.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char lp[16], st[32] = "", out[32], in[32], rtt[32], re[32];
		ck_assert(json_field(line, "local_port", lp, sizeof(lp)));
		ck_assert(json_field(line, "bytes_sent", out, sizeof(out)));
		ck_assert(json_field(line, "bytes_received", in, sizeof(in)));
		ck_assert(json_field(line, "rtt_ms", rtt, sizeof(rtt)));
		ck_assert(json_field(line, "retransmissions", re, sizeof(re)));
		json_field(line, "state", st, sizeof(st));
		if (strcmp(st, "ESTABLISHED") != 0) { /* the listener, the UDP endpoint */
			ck_assert_str_eq(out, "null");
			ck_assert_str_eq(in, "null");
			ck_assert_str_eq(rtt, "null");
			ck_assert_str_eq(re, "null");
			none++;
			continue;
		}
		bool is_client = strcmp(lp, "40001") == 0;
		ck_assert_str_eq(out, is_client ? "1000" : "300");
		ck_assert_str_eq(in, is_client ? "300" : "1000");
		ck_assert_str_eq(re, "0");
		ck_assert(rtt[0] && strspn(rtt, "0123456789") == strlen(rtt));
		if (is_client)
			client++;
		else
			server++;
	}
	ck_assert_int_eq(client, 1);
	ck_assert_int_eq(server, 1);
	ck_assert_int_eq(none, 2);
	result_free(&r);
}
END_TEST

/* Splits a --estats row after its state into the four counter fields. */
static void estats_fields(const char *line, char f[4][32])
{
	const char *p = strstr(line, "ESTABLISHED");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(sscanf(p, "ESTABLISHED %31s %31s %31s %31s", f[0], f[1], f[2], f[3]), 4);
}

/* --watch --estats on a pipe: "-" on a connection's first refresh, then
 * an "=" line with numeric rates per second. */
START_TEST(estats_watch_rates)
{
	estats_traffic();
	struct run p = start((const char *[]){ "-n", "--estats", "--watch", "--port", "5000", NULL },
			     CHILD_PLAIN);
	static char acc[1 << 16];
	size_t len = 0;
	ck_assert_ptr_nonnull(read_until(p.out, "= TCP    127.0.0.1:40001", acc, &len, sizeof(acc)));
	char f[4][32];
	estats_fields(strstr(acc, "+ TCP    127.0.0.1:40001"), f);
	for (int i = 0; i < 4; i++)
		ck_assert_str_eq(f[i], "-");
	const char *rate = strstr(acc, "= TCP    127.0.0.1:40001");
	ck_assert_ptr_nonnull(strchr(rate, '\n'));
	estats_fields(rate, f);
	for (int i = 0; i < 4; i++)
		ck_assert_msg(strspn(f[i], "0123456789") == strlen(f[i]), "field %d: %s", i, f[i]);
	/* Nothing moved during the refresh: zero bytes per second. */
	ck_assert_str_eq(f[0], "0");
	ck_assert_str_eq(f[1], "0");
	kill(p.pid, SIGINT);
	int st;
	ck_assert_int_eq(waitpid(p.pid, &st, 0), p.pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(p.out);
	close(p.err);
}
END_TEST

/* Without -n, addresses go to the resolver; one that never answers must
 * not hold the display up for more than a moment. */
START_TEST(unreachable_resolver_stays_bounded)
{
	if (geteuid() != 0) {
		fprintf(stderr, "# unreachable_resolver_stays_bounded: SKIPPED, needs root\n");
		return;
	}
	/* A DNS server that swallows every query. */
	int dns = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(53) };
	inet_pton(AF_INET, "127.0.0.53", &sa.sin_addr);
	ck_assert_int_eq(bind(dns, (void *)&sa, sizeof(sa)), 0);
	char conf[] = "/tmp/tt-resolv-XXXXXX";
	int cfd = mkstemp(conf);
	const char text[] = "nameserver 127.0.0.53\noptions timeout:5 attempts:3\n";
	ck_assert_int_eq(write(cfd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(cfd);
	silent_resolv = conf;
	/* Twenty addresses nobody has a name for. */
	int lf[20];
	for (int i = 0; i < 20; i++) {
		char a[64];
		snprintf(a, sizeof(a), "2001:db8::%x", i + 1);
		struct tt_ep e = tt_ep6(a, 0, 0);
		lf[i] = tt_listen_freebind(&e);
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct result r = run_mode((const char *[]){ "-a", NULL }, CHILD_SILENT_DNS);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("# unreachable resolver: display took %.2f s\n", secs);
	ck_assert_msg(exited(&r, 0), "status %d: %s", r.status, r.err);
	ck_assert_msg(secs < 4.0, "display took %.2f s", secs);
	/* Shown numerically, and the resolver was really asked. */
	ck_assert_ptr_nonnull(strstr(r.out, "[2001:db8::14]:"));
	char q[512];
	ck_assert_int_gt(recv(dns, q, sizeof(q), MSG_DONTWAIT), 0);
	result_free(&r);
	for (int i = 0; i < 20; i++)
		close(lf[i]);
	close(dns);
	unlink(conf);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test_tool <tcptable binary> <golden dir>\n");
		return 2;
	}
	tool = argv[1];
	golden_dir = argv[2];
	tt_test_init("tool");
	if (!tt_isolated) {
		fprintf(stderr, "SKIP: the tool suite needs a private network namespace (fixed ports)\n");
		return 77;
	}
	Suite *s = suite_create("tool");
	TCase *tc = tcase_create("tool");
	tcase_add_checked_fixture(tc, known_sockets, close_known);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, golden_displays);
	tcase_add_test(tc, filters_combine);
	tcase_add_test(tc, json_rows);
	tcase_add_test(tc, statistics_display);
	tcase_add_test(tc, owning_executables);
	tcase_add_test(tc, outside_names_escaped);
	tcase_add_test(tc, command_line_errors);
	tcase_add_test(tc, help_and_version);
	tcase_add_test(tc, library_error_exit_status);
	tcase_add_test(tc, closed_pipe_is_quiet);
	tcase_add_test(tc, interrupted_interval_display);
	tcase_add_test(tc, watch_prints_changes);
	tcase_add_test(tc, estats_columns);
	tcase_add_test(tc, estats_json);
	tcase_add_test(tc, estats_watch_rates);
	tcase_add_test(tc, unreachable_resolver_stays_bounded);
	suite_add_tcase(s, tc);
	return tt_run_suite(s);
}
