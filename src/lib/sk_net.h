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
 * IPv4 is a dotted quad only: four decimal octets <= 255 without leading
 * zeros ("010.0.0.1" is refused, as inet_pton does). IPv6 is any form
 * inet_pton takes ("::", "::ffff:1.2.3.4"); a zone id ("%eth0") is
 * refused here. The prefix is 0..32 or 0..128, decimal, no sign or
 * leading zero. Host bits are cleared ("10.1.2.3/8" is 10.0.0.0/8).
 * Only [s, s+n) is read. Returns 1 or 0 (out untouched). */
int sk_cidr_parse(const char *s, size_t n, sk_cidr *out);
/* 1 if the address text [s, s+n) lies in c; 0 if not or not an address
 * (same syntax as above, no prefix, no blanks). An IPv6 zone id
 * ("fe80::1%eth0") is allowed and ignored. An IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d) matches IPv4 networks, and an IPv4 address matches an
 * IPv6 network inside ::ffff:0:0/96 ("::ffff:10.0.0.0/104"); otherwise
 * the families never match, so "::/0" does not hold 10.1.2.3. */
int sk_cidr_match(const sk_cidr *c, const char *s, size_t n);

#endif
