/*
 * fuzz_fbsd.c - the FreeBSD walkers (src/bsd/freebsd/walker.c, on the
 * transcribed records) on arbitrary bytes; see bsd_fuzz.h.  The same PCB
 * bytes are also walked as a UDP list (net.inet.udp.pcblist) and the whole
 * input taken as UDP counters.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "bsd_fuzz.h"
#include "freebsd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A walk only succeeds on a well-framed list; so does the EStats search
 * (for 127.0.0.1:80 <-> 127.0.0.1:50000, the fixtures' connection). */
static void check(const uint8_t *pcbs, size_t plen, int walk_err)
{
	int framing = tt_fbsd_pcblist_check(pcbs, plen);
	if (walk_err == 0 && framing != 0 && framing != -EAGAIN)
		abort();
	struct tt_conn row;
	memset(&row, 0, sizeof(row));
	row.family = AF_INET;
	memcpy(row.laddr, "\x7f\0\0\1", 4);
	memcpy(row.raddr, "\x7f\0\0\1", 4);
	row.lport = htons(80);
	row.rport = htons(50000);
	struct tt_tcp_info ti;
	int info_err = tt_fbsd_pcblist_info(pcbs, plen, &row, &ti);
	if (info_err != -ENOENT && info_err != 0 && framing == 0)
		abort();
}

/* The same for the UDP list. */
static void udp_check(const uint8_t *pcbs, size_t plen, int walk_err)
{
	int framing = tt_fbsd_udplist_check(pcbs, plen);
	if (walk_err == 0 && framing != 0 && framing != -EAGAIN)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_udp_mib udp;
	(void)tt_fbsd_udp_mib(data, size, &udp);
	bsd_fuzz_udp_run(tt_fbsd_udplist_walk, udp_check, data, size);
	static const struct bsd_fuzz_ops ops = {
		{ tt_fbsd_files_max, tt_fbsd_files_owners },
		tt_fbsd_pcblist_walk,
		tt_fbsd_tcp_mib,
		check,
	};
	bsd_fuzz_run(&ops, data, size);
	return 0;
}
