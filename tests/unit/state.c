/* The --merge state reader against damaged states: for every aggregate, a
 * small state with every byte flipped (each bit, then 0x00 and 0xff) and
 * every truncation. A damaged state is refused with a reason, or read into
 * a state that gives a result, merges, and writes a state the reader
 * takes back (never a crash: run under check-san too). Then the kinds of
 * damage one by one, with their exact messages. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_agg.h"
#include "sk_sketch.h"
#include "tap.h"

static sk_agg mk(const char *name, int nargs, double c, const char *call)
{
	sk_agg a;
	sk_num k[2] = { { 0, 0, 0 }, { c == floor(c), (int64_t)c, c } };
	const char *err = sk_agg_config(&a, name, (size_t)nargs, k);
	if (err) {
		printf("# config %s: %s\n", name, err);
		exit(1);
	}
	a.call = (char *)call;
	return a;
}

static _Alignas(16) char st[3][256];

static void feed(sk_agg *a, void *s, const char **vals)
{
	for (size_t i = 0; vals[i]; i++) {
		sk_value v = sk_v_str(vals[i], strlen(vals[i]));
		v.fromfield = 1;
		sk_agg_in in;
		sk_agg_check(a, &v, &in);
		sk_agg_add(a, s, &in);
	}
}

/* The binary form of a state made from vals (base64 decoded). */
static void state_bin(sk_agg *a, const char **vals, sk_buf *bin)
{
	sk_buf txt = { 0 };
	sk_agg_init(a, st[0]);
	feed(a, st[0], vals);
	sk_agg_state_write(a, st[0], &txt);
	sk_agg_free(a, st[0]);
	sk_buf_clear(bin);
	sk_b64_dec(bin, txt.p, txt.len);
	sk_buf_free(&txt);
}

/* Reads bin (as --merge would); on success uses the state every way.
 * Returns -1 refused (with a message), 1 taken and consistent, 0 taken
 * but its own written form is refused, or refused without a reason. */
static int try_state(sk_agg *a, const void *bin, size_t n, sk_buf *err)
{
	sk_buf txt = { 0 }, out = { 0 }, again = { 0 };
	sk_b64_enc(&txt, bin, n);
	sk_buf_clear(err);
	sk_agg_init(a, st[1]);
	int r;
	if (!sk_agg_state_read(a, st[1], txt.p ? txt.p : "", txt.len, err)) {
		r = err->len ? -1 : 0;
	} else {
		sk_agg_result(a, st[1], 1, &out);
		sk_agg_init(a, st[2]);
		sk_agg_merge(a, st[2], st[1]);
		sk_agg_merge(a, st[2], st[1]);
		sk_agg_result(a, st[2], 1, &out);
		sk_agg_state_write(a, st[2], &again);
		sk_agg_free(a, st[2]);
		sk_agg_init(a, st[2]);
		sk_buf e2 = { 0 };
		r = sk_agg_state_read(a, st[2], again.p, again.len, &e2);
		if (!r)
			printf("#   %s: merged state refused: %s\n", a->call, e2.p);
		sk_buf_free(&e2);
		sk_agg_free(a, st[2]);
	}
	sk_agg_free(a, st[1]);
	sk_buf_free(&txt);
	sk_buf_free(&out);
	sk_buf_free(&again);
	return r;
}

static void damage(const char *name, int nargs, double c, const char *call,
		   const char **vals)
{
	sk_agg a = mk(name, nargs, c, call);
	sk_buf bin = { 0 }, err = { 0 };
	state_bin(&a, vals, &bin);
	unsigned char *p = malloc(bin.len + 1);
	size_t refused = 0, taken = 0, bad = 0;
	for (size_t i = 0; i < bin.len; i++) {
		static const int masks[] = { 1, 2, 4, 8, 16, 32, 64, 128, -1, -2 };
		for (size_t m = 0; m < sizeof masks / sizeof *masks; m++) {
			memcpy(p, bin.p, bin.len);
			if (masks[m] == -1)
				p[i] = 0;
			else if (masks[m] == -2)
				p[i] = 0xff;
			else
				p[i] ^= (unsigned char)masks[m];
			int r = try_state(&a, p, bin.len, &err);
			r < 0 ? refused++ : r ? taken++ : bad++;
		}
	}
	for (size_t n = 0; n < bin.len; n++) {
		int r = try_state(&a, bin.p, n, &err);
		r < 0 ? refused++ : r ? taken++ : bad++;
	}
	ok(bad == 0 && try_state(&a, bin.p, bin.len, &err) == 1,
	   "%s: %zu damaged states refused, %zu taken, none crash", call,
	   refused, taken);
	free(p);
	sk_buf_free(&bin);
	sk_buf_free(&err);
}

