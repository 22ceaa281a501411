/* sk_net: IPv4/IPv6 address parsing and CIDR matching for cidr(ip, net). */
#include <arpa/inet.h>
#include <string.h>

#include "sk_net.h"

/* The longest IPv6 text inet_pton can take:
 * "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255". */
#define V6_MAX 45

/*
 * A dotted quad at [s, s+n) into out[4]: exactly four decimal octets of
 * 1-3 digits, each <= 255, no leading zeros (so that "010" cannot mean
 * octal to one tool and ten to another, as inet_pton also refuses).
 */
static int parse_v4(const char *s, size_t n, uint8_t *out)
{
	const char *p = s, *end = s + n;
	for (int i = 0; i < 4; i++) {
		const char *ds = p;
		unsigned v = 0;
		while (p < end && (unsigned)(*p - '0') < 10u && p - ds < 3)
			v = v * 10 + (unsigned)(*p++ - '0');
		if (p == ds || v > 255 || (*ds == '0' && p - ds > 1))
			return 0;
		out[i] = (uint8_t)v;
		if (i < 3) {
			if (p == end || *p != '.')
				return 0;
			p++;
		}
	}
	return p == end;
}

/* IPv6 text into out[16] through inet_pton, which wants a C string. */
static int parse_v6(const char *s, size_t n, uint8_t *out)
{
	char buf[V6_MAX + 1];
	if (n > V6_MAX || memchr(s, '\0', n))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return inet_pton(AF_INET6, buf, out) == 1;
}

/* An address: 4 or 6 (family), or 0. For matching, a zone id ("%eth0")
 * after an IPv6 address is allowed and ignored when zone_ok. */
static int parse_addr(const char *s, size_t n, uint8_t *out, int zone_ok)
{
	if (memchr(s, ':', n) == NULL)
		return parse_v4(s, n, out) ? 4 : 0;
	const char *z = memchr(s, '%', n);
	if (z) {
		if (!zone_ok || z + 1 == s + n)
			return 0;
		n = (size_t)(z - s);
	}
	return parse_v6(s, n, out) ? 6 : 0;
}

int sk_cidr_parse(const char *s, size_t n, sk_cidr *out)
{
	const char *slash = memchr(s, '/', n);
	size_t an = slash ? (size_t)(slash - s) : n;
	sk_cidr c;
	memset(&c, 0, sizeof c);
	if ((c.family = parse_addr(s, an, c.addr, 0)) == 0)
		return 0;
	int bits = c.family == 4 ? 32 : 128;
	c.prefix = bits;
	if (slash) {
		const char *p = slash + 1, *end = s + n;
		int v = 0;
		if (p == end || end - p > 3 || (*p == '0' && end - p > 1))
			return 0;
		for (; p < end; p++) {
			if ((unsigned)(*p - '0') >= 10u)
				return 0;
			v = v * 10 + (*p - '0');
		}
		if (v > bits)
			return 0;
		c.prefix = v;
	}
	/* Host bits are cleared: "10.1.2.3/8" is the network 10.0.0.0/8, as
	 * ip(8) and iptables read it. */
	for (int i = 0; i < bits / 8; i++) {
		int keep = c.prefix - i * 8;
		if (keep <= 0)
			c.addr[i] = 0;
		else if (keep < 8)
			c.addr[i] &= (uint8_t)(0xff00 >> keep);
	}
	*out = c;
	return 1;
}

/* 1 if the first prefix bits of a and b agree. */
static int prefix_eq(const uint8_t *a, const uint8_t *b, int prefix)
{
	int whole = prefix / 8, rest = prefix % 8;
	if (memcmp(a, b, (size_t)whole) != 0)
		return 0;
	if (rest == 0)
		return 1;
	uint8_t mask = (uint8_t)(0xff00 >> rest);
	return (a[whole] & mask) == (b[whole] & mask);
}

static const uint8_t v4_mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
};

int sk_cidr_match(const sk_cidr *c, const char *s, size_t n)
{
	uint8_t a[16];
	int fam = parse_addr(s, n, a, 1);
	if (fam == 0)
		return 0;
	if (fam == c->family)
		return prefix_eq(a, c->addr, c->prefix);
	if (fam == 6) {
		/* ::ffff:a.b.c.d against an IPv4 network */
		return memcmp(a, v4_mapped, 12) == 0 &&
		       prefix_eq(a + 12, c->addr, c->prefix);
	}
	/* a.b.c.d against an IPv6 network: as ::ffff:a.b.c.d, but only for
	 * a network inside ::ffff:0:0/96, so that ::/0 still means "any
	 * IPv6 address" and not every address there is. */
	if (c->prefix < 96 || memcmp(c->addr, v4_mapped, 12) != 0)
		return 0;
	return prefix_eq(a, c->addr + 12, c->prefix - 96);
}
