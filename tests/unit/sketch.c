/* sk_sketch accuracy with fixed seeds: HyperLogLog within 2%, DDSketch
 * within its 1% relative bound, SpaceSaving finds a Zipf stream's heavy
 * hitters; and merges of parts equal (or bound) one sketch of all. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_hash.h"
#include "sk_sketch.h"
#include "tap.h"

static uint64_t rng = 12345;
static uint64_t rnd64(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}
static double unif(void)
{
	return ((double)(rnd64() >> 11) + 0.5) / 9007199254740992.0;
}
static double gauss(void)
{
	return sqrt(-2 * log(unif())) * cos(2 * M_PI * unif());
}

static void hll_case(int n)
{
	sk_hll h = { 0 }, a = { 0 }, b = { 0 };
	char k[32];
	for (int i = 0; i < n; i++) {
		int len = snprintf(k, sizeof k, "10.%d.%d.%d", i >> 16,
				   (i >> 8) & 255, i & 255);
		uint64_t hv = sk_hash_bytes(k, (size_t)len);
		sk_hll_add(&h, hv);
		sk_hll_add(&h, hv); /* repeats do not count */
		sk_hll_add(i % 3 ? &a : &b, hv);
	}
	double e = sk_hll_estimate(&h);
	ok(fabs(e / n - 1) < 0.02, "hll: %d distinct within 2%% (%.0f)", n, e);
	sk_hll_merge(&a, &b);
	sk_buf s = { 0 };
	sk_hll_ser(&a, &s);
	sk_hll c = { 0 };
	sk_de d;
	sk_de_init(&d, s.p, s.len);
	ok(sk_hll_de(&c, &d) && sk_hll_estimate(&c) == e,
	   "hll: merge of parts, serialized, == one sketch");
	sk_buf_free(&s);
	sk_hll_free(&h);
	sk_hll_free(&a);
	sk_hll_free(&b);
	sk_hll_free(&c);
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void dd_case(const char *what, double *v, size_t n)
{
	sk_dd s, p[3];
	memset(&s, 0, sizeof s);
	memset(p, 0, sizeof p);
	for (size_t i = 0; i < n; i++) {
		sk_dd_add(&s, v[i]);
		sk_dd_add(&p[i % 3], v[i]);
	}
	sk_dd_merge(&p[0], &p[1]);
	sk_dd_merge(&p[0], &p[2]);
	qsort(v, n, sizeof *v, dbl_cmp);
	const double qs[] = { 0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1 };
	int good = 1, same = 1;
	for (size_t j = 0; j < sizeof qs / sizeof *qs; j++) {
		double exact = v[(size_t)floor(qs[j] * (double)(n - 1))];
		double got = sk_dd_quantile(&s, qs[j]);
		if (fabs(got - exact) > 0.01 * fabs(exact) + 1e-12) {
			good = 0;
			printf("# %s q=%g exact %.17g got %.17g\n", what, qs[j],
			       exact, got);
		}
		same &= got == sk_dd_quantile(&p[0], qs[j]);
	}
	ok(good, "ddsketch: %s within 1%% relative", what);
	ok(same, "ddsketch: %s merge == one sketch", what);
	sk_buf b = { 0 };
	sk_dd_ser(&s, &b);
	sk_dd t = { 0 };
	sk_de d;
	sk_de_init(&d, b.p, b.len);
	ok(sk_dd_de(&t, &d) && d.p == d.end &&
	   sk_dd_quantile(&t, 0.37) == sk_dd_quantile(&s, 0.37),
	   "ddsketch: serialization round trip");
	sk_buf_free(&b);
	sk_dd_free(&s);
	sk_dd_free(&t);
	for (int i = 0; i < 3; i++)
		sk_dd_free(&p[i]);
}

/* The registers of the values i in [lo, hi), computed here the plain
 * way (one byte each) as a dense sketch holds them. */
static void ref_regs(uint8_t *reg, int lo, int hi)
{
	char k[32];
	for (int i = lo; i < hi; i++) {
		int len = snprintf(k, sizeof k, "v%d", i);
		uint64_t h = sk_hash_bytes(k, (size_t)len);
		uint32_t idx = (uint32_t)(h >> (64 - SK_HLL_P));
		uint64_t w = h << SK_HLL_P | (UINT64_C(1) << (SK_HLL_P - 1));
		uint8_t r = (uint8_t)(__builtin_clzll(w) + 1);
		if (r > reg[idx])
			reg[idx] = r;
	}
}

