/* sk_agg: the aggregate function table, states, and their text form. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_agg.h"
#include "sk_err.h"
#include "sk_fmt.h"
#include "sk_hash.h"

#define UNUSED(x) (void)(x)

static void put_num(sk_buf *out, double d)
{
	char b[SK_NUM_BUFSZ];
	sk_buf_put(out, b, sk_num_fmt(b, d));
}

static void put_int(sk_buf *out, int64_t i)
{
	char b[SK_NUM_BUFSZ];
	sk_buf_put(out, b, sk_num_fmt_int(b, i));
}

/* Counts are unsigned: merged states may pass INT64_MAX. */
static void put_uint(sk_buf *out, uint64_t u)
{
	char b[24];
	size_t n = sizeof b;
	do
		b[--n] = (char)('0' + u % 10);
	while (u /= 10);
	sk_buf_put(out, b + n, sizeof b - n);
}

/* --- count, count_if --- */

typedef struct { uint64_t n; } st_count;

static void count_init(const sk_agg *a, void *st)
{
	UNUSED(a);
	memset(st, 0, sizeof(st_count));
}
static void count_add(const sk_agg *a, void *st, const sk_agg_in *in)
{
	UNUSED(a);
	UNUSED(in);
	((st_count *)st)->n++;
}
static void count_if_add(const sk_agg *a, void *st, const sk_agg_in *in)
{
	UNUSED(a);
	((st_count *)st)->n += in->truth != 0;
}
static void count_merge(const sk_agg *a, void *dst, const void *src)
{
	UNUSED(a);
	/* Counts read from states may each be up to INT64_MAX: the sum
	 * stays there too, so a merged state reads back (count_de). */
	uint64_t *n = &((st_count *)dst)->n, m = ((const st_count *)src)->n;
	*n = m > (uint64_t)INT64_MAX - *n ? (uint64_t)INT64_MAX : *n + m;
}
static int count_result(const sk_agg *a, void *st, double t, sk_buf *out)
{
	UNUSED(a);
	UNUSED(t);
	put_uint(out, ((st_count *)st)->n);
	return 1;
}
static int count_value(const sk_agg *a, void *st, double t, double *out)
{
	UNUSED(a);
	UNUSED(t);
	*out = (double)((st_count *)st)->n;
	return 1;
}
static void count_ser(const sk_agg *a, const void *st, sk_buf *b)
{
	UNUSED(a);
	sk_ser_u64(b, ((const st_count *)st)->n);
}
static int count_de(const sk_agg *a, void *st, sk_de *d)
{
	UNUSED(a);
	uint64_t n = sk_de_u64(d);
	if (!d->err && n > INT64_MAX)
		return sk_de_fail(d, "count out of range");
	((st_count *)st)->n = n;
	return !d->err;
}

/* --- sum, mean, share: exact 128-bit integers until a float comes, then
 * Neumaier-compensated doubles --- */

/* The integer part is a 128-bit two's complement number kept as two words
 * (so the state needs no 16-byte alignment): a sum of integers is exact
 * whatever the order, even when a partial sum leaves int64 on the way
 * (9223372036854775807, 1, -2). */
typedef struct {
	uint64_t lo;    /* the integer part, exact: hi * 2^64 + lo */
	int64_t hi;
	double s, c;    /* the float part and its compensation */
	uint64_t n : 63;
	uint64_t isfloat : 1; /* s/c are in use */
} st_sum;

typedef __int128 i128;

static i128 sum_int(const st_sum *s)
{
	return (i128)((unsigned __int128)(uint64_t)s->hi << 64 | s->lo);
}

static void sum_set_int(st_sum *s, i128 v)
{
	s->lo = (uint64_t)v;
	s->hi = (int64_t)(v >> 64);
}

