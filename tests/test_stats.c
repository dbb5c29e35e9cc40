/*
 * test_stats.c - GetTcpStatistics, GetTcpStatisticsEx and
 * GetTcpStatisticsEx2 against the kernel's counters: in a fresh network
 * namespace the counters start at zero, so a known number of connections
 * shows exactly (ActiveOpens, PassiveOpens, CurrEstab, NumConns).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "run_suite.h"

static MIB_TCPSTATS stats(ULONG family)
{
	MIB_TCPSTATS s;
	memset(&s, 0x5a, sizeof(s));
	ck_assert_uint_eq(GetTcpStatisticsEx(&s, family), NO_ERROR);
	return s;
}

START_TEST(counters_follow_known_connections)
{
	MIB_TCPSTATS before = stats(AF_INET);
	const int k = 3;
	struct tt_ep l = tt_ep4("127.0.0.1", 0), l6 = tt_ep6("::1", 0, 0);
	int lfd = tt_listen(&l, -1), lfd6 = tt_listen(&l6, 1);
	int c[3], s[3], c6, s6;
	for (int i = 0; i < k; i++)
		tt_pair(lfd, &l, &c[i], &s[i]);
	tt_pair(lfd6, &l6, &c6, &s6);
	/* One half-closed pair: CLOSE_WAIT counts as established, FIN_WAIT2
	 * as a connection only. */
	ck_assert_int_eq(shutdown(c[0], SHUT_WR), 0);
	struct tt_ep cl = tt_local_of(c[0]);
	ck_assert(tt_wait_state(&cl, &l, MIB_TCP_STATE_FIN_WAIT2));

	MIB_TCPSTATS a = stats(AF_INET), a6 = stats(AF_INET6);
	unsigned opens = (unsigned)k + 1; /* the IPv6 pair counts too: one MIB */
	if (tt_isolated) {
		ck_assert_uint_eq(a.dwActiveOpens, opens);
		ck_assert_uint_eq(a.dwPassiveOpens, opens);
		/* IPv4 rows: 3 pairs, one of them FIN_WAIT2 + CLOSE_WAIT. */
		ck_assert_uint_eq(a.dwNumConns, 2 * (unsigned)k);
		ck_assert_uint_eq(a.dwCurrEstab, 2 * (unsigned)k - 1);
		ck_assert_uint_eq(a6.dwNumConns, 2);
		ck_assert_uint_eq(a6.dwCurrEstab, 2);
	} else {
		ck_assert_uint_ge(a.dwActiveOpens - before.dwActiveOpens, opens);
		ck_assert_uint_ge(a.dwPassiveOpens - before.dwPassiveOpens, opens);
	}
	/* Linux keeps one TCP MIB for both families. */
	ck_assert_uint_eq(a.dwActiveOpens, a6.dwActiveOpens);
	ck_assert_uint_eq(a.dwPassiveOpens, a6.dwPassiveOpens);
	ck_assert_uint_ge(a.dwInSegs, before.dwInSegs + 3 * opens);
	ck_assert_uint_ge(a.dwOutSegs, before.dwOutSegs + 3 * opens);
	/* Linux's constants. */
	ck_assert_uint_eq(a.dwRtoAlgorithm, MIB_TCP_RTO_OTHER);
	ck_assert_uint_eq(a.dwRtoMin, 200);
	ck_assert_uint_eq(a.dwRtoMax, 120000);
	ck_assert_uint_eq(a.dwMaxConn, MIB_TCP_MAXCONN_DYNAMIC);

	for (int i = 0; i < k; i++) {
		close(c[i]);
		close(s[i]);
	}
	close(c6);
	close(s6);
	close(lfd);
	close(lfd6);
}
END_TEST

/* NumConns and CurrEstab agree with the tables of the same family. */
START_TEST(counts_agree_with_the_tables)
{
	struct tt_ep l = tt_ep4("127.0.0.1", 0), l6 = tt_ep6("::1", 0, 0);
	int lfd = tt_listen(&l, -1), lfd6 = tt_listen(&l6, 1);
	int c, s, c6, s6;
	tt_pair(lfd, &l, &c, &s);
	tt_pair(lfd6, &l6, &c6, &s6);
	for (int attempt = 0; attempt < 10; attempt++) {
		MIB_TCPSTATS st = stats(AF_INET), st6 = stats(AF_INET6);
		DWORD conn4 = 0, est4 = 0, conn6 = 0, est6 = 0;
		PMIB_TCPTABLE t = tt_get_tcp();
		for (DWORD i = 0; i < t->dwNumEntries; i++) {
			DWORD x = t->table[i].dwState;
			conn4 += x != MIB_TCP_STATE_LISTEN;
			est4 += x == MIB_TCP_STATE_ESTAB || x == MIB_TCP_STATE_CLOSE_WAIT;
		}
		free(t);
		PMIB_TCP6TABLE t6 = tt_get_tcp6();
		for (DWORD i = 0; i < t6->dwNumEntries; i++) {
			MIB_TCP_STATE x = t6->table[i].State;
			conn6 += x != MIB_TCP_STATE_LISTEN;
			est6 += x == MIB_TCP_STATE_ESTAB || x == MIB_TCP_STATE_CLOSE_WAIT;
		}
		free(t6);
		if (st.dwNumConns == conn4 && st.dwCurrEstab == est4 && st6.dwNumConns == conn6 &&
		    st6.dwCurrEstab == est6)
			goto done;
		ck_assert(!tt_isolated);
	}
	ck_abort_msg("statistics never agreed with the tables");
done:
	close(c);
	close(s);
	close(c6);
	close(s6);
	close(lfd);
	close(lfd6);
}
END_TEST

