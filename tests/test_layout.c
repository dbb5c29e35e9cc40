/*
 * test_layout.c - every size and offset of SPEC §3, the enum values and the
 * error codes, checked at compile time (static asserts) and reported at run
 * time, so a layout change fails the build and names itself in the test log.
 */
#include <stdalign.h>
#include <stdlib.h>

#include <check.h>
#include <iphlpapi.h>
#include "layout_estats.h"
#include "run_suite.h"

#define SZ(T, n)                                                            \
	_Static_assert(sizeof(T) == (n), "sizeof " #T);                     \
	static void sz_##T(void)                                            \
	{                                                                   \
		ck_assert_msg(sizeof(T) == (n), "sizeof(" #T ") = %zu", sizeof(T)); \
	}

#define OFF(T, m, n) _Static_assert(offsetof(T, m) == (n), "offsetof " #T "." #m);

/* ---- Base types. */
_Static_assert(sizeof(DWORD) == 4 && sizeof(ULONG) == 4 && sizeof(LONG) == 4, "32-bit");
_Static_assert(sizeof(BOOL) == sizeof(int), "BOOL is int");
_Static_assert(sizeof(ULONGLONG) == 8 && alignof(ULONGLONG) == 8, "ULONGLONG");
_Static_assert(sizeof(LARGE_INTEGER) == 8 && alignof(LARGE_INTEGER) == 8, "LARGE_INTEGER");
_Static_assert(sizeof(WCHAR) == sizeof(wchar_t), "WCHAR");
_Static_assert(_Generic((DWORD)0, ULONG: 1, default: 0), "DWORD and ULONG are one type");
_Static_assert(offsetof(LARGE_INTEGER, HighPart) == 4, "LARGE_INTEGER.HighPart");

/* ---- TCP IPv4. */
SZ(MIB_TCPROW, 20)
SZ(MIB_TCPTABLE, 24)
OFF(MIB_TCPTABLE, table, 4)
OFF(MIB_TCPROW, dwState, 0)
OFF(MIB_TCPROW, State, 0)
OFF(MIB_TCPROW, dwLocalAddr, 4)
OFF(MIB_TCPROW, dwLocalPort, 8)
OFF(MIB_TCPROW, dwRemoteAddr, 12)
OFF(MIB_TCPROW, dwRemotePort, 16)
SZ(MIB_TCPROW_W2K, 20)

SZ(MIB_TCPROW2, 28)
SZ(MIB_TCPTABLE2, 32)
OFF(MIB_TCPTABLE2, table, 4)
OFF(MIB_TCPROW2, dwOwningPid, 20)
OFF(MIB_TCPROW2, dwOffloadState, 24)

SZ(MIB_TCPROW_OWNER_PID, 24)
SZ(MIB_TCPTABLE_OWNER_PID, 28)
OFF(MIB_TCPTABLE_OWNER_PID, table, 4)
OFF(MIB_TCPROW_OWNER_PID, dwOwningPid, 20)

SZ(MIB_TCPROW_OWNER_MODULE, 160)
SZ(MIB_TCPTABLE_OWNER_MODULE, 168)
OFF(MIB_TCPTABLE_OWNER_MODULE, table, 8)
OFF(MIB_TCPROW_OWNER_MODULE, dwOwningPid, 20)
OFF(MIB_TCPROW_OWNER_MODULE, liCreateTimestamp, 24)
OFF(MIB_TCPROW_OWNER_MODULE, OwningModuleInfo, 32)

/* ---- TCP IPv6. */
SZ(MIB_TCP6ROW, 52)
SZ(MIB_TCP6TABLE, 56)
OFF(MIB_TCP6TABLE, table, 4)
OFF(MIB_TCP6ROW, State, 0)
OFF(MIB_TCP6ROW, LocalAddr, 4)
OFF(MIB_TCP6ROW, dwLocalScopeId, 20)
OFF(MIB_TCP6ROW, dwLocalPort, 24)
OFF(MIB_TCP6ROW, RemoteAddr, 28)
OFF(MIB_TCP6ROW, dwRemoteScopeId, 44)
OFF(MIB_TCP6ROW, dwRemotePort, 48)

SZ(MIB_TCP6ROW2, 60)
SZ(MIB_TCP6TABLE2, 64)
OFF(MIB_TCP6TABLE2, table, 4)
OFF(MIB_TCP6ROW2, LocalAddr, 0)
OFF(MIB_TCP6ROW2, dwLocalScopeId, 16)
OFF(MIB_TCP6ROW2, dwLocalPort, 20)
OFF(MIB_TCP6ROW2, RemoteAddr, 24)
OFF(MIB_TCP6ROW2, dwRemoteScopeId, 40)
OFF(MIB_TCP6ROW2, dwRemotePort, 44)
OFF(MIB_TCP6ROW2, State, 48)
OFF(MIB_TCP6ROW2, dwOwningPid, 52)
OFF(MIB_TCP6ROW2, dwOffloadState, 56)

SZ(MIB_TCP6ROW_OWNER_PID, 56)
SZ(MIB_TCP6TABLE_OWNER_PID, 60)
OFF(MIB_TCP6TABLE_OWNER_PID, table, 4)
OFF(MIB_TCP6ROW_OWNER_PID, ucLocalAddr, 0)
OFF(MIB_TCP6ROW_OWNER_PID, dwLocalScopeId, 16)
OFF(MIB_TCP6ROW_OWNER_PID, dwLocalPort, 20)
OFF(MIB_TCP6ROW_OWNER_PID, ucRemoteAddr, 24)
OFF(MIB_TCP6ROW_OWNER_PID, dwRemoteScopeId, 40)
OFF(MIB_TCP6ROW_OWNER_PID, dwRemotePort, 44)
OFF(MIB_TCP6ROW_OWNER_PID, dwState, 48)
OFF(MIB_TCP6ROW_OWNER_PID, dwOwningPid, 52)

SZ(MIB_TCP6ROW_OWNER_MODULE, 192)
SZ(MIB_TCP6TABLE_OWNER_MODULE, 200)
OFF(MIB_TCP6TABLE_OWNER_MODULE, table, 8)
OFF(MIB_TCP6ROW_OWNER_MODULE, dwState, 48)
OFF(MIB_TCP6ROW_OWNER_MODULE, dwOwningPid, 52)
OFF(MIB_TCP6ROW_OWNER_MODULE, liCreateTimestamp, 56)
OFF(MIB_TCP6ROW_OWNER_MODULE, OwningModuleInfo, 64)

/* ---- TCP statistics. */
SZ(MIB_TCPSTATS, 60)
OFF(MIB_TCPSTATS, dwRtoAlgorithm, 0)
OFF(MIB_TCPSTATS, RtoAlgorithm, 0)
OFF(MIB_TCPSTATS, dwMaxConn, 12)
OFF(MIB_TCPSTATS, dwCurrEstab, 32)
OFF(MIB_TCPSTATS, dwNumConns, 56)
SZ(MIB_TCPSTATS2, 72)
OFF(MIB_TCPSTATS2, dwCurrEstab, 32)
OFF(MIB_TCPSTATS2, dw64InSegs, 40)
OFF(MIB_TCPSTATS2, dw64OutSegs, 48)
OFF(MIB_TCPSTATS2, dwRetransSegs, 56)
OFF(MIB_TCPSTATS2, dwNumConns, 68)

/* ---- UDP. */
SZ(MIB_UDPROW, 8)
SZ(MIB_UDPTABLE, 12)
OFF(MIB_UDPTABLE, table, 4)
SZ(MIB_UDPROW_OWNER_PID, 12)
SZ(MIB_UDPTABLE_OWNER_PID, 16)
OFF(MIB_UDPTABLE_OWNER_PID, table, 4)
SZ(MIB_UDPROW_OWNER_MODULE, 160)
SZ(MIB_UDPTABLE_OWNER_MODULE, 168)
OFF(MIB_UDPTABLE_OWNER_MODULE, table, 8)
OFF(MIB_UDPROW, dwLocalAddr, 0)
OFF(MIB_UDPROW, dwLocalPort, 4)
OFF(MIB_UDPROW_OWNER_PID, dwLocalPort, 4)
OFF(MIB_UDPROW_OWNER_PID, dwOwningPid, 8)
OFF(MIB_UDPROW_OWNER_MODULE, dwLocalAddr, 0)
OFF(MIB_UDPROW_OWNER_MODULE, dwLocalPort, 4)
OFF(MIB_UDPROW_OWNER_MODULE, dwOwningPid, 8)
OFF(MIB_UDPROW_OWNER_MODULE, liCreateTimestamp, 16)
OFF(MIB_UDPROW_OWNER_MODULE, dwFlags, 24)
OFF(MIB_UDPROW_OWNER_MODULE, OwningModuleInfo, 32)
SZ(MIB_UDP6ROW, 24)
SZ(MIB_UDP6TABLE, 28)
OFF(MIB_UDP6TABLE, table, 4)
SZ(MIB_UDP6ROW_OWNER_PID, 28)
SZ(MIB_UDP6TABLE_OWNER_PID, 32)
OFF(MIB_UDP6TABLE_OWNER_PID, table, 4)
SZ(MIB_UDP6ROW_OWNER_MODULE, 176)
SZ(MIB_UDP6TABLE_OWNER_MODULE, 184)
OFF(MIB_UDP6TABLE_OWNER_MODULE, table, 8)
OFF(MIB_UDP6ROW, dwLocalAddr, 0)
OFF(MIB_UDP6ROW, dwLocalScopeId, 16)
OFF(MIB_UDP6ROW, dwLocalPort, 20)
OFF(MIB_UDP6ROW_OWNER_PID, ucLocalAddr, 0)
OFF(MIB_UDP6ROW_OWNER_PID, dwLocalScopeId, 16)
OFF(MIB_UDP6ROW_OWNER_PID, dwLocalPort, 20)
OFF(MIB_UDP6ROW_OWNER_PID, dwOwningPid, 24)
OFF(MIB_UDP6ROW_OWNER_MODULE, ucLocalAddr, 0)
OFF(MIB_UDP6ROW_OWNER_MODULE, dwLocalScopeId, 16)
OFF(MIB_UDP6ROW_OWNER_MODULE, dwLocalPort, 20)
OFF(MIB_UDP6ROW_OWNER_MODULE, dwOwningPid, 24)
OFF(MIB_UDP6ROW_OWNER_MODULE, liCreateTimestamp, 32)
OFF(MIB_UDP6ROW_OWNER_MODULE, dwFlags, 40)
OFF(MIB_UDP6ROW_OWNER_MODULE, OwningModuleInfo, 48)
SZ(MIB_UDPSTATS, 20)
SZ(MIB_UDPSTATS2, 32)
OFF(MIB_UDPSTATS, dwInDatagrams, 0)
OFF(MIB_UDPSTATS, dwNoPorts, 4)
OFF(MIB_UDPSTATS, dwInErrors, 8)
OFF(MIB_UDPSTATS, dwOutDatagrams, 12)
OFF(MIB_UDPSTATS, dwNumAddrs, 16)
OFF(MIB_UDPSTATS2, dw64InDatagrams, 0)
OFF(MIB_UDPSTATS2, dwNoPorts, 8)
OFF(MIB_UDPSTATS2, dwInErrors, 12)
OFF(MIB_UDPSTATS2, dw64OutDatagrams, 16)
OFF(MIB_UDPSTATS2, dwNumAddrs, 24)
_Static_assert(alignof(MIB_UDPSTATS2) == 8 && alignof(MIB_UDPROW_OWNER_MODULE) == 8 &&
		       alignof(MIB_UDP6ROW_OWNER_MODULE) == 8,
	       "64-bit UDP members 8-aligned");

SZ(TCPIP_OWNER_MODULE_BASIC_INFO, 2 * sizeof(void *))

/* Every size above, at run time. */
static void (*const size_checks[])(void) = {
	sz_MIB_TCPROW, sz_MIB_TCPTABLE, sz_MIB_TCPROW_W2K, sz_MIB_TCPROW2, sz_MIB_TCPTABLE2,
	sz_MIB_TCPROW_OWNER_PID, sz_MIB_TCPTABLE_OWNER_PID, sz_MIB_TCPROW_OWNER_MODULE,
	sz_MIB_TCPTABLE_OWNER_MODULE, sz_MIB_TCP6ROW, sz_MIB_TCP6TABLE, sz_MIB_TCP6ROW2,
	sz_MIB_TCP6TABLE2, sz_MIB_TCP6ROW_OWNER_PID, sz_MIB_TCP6TABLE_OWNER_PID,
	sz_MIB_TCP6ROW_OWNER_MODULE, sz_MIB_TCP6TABLE_OWNER_MODULE, sz_MIB_TCPSTATS,
	sz_MIB_TCPSTATS2, sz_MIB_UDPROW, sz_MIB_UDPTABLE, sz_MIB_UDPROW_OWNER_PID,
	sz_MIB_UDPTABLE_OWNER_PID, sz_MIB_UDPROW_OWNER_MODULE, sz_MIB_UDPTABLE_OWNER_MODULE,
	sz_MIB_UDP6ROW, sz_MIB_UDP6TABLE, sz_MIB_UDP6ROW_OWNER_PID, sz_MIB_UDP6TABLE_OWNER_PID,
	sz_MIB_UDP6ROW_OWNER_MODULE, sz_MIB_UDP6TABLE_OWNER_MODULE, sz_MIB_UDPSTATS,
	sz_MIB_UDPSTATS2, sz_TCPIP_OWNER_MODULE_BASIC_INFO,
};

START_TEST(sizes)
{
	size_checks[_i]();
}
END_TEST

START_TEST(offsets_of_rows)
{
	ck_assert_uint_eq(offsetof(MIB_TCPTABLE_OWNER_MODULE, table), 8);
	ck_assert_uint_eq(offsetof(MIB_TCP6TABLE_OWNER_MODULE, table), 8);
	ck_assert_uint_eq(offsetof(MIB_TCP6ROW, LocalAddr), 4);
	ck_assert_uint_eq(offsetof(MIB_TCP6ROW2, State), 48);
	ck_assert_uint_eq(offsetof(MIB_TCPROW_OWNER_MODULE, OwningModuleInfo), 32);
	ck_assert_uint_eq(offsetof(MIB_TCPSTATS2, dw64InSegs), 40);
	/* The SDK's sizing macros: rows at the right offset plus ALIGN_SIZE. */
	ck_assert_uint_eq(SIZEOF_TCPTABLE2(3), 4 + 3 * 28 + 8);
	ck_assert_uint_eq(SIZEOF_TCP6TABLE_OWNER_MODULE(2), 8 + 2 * 192 + 8);
}
END_TEST

/* tcpestats.h (layout_estats.h asserts every offset at compile time): the
 * records whose size depends on the pointer size, reported in the log. */
START_TEST(estats_sizes)
{
	ck_assert_uint_eq(sizeof(TCP_ESTATS_DATA_ROD_v0), 96);
	ck_assert_uint_eq(offsetof(TCP_ESTATS_DATA_ROD_v0, ThruBytesReceived), 88);
	ck_assert_uint_eq(sizeof(TCP_ESTATS_SND_CONG_ROD_v0), EP(88, 72));
	ck_assert_uint_eq(sizeof(TCP_ESTATS_SEND_BUFF_ROD_v0), EP(32, 16));
	ck_assert_uint_eq(sizeof(TCP_ESTATS_REC_ROD_v0), EP(72, 56));
	ck_assert_uint_eq(sizeof(TCP_ESTATS_PATH_ROD_v0), 160);
	ck_assert_uint_eq(sizeof(TCP_ESTATS_BANDWIDTH_ROD_v0), 40);
	ck_assert_uint_eq(sizeof(TCP_ESTATS_SYN_OPTS_ROS_v0), 12);
}
END_TEST

/* The union members alias: code reading dwState or State sees one value. */
START_TEST(state_union_aliases)
{
	MIB_TCPROW row;
	row.State = MIB_TCP_STATE_TIME_WAIT;
	ck_assert_uint_eq(row.dwState, 11);
	MIB_TCPSTATS st;
	st.RtoAlgorithm = TcpRtoAlgorithmVanj;
	ck_assert_uint_eq(st.dwRtoAlgorithm, 4);
	LARGE_INTEGER li;
	li.QuadPart = 0x0000000200000001LL;
	ck_assert_uint_eq(li.LowPart, 1);
	ck_assert_int_eq(li.u.HighPart, 2);
}
END_TEST

START_TEST(enum_values)
{
	const int states[] = { MIB_TCP_STATE_CLOSED, MIB_TCP_STATE_LISTEN, MIB_TCP_STATE_SYN_SENT,
			       MIB_TCP_STATE_SYN_RCVD, MIB_TCP_STATE_ESTAB, MIB_TCP_STATE_FIN_WAIT1,
			       MIB_TCP_STATE_FIN_WAIT2, MIB_TCP_STATE_CLOSE_WAIT, MIB_TCP_STATE_CLOSING,
			       MIB_TCP_STATE_LAST_ACK, MIB_TCP_STATE_TIME_WAIT,
			       MIB_TCP_STATE_DELETE_TCB };
	for (int i = 0; i < 12; i++)
		ck_assert_int_eq(states[i], i + 1);
	const int classes[] = { TCP_TABLE_BASIC_LISTENER, TCP_TABLE_BASIC_CONNECTIONS,
				TCP_TABLE_BASIC_ALL, TCP_TABLE_OWNER_PID_LISTENER,
				TCP_TABLE_OWNER_PID_CONNECTIONS, TCP_TABLE_OWNER_PID_ALL,
				TCP_TABLE_OWNER_MODULE_LISTENER, TCP_TABLE_OWNER_MODULE_CONNECTIONS,
				TCP_TABLE_OWNER_MODULE_ALL };
	for (int i = 0; i < 9; i++)
		ck_assert_int_eq(classes[i], i);
	const int offload[] = { TcpConnectionOffloadStateInHost, TcpConnectionOffloadStateOffloading,
				TcpConnectionOffloadStateOffloaded, TcpConnectionOffloadStateUploading,
				TcpConnectionOffloadStateMax };
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(offload[i], i);
	ck_assert_int_eq(UDP_TABLE_BASIC, 0);
	ck_assert_int_eq(UDP_TABLE_OWNER_PID, 1);
	ck_assert_int_eq(UDP_TABLE_OWNER_MODULE, 2);
	ck_assert_int_eq(TcpRtoAlgorithmOther, 1);
	ck_assert_int_eq(TcpRtoAlgorithmConstant, 2);
	ck_assert_int_eq(TcpRtoAlgorithmRsre, 3);
	ck_assert_int_eq(TcpRtoAlgorithmVanj, 4);
	ck_assert_int_eq(MIB_TCP_RTO_VANJ, 4);
	ck_assert_int_eq(TCPIP_OWNER_MODULE_INFO_BASIC, 0);
	ck_assert_int_eq(MIB_TCP_STATE_RESERVED, 100);
	ck_assert_uint_eq(MIB_TCP_MAXCONN_DYNAMIC, 0xffffffffu);
	ck_assert_int_eq(TCPIP_OWNING_MODULE_SIZE, 16);
	ck_assert_int_eq(ANY_SIZE, 1);
}
END_TEST

START_TEST(error_codes)
{
	ck_assert_int_eq(NO_ERROR, 0);
	ck_assert_int_eq(ERROR_SUCCESS, 0);
	ck_assert_int_eq(ERROR_ACCESS_DENIED, 5);
	ck_assert_int_eq(ERROR_NOT_ENOUGH_MEMORY, 8);
	ck_assert_int_eq(ERROR_NOT_SUPPORTED, 50);
	ck_assert_int_eq(ERROR_INVALID_PARAMETER, 87);
	ck_assert_int_eq(ERROR_INSUFFICIENT_BUFFER, 122);
	ck_assert_int_eq(ERROR_PARTIAL_COPY, 299);
	ck_assert_int_eq(ERROR_MR_MID_NOT_FOUND, 317);
	ck_assert_int_eq(ERROR_NOT_FOUND, 1168);
	ck_assert_int_eq(ERROR_INVALID_USER_BUFFER, 1784);
	ck_assert_int_eq(TRUE, 1);
	ck_assert_int_eq(FALSE, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("layout");
	TCase *tc = tcase_create("layout");
	tcase_add_loop_test(tc, sizes, 0, (int)(sizeof(size_checks) / sizeof(size_checks[0])));
	tcase_add_test(tc, offsets_of_rows);
	tcase_add_test(tc, state_union_aliases);
	tcase_add_test(tc, enum_values);
	tcase_add_test(tc, error_codes);
	tcase_add_test(tc, estats_sizes);
	suite_add_tcase(s, tc);
	return tt_run_suite(s);
}
