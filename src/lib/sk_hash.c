/* sk_hash: open-addressing hash table (linear probing) over byte keys. */
#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>
#include "sk_hash.h"

#define TOMB UINT64_MAX

uint64_t sk_hash_bytes(const void *p, size_t n)
{
	return XXH3_64bits(p, n);
}

void sk_hash_init(sk_hash *h, const sk_hash_type *type, void *ctx)
{
	memset(h, 0, sizeof *h);
	h->type = type;
	h->ctx = ctx;
}

sk_hash_ent *sk_hash_find(const sk_hash *h, const void *k, size_t n,
			  uint64_t hv)
{
	if (!h->slot)
		return NULL;
	uint64_t tag = hv >> 32;
	for (size_t i = hv & h->mask;; i = (i + 1) & h->mask) {
		uint64_t s = h->slot[i];
		if (s == 0)
			return NULL;
		if (s != TOMB && s >> 32 == tag) {
			sk_hash_ent *e = &h->ent[(uint32_t)s - 1];
			if (e->h == hv && e->n == n &&
			    (n == 0 || memcmp(e->key, k, n) == 0))
				return e;
		}
	}
}

/*
 * Rebuilds the slot array for at least want live entries and drops the
 * holes of deleted entries from ent (keeping insertion order).
 */
static void rehash(sk_hash *h, size_t want)
{
	size_t j = 0;
	for (size_t i = 0; i < h->nent; i++)
		if (!sk_hash_dead(&h->ent[i]))
			h->ent[j++] = h->ent[i];
	h->nent = j;
	size_t size = 16;
	while (size / 4 * 3 <= want)
		size *= 2;
	free(h->slot);
	h->slot = sk_xcalloc(size, sizeof *h->slot);
	h->mask = size - 1;
	for (size_t i = 0; i < h->nent; i++) {
		uint64_t hv = h->ent[i].h;
		size_t s = hv & h->mask;
		while (h->slot[s])
			s = (s + 1) & h->mask;
		h->slot[s] = (hv >> 32) << 32 | (uint64_t)(i + 1);
	}
	h->used = h->nent;
}

sk_hash_ent *sk_hash_put(sk_hash *h, const void *k, size_t n, uint64_t hv,
			 int *isnew)
{
	sk_hash_ent *e = sk_hash_find(h, k, n, hv);
	if (e) {
		*isnew = 0;
		return e;
	}
	if (n >= UINT32_MAX)
		n = UINT32_MAX - 1; /* keys beyond 4 GiB: --max-record forbids */
	/* keep the load (tombstones included) under 3/4 */
	if (!h->slot || (h->used + 1) > (h->mask + 1) / 4 * 3)
		rehash(h, h->live + 1 > h->live * 2 ? h->live + 1 : h->live * 2);
	if (h->nent == h->entcap) {
		h->entcap = h->entcap ? h->entcap * 2 : 16;
		h->ent = sk_xrealloc(h->ent, h->entcap * sizeof *h->ent);
	}
	size_t s = hv & h->mask;
	while (h->slot[s] && h->slot[s] != TOMB)
		s = (s + 1) & h->mask;
	if (h->slot[s] == 0)
		h->used++;
	h->slot[s] = (hv >> 32) << 32 | (uint64_t)(h->nent + 1);
	e = &h->ent[h->nent++];
	e->h = hv;
	e->key = sk_arena_dup(&h->keys, k, n);
	e->n = (uint32_t)n;
	e->val = NULL;
	if (h->type && h->type->val_size) {
		e->val = sk_arena_alloc(&h->vals, h->type->val_size);
		memset(e->val, 0, h->type->val_size);
	}
	h->live++;
	*isnew = 1;
	return e;
}

void sk_hash_del(sk_hash *h, sk_hash_ent *e)
{
	size_t idx = (size_t)(e - h->ent);
	for (size_t i = e->h & h->mask;; i = (i + 1) & h->mask) {
		if (h->slot[i] != TOMB && (uint32_t)h->slot[i] == idx + 1) {
			h->slot[i] = TOMB;
			break;
		}
	}
	if (h->type && h->type->val_destroy)
		h->type->val_destroy(e->val, h->ctx);
	e->n = UINT32_MAX;
	h->live--;
}

void sk_hash_free(sk_hash *h)
{
	if (h->type && h->type->val_destroy)
		for (size_t i = 0; i < h->nent; i++)
			if (!sk_hash_dead(&h->ent[i]))
				h->type->val_destroy(h->ent[i].val, h->ctx);
	free(h->ent);
	free(h->slot);
	sk_arena_free(&h->keys);
	sk_arena_free(&h->vals);
	const sk_hash_type *t = h->type;
	void *ctx = h->ctx;
	sk_hash_init(h, t, ctx);
}
