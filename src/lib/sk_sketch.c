/* sk_sketch: HyperLogLog, DDSketch, SpaceSaving and their serialization. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sk_hash.h"
#include "sk_sketch.h"

/* --- serialization --- */

void sk_ser_u64(sk_buf *b, uint64_t v)
{
	unsigned char t[10];
	size_t n = 0;
	while (v >= 0x80) {
		t[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	t[n++] = (unsigned char)v;
	sk_buf_put(b, t, n);
}

void sk_ser_i64(sk_buf *b, int64_t v)
{
	sk_ser_u64(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

void sk_ser_f64(sk_buf *b, double d)
{
	uint64_t u;
	unsigned char t[8];
	memcpy(&u, &d, 8);
	for (int i = 0; i < 8; i++)
		t[i] = (unsigned char)(u >> (8 * i));
	sk_buf_put(b, t, 8);
}

void sk_ser_bytes(sk_buf *b, const void *p, size_t n)
{
	sk_ser_u64(b, n);
	sk_buf_put(b, p, n);
}

uint64_t sk_de_u64(sk_de *d)
{
	uint64_t v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (d->err || d->p >= d->end)
			return (uint64_t)sk_de_fail(d, "truncated");
		unsigned c = *d->p++;
		/* the tenth byte holds bit 63 only */
		if (shift == 63 && c > 1)
			break;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	return (uint64_t)sk_de_fail(d, "bad varint");
}

int64_t sk_de_i64(sk_de *d)
{
	uint64_t u = sk_de_u64(d);
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

double sk_de_f64(sk_de *d)
{
	if (d->err || d->end - d->p < 8)
		return sk_de_fail(d, "truncated");
	uint64_t u = 0;
	for (int i = 0; i < 8; i++)
		u |= (uint64_t)d->p[i] << (8 * i);
	d->p += 8;
	double x;
	memcpy(&x, &u, 8);
	return x;
}

const char *sk_de_bytes(sk_de *d, size_t *n)
{
	uint64_t len = sk_de_u64(d);
	if (d->err || len > (uint64_t)(d->end - d->p)) {
		sk_de_fail(d, "truncated");
		*n = 0;
		return "";
	}
	const char *p = (const char *)d->p;
	d->p += len;
	*n = len;
	return p;
}

/* --- HyperLogLog --- */

static int hll_dense(const sk_hll *h)
{
	return h->p && h->cap == 0;
}

/* Sets register idx to at least r in the dense registers. */
static void reg_max(uint8_t *reg, uint32_t idx, uint8_t r)
{
	if (r > reg[idx])
		reg[idx] = r;
}

/* Turns h dense (an empty h too). */
static void hll_densify(sk_hll *h)
{
	uint8_t *reg = sk_xcalloc(SK_HLL_M, 1);
	const uint32_t *sp = h->p;
	for (uint32_t i = 0; i < h->cap; i++)
		if (sp[i])
			reg_max(reg, sp[i] >> 8, (uint8_t)sp[i]);
	free(h->p);
	h->p = reg;
	h->n = h->cap = 0;
}

/* The sparse table's slot for idx: where it is, or the empty one where it
 * goes. idx is uniform (hash bits), so its low bits spread the slots. */
static uint32_t *sp_slot(const sk_hll *h, uint32_t idx)
{
	uint32_t *sp = h->p, mask = h->cap - 1;
	for (uint32_t i = idx & mask;; i = (i + 1) & mask)
		if (sp[i] == 0 || sp[i] >> 8 == idx)
			return &sp[i];
}

/* Register idx of h becomes at least r (1..SK_HLL_RMAX). */
static void hll_set(sk_hll *h, uint32_t idx, uint8_t r)
{
	if (hll_dense(h)) {
		reg_max(h->p, idx, r);
		return;
	}
	if (h->p) {
		uint32_t *e = sp_slot(h, idx);
		if (*e) {
			if (r > (uint8_t)*e)
				*e = idx << 8 | r;
			return;
		}
	}
	/* a new register: keep the table at most 3/4 full */
	if (4 * (uint64_t)(h->n + 1) > 3 * (uint64_t)h->cap) {
		uint32_t ncap = h->cap ? 2 * h->cap : 4;
		if (ncap > SK_HLL_SPARSE_MAX) {
			hll_densify(h);
			reg_max(h->p, idx, r);
			return;
		}
		sk_hll t = { sk_xcalloc(ncap, sizeof(uint32_t)), 0, ncap };
		const uint32_t *sp = h->p;
		for (uint32_t i = 0; i < h->cap; i++)
			if (sp[i])
				*sp_slot(&t, sp[i] >> 8) = sp[i];
		t.n = h->n;
		free(h->p);
		*h = t;
	}
	*sp_slot(h, idx) = idx << 8 | r;
	h->n++;
}

void sk_hll_add(sk_hll *h, uint64_t hash)
{
	uint32_t idx = (uint32_t)(hash >> (64 - SK_HLL_P));
	uint64_t w = hash << SK_HLL_P | (UINT64_C(1) << (SK_HLL_P - 1));
	hll_set(h, idx, (uint8_t)(__builtin_clzll(w) + 1));
}

void sk_hll_merge(sk_hll *dst, const sk_hll *src)
{
	if (!src->p)
		return;
	if (hll_dense(src)) {
		if (!hll_dense(dst))
			hll_densify(dst);
		uint8_t *d = dst->p;
		const uint8_t *s = src->p;
		for (uint32_t i = 0; i < SK_HLL_M; i++)
			if (s[i] > d[i])
				d[i] = s[i];
		return;
	}
	const uint32_t *sp = src->p;
	for (uint32_t i = 0; i < src->cap; i++)
		if (sp[i])
			hll_set(dst, sp[i] >> 8, (uint8_t)sp[i]);
}

static double hll_sigma(double x)
{
	if (x == 1)
		return INFINITY;
	double y = 1, z = x, zp;
	do {
		x *= x;
		zp = z;
		z += x * y;
		y += y;
	} while (z != zp);
	return z;
}

static double hll_tau(double x)
{
	if (x == 0 || x == 1)
		return 0;
	double y = 1, z = 1 - x, zp;
	do {
		x = sqrt(x);
		zp = z;
		y *= 0.5;
		z -= (1 - x) * (1 - x) * y;
	} while (z != zp);
	return z / 3;
}

double sk_hll_estimate(const sk_hll *h)
{
	if (!h->p)
		return 0;
	enum { Q = 64 - SK_HLL_P };
	double c[Q + 2] = { 0 };
	if (hll_dense(h)) {
		const uint8_t *reg = h->p;
		for (uint32_t i = 0; i < SK_HLL_M; i++)
			c[reg[i] <= SK_HLL_RMAX ? reg[i] : SK_HLL_RMAX]++;
	} else {
		/* the registers the table lacks are 0 */
		const uint32_t *sp = h->p;
		c[0] = SK_HLL_M - h->n;
		for (uint32_t i = 0; i < h->cap; i++)
			if (sp[i])
				c[(uint8_t)sp[i]]++;
	}
	double m = SK_HLL_M;
	double z = m * hll_tau(1 - c[Q + 1] / m);
	for (int k = Q; k >= 1; k--)
		z = 0.5 * (z + c[k]);
	z += m * hll_sigma(c[0] / m);
	return m * m / (2 * log(2)) / z;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

void sk_hll_ser(const sk_hll *h, sk_buf *b)
{
	if (hll_dense(h)) {
		const uint8_t *reg = h->p;
		size_t nz = 0;
		for (uint32_t i = 0; i < SK_HLL_M; i++)
			nz += reg[i] != 0;
		if (nz * 3 >= SK_HLL_M) {
			sk_buf_putc(b, 'd');
			sk_buf_put(b, reg, SK_HLL_M);
			return;
		}
		/* sparse: count, then (gap, rank) pairs */
		sk_buf_putc(b, 's');
		sk_ser_u64(b, nz);
		uint32_t last = 0;
		for (uint32_t i = 0; nz && i < SK_HLL_M; i++)
			if (reg[i]) {
				sk_ser_u64(b, i - last);
				sk_buf_putc(b, reg[i]);
				last = i;
			}
		return;
	}
	/* the same form from the sparse table, its words sorted by index */
	uint32_t *w = sk_xmalloc((h->n + 1) * sizeof *w);
	const uint32_t *sp = h->p;
	uint32_t n = 0;
	for (uint32_t i = 0; i < h->cap; i++)
		if (sp[i])
			w[n++] = sp[i];
	qsort(w, n, sizeof *w, u32_cmp);
	sk_buf_putc(b, 's');
	sk_ser_u64(b, n);
	uint32_t last = 0;
	for (uint32_t i = 0; i < n; i++) {
		sk_ser_u64(b, (w[i] >> 8) - last);
		sk_buf_putc(b, (uint8_t)w[i]);
		last = w[i] >> 8;
	}
	free(w);
}

int sk_hll_de(sk_hll *h, sk_de *d)
{
	if (d->err || d->p >= d->end)
		return sk_de_fail(d, "truncated");
	int kind = *d->p++;
	if (kind == 's') {
		uint64_t nz = sk_de_u64(d);
		if (d->err)
			return 0;
		if (nz > SK_HLL_M)
			return sk_de_fail(d, "HyperLogLog: more registers than 16384");
		uint64_t i = 0;
		for (uint64_t j = 0; j < nz; j++) {
			uint64_t gap = sk_de_u64(d);
			if (d->err)
				return 0;
			/* indexes strictly increase: gaps after the first are >= 1 */
			if ((j && gap == 0) || gap >= SK_HLL_M - i)
				return sk_de_fail(d, "HyperLogLog: register index out of range");
			i += gap;
			if (d->p >= d->end)
				return sk_de_fail(d, "truncated");
			unsigned r = *d->p++;
			if (r == 0 || r > SK_HLL_RMAX)
				return sk_de_fail(d, "HyperLogLog: register value out of range");
			hll_set(h, (uint32_t)i, (uint8_t)r);
		}
		return 1;
	}
	if (kind != 'd')
		return sk_de_fail(d, "HyperLogLog: unknown form");
	if (d->end - d->p < (long)SK_HLL_M)
		return sk_de_fail(d, "truncated");
	for (uint32_t i = 0; i < SK_HLL_M; i++)
		if (d->p[i] > SK_HLL_RMAX)
			return sk_de_fail(d, "HyperLogLog: register value out of range");
	if (!hll_dense(h))
		hll_densify(h);
	memcpy(h->p, d->p, SK_HLL_M);
	d->p += SK_HLL_M;
	return 1;
}

void sk_hll_free(sk_hll *h)
{
	free(h->p);
	h->p = NULL;
	h->n = h->cap = 0;
}

/* --- DDSketch --- */

#define DD_GAMMA ((1 + SK_DD_ALPHA) / (1 - SK_DD_ALPHA))
#define DD_TINY 1e-300

static double dd_lngamma(void)
{
	static _Thread_local double l;
	if (l == 0)
		l = log(DD_GAMMA);
	return l;
}

static int32_t dd_index(double x)
{
	return (int32_t)ceil(log(x) / dd_lngamma());
}

/* The value a bucket stands for: within alpha of everything in it. */
static double dd_value(int32_t i)
{
	return 2 * exp(i * dd_lngamma()) / (DD_GAMMA + 1);
}

/* Makes s cover bucket i (collapsing the lowest buckets so it never holds
 * more than SK_DD_MAXBUCKETS) and returns where i's count now goes. */
static int32_t dd_fit(sk_ddstore *s, int32_t i)
{
	if (s->len == 0) {
		s->c = sk_xcalloc(1, sizeof *s->c);
		s->off = i;
		s->len = 1;
		return i;
	}
	int32_t lo = s->off, hi = s->off + (int32_t)s->len - 1;
	if (i >= lo && i <= hi)
		return i;
	int32_t nlo = i < lo ? i : lo, nhi = i > hi ? i : hi;
	if ((int64_t)nhi - nlo + 1 > SK_DD_MAXBUCKETS)
		nlo = nhi - SK_DD_MAXBUCKETS + 1;
	uint32_t nlen = (uint32_t)(nhi - nlo + 1);
	uint64_t *c = sk_xcalloc(nlen, sizeof *c);
	for (int32_t j = lo; j <= hi; j++)
		c[(j < nlo ? nlo : j) - nlo] += s->c[j - lo];
	free(s->c);
	s->c = c;
	s->off = nlo;
	s->len = nlen;
	return i < nlo ? nlo : i;
}

static void dd_store_add(sk_ddstore *s, int32_t i, uint64_t k)
{
	i = dd_fit(s, i);
	s->c[i - s->off] += k;
}

void sk_dd_add(sk_dd *s, double x)
{
	if (isnan(x))
		return;
	if (s->n == 0 || x < s->min)
		s->min = x;
	if (s->n == 0 || x > s->max)
		s->max = x;
	s->n++;
	if (isinf(x))
		*(x > 0 ? &s->pinf : &s->ninf) += 1;
	else if (x > DD_TINY)
		dd_store_add(&s->pos, dd_index(x), 1);
	else if (x < -DD_TINY)
		dd_store_add(&s->neg, dd_index(-x), 1);
	else
		s->zero++;
}

static void dd_store_merge(sk_ddstore *d, const sk_ddstore *s)
{
	if (s->len == 0)
		return;
	/* fit both ends first, so one reallocation at most per side */
	dd_fit(d, s->off + (int32_t)s->len - 1);
	dd_fit(d, s->off);
	for (uint32_t j = 0; j < s->len; j++)
		if (s->c[j])
			dd_store_add(d, s->off + (int32_t)j, s->c[j]);
}

void sk_dd_merge(sk_dd *dst, const sk_dd *src)
{
	if (src->n == 0)
		return;
	if (dst->n == 0 || src->min < dst->min)
		dst->min = src->min;
	if (dst->n == 0 || src->max > dst->max)
		dst->max = src->max;
	dst->n += src->n;
	dst->zero += src->zero;
	dst->ninf += src->ninf;
	dst->pinf += src->pinf;
	dd_store_merge(&dst->pos, &src->pos);
	dd_store_merge(&dst->neg, &src->neg);
}

double sk_dd_quantile(const sk_dd *s, double q)
{
	if (s->n == 0 || isnan(q))
		return NAN;
	if (q <= 0)
		return s->min;
	if (q >= 1)
		return s->max;
	double rank = floor(q * (double)(s->n - 1));
	uint64_t cum = s->ninf;
	double v = -INFINITY;
	if ((double)cum > rank)
		goto out;
	/* negative values, most negative (highest index) first */
	for (uint32_t j = s->neg.len; j-- > 0;) {
		cum += s->neg.c[j];
		if ((double)cum > rank) {
			v = -dd_value(s->neg.off + (int32_t)j);
			goto out;
		}
	}
	cum += s->zero;
	if ((double)cum > rank) {
		v = 0;
		goto out;
	}
	for (uint32_t j = 0; j < s->pos.len; j++) {
		cum += s->pos.c[j];
		if ((double)cum > rank) {
			v = dd_value(s->pos.off + (int32_t)j);
			goto out;
		}
	}
	v = s->max;
out:
	/* the bucket's value may lie just outside the data's range */
	if (v < s->min)
		v = s->min;
	if (v > s->max)
		v = s->max;
	return v;
}

static void dd_store_ser(const sk_ddstore *s, sk_buf *b)
{
	sk_ser_i64(b, s->off);
	sk_ser_u64(b, s->len);
	for (uint32_t j = 0; j < s->len; j++)
		sk_ser_u64(b, s->c[j]);
}

/* Reads a store into an empty s; *total gets the sum of its counts. */
static int dd_store_de(sk_ddstore *s, sk_de *d, uint64_t *total)
{
	int64_t off = sk_de_i64(d);
	uint64_t len = sk_de_u64(d);
	*total = 0;
	if (d->err)
		return 0;
	/* the indexes of magnitudes from DD_TINY to DBL_MAX */
	int64_t lo = dd_index(DD_TINY), hi = dd_index(DBL_MAX);
	if (len > SK_DD_MAXBUCKETS || (len && (off < lo || off > hi ||
					       off + (int64_t)len - 1 > hi)))
		return sk_de_fail(d, "DDSketch: bucket index out of range");
	for (uint64_t j = 0; j < len; j++) {
		uint64_t k = sk_de_u64(d);
		if (d->err)
			return 0;
		if (__builtin_add_overflow(*total, k, total))
			return sk_de_fail(d, "DDSketch: counts overflow");
		if (k)
			dd_store_add(s, (int32_t)(off + (int64_t)j), k);
	}
	return 1;
}

void sk_dd_ser(const sk_dd *s, sk_buf *b)
{
	sk_ser_u64(b, s->n);
	if (s->n == 0)
		return;
	sk_ser_f64(b, s->min);
	sk_ser_f64(b, s->max);
	sk_ser_u64(b, s->zero);
	dd_store_ser(&s->pos, b);
	dd_store_ser(&s->neg, b);
	sk_ser_u64(b, s->ninf);
	sk_ser_u64(b, s->pinf);
}

int sk_dd_de(sk_dd *s, sk_de *d)
{
	uint64_t n = sk_de_u64(d);
	if (d->err)
		return 0;
	if (n == 0)
		return 1;
	s->n = n;
	s->min = sk_de_f64(d);
	s->max = sk_de_f64(d);
	s->zero = sk_de_u64(d);
	uint64_t np, nn, sum;
	if (!dd_store_de(&s->pos, d, &np) || !dd_store_de(&s->neg, d, &nn))
		return 0;
	s->ninf = sk_de_u64(d);
	s->pinf = sk_de_u64(d);
	if (d->err)
		return 0;
	if (!(s->min <= s->max))
		return sk_de_fail(d, "DDSketch: min and max out of order or NaN");
	if (__builtin_add_overflow(np, nn, &sum) ||
	    __builtin_add_overflow(sum, s->zero, &sum) ||
	    __builtin_add_overflow(sum, s->ninf, &sum) ||
	    __builtin_add_overflow(sum, s->pinf, &sum) || sum != n)
		return sk_de_fail(d, "DDSketch: counts do not add up");
	/* each kind of value present lies within [min, max] */
	if ((s->ninf != 0) != (s->min == -INFINITY) ||
	    (s->pinf != 0) != (s->max == INFINITY) ||
	    (nn && !(s->min < 0)) || (np && !(s->max > 0)) ||
	    (s->zero && !(s->min <= DD_TINY && s->max >= -DD_TINY)))
		return sk_de_fail(d, "DDSketch: min or max does not fit the counts");
	return 1;
}

void sk_dd_free(sk_dd *s)
{
	free(s->pos.c);
	free(s->neg.c);
	memset(s, 0, sizeof *s);
}

/* --- SpaceSaving --- */

void sk_top_init(sk_top *t, uint32_t m)
{
	memset(t, 0, sizeof *t);
	t->m = m ? m : 1;
}

static void top_set(sk_topent *e, const char *p, size_t n)
{
	if (e->cap < n + 1) {
		e->cap = n + 1 < 16 ? 16 : n + 1;
		free(e->p);
		e->p = sk_xmalloc(e->cap);
	}
	memcpy(e->p, p, n);
	e->p[n] = 0;
	e->n = n;
}

void sk_top_add(sk_top *t, const char *p, size_t n, uint64_t hash,
		uint64_t count)
{
	for (uint32_t i = 0; i < t->len; i++)
		if (t->hash[i] == hash && t->ent[i].n == n &&
		    memcmp(t->ent[i].p, p, n) == 0) {
			t->ent[i].count += count;
			return;
		}
	if (t->len < t->m) {
		if (t->len == t->cap) {
			uint32_t ncap = t->cap ? 2 * t->cap : 2;
			if (ncap > t->m)
				ncap = t->m;
			t->ent = sk_xrealloc(t->ent, ncap * sizeof *t->ent);
			t->hash = sk_xrealloc(t->hash, ncap * sizeof *t->hash);
			memset(t->ent + t->cap, 0, (ncap - t->cap) * sizeof *t->ent);
			t->cap = ncap;
		}
		sk_topent *e = &t->ent[t->len];
		t->hash[t->len++] = hash;
		top_set(e, p, n);
		e->count = count;
		e->err = 0;
		return;
	}
	/* full: the new value replaces the smallest counter and inherits its
	 * count as error */
	uint32_t min = 0;
	for (uint32_t i = 1; i < t->len; i++)
		if (t->ent[i].count < t->ent[min].count)
			min = i;
	sk_topent *e = &t->ent[min];
	top_set(e, p, n);
	t->hash[min] = hash;
	e->err = e->count;
	e->count += count;
}

static uint64_t top_min(const sk_top *t)
{
	if (t->len < t->m)
		return 0;
	uint64_t m = UINT64_MAX;
	for (uint32_t i = 0; i < t->len; i++)
		if (t->ent[i].count < m)
			m = t->ent[i].count;
	return m;
}

static int top_cmp(const void *a, const void *b)
{
	const sk_topent *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->p, y->p, n);
	if (c)
		return c;
	return x->n < y->n ? -1 : x->n > y->n;
}

void sk_top_sort(sk_top *t)
{
	if (t->len == 0)
		return;
	qsort(t->ent, t->len, sizeof *t->ent, top_cmp);
	for (uint32_t i = 0; i < t->len; i++)
		t->hash[i] = sk_hash_bytes(t->ent[i].p, t->ent[i].n);
}

static int top_find(const sk_top *t, const sk_topent *e, uint64_t h)
{
	for (uint32_t i = 0; i < t->len; i++)
		if (t->hash[i] == h && t->ent[i].n == e->n &&
		    memcmp(t->ent[i].p, e->p, e->n) == 0)
			return (int)i;
	return -1;
}

void sk_top_merge(sk_top *dst, const sk_top *src)
{
	if (src->len == 0)
		return;
	uint64_t dmin = top_min(dst), smin = top_min(src);
	/* the union, with the missing side's minimum added, into a scratch
	 * table big enough for all, then the m largest kept */
	sk_top u;
	sk_top_init(&u, dst->len + src->len);
	for (uint32_t i = 0; i < dst->len; i++) {
		sk_topent *e = &dst->ent[i];
		int j = top_find(src, e, dst->hash[i]);
		uint64_t add = j >= 0 ? src->ent[j].count : smin;
		uint64_t adde = j >= 0 ? src->ent[j].err : smin;
		sk_top_add(&u, e->p, e->n, dst->hash[i], e->count + add);
		u.ent[u.len - 1].err = e->err + adde;
	}
	for (uint32_t i = 0; i < src->len; i++) {
		sk_topent *e = &src->ent[i];
		if (top_find(dst, e, src->hash[i]) >= 0)
			continue;
		sk_top_add(&u, e->p, e->n, src->hash[i], e->count + dmin);
		u.ent[u.len - 1].err = e->err + dmin;
	}
	sk_top_sort(&u);
	uint32_t m = dst->m;
	sk_top_free(dst);
	sk_top_init(dst, m);
	for (uint32_t i = 0; i < u.len && i < m; i++) {
		sk_top_add(dst, u.ent[i].p, u.ent[i].n, u.hash[i],
			   u.ent[i].count);
		dst->ent[i].err = u.ent[i].err;
	}
	sk_top_free(&u);
}

void sk_top_ser(const sk_top *t, sk_buf *b)
{
	sk_ser_u64(b, t->len);
	for (uint32_t i = 0; i < t->len; i++) {
		sk_ser_bytes(b, t->ent[i].p, t->ent[i].n);
		sk_ser_u64(b, t->ent[i].count);
		sk_ser_u64(b, t->ent[i].err);
	}
}

int sk_top_de(sk_top *t, sk_de *d)
{
	uint64_t len = sk_de_u64(d);
	if (d->err)
		return 0;
	if (len > t->m)
		return sk_de_fail(d, "top: more counters than the sketch holds");
	for (uint64_t i = 0; i < len; i++) {
		size_t n;
		const char *p = sk_de_bytes(d, &n);
		uint64_t c = sk_de_u64(d), e = sk_de_u64(d);
		if (d->err)
			return 0;
		/* a counter counts at least one, more than its error */
		if (c == 0 || e >= c)
			return sk_de_fail(d, "top: count out of range");
		sk_topent probe = { .p = (char *)p, .n = n };
		uint64_t h = sk_hash_bytes(p, n);
		if (top_find(t, &probe, h) >= 0)
			return sk_de_fail(d, "top: a value twice");
		sk_top_add(t, p, n, h, c);
		t->ent[t->len - 1].err = e;
	}
	return 1;
}

void sk_top_free(sk_top *t)
{
	for (uint32_t i = 0; i < t->cap; i++)
		free(t->ent[i].p);
	free(t->ent);
	free(t->hash);
	t->ent = NULL;
	t->hash = NULL;
	t->len = t->cap = 0;
}