/* Appends v in decimal. */
static void put_i128(sk_buf *out, i128 v)
{
	char tmp[48];
	size_t n = 0;
	unsigned __int128 u = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v;
	do {
		tmp[n++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u);
	if (v < 0)
		sk_buf_putc(out, '-');
	while (n)
		sk_buf_putc(out, tmp[--n]);
}

static void sum_init(const sk_agg *a, void *st)
{
	UNUSED(a);
	memset(st, 0, sizeof(st_sum));
}

static void neumaier(st_sum *s, double x)
{
	double t = s->s + x;
	/* past an infinity (or NaN) the compensation means nothing, and
	 * inf - inf in it would make the sum NaN */
	if (!isfinite(t)) {
		s->s = t;
		s->c = 0;
		return;
	}
	if (fabs(s->s) >= fabs(x))
		s->c += (s->s - t) + x;
	else
		s->c += (x - t) + s->s;
	s->s = t;
}

/* Adds an integer to the exact part; past 2^127 (not reachable with
 * fewer than 2^64 values) it goes on in the float part. */
static void sum_i128(st_sum *s, i128 x)
{
	i128 r;
	if (!__builtin_add_overflow(sum_int(s), x, &r)) {
		sum_set_int(s, r);
		return;
	}
	s->isfloat = 1;
	neumaier(s, (double)x);
}

static void sum_num(st_sum *s, const sk_num *x)
{
	if (x->isint) {
		sum_i128(s, x->i);
		return;
	}
	s->isfloat = 1;
	neumaier(s, x->d);
}

static void sum_add(const sk_agg *a, void *st, const sk_agg_in *in)
{
	UNUSED(a);
	st_sum *s = st;
	s->n++;
	sum_num(s, &in->num);
}

static void sum_merge(const sk_agg *a, void *dst, const void *src)
{
	UNUSED(a);
	st_sum *d = dst;
	const st_sum *s = src;
	d->n = d->n + s->n;
	sum_i128(d, sum_int(s));
	if (s->isfloat) {
		d->isfloat = 1;
		neumaier(d, s->s);
		neumaier(d, s->c);
	}
}

static double sum_value(const st_sum *s)
{
	i128 v = sum_int(s);
	if (!s->isfloat)
		return (double)v;
	/* the integer part joins the float sum last, compensated too: its
	 * nearest double, then what that left over */
	st_sum t = *s;
	double hi = (double)v;
	neumaier(&t, hi);
	if (fabs(hi) < 1.7e38)
		neumaier(&t, (double)(v - (i128)hi));
	return t.s + t.c;
}

double sk_agg_share_part(const sk_agg *a, const void *st)
{
	return a->def->part ? a->def->part(a, st) : 0;
}

static int sum_result(const sk_agg *a, void *st, double t, sk_buf *out)
{
	UNUSED(a);
	UNUSED(t);
	st_sum *s = st;
	if (s->n == 0) /* the sum of no value is empty, as in SQL */
		return 0;
	if (!s->isfloat)
		put_i128(out, sum_int(s));
	else
		put_num(out, sum_value(s));
	return 1;
}

/* The values of sum, mean and share: the numbers their text is written
 * from (an integer sum's nearest double is what its digits parse to);
 * mean's and share's text is their value's. */
static int sum_value_of(const sk_agg *a, void *st, double t, double *out)
{
	UNUSED(a);
	UNUSED(t);
	st_sum *s = st;
	if (s->n == 0)
		return 0;
	*out = s->isfloat ? sum_value(s) : (double)sum_int(s);
	return 1;
}

static int mean_value(const sk_agg *a, void *st, double t, double *out)
{
	UNUSED(a);
	UNUSED(t);
	st_sum *s = st;
	if (s->n == 0)
		return 0;
	*out = sum_value(s) / (double)s->n;
	return 1;
}

static int share_value(const sk_agg *a, void *st, double total, double *out)
{
	UNUSED(a);
	st_sum *s = st;
	if (s->n == 0 || total == 0)
		return 0;
	*out = sum_value(s) / total;
	return 1;
}

static int mean_result(const sk_agg *a, void *st, double t, sk_buf *out)
{
	double d;
	if (!mean_value(a, st, t, &d))
		return 0;
	put_num(out, d);
	return 1;
}

static int share_result(const sk_agg *a, void *st, double total, sk_buf *out)
{
	double d;
	if (!share_value(a, st, total, &d))
		return 0;
	put_num(out, d);
	return 1;
}

static void sum_ser(const sk_agg *a, const void *st, sk_buf *b)
{
	UNUSED(a);
	const st_sum *s = st;
	sk_ser_u64(b, s->n);
	sk_ser_u64(b, s->lo);
	sk_ser_i64(b, s->hi);
	sk_ser_u64(b, (uint64_t)s->isfloat);
	if (s->isfloat) {
		sk_ser_f64(b, s->s);
		sk_ser_f64(b, s->c);
	}
}

static int sum_de(const sk_agg *a, void *st, sk_de *d)
{
	UNUSED(a);
	st_sum *s = st;
	uint64_t n = sk_de_u64(d);
	s->lo = sk_de_u64(d);
	s->hi = sk_de_i64(d);
	uint64_t isfloat = sk_de_u64(d);
	if (!d->err && isfloat > 1)
		return sk_de_fail(d, "sum: flag out of range");
	if (isfloat) {
		s->s = sk_de_f64(d);
		s->c = sk_de_f64(d);
	}
	if (d->err)
		return 0;
	if (n > INT64_MAX)
		return sk_de_fail(d, "sum: count out of range");
	s->n = n;
	s->isfloat = isfloat != 0;
	/* the sum itself may be infinite or NaN (inf + -inf); its
	 * compensation is finite, and 0 once the sum is not */
	if (!isfinite(s->c) || (!isfinite(s->s) && s->c != 0))
		return sk_de_fail(d, "sum: compensation out of range");
	/* n integers of int64 sum to at most n * 2^63 in magnitude */
	i128 v = sum_int(s);
	unsigned __int128 mag = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v;
	if (mag > (unsigned __int128)n << 63)
		return sk_de_fail(d, "sum: integer part out of range");
	if (n == 0 && s->isfloat)
		return sk_de_fail(d, "sum: a sum of nothing that is not 0");
	return 1;
}

/* --- min, max: kept as sk_num so integers beyond 2^53 stay exact --- */

typedef struct {
	sk_num v;
	uint64_t n;
} st_minmax;

static int num_less(const sk_num *x, const sk_num *y)
{
	if (x->isint && y->isint)
		return x->i < y->i;
	return x->d < y->d;
}

static void minmax_init(const sk_agg *a, void *st)
{
	UNUSED(a);
	memset(st, 0, sizeof(st_minmax));
}

static void minmax_fold(int max, st_minmax *s, const sk_num *x, uint64_t n)
{
	if (n == 0)
		return;
	if (s->n == 0 || (max ? num_less(&s->v, x) : num_less(x, &s->v)) ||
	    (isnan(s->v.d) && !isnan(x->d)))
		s->v = *x;
	s->n += n;
}

static void min_add(const sk_agg *a, void *st, const sk_agg_in *in)
{
	UNUSED(a);
	minmax_fold(0, st, &in->num, 1);
}
static void max_add(const sk_agg *a, void *st, const sk_agg_in *in)
{
	UNUSED(a);
	minmax_fold(1, st, &in->num, 1);
}
static void min_merge(const sk_agg *a, void *dst, const void *src)
{
	UNUSED(a);
	const st_minmax *s = src;
	minmax_fold(0, dst, &s->v, s->n);
}
static void max_merge(const sk_agg *a, void *dst, const void *src)
{
	UNUSED(a);
	const st_minmax *s = src;
	minmax_fold(1, dst, &s->v, s->n);
}
static int minmax_result(const sk_agg *a, void *st, double t, sk_buf *out)
{
	UNUSED(a);
	UNUSED(t);
	st_minmax *s = st;
	if (s->n == 0)
		return 0;
	if (s->v.isint)
		put_int(out, s->v.i);
	else
		put_num(out, s->v.d);
	return 1;
}
static int minmax_value(const sk_agg *a, void *st, double t, double *out)
{
	UNUSED(a);
	UNUSED(t);
	st_minmax *s = st;
	if (s->n == 0)
		return 0;
	*out = s->v.isint ? (double)s->v.i : s->v.d;
	return 1;
}
static void minmax_ser(const sk_agg *a, const void *st, sk_buf *b)
{
	UNUSED(a);
	const st_minmax *s = st;
	sk_ser_u64(b, s->n);
	if (s->n) {
		sk_ser_u64(b, (uint64_t)s->v.isint);
		sk_ser_i64(b, s->v.i);
		sk_ser_f64(b, s->v.d);
	}
}
static int minmax_de(const sk_agg *a, void *st, sk_de *d)
{
	UNUSED(a);
	st_minmax *s = st;
	s->n = sk_de_u64(d);
	if (s->n) {
		uint64_t isint = sk_de_u64(d);
		s->v.isint = isint != 0;
		s->v.i = sk_de_i64(d);
		s->v.d = sk_de_f64(d);
		if (!d->err && (isint > 1 || isnan(s->v.d) ||
				(isint && s->v.d != (double)s->v.i)))
			return sk_de_fail(d, "min/max: value out of range");
	}
	return !d->err;
}

/* --- first, last: the bytes, copied --- */

typedef struct {
	char *p;        /* malloc'd, reused by last */
	size_t n, cap;
	int set;
	int kind;       /* the value's sk_field_kind: a JSON "200" stays a string */
	uint64_t seq;   /* arrival number of the value (sk_agg_in.seq) */
} st_bytes;

static void bytes_init(const sk_agg *a, void *st)
{
	UNUSED(a);
	memset(st, 0, sizeof(st_bytes));
}
/* The smallest buffer first and last keep their bytes in: exact above it
 * (no doubling: a million groups each hold one value). */
#define BYTES_MIN_CAP 16

static void bytes_set(st_bytes *s, const char *p, size_t n, int kind)
{
	s->kind = kind;
	if (s->cap < n + 1) {
		s->cap = n + 1 < BYTES_MIN_CAP ? BYTES_MIN_CAP : n + 1;
		free(s->p);
		s->p = sk_xmalloc(s->cap);
	}
	memcpy(s->p, p, n);
	s->p[n] = 0;
	s->n = n;
	s->set = 1;
}
static void first_add(const sk_agg *a, void *st, const sk_agg_in *in)
{
	UNUSED(a);
	st_bytes *s = st;
	if (!s->set) {
		bytes_set(s, in->s, in->n, in->kind);
		s->seq = in->seq;
	}
}
static void last_add(const sk_agg *a, void *st, const sk_agg_in *in)
{
	UNUSED(a);
	st_bytes *s = st;
	bytes_set(s, in->s, in->n, in->kind);
	s->seq = in->seq;
}
/* The states carry the arrival number of their value, so parts merge in
 * any order (the panes of a sliding window, sessions an out-of-order
 * record joins): the first keeps the earliest, the last the latest. On a
 * tie (states read back by --merge carry none) dst is the earlier part:
 * merging in input order is then what makes them right. */
static void first_merge(const sk_agg *a, void *dst, const void *src)
{
	UNUSED(a);
	st_bytes *d = dst;
	const st_bytes *s = src;
	if (s->set && (!d->set || s->seq < d->seq)) {
		bytes_set(d, s->p, s->n, s->kind);
		d->seq = s->seq;
	}
}
static void last_merge(const sk_agg *a, void *dst, const void *src)
{
	UNUSED(a);
	st_bytes *d = dst;
	const st_bytes *s = src;
	if (s->set && (!d->set || s->seq >= d->seq)) {
		bytes_set(d, s->p, s->n, s->kind);
		d->seq = s->seq;
	}
}
static int bytes_result(const sk_agg *a, void *st, double t, sk_buf *out)
{
	UNUSED(a);
	UNUSED(t);
	st_bytes *s = st;
	if (!s->set)
		return 0;
	sk_buf_put(out, s->p, s->n);
	return SK_AGG_R_KIND(s->kind);
}
static void bytes_free(const sk_agg *a, void *st)
{
	UNUSED(a);
	free(((st_bytes *)st)->p);
}
static void bytes_ser(const sk_agg *a, const void *st, sk_buf *b)
{
	UNUSED(a);
	const st_bytes *s = st;
	/* 0: no value; else 1 + its kind */
	sk_ser_u64(b, s->set ? 1 + (uint64_t)s->kind : 0);
	if (s->set)
		sk_ser_bytes(b, s->p, s->n);
}
static int bytes_de(const sk_agg *a, void *st, sk_de *d)
{
	UNUSED(a);
	uint64_t set = sk_de_u64(d);
	if (!d->err && set > 1 + SK_FK_JSON)
		return sk_de_fail(d, "first/last: kind out of range");
	if (set) {
		size_t n;
		const char *p = sk_de_bytes(d, &n);
		if (!d->err && n == 0)
			return sk_de_fail(d, "first/last: an empty value");
		/* written into JSON output as it is: a literal or nothing */
		if (!d->err && set - 1 == SK_FK_JSON && !sk_json_is_number(p, n) &&
		    !sk_str_eq((sk_str){ p, n }, "true", 4) &&
		    !sk_str_eq((sk_str){ p, n }, "false", 5) &&
		    !sk_str_eq((sk_str){ p, n }, "null", 4))
			return sk_de_fail(d, "first/last: not a JSON literal");
		bytes_set(st, p, n, (int)set - 1);
	}
	return !d->err;
}

/* --- var, stddev, pvar, pstddev: Welford, merged with Chan et al. --- */

/* long double: the extra bits make results round like the two-pass
 * formulas of datamash and mlr */
typedef struct {
	uint64_t n;
	long double mean, m2;
} st_var;

static void var_init(const sk_agg *a, void *st)
{
	UNUSED(a);
	memset(st, 0, sizeof(st_var));
}
static void var_add(const sk_agg *a, void *st, const sk_agg_in *in)
{
	UNUSED(a);
	st_var *s = st;
	long double x = in->num.d;
	s->n++;
	long double d = x - s->mean;
	s->mean += d / (long double)s->n;
	s->m2 += d * (x - s->mean);
}
static void var_merge(const sk_agg *a, void *dst, const void *src)
{
	UNUSED(a);
	st_var *d = dst;
	const st_var *s = src;
	if (s->n == 0)
		return;
	if (d->n == 0) {
		*d = *s;
		return;
	}
	long double n = (long double)(d->n + s->n);
	long double delta = s->mean - d->mean;
	d->m2 += s->m2 + delta * delta * (long double)d->n *
		(long double)s->n / n;
	d->mean += delta * (long double)s->n / n;
	d->n += s->n;
}
static int var_put(st_var *s, int sample, int root, sk_buf *out)
{
	if (s->n < (uint64_t)(sample ? 2 : 1))
		return 0;
	long double v = s->m2 / (long double)(s->n - (uint64_t)sample);
	if (v < 0)
		v = 0;
	put_num(out, (double)(root ? sqrtl(v) : v));
	return 1;
}
static int var_result(const sk_agg *a, void *st, double t, sk_buf *out)
{
	UNUSED(a); UNUSED(t);
	return var_put(st, 1, 0, out);
}
static int stddev_result(const sk_agg *a, void *st, double t, sk_buf *out)
{
	UNUSED(a); UNUSED(t);
	return var_put(st, 1, 1, out);
}
static int pvar_result(const sk_agg *a, void *st, double t, sk_buf *out)
{
	UNUSED(a); UNUSED(t);
	return var_put(st, 0, 0, out);
}
static int pstddev_result(const sk_agg *a, void *st, double t, sk_buf *out)
{
	UNUSED(a); UNUSED(t);
	return var_put(st, 0, 1, out);
}
static void var_ser(const sk_agg *a, const void *st, sk_buf *b)
{
	UNUSED(a);
	const st_var *s = st;
	/* a long double as the sum of two doubles: exact enough across
	 * machines, whatever their long double is */
	double mh = (double)s->mean, qh = (double)s->m2;
	sk_ser_u64(b, s->n);
	sk_ser_f64(b, mh);
	sk_ser_f64(b, (double)(s->mean - mh));
	sk_ser_f64(b, qh);
	sk_ser_f64(b, (double)(s->m2 - qh));
}
static int var_de(const sk_agg *a, void *st, sk_de *d)
{
	UNUSED(a);
	st_var *s = st;
	s->n = sk_de_u64(d);
	s->mean = sk_de_f64(d);
	s->mean += sk_de_f64(d);
	s->m2 = sk_de_f64(d);
	s->m2 += sk_de_f64(d);
	if (d->err)
		return 0;
	/* an infinity in the input makes mean and m2 infinite or NaN, but
	 * m2 is never negative, and nothing has no spread */
	if (s->m2 < 0 || (s->n == 0 && (s->mean != 0 || s->m2 != 0)))
		return sk_de_fail(d, "variance: value out of range");
	return 1;
}

/* --- pNN, median, mode: every value kept, sorted at result time --- */

typedef struct {
	double *v;
	size_t n, cap;
	int sorted;
	int nonstr;     /* a value was not a JSON string: mode is a number */
} st_vals;

static void vals_init(const sk_agg *a, void *st)
{
	UNUSED(a);
	memset(st, 0, sizeof(st_vals));
}
/* The values a pNN, median or mode state first makes room for: a group
 * often has few (SK_GROW's 8 would double their memory). */
#define VALS_MIN_CAP 4

static void vals_push(st_vals *s, double x)
{
	SK_GROW_FROM(s->v, s->cap, s->n + 1, VALS_MIN_CAP);
	s->v[s->n++] = x;
	s->sorted = 0;
}
static void vals_add(const sk_agg *a, void *st, const sk_agg_in *in)
{
	UNUSED(a);
	st_vals *s = st;
	s->nonstr |= in->kind != SK_FK_STR;
	vals_push(s, in->num.d);
}
static void vals_merge(const sk_agg *a, void *dst, const void *src)
{
	UNUSED(a);
	const st_vals *s = src;
	((st_vals *)dst)->nonstr |= s->nonstr;
	for (size_t i = 0; i < s->n; i++)
		vals_push(dst, s->v[i]);
}
static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}
static void vals_sort(st_vals *s)
{
	if (!s->sorted)
		qsort(s->v, s->n, sizeof *s->v, dbl_cmp);
	s->sorted = 1;
}
/* Hyndman-Fan type 7, as numpy, R, datamash perc and mlr -i. */
static int pct_result(const sk_agg *a, void *st, double t, sk_buf *out)
{
	UNUSED(t);
	st_vals *s = st;
	if (s->n == 0)
		return 0;
	vals_sort(s);
	double h = (double)(s->n - 1) * a->q;
	size_t lo = (size_t)floor(h);
	double v = s->v[lo];
	double hi = lo + 1 < s->n ? s->v[lo + 1] : v;
	/* between an infinity and anything else lies that infinity, between
	 * -inf and inf nothing (NaN); equal ends need no arithmetic */
	if (h > (double)lo && hi != v) {
		if (isinf(v) || isinf(hi))
			v = v == -hi ? NAN : isinf(v) ? v : hi;
		else
			v += (h - (double)lo) * (hi - v);
	}
	put_num(out, v);
	return 1;
}
/* The most frequent value; ties go to the smallest (datamash's rule). */
static int mode_result(const sk_agg *a, void *st, double t, sk_buf *out)
{
	UNUSED(a);
	UNUSED(t);
	st_vals *s = st;
	if (s->n == 0)
		return 0;
	vals_sort(s);
	size_t best = 0, bestn = 0;
	for (size_t i = 0; i < s->n;) {
		size_t j = i + 1;
		while (j < s->n && s->v[j] == s->v[i])
			j++;
		if (j - i > bestn) {
			bestn = j - i;
			best = i;
		}
		i = j;
	}
	put_num(out, s->v[best]);
	/* the mode of JSON strings ("200") is written as one */
	return SK_AGG_R_KIND(s->nonstr ? SK_FK_TEXT : SK_FK_STR);
}
static void vals_free(const sk_agg *a, void *st)
{
	UNUSED(a);
	free(((st_vals *)st)->v);
}
static void vals_ser(const sk_agg *a, const void *st, sk_buf *b)
{
	UNUSED(a);
	const st_vals *s = st;
	sk_ser_u64(b, s->n);
	for (size_t i = 0; i < s->n; i++)
		sk_ser_f64(b, s->v[i]);
	sk_ser_u64(b, (uint64_t)s->nonstr);
}
static int vals_de(const sk_agg *a, void *st, sk_de *d)
{
	UNUSED(a);
	uint64_t n = sk_de_u64(d);
	if (d->err)
		return 0;
	if (n > (uint64_t)(d->end - d->p) / 8)
		return sk_de_fail(d, "truncated");
	for (uint64_t i = 0; i < n; i++) {
		double x = sk_de_f64(d);
		if (isnan(x)) /* NaN is never kept */
			return sk_de_fail(d, "a NaN value");
		vals_push(st, x);
	}
	uint64_t nonstr = sk_de_u64(d);
	if (d->err)
		return 0;
	if (nonstr > 1)
		return sk_de_fail(d, "mode: flag out of range");
	((st_vals *)st)->nonstr = (int)nonstr;
	return 1;
}

