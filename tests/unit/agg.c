/* sk_agg and sk_hash: every aggregate on small exact cases, merges of
 * split inputs equal to one run, the text form of states, the hash table. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_agg.h"
#include "sk_hash.h"
#include "sk_num.h"
#include "tap.h"

/* Configures name(x[, c]) with c the constant second argument. */
static sk_agg mk(const char *name, int nargs, double c)
{
	sk_agg a;
	sk_num k[2] = { { 0, 0, 0 }, { c == floor(c), (int64_t)c, c } };
	const char *err = sk_agg_config(&a, name, (size_t)nargs, k);
	if (err) {
		printf("# config %s: %s\n", name, err);
		exit(1);
	}
	return a;
}

static _Alignas(16) char st[4][256];

/* Feeds the values (strings; NULL ends) into st[0] and returns the result
 * text ("<none>" for no value). */
static const char *run(sk_agg *a, const char **vals)
{
	static sk_buf out;
	sk_buf_clear(&out);
	sk_agg_init(a, st[0]);
	for (size_t i = 0; vals[i]; i++) {
		sk_value v = sk_v_str(vals[i], strlen(vals[i]));
		v.fromfield = 1;
		sk_agg_in in;
		sk_agg_check(a, &v, &in);
		sk_agg_add(a, st[0], &in);
	}
	double total = a->needs_total ? 2 * sk_agg_share_part(a, st[0]) : 0;
	if (!sk_agg_result(a, st[0], total, &out))
		sk_buf_puts(&out, "<none>");
	sk_agg_free(a, st[0]);
	return out.p;
}

static void expect(const char *name, int nargs, double c, const char **vals,
		   const char *want)
{
	sk_agg a = mk(name, nargs, c);
	const char *got = run(&a, vals);
	char desc[200];
	snprintf(desc, sizeof desc, "%s = %s", name, want);
	ok(strcmp(got, want) == 0, "%s", desc);
	if (strcmp(got, want) != 0)
		printf("#   got '%s'\n", got);
}

/* One state over all values vs. the merge of three parts (through the
 * text form) must give the same result. */
static void split_merge(const char *name, int nargs, double c,
			const char **vals, size_t n)
{
	sk_agg a = mk(name, nargs, c);
	a.call = "x";
	static sk_buf r1, r2, txt, err;
	sk_buf_clear(&r1);
	sk_buf_clear(&r2);
	sk_agg_init(&a, st[0]);
	sk_agg_init(&a, st[3]);
	size_t cut[4] = { 0, n / 3, n / 3 + 1, n };
	int good = 1;
	for (int part = 0; part < 3; part++) {
		sk_agg_init(&a, st[1]);
		for (size_t i = cut[part]; i < cut[part + 1]; i++) {
			sk_value v = sk_v_str(vals[i], strlen(vals[i]));
			sk_agg_in in;
			sk_agg_check(&a, &v, &in);
			sk_agg_add(&a, st[0], &in);
			sk_agg_add(&a, st[1], &in);
		}
		sk_buf_clear(&txt);
		sk_agg_state_write(&a, st[1], &txt);
		sk_agg_free(&a, st[1]);
		sk_agg_init(&a, st[2]);
		good &= sk_agg_state_read(&a, st[2], txt.p, txt.len, &err);
		sk_agg_merge(&a, st[3], st[2]);
		sk_agg_free(&a, st[2]);
	}
	sk_agg_result(&a, st[0], 10, &r1);
	sk_agg_result(&a, st[3], 10, &r2);
	if (strcmp(name, "top") == 0) {
		/* counts are estimates: the heavy hitters must agree */
		for (char *p = r1.p, *q = r2.p; *p || *q; p++, q++) {
			if (*p == ':')
				while (p[1] && p[1] != ';')
					memmove(p + 1, p + 2, strlen(p + 1));
			if (*q == ':')
				while (q[1] && q[1] != ';')
					memmove(q + 1, q + 2, strlen(q + 1));
			if (!*p || !*q)
				break;
		}
		r1.len = strlen(r1.p);
		r2.len = strlen(r2.p);
	}
	char desc[200];
	snprintf(desc, sizeof desc, "%s: merge of 3 partials == one run (%s)",
		 name, r1.p ? r1.p : "");
	ok(good && r1.len == r2.len && memcmp(r1.p, r2.p, r1.len) == 0, "%s", desc);
	if (!good || strcmp(r1.p, r2.p))
		printf("#   one run '%s', merged '%s' %s\n", r1.p, r2.p,
		       err.p ? err.p : "");
	sk_agg_free(&a, st[0]);
	sk_agg_free(&a, st[3]);
}

