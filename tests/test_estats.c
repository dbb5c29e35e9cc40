/*
 * test_estats.c - GetPerTcp(6)ConnectionEStats and SetPerTcp(6)ConnectionEStats
 * on real connections in a private namespace: after exactly 1,000,000 bytes
 * one way and 300,000 the other (all acknowledged), the Data, Path, FineRtt
 * and SndCong records agree with getsockopt(TCP_INFO) on the same socket,
 * for IPv4 and IPv6; an IPv4 row finds the v4-mapped connection of a
 * dual-stack socket; a missing connection, or one closed between the table
 * call and the EStats call, gives ERROR_NOT_FOUND; records at any buffer
 * alignment; Set changes nothing and Get reports collection on; a
 * TIME_WAIT row reads zeros.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <linux/tcp.h> /* glibc's struct tcp_info stops at tcpi_total_retrans */
#include <sys/socket.h>

#include "helpers.h"
#include "run_suite.h"

#define OUT_BYTES 1000000
#define IN_BYTES 300000

static struct tcp_info tcp_info_of(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	memset(&ti, 0, sizeof(ti));
	ck_assert_int_eq(getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len), 0);
	return ti;
}

static void set_nonblock(int fd)
{
	ck_assert_int_eq(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK), 0);
}

/* Moves exactly OUT_BYTES from c to s and IN_BYTES from s to c, both ways at
 * once, each side reading all it is sent. */
static void transfer(int c, int s)
{
	static char buf[65536];
	size_t sent_c = 0, sent_s = 0, got_c = 0, got_s = 0;
	set_nonblock(c);
	set_nonblock(s);
	while (sent_c < OUT_BYTES || sent_s < IN_BYTES || got_c < IN_BYTES || got_s < OUT_BYTES) {
		struct pollfd p[2] = { { c, POLLIN, 0 }, { s, POLLIN, 0 } };
		if (sent_c < OUT_BYTES)
			p[0].events |= POLLOUT;
		if (sent_s < IN_BYTES)
			p[1].events |= POLLOUT;
		ck_assert_int_gt(poll(p, 2, 10000), 0);
		ssize_t n;
		if ((p[0].revents & POLLOUT) && (n = send(c, buf, sizeof(buf) < OUT_BYTES - sent_c ? sizeof(buf) : OUT_BYTES - sent_c, 0)) > 0)
			sent_c += (size_t)n;
		if ((p[1].revents & POLLOUT) && (n = send(s, buf, sizeof(buf) < IN_BYTES - sent_s ? sizeof(buf) : IN_BYTES - sent_s, 0)) > 0)
			sent_s += (size_t)n;
		if ((p[0].revents & POLLIN) && (n = recv(c, buf, sizeof(buf), 0)) > 0)
			got_c += (size_t)n;
		if ((p[1].revents & POLLIN) && (n = recv(s, buf, sizeof(buf), 0)) > 0)
			got_s += (size_t)n;
	}
	ck_assert_uint_eq(got_s, OUT_BYTES);
	ck_assert_uint_eq(got_c, IN_BYTES);
}

/* Waits until everything both sides sent is acknowledged (loopback: at
 * once, bar a delayed ACK); a counter, not a clock, bounds the wait. */
static void wait_acked(int c, int s)
{
	for (int i = 0; i < 5000; i++) {
		struct tcp_info a = tcp_info_of(c), b = tcp_info_of(s);
		if (a.tcpi_unacked == 0 && b.tcpi_unacked == 0 && a.tcpi_notsent_bytes == 0 &&
		    b.tcpi_notsent_bytes == 0)
			return;
		usleep(1000);
	}
	ck_abort_msg("data still unacknowledged");
}

/* The EStats of one connection, by its row (v4 or v6). */
struct conn_ref {
	int family;
	MIB_TCPROW row4;
	MIB_TCP6ROW row6;
};

