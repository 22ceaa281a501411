/* sk_hash: open-addressing hash table (linear probing) over byte keys. */
#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>
#include "sk_err.h"
#include "sk_hash.h"

/* Slot tags: probing stops at a FREE slot and goes on past a DEAD one. */
#define FREE 0
#define DEAD 1

/* The tag of hash t: its top 7 bits (the position uses the low ones). */
static inline uint8_t tag_of(uint32_t t)
{
	return (uint8_t)(t >> 25 | 0x80);
}

/* Entries are packed into chunks that grow to CHUNK_MAX: small tables
 * (a distinct set per group) stay small, large ones waste little. */
#define CHUNK_MIN 256
#define CHUNK_MAX (1 << 20)

struct sk_hash_chunk {
	sk_hash_chunk *next;
	size_t size, used;
	_Alignas(16) char data[];
};

uint64_t sk_hash_bytes(const void *p, size_t n)
{
	return XXH3_64bits(p, n);
}

static size_t align_up(size_t n, size_t a)
{
	return (n + a - 1) & ~(a - 1);
}

void sk_hash_init(sk_hash *h, const sk_hash_type *type, void *ctx)
{
	memset(h, 0, sizeof *h);
	h->type = type;
	h->ctx = ctx;
	h->align = type && type->val_align == 8 ? 8 : 16;
	h->vsize = type ? type->val_size : 0;
}

/* The bytes of an entry with a key of n bytes, up to the next one. */
static size_t ent_size(const sk_hash *h, size_t n)
{
	size_t off = align_up(offsetof(sk_hash_ent, key) + n + 1, h->align);
	return align_up(off + h->vsize, h->align);
}

sk_hash_ent *sk_hash_find(const sk_hash *h, const void *k, size_t n,
			  uint64_t hv)
{
	if (!h->slot)
		return NULL;
	uint32_t t = (uint32_t)hv;
	uint8_t g = tag_of(t);
	for (size_t i = t & h->mask;; i = (i + 1) & h->mask) {
		if (h->tag[i] == FREE)
			return NULL;
		if (h->tag[i] != g)
			continue;
		sk_hash_ent *e = h->slot[i];
		if (e->h == t && e->n == n &&
		    (n == 0 || memcmp(e->key, k, n) == 0))
			return e;
	}
}

/* The slot for a new entry of hash t: the first free or dead one. */
static size_t free_slot(const sk_hash *h, uint32_t t)
{
	size_t i = t & h->mask;
	while (h->tag[i] >= 0x80)
		i = (i + 1) & h->mask;
	return i;
}

/*
 * Rebuilds the slot array for at least want live entries under a 3/4
 * load, dropping the deleted slots. The old array goes first, so that a
 * resize never holds both (the entries in the chunks say all there is);
 * only 32 bits of hash are kept, so tables beyond 2^32 slots would
 * cluster, which no memory will see.
 */
static void rehash(sk_hash *h, size_t want)
{
	size_t size = 16;
	while (size / 4 * 3 < want)
		size *= 2;
	free(h->slot);
	free(h->tag);
	/* slots are read only where the tag says, so they need no zeroing */
	h->slot = sk_xmalloc(size * sizeof *h->slot);
	h->tag = sk_xcalloc(size, 1);
	h->mask = size - 1;
	h->used = 0;
	sk_hash_iter it;
	sk_hash_ent *e;
	for (sk_hash_iter_init(h, &it); (e = sk_hash_next(h, &it)); ) {
		size_t i = free_slot(h, e->h);
		h->tag[i] = tag_of(e->h);
		h->slot[i] = e;
		h->used++;
	}
}

/* Storage for one entry of size bytes, at the end of the last chunk. */
static sk_hash_ent *ent_alloc(sk_hash *h, size_t size)
{
	sk_hash_chunk *c = h->last;
	if (!c || c->size - c->used < size) {
		size_t cs = c ? c->size * 2 : CHUNK_MIN;
		if (cs > CHUNK_MAX)
			cs = CHUNK_MAX;
		if (cs < size)
			cs = size;
		sk_hash_chunk *nc = sk_xmalloc(sizeof *nc + cs);
		nc->next = NULL;
		nc->size = cs;
		nc->used = 0;
		if (c)
			c->next = nc;
		else
			h->first = nc;
		h->last = c = nc;
	}
	sk_hash_ent *e = (sk_hash_ent *)(void *)(c->data + c->used);
	c->used += size;
	return e;
}

sk_hash_ent *sk_hash_put(sk_hash *h, const void *k, size_t n, uint64_t hv,
			 int *isnew)
{
	sk_hash_ent *e = sk_hash_find(h, k, n, hv);
	if (e) {
		*isnew = 0;
		return e;
	}
	if (n >= (size_t)1 << 31)
		sk_diex(SK_EXIT_DATA, "key of %zu bytes: too long", n);
	if (!h->align) /* a zeroed table, never init'ed */
		sk_hash_init(h, NULL, NULL);
	/* keep the load (tombstones included) under 3/4 */
	if (!h->slot || h->used + 1 > (h->mask + 1) / 4 * 3)
		rehash(h, h->live + 1);
	e = ent_alloc(h, ent_size(h, n));
	e->h = (uint32_t)hv;
	e->n = (uint32_t)n & 0x7fffffff;
	e->dead = 0;
	if (n)
		memcpy(e->key, k, n);
	e->key[n] = 0;
	if (h->vsize)
		memset(sk_hash_val(h, e), 0, h->vsize);
	size_t i = free_slot(h, e->h);
	if (h->tag[i] == FREE)
		h->used++;
	h->tag[i] = tag_of(e->h);
	h->slot[i] = e;
	h->live++;
	*isnew = 1;
	return e;
}

void sk_hash_del(sk_hash *h, sk_hash_ent *e)
{
	for (size_t i = e->h & h->mask;; i = (i + 1) & h->mask) {
		if (h->tag[i] >= 0x80 && h->slot[i] == e) {
			h->tag[i] = DEAD;
			break;
		}
	}
	if (h->type && h->type->val_destroy)
		h->type->val_destroy(sk_hash_val(h, e), h->ctx);
	e->dead = 1;
	h->live--;
}

void sk_hash_iter_init(const sk_hash *h, sk_hash_iter *it)
{
	it->c = h->first;
	it->off = 0;
}

sk_hash_ent *sk_hash_next(const sk_hash *h, sk_hash_iter *it)
{
	while (it->c) {
		if (it->off >= it->c->used) {
			it->c = it->c->next;
			it->off = 0;
			continue;
		}
		sk_hash_ent *e = (sk_hash_ent *)(void *)(it->c->data + it->off);
		it->off += ent_size(h, e->n);
		if (!e->dead)
			return e;
	}
	return NULL;
}

void sk_hash_free(sk_hash *h)
{
	if (h->type && h->type->val_destroy) {
		sk_hash_iter it;
		sk_hash_ent *e;
		for (sk_hash_iter_init(h, &it); (e = sk_hash_next(h, &it)); )
			h->type->val_destroy(sk_hash_val(h, e), h->ctx);
	}
	for (sk_hash_chunk *c = h->first, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(h->slot);
	free(h->tag);
	const sk_hash_type *t = h->type;
	void *ctx = h->ctx;
	sk_hash_init(h, t, ctx);
}