/* An aggregate's value (sk_agg_value, what --sort --top ranks groups by)
 * is the number its result text parses to (as row_cmp compares them: -0
 * is 0), on random inputs:
 * small and huge integers (sums past int64), floats of every magnitude,
 * infinities, no value. */
static void values_are_the_text(void)
{
	srand(11);
	for (const sk_agg_def *def = sk_agg_defs; def->name; def++) {
		if (!def->value)
			continue;
		sk_agg a = mk(def->name, def->minargs, 0);
		int bad = 0, tried = 0;
		for (int trial = 0; trial < 3000; trial++) {
			sk_agg_init(&a, st[0]);
			int n = rand() % 6;
			for (int i = 0; i < n; i++) {
				char b[64];
				switch (rand() % 5) {
				case 0: snprintf(b, sizeof b, "%d", rand() % 200 - 100); break;
				case 1: snprintf(b, sizeof b, "%lld", 9000000000000000000LL - rand()); break;
				case 2: snprintf(b, sizeof b, "%.17g", (rand() - RAND_MAX / 2) * pow(10, rand() % 40 - 20) / 7.0); break;
				case 3: snprintf(b, sizeof b, "%s", rand() % 2 ? "inf" : "-inf"); break;
				default: snprintf(b, sizeof b, "%.3f", rand() / 1000.0); break;
				}
				sk_value v = sk_v_str(b, strlen(b));
				v.fromfield = 1;
				sk_agg_in in;
				sk_agg_check(&a, &v, &in);
				sk_agg_add(&a, st[0], &in);
			}
			double total = a.needs_total ? 3 * sk_agg_share_part(&a, st[0]) - 1 : 0;
			sk_buf out = { 0 };
			double d = 0;
			int r = sk_agg_result(&a, st[0], total, &out);
			int v = sk_agg_value(&a, st[0], total, &d);
			sk_num x = { 0, 0, 0 };
			int parsed = r && sk_num_parse(out.p, out.len, &x);
			tried++;
			if ((r != 0) != (v == 1) || (r && (!parsed ||
			    (x.d != d && !(isnan(x.d) && isnan(d)))))) {
				if (!bad++)
					printf("# %s: text '%.*s', value %.17g\n", def->name,
					       (int)out.len, out.p ? out.p : "", d);
			}
			sk_buf_free(&out);
			sk_agg_free(&a, st[0]);
		}
		ok(!bad, "%s: the value is the result text's number (%d of %d differ)",
		   def->name, bad, tried);
	}
}

