/*
 * estats.c - GetPerTcp(6)ConnectionEStats and SetPerTcp(6)ConnectionEStats
 * (SPEC §11): the argument checks in the order SPEC §11 gives, one backend
 * lookup of the connection's own counters (tt_backend_tcp_info), and the
 * Windows records filled in Windows units.  The kernels always collect
 * these counters, for every caller: Set changes nothing and Get reports
 * collection enabled.  A field with no kernel source is 0 (docs/porting.md
 * has the table, field by field).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "iphlpapi.h"

#include "backend.h"
#include "compat.h"
#include "row_conn.h"

#define NTYPES TcpConnectionEstatsMaximum

/* The size of each type's Rw, Ros and Rod record; 0: the type has none. */
static const size_t rw_size[NTYPES] = {
	[TcpConnectionEstatsData] = sizeof(TCP_ESTATS_DATA_RW_v0),
	[TcpConnectionEstatsSndCong] = sizeof(TCP_ESTATS_SND_CONG_RW_v0),
	[TcpConnectionEstatsPath] = sizeof(TCP_ESTATS_PATH_RW_v0),
	[TcpConnectionEstatsSendBuff] = sizeof(TCP_ESTATS_SEND_BUFF_RW_v0),
	[TcpConnectionEstatsRec] = sizeof(TCP_ESTATS_REC_RW_v0),
	[TcpConnectionEstatsObsRec] = sizeof(TCP_ESTATS_OBS_REC_RW_v0),
	[TcpConnectionEstatsBandwidth] = sizeof(TCP_ESTATS_BANDWIDTH_RW_v0),
	[TcpConnectionEstatsFineRtt] = sizeof(TCP_ESTATS_FINE_RTT_RW_v0),
};
static const size_t ros_size[NTYPES] = {
	[TcpConnectionEstatsSynOpts] = sizeof(TCP_ESTATS_SYN_OPTS_ROS_v0),
	[TcpConnectionEstatsSndCong] = sizeof(TCP_ESTATS_SND_CONG_ROS_v0),
};
static const size_t rod_size[NTYPES] = {
	[TcpConnectionEstatsData] = sizeof(TCP_ESTATS_DATA_ROD_v0),
	[TcpConnectionEstatsSndCong] = sizeof(TCP_ESTATS_SND_CONG_ROD_v0),
	[TcpConnectionEstatsPath] = sizeof(TCP_ESTATS_PATH_ROD_v0),
	[TcpConnectionEstatsSendBuff] = sizeof(TCP_ESTATS_SEND_BUFF_ROD_v0),
	[TcpConnectionEstatsRec] = sizeof(TCP_ESTATS_REC_ROD_v0),
	[TcpConnectionEstatsObsRec] = sizeof(TCP_ESTATS_OBS_REC_ROD_v0),
	[TcpConnectionEstatsBandwidth] = sizeof(TCP_ESTATS_BANDWIDTH_ROD_v0),
	[TcpConnectionEstatsFineRtt] = sizeof(TCP_ESTATS_FINE_RTT_ROD_v0),
};

/* A counter into a ULONG, or SIZE_T, field: saturated, never wrapped. */
static ULONG u32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (ULONG)v;
}

static SIZE_T usize(uint64_t v)
{
	return v > SIZE_MAX ? SIZE_MAX : (SIZE_T)v;
}

/* Microseconds to the milliseconds of Windows' RTT and RTO fields. */
static ULONG ms(uint32_t us)
{
	return us / 1000;
}

static DWORD map_err(int err)
{
	switch (err) {
	case 0:
		return NO_ERROR;
	case -ENOENT:
	case -ESRCH:
	case -ESTALE:
		return ERROR_NOT_FOUND;
	case -EPERM:
	case -EACCES:
		return ERROR_ACCESS_DENIED;
	case -ENOMEM:
		return ERROR_NOT_ENOUGH_MEMORY;
	default:
		return ERROR_NOT_SUPPORTED;
	}
}

/* Rw: collection is always on (SPEC §11). */
static void fill_rw(TCP_ESTATS_TYPE type, PUCHAR rw)
{
	if (type == TcpConnectionEstatsBandwidth) {
		TCP_ESTATS_BANDWIDTH_RW_v0 bw = { TcpBoolOptEnabled, TcpBoolOptEnabled };
		memcpy(rw, &bw, sizeof(bw));
	} else {
		BOOLEAN on = TRUE;
		memcpy(rw, &on, sizeof(on)); /* every other Rw is one BOOLEAN */
	}
}

static void fill_ros(TCP_ESTATS_TYPE type, const struct tt_tcp_info *ti, PUCHAR ros)
{
	if (type == TcpConnectionEstatsSynOpts) {
		TCP_ESTATS_SYN_OPTS_ROS_v0 r;
		memset(&r, 0, sizeof(r));
		r.MssRcvd = ti->snd_mss;
		r.MssSent = ti->advmss;
		memcpy(ros, &r, sizeof(r));
	} else { /* SndCong: LimCwnd has no kernel source */
		TCP_ESTATS_SND_CONG_ROS_v0 r;
		memset(&r, 0, sizeof(r));
		memcpy(ros, &r, sizeof(r));
	}
}

