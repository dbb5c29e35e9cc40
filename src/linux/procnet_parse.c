/*
 * procnet_parse.c - lines of /proc/net/tcp and /proc/net/tcp6 (and of
 * /proc/net/udp and udp6, which have the same columns):
 *    sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
 *     0: 0100007F:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 ...
 * Addresses are the kernel's 32-bit words printed with %08X (so their
 * in-memory bytes are the network-order address), ports are host-order
 * hex, the state is the kernel's TCP state in hex.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>

#include "diag.h"
#include "procnet.h"

struct tok {
	const char *p;
	size_t len;
};

/* Splits the line at spaces into at most max tokens; returns the count. */
static size_t split(const char *line, size_t len, struct tok *t, size_t max)
{
	size_t n = 0, i = 0;
	while (n < max) {
		while (i < len && line[i] == ' ')
			i++;
		if (i == len)
			break;
		t[n].p = line + i;
		while (i < len && line[i] != ' ')
			i++;
		t[n].len = (size_t)(line + i - t[n].p);
		n++;
	}
	return n;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Exactly `digits` hex digits at p. */
static bool hex_u32(const char *p, size_t digits, uint32_t *out)
{
	uint32_t v = 0;
	for (size_t i = 0; i < digits; i++) {
		int d = hexval(p[i]);
		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return true;
}

static bool dec_u32(const struct tok *t, uint32_t *out)
{
	if (t->len == 0 || t->len > 10)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < t->len; i++) {
		if (t->p[i] < '0' || t->p[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(t->p[i] - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* "ADDR:PORT": 8 (IPv4) or 32 (IPv6) hex digits, a colon, 4 hex digits. */
static bool endpoint(const struct tok *t, int family, uint8_t addr[16], uint16_t *port)
{
	size_t words = family == AF_INET ? 1 : 4;
	if (t->len != words * 8 + 5 || t->p[words * 8] != ':')
		return false;
	for (size_t w = 0; w < words; w++) {
		uint32_t v;
		if (!hex_u32(t->p + 8 * w, 8, &v))
			return false;
		memcpy(addr + 4 * w, &v, 4); /* the kernel printed the stored word */
	}
	uint32_t p;
	if (!hex_u32(t->p + words * 8 + 1, 4, &p))
		return false;
	*port = htons((uint16_t)p);
	return true;
}

/* An identity for duplicate removal: the inode of a full socket; for the
 * inode-less ones (TIME_WAIT, request, orphan sockets) a hash of the
 * 4-tuple, which the kernel never gives two such sockets at once. */
static uint64_t identity(const struct tt_conn *c)
{
	if (c->owner_key)
		return c->owner_key;
	uint64_t h = 14695981039346656037ull;
	const uint8_t *parts[2] = { c->laddr, c->raddr };
	for (int i = 0; i < 2; i++)
		for (int k = 0; k < 16; k++)
			h = (h ^ parts[i][k]) * 1099511628211ull;
	h = (h ^ c->lport) * 1099511628211ull;
	h = (h ^ c->rport) * 1099511628211ull;
	return h | (1ull << 63);
}

int tt_procnet_parse_line_as(unsigned proto, const char *line, size_t len, int family,
			     struct tt_conn *out)
{
	struct tok t[10];
	size_t n = split(line, len, t, 10);
	if (n >= 1 && t[0].len == 2 && memcmp(t[0].p, "sl", 2) == 0)
		return 0; /* the header */
	if (n < 10 || t[0].len < 2 || t[0].p[t[0].len - 1] != ':')
		return -EBADMSG;
	memset(out, 0, sizeof(*out));
	out->family = (uint8_t)family;
	uint32_t st, inode;
	if (!endpoint(&t[1], family, out->laddr, &out->lport) ||
	    !endpoint(&t[2], family, out->raddr, &out->rport) || t[3].len != 2 ||
	    !hex_u32(t[3].p, 2, &st) || !dec_u32(&t[9], &inode))
		return -EBADMSG;
	if (proto == TT_PROTO_UDP) {
		/* TCP_CLOSE (7), or TCP_ESTABLISHED (1) once connected. */
		if (st != 7 && st != 1)
			return -EBADMSG;
	} else {
		unsigned state = tt_linux_state(st);
		if (state == 0)
			return -EBADMSG;
		out->state = (uint8_t)state;
	}
	out->owner_key = inode;
	out->cookie = identity(out);
	return 1;
}

int tt_procnet_parse_line(const char *line, size_t len, int family, struct tt_conn *out)
{
	return tt_procnet_parse_line_as(TT_PROTO_TCP, line, len, family, out);
}