int main(void)
{
	const char *v1[] = { "3", "1", "", "4", "1", "5", "9", "2", "6", NULL };
	expect("count", 0, 0, v1, "9");
	expect("sum", 1, 0, v1, "31");
	expect("mean", 1, 0, v1, "3.875");
	expect("min", 1, 0, v1, "1");
	expect("max", 1, 0, v1, "9");
	expect("median", 1, 0, v1, "3.5");
	expect("p50", 1, 0, v1, "3.5");
	expect("p25", 1, 0, v1, "1.75");
	expect("p100", 1, 0, v1, "9");
	expect("p0", 1, 0, v1, "1");
	expect("p99.9", 1, 0, v1, "8.979000000000001");
	expect("mode", 1, 0, v1, "1");
	expect("first", 1, 0, v1, "3");
	expect("last", 1, 0, v1, "6");
	expect("distinct", 1, 0, v1, "7");
	expect("pvar", 1, 0, v1, "6.609375");
	expect("var", 1, 0, v1, "7.553571428571429");
	expect("share", 1, 0, v1, "0.5");
	expect("count_if", 1, 0, v1, "8");
	expect("approx_distinct", 1, 0, v1, "7");
	expect("approx_p", 2, 0.5, v1, "2.9742334234767016");
	expect("top", 2, 2, v1, "1:2;2:1");

	const char *empty[] = { "", NULL };
	expect("mean", 1, 0, empty, "<none>");
	expect("sum", 1, 0, empty, "<none>"); /* as in SQL */
	expect("var", 1, 0, v1 + 8, "<none>");
	expect("first", 1, 0, empty, "<none>");
	expect("min", 1, 0, empty, "<none>");

	/* exact integers up to 2^63, then a compensated fallback */
	const char *big[] = { "9007199254740993", "1", NULL };
	expect("sum", 1, 0, big, "9007199254740994");
	const char *huge[] = { "9223372036854775807", "-1", NULL };
	expect("sum", 1, 0, huge, "9223372036854775806");
	expect("max", 1, 0, huge, "9223372036854775807");
	const char *ovf[] = { "9223372036854775807", "9223372036854775807",
			      NULL };
	expect("sum", 1, 0, ovf, "18446744073709551614"); /* exact */
	const char *fl[] = { "0.1", "0.2", "0.3", "1e100", "-1e100", NULL };
	expect("sum", 1, 0, fl, "0.6");
	const char *neg[] = { "-2.5", "-0.5", "3", NULL };
	expect("min", 1, 0, neg, "-2.5");
	expect("mean", 1, 0, neg, "0");
	const char *ties[] = { "5", "2", "5", "2", "7", NULL };
	expect("mode", 1, 0, ties, "2");

	/* bad values */
	sk_agg a = mk("sum", 1, 0);
	sk_agg_in in;
	sk_value v = sk_v_str("12x", 3);
	ok(sk_agg_check(&a, &v, &in) == SK_AGG_NAN, "12x is not a number");
	v = sk_v_str("", 0);
	ok(sk_agg_check(&a, &v, &in) == SK_AGG_SKIP, "empty is skipped");
	a = mk("first", 1, 0);
	v = sk_v_str("12x", 3);
	ok(sk_agg_check(&a, &v, &in) == SK_AGG_OK, "first takes any bytes");

	/* config errors */
	sk_agg b;
	ok(strcmp(sk_agg_config(&b, "summ", 1, NULL),
		  "unknown aggregate 'summ' (did you mean 'sum'?)") == 0, "unknown aggregate");
	ok(strcmp(sk_agg_config(&b, "sum", 0, NULL),
		  "sum takes 1 argument") == 0, "arity");
	ok(strcmp(sk_agg_config(&b, "count", 1, NULL),
		  "count takes no argument") == 0, "count arity");
	ok(sk_agg_config(&b, "p101", 1, NULL) != NULL, "p101 unknown");

	/* merges through the text form */
	static char buf[2000][24];
	const char *vals[2001];
	uint64_t r = 7;
	for (int i = 0; i < 2000; i++) {
		r ^= r << 13, r ^= r >> 7, r ^= r << 17;
		int kind = (int)(r % 5);
		if (kind == 0)
			snprintf(buf[i], 24, "%d", (int)(r % 1000) - 500);
		else if (kind == 1)
			snprintf(buf[i], 24, "%.6g", (double)(r % 100000) / 7);
		else if (kind == 2)
			snprintf(buf[i], 24, "%s", "");
		else
			snprintf(buf[i], 24, "%d", (int)(r % 50));
		vals[i] = buf[i];
	}
	vals[2000] = NULL;
	const char *names[] = { "count", "sum", "mean", "min", "max", "median",
				"p90", "mode", "first", "last", "distinct",
				"approx_distinct", "share", "count_if", NULL };
	for (int i = 0; names[i]; i++)
		split_merge(names[i], strcmp(names[i], "count") != 0, 0, vals,
			    2000);
	split_merge("approx_p", 2, 0.9, vals, 2000);
	split_merge("top", 2, 3, vals, 2000);
	/* var: merged with Chan's formula, equal within rounding */
	{
		sk_agg w = mk("var", 1, 0);
		sk_agg_init(&w, st[0]);
		sk_agg_init(&w, st[1]);
		sk_agg_init(&w, st[2]);
		for (int i = 0; i < 2000; i++) {
			sk_value x = sk_v_str(vals[i], strlen(vals[i]));
			sk_agg_in wi;
			sk_agg_check(&w, &x, &wi);
			sk_agg_add(&w, st[0], &wi);
			sk_agg_add(&w, st[i < 700 ? 1 : 2], &wi);
		}
		sk_agg_merge(&w, st[1], st[2]);
		sk_buf r1 = { 0 }, r2 = { 0 };
		sk_agg_result(&w, st[0], 0, &r1);
		sk_agg_result(&w, st[1], 0, &r2);
		ok(fabs(atof(r1.p) / atof(r2.p) - 1) < 1e-12,
		   "var: merge within 1e-12");
		sk_buf_free(&r1);
		sk_buf_free(&r2);
	}

	/* a state of another aggregate is refused */
	{
		sk_agg s = mk("sum", 1, 0), m = mk("max", 1, 0);
		s.call = "sum(bytes)";
		m.call = "max(bytes)";
		sk_buf t = { 0 }, e = { 0 };
		sk_agg_init(&s, st[0]);
		sk_agg_state_write(&s, st[0], &t);
		sk_agg_init(&m, st[1]);
		ok(!sk_agg_state_read(&m, st[1], t.p, t.len, &e) &&
		   strcmp(e.p, "state of 'sum(bytes)', not 'max(bytes)'") == 0,
		   "merge refuses another aggregate's state");
		sk_buf_clear(&e);
		ok(!sk_agg_state_read(&s, st[0], "@@@@", 4, &e) &&
		   strcmp(e.p, "not an aggregate state") == 0, "garbage refused");
		sk_buf_free(&t);
		sk_buf_free(&e);
	}

	/* base64 */
	{
		sk_buf e = { 0 }, d = { 0 };
		sk_b64_enc(&e, "foobar", 6);
		ok(strcmp(e.p, "Zm9vYmFy") == 0, "base64 foobar");
		sk_buf_clear(&e);
		sk_b64_enc(&e, "fooba", 5);
		ok(strcmp(e.p, "Zm9vYmE=") == 0, "base64 fooba");
		ok(sk_b64_dec(&d, e.p, e.len) && d.len == 5 &&
		   memcmp(d.p, "fooba", 5) == 0, "base64 round trip");
		sk_buf_free(&e);
		sk_buf_free(&d);
	}

	/* a list's block layout */
	{
		sk_aggs L = { 0 };
		sk_agg x = mk("count", 0, 0), y = mk("sum", 1, 0);
		sk_aggs_push(&L, &x);
		sk_aggs_push(&L, &y);
		ok(L.a[0].off == 0 && L.a[1].off == 8 && L.size == 48,
		   "block layout");
		sk_aggs_free(&L);
	}

	/* the hash table: a million keys, insertion order, deletes */
	{
		sk_hash_type ty = { .val_size = sizeof(uint64_t) };
		sk_hash h;
		sk_hash_init(&h, &ty, NULL);
		char k[32];
		int good = 1;
		for (int i = 0; i < 1000000; i++) {
			int n = snprintf(k, sizeof k, "key%d", i), isnew;
			sk_hash_ent *e = sk_hash_put(&h, k, (size_t)n,
						     sk_hash_bytes(k, (size_t)n), &isnew);
			good &= isnew;
			*(uint64_t *)sk_hash_val(&h, e) = (uint64_t)i;
		}
		for (int i = 0; i < 1000000; i += 3) {
			int n = snprintf(k, sizeof k, "key%d", i), isnew;
			sk_hash_ent *e = sk_hash_put(&h, k, (size_t)n,
						     sk_hash_bytes(k, (size_t)n), &isnew);
			good &= !isnew && *(uint64_t *)sk_hash_val(&h, e) == (uint64_t)i;
		}
		ok(good && sk_hash_count(&h) == 1000000, "hash: 1e6 keys");
		good = 1;
		sk_hash_iter it;
		sk_hash_ent *e;
		uint64_t want = 0;
		for (sk_hash_iter_init(&h, &it); (e = sk_hash_next(&h, &it)); )
			good &= *(uint64_t *)sk_hash_val(&h, e) == want++;
		ok(good && want == 1000000, "hash: insertion order");
		for (int i = 0; i < 1000000; i += 2) {
			int n = snprintf(k, sizeof k, "key%d", i);
			sk_hash_ent *e = sk_hash_find(&h, k, (size_t)n,
						      sk_hash_bytes(k, (size_t)n));
			if (e)
				sk_hash_del(&h, e);
		}
		ok(sk_hash_count(&h) == 500000 &&
		   !sk_hash_find(&h, "key0", 4, sk_hash_bytes("key0", 4)) &&
		   sk_hash_find(&h, "key1", 4, sk_hash_bytes("key1", 4)),
		   "hash: deletes");
		int isnew;
		sk_hash_put(&h, "key0", 4, sk_hash_bytes("key0", 4), &isnew);
		ok(isnew && sk_hash_count(&h) == 500001, "hash: re-insert");
		sk_hash_put(&h, "", 0, sk_hash_bytes("", 0), &isnew);
		ok(isnew && sk_hash_find(&h, "", 0, sk_hash_bytes("", 0)),
		   "hash: empty key");
		/* deleted entries are skipped, re-inserted ones come last */
		uint64_t n = 0, prev = 0;
		good = 1;
		for (sk_hash_iter_init(&h, &it); (e = sk_hash_next(&h, &it)); n++) {
			uint64_t v = *(uint64_t *)sk_hash_val(&h, e);
			if (n < 500000)
				good &= v % 2 == 1 && (n == 0 || v > prev);
			prev = v;
		}
		ok(good && n == 500002, "hash: iteration after deletes");
		sk_hash_free(&h);
		ok(sk_hash_count(&h) == 0 && !sk_hash_find(&h, "key1", 4,
		   sk_hash_bytes("key1", 4)), "hash: free leaves an empty table");
	}

	/* values aligned as the type asks; entries never move */
	{
		sk_hash_type t16 = { 24, NULL, 0 }, t8 = { 24, NULL, 8 };
		sk_hash a, b;
		sk_hash_init(&a, &t16, NULL);
		sk_hash_init(&b, &t8, NULL);
		int good = 1, isnew;
		char k[32];
		sk_hash_ent *first = NULL;
		for (int i = 0; i < 1000; i++) {
			int n = snprintf(k, sizeof k, "%*d", i % 23, i);
			uint64_t hv = sk_hash_bytes(k, (size_t)n);
			sk_hash_ent *ea = sk_hash_put(&a, k, (size_t)n, hv, &isnew);
			sk_hash_ent *eb = sk_hash_put(&b, k, (size_t)n, hv, &isnew);
			char *va = sk_hash_val(&a, ea), *vb = sk_hash_val(&b, eb);
			good &= (uintptr_t)va % 16 == 0 && (uintptr_t)vb % 8 == 0;
			good &= va >= ea->key + n + 1 && vb >= eb->key + n + 1;
			good &= va[0] == 0 && va[23] == 0;
			memset(va, 0xff, 24);
			memset(vb, 0xff, 24);
			if (!first)
				first = ea;
		}
		ok(good, "hash: value alignment 16 and 8");
		ok(sk_hash_find(&a, "0", 1, sk_hash_bytes("0", 1)) == first &&
		   first->n == 1 && first->key[0] == '0' && first->key[1] == 0,
		   "hash: entries never move");
		sk_hash_free(&a);
		sk_hash_free(&b);
	}
	values_are_the_text();
	return tap_done();
}
