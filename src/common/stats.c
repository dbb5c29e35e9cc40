/*
 * stats.c - GetTcpStatistics, GetTcpStatisticsEx and GetTcpStatisticsEx2
 * (SPEC §8): the kernel's TCP counters, with dwNumConns and dwCurrEstab
 * counted from the table of the requested family so that they agree with
 * what the table functions return.  GetUdpStatistics* (SPEC §10) likewise:
 * the kernel's UDP counters, with dwNumAddrs counted from the UDP table.
 */
#include <string.h>
#include <sys/socket.h>

#include "iphlpapi.h"

#include "backend.h"
#include "compat.h"
#include "records.h"
#include "tables.h"

struct counts {
	uint32_t conns; /* TCP: rows that are not LISTEN; UDP: all rows */
	uint32_t estab; /* ESTABLISHED or CLOSE_WAIT (RFC 4022 tcpCurrEstab) */
};

static int count_rows(unsigned proto, int family, struct counts *c)
{
	struct tt_request req = { proto, family == AF_INET ? TT_TABLE_V4 : TT_TABLE_V6,
				  proto == TT_PROTO_TCP ? TT_STATES_CONNECTIONS : TT_STATES_ALL,
				  false };
	struct tt_snapshot snap;
	int err = tt_snapshot_take(&snap, &req);
	if (err)
		return err;
	c->conns = (uint32_t)snap.rows;
	c->estab = 0;
	for (size_t i = 0; i < snap.n; i++) {
		const struct tt_rec_head *h = tt_snapshot_head(&snap, i);
		if (h->flags & TT_REC_DUPLICATE)
			continue;
		c->estab += h->state == MIB_TCP_STATE_ESTAB || h->state == MIB_TCP_STATE_CLOSE_WAIT;
	}
	tt_snapshot_free(&snap);
	return 0;
}

static DWORD collect(ULONG family, struct tt_tcp_mib *mib, struct counts *c)
{
	if (family != AF_INET && family != AF_INET6)
		return ERROR_INVALID_PARAMETER;
	int err = tt_backend_tcp_mib((int)family, mib);
	if (!err)
		err = count_rows(TT_PROTO_TCP, (int)family, c);
	return err ? tt_win32_error(err) : NO_ERROR;
}

TT_API ULONG WINAPI GetTcpStatisticsEx(PMIB_TCPSTATS Statistics, ULONG Family)
{
	if (!Statistics)
		return ERROR_INVALID_PARAMETER;
	struct tt_tcp_mib m = { 0 };
	struct counts c = { 0, 0 };
	DWORD ret = collect(Family, &m, &c);
	if (ret != NO_ERROR)
		return ret;
	/* Built aside, so that a failure leaves the caller's struct alone. */
	MIB_TCPSTATS s;
	memset(&s, 0, sizeof(s));
	s.dwRtoAlgorithm = m.rto_algorithm;
	s.dwRtoMin = m.rto_min;
	s.dwRtoMax = m.rto_max;
	s.dwMaxConn = (DWORD)m.max_conn; /* -1: MIB_TCP_MAXCONN_DYNAMIC */
	s.dwActiveOpens = (DWORD)m.active_opens;
	s.dwPassiveOpens = (DWORD)m.passive_opens;
	s.dwAttemptFails = (DWORD)m.attempt_fails;
	s.dwEstabResets = (DWORD)m.estab_resets;
	s.dwCurrEstab = c.estab;
	s.dwInSegs = (DWORD)m.in_segs;
	s.dwOutSegs = (DWORD)m.out_segs;
	s.dwRetransSegs = (DWORD)m.retrans_segs;
	s.dwInErrs = (DWORD)m.in_errs;
	s.dwOutRsts = (DWORD)m.out_rsts;
	s.dwNumConns = c.conns;
	/* Copied, not assigned: the pointer is typed, but a caller's struct
	 * may still sit at any offset of a byte buffer. */
	memcpy(Statistics, &s, sizeof(s));
	return NO_ERROR;
}

