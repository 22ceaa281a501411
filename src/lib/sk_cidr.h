/* sk_cidr: a table of IPv4/IPv6 prefixes and the longest-prefix match of
 * an address in it (stream-join --cidr). */
#ifndef SK_CIDR_H
#define SK_CIDR_H

#include <stddef.h>
#include <stdint.h>
#include "sk_hash.h"
#include "sk_net.h"

/*
 * Every prefix lives in one 128-bit space: an IPv4 prefix a.b.c.d/n is
 * ::ffff:a.b.c.d/(96 + n), so 10.0.0.0/8 and ::ffff:10.0.0.0/104 are one
 * prefix, as sk_cidr_match has them. The table is one sk_hash keyed by
 * the length and the prefix's ceil(length / 8) bytes (host bits clear),
 * and the set of lengths present; a lookup probes those lengths, longest
 * first, so it costs at most one probe per length present (129 at most),
 * however many prefixes there are.
 *
 * As sk_cidr_match: an IPv6 address (::ffff:a.b.c.d included) is matched
 * against every prefix, an IPv4 address only against those of 96 bits or
 * more (the IPv4 ones and the IPv6 ones inside ::ffff:0:0/96), so that
 * ::/0 does not hold 10.1.2.3 while it holds ::ffff:10.1.2.3.
 */
typedef struct sk_cidr_table {
	sk_hash h;            /* key: length byte, prefix bytes -> value */
	uint64_t present[3];  /* bit L: some prefix has length L */
	uint8_t lens[129];    /* the lengths present, longest first */
	unsigned nlens;
} sk_cidr_table;

/* An empty table whose values are type's (type->val_size bytes each,
 * zeroed when new). */
void sk_cidr_table_init(sk_cidr_table *t, const sk_hash_type *type);

/* The value of prefix c (as sk_cidr_parse gives it), made if new (*isnew
 * then 1). Values never move. */
void *sk_cidr_table_put(sk_cidr_table *t, const sk_cidr *c, int *isnew);

/*
 * The value of the longest prefix that holds the address text [s, s+n),
 * NULL if none does. Returns -1 in *bad (else 0) when the text is not an
 * address: sk_cidr_parse's syntax without a '/', an IPv6 zone id
 * ("%eth0") allowed and ignored.
 */
void *sk_cidr_table_find(const sk_cidr_table *t, const char *s, size_t n,
			 int *bad);

void sk_cidr_table_free(sk_cidr_table *t);

#endif
