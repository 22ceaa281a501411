/* sk_cidr: prefixes by length in one hash, the longest match by probing
 * the lengths present, longest first. */
#include <string.h>
#include "sk_cidr.h"

static const uint8_t v4_mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
};

/* The key of the first len bits of addr[16] into k[17]; its length. */
static size_t make_key(const uint8_t *addr, unsigned len, uint8_t *k)
{
	size_t nb = (len + 7) / 8;
	k[0] = (uint8_t)len;
	memcpy(k + 1, addr, nb);
	if (len % 8)
		k[nb] &= (uint8_t)(0xff00 >> (len % 8));
	return nb + 1;
}

/* c's address in the one 128-bit space into a[16]; the length there of
 * c's first bit (96 for IPv4, else 0). */
static unsigned to_space(const sk_cidr *c, uint8_t *a)
{
	if (c->family == 4) {
		memcpy(a, v4_mapped, 12);
		memcpy(a + 12, c->addr, 4);
		return 96;
	}
	memcpy(a, c->addr, 16);
	return 0;
}

void sk_cidr_table_init(sk_cidr_table *t, const sk_hash_type *type)
{
	memset(t, 0, sizeof *t);
	sk_hash_init(&t->h, type, NULL);
}

void *sk_cidr_table_put(sk_cidr_table *t, const sk_cidr *c, int *isnew)
{
	uint8_t a[16], k[17];
	unsigned len = to_space(c, a) + (unsigned)c->prefix;
	size_t kn = make_key(a, len, k);
	sk_hash_ent *e = sk_hash_put(&t->h, k, kn, sk_hash_bytes(k, kn), isnew);
	if (!(t->present[len / 64] >> (len % 64) & 1)) {
		t->present[len / 64] |= (uint64_t)1 << (len % 64);
		unsigned i = t->nlens++;
		for (; i > 0 && t->lens[i - 1] < len; i--)
			t->lens[i] = t->lens[i - 1];
		t->lens[i] = (uint8_t)len;
	}
	return sk_hash_val(&t->h, e);
}

void *sk_cidr_table_find(const sk_cidr_table *t, const char *s, size_t n,
			 int *bad)
{
	sk_cidr c;
	uint8_t a[16], k[17];
	*bad = 0;
	/* a zone id, after an IPv6 address only, whatever it holds */
	const char *z = memchr(s, '%', n);
	if (z && memchr(s, ':', (size_t)(z - s)) && z + 1 < s + n)
		n = (size_t)(z - s);
	if (memchr(s, '/', n) || !sk_cidr_parse(s, n, &c)) {
		*bad = -1;
		return NULL;
	}
	unsigned least = to_space(&c, a);
	for (unsigned i = 0; i < t->nlens && t->lens[i] >= least; i++) {
		size_t kn = make_key(a, t->lens[i], k);
		sk_hash_ent *e = sk_hash_find(&t->h, k, kn, sk_hash_bytes(k, kn));
		if (e)
			return sk_hash_val(&t->h, e);
	}
	return NULL;
}

void sk_cidr_table_free(sk_cidr_table *t)
{
	sk_hash_free(&t->h);
	memset(t, 0, sizeof *t);
}