static struct conn_ref ref_of(const struct tt_ep *l, const struct tt_ep *r)
{
	struct conn_ref ref;
	memset(&ref, 0, sizeof(ref));
	ref.family = l->family;
	if (l->family == AF_INET) {
		PMIB_TCPTABLE t = tt_get_tcp();
		const MIB_TCPROW *row = tt_find_tcp(t, l, r);
		ck_assert_ptr_nonnull(row);
		ref.row4 = *row;
		free(t);
	} else {
		PMIB_TCP6TABLE t = tt_get_tcp6();
		const MIB_TCP6ROW *row = tt_find_tcp6(t, l, r);
		ck_assert_ptr_nonnull(row);
		ref.row6 = *row;
		free(t);
	}
	return ref;
}

static ULONG get(struct conn_ref *ref, TCP_ESTATS_TYPE type, void *rw, ULONG rw_size, void *ros,
		 ULONG ros_size, void *rod, ULONG rod_size)
{
	if (ref->family == AF_INET)
		return GetPerTcpConnectionEStats(&ref->row4, type, rw, 0, rw_size, ros, 0, ros_size,
						 rod, 0, rod_size);
	return GetPerTcp6ConnectionEStats(&ref->row6, type, rw, 0, rw_size, ros, 0, ros_size, rod,
					  0, rod_size);
}

static ULONG set(struct conn_ref *ref, TCP_ESTATS_TYPE type, void *rw, ULONG rw_size)
{
	if (ref->family == AF_INET)
		return SetPerTcpConnectionEStats(&ref->row4, type, rw, 0, rw_size, 0);
	return SetPerTcp6ConnectionEStats(&ref->row6, type, rw, 0, rw_size, 0);
}

/* The 32-bit field at offset off of the socket's TCP_INFO as the running
 * kernel sends it (beyond the build headers' struct), or -1 when that
 * kernel's tcp_info is shorter. */
static int64_t raw_info_u32(int fd, size_t off)
{
	unsigned char b[512];
	socklen_t len = sizeof(b);
	ck_assert_int_eq(getsockopt(fd, IPPROTO_TCP, TCP_INFO, b, &len), 0);
	if (len < off + 4)
		return -1;
	uint32_t v;
	memcpy(&v, b + off, sizeof(v));
	return v;
}

/* v between the two readings a and b (a counter that may have moved). */
#define ck_between(v, a, b)                                                          \
	ck_assert_msg(((uint64_t)(v) >= ((a) < (b) ? (a) : (b))) &&                  \
			      ((uint64_t)(v) <= ((a) < (b) ? (b) : (a))),                  \
		      "%s = %llu, not between %llu and %llu", #v,                  \
		      (unsigned long long)(v), (unsigned long long)(a), (unsigned long long)(b))

/* One side of the connection: its Data, Path, FineRtt, SndCong records
 * against TCP_INFO read before and after on the same socket. */