/* --- distinct: a set of byte strings --- */

typedef struct {
	sk_hash *set; /* NULL until the first value */
} st_set;

static void set_init(const sk_agg *a, void *st)
{
	UNUSED(a);
	memset(st, 0, sizeof(st_set));
}
/* Returns 1 if the value was new. */
static int set_put(st_set *s, const char *p, size_t n)
{
	if (!s->set) {
		s->set = sk_xmalloc(sizeof *s->set);
		sk_hash_init(s->set, NULL, NULL);
	}
	int isnew;
	sk_hash_put(s->set, p, n, sk_hash_bytes(p, n), &isnew);
	return isnew;
}
static void set_add(const sk_agg *a, void *st, const sk_agg_in *in)
{
	UNUSED(a);
	set_put(st, in->s, in->n);
}
static void set_merge(const sk_agg *a, void *dst, const void *src)
{
	UNUSED(a);
	const st_set *s = src;
	if (!s->set)
		return;
	sk_hash_iter it;
	sk_hash_ent *e;
	for (sk_hash_iter_init(s->set, &it); (e = sk_hash_next(s->set, &it)); )
		set_put(dst, e->key, e->n);
}
static int set_result(const sk_agg *a, void *st, double t, sk_buf *out)
{
	UNUSED(a);
	UNUSED(t);
	st_set *s = st;
	put_int(out, s->set ? (int64_t)sk_hash_count(s->set) : 0);
	return 1;
}
static void set_free(const sk_agg *a, void *st)
{
	UNUSED(a);
	st_set *s = st;
	if (s->set) {
		sk_hash_free(s->set);
		free(s->set);
		s->set = NULL;
	}
}
static void set_ser(const sk_agg *a, const void *st, sk_buf *b)
{
	UNUSED(a);
	const st_set *s = st;
	sk_ser_u64(b, s->set ? sk_hash_count(s->set) : 0);
	if (!s->set)
		return;
	sk_hash_iter it;
	sk_hash_ent *e;
	for (sk_hash_iter_init(s->set, &it); (e = sk_hash_next(s->set, &it)); )
		sk_ser_bytes(b, e->key, e->n);
}
static int set_de(const sk_agg *a, void *st, sk_de *d)
{
	UNUSED(a);
	uint64_t n = sk_de_u64(d);
	for (uint64_t i = 0; i < n && !d->err; i++) {
		size_t len;
		const char *p = sk_de_bytes(d, &len);
		if (d->err)
			break;
		if (len == 0)
			return sk_de_fail(d, "distinct: an empty value");
		if (!set_put(st, p, len))
			return sk_de_fail(d, "distinct: a value twice");
	}
	return !d->err;
}

