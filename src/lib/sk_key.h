/* sk_key: the group key of a record (-g KEYS), one codec for every tool
 * (stream-agg groups, stream-window keys, stream-map's per-key state). */
#ifndef SK_KEY_H
#define SK_KEY_H

#include <stddef.h>
#include "sk_buf.h"
#include "sk_record.h"

/*
 * The rule: a key field the record does not have is the same key as an
 * empty one (as everywhere in the language, a missing field is empty), so
 * {"k":""}, {} and {"k":""} are one group in every tool.
 *
 * The bytes: with one key field, its bytes as they are (the common case:
 * no copy). With more, each field's bytes with a NUL written as NUL 0x01,
 * then NUL NUL: fields cannot run into each other (("a,b", "c") and
 * ("a", "b,c") differ), and memcmp orders keys field by field, as the
 * window engine sorts its rows.
 */
typedef struct sk_key {
	const char *p;  /* the key: valid until the next sk_key_make */
	size_t n;
	size_t nf;      /* key fields */
	sk_buf buf;     /* the encoding of several fields */
} sk_key;

/* Frees what the key holds (it may be reused after). */
void sk_key_free(sk_key *k);

/* Appends one field of a key of several fields to k->buf. */
void sk_key_put(sk_key *k, const char *p, size_t n);

/* Makes the key of rec over the fields refs[0..n) into k->p, k->n. */
static inline void sk_key_make(sk_key *k, const sk_record *rec,
			       const sk_fref *refs, size_t n)
{
	sk_field f;
	k->nf = n;
	if (n == 1) {
		int has = sk_rec_ref(rec, &refs[0], &f);
		k->p = has ? f.p : "";
		k->n = has ? f.n : 0;
		return;
	}
	sk_buf_clear(&k->buf);
	for (size_t i = 0; i < n; i++) {
		if (sk_rec_ref(rec, &refs[i], &f))
			sk_key_put(k, f.p, f.n);
		else
			sk_key_put(k, "", 0);
	}
	k->p = k->buf.p ? k->buf.p : "";
	k->n = k->buf.len;
}

/*
 * Reads a key of nf fields back: call sk_key_field nf times on the same
 * cursor (*pos starts at 0); each call returns field i's bytes, decoded
 * into tmp when they must be (a NUL inside), else pointing into key.
 */
sk_str sk_key_field(const char *key, size_t keylen, size_t nf, size_t *pos,
		    sk_buf *tmp);

#endif