/* Each Rod from the backend's counters (docs/porting.md, "EStats"). */
static void fill_rod(TCP_ESTATS_TYPE type, const struct tt_tcp_info *ti, PUCHAR rod)
{
	union {
		TCP_ESTATS_DATA_ROD_v0 data;
		TCP_ESTATS_SND_CONG_ROD_v0 cong;
		TCP_ESTATS_PATH_ROD_v0 path;
		TCP_ESTATS_SEND_BUFF_ROD_v0 sbuf;
		TCP_ESTATS_REC_ROD_v0 rec;
		TCP_ESTATS_OBS_REC_ROD_v0 obs;
		TCP_ESTATS_BANDWIDTH_ROD_v0 bw;
		TCP_ESTATS_FINE_RTT_ROD_v0 rtt;
	} r;
	memset(&r, 0, sizeof(r));
	switch (type) {
	case TcpConnectionEstatsData:
		r.data.DataBytesOut = ti->bytes_sent;
		r.data.DataSegsOut = ti->data_segs_out;
		r.data.DataBytesIn = ti->bytes_received;
		r.data.DataSegsIn = ti->data_segs_in;
		r.data.SegsOut = ti->segs_out;
		r.data.SegsIn = ti->segs_in;
		r.data.ThruBytesAcked = ti->bytes_acked;
		r.data.ThruBytesReceived = ti->bytes_received;
		break;
	case TcpConnectionEstatsSndCong: {
		/* Linux's chronographs are exclusive: busy is their sum, so
		 * what is neither rwnd- nor sndbuf-limited is cwnd-limited. */
		uint64_t other = ti->rwnd_limited_us + ti->sndbuf_limited_us;
		r.cong.SndLimTimeRwin = u32(ti->rwnd_limited_us / 1000);
		r.cong.SndLimTimeCwnd = u32(ti->busy_us > other ? (ti->busy_us - other) / 1000 : 0);
		r.cong.SndLimTimeSnd = u32(ti->sndbuf_limited_us / 1000);
		r.cong.CurCwnd = u32(ti->snd_cwnd);
		r.cong.CurSsthresh = u32(ti->snd_ssthresh);
		break;
	}
	case TcpConnectionEstatsPath:
		r.path.Timeouts = ti->timeouts;
		r.path.CurTimeoutCount = ti->cur_timeouts;
		r.path.PktsRetrans = ti->total_retrans;
		r.path.BytesRetrans = u32(ti->bytes_retrans);
		r.path.RetranThresh = ti->reordering;
		r.path.DsackDups = ti->dsack_dups;
		r.path.SmoothedRtt = ms(ti->rtt_us);
		r.path.RttVar = ms(ti->rttvar_us);
		r.path.MinRtt = ms(ti->min_rtt_us);
		r.path.CurRto = ms(ti->rto_us);
		r.path.CurMss = ti->snd_mss;
		break;
	case TcpConnectionEstatsSendBuff:
		r.sbuf.CurRetxQueue = usize(ti->unacked_bytes);
		r.sbuf.CurAppWQueue = usize(ti->notsent_bytes);
		break;
	case TcpConnectionEstatsRec:
		r.rec.CurRwinSent = u32(ti->rcv_wnd);
		r.rec.CurAppRQueue = usize(ti->unread_bytes);
		r.rec.WinScaleSent = ti->rcv_wscale;
		break;
	case TcpConnectionEstatsObsRec:
		r.obs.CurRwinRcvd = u32(ti->snd_wnd);
		r.obs.WinScaleRcvd = ti->snd_wscale;
		break;
	case TcpConnectionEstatsBandwidth:
		/* Windows counts bits per second. */
		r.bw.OutboundBandwidth = ti->delivery_rate > UINT64_MAX / 8 ? UINT64_MAX
									     : ti->delivery_rate * 8;
		break;
	case TcpConnectionEstatsFineRtt:
		r.rtt.RttVar = ti->rttvar_us;
		r.rtt.MinRtt = ti->min_rtt_us;
		break;
	default:
		return;
	}
	memcpy(rod, &r, rod_size[type]);
}

/* The checks of SPEC §11 that come before the lookup, for one of the three
 * buffers: version, NULL with a size, a buffer the type has no record for,
 * too small.  Each class of error is checked over all three buffers before
 * the next, so the caller passes the stage. */
enum stage { STAGE_VERSION, STAGE_NULL, STAGE_TYPE, STAGE_SIZE };

static DWORD check_buf(enum stage st, const UCHAR *p, ULONG version, ULONG size, size_t need)
{
	switch (st) {
	case STAGE_VERSION:
		return version != 0 ? ERROR_NOT_SUPPORTED : NO_ERROR;
	case STAGE_NULL:
		return !p && size != 0 ? ERROR_INVALID_USER_BUFFER : NO_ERROR;
	case STAGE_TYPE:
		return p && need == 0 ? ERROR_INVALID_PARAMETER : NO_ERROR;
	case STAGE_SIZE:
		return p && size < need ? ERROR_INSUFFICIENT_BUFFER : NO_ERROR;
	}
	return NO_ERROR;
}