static void hll_feed(sk_hll *h, int lo, int hi)
{
	char k[32];
	for (int i = lo; i < hi; i++) {
		int len = snprintf(k, sizeof k, "v%d", i);
		sk_hll_add(h, sk_hash_bytes(k, (size_t)len));
	}
}

static int same_ser(const sk_hll *a, const sk_hll *b)
{
	sk_buf x = { 0 }, y = { 0 };
	sk_hll_ser(a, &x);
	sk_hll_ser(b, &y);
	int same = x.len == y.len && memcmp(x.p, y.p, x.len) == 0;
	sk_buf_free(&x);
	sk_buf_free(&y);
	return same;
}

/* A sketch of n values, sparse or dense as it grew, against the dense
 * registers of the same values: the same estimate and serialized form;
 * merged with sparse and dense sketches in every order, the same as the
 * registers' maximum; and the memory it holds. */
/* Heap bytes a sketch holds, from its documented layout. */
static size_t hll_bytes(const sk_hll *h)
{
	if (!h->p)
		return 0;
	return h->cap ? h->cap * sizeof(uint32_t) : SK_HLL_M;
}

static void hll_forms(int n, size_t max_bytes)
{
	static uint8_t reg[SK_HLL_M], reg2[SK_HLL_M];
	memset(reg, 0, sizeof reg);
	ref_regs(reg, 0, n);
	sk_hll h = { 0 };
	hll_feed(&h, 0, n);
	sk_hll ref = { reg, 0, 0 }; /* the dense form, borrowed */
	ok(sk_hll_estimate(&h) == sk_hll_estimate(&ref) && same_ser(&h, &ref),
	   "hll: %d values: the estimate and state of the dense registers (%.0f)",
	   n, sk_hll_estimate(&h));
	ok(hll_bytes(&h) <= max_bytes, "hll: %d values hold %zu bytes (<= %zu)",
	   n, hll_bytes(&h), max_bytes);
	/* merges: with 5 values (sparse) and with 20000 others (dense) */
	int okm = 1;
	for (int other = 0; other < 2; other++) {
		int m = other ? 20000 : 5;
		memcpy(reg2, reg, sizeof reg);
		ref_regs(reg2, 1000000, 1000000 + m);
		sk_hll want = { reg2, 0, 0 };
		sk_hll o = { 0 }, a = { 0 }, b = { 0 };
		hll_feed(&o, 1000000, 1000000 + m);
		sk_hll_merge(&a, &h);
		sk_hll_merge(&a, &o);
		sk_hll_merge(&b, &o);
		sk_hll_merge(&b, &h);
		/* through the serialized form too */
		sk_buf sb = { 0 };
		sk_hll_ser(&a, &sb);
		sk_hll c = { 0 };
		sk_de d;
		sk_de_init(&d, sb.p, sb.len);
		okm &= sk_hll_de(&c, &d) && d.p == d.end;
		double e = sk_hll_estimate(&want);
		okm &= sk_hll_estimate(&a) == e && sk_hll_estimate(&b) == e &&
			sk_hll_estimate(&c) == e && same_ser(&a, &want) &&
			same_ser(&b, &want) && same_ser(&c, &want);
		sk_buf_free(&sb);
		sk_hll_free(&o);
		sk_hll_free(&a);
		sk_hll_free(&b);
		sk_hll_free(&c);
	}
	ok(okm, "hll: %d values merged with sparse and dense, both orders, "
	   "through the state: as the registers' maximum", n);
	sk_hll_free(&h);
}

