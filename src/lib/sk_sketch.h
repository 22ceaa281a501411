/* sk_sketch: bounded-memory mergeable sketches for the approximate
 * aggregates (HyperLogLog, DDSketch, SpaceSaving) and the compact binary
 * form their states (and sk_agg's) are serialized in. */
#ifndef SK_SKETCH_H
#define SK_SKETCH_H

#include <stddef.h>
#include <stdint.h>
#include "sk_buf.h"

/*
 * Serialization: varints, raw little-endian doubles and length-prefixed
 * bytes appended to an sk_buf; sk_de reads them back and sets err (never
 * exits) on truncated or malformed input, after which reads return 0.
 * A reader that finds a field out of range says why with sk_de_fail;
 * why is a static string ("truncated" for running out of bytes).
 */
void sk_ser_u64(sk_buf *b, uint64_t v);          /* LEB128 varint */
void sk_ser_i64(sk_buf *b, int64_t v);           /* zigzag varint */
void sk_ser_f64(sk_buf *b, double d);            /* exact, 8 bytes */
void sk_ser_bytes(sk_buf *b, const void *p, size_t n);

typedef struct sk_de {
	const unsigned char *p, *end;
	int err;
	const char *why; /* set with err */
} sk_de;

static inline void sk_de_init(sk_de *d, const void *p, size_t n)
{
	d->p = p;
	d->end = d->p + n;
	d->err = 0;
	d->why = NULL;
}
/* Marks d failed for why (the first reason is kept); returns 0. */
static inline int sk_de_fail(sk_de *d, const char *why)
{
	if (!d->err || !d->why)
		d->why = why;
	d->err = 1;
	return 0;
}
uint64_t sk_de_u64(sk_de *d);
int64_t sk_de_i64(sk_de *d);
double sk_de_f64(sk_de *d);
/* Borrowed bytes of the input; *n is set. */
const char *sk_de_bytes(sk_de *d, size_t *n);

/*
 * HyperLogLog with 2^14 one-byte registers, fed 64-bit hashes
 * (sk_hash_bytes of the value's bytes), and Ertl's improved estimator
 * (2017), which needs no bias tables and is good over the whole range.
 * Standard error 1.04/sqrt(2^14) = 0.81%; the tests hold it within 2% at
 * 10^3, 10^5 and 10^6 distinct values.
 *
 * A sketch starts sparse: only its non-zero registers, in a small open
 * addressing table of (index << 8 | value) words that doubles as it
 * fills, 16 bytes for the first three. Once that table would pass
 * SK_HLL_SPARSE_MAX entries (8 KiB) the sketch turns dense (16 KiB, one
 * byte per register). Both forms hold the same registers, so the
 * estimate, merges and the serialized form do not depend on the form.
 */
#define SK_HLL_P 14
#define SK_HLL_M (1u << SK_HLL_P)
#define SK_HLL_RMAX (64 - SK_HLL_P + 1) /* the largest register value */

#define SK_HLL_SPARSE_MAX 2048

typedef struct sk_hll {
	void *p;          /* NULL: empty; else the sparse table or, when
			   * cap is 0, the SK_HLL_M dense registers */
	uint32_t n, cap;  /* sparse: registers set, table size (2^k) */
} sk_hll;

void sk_hll_add(sk_hll *h, uint64_t hash);
void sk_hll_merge(sk_hll *dst, const sk_hll *src);
double sk_hll_estimate(const sk_hll *h);
void sk_hll_ser(const sk_hll *h, sk_buf *b);   /* sparse when mostly empty */
int sk_hll_de(sk_hll *h, sk_de *d);            /* into an empty h; 0 on error */
void sk_hll_free(sk_hll *h);                   /* accepts an empty h */

/*
 * DDSketch (Masson et al., 2019): relative-error quantiles. With
 * alpha = 0.01 every quantile it returns is within 1% (relative) of the
 * exact order statistic of rank floor(q * (n - 1)) (0-based). Buckets are
 * logarithmic, kept dense per sign, at most SK_DD_MAXBUCKETS per sign
 * (covering a value range of 10^17; beyond it the smallest magnitudes are
 * collapsed together and lose the guarantee). Values of magnitude below
 * 1e-300 count as zero; -inf and +inf have a counter each and sort below
 * and above every bucket. Merging adds bucket counts: exact and
 * order-independent.
 */
#define SK_DD_ALPHA 0.01
#define SK_DD_MAXBUCKETS 2048

typedef struct sk_ddstore {
	int32_t off;   /* bucket index of c[0] */
	uint32_t len;
	uint64_t *c;
} sk_ddstore;

typedef struct sk_dd {
	sk_ddstore pos, neg;
	uint64_t zero, n;
	uint64_t ninf, pinf; /* -inf and +inf */
	double min, max; /* exact, so q = 0 and q = 1 are exact */
} sk_dd;

void sk_dd_add(sk_dd *s, double x);  /* NaN is ignored */
void sk_dd_merge(sk_dd *dst, const sk_dd *src);
/* The q-quantile (0 <= q <= 1); NaN when empty. */
double sk_dd_quantile(const sk_dd *s, double q);
void sk_dd_ser(const sk_dd *s, sk_buf *b);
int sk_dd_de(sk_dd *s, sk_de *d);
void sk_dd_free(sk_dd *s);

/*
 * SpaceSaving heavy hitters (Metwally et al., 2005) over byte strings with
 * m counters: every value seen more than n/m times is among the counters,
 * and each count overestimates the true one by at most err (<= n/m).
 * Merging follows Agarwal et al. (2012): counts of a value missing on one
 * side get that side's minimum count when it was full.
 */
typedef struct sk_topent {
	uint64_t count, err;
	char *p;        /* owned (malloc), reused when the counter is replaced */
	size_t n, cap;
} sk_topent;

/* The counter arrays start at 2 and double as values come, up to m: a
 * group that sees few values costs little. */
typedef struct sk_top {
	uint32_t m, len, cap; /* cap: counters allocated (<= m) */
	uint64_t *hash;  /* hash[i] of ent[i]: the scan looks at these only */
	sk_topent *ent;
} sk_top;

void sk_top_init(sk_top *t, uint32_t m);
void sk_top_add(sk_top *t, const char *p, size_t n, uint64_t hash,
		uint64_t count);
void sk_top_merge(sk_top *dst, const sk_top *src);
/* Sorts the counters by count (descending), then by bytes. */
void sk_top_sort(sk_top *t);
void sk_top_ser(const sk_top *t, sk_buf *b);
int sk_top_de(sk_top *t, sk_de *d); /* into a t made by sk_top_init */
void sk_top_free(sk_top *t);

#endif