static ULONG get_estats(const struct tt_conn *c, TCP_ESTATS_TYPE type, PUCHAR rw, ULONG rw_version,
			ULONG rw_sz, PUCHAR ros, ULONG ros_version, ULONG ros_sz, PUCHAR rod,
			ULONG rod_version, ULONG rod_sz)
{
	for (enum stage st = STAGE_VERSION; st <= STAGE_SIZE; st++) {
		DWORD e = check_buf(st, rw, rw_version, rw_sz, rw_size[type]);
		if (!e)
			e = check_buf(st, ros, ros_version, ros_sz, ros_size[type]);
		if (!e)
			e = check_buf(st, rod, rod_version, rod_sz, rod_size[type]);
		if (e)
			return e;
	}
	struct tt_tcp_info ti;
	memset(&ti, 0, sizeof(ti));
	DWORD e = map_err(tt_backend_tcp_info(c, &ti));
	if (e)
		return e;
	if (rw)
		fill_rw(type, rw);
	if (ros)
		fill_ros(type, &ti, ros);
	if (rod)
		fill_rod(type, &ti, rod);
	return NO_ERROR;
}

static ULONG set_estats(const struct tt_conn *c, TCP_ESTATS_TYPE type, const UCHAR *rw,
			ULONG rw_version, ULONG rw_sz, ULONG offset)
{
	if (rw_version != 0 || offset != 0)
		return ERROR_NOT_SUPPORTED;
	if (!rw && rw_sz != 0)
		return ERROR_INVALID_USER_BUFFER;
	if (rw_sz == 0)
		return NO_ERROR;
	if (rw_size[type] == 0) /* SynOpts has no Rw */
		return ERROR_INVALID_PARAMETER;
	if (rw_sz < rw_size[type])
		return ERROR_INSUFFICIENT_BUFFER;
	/* The kernel always collects: nothing to change, but the connection
	 * must exist. */
	struct tt_tcp_info ti;
	return map_err(tt_backend_tcp_info(c, &ti));
}

static bool bad_type(TCP_ESTATS_TYPE type)
{
	return (unsigned)type >= NTYPES;
}

TT_API ULONG WINAPI GetPerTcpConnectionEStats(PMIB_TCPROW Row, TCP_ESTATS_TYPE EstatsType,
					      PUCHAR Rw, ULONG RwVersion, ULONG RwSize,
					      PUCHAR Ros, ULONG RosVersion, ULONG RosSize,
					      PUCHAR Rod, ULONG RodVersion, ULONG RodSize)
{
	if (!Row || bad_type(EstatsType))
		return ERROR_INVALID_PARAMETER;
	struct tt_conn c;
	tt_conn_from_tcprow(Row, &c);
	return get_estats(&c, EstatsType, Rw, RwVersion, RwSize, Ros, RosVersion, RosSize, Rod,
			  RodVersion, RodSize);
}

TT_API ULONG WINAPI GetPerTcp6ConnectionEStats(PMIB_TCP6ROW Row, TCP_ESTATS_TYPE EstatsType,
					       PUCHAR Rw, ULONG RwVersion, ULONG RwSize,
					       PUCHAR Ros, ULONG RosVersion, ULONG RosSize,
					       PUCHAR Rod, ULONG RodVersion, ULONG RodSize)
{
	if (!Row || bad_type(EstatsType))
		return ERROR_INVALID_PARAMETER;
	struct tt_conn c;
	tt_conn_from_tcp6row(Row, &c);
	return get_estats(&c, EstatsType, Rw, RwVersion, RwSize, Ros, RosVersion, RosSize, Rod,
			  RodVersion, RodSize);
}

TT_API ULONG WINAPI SetPerTcpConnectionEStats(PMIB_TCPROW Row, TCP_ESTATS_TYPE EstatsType,
					      PUCHAR Rw, ULONG RwVersion, ULONG RwSize, ULONG Offset)
{
	if (!Row || bad_type(EstatsType))
		return ERROR_INVALID_PARAMETER;
	struct tt_conn c;
	tt_conn_from_tcprow(Row, &c);
	return set_estats(&c, EstatsType, Rw, RwVersion, RwSize, Offset);
}

TT_API ULONG WINAPI SetPerTcp6ConnectionEStats(PMIB_TCP6ROW Row, TCP_ESTATS_TYPE EstatsType,
					       PUCHAR Rw, ULONG RwVersion, ULONG RwSize, ULONG Offset)
{
	if (!Row || bad_type(EstatsType))
		return ERROR_INVALID_PARAMETER;
	struct tt_conn c;
	tt_conn_from_tcp6row(Row, &c);
	return set_estats(&c, EstatsType, Rw, RwVersion, RwSize, Offset);
}