/* --- approx_distinct: HyperLogLog --- */

static void hll_init(const sk_agg *a, void *st)
{
	UNUSED(a);
	memset(st, 0, sizeof(sk_hll));
}
static void hll_add(const sk_agg *a, void *st, const sk_agg_in *in)
{
	UNUSED(a);
	sk_hll_add(st, sk_hash_bytes(in->s, in->n));
}
static void hll_merge(const sk_agg *a, void *dst, const void *src)
{
	UNUSED(a);
	sk_hll_merge(dst, src);
}
static int hll_result(const sk_agg *a, void *st, double t, sk_buf *out)
{
	UNUSED(a);
	UNUSED(t);
	double e = sk_hll_estimate(st);
	/* only a sketch of every register at its top gets this far */
	if (!(e < 9e18))
		put_num(out, e);
	else
		put_int(out, (int64_t)llround(e));
	return 1;
}
static void hll_free(const sk_agg *a, void *st)
{
	UNUSED(a);
	sk_hll_free(st);
}
static void hll_ser(const sk_agg *a, const void *st, sk_buf *b)
{
	UNUSED(a);
	sk_hll_ser(st, b);
}
static int hll_de(const sk_agg *a, void *st, sk_de *d)
{
	UNUSED(a);
	return sk_hll_de(st, d);
}

