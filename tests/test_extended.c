/*
 * test_extended.c - GetExtendedTcpTable with every class and family against
 * real sockets: the filters, the owner columns, OWNER_MODULE's timestamp,
 * module info and padding, and the error order of SPEC §4.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "helpers.h"
#include "run_suite.h"
#include "table_fns.h"

/* A row of any GetExtendedTcpTable layout, decoded through the Windows
 * structures themselves. */
struct any_row {
	DWORD state;
	struct tt_ep l, r;
	DWORD pid;
	int has_module;
	LARGE_INTEGER created;
	ULONGLONG info[TCPIP_OWNING_MODULE_SIZE];
};

static void ep4(struct tt_ep *ep, DWORD addr, DWORD port)
{
	memset(ep, 0, sizeof(*ep));
	ep->family = AF_INET;
	memcpy(ep->addr, &addr, 4);
	ck_assert_uint_eq(port >> 16, 0);
	ep->port = ntohs((uint16_t)port);
}

static void ep6(struct tt_ep *ep, const void *addr, DWORD scope, DWORD port)
{
	memset(ep, 0, sizeof(*ep));
	ep->family = AF_INET6;
	memcpy(ep->addr, addr, 16);
	ep->scope = scope;
	ck_assert_uint_eq(port >> 16, 0);
	ep->port = ntohs((uint16_t)port);
}

static struct any_row decode(const struct table_fn *f, const unsigned char *t, DWORD i)
{
	struct any_row a;
	memset(&a, 0, sizeof(a));
	const unsigned char *p = t + f->header + i * f->row;
	int kind = f->cls / 3;
	if (f->family == AF_INET) {
		/* Every IPv4 layout starts with a MIB_TCPROW. */
		MIB_TCPROW_OWNER_MODULE m;
		memset(&m, 0, sizeof(m));
		memcpy(&m, p, f->row);
		a.state = m.dwState;
		ep4(&a.l, m.dwLocalAddr, m.dwLocalPort);
		ep4(&a.r, m.dwRemoteAddr, m.dwRemotePort);
		if (kind > 0)
			a.pid = m.dwOwningPid;
		if (kind == 2) {
			a.has_module = 1;
			a.created = m.liCreateTimestamp;
			memcpy(a.info, m.OwningModuleInfo, sizeof(a.info));
		}
	} else {
		MIB_TCP6ROW_OWNER_MODULE m;
		memset(&m, 0, sizeof(m));
		memcpy(&m, p, f->row);
		a.state = m.dwState;
		ep6(&a.l, m.ucLocalAddr, m.dwLocalScopeId, m.dwLocalPort);
		ep6(&a.r, m.ucRemoteAddr, m.dwRemoteScopeId, m.dwRemotePort);
		a.pid = m.dwOwningPid;
		if (kind == 2) {
			a.has_module = 1;
			a.created = m.liCreateTimestamp;
			memcpy(a.info, m.OwningModuleInfo, sizeof(a.info));
		}
	}
	return a;
}

static bool same_ep(const struct tt_ep *a, const struct tt_ep *b)
{
	return a->family == b->family && a->port == b->port && a->scope == b->scope &&
	       memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16) == 0;
}

static unsigned char *get_table(const struct table_fn *f, ULONG *size_out)
{
	ULONG size = 0, r;
	unsigned char *t = NULL;
	while ((r = f->call(t, &size, TRUE)) == ERROR_INSUFFICIENT_BUFFER) {
		free(t);
		t = malloc(size);
		ck_assert_ptr_nonnull(t);
	}
	ck_assert_msg(r == NO_ERROR, "%s: %u", f->name, (unsigned)r);
	*size_out = size;
	return t;
}

/* Per family: a listener and a connected pair, all held by this process,
 * plus a listener held by a forked child with its own process key. */
static struct tt_ep lep[2], cep[2], child_ep[2];
static int fds[8];
static pid_t child;

