/*
 * table_get.h - fetching whole tables the way Windows programs do (size,
 * allocate, fetch), for the suites that run the front end on chosen
 * records.
 */
#ifndef TT_TEST_TABLE_GET_H
#define TT_TEST_TABLE_GET_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <check.h>
#include <iphlpapi.h>

/* Row i of a Windows table, through a pointer (the table[ANY_SIZE] member
 * must not be indexed past 0 with a constant). */
#define ROW(t, i) ((&(t)->table[0])[i])

/* static inline type name(void): the whole table, sorted, from fn; free() it. */
#define GET(name, type, fn)                                                    \
	static inline type name(void)                                          \
	{                                                                      \
		ULONG size = 0;                                                \
		ck_assert_uint_eq(fn(NULL, &size, TRUE), ERROR_INSUFFICIENT_BUFFER); \
		type t = malloc(size);                                         \
		ck_assert_ptr_nonnull(t);                                      \
		ck_assert_uint_eq(fn(t, &size, TRUE), NO_ERROR);               \
		return t;                                                      \
	}

GET(get4, PMIB_TCPTABLE, GetTcpTable)
GET(get4_2, PMIB_TCPTABLE2, GetTcpTable2)
GET(get6, PMIB_TCP6TABLE, GetTcp6Table)
GET(get6_2, PMIB_TCP6TABLE2, GetTcp6Table2)

/* An IPv4 address as the rows hold it (network order in a DWORD). */
static inline DWORD a4(const char *s)
{
	DWORD a;
	ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* True when an IPv6 row address is the address s. */
static inline bool addr6_is(const IN6_ADDR *a, const char *s)
{
	IN6_ADDR want;
	ck_assert_int_eq(inet_pton(AF_INET6, s, &want), 1);
	return memcmp(a, &want, sizeof(want)) == 0;
}

#endif /* TT_TEST_TABLE_GET_H */