/* --- approx_p: DDSketch --- */

static void dd_init(const sk_agg *a, void *st)
{
	UNUSED(a);
	memset(st, 0, sizeof(sk_dd));
}
static void dd_add(const sk_agg *a, void *st, const sk_agg_in *in)
{
	UNUSED(a);
	sk_dd_add(st, in->num.d);
}
static void dd_merge(const sk_agg *a, void *dst, const void *src)
{
	UNUSED(a);
	sk_dd_merge(dst, src);
}
static int dd_result(const sk_agg *a, void *st, double t, sk_buf *out)
{
	UNUSED(t);
	sk_dd *s = st;
	if (s->n == 0)
		return 0;
	put_num(out, sk_dd_quantile(s, a->q));
	return 1;
}
static void dd_free(const sk_agg *a, void *st)
{
	UNUSED(a);
	sk_dd_free(st);
}
static void dd_ser(const sk_agg *a, const void *st, sk_buf *b)
{
	UNUSED(a);
	sk_dd_ser(st, b);
}
static int dd_de(const sk_agg *a, void *st, sk_de *d)
{
	UNUSED(a);
	return sk_dd_de(st, d);
}

/* --- top: SpaceSaving with 10k counters (at least 64), the k largest
 * shown as "value:count;value:count" --- */

static uint32_t top_m(const sk_agg *a)
{
	uint64_t m = (uint64_t)a->k * 10;
	return m < 64 ? 64 : m > 100000 ? 100000 : (uint32_t)m;
}
static void top_init(const sk_agg *a, void *st)
{
	sk_top_init(st, top_m(a));
}
static void top_add(const sk_agg *a, void *st, const sk_agg_in *in)
{
	UNUSED(a);
	sk_top_add(st, in->s, in->n, sk_hash_bytes(in->s, in->n), 1);
}
static void top_merge(const sk_agg *a, void *dst, const void *src)
{
	UNUSED(a);
	sk_top_merge(dst, src);
}
static int top_result(const sk_agg *a, void *st, double t, sk_buf *out)
{
	UNUSED(t);
	sk_top *s = st;
	sk_top_sort(s);
	for (uint32_t i = 0; i < s->len && i < a->k; i++) {
		if (i)
			sk_buf_putc(out, ';');
		sk_buf_put(out, s->ent[i].p, s->ent[i].n);
		sk_buf_putc(out, ':');
		put_uint(out, s->ent[i].count);
	}
	return 1;
}
static void top_free(const sk_agg *a, void *st)
{
	UNUSED(a);
	sk_top_free(st);
}
static void top_ser(const sk_agg *a, const void *st, sk_buf *b)
{
	UNUSED(a);
	sk_top_ser(st, b);
}
static int top_de(const sk_agg *a, void *st, sk_de *d)
{
	UNUSED(a);
	return sk_top_de(st, d);
}