int main(void)
{
	/* sparse until 1536 registers are set, then dense */
	hll_forms(0, 0);
	hll_forms(1, 16);
	hll_forms(3, 16);
	hll_forms(4, 32);
	hll_forms(100, 1024);
	hll_forms(1400, 8192);
	hll_forms(3000, SK_HLL_M);
	hll_forms(200000, SK_HLL_M);
	{
		/* top: the counters grow with the values, up to m */
		sk_top t;
		sk_top_init(&t, 64);
		sk_top_add(&t, "a", 1, sk_hash_bytes("a", 1), 1);
		int small = t.cap == 2;
		char k[16];
		for (int i = 0; i < 1000; i++) {
			int len = snprintf(k, sizeof k, "%d", i);
			sk_top_add(&t, k, (size_t)len, sk_hash_bytes(k, (size_t)len), 1);
		}
		ok(small && t.cap == 64 && t.len == 64,
		   "top: 2 counters for one value, 64 (m) for many");
		sk_top_free(&t);
	}

	hll_case(1000);
	hll_case(100000);
	hll_case(1000000);

	size_t n = 200000;
	double *v = malloc(n * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = unif() * 1000;
	dd_case("uniform", v, n);
	for (size_t i = 0; i < n; i++)
		v[i] = exp(3 + 2 * gauss());
	dd_case("lognormal", v, n);
	for (size_t i = 0; i < n; i++)
		v[i] = i % 2 ? 10 + gauss() : 5000 + 100 * gauss();
	dd_case("bimodal", v, n);
	for (size_t i = 0; i < n; i++)
		v[i] = gauss() * 100;
	dd_case("normal around 0", v, n);
	free(v);

	/* Zipf(1.1) over 10^5 values: the true top 10 are found */
	{
		enum { U = 100000, N = 1000000, K = 10 };
		double *cdf = malloc(U * sizeof *cdf), z = 0;
		for (int i = 0; i < U; i++)
			cdf[i] = z += pow(i + 1, -1.1);
		uint32_t *cnt = calloc(U, sizeof *cnt);
		sk_top t, a, b;
		sk_top_init(&t, K * 10);
		sk_top_init(&a, K * 10);
		sk_top_init(&b, K * 10);
		char k[16];
		for (int i = 0; i < N; i++) {
			double u = unif() * z;
			int lo = 0, hi = U - 1;
			while (lo < hi) {
				int mid = (lo + hi) / 2;
				if (cdf[mid] < u)
					lo = mid + 1;
				else
					hi = mid;
			}
			/* a scrambled label, so rank is not the byte order */
			int len = snprintf(k, sizeof k, "v%d", (lo * 7919) % U);
			uint64_t hv = sk_hash_bytes(k, (size_t)len);
			cnt[lo]++;
			sk_top_add(&t, k, (size_t)len, hv, 1);
			sk_top_add(i < N / 3 ? &a : &b, k, (size_t)len, hv, 1);
		}
		sk_top_merge(&a, &b);
		sk_top_sort(&t);
		sk_top_sort(&a);
		int good = 1, mgood = 1;
		for (int r = 0; r < K; r++) {
			int len = snprintf(k, sizeof k, "v%d", (r * 7919) % U);
			int found = 0, mfound = 0;
			for (int j = 0; j < K; j++) {
				found |= t.ent[j].n == (size_t)len &&
					!memcmp(t.ent[j].p, k, (size_t)len) &&
					t.ent[j].count - t.ent[j].err <= cnt[r] &&
					cnt[r] <= t.ent[j].count;
				mfound |= a.ent[j].n == (size_t)len &&
					!memcmp(a.ent[j].p, k, (size_t)len);
			}
			good &= found;
			mgood &= mfound;
		}
		ok(good, "spacesaving: true top 10 of Zipf, counts bounded");
		ok(mgood, "spacesaving: merged parts find the same top 10");
		sk_buf s = { 0 };
		sk_top_ser(&t, &s);
		sk_top c;
		sk_top_init(&c, K * 10);
		sk_de d;
		sk_de_init(&d, s.p, s.len);
		ok(sk_top_de(&c, &d) && c.len == t.len &&
		   c.ent[0].count == t.ent[0].count, "spacesaving: round trip");
		sk_buf_free(&s);
		sk_top_free(&t);
		sk_top_free(&a);
		sk_top_free(&b);
		sk_top_free(&c);
		free(cdf);
		free(cnt);
	}

	/* malformed input is refused, never a crash */
	{
		sk_de d;
		sk_dd s = { 0 };
		sk_de_init(&d, "\x05\x01", 2);
		ok(!sk_dd_de(&s, &d), "ddsketch: truncated state refused");
		sk_dd_free(&s);
		sk_hll h = { 0 };
		sk_de_init(&d, "s\xff\xff\xff", 4);
		ok(!sk_hll_de(&h, &d), "hll: bad state refused");
		sk_hll_free(&h);
	}
	return tap_done();
}
