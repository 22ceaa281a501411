/* sk_hash: one open-addressing hash table keyed by byte strings, with type
 * callbacks; keys and values live in arenas, entries in insertion order. */
#ifndef SK_HASH_H
#define SK_HASH_H

#include <stddef.h>
#include <stdint.h>
#include "sk_buf.h"

/*
 * How a table treats its values (redis dictType style). Keys are always
 * byte strings, copied into the table's key arena on insertion, hashed
 * once with XXH3 (the hash is kept in the entry, so a resize never hashes
 * again).
 */
typedef struct sk_hash_type {
	/* Bytes of zeroed value storage given to each new entry (in the
	 * table's value arena, 16-byte aligned); 0: the caller uses val
	 * as it likes. */
	size_t val_size;
	/* Called on each live entry's value by sk_hash_del and sk_hash_free
	 * (e.g. to free what a state points to); NULL: nothing to do. The
	 * storage itself belongs to the arena. */
	void (*val_destroy)(void *val, void *ctx);
} sk_hash_type;

typedef struct sk_hash_ent {
	uint64_t h;
	const char *key;  /* owned by the table, NUL-terminated */
	uint32_t n;       /* key length; UINT32_MAX marks a deleted entry */
	void *val;
} sk_hash_ent;

typedef struct sk_hash {
	const sk_hash_type *type;
	void *ctx;            /* passed to the callbacks */
	sk_hash_ent *ent;     /* insertion order, deleted ones left as holes */
	size_t nent, entcap;
	size_t live;          /* entries not deleted */
	uint64_t *slot;       /* high 32 bits of hash << 32 | entry index + 1 */
	size_t mask, used;    /* used counts tombstones too */
	sk_arena keys, vals;
} sk_hash;

/* The hash every table uses (XXH3, 64 bits). */
uint64_t sk_hash_bytes(const void *p, size_t n);

/* Sets up an empty table; type may be NULL (no values, no callbacks). */
void sk_hash_init(sk_hash *h, const sk_hash_type *type, void *ctx);

/* The entry of key [k, k+n), or NULL. hv is sk_hash_bytes(k, n). */
sk_hash_ent *sk_hash_find(const sk_hash *h, const void *k, size_t n,
			  uint64_t hv);

/*
 * The entry of key [k, k+n), created if new (*isnew is then 1, the key is
 * copied and val points to zeroed storage of type->val_size bytes). The
 * pointer is valid until the next insertion (entries may move); the key
 * bytes and the value storage never move.
 */
sk_hash_ent *sk_hash_put(sk_hash *h, const void *k, size_t n, uint64_t hv,
			 int *isnew);

/* Deletes an entry (its value's destroy callback runs). The key bytes and
 * value storage stay in the arenas until sk_hash_free. */
void sk_hash_del(sk_hash *h, sk_hash_ent *e);

/* Iteration in insertion order: for (i = 0; i < h->nent; i++), skipping
 * entries for which sk_hash_dead() is true. */
static inline int sk_hash_dead(const sk_hash_ent *e)
{
	return e->n == UINT32_MAX;
}

static inline size_t sk_hash_count(const sk_hash *h)
{
	return h->live;
}

/* Destroys every live value and frees everything; accepts a zeroed or
 * freed table. The table can be sk_hash_init'ed again. */
void sk_hash_free(sk_hash *h);

#endif