static void check_side(int fd, struct conn_ref *ref, uint64_t out, uint64_t in)
{
	TCP_ESTATS_DATA_ROD_v0 data;
	TCP_ESTATS_PATH_ROD_v0 path;
	TCP_ESTATS_FINE_RTT_ROD_v0 fine;
	TCP_ESTATS_SND_CONG_ROD_v0 cong;
	struct tcp_info a = tcp_info_of(fd);
	ck_assert_uint_eq(get(ref, TcpConnectionEstatsData, NULL, 0, NULL, 0, &data, sizeof(data)), NO_ERROR);
	ck_assert_uint_eq(get(ref, TcpConnectionEstatsPath, NULL, 0, NULL, 0, &path, sizeof(path)), NO_ERROR);
	ck_assert_uint_eq(get(ref, TcpConnectionEstatsFineRtt, NULL, 0, NULL, 0, &fine, sizeof(fine)), NO_ERROR);
	ck_assert_uint_eq(get(ref, TcpConnectionEstatsSndCong, NULL, 0, NULL, 0, &cong, sizeof(cong)), NO_ERROR);
	struct tcp_info b = tcp_info_of(fd);

	/* Data: what was sent and received, as the kernel counts it. */
	ck_between(data.DataBytesOut, a.tcpi_bytes_sent, b.tcpi_bytes_sent);
	ck_between(data.ThruBytesAcked, a.tcpi_bytes_acked, b.tcpi_bytes_acked);
	ck_between(data.DataBytesIn, a.tcpi_bytes_received, b.tcpi_bytes_received);
	ck_between(data.ThruBytesReceived, a.tcpi_bytes_received, b.tcpi_bytes_received);
	ck_between(data.DataSegsOut, a.tcpi_data_segs_out, b.tcpi_data_segs_out);
	ck_between(data.DataSegsIn, a.tcpi_data_segs_in, b.tcpi_data_segs_in);
	ck_assert_uint_ge(data.DataBytesOut, out); /* retransmissions count too */
	/* The active opener's SYN is acknowledged too: one more byte. */
	ck_assert_msg(data.ThruBytesAcked == out || data.ThruBytesAcked == out + 1,
		      "ThruBytesAcked %llu, sent %llu", (unsigned long long)data.ThruBytesAcked,
		      (unsigned long long)out);
	ck_assert_uint_eq(data.ThruBytesReceived, in);
	ck_assert_uint_eq(data.DataBytesIn, in);

	/* Path: RTT in ms, FineRtt in µs. */
	ck_between(path.SmoothedRtt, a.tcpi_rtt / 1000, b.tcpi_rtt / 1000);
	ck_between(path.MinRtt, a.tcpi_min_rtt / 1000, b.tcpi_min_rtt / 1000);
	ck_between(path.RttVar, a.tcpi_rttvar / 1000, b.tcpi_rttvar / 1000);
	ck_between(path.CurRto, a.tcpi_rto / 1000, b.tcpi_rto / 1000);
	ck_assert_uint_gt(path.CurRto, 0);
	ck_between(path.CurMss, a.tcpi_snd_mss, b.tcpi_snd_mss);
	ck_between(fine.MinRtt, a.tcpi_min_rtt, b.tcpi_min_rtt);
	ck_assert_uint_gt(fine.MinRtt, 0);
	ck_between(fine.RttVar, a.tcpi_rttvar, b.tcpi_rttvar);

	/* Windows: the peer's (tcpi_snd_wnd, 5.4+) and ours (tcpi_rcv_wnd,
	 * 6.2+, offsets 228 and 232), where the running kernel has them. */
	TCP_ESTATS_OBS_REC_ROD_v0 obs;
	TCP_ESTATS_REC_ROD_v0 rec;
	int64_t snd_wnd = raw_info_u32(fd, 228), rcv_wnd = raw_info_u32(fd, 232);
	ck_assert_uint_eq(get(ref, TcpConnectionEstatsObsRec, NULL, 0, NULL, 0, &obs, sizeof(obs)), NO_ERROR);
	ck_assert_uint_eq(get(ref, TcpConnectionEstatsRec, NULL, 0, NULL, 0, &rec, sizeof(rec)), NO_ERROR);
	if (snd_wnd >= 0)
		ck_assert_uint_eq(obs.CurRwinRcvd, (uint64_t)snd_wnd);
	if (rcv_wnd >= 0)
		ck_assert_uint_eq(rec.CurRwinSent, (uint64_t)rcv_wnd);
	ck_assert_uint_eq(rec.CurAppRQueue, 0); /* everything was read */

	/* SndCong: the window in bytes. */
	ck_assert_uint_gt(cong.CurCwnd, 0);
	ck_between(cong.CurCwnd, (uint64_t)a.tcpi_snd_cwnd * a.tcpi_snd_mss,
		   (uint64_t)b.tcpi_snd_cwnd * b.tcpi_snd_mss);
}