static void setup(void)
{
	tt_fresh_netns();
	lep[0] = tt_ep4("127.0.0.1", 0);
	lep[1] = tt_ep6("::1", 0, 0);
	for (int f = 0; f < 2; f++) {
		fds[f * 3] = tt_listen(&lep[f], 1);
		tt_pair(fds[f * 3], &lep[f], &fds[f * 3 + 1], &fds[f * 3 + 2]);
		cep[f] = tt_local_of(fds[f * 3 + 1]);
	}
	child_ep[0] = tt_ep4("127.0.0.2", 0);
	child_ep[1] = tt_ep6("::1", 0, 0);
	int cfd4 = tt_listen(&child_ep[0], 1), cfd6 = tt_listen(&child_ep[1], 1);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	close(cfd4);
	close(cfd6);
}

static void teardown(void)
{
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

/* One expected row: endpoints, state, owner. */
struct want {
	const struct tt_ep *l, *r;
	DWORD state;
	DWORD pid;
	int listener;
};

START_TEST(every_class_filters_and_fills)
{
	const struct table_fn *f = &table_fns[_i];
	if (f->cls < 0 || f->proto != FN_TCP)
		return; /* the plain functions are covered by test_live, UDP by test_udp */
	int fi = f->family == AF_INET ? 0 : 1;
	const struct tt_ep *none = fi ? &tt_none6 : &tt_none4;
	DWORD me = (DWORD)getpid();
	const struct want wants[] = {
		{ &lep[fi], none, MIB_TCP_STATE_LISTEN, me, 1 },
		{ &child_ep[fi], none, MIB_TCP_STATE_LISTEN, (DWORD)child, 1 },
		{ &cep[fi], &lep[fi], MIB_TCP_STATE_ESTAB, me, 0 },
		{ &lep[fi], &cep[fi], MIB_TCP_STATE_ESTAB, me, 0 },
	};
	ULONG size;
	unsigned char *t = get_table(f, &size);
	DWORD n;
	memcpy(&n, t, sizeof(n));
	ck_assert_uint_eq(size, f->header + n * f->row);
	if (tt_isolated)
		ck_assert_uint_eq(n, table_fn_rows(f, 2, 2));
	for (size_t i = sizeof(DWORD); i < f->header; i++)
		ck_assert_uint_eq(t[i], 0); /* OWNER_MODULE padding */

	uint64_t my_key = 0, child_key = 0;
	for (DWORD i = 0; i < n; i++) {
		struct any_row a = decode(f, t, i);
		bool listen = a.state == MIB_TCP_STATE_LISTEN;
		ck_assert(listen ? (f->states & FN_LISTEN) : (f->states & FN_CONNECTIONS));
		if (!a.has_module)
			continue;
		ck_assert(a.created.QuadPart == 0);
		ck_assert(a.info[0] == 0);
		for (int k = 2; k < TCPIP_OWNING_MODULE_SIZE; k++)
			ck_assert(a.info[k] == 0);
		if (a.pid == me)
			my_key = a.info[1];
		if (a.pid == (DWORD)child)
			child_key = a.info[1];
		ck_assert(a.pid == 0 || a.info[1] != 0);
	}
	for (size_t w = 0; w < sizeof(wants) / sizeof(wants[0]); w++) {
		const struct want *x = &wants[w];
		bool expected = x->listener ? (f->states & FN_LISTEN) : (f->states & FN_CONNECTIONS);
		bool found = false;
		for (DWORD i = 0; i < n && !found; i++) {
			struct any_row a = decode(f, t, i);
			if (!same_ep(&a.l, x->l) || !same_ep(&a.r, x->r))
				continue;
			found = true;
			ck_assert_uint_eq(a.state, x->state);
			ck_assert_uint_eq(a.pid, f->owners ? x->pid : 0);
		}
		ck_assert_msg(found == expected, "%s: row %zu %s", f->name, w,
			      expected ? "missing" : "unexpected");
	}
	/* Both owning processes have a key (the start time, which tells
	 * incarnations of one PID apart; two PIDs may share it). */
	if (f->cls / 3 == 2 && (f->states & FN_LISTEN))
		ck_assert(my_key != 0 && child_key != 0);
	free(t);
}
END_TEST

static ULONG ext(ULONG af, int cls, PDWORD size)
{
	return GetExtendedTcpTable(NULL, size, TRUE, af, (TCP_TABLE_CLASS)cls, 0);
}

START_TEST(error_order)
{
	DWORD size = 77;
	/* 1. family, then class, then IPv6 BASIC (SPEC §4). */
	const ULONG bad_af[] = { AF_UNSPEC, AF_UNIX, 23, AF_INET6 + 1000, 0x10002 };
	for (size_t i = 0; i < sizeof(bad_af) / sizeof(bad_af[0]); i++) {
		ck_assert_uint_eq(ext(bad_af[i], TCP_TABLE_OWNER_PID_ALL, &size),
				  ERROR_INVALID_PARAMETER);
		ck_assert_uint_eq(ext(bad_af[i], 99, NULL), ERROR_INVALID_PARAMETER);
	}
	const int bad_cls[] = { 9, 10, -1, 0x7fffffff };
	for (size_t i = 0; i < sizeof(bad_cls) / sizeof(bad_cls[0]); i++) {
		ck_assert_uint_eq(ext(AF_INET, bad_cls[i], &size), ERROR_INVALID_PARAMETER);
		ck_assert_uint_eq(ext(AF_INET6, bad_cls[i], &size), ERROR_INVALID_PARAMETER);
	}
	for (int cls = TCP_TABLE_BASIC_LISTENER; cls <= TCP_TABLE_BASIC_ALL; cls++) {
		ck_assert_uint_eq(ext(AF_INET6, cls, &size), ERROR_NOT_SUPPORTED);
		ck_assert_uint_eq(ext(AF_INET6, cls, NULL), ERROR_NOT_SUPPORTED);
	}
	ck_assert_uint_eq(size, 77);
	/* 2. the size pointer. */
	for (int cls = 0; cls <= TCP_TABLE_OWNER_MODULE_ALL; cls++) {
		ck_assert_uint_eq(ext(AF_INET, cls, NULL), ERROR_INVALID_PARAMETER);
		if (cls >= TCP_TABLE_OWNER_PID_LISTENER)
			ck_assert_uint_eq(ext(AF_INET6, cls, NULL), ERROR_INVALID_PARAMETER);
	}
	/* Reserved is ignored, as on Windows. */
	size = 0;
	ck_assert_uint_eq(GetExtendedTcpTable(NULL, &size, TRUE, AF_INET, TCP_TABLE_OWNER_PID_ALL,
					      12345),
			  ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_ge(size, offsetof(MIB_TCPTABLE_OWNER_PID, table));
}
END_TEST

/* The ALL classes hold exactly the LISTENER rows plus the CONNECTIONS
 * rows, whatever the layout. */
START_TEST(classes_agree_with_each_other)
{
	if (!tt_isolated) {
		fprintf(stderr, "# classes_agree_with_each_other: SKIPPED, needs a private namespace\n");
		return;
	}
	for (int fi = 0; fi < 2; fi++) {
		ULONG af = fi ? AF_INET6 : AF_INET;
		DWORD sz[9];
		for (int cls = fi ? 3 : 0; cls < 9; cls++) {
			sz[cls] = 0;
			ck_assert_uint_eq(ext(af, cls, &sz[cls]), ERROR_INSUFFICIENT_BUFFER);
		}
		for (int kind = fi ? 1 : 0; kind < 3; kind++) {
			DWORD hdr = kind == 2 ? 8 : 4;
			DWORD l = sz[kind * 3] - hdr, c = sz[kind * 3 + 1] - hdr, a = sz[kind * 3 + 2] - hdr;
			ck_assert_uint_eq(a, l + c);
		}
	}
}
END_TEST

int main(void)
{
	tt_test_init("extended");
	Suite *s = suite_create("extended");
	TCase *tc = tcase_create("classes");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, every_class_filters_and_fills, 0, (int)table_fn_count);
	tcase_add_test(tc, classes_agree_with_each_other);
	suite_add_tcase(s, tc);
	TCase *errs = tcase_create("errors");
	tcase_add_test(errs, error_order);
	suite_add_tcase(s, errs);
	return tt_run_suite(s);
}