/* --- the table --- */

/* What differs between the aggregates, beyond their state functions. */

/* share: its result is a part of the sum over all groups. */
static double share_part(const sk_agg *a, const void *st)
{
	UNUSED(a);
	return sum_value(st);
}

/* approx_p(x, q): q from 0 to 1. */
static const char *approx_p_config(sk_agg *a, const sk_num *consts)
{
	a->q = consts[1].d;
	if (!(a->q >= 0 && a->q <= 1))
		return "approx_p: q must be a number from 0 to 1";
	return NULL;
}

/* approx_p's column says its q: "approx_p0.9_x". */
static void approx_p_colname(const sk_agg *a, const char *name, sk_buf *b)
{
	char q[SK_NUM_BUFSZ];
	sk_buf_puts(b, name);
	sk_num_fmt(q, a->q);
	sk_buf_puts(b, q);
}

#define SK_AGG_TOP_MAX 10000 /* the most values top(x, k) keeps */

/* top(x, k): k a whole number, at most SK_AGG_TOP_MAX. */
static const char *top_config(sk_agg *a, const sk_num *consts)
{
	if (!consts[1].isint || consts[1].i < 1 || consts[1].i > SK_AGG_TOP_MAX)
		return "top: k must be an integer from 1 to 10000";
	a->k = (uint32_t)consts[1].i;
	return NULL;
}

/* "p99", "p99.9", "p0" .. "p100": 1 and the quantile in a->q; "p" alone
 * is the median. */
static int pct_name(sk_agg *a, const char *name)
{
	if (strcmp(name, "p") == 0) {
		a->q = 0.5;
		return 1;
	}
	if (name[0] != 'p' || name[1] < '0' || name[1] > '9')
		return 0;
	sk_num x;
	if (!sk_num_parse(name + 1, strlen(name + 1), &x))
		return 0;
	for (const char *p = name + 1; *p; p++)
		if (!(*p >= '0' && *p <= '9') && *p != '.')
			return 0;
	if (x.d < 0 || x.d > 100)
		return 0;
	a->q = x.d / 100;
	return 1;
}

/* --- the table --- */

#define COUNTS .init = count_init, .merge = count_merge, \
	.result = count_result, .value = count_value, .ser = count_ser, .de = count_de
#define SUMS .init = sum_init, .add = sum_add, .merge = sum_merge, \
	.ser = sum_ser, .de = sum_de
#define VARS .init = var_init, .add = var_add, .merge = var_merge, \
	.ser = var_ser, .de = var_de, .align = _Alignof(st_var)
#define VALS .init = vals_init, .add = vals_add, .merge = vals_merge, \
	.free = vals_free, .ser = vals_ser, .de = vals_de