static void traffic_case(struct tt_ep l)
{
	int lfd = tt_listen(&l, 1);
	int c, s;
	tt_pair(lfd, &l, &c, &s);
	transfer(c, s);
	wait_acked(c, s);
	struct tt_ep cl = tt_local_of(c);
	struct conn_ref cref = ref_of(&cl, &l), sref = ref_of(&l, &cl);
	check_side(c, &cref, OUT_BYTES, IN_BYTES);
	check_side(s, &sref, IN_BYTES, OUT_BYTES);
	close(c);
	close(s);
	close(lfd);
}

START_TEST(traffic_v4)
{
	traffic_case(tt_ep4("127.0.0.1", 0));
}
END_TEST

START_TEST(traffic_v6)
{
	traffic_case(tt_ep6("::1", 0, 0));
}
END_TEST

/* The server end of an IPv4 connection accepted by a dual-stack listener is
 * an IPv6 socket holding ::ffff:127.0.0.1; its IPv4 row finds it. */
START_TEST(ipv4_row_finds_dual_stack_socket)
{
	struct tt_ep any6 = tt_ep6("::", 0, 0);
	int lfd = tt_listen(&any6, 0);
	struct tt_ep to = tt_ep4("127.0.0.1", any6.port);
	int c, s;
	tt_pair(lfd, &to, &c, &s);
	ck_assert_int_eq(tt_local_of(s).family, AF_INET6);
	static const char msg[1234];
	ck_assert_int_eq(send(c, msg, sizeof(msg), 0), (ssize_t)sizeof(msg));
	char buf[sizeof(msg)];
	size_t got = 0;
	while (got < sizeof(buf)) {
		ssize_t n = recv(s, buf + got, sizeof(buf) - got, 0);
		ck_assert_int_gt(n, 0);
		got += (size_t)n;
	}
	struct tt_ep cl = tt_local_of(c);
	struct conn_ref ref = ref_of(&to, &cl);
	TCP_ESTATS_DATA_ROD_v0 data;
	ck_assert_uint_eq(get(&ref, TcpConnectionEstatsData, NULL, 0, NULL, 0, &data, sizeof(data)), NO_ERROR);
	ck_assert_uint_eq(data.ThruBytesReceived, sizeof(msg));
	ck_assert_uint_eq(data.ThruBytesReceived, tcp_info_of(s).tcpi_bytes_received);
	close(c);
	close(s);
	close(lfd);
}
END_TEST

/* An abortive close: the socket is gone at once (no TIME_WAIT). */
static void close_reset(int fd)
{
	struct linger lg = { 1, 0 };
	ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	close(fd);
}

START_TEST(connection_closed_after_the_table_call)
{
	for (int family = AF_INET; family != -1; family = family == AF_INET ? AF_INET6 : -1) {
		struct tt_ep l = family == AF_INET ? tt_ep4("127.0.0.1", 0) : tt_ep6("::1", 0, 0);
		int lfd = tt_listen(&l, 1);
		int c, s;
		tt_pair(lfd, &l, &c, &s);
		struct tt_ep cl = tt_local_of(c);
		struct conn_ref ref = ref_of(&cl, &l);
		TCP_ESTATS_DATA_ROD_v0 data;
		ck_assert_uint_eq(get(&ref, TcpConnectionEstatsData, NULL, 0, NULL, 0, &data, sizeof(data)), NO_ERROR);
		close_reset(c);
		close(s);
		ck_assert_uint_eq(get(&ref, TcpConnectionEstatsData, NULL, 0, NULL, 0, &data, sizeof(data)),
				  ERROR_NOT_FOUND);
		BOOLEAN on = TRUE;
		ck_assert_uint_eq(set(&ref, TcpConnectionEstatsData, &on, sizeof(on)), ERROR_NOT_FOUND);
		/* RwSize 0: NO_ERROR before any lookup. */
		ck_assert_uint_eq(set(&ref, TcpConnectionEstatsData, NULL, 0), NO_ERROR);
		close(lfd);
	}
}
END_TEST

