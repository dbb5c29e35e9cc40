/*
 * test_entries.c - the front end of GetOwnerModuleFrom*Entry, SetTcpEntry,
 * TcptableSetTcp6Entry and the statistics functions over the mock backend:
 * argument checks, the error maps, the module buffer layout and UTF-8
 * decoding, 32/64-bit counters, OWNER_MODULE rows; Get/SetPer…EStats:
 * the checks in SPEC §11 order, the row passed on, the Windows units.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <arpa/inet.h>

#include <check.h>
#include <iphlpapi.h>
#include <tcptable_ext.h>

#include "hooks.h"
#include "mock_backend.h"
#include "module.h"
#include "run_suite.h"
#include "utf8.h"

static void reset(void)
{
	memset(&tt_mock, 0, sizeof(tt_mock));
	tt_hooks_reset();
}

/* ---- GetOwnerModuleFrom*Entry. */

static MIB_TCPROW_OWNER_MODULE row_for(DWORD pid, ULONGLONG key)
{
	MIB_TCPROW_OWNER_MODULE r;
	memset(&r, 0, sizeof(r));
	r.dwOwningPid = pid;
	r.OwningModuleInfo[TT_MODULE_KEY_SLOT] = key;
	return r;
}

/* Fetches the module into a fresh buffer; returns the code of the fill. */
static DWORD fetch(MIB_TCPROW_OWNER_MODULE *r, unsigned char **out, DWORD *size)
{
	*size = 0;
	DWORD e = GetOwnerModuleFromTcpEntry(r, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, size);
	if (e != ERROR_INSUFFICIENT_BUFFER)
		return e;
	*out = malloc(*size);
	return GetOwnerModuleFromTcpEntry(r, TCPIP_OWNER_MODULE_INFO_BASIC, *out, size);
}

START_TEST(module_name_and_path)
{
	tt_mock.image_path = "/usr/lib/app/bin/agent";
	tt_mock.image_key = 42;
	MIB_TCPROW_OWNER_MODULE r = row_for(1234, 42);
	unsigned char *buf = NULL;
	DWORD size;
	ck_assert_uint_eq(fetch(&r, &buf, &size), NO_ERROR);
	ck_assert_uint_eq(tt_mock.last_image_pid, 1234);
	TCPIP_OWNER_MODULE_BASIC_INFO *bi = (void *)buf;
	ck_assert(wcscmp(bi->pModuleName, L"agent") == 0);
	ck_assert(wcscmp(bi->pModulePath, L"/usr/lib/app/bin/agent") == 0);
	ck_assert_uint_eq(size, sizeof(*bi) + (6 + 23) * sizeof(WCHAR));
	ck_assert_ptr_eq(bi->pModuleName, (WCHAR *)(void *)(bi + 1));
	ck_assert_ptr_eq(bi->pModulePath, bi->pModuleName + 6);
	free(buf);
}
END_TEST

START_TEST(module_utf8_path)
{
	/* "é" in UTF-8, then a stray continuation byte and a lone 0xff. */
	tt_mock.image_path = "/opt/caf\xc3\xa9/x\x80y\xff";
	MIB_TCPROW_OWNER_MODULE r = row_for(7, 0);
	unsigned char *buf = NULL;
	DWORD size;
	ck_assert_uint_eq(fetch(&r, &buf, &size), NO_ERROR);
	TCPIP_OWNER_MODULE_BASIC_INFO *bi = (void *)buf;
	ck_assert(wcscmp(bi->pModulePath, L"/opt/caf\u00e9/x\ufffdy\ufffd") == 0);
	ck_assert(wcscmp(bi->pModuleName, L"x\ufffdy\ufffd") == 0);
	free(buf);
}
END_TEST

START_TEST(module_kernel_thread_is_system)
{
	tt_mock.image_path = NULL; /* kernel thread */
	MIB_TCPROW_OWNER_MODULE r = row_for(2, 0);
	unsigned char *buf = NULL;
	DWORD size;
	ck_assert_uint_eq(fetch(&r, &buf, &size), NO_ERROR);
	TCPIP_OWNER_MODULE_BASIC_INFO *bi = (void *)buf;
	ck_assert(wcscmp(bi->pModuleName, L"System") == 0);
	ck_assert(wcscmp(bi->pModulePath, L"System") == 0);
	free(buf);
}
END_TEST