const sk_agg_def sk_agg_defs[] = {
	{ .name = "count", .minargs = 0, .maxargs = 0, .input = SK_AGG_IN_NONE,
	  .size = sizeof(st_count), COUNTS, .add = count_add,
	  .synopsis = "count", .help = "number of records" },
	{ .name = "count_if", .minargs = 1, .maxargs = 1, .input = SK_AGG_IN_TRUTH,
	  .size = sizeof(st_count), COUNTS, .add = count_if_add,
	  .synopsis = "count_if(c)", .help = "number of records for which c is true" },
	{ .name = "sum", .minargs = 1, .maxargs = 1, .input = SK_AGG_IN_NUM,
	  .size = sizeof(st_sum), SUMS, .result = sum_result,
	  .value = sum_value_of,
	  .synopsis = "sum(x)", .help = "sum (exact for integers, compensated for floats)" },
	{ .name = "mean", .minargs = 1, .maxargs = 1, .input = SK_AGG_IN_NUM,
	  .size = sizeof(st_sum), SUMS, .result = mean_result, .value = mean_value,
	  .synopsis = "mean(x)", .help = "arithmetic mean" },
	{ .name = "share", .minargs = 1, .maxargs = 1, .input = SK_AGG_IN_NUM,
	  .size = sizeof(st_sum), SUMS, .result = share_result, .value = share_value,
	  .part = share_part,
	  .synopsis = "share(x)", .help = "sum(x) of the group / sum(x) of all groups" },
	{ .name = "min", .minargs = 1, .maxargs = 1, .input = SK_AGG_IN_NUM,
	  .size = sizeof(st_minmax), .init = minmax_init, .add = min_add,
	  .merge = min_merge, .result = minmax_result, .value = minmax_value,
	  .ser = minmax_ser, .de = minmax_de,
	  .synopsis = "min(x)", .help = "smallest value" },
	{ .name = "max", .minargs = 1, .maxargs = 1, .input = SK_AGG_IN_NUM,
	  .size = sizeof(st_minmax), .init = minmax_init, .add = max_add,
	  .merge = max_merge, .result = minmax_result, .value = minmax_value,
	  .ser = minmax_ser, .de = minmax_de,
	  .synopsis = "max(x)", .help = "largest value" },
	{ .name = "first", .minargs = 1, .maxargs = 1, .input = SK_AGG_IN_BYTES,
	  .size = sizeof(st_bytes), .init = bytes_init, .add = first_add,
	  .merge = first_merge, .result = bytes_result, .free = bytes_free,
	  .ser = bytes_ser, .de = bytes_de,
	  .synopsis = "first(x)", .help = "first non-empty value, as it was" },
	{ .name = "last", .minargs = 1, .maxargs = 1, .input = SK_AGG_IN_BYTES,
	  .size = sizeof(st_bytes), .init = bytes_init, .add = last_add,
	  .merge = last_merge, .result = bytes_result, .free = bytes_free,
	  .ser = bytes_ser, .de = bytes_de,
	  .synopsis = "last(x)", .help = "last non-empty value, as it was" },
	{ .name = "var", .minargs = 1, .maxargs = 1, .input = SK_AGG_IN_NUM,
	  .size = sizeof(st_var), VARS, .result = var_result,
	  .synopsis = "var(x)", .help = "sample variance (n-1)" },
	{ .name = "stddev", .minargs = 1, .maxargs = 1, .input = SK_AGG_IN_NUM,
	  .size = sizeof(st_var), VARS, .result = stddev_result,
	  .synopsis = "stddev(x)", .help = "sample standard deviation (n-1)" },
	{ .name = "pvar", .minargs = 1, .maxargs = 1, .input = SK_AGG_IN_NUM,
	  .size = sizeof(st_var), VARS, .result = pvar_result,
	  .synopsis = "pvar(x)", .help = "population variance (n)" },
	{ .name = "pstddev", .minargs = 1, .maxargs = 1, .input = SK_AGG_IN_NUM,
	  .size = sizeof(st_var), VARS, .result = pstddev_result,
	  .synopsis = "pstddev(x)", .help = "population standard deviation (n)" },
	{ .name = "median", .minargs = 1, .maxargs = 1, .input = SK_AGG_IN_NUM,
	  .size = sizeof(st_vals), VALS, .result = pct_result,
	  .synopsis = "median(x)", .help = "p50" },
	{ .name = "pNN", .family = pct_name, .minargs = 1, .maxargs = 1,
	  .input = SK_AGG_IN_NUM, .size = sizeof(st_vals), VALS, .result = pct_result,
	  .synopsis = "pNN(x)",
	  .help = "percentile NN (p90, p99.9), linear interpolation (type 7)" },
	{ .name = "mode", .minargs = 1, .maxargs = 1, .input = SK_AGG_IN_NUM,
	  .size = sizeof(st_vals), VALS, .result = mode_result,
	  .synopsis = "mode(x)", .help = "most frequent number (ties: the smallest)" },
	{ .name = "distinct", .minargs = 1, .maxargs = 1, .input = SK_AGG_IN_BYTES,
	  .size = sizeof(st_set), .init = set_init, .add = set_add,
	  .merge = set_merge, .result = set_result, .free = set_free,
	  .ser = set_ser, .de = set_de,
	  .synopsis = "distinct(x)", .help = "number of distinct values (exact)" },
	{ .name = "approx_distinct", .minargs = 1, .maxargs = 1, .sketch = 1,
	  .input = SK_AGG_IN_BYTES, .size = sizeof(sk_hll), .init = hll_init,
	  .add = hll_add, .merge = hll_merge, .result = hll_result,
	  .free = hll_free, .ser = hll_ser, .de = hll_de,
	  .synopsis = "approx_distinct(x)",
	  .help = "distinct values, HyperLogLog (std. error 0.8%, <= 16 KiB)" },
	{ .name = "approx_p", .minargs = 2, .maxargs = 2, .sketch = 1,
	  .input = SK_AGG_IN_NUM, .size = sizeof(sk_dd), .init = dd_init,
	  .add = dd_add, .merge = dd_merge, .result = dd_result, .free = dd_free,
	  .ser = dd_ser, .de = dd_de,
	  .config = approx_p_config, .colname = approx_p_colname,
	  .synopsis = "approx_p(x, q)", .help = "q-quantile, DDSketch (within 1% relative)" },
	{ .name = "top", .minargs = 2, .maxargs = 2, .sketch = 1,
	  .input = SK_AGG_IN_BYTES, .size = sizeof(sk_top), .init = top_init,
	  .add = top_add, .merge = top_merge, .result = top_result,
	  .free = top_free, .ser = top_ser, .de = top_de, .config = top_config,
	  .synopsis = "top(x, k)",
	  .help = "k most frequent values, SpaceSaving: \"v:count;...\"" },
	{ .name = NULL },
};

const char *sk_agg_config(sk_agg *a, const char *name, size_t nargs,
			  const sk_num *consts)
{
	static char msg[128];
	const sk_agg_def *d;
	memset(a, 0, sizeof *a);
	a->q = 0.5;
	for (d = sk_agg_defs; d->name; d++)
		if (d->family ? d->family(a, name) : strcmp(d->name, name) == 0)
			break;
	if (!d->name) {
		sk_near near;
		sk_near_init(&near, name, strlen(name));
		for (d = sk_agg_defs; d->name; d++)
			if (!d->family) /* a family's name is no word to suggest */
				sk_near_add(&near, d->name);
		const char *best = sk_near_best(&near);
		if (best)
			snprintf(msg, sizeof msg, "unknown aggregate '%.40s' (did you mean '%s'?)",
				 name, best);
		else
			snprintf(msg, sizeof msg, "unknown aggregate '%.40s'", name);
		return msg;
	}
	if (nargs < (size_t)d->minargs || nargs > (size_t)d->maxargs) {
		if (d->minargs == 0)
			snprintf(msg, sizeof msg, "%s takes no argument", d->name);
		else
			snprintf(msg, sizeof msg, "%s takes %d argument%s",
				 d->name, d->minargs, d->minargs > 1 ? "s" : "");
		return msg;
	}
	a->def = d;
	a->needs_total = d->part != NULL;
	return d->config ? d->config(a, consts) : NULL;
}

int sk_agg_check(const sk_agg *a, sk_value *v, sk_agg_in *in)
{
	in->s = "";
	in->n = 0;
	in->kind = SK_FK_TEXT;
	int input = a->def->input;
	if (input == SK_AGG_IN_NONE)
		return in->status = SK_AGG_OK;
	if (input == SK_AGG_IN_TRUTH)
		in->truth = v && sk_value_truthy(v);
	if (!v || v->t == SK_V_NULL || (v->t == SK_V_STR && v->n == 0))
		return in->status = input == SK_AGG_IN_TRUTH ? SK_AGG_OK :
			SK_AGG_SKIP;
	in->kind = (uint8_t)sk_value_kind(v);
	switch (v->t) {
	case SK_V_BOOL:
		in->num = (sk_num){ 1, v->i, (double)v->i };
		in->s = v->i ? "true" : "false";
		in->n = strlen(in->s);
		break;
	case SK_V_NUM:
		in->num = (sk_num){ v->isint, v->i, v->d };
		in->n = v->isint ? sk_num_fmt_int(in->numbuf, v->i) :
			sk_num_fmt(in->numbuf, v->d);
		in->s = in->numbuf;
		break;
	default:
		in->s = v->s;
		in->n = v->n;
		if (input == SK_AGG_IN_NUM && !sk_num_parse(v->s, v->n, &in->num))
			return in->status = SK_AGG_NAN;
		break;
	}
	/* NaN is no number to aggregate: skipped like an empty field */
	if (input == SK_AGG_IN_NUM && isnan(in->num.d))
		return in->status = SK_AGG_SKIP;
	return in->status = SK_AGG_OK;
}