/* A TIME_WAIT row names a connection the kernel still holds, without
 * counters: found, every field 0 (docs/porting.md). */
START_TEST(time_wait_row_reads_zero)
{
	struct tt_ep l = tt_ep4("127.0.0.1", 0);
	int lfd = tt_listen(&l, 1);
	int c, s;
	tt_pair(lfd, &l, &c, &s);
	struct tt_ep cl = tt_local_of(c);
	ck_assert_int_eq(send(c, "x", 1, 0), 1);
	char b;
	ck_assert_int_eq(recv(s, &b, 1, 0), 1);
	struct conn_ref ref = ref_of(&cl, &l);
	close(c); /* the active closer ends in TIME_WAIT */
	ck_assert_int_eq(recv(s, &b, 1, 0), 0);
	close(s);
	ck_assert(tt_wait_state(&cl, &l, MIB_TCP_STATE_TIME_WAIT));
	TCP_ESTATS_DATA_ROD_v0 data;
	memset(&data, 0xee, sizeof(data));
	ck_assert_uint_eq(get(&ref, TcpConnectionEstatsData, NULL, 0, NULL, 0, &data, sizeof(data)), NO_ERROR);
	ck_assert_uint_eq(data.DataBytesOut, 0);
	ck_assert_uint_eq(data.ThruBytesAcked, 0);
	close(lfd);
}
END_TEST

START_TEST(missing_connection)
{
	MIB_TCPROW row;
	memset(&row, 0, sizeof(row));
	row.dwLocalAddr = htonl(INADDR_LOOPBACK);
	row.dwRemoteAddr = htonl(INADDR_LOOPBACK);
	row.dwLocalPort = htons(1);
	row.dwRemotePort = htons(2);
	TCP_ESTATS_DATA_ROD_v0 data;
	ck_assert_uint_eq(GetPerTcpConnectionEStats(&row, TcpConnectionEstatsData, NULL, 0, 0, NULL, 0,
						    0, (PUCHAR)&data, 0, sizeof(data)),
			  ERROR_NOT_FOUND);
	/* The listener on the local port is no connection. */
	struct tt_ep l = tt_ep4("127.0.0.1", 0);
	int lfd = tt_listen(&l, 1);
	row.dwLocalPort = htons(l.port);
	ck_assert_uint_eq(GetPerTcpConnectionEStats(&row, TcpConnectionEstatsData, NULL, 0, 0, NULL, 0,
						    0, (PUCHAR)&data, 0, sizeof(data)),
			  ERROR_NOT_FOUND);
	MIB_TCP6ROW row6;
	memset(&row6, 0, sizeof(row6));
	row6.LocalAddr = in6addr_loopback;
	row6.RemoteAddr = in6addr_loopback;
	row6.dwLocalPort = htons(1);
	row6.dwRemotePort = htons(2);
	ck_assert_uint_eq(GetPerTcp6ConnectionEStats(&row6, TcpConnectionEstatsPath, NULL, 0, 0, NULL,
						     0, 0, NULL, 0, 0),
			  ERROR_NOT_FOUND);
	close(lfd);
}
END_TEST

/* Every type with every record it has, Rw reporting collection on, Set
 * accepted and changing nothing; records written at any alignment. */