/* A state of call built by hand from ser, read by a: the message. */
static const char *refuse(sk_agg *a, sk_buf *bin)
{
	static sk_buf err;
	sk_buf full = { 0 };
	sk_ser_bytes(&full, a->call, strlen(a->call));
	sk_buf_put(&full, bin->p, bin->len);
	int r = try_state(a, full.p, full.len, &err);
	sk_buf_free(&full);
	sk_buf_clear(bin);
	return r < 0 ? err.p : "<taken>";
}

static void expect_refused(sk_agg *a, sk_buf *bin, const char *want)
{
	const char *got = refuse(a, bin);
	int same = strcmp(got, want) == 0;
	ok(same, "%s refused: %s", a->call, want);
	if (!same)
		printf("#   got '%s'\n", got);
}

int main(void)
{
	const char *v[] = { "3", "1", "", "-4", "1.5", "inf", "nan", "zz", NULL };
	const char *w[] = { "3", "1", "-4", "1.5", "1e300", "-0", NULL };
	damage("count", 0, 0, "count", v);
	damage("count_if", 1, 0, "count_if(x)", v);
	damage("sum", 1, 0, "sum(x)", w);
	damage("mean", 1, 0, "mean(x)", w);
	damage("min", 1, 0, "min(x)", w);
	damage("max", 1, 0, "max(x)", w);
	damage("first", 1, 0, "first(x)", v);
	damage("last", 1, 0, "last(x)", v);
	damage("var", 1, 0, "var(x)", w);
	damage("p90", 1, 0, "p90(x)", w);
	damage("mode", 1, 0, "mode(x)", w);
	damage("distinct", 1, 0, "distinct(x)", v);
	damage("approx_distinct", 1, 0, "approx_distinct(x)", v);
	damage("approx_p", 2, 0.5, "approx_p(x, 0.5)", w);
	const char *iv[] = { "-inf", "inf", "1", "0", "-2", NULL };
	damage("approx_p", 2, 0.5, "approx_p(x, 0.5)", iv);
	damage("top", 2, 2, "top(x, 2)", v);
	/* a dense HyperLogLog */
	{
		static char buf[20000][12];
		static const char *many[20001];
		for (int i = 0; i < 20000; i++) {
			snprintf(buf[i], sizeof buf[i], "%d", i);
			many[i] = buf[i];
		}
		sk_agg a = mk("approx_distinct", 1, 0, "approx_distinct(x)");
		sk_buf bin = { 0 }, err = { 0 };
		state_bin(&a, many, &bin);
		ok(bin.len > SK_HLL_M && try_state(&a, bin.p, bin.len, &err) == 1,
		   "dense HyperLogLog state read back");
		size_t at = bin.len - 100;
		bin.p[at] = 52;
		ok(try_state(&a, bin.p, bin.len, &err) < 0 &&
		   strcmp(err.p, "corrupt state of 'approx_distinct(x)': "
			  "HyperLogLog: register value out of range") == 0,
		   "dense register of 52 refused");
		sk_buf_free(&bin);
		sk_buf_free(&err);
	}

	/* each kind of damage, by hand */
	sk_buf b = { 0 };
	sk_agg hll = mk("approx_distinct", 1, 0, "approx_distinct(x)");
	sk_buf_putc(&b, 's');
	sk_ser_u64(&b, 1);
	sk_ser_u64(&b, 7);
	sk_buf_putc(&b, SK_HLL_RMAX);
	ok(strcmp(refuse(&hll, &b), "<taken>") == 0, "hll: register 51 taken");
	sk_buf_putc(&b, 's');
	sk_ser_u64(&b, 1);
	sk_ser_u64(&b, 7);
	sk_buf_putc(&b, SK_HLL_RMAX + 1);
	expect_refused(&hll, &b, "corrupt state of 'approx_distinct(x)': "
		       "HyperLogLog: register value out of range");
	sk_buf_putc(&b, 's');
	sk_ser_u64(&b, 2);
	sk_ser_u64(&b, 7);
	sk_buf_putc(&b, 3);
	sk_ser_u64(&b, 0);
	sk_buf_putc(&b, 3);
	expect_refused(&hll, &b, "corrupt state of 'approx_distinct(x)': "
		       "HyperLogLog: register index out of range");
	sk_buf_putc(&b, 's');
	sk_ser_u64(&b, 1);
	sk_ser_u64(&b, SK_HLL_M);
	sk_buf_putc(&b, 3);
	expect_refused(&hll, &b, "corrupt state of 'approx_distinct(x)': "
		       "HyperLogLog: register index out of range");
	sk_buf_putc(&b, 's');
	sk_ser_u64(&b, SK_HLL_M + 1);
	expect_refused(&hll, &b, "corrupt state of 'approx_distinct(x)': "
		       "HyperLogLog: more registers than 16384");
	sk_buf_putc(&b, 'x');
	expect_refused(&hll, &b, "corrupt state of 'approx_distinct(x)': "
		       "HyperLogLog: unknown form");
	sk_buf_putc(&b, 'd');
	sk_buf_put(&b, "\1\2", 2);
	expect_refused(&hll, &b, "corrupt state of 'approx_distinct(x)': "
		       "truncated");

	sk_agg cnt = mk("count", 0, 0, "count");
	sk_ser_u64(&b, (uint64_t)INT64_MAX + 1);
	expect_refused(&cnt, &b, "corrupt state of 'count': count out of range");
	sk_buf_put(&b, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 10);
	expect_refused(&cnt, &b, "corrupt state of 'count': bad varint");
	sk_ser_u64(&b, 1);
	sk_ser_u64(&b, 1);
	expect_refused(&cnt, &b, "corrupt state of 'count': bytes after the end");

	sk_agg sum = mk("sum", 1, 0, "sum(x)");
	sk_ser_u64(&b, 2);
	sk_ser_u64(&b, 0);
	sk_ser_i64(&b, 0);
	sk_ser_u64(&b, 2);
	expect_refused(&sum, &b, "corrupt state of 'sum(x)': sum: flag out of range");
	sk_ser_u64(&b, (uint64_t)INT64_MAX + 1);
	sk_ser_u64(&b, 0);
	sk_ser_i64(&b, 0);
	sk_ser_u64(&b, 0);
	expect_refused(&sum, &b, "corrupt state of 'sum(x)': sum: count out of range");
	sk_ser_u64(&b, 2);
	sk_ser_u64(&b, 0);
	sk_ser_i64(&b, 0);
	sk_ser_u64(&b, 1);
	sk_ser_f64(&b, 1);
	sk_ser_f64(&b, NAN);
	expect_refused(&sum, &b, "corrupt state of 'sum(x)': sum: compensation out of range");
	sk_ser_u64(&b, 0);
	sk_ser_u64(&b, 5);
	sk_ser_i64(&b, 0);
	sk_ser_u64(&b, 0);
	expect_refused(&sum, &b, "corrupt state of 'sum(x)': sum: integer part out of range");
	sk_ser_u64(&b, 1);
	sk_ser_u64(&b, 0);
	sk_ser_i64(&b, 1);
	sk_ser_u64(&b, 0);
	expect_refused(&sum, &b, "corrupt state of 'sum(x)': sum: integer part out of range");
	sk_ser_u64(&b, 0);
	sk_ser_u64(&b, 0);
	sk_ser_i64(&b, 0);
	sk_ser_u64(&b, 1);
	sk_ser_f64(&b, 1);
	sk_ser_f64(&b, 0);
	expect_refused(&sum, &b, "corrupt state of 'sum(x)': sum: a sum of nothing that is not 0");
	sk_ser_u64(&b, 2);
	sk_ser_u64(&b, 0);
	sk_ser_i64(&b, 0);
	sk_ser_u64(&b, 1);
	sk_ser_f64(&b, INFINITY);
	sk_ser_f64(&b, 0);
	ok(strcmp(refuse(&sum, &b), "<taken>") == 0, "sum: an infinite sum taken");

	sk_agg mn = mk("min", 1, 0, "min(x)");
	sk_ser_u64(&b, 1);
	sk_ser_u64(&b, 0);
	sk_ser_i64(&b, 0);
	sk_ser_f64(&b, NAN);
	expect_refused(&mn, &b, "corrupt state of 'min(x)': min/max: value out of range");
	sk_ser_u64(&b, 1);
	sk_ser_u64(&b, 1);
	sk_ser_i64(&b, 3);
	sk_ser_f64(&b, 4);
	expect_refused(&mn, &b, "corrupt state of 'min(x)': min/max: value out of range");

	sk_agg fst = mk("first", 1, 0, "first(x)");
	sk_ser_u64(&b, 9);
	expect_refused(&fst, &b, "corrupt state of 'first(x)': first/last: kind out of range");
	sk_ser_u64(&b, 1 + SK_FK_JSON);
	sk_ser_bytes(&b, "1,\"y\":2", 7);
	expect_refused(&fst, &b, "corrupt state of 'first(x)': first/last: not a JSON literal");
	sk_ser_u64(&b, 1 + SK_FK_JSON);
	sk_ser_bytes(&b, "-1.5e3", 6);
	ok(strcmp(refuse(&fst, &b), "<taken>") == 0, "first: a JSON number taken");
	sk_ser_u64(&b, 1);
	sk_ser_bytes(&b, "", 0);
	expect_refused(&fst, &b, "corrupt state of 'first(x)': first/last: an empty value");
	sk_ser_u64(&b, 1);
	sk_ser_u64(&b, 1000);
	expect_refused(&fst, &b, "corrupt state of 'first(x)': truncated");

	sk_agg var = mk("var", 1, 0, "var(x)");
	sk_ser_u64(&b, 3);
	for (int i = 0; i < 4; i++)
		sk_ser_f64(&b, i == 2 ? -1 : 0);
	expect_refused(&var, &b, "corrupt state of 'var(x)': variance: value out of range");

	sk_agg p90 = mk("p90", 1, 0, "p90(x)");
	sk_ser_u64(&b, 2);
	sk_ser_f64(&b, 1);
	sk_ser_f64(&b, NAN);
	expect_refused(&p90, &b, "corrupt state of 'p90(x)': a NaN value");
	sk_ser_u64(&b, 3);
	sk_ser_f64(&b, 1);
	expect_refused(&p90, &b, "corrupt state of 'p90(x)': truncated");

	sk_agg dis = mk("distinct", 1, 0, "distinct(x)");
	sk_ser_u64(&b, 2);
	sk_ser_bytes(&b, "a", 1);
	sk_ser_bytes(&b, "a", 1);
	expect_refused(&dis, &b, "corrupt state of 'distinct(x)': distinct: a value twice");

	sk_agg dd = mk("approx_p", 2, 0.5, "approx_p(x, 0.5)");
	/* n, min, max, zero, pos (off, len, counts), neg, -inf, +inf */
#define DD(n, mn, mx, z, off, len, k, ni, pi) do { \
	sk_ser_u64(&b, n); sk_ser_f64(&b, mn); sk_ser_f64(&b, mx); \
	sk_ser_u64(&b, z); sk_ser_i64(&b, off); sk_ser_u64(&b, len); \
	for (int j_ = 0; j_ < (len); j_++) sk_ser_u64(&b, k); \
	sk_ser_i64(&b, 0); sk_ser_u64(&b, 0); \
	sk_ser_u64(&b, ni); sk_ser_u64(&b, pi); } while (0)
	DD(2, 1, 2, 0, 0, 2, 1, 0, 0);
	ok(strcmp(refuse(&dd, &b), "<taken>") == 0, "approx_p: a good state taken");
	DD(2, 1, 2, 0, 1000000, 2, 1, 0, 0);
	expect_refused(&dd, &b, "corrupt state of 'approx_p(x, 0.5)': DDSketch: bucket index out of range");
	DD(2, 1, 2, 0, 0, 3000, 0, 0, 0);
	expect_refused(&dd, &b, "corrupt state of 'approx_p(x, 0.5)': DDSketch: bucket index out of range");
	DD(3, 1, 2, 0, 0, 2, 1, 0, 0);
	expect_refused(&dd, &b, "corrupt state of 'approx_p(x, 0.5)': DDSketch: counts do not add up");
	DD(2, 2, 1, 0, 0, 2, 1, 0, 0);
	expect_refused(&dd, &b, "corrupt state of 'approx_p(x, 0.5)': DDSketch: min and max out of order or NaN");
	DD(2, NAN, 1, 0, 0, 2, 1, 0, 0);
	expect_refused(&dd, &b, "corrupt state of 'approx_p(x, 0.5)': DDSketch: min and max out of order or NaN");
	DD(3, 1, 2, 0, 0, 2, 1, 0, 1);
	expect_refused(&dd, &b, "corrupt state of 'approx_p(x, 0.5)': DDSketch: min or max does not fit the counts");
	DD(2, 1, 2, 0, 0, 2, UINT64_MAX, 0, 0);
	expect_refused(&dd, &b, "corrupt state of 'approx_p(x, 0.5)': DDSketch: counts overflow");

	sk_agg top = mk("top", 2, 2, "top(x, 2)");
	sk_ser_u64(&b, 65);
	expect_refused(&top, &b, "corrupt state of 'top(x, 2)': top: more counters than the sketch holds");
	sk_ser_u64(&b, 1);
	sk_ser_bytes(&b, "a", 1);
	sk_ser_u64(&b, 2);
	sk_ser_u64(&b, 2);
	expect_refused(&top, &b, "corrupt state of 'top(x, 2)': top: count out of range");
	sk_ser_u64(&b, 2);
	sk_ser_bytes(&b, "a", 1);
	sk_ser_u64(&b, 2);
	sk_ser_u64(&b, 0);
	sk_ser_bytes(&b, "a", 1);
	sk_ser_u64(&b, 1);
	sk_ser_u64(&b, 0);
	expect_refused(&top, &b, "corrupt state of 'top(x, 2)': top: a value twice");
	sk_buf_free(&b);
	return tap_done();
}
