/* sk_net: IPv4/IPv6 addresses and CIDR matching for cidr(ip, net). */
#ifndef SK_NET_H
#define SK_NET_H

#include <stddef.h>
#include <stdint.h>

typedef struct sk_cidr {
	int family;        /* 4 or 6 */
	uint8_t addr[16];  /* network bytes (v4 in the first 4) */
	int prefix;        /* bits */
} sk_cidr;

/* Parses "10.0.0.0/8", "2001:db8::/32", or a bare address (full prefix).
 * Returns 1 or 0. */
int sk_cidr_parse(const char *s, size_t n, sk_cidr *out);
/* 1 if the address text [s, s+n) lies in c; 0 if not or not an address.
 * An IPv4-mapped IPv6 address (::ffff:a.b.c.d) matches IPv4 networks. */
int sk_cidr_match(const sk_cidr *c, const char *s, size_t n);

#endif