TT_API ULONG WINAPI GetTcpStatistics(PMIB_TCPSTATS Statistics)
{
	return GetTcpStatisticsEx(Statistics, AF_INET);
}

TT_API ULONG WINAPI GetTcpStatisticsEx2(PMIB_TCPSTATS2 Statistics, ULONG Family)
{
	if (!Statistics)
		return ERROR_INVALID_PARAMETER;
	struct tt_tcp_mib m = { 0 };
	struct counts c = { 0, 0 };
	DWORD ret = collect(Family, &m, &c);
	if (ret != NO_ERROR)
		return ret;
	MIB_TCPSTATS2 s;
	memset(&s, 0, sizeof(s)); /* including the padding after dwCurrEstab */
	s.RtoAlgorithm = (TCP_RTO_ALGORITHM)m.rto_algorithm;
	s.dwRtoMin = m.rto_min;
	s.dwRtoMax = m.rto_max;
	s.dwMaxConn = (DWORD)m.max_conn;
	s.dwActiveOpens = (DWORD)m.active_opens;
	s.dwPassiveOpens = (DWORD)m.passive_opens;
	s.dwAttemptFails = (DWORD)m.attempt_fails;
	s.dwEstabResets = (DWORD)m.estab_resets;
	s.dwCurrEstab = c.estab;
	s.dw64InSegs = m.in_segs;
	s.dw64OutSegs = m.out_segs;
	s.dwRetransSegs = (DWORD)m.retrans_segs;
	s.dwInErrs = (DWORD)m.in_errs;
	s.dwOutRsts = (DWORD)m.out_rsts;
	s.dwNumConns = c.conns;
	memcpy(Statistics, &s, sizeof(s));
	return NO_ERROR;
}

/* ---- UDP (SPEC §10). */

static DWORD collect_udp(ULONG family, struct tt_udp_mib *mib, struct counts *c)
{
	if (family != AF_INET && family != AF_INET6)
		return ERROR_INVALID_PARAMETER;
	int err = tt_backend_udp_mib((int)family, mib);
	if (!err)
		err = count_rows(TT_PROTO_UDP, (int)family, c);
	return err ? tt_win32_error(err) : NO_ERROR;
}

TT_API ULONG WINAPI GetUdpStatisticsEx(PMIB_UDPSTATS Statistics, ULONG Family)
{
	if (!Statistics)
		return ERROR_INVALID_PARAMETER;
	struct tt_udp_mib m = { 0, 0, 0, 0 };
	struct counts c = { 0, 0 };
	DWORD ret = collect_udp(Family, &m, &c);
	if (ret != NO_ERROR)
		return ret;
	/* The 32-bit fields keep the low 32 bits, as the kernel's own
	 * 32-bit counters would wrap. */
	MIB_UDPSTATS s = { (DWORD)m.in_datagrams, (DWORD)m.no_ports, (DWORD)m.in_errors,
			   (DWORD)m.out_datagrams, c.conns };
	memcpy(Statistics, &s, sizeof(s));
	return NO_ERROR;
}

TT_API ULONG WINAPI GetUdpStatistics(PMIB_UDPSTATS Stats)
{
	return GetUdpStatisticsEx(Stats, AF_INET);
}

TT_API ULONG WINAPI GetUdpStatisticsEx2(PMIB_UDPSTATS2 Statistics, ULONG Family)
{
	if (!Statistics)
		return ERROR_INVALID_PARAMETER;
	struct tt_udp_mib m = { 0, 0, 0, 0 };
	struct counts c = { 0, 0 };
	DWORD ret = collect_udp(Family, &m, &c);
	if (ret != NO_ERROR)
		return ret;
	MIB_UDPSTATS2 s;
	memset(&s, 0, sizeof(s)); /* including the tail padding */
	s.dw64InDatagrams = m.in_datagrams;
	s.dwNoPorts = (DWORD)m.no_ports;
	s.dwInErrors = (DWORD)m.in_errors;
	s.dw64OutDatagrams = m.out_datagrams;
	s.dwNumAddrs = c.conns;
	memcpy(Statistics, &s, sizeof(s));
	return NO_ERROR;
}