/* --- lists and blocks --- */

void sk_aggs_push(sk_aggs *L, const sk_agg *a)
{
	SK_GROW(L->a, L->cap, L->n + 1);
	L->a[L->n] = *a;
	/* 8-byte alignment saves memory per group; a state that needs
	 * more (long doubles) says so */
	size_t al = a->def->align > SK_AGG_ALIGN ? a->def->align : SK_AGG_ALIGN;
	if (al > L->align)
		L->align = al;
	L->size = (L->size + al - 1) & ~(al - 1);
	L->a[L->n].off = L->size;
	L->size += a->def->size;
	L->n++;
}

void sk_aggs_init_block(const sk_aggs *L, void *block)
{
	for (size_t i = 0; i < L->n; i++)
		sk_agg_init(&L->a[i], (char *)block + L->a[i].off);
}

int sk_aggs_merge_exact(const sk_aggs *L)
{
	for (size_t i = 0; i < L->n; i++)
		if (L->a[i].def->sketch &&
		    strcmp(L->a[i].def->name, "approx_distinct") != 0)
			return 0;
	return 1;
}

void sk_aggs_merge_block(const sk_aggs *L, void *dst, const void *src)
{
	for (size_t i = 0; i < L->n; i++)
		sk_agg_merge(&L->a[i], (char *)dst + L->a[i].off,
			     (const char *)src + L->a[i].off);
}

void sk_aggs_free_block(const sk_aggs *L, void *block)
{
	for (size_t i = 0; i < L->n; i++)
		sk_agg_free(&L->a[i], (char *)block + L->a[i].off);
}

void sk_aggs_free(sk_aggs *L)
{
	for (size_t i = 0; i < L->n; i++) {
		free(L->a[i].name);
		free(L->a[i].call);
	}
	free(L->a);
	memset(L, 0, sizeof *L);
}

/* --- text form of states --- */

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void sk_b64_enc(sk_buf *out, const void *p, size_t n)
{
	const unsigned char *s = p;
	sk_buf_reserve(out, (n + 2) / 3 * 4);
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		char t[4] = { b64[v >> 18], b64[(v >> 12) & 63],
			      i + 1 < n ? b64[(v >> 6) & 63] : '=',
			      i + 2 < n ? b64[v & 63] : '=' };
		sk_buf_put(out, t, 4);
	}
}

int sk_b64_dec(sk_buf *out, const char *p, size_t n)
{
	static _Thread_local signed char rev[256];
	if (!rev['B']) {
		memset(rev, -1, sizeof rev);
		for (int i = 0; i < 64; i++)
			rev[(unsigned char)b64[i]] = (signed char)i;
	}
	if (n % 4)
		return 0;
	for (size_t i = 0; i < n; i += 4) {
		int pad = (p[i + 3] == '=') + (p[i + 2] == '=');
		if (pad && i + 4 != n)
			return 0;
		int c[4];
		for (int j = 0; j < 4 - pad; j++)
			if ((c[j] = rev[(unsigned char)p[i + j]]) < 0)
				return 0;
		for (int j = 4 - pad; j < 4; j++)
			c[j] = 0;
		uint32_t v = (uint32_t)c[0] << 18 | (uint32_t)c[1] << 12 |
			(uint32_t)c[2] << 6 | (uint32_t)c[3];
		sk_buf_putc(out, (int)(v >> 16));
		if (pad < 2)
			sk_buf_putc(out, (int)((v >> 8) & 255));
		if (pad < 1)
			sk_buf_putc(out, (int)(v & 255));
	}
	return 1;
}

void sk_agg_state_write(const sk_agg *a, const void *st, sk_buf *out)
{
	static sk_buf bin; /* reused: no allocation per group */
	sk_buf_clear(&bin);
	const char *call = a->call ? a->call : a->def->name;
	sk_ser_bytes(&bin, call, strlen(call));
	a->def->ser(a, st, &bin);
	sk_b64_enc(out, bin.p, bin.len);
}

int sk_agg_state_read(const sk_agg *a, void *st, const char *p, size_t n,
		      sk_buf *err)
{
	static sk_buf bin;
	sk_buf_clear(&bin);
	if (!sk_b64_dec(&bin, p, n) || bin.len == 0) {
		sk_buf_puts(err, "not an aggregate state");
		return 0;
	}
	sk_de d;
	sk_de_init(&d, bin.p, bin.len);
	size_t cn;
	const char *call = sk_de_bytes(&d, &cn);
	const char *want = a->call ? a->call : a->def->name;
	if (d.err) {
		sk_buf_puts(err, "not an aggregate state");
		return 0;
	}
	if (cn != strlen(want) || memcmp(call, want, cn) != 0) {
		sk_buf_printf(err, "state of '%.*s', not '%s'", (int)cn, call,
			      want);
		return 0;
	}
	if (!a->def->de(a, st, &d) || d.err || d.p != d.end) {
		sk_buf_printf(err, "corrupt state of '%s': %s", want,
			      d.err ? (d.why ? d.why : "out of range") :
			      "bytes after the end");
		return 0;
	}
	return 1;
}

/* first and last keep the arrival number of their value (st_bytes). */
static int keeps_seq(const sk_agg *a)
{
	return a->def->add == first_add || a->def->add == last_add;
}

uint64_t sk_agg_seq(const sk_agg *a, const void *st)
{
	return keeps_seq(a) ? ((const st_bytes *)st)->seq : 0;
}

void sk_agg_seq_set(const sk_agg *a, void *st, uint64_t seq)
{
	if (keeps_seq(a))
		((st_bytes *)st)->seq = seq;
}