START_TEST(module_errors)
{
	tt_mock.image_path = "/bin/x";
	tt_mock.image_key = 5;
	MIB_TCPROW_OWNER_MODULE r = row_for(9, 5);
	DWORD size = 0;
	/* Argument checks come first and look nothing up. */
	ck_assert_uint_eq(GetOwnerModuleFromTcpEntry(&r, (TCPIP_OWNER_MODULE_INFO_CLASS)3, NULL, &size),
			  ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(GetOwnerModuleFromTcpEntry(&r, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, NULL),
			  ERROR_INVALID_PARAMETER);
	r.dwOwningPid = 0;
	ck_assert_uint_eq(GetOwnerModuleFromTcpEntry(&r, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &size),
			  ERROR_NOT_FOUND);
	ck_assert_int_eq(tt_mock.image_calls, 0);
	r.dwOwningPid = 9;
	const int errs[] = { -ESRCH, -EACCES, -EPERM, -ENOMEM, -EOPNOTSUPP, -EIO };
	const DWORD want[] = { ERROR_NOT_FOUND, ERROR_ACCESS_DENIED, ERROR_ACCESS_DENIED,
			       ERROR_NOT_ENOUGH_MEMORY, ERROR_NOT_SUPPORTED, ERROR_PARTIAL_COPY };
	for (int i = 0; i < 6; i++) {
		tt_mock.image_err = errs[i];
		size = 1;
		ck_assert_uint_eq(GetOwnerModuleFromTcpEntry(&r, TCPIP_OWNER_MODULE_INFO_BASIC, NULL,
							     &size),
				  want[i]);
		ck_assert_uint_eq(size, 1);
	}
	tt_mock.image_err = 0;
	/* Another incarnation of the PID; an unknown key on either side is
	 * not evidence of reuse. */
	tt_mock.image_key = 6;
	ck_assert_uint_eq(GetOwnerModuleFromTcpEntry(&r, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &size),
			  ERROR_NOT_FOUND);
	tt_mock.image_key = 0;
	ck_assert_uint_eq(GetOwnerModuleFromTcpEntry(&r, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &size),
			  ERROR_INSUFFICIENT_BUFFER);
	tt_mock.image_key = 6;
	r.OwningModuleInfo[TT_MODULE_KEY_SLOT] = 0;
	ck_assert_uint_eq(GetOwnerModuleFromTcpEntry(&r, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &size),
			  ERROR_INSUFFICIENT_BUFFER);
	/* The IPv6 twin reads the same columns. */
	MIB_TCP6ROW_OWNER_MODULE r6;
	memset(&r6, 0, sizeof(r6));
	r6.dwOwningPid = 9;
	r6.OwningModuleInfo[TT_MODULE_KEY_SLOT] = 5;
	ck_assert_uint_eq(GetOwnerModuleFromTcp6Entry(&r6, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &size),
			  ERROR_NOT_FOUND);
	r6.OwningModuleInfo[TT_MODULE_KEY_SLOT] = 6;
	ck_assert_uint_eq(GetOwnerModuleFromTcp6Entry(&r6, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &size),
			  ERROR_INSUFFICIENT_BUFFER);
	/* Memory running out while the image is copied. */
	tt_hooks_reset();
	tt_hooks.fail_alloc_at = 1;
	ck_assert_uint_eq(GetOwnerModuleFromTcp6Entry(&r6, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &size),
			  ERROR_NOT_ENOUGH_MEMORY);
}
END_TEST

/* OWNER_MODULE rows carry the owners' keys in slot 1, nothing else. */
START_TEST(owner_module_rows_carry_process_keys)
{
	struct tt_conn c[2];
	memset(c, 0, sizeof(c));
	c[0].family = AF_INET;
	c[0].state = MIB_TCP_STATE_LISTEN;
	c[0].lport = htons(80);
	c[0].owner_key = 11;
	c[0].cookie = 1;
	c[1] = c[0];
	c[1].lport = htons(81);
	c[1].owner_key = 12;
	c[1].cookie = 2;
	tt_mock.conns = c;
	tt_mock.n = 2;
	const struct tt_mock_claim claims[] = { { 11, 300 }, { 12, 400 } };
	tt_mock.claims = claims;
	tt_mock.nclaims = 2;
	DWORD size = 0;
	ck_assert_uint_eq(GetExtendedTcpTable(NULL, &size, TRUE, AF_INET, TCP_TABLE_OWNER_MODULE_ALL, 0),
			  ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(size, 8 + 2 * sizeof(MIB_TCPROW_OWNER_MODULE));
	unsigned char *buf = malloc(size);
	memset(buf, 0xee, size);
	ck_assert_uint_eq(GetExtendedTcpTable(buf, &size, TRUE, AF_INET, TCP_TABLE_OWNER_MODULE_ALL, 0),
			  NO_ERROR);
	PMIB_TCPTABLE_OWNER_MODULE t = (void *)buf;
	ck_assert_uint_eq(t->dwNumEntries, 2);
	for (int i = 4; i < 8; i++)
		ck_assert_uint_eq(buf[i], 0);
	for (int i = 0; i < 2; i++) {
		MIB_TCPROW_OWNER_MODULE *r = &t->table[i];
		ck_assert_uint_eq(r->dwOwningPid, i ? 400 : 300);
		ck_assert(r->liCreateTimestamp.QuadPart == 0);
		ck_assert(r->OwningModuleInfo[0] == 0);
		ck_assert(r->OwningModuleInfo[1] == TT_MOCK_KEY(r->dwOwningPid));
		for (int k = 2; k < TCPIP_OWNING_MODULE_SIZE; k++)
			ck_assert(r->OwningModuleInfo[k] == 0);
	}
	free(buf);
	/* OWNER_PID needs no keys: the backend is not asked for them. */
	tt_mock.claims_made = 0;
	size = 4 + 2 * sizeof(MIB_TCPROW_OWNER_PID);
	buf = malloc(size);
	ck_assert_uint_eq(GetExtendedTcpTable(buf, &size, TRUE, AF_INET, TCP_TABLE_OWNER_PID_ALL, 0),
			  NO_ERROR);
	free(buf);
}
END_TEST

/* ---- SetTcpEntry. */

START_TEST(set_entry_passes_the_row_and_maps_errors)
{
	MIB_TCPROW r;
	r.dwState = MIB_TCP_STATE_DELETE_TCB;
	inet_pton(AF_INET, "10.1.2.3", &r.dwLocalAddr);
	inet_pton(AF_INET, "10.9.8.7", &r.dwRemoteAddr);
	r.dwLocalPort = htons(443);
	r.dwRemotePort = htons(50000) | 0xabcd0000u; /* upper half ignored */
	ck_assert_uint_eq(SetTcpEntry(&r), NO_ERROR);
	ck_assert_int_eq(tt_mock.destroy_calls, 1);
	ck_assert_uint_eq(tt_mock.destroyed.family, AF_INET);
	ck_assert_mem_eq(tt_mock.destroyed.laddr, &r.dwLocalAddr, 4);
	ck_assert_mem_eq(tt_mock.destroyed.raddr, &r.dwRemoteAddr, 4);
	ck_assert_uint_eq(tt_mock.destroyed.lport, htons(443));
	ck_assert_uint_eq(tt_mock.destroyed.rport, htons(50000));
	const int errs[] = { -ENOENT, -ESTALE, -EPERM, -EACCES, -EOPNOTSUPP, -ENOMEM, -EINVAL };
	const DWORD want[] = { ERROR_MR_MID_NOT_FOUND, ERROR_MR_MID_NOT_FOUND, ERROR_ACCESS_DENIED,
			       ERROR_ACCESS_DENIED, ERROR_NOT_SUPPORTED, ERROR_NOT_ENOUGH_MEMORY,
			       ERROR_NOT_SUPPORTED };
	for (int i = 0; i < 7; i++) {
		tt_mock.destroy_err = errs[i];
		ck_assert_uint_eq(SetTcpEntry(&r), want[i]);
	}
	tt_mock.destroy_calls = 0;
	r.dwState = MIB_TCP_STATE_ESTAB;
	ck_assert_uint_eq(SetTcpEntry(&r), ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(SetTcpEntry(NULL), ERROR_INVALID_PARAMETER);
	ck_assert_int_eq(tt_mock.destroy_calls, 0);
}
END_TEST

/* A LISTEN row (remote address all zero and remote port 0) names no
 * connection: ERROR_NOT_SUPPORTED on every platform, and no backend is
 * asked.  A remote endpoint with either part set is a connection. */
START_TEST(set_entry_refuses_listen_rows)
{
	MIB_TCPROW r;
	memset(&r, 0, sizeof(r));
	r.dwState = MIB_TCP_STATE_DELETE_TCB;
	inet_pton(AF_INET, "10.1.2.3", &r.dwLocalAddr);
	r.dwLocalPort = htons(443);
	r.dwRemotePort = 0xabcd0000u; /* upper half ignored: port 0 */
	ck_assert_uint_eq(SetTcpEntry(&r), ERROR_NOT_SUPPORTED);
	MIB_TCP6ROW r6;
	memset(&r6, 0, sizeof(r6));
	r6.State = MIB_TCP_STATE_DELETE_TCB;
	inet_pton(AF_INET6, "fe80::1", &r6.LocalAddr);
	r6.dwLocalScopeId = 4;
	r6.dwLocalPort = htons(22);
	ck_assert_uint_eq(TcptableSetTcp6Entry(&r6), ERROR_NOT_SUPPORTED);
	ck_assert_int_eq(tt_mock.destroy_calls, 0);
	r.dwRemotePort = htons(1);
	ck_assert_uint_eq(SetTcpEntry(&r), NO_ERROR);
	r.dwRemotePort = 0;
	inet_pton(AF_INET, "10.9.8.7", &r.dwRemoteAddr);
	ck_assert_uint_eq(SetTcpEntry(&r), NO_ERROR);
	inet_pton(AF_INET6, "::1", &r6.RemoteAddr);
	ck_assert_uint_eq(TcptableSetTcp6Entry(&r6), NO_ERROR);
	ck_assert_int_eq(tt_mock.destroy_calls, 3);
}
END_TEST

START_TEST(set_tcp6_entry_passes_zone)
{
	MIB_TCP6ROW r;
	memset(&r, 0, sizeof(r));
	r.State = MIB_TCP_STATE_DELETE_TCB;
	inet_pton(AF_INET6, "fe80::1", &r.LocalAddr);
	inet_pton(AF_INET6, "fe80::2", &r.RemoteAddr);
	r.dwLocalScopeId = 4;
	r.dwRemoteScopeId = 4;
	r.dwLocalPort = htons(22);
	r.dwRemotePort = htons(40000);
	ck_assert_uint_eq(TcptableSetTcp6Entry(&r), NO_ERROR);
	ck_assert_uint_eq(tt_mock.destroyed.family, AF_INET6);
	ck_assert_mem_eq(tt_mock.destroyed.laddr, &r.LocalAddr, 16);
	ck_assert_mem_eq(tt_mock.destroyed.raddr, &r.RemoteAddr, 16);
	ck_assert_uint_eq(tt_mock.destroyed.lscope, 4);
	tt_mock.destroy_err = -ENOENT;
	ck_assert_uint_eq(TcptableSetTcp6Entry(&r), ERROR_MR_MID_NOT_FOUND);
	r.State = MIB_TCP_STATE_CLOSED;
	ck_assert_uint_eq(TcptableSetTcp6Entry(&r), ERROR_INVALID_PARAMETER);
}
END_TEST

/* ---- Statistics. */

START_TEST(statistics_widths)
{
	tt_mock.mib = (struct tt_tcp_mib){
		.rto_algorithm = 1, .rto_min = 200, .rto_max = 120000, .max_conn = -1,
		.active_opens = 10, .passive_opens = 20, .attempt_fails = 3, .estab_resets = 4,
		.in_segs = 0x123456789ull, .out_segs = 0xfffffffffull, .retrans_segs = 5,
		.in_errs = 6, .out_rsts = 7,
	};
	MIB_TCPSTATS s;
	MIB_TCPSTATS2 s2;
	ck_assert_uint_eq(GetTcpStatisticsEx(&s, AF_INET), NO_ERROR);
	ck_assert_uint_eq(GetTcpStatisticsEx2(&s2, AF_INET6), NO_ERROR);
	ck_assert_uint_eq(s.dwInSegs, 0x23456789u); /* truncated, as on Windows */
	ck_assert_uint_eq(s.dwOutSegs, 0xffffffffu);
	ck_assert(s2.dw64InSegs == 0x123456789ull);
	ck_assert(s2.dw64OutSegs == 0xfffffffffull);
	ck_assert_uint_eq(s.dwMaxConn, MIB_TCP_MAXCONN_DYNAMIC);
	ck_assert_uint_eq(s2.dwMaxConn, MIB_TCP_MAXCONN_DYNAMIC);
	ck_assert_uint_eq(s.dwActiveOpens, 10);
	ck_assert_uint_eq(s2.dwPassiveOpens, 20);
	ck_assert_uint_eq(s2.dwOutRsts, 7);
	tt_mock.mib_err = -EIO;
	memset(&s, 0x5a, sizeof(s));
	ck_assert_uint_eq(GetTcpStatisticsEx(&s, AF_INET), ERROR_NOT_SUPPORTED);
	ck_assert_uint_eq(s.dwInSegs, 0x5a5a5a5au);
}
END_TEST

/* ---- UTF-8. */

START_TEST(utf8_decoding)
{
	struct {
		const char *in;
		const wchar_t *out;
	} cases[] = {
		{ "", L"" },
		{ "plain", L"plain" },
		{ "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", L"\u00e9\u20ac\U0001F600" },
		{ "\xc0\xaf", L"\ufffd\ufffd" },		  /* overlong '/' */
		{ "\xed\xa0\x80", L"\ufffd\ufffd\ufffd" },	  /* surrogate */
		{ "\xf4\x90\x80\x80", L"\ufffd\ufffd\ufffd\ufffd" }, /* above U+10FFFF */
		{ "\xe2\x82", L"\ufffd\ufffd" },		  /* truncated */
		{ "a\xffz", L"a\ufffdz" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		wchar_t out[16];
		size_t n = tt_utf8_to_wide(cases[i].in, strlen(cases[i].in), NULL);
		ck_assert_uint_eq(n, wcslen(cases[i].out));
		ck_assert_uint_eq(tt_utf8_to_wide(cases[i].in, strlen(cases[i].in), out), n);
		out[n] = L'\0';
		ck_assert_msg(wcscmp(out, cases[i].out) == 0, "case %zu", i);
	}
}
END_TEST

/* ---- Get/SetPer…EStats (SPEC §11): the checks in order, none reaching
 * the backend; then the lookup's errors, the row passed on, the units. */

static MIB_TCPROW estats_row(void)
{
	MIB_TCPROW r;
	memset(&r, 0, sizeof(r));
	r.dwState = MIB_TCP_STATE_ESTAB;
	r.dwLocalAddr = htonl(0x7f000001);
	r.dwLocalPort = htons(1111);
	r.dwRemoteAddr = htonl(0x0a000002);
	r.dwRemotePort = htons(2222);
	return r;
}

/* Get with every argument spelled out: (row, type, Rw, RwVersion, RwSize,
 * Ros, RosVersion, RosSize, Rod, RodVersion, RodSize). */
#define GET(row, type, rw, rwv, rws, ros, rosv, ross, rod, rodv, rods)                       \
	GetPerTcpConnectionEStats(row, (TCP_ESTATS_TYPE)(type), (PUCHAR)(rw), rwv, rws,         \
				  (PUCHAR)(ros), rosv, ross, (PUCHAR)(rod), rodv, rods)

START_TEST(estats_get_checks_in_order)
{
	MIB_TCPROW r = estats_row();
	unsigned char b1[256], b2[256], b3[256];
	ULONG data = sizeof(TCP_ESTATS_DATA_ROD_v0);
	/* Row NULL, or a type outside 0..8: 87, before anything else. */
	ck_assert_uint_eq(GET(NULL, 1, NULL, 1, 0, NULL, 0, 0, b3, 0, data), ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(GET(&r, 9, NULL, 1, 0, NULL, 0, 0, b3, 0, data), ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(GET(&r, -1, NULL, 0, 0, NULL, 0, 0, b3, 0, data), ERROR_INVALID_PARAMETER);
	/* Any version but 0: 50, before a NULL buffer with a size. */
	ck_assert_uint_eq(GET(&r, 1, NULL, 1, 0, NULL, 0, 0, b3, 0, data), ERROR_NOT_SUPPORTED);
	ck_assert_uint_eq(GET(&r, 1, NULL, 0, 0, NULL, 2, 0, NULL, 0, 4), ERROR_NOT_SUPPORTED);
	ck_assert_uint_eq(GET(&r, 1, NULL, 0, 4, NULL, 0, 0, b3, 1, data), ERROR_NOT_SUPPORTED);
	/* A NULL buffer with a size: 1784, before a buffer of the wrong kind. */
	ck_assert_uint_eq(GET(&r, 0, b1, 0, 1, NULL, 0, 0, NULL, 0, 4), ERROR_INVALID_USER_BUFFER);
	ck_assert_uint_eq(GET(&r, 1, NULL, 0, 1, b2, 0, 4, b3, 0, data), ERROR_INVALID_USER_BUFFER);
	/* A buffer the type has no record for: 87, before a small buffer. */
	ck_assert_uint_eq(GET(&r, 0, b1, 0, 1, NULL, 0, 0, NULL, 0, 0), ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(GET(&r, 1, NULL, 0, 0, b2, 0, 64, b3, 0, 1), ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(GET(&r, 0, NULL, 0, 0, b2, 0, 12, b3, 0, 64), ERROR_INVALID_PARAMETER);
	for (int t = 3; t <= 8; t++)
		ck_assert_uint_eq(GET(&r, t, NULL, 0, 0, b2, 0, 64, NULL, 0, 0), ERROR_INVALID_PARAMETER);
	/* Too small, each record: 122. */
	ck_assert_uint_eq(GET(&r, 1, NULL, 0, 0, NULL, 0, 0, b3, 0, data - 1), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(GET(&r, 1, b1, 0, 0, NULL, 0, 0, b3, 0, data), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(GET(&r, 0, NULL, 0, 0, b2, 0, 11, NULL, 0, 0), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(GET(&r, 7, b1, 0, 7, NULL, 0, 0, NULL, 0, 0), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(GET(&r, 2, NULL, 0, 0, b2, 0, 3, NULL, 0, 0), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_uint_eq(GET(&r, 2, NULL, 0, 0, NULL, 0, 0, b3, 0,
			      sizeof(TCP_ESTATS_SND_CONG_ROD_v0) - 1),
			  ERROR_INSUFFICIENT_BUFFER);
	/* None of these asked the kernel. */
	ck_assert_int_eq(tt_mock.info_calls, 0);
	/* Then the lookup: missing, or gone meanwhile, is 1168. */
	tt_mock.info_err = -ENOENT;
	ck_assert_uint_eq(GET(&r, 1, NULL, 0, 0, NULL, 0, 0, b3, 0, data), ERROR_NOT_FOUND);
	tt_mock.info_err = -ESTALE;
	ck_assert_uint_eq(GET(&r, 1, NULL, 0, 0, NULL, 0, 0, NULL, 0, 0), ERROR_NOT_FOUND);
	tt_mock.info_err = -ENOMEM;
	ck_assert_uint_eq(GET(&r, 1, NULL, 0, 0, NULL, 0, 0, b3, 0, data), ERROR_NOT_ENOUGH_MEMORY);
	tt_mock.info_err = -EOPNOTSUPP;
	ck_assert_uint_eq(GET(&r, 1, NULL, 0, 0, NULL, 0, 0, b3, 0, data), ERROR_NOT_SUPPORTED);
	ck_assert_int_eq(tt_mock.info_calls, 4);
	/* A failed lookup writes nothing. */
	memset(b3, 0xee, sizeof(b3));
	tt_mock.info_err = -ENOENT;
	tt_mock.info.bytes_sent = 5;
	ck_assert_uint_eq(GET(&r, 1, NULL, 0, 0, NULL, 0, 0, b3, 0, data), ERROR_NOT_FOUND);
	ck_assert_uint_eq(b3[0], 0xee);
}
END_TEST

/* The connection named is the row's (state ignored); an IPv6 row passes
 * its zone. */
START_TEST(estats_rows_name_the_connection)
{
	MIB_TCPROW r = estats_row();
	r.dwState = MIB_TCP_STATE_CLOSED;
	ck_assert_uint_eq(GET(&r, 1, NULL, 0, 0, NULL, 0, 0, NULL, 0, 0), NO_ERROR);
	ck_assert_uint_eq(tt_mock.info_conn.family, AF_INET);
	ck_assert_uint_eq(tt_mock.info_conn.lport, htons(1111));
	ck_assert_uint_eq(tt_mock.info_conn.rport, htons(2222));
	uint32_t a;
	memcpy(&a, tt_mock.info_conn.raddr, 4);
	ck_assert_uint_eq(a, htonl(0x0a000002));
	MIB_TCP6ROW r6;
	memset(&r6, 0, sizeof(r6));
	r6.LocalAddr.s6_addr[0] = 0xfe;
	r6.LocalAddr.s6_addr[1] = 0x80;
	r6.LocalAddr.s6_addr[15] = 1;
	r6.RemoteAddr = r6.LocalAddr;
	r6.RemoteAddr.s6_addr[15] = 2;
	r6.dwLocalScopeId = 7;
	r6.dwLocalPort = htons(80);
	r6.dwRemotePort = htons(4000);
	ck_assert_uint_eq(GetPerTcp6ConnectionEStats(&r6, TcpConnectionEstatsPath, NULL, 0, 0, NULL, 0,
						     0, NULL, 0, 0),
			  NO_ERROR);
	ck_assert_uint_eq(tt_mock.info_conn.family, AF_INET6);
	ck_assert_uint_eq(tt_mock.info_conn.lscope, 7);
	ck_assert_uint_eq(tt_mock.info_conn.rport, htons(4000));
	ck_assert(memcmp(tt_mock.info_conn.raddr, &r6.RemoteAddr, 16) == 0);
	ck_assert_uint_eq(GetPerTcp6ConnectionEStats(NULL, TcpConnectionEstatsPath, NULL, 0, 0, NULL, 0,
						     0, NULL, 0, 0),
			  ERROR_INVALID_PARAMETER);
	ck_assert_int_eq(tt_mock.info_calls, 2);
}
END_TEST

/* Windows units: RTT and RTO in ms (FineRtt in µs), windows in bytes,
 * bandwidth in bits per second; 32-bit fields saturate, never wrap. */
START_TEST(estats_units)
{
	struct tt_tcp_info *ti = &tt_mock.info;
	ti->rtt_us = 12999;
	ti->rttvar_us = 2500;
	ti->min_rtt_us = 999;
	ti->rto_us = 204000;
	ti->snd_mss = 1448;
	ti->advmss = 1460;
	ti->snd_cwnd = 10 * 1448;
	ti->snd_ssthresh = (uint64_t)0x7fffffff * 1448; /* "infinite" */
	ti->bytes_sent = 1ull << 40;
	ti->bytes_retrans = 1ull << 33;
	ti->bytes_acked = 1000001;
	ti->bytes_received = 300000;
	ti->delivery_rate = 125000;
	ti->busy_us = 9000;
	ti->rwnd_limited_us = 2000;
	ti->sndbuf_limited_us = 3000;
	ti->unacked_bytes = 100;
	ti->notsent_bytes = 200;
	ti->unread_bytes = 300;
	ti->snd_wnd = 65536;
	ti->rcv_wnd = 131072;
	ti->snd_wscale = 7;
	ti->rcv_wscale = 9;
	MIB_TCPROW r = estats_row();

	TCP_ESTATS_PATH_ROD_v0 path;
	ck_assert_uint_eq(GET(&r, 3, NULL, 0, 0, NULL, 0, 0, &path, 0, sizeof(path)), NO_ERROR);
	ck_assert_uint_eq(path.SmoothedRtt, 12);
	ck_assert_uint_eq(path.RttVar, 2);
	ck_assert_uint_eq(path.MinRtt, 0);
	ck_assert_uint_eq(path.CurRto, 204);
	ck_assert_uint_eq(path.CurMss, 1448);
	ck_assert_uint_eq(path.BytesRetrans, UINT32_MAX);
	ck_assert_uint_eq(path.MaxRtt, 0); /* no kernel source */
	TCP_ESTATS_FINE_RTT_ROD_v0 fine;
	ck_assert_uint_eq(GET(&r, 8, NULL, 0, 0, NULL, 0, 0, &fine, 0, sizeof(fine)), NO_ERROR);
	ck_assert_uint_eq(fine.MinRtt, 999);
	ck_assert_uint_eq(fine.RttVar, 2500);
	TCP_ESTATS_SND_CONG_ROD_v0 cong;
	TCP_ESTATS_SND_CONG_ROS_v0 cros = { 77 };
	ck_assert_uint_eq(GET(&r, 2, NULL, 0, 0, &cros, 0, sizeof(cros), &cong, 0, sizeof(cong)), NO_ERROR);
	ck_assert_uint_eq(cong.CurCwnd, 14480);
	ck_assert_uint_eq(cong.CurSsthresh, UINT32_MAX);
	ck_assert_uint_eq(cong.SndLimTimeRwin, 2);
	ck_assert_uint_eq(cong.SndLimTimeSnd, 3);
	ck_assert_uint_eq(cong.SndLimTimeCwnd, 4);
	ck_assert_uint_eq(cros.LimCwnd, 0);
	TCP_ESTATS_DATA_ROD_v0 data;
	ck_assert_uint_eq(GET(&r, 1, NULL, 0, 0, NULL, 0, 0, &data, 0, sizeof(data)), NO_ERROR);
	ck_assert_uint_eq(data.DataBytesOut, 1ull << 40);
	ck_assert_uint_eq(data.ThruBytesAcked, 1000001);
	ck_assert_uint_eq(data.ThruBytesReceived, 300000);
	TCP_ESTATS_BANDWIDTH_ROD_v0 bw;
	ck_assert_uint_eq(GET(&r, 7, NULL, 0, 0, NULL, 0, 0, &bw, 0, sizeof(bw)), NO_ERROR);
	ck_assert_uint_eq(bw.OutboundBandwidth, 1000000);
	ck_assert_uint_eq(bw.InboundBandwidth, 0);
	TCP_ESTATS_SEND_BUFF_ROD_v0 sb;
	ck_assert_uint_eq(GET(&r, 4, NULL, 0, 0, NULL, 0, 0, &sb, 0, sizeof(sb)), NO_ERROR);
	ck_assert_uint_eq(sb.CurRetxQueue, 100);
	ck_assert_uint_eq(sb.CurAppWQueue, 200);
	TCP_ESTATS_REC_ROD_v0 rec;
	ck_assert_uint_eq(GET(&r, 5, NULL, 0, 0, NULL, 0, 0, &rec, 0, sizeof(rec)), NO_ERROR);
	ck_assert_uint_eq(rec.CurAppRQueue, 300);
	ck_assert_uint_eq(rec.CurRwinSent, 131072);
	ck_assert_uint_eq(rec.WinScaleSent, 9);
	TCP_ESTATS_OBS_REC_ROD_v0 obs;
	ck_assert_uint_eq(GET(&r, 6, NULL, 0, 0, NULL, 0, 0, &obs, 0, sizeof(obs)), NO_ERROR);
	ck_assert_uint_eq(obs.CurRwinRcvd, 65536);
	ck_assert_uint_eq(obs.WinScaleRcvd, 7);
	TCP_ESTATS_SYN_OPTS_ROS_v0 so;
	ck_assert_uint_eq(GET(&r, 0, NULL, 0, 0, &so, 0, sizeof(so), NULL, 0, 0), NO_ERROR);
	ck_assert_uint_eq(so.MssRcvd, 1448);
	ck_assert_uint_eq(so.MssSent, 1460);
	ck_assert_uint_eq(so.ActiveOpen, 0);
}
END_TEST

#define SET(row, type, rw, rwv, rws, off) \
	SetPerTcpConnectionEStats(row, (TCP_ESTATS_TYPE)(type), (PUCHAR)(rw), rwv, rws, off)

START_TEST(estats_set_checks_in_order)
{
	MIB_TCPROW r = estats_row();
	BOOLEAN on = TRUE;
	TCP_ESTATS_BANDWIDTH_RW_v0 bw = { TcpBoolOptEnabled, TcpBoolOptUnchanged };
	tt_mock.info_err = -ENOENT;
	ck_assert_uint_eq(SET(NULL, 1, &on, 1, 1, 1), ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(SET(&r, 9, &on, 1, 1, 1), ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(SET(&r, 1, NULL, 1, 1, 0), ERROR_NOT_SUPPORTED);
	ck_assert_uint_eq(SET(&r, 1, NULL, 0, 1, 1), ERROR_NOT_SUPPORTED);
	ck_assert_uint_eq(SET(&r, 1, NULL, 0, 1, 0), ERROR_INVALID_USER_BUFFER);
	/* RwSize 0: NO_ERROR before any lookup, even of a missing connection. */
	ck_assert_uint_eq(SET(&r, 1, &on, 0, 0, 0), NO_ERROR);
	ck_assert_uint_eq(SET(&r, 0, NULL, 0, 0, 0), NO_ERROR);
	ck_assert_uint_eq(SET(&r, 0, &on, 0, 1, 0), ERROR_INVALID_PARAMETER); /* SynOpts: no Rw */
	ck_assert_uint_eq(SET(&r, 7, &bw, 0, 4, 0), ERROR_INSUFFICIENT_BUFFER);
	ck_assert_int_eq(tt_mock.info_calls, 0);
	/* Then the lookup. */
	ck_assert_uint_eq(SET(&r, 1, &on, 0, 1, 0), ERROR_NOT_FOUND);
	tt_mock.info_err = 0;
	ck_assert_uint_eq(SET(&r, 1, &on, 0, 1, 0), NO_ERROR);
	on = FALSE;
	ck_assert_uint_eq(SET(&r, 3, &on, 0, 1, 0), NO_ERROR);
	ck_assert_uint_eq(SET(&r, 7, &bw, 0, sizeof(bw), 0), NO_ERROR);
	ck_assert_int_eq(tt_mock.info_calls, 4);
	/* Nothing changed: collection still reported on. */
	BOOLEAN rw = FALSE;
	ck_assert_uint_eq(GET(&r, 3, &rw, 0, 1, NULL, 0, 0, NULL, 0, 0), NO_ERROR);
	ck_assert_uint_eq(rw, TRUE);
	MIB_TCP6ROW r6;
	memset(&r6, 0, sizeof(r6));
	ck_assert_uint_eq(SetPerTcp6ConnectionEStats(NULL, TcpConnectionEstatsData, &on, 0, 1, 0),
			  ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(SetPerTcp6ConnectionEStats(&r6, TcpConnectionEstatsData, &on, 0, 1, 1),
			  ERROR_NOT_SUPPORTED);
	ck_assert_uint_eq(SetPerTcp6ConnectionEStats(&r6, TcpConnectionEstatsData, &on, 0, 1, 0),
			  NO_ERROR);
	ck_assert_uint_eq(tt_mock.info_conn.family, AF_INET6);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("entries");
	TCase *tc = tcase_create("entries");
	tcase_add_checked_fixture(tc, reset, NULL);
	tcase_add_test(tc, module_name_and_path);
	tcase_add_test(tc, module_utf8_path);
	tcase_add_test(tc, module_kernel_thread_is_system);
	tcase_add_test(tc, module_errors);
	tcase_add_test(tc, owner_module_rows_carry_process_keys);
	tcase_add_test(tc, set_entry_passes_the_row_and_maps_errors);
	tcase_add_test(tc, set_entry_refuses_listen_rows);
	tcase_add_test(tc, set_tcp6_entry_passes_zone);
	tcase_add_test(tc, statistics_widths);
	tcase_add_test(tc, utf8_decoding);
	tcase_add_test(tc, estats_get_checks_in_order);
	tcase_add_test(tc, estats_rows_name_the_connection);
	tcase_add_test(tc, estats_units);
	tcase_add_test(tc, estats_set_checks_in_order);
	suite_add_tcase(s, tc);
	return tt_run_suite(s);
}