START_TEST(ex2_matches_ex_below_2_32)
{
	struct tt_ep l = tt_ep4("127.0.0.1", 0);
	int lfd = tt_listen(&l, -1);
	int c, s;
	tt_pair(lfd, &l, &c, &s);
	for (int attempt = 0; attempt < 10; attempt++) {
		MIB_TCPSTATS2 x;
		memset(&x, 0x5a, sizeof(x));
		ck_assert_uint_eq(GetTcpStatisticsEx2(&x, AF_INET), NO_ERROR);
		MIB_TCPSTATS y = stats(AF_INET);
		/* The padding after dwCurrEstab is zeroed. */
		unsigned char raw[sizeof(x)];
		memcpy(raw, &x, sizeof(x));
		for (size_t i = offsetof(MIB_TCPSTATS2, dwCurrEstab) + 4;
		     i < offsetof(MIB_TCPSTATS2, dw64InSegs); i++)
			ck_assert_uint_eq(raw[i], 0);
		if (x.dw64InSegs != y.dwInSegs || x.dw64OutSegs != y.dwOutSegs)
			continue; /* a segment moved between the two calls */
		ck_assert(x.dw64InSegs < (1ull << 32));
		ck_assert_uint_eq(x.RtoAlgorithm, y.dwRtoAlgorithm);
		ck_assert_uint_eq(x.dwRtoMin, y.dwRtoMin);
		ck_assert_uint_eq(x.dwRtoMax, y.dwRtoMax);
		ck_assert_uint_eq(x.dwMaxConn, y.dwMaxConn);
		ck_assert_uint_eq(x.dwActiveOpens, y.dwActiveOpens);
		ck_assert_uint_eq(x.dwPassiveOpens, y.dwPassiveOpens);
		ck_assert_uint_eq(x.dwRetransSegs, y.dwRetransSegs);
		ck_assert_uint_eq(x.dwNumConns, y.dwNumConns);
		ck_assert_uint_eq(x.dwCurrEstab, y.dwCurrEstab);
		/* GetTcpStatistics is GetTcpStatisticsEx(AF_INET). */
		MIB_TCPSTATS z;
		ck_assert_uint_eq(GetTcpStatistics(&z), NO_ERROR);
		ck_assert_uint_eq(z.dwActiveOpens, y.dwActiveOpens);
		ck_assert_uint_eq(z.dwNumConns, y.dwNumConns);
		goto done;
	}
	ck_abort_msg("segment counters never settled");
done:
	close(c);
	close(s);
	close(lfd);
}
END_TEST

START_TEST(bad_arguments)
{
	MIB_TCPSTATS s;
	MIB_TCPSTATS2 s2;
	memset(&s, 0x5a, sizeof(s));
	memset(&s2, 0x5a, sizeof(s2));
	ck_assert_uint_eq(GetTcpStatistics(NULL), ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(GetTcpStatisticsEx(NULL, AF_INET), ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(GetTcpStatisticsEx2(NULL, AF_INET6), ERROR_INVALID_PARAMETER);
	const ULONG bad[] = { AF_UNSPEC, AF_UNIX, 23, 0x10002 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_uint_eq(GetTcpStatisticsEx(&s, bad[i]), ERROR_INVALID_PARAMETER);
		ck_assert_uint_eq(GetTcpStatisticsEx2(&s2, bad[i]), ERROR_INVALID_PARAMETER);
	}
	/* Failures leave the caller's structure alone. */
	const unsigned char *p = (const void *)&s, *p2 = (const void *)&s2;
	for (size_t i = 0; i < sizeof(s); i++)
		ck_assert_uint_eq(p[i], 0x5a);
	for (size_t i = 0; i < sizeof(s2); i++)
		ck_assert_uint_eq(p2[i], 0x5a);
}
END_TEST

int main(void)
{
	tt_test_init("stats");
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("stats");
	tcase_add_checked_fixture(tc, tt_fresh_netns, NULL);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, counters_follow_known_connections);
	tcase_add_test(tc, counts_agree_with_the_tables);
	tcase_add_test(tc, ex2_matches_ex_below_2_32);
	tcase_add_test(tc, bad_arguments);
	suite_add_tcase(s, tc);
	return tt_run_suite(s);
}