START_TEST(every_type_any_alignment)
{
	struct tt_ep l = tt_ep4("127.0.0.1", 0);
	int lfd = tt_listen(&l, 1);
	int c, s;
	tt_pair(lfd, &l, &c, &s);
	struct tt_ep cl = tt_local_of(c);
	struct conn_ref ref = ref_of(&cl, &l);
	static const ULONG rw_sizes[] = { 0, 1, 1, 1, 1, 1, 1, 8, 1 };
	static const ULONG ros_sizes[] = { 12, 0, 4, 0, 0, 0, 0, 0, 0 };
	static const ULONG rod_sizes[] = { 0,
					   sizeof(TCP_ESTATS_DATA_ROD_v0),
					   sizeof(TCP_ESTATS_SND_CONG_ROD_v0),
					   sizeof(TCP_ESTATS_PATH_ROD_v0),
					   sizeof(TCP_ESTATS_SEND_BUFF_ROD_v0),
					   sizeof(TCP_ESTATS_REC_ROD_v0),
					   sizeof(TCP_ESTATS_OBS_REC_ROD_v0),
					   sizeof(TCP_ESTATS_BANDWIDTH_ROD_v0),
					   sizeof(TCP_ESTATS_FINE_RTT_ROD_v0) };
	for (int type = 0; type < TcpConnectionEstatsMaximum; type++) {
		for (size_t off = 0; off < 8; off++) {
			unsigned char rw[16 + 8], ros[16 + 8], rod[256 + 8];
			memset(rw, 0xee, sizeof(rw));
			memset(ros, 0xee, sizeof(ros));
			memset(rod, 0xee, sizeof(rod));
			PUCHAR prw = rw_sizes[type] ? rw + off : NULL;
			PUCHAR pros = ros_sizes[type] ? ros + off : NULL;
			PUCHAR prod = rod_sizes[type] ? rod + off : NULL;
			ck_assert_uint_eq(get(&ref, (TCP_ESTATS_TYPE)type, prw, rw_sizes[type], pros,
					      ros_sizes[type], prod, rod_sizes[type]),
					  NO_ERROR);
			/* Exactly the record is written, nothing around it. */
			if (prod) {
				ck_assert_uint_eq(rod[off + rod_sizes[type]], 0xee);
				if (off)
					ck_assert_uint_eq(rod[off - 1], 0xee);
			}
			if (type == TcpConnectionEstatsBandwidth) {
				TCP_ESTATS_BANDWIDTH_RW_v0 bw;
				memcpy(&bw, prw, sizeof(bw));
				ck_assert_int_eq(bw.EnableCollectionOutbound, TcpBoolOptEnabled);
				ck_assert_int_eq(bw.EnableCollectionInbound, TcpBoolOptEnabled);
			} else if (prw) {
				ck_assert_uint_eq(prw[0], TRUE);
				ck_assert_uint_eq(prw[1], 0xee);
			}
			if (type == TcpConnectionEstatsSynOpts) {
				TCP_ESTATS_SYN_OPTS_ROS_v0 so;
				memcpy(&so, pros, sizeof(so));
				ck_assert_uint_eq(so.MssRcvd, tcp_info_of(c).tcpi_snd_mss);
				ck_assert_uint_eq(so.MssSent, tcp_info_of(c).tcpi_advmss);
			}
			if (type == TcpConnectionEstatsPath) {
				TCP_ESTATS_PATH_ROD_v0 p;
				memcpy(&p, prod, sizeof(p));
				ck_assert_uint_eq(p.CurMss, tcp_info_of(c).tcpi_snd_mss);
			}
			if (prw) {
				unsigned char off_rw[8 + 8];
				memset(off_rw, 0, sizeof(off_rw));
				ck_assert_uint_eq(set(&ref, (TCP_ESTATS_TYPE)type, off_rw + off, rw_sizes[type]),
						  NO_ERROR);
			}
		}
	}
	close(c);
	close(s);
	close(lfd);
}
END_TEST

int main(void)
{
	tt_test_init("estats");
	Suite *s = suite_create("estats");
	TCase *tc = tcase_create("estats");
	tcase_add_checked_fixture(tc, tt_fresh_netns, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, traffic_v4);
	tcase_add_test(tc, traffic_v6);
	tcase_add_test(tc, ipv4_row_finds_dual_stack_socket);
	tcase_add_test(tc, connection_closed_after_the_table_call);
	tcase_add_test(tc, time_wait_row_reads_zero);
	tcase_add_test(tc, missing_connection);
	tcase_add_test(tc, every_type_any_alignment);
	suite_add_tcase(s, tc);
	return tt_run_suite(s);
}
