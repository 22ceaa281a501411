/* sk_hash: one open-addressing hash table keyed by byte strings, with type
 * callbacks; each entry is one block (key, then value) in an arena, and
 * the arena is the insertion order. */
#ifndef SK_HASH_H
#define SK_HASH_H

#include <stddef.h>
#include <stdint.h>
#include "sk_buf.h"

/*
 * How a table treats its values (redis dictType style). Keys are always
 * byte strings, copied into the entry on insertion, hashed once with XXH3
 * (32 bits of the hash are kept in the entry, so a resize never hashes
 * again).
 */
typedef struct sk_hash_type {
	/* Bytes of zeroed value storage given to each new entry, right
	 * after its key; 0: no value. */
	size_t val_size;
	/* Called on each live entry's value by sk_hash_del and sk_hash_free
	 * (e.g. to free what a state points to); NULL: nothing to do. The
	 * storage itself belongs to the table. */
	void (*val_destroy)(void *val, void *ctx);
	/* Alignment of the value: 8 or 16; 0 means 16 (safe for anything,
	 * long double included). 8 saves up to 8 bytes an entry. */
	size_t val_align;
} sk_hash_type;

/*
 * An entry: a header, the key, then the value (sk_hash_val). Where
 * memory counts (a million groups), one block per entry and one pointer
 * per slot is all there is: no separate key copy, no entry array.
 */
typedef struct sk_hash_ent {
	uint32_t h;         /* low 32 bits of the key's hash */
	uint32_t n : 31;    /* key length */
	uint32_t dead : 1;  /* deleted: skipped by iteration */
	char key[];         /* n bytes and a NUL, owned by the table */
} sk_hash_ent;

typedef struct sk_hash_chunk sk_hash_chunk;

typedef struct sk_hash {
	const sk_hash_type *type;
	void *ctx;             /* passed to the callbacks */
	uint8_t *tag;          /* per slot: 0 free, 1 deleted, else 7 bits
				* of the hash | 0x80, so that a probe reads
				* an entry only when they match */
	sk_hash_ent **slot;    /* the entry where tag >= 0x80 */
	size_t mask, used;     /* used counts deleted slots too */
	size_t live;           /* entries not deleted */
	size_t align, vsize;   /* from type */
	sk_hash_chunk *first, *last; /* the entries, oldest first */
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
 * copied and its value is zeroed). Entries never move: the pointer, the
 * key bytes and the value stay valid until sk_hash_free. Keys must be
 * shorter than 2 GiB (--max-record keeps them far below).
 */
sk_hash_ent *sk_hash_put(sk_hash *h, const void *k, size_t n, uint64_t hv,
			 int *isnew);

/* The value storage of an entry (type->val_size bytes). */
static inline void *sk_hash_val(const sk_hash *h, const sk_hash_ent *e)
{
	size_t off = (offsetof(sk_hash_ent, key) + e->n + 1 + h->align - 1) &
		~(h->align - 1);
	return (char *)e + off;
}

/* Deletes an entry (its value's destroy callback runs). Its storage stays
 * until sk_hash_free. */
void sk_hash_del(sk_hash *h, sk_hash_ent *e);

static inline int sk_hash_dead(const sk_hash_ent *e)
{
	return e->dead;
}

static inline size_t sk_hash_count(const sk_hash *h)
{
	return h->live;
}

/*
 * Iteration in insertion order, deleted entries skipped:
 *
 *	sk_hash_iter it;
 *	sk_hash_ent *e;
 *	for (sk_hash_iter_init(h, &it); (e = sk_hash_next(h, &it)); )
 *
 * Inserting during an iteration is allowed (new entries come last).
 */
typedef struct sk_hash_iter {
	const sk_hash_chunk *c;
	size_t off;
} sk_hash_iter;

void sk_hash_iter_init(const sk_hash *h, sk_hash_iter *it);
sk_hash_ent *sk_hash_next(const sk_hash *h, sk_hash_iter *it);

/* Destroys every live value and frees everything; accepts a zeroed or
 * freed table. The table can be sk_hash_init'ed again. */
void sk_hash_free(sk_hash *h);

#endif
