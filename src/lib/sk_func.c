/* sk_func: the builtin functions of the expression language, one table. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>
#include "sk_err.h"
#include "sk_func.h"
#include "sk_net.h"
#include "sk_time.h"

#define ARGTEXT(i) sk_value_text_x(x, &a[i])

static sk_value str_in_scratch(sk_expr *x, const char *p, size_t n)
{
	char *q = sk_scratch(x, n);
	if (n)
		memcpy(q, p, n);
	q[n] = 0;
	return sk_v_str(q, n);
}

/* A double that is a whole number in int64 range, as an exact integer. */
static sk_value whole(double d)
{
	if (d >= -9223372036854775808.0 && d < 9223372036854775808.0 && d == floor(d))
		return sk_v_int((int64_t)d);
	return sk_v_num(d);
}

static int argnum(sk_value *a, sk_num *out)
{
	return sk_value_num(a, out);
}

/* --- strings --------------------------------------------------------------- */

static sk_value f_len(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)n;
	return sk_v_int((int64_t)ARGTEXT(0).n);
}

static sk_value casemap(sk_expr *x, sk_value *a, int upper)
{
	sk_str s = ARGTEXT(0);
	char *q = sk_scratch(x, s.n);
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];
		if (upper && c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		else if (!upper && c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		q[i] = c;
	}
	q[s.n] = 0;
	return sk_v_str(q, s.n);
}

static sk_value f_lower(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)n;
	return casemap(x, a, 0);
}

static sk_value f_upper(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)n;
	return casemap(x, a, 1);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* The kind of a part of a field (trim, substr, split_part): a part of a
 * JSON string is a string; a part of anything else is text again. */
static uint8_t part_kind(const sk_value *v)
{
	return v->fromfield && v->fk == SK_FK_STR ? SK_FK_STR : SK_FK_TEXT;
}

static sk_value f_trim(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)n;
	sk_str s = ARGTEXT(0);
	while (s.n && is_space(*s.p))
		s.p++, s.n--;
	while (s.n && is_space(s.p[s.n - 1]))
		s.n--;
	sk_value v = sk_v_str(s.p, s.n);
	v.fromfield = a[0].fromfield;
	v.fk = part_kind(&a[0]);
	return v;
}

/* awk's substr: characters start..start+len-1 (1-based, bytes), clipped. */
static sk_value f_substr(sk_expr *x, sk_node *n, sk_value *a)
{
	sk_str s = ARGTEXT(0);
	sk_num st, ln;
	if (!argnum(&a[1], &st))
		return sk_v_null();
	double b = round(st.d), e = (double)s.n + 1;
	if (n->nkid > 2) {
		if (!argnum(&a[2], &ln))
			return sk_v_null();
		e = b + round(ln.d);
	}
	if (b < 1)
		b = 1;
	if (e > (double)s.n + 1)
		e = (double)s.n + 1;
	if (!(e > b))
		return sk_v_str("", 0);
	size_t bi = (size_t)b - 1, ei = (size_t)e - 1;
	sk_value v = sk_v_str(s.p + bi, ei - bi);
	v.fromfield = a[0].fromfield;
	v.fk = part_kind(&a[0]);
	return v;
}

static const char *memmem_(const char *h, size_t hn, const char *nd, size_t nn)
{
	if (nn == 0)
		return h;
	if (hn < nn)
		return NULL;
	return memmem(h, hn, nd, nn);
}

static sk_value f_contains(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)n;
	sk_str s = ARGTEXT(0), t = ARGTEXT(1);
	return sk_v_bool(memmem_(s.p, s.n, t.p, t.n) != NULL);
}

static sk_value f_startswith(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)n;
	sk_str s = ARGTEXT(0), t = ARGTEXT(1);
	return sk_v_bool(t.n <= s.n && (t.n == 0 || memcmp(s.p, t.p, t.n) == 0));
}

static sk_value f_endswith(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)n;
	sk_str s = ARGTEXT(0), t = ARGTEXT(1);
	return sk_v_bool(t.n <= s.n && (t.n == 0 || memcmp(s.p + s.n - t.n, t.p, t.n) == 0));
}

static sk_value f_replace(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)n;
	sk_str s = ARGTEXT(0), old = ARGTEXT(1), rep = ARGTEXT(2);
	if (old.n == 0)
		return a[0].t == SK_V_STR ? a[0] : str_in_scratch(x, s.p, s.n);
	size_t count = 0;
	for (const char *p = s.p, *e = s.p + s.n, *q;
	     (q = memmem_(p, (size_t)(e - p), old.p, old.n)); p = q + old.n)
		count++;
	size_t len = s.n - count * old.n + count * rep.n;
	char *out = sk_scratch(x, len), *o = out;
	const char *p = s.p, *e = s.p + s.n, *q;
	while ((q = memmem_(p, (size_t)(e - p), old.p, old.n))) {
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		if (rep.n)
			memcpy(o, rep.p, rep.n);
		o += rep.n;
		p = q + old.n;
	}
	if (e > p)
		memcpy(o, p, (size_t)(e - p));
	out[len] = 0;
	return sk_v_str(out, len);
}

/* The regex of argument i: compiled once if constant, else cached. */
static sk_regex *arg_regex(sk_expr *x, sk_node *n, sk_value *a, size_t i)
{
	if (n->kid[i]->op == SK_N_CONST)
		return n->aux;
	sk_str pat = ARGTEXT(i);
	return sk_regex_dyn(x, &n->aux, pat.p, pat.n);
}

static void prep_regex(sk_expr *x, sk_node *n)
{
	sk_node *r = n->kid[1];
	if (r->op == SK_N_CONST) {
		char buf[SK_NUM_BUFSZ];
		sk_str pat = sk_value_text(&r->k, buf);
		n->aux = sk_regex_new(x, pat.p, pat.n, r->start, r->end);
	}
}

static sk_value subst(sk_expr *x, sk_node *n, sk_value *a, int global)
{
	sk_regex *re = arg_regex(x, n, a, 1);
	if (!re)
		return sk_v_null();
	sk_str s = ARGTEXT(0), rep = ARGTEXT(2);
	uint32_t opt = PCRE2_SUBSTITUTE_OVERFLOW_LENGTH |
		(global ? PCRE2_SUBSTITUTE_GLOBAL : 0);
	PCRE2_SIZE cap = s.n * 2 + rep.n + 64, len = cap;
	char *out = sk_scratch(x, cap);
	pcre2_match_context *mc = sk_regex_context();
	int rc;
	for (int tries = 0;; tries++) {
		rc = pcre2_substitute(re->re, (PCRE2_SPTR)(s.p ? s.p : ""), s.n, 0, opt,
				      re->md, mc, (PCRE2_SPTR)(rep.p ? rep.p : ""), rep.n,
				      (PCRE2_UCHAR *)out, &len);
		if (rc == PCRE2_ERROR_NOMEMORY && tries == 0) {
			cap = len;
			out = sk_scratch(x, cap);
		} else if (rc == PCRE2_ERROR_JIT_STACKLIMIT && !(opt & PCRE2_NO_JIT)) {
			/* Too deep for the JIT's stack: the interpreter. */
			opt |= PCRE2_NO_JIT;
			len = cap;
		} else {
			break;
		}
	}
	if (rc < 0) {
		/* A bad replacement ("$9" with no group 9) is the program's
		 * mistake as much as an engine limit: either way the record
		 * is not silently given a null. */
		sk_regex_fail(x, rc);
		return sk_v_null();
	}
	return sk_v_str(out, len);
}

static sk_value f_sub(sk_expr *x, sk_node *n, sk_value *a)
{
	return subst(x, n, a, 0);
}

static sk_value f_gsub(sk_expr *x, sk_node *n, sk_value *a)
{
	return subst(x, n, a, 1);
}

/* split_part(s, sep, n): the n-th piece (1-based; negative from the end). */
static sk_value f_split_part(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)n;
	sk_str s = ARGTEXT(0), sep = ARGTEXT(1);
	sk_num k;
	if (!argnum(&a[2], &k) || !k.isint || k.i == 0)
		return sk_v_null();
	if (sep.n == 0)
		return (k.i == 1 || k.i == -1) ? sk_v_str(s.p, s.n) : sk_v_str("", 0);
	int64_t want = k.i;
	if (want < 0) {
		int64_t pieces = 1;
		for (const char *p = s.p, *e = s.p + s.n, *q;
		     (q = memmem_(p, (size_t)(e - p), sep.p, sep.n)); p = q + sep.n)
			pieces++;
		want = pieces + want + 1;
		if (want < 1)
			return sk_v_str("", 0);
	}
	const char *p = s.p, *e = s.p + s.n;
	for (int64_t i = 1;; i++) {
		const char *q = memmem_(p, (size_t)(e - p), sep.p, sep.n);
		if (i == want) {
			sk_value v = sk_v_str(p, q ? (size_t)(q - p) : (size_t)(e - p));
			v.fromfield = a[0].fromfield;
	v.fk = part_kind(&a[0]);
			return v;
		}
		if (!q)
			return sk_v_str("", 0);
		p = q + sep.n;
	}
}

/* --- math ------------------------------------------------------------------ */

static sk_value f_abs(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)x, (void)n;
	sk_num v;
	if (!argnum(&a[0], &v))
		return sk_v_null();
	if (v.isint && v.i != INT64_MIN)
		return sk_v_int(v.i < 0 ? -v.i : v.i);
	return sk_v_num(fabs(v.d));
}

#define ROUNDING(NAME, FN)                                              \
	static sk_value NAME(sk_expr *x, sk_node *n, sk_value *a)       \
	{                                                               \
		(void)x, (void)n;                                       \
		sk_num v;                                               \
		if (!argnum(&a[0], &v))                                 \
			return sk_v_null();                             \
		if (v.isint)                                            \
			return sk_v_int(v.i);                           \
		return whole(FN(v.d));                                  \
	}
ROUNDING(f_ceil, ceil)
ROUNDING(f_floor, floor)
ROUNDING(f_int, trunc)

/* round(x[, digits]): half away from zero. */
/* round(x, n): |n| at most this; 1e22 is the largest power of ten a
 * double holds exactly. */
#define ROUND_MAX_DIGITS 22

static sk_value f_round(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)x;
	sk_num v, d;
	if (!argnum(&a[0], &v))
		return sk_v_null();
	if (n->nkid < 2) {
		if (v.isint)
			return sk_v_int(v.i);
		return whole(round(v.d));
	}
	if (!argnum(&a[1], &d) || !d.isint || d.i > ROUND_MAX_DIGITS ||
	    d.i < -ROUND_MAX_DIGITS)
		return sk_v_null();
	if (d.i >= 0) {
		/* as printf rounds the double (and Python's round(x, n)): the
		 * decimal nearest to its exact binary value, so 2.675, which is
		 * 2.67499999..., gives 2.67; an exact half goes to even */
		if (v.isint || !isfinite(v.d))
			return v.isint ? sk_v_int(v.i) : sk_v_num(v.d);
		char buf[400];
		snprintf(buf, sizeof buf, "%.*f", (int)d.i, v.d);
		double r = strtod(buf, NULL);
		return d.i == 0 ? whole(r) : sk_v_num(r);
	}
	double m = pow(10, (double)d.i);
	double r = round(v.d * m) / m;
	return d.i <= 0 ? whole(r) : sk_v_num(r);
}

static sk_value f_sqrt(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)x, (void)n;
	sk_num v;
	if (!argnum(&a[0], &v) || v.d < 0)
		return sk_v_null();
	return sk_v_num(sqrt(v.d));
}

static sk_value f_log(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)x, (void)n;
	sk_num v;
	if (!argnum(&a[0], &v) || !(v.d > 0 || isnan(v.d)))
		return sk_v_null();
	return sk_v_num(log(v.d));
}

static sk_value f_exp(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)x, (void)n;
	sk_num v;
	if (!argnum(&a[0], &v))
		return sk_v_null();
	return sk_v_num(exp(v.d));
}

/* min/max of the arguments that are numbers; empty if none is. */
static sk_value minmax(sk_node *n, sk_value *a, int want_max)
{
	sk_num best = { 0 }, v;
	int have = 0;
	for (size_t i = 0; i < n->nkid; i++) {
		if (!argnum(&a[i], &v))
			continue;
		if (isnan(v.d))
			return sk_v_num(NAN);
		int better;
		if (!have)
			better = 1;
		else if (v.isint && best.isint)
			better = want_max ? v.i > best.i : v.i < best.i;
		else
			better = want_max ? v.d > best.d : v.d < best.d;
		if (better)
			best = v;
		have = 1;
	}
	return have ? sk_num_value(&best) : sk_v_null();
}

static sk_value f_min(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)x;
	return minmax(n, a, 0);
}

static sk_value f_max(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)x;
	return minmax(n, a, 1);
}

/* --- control --------------------------------------------------------------- */

static sk_value f_if(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)a;
	sk_value c = sk_eval(x, n->kid[0]);
	return sk_eval(x, n->kid[sk_value_truthy(&c) ? 1 : 2]);
}

static sk_value f_coalesce(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)a;
	for (size_t i = 0; i < n->nkid; i++) {
		sk_value v = sk_eval(x, n->kid[i]);
		if (v.t != SK_V_NULL && !(v.t == SK_V_STR && v.n == 0))
			return v;
	}
	return sk_v_null();
}

static sk_value f_has(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)a;
	return sk_v_bool(x->rec && sk_rec_get(x->rec, n->slot) != NULL);
}

static void prep_has(sk_expr *x, sk_node *n)
{
	sk_node *k = n->kid[0];
	if (k->op == SK_N_FIELD)
		n->slot = k->slot;
	else if (k->op == SK_N_CONST && k->k.t == SK_V_STR)
		n->slot = sk_schema_intern(x->schema, k->k.s, k->k.n);
	else
		sk_expr_fail(x, k->start, k->end, "has() takes a field name");
	sk_expr_exempt(x, n->slot);
	/* The field itself is not evaluated, so it is not "used". */
	if (k->op == SK_N_FIELD)
		k->op = SK_N_CONST, k->k = sk_v_null();
	n->nkid = 0;
}

static sk_value f_hash(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)n;
	sk_str s = ARGTEXT(0);
	return sk_v_int((int64_t)(XXH3_64bits(s.p, s.n) & (uint64_t)INT64_MAX));
}

/* --- time ------------------------------------------------------------------ */

/* Epoch ns as seconds: an integer when whole. */
static sk_value ns_to_secs(int64_t ns)
{
	if (ns % SK_NS_PER_SEC == 0)
		return sk_v_int(ns / SK_NS_PER_SEC);
	/* whole and fraction apart, so 1577934245.25 stays exact */
	return sk_v_num((double)(ns / SK_NS_PER_SEC) +
			(double)(ns % SK_NS_PER_SEC) / 1e9);
}

/* A time argument: computed numbers are epoch seconds; text (fields) is
 * parsed in any of the forms sk_time_parse knows. */
static int arg_time(sk_expr *x, sk_value *v, int64_t *ns)
{
	if (v->t == SK_V_NUM || v->t == SK_V_BOOL) {
		if (!(fabs(v->d) < 9.2e9))
			return 0;
		*ns = v->isint ? v->i * SK_NS_PER_SEC : (int64_t)llround(v->d * 1e9);
		return 1;
	}
	sk_str s = sk_value_text_x(x, v);
	if (s.n == 0)
		return 0;
	return sk_time_parse(s.p, s.n, sk_now(), ns, NULL);
}

static sk_value f_now(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)x, (void)n, (void)a;
	return ns_to_secs(sk_now());
}

static sk_value f_time(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)n;
	int64_t ns;
	if (!arg_time(x, &a[0], &ns))
		return sk_v_null();
	return ns_to_secs(ns);
}

static sk_value f_strptime(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)n;
	sk_str s = ARGTEXT(0), f = ARGTEXT(1);
	int64_t ns;
	/* the format must be NUL-terminated for strptime */
	char *fmt = sk_scratch(x, f.n);
	memcpy(fmt, f.p, f.n);
	fmt[f.n] = 0;
	if (s.n == 0 || !sk_time_parse_fmt(s.p, s.n, fmt, &ns))
		return sk_v_null();
	return ns_to_secs(ns);
}

static sk_value f_strftime(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)n;
	int64_t ns;
	if (!arg_time(x, &a[0], &ns))
		return sk_v_null();
	sk_str f = ARGTEXT(1);
	char *fmt = sk_scratch(x, f.n);
	memcpy(fmt, f.p, f.n);
	fmt[f.n] = 0;
	char *tz = NULL;
	if (n->nkid > 2) {
		/* a zone of the TZ database; a constant one was checked when
		 * compiled, another is checked once until it changes */
		static _Thread_local char known[256];
		sk_str z = ARGTEXT(2);
		tz = sk_scratch(x, z.n);
		if (z.n)
			memcpy(tz, z.p, z.n);
		tz[z.n] = 0;
		if (z.n == 0 || memchr(tz, 0, z.n) || z.n >= sizeof known)
			return sk_v_null();
		if (n->kid[2]->op != SK_N_CONST && strcmp(known, tz) != 0) {
			if (!sk_tz_known(tz))
				return sk_v_null();
			memcpy(known, tz, z.n + 1);
		}
	}
	size_t cap = f.n * 8 + 64;
	char *out = sk_scratch(x, cap);
	size_t len = sk_time_fmt_tz(out, cap, fmt, ns, tz);
	return sk_v_str(out, len);
}

/*
 * A strftime/strptime format is checked when it is a constant: every '%'
 * must start a conversion that C99/POSIX knows (with an optional flag,
 * width, and E or O modifier).
 */
static void prep_timefmt(sk_expr *x, sk_node *n)
{
	if (n->nkid > 2 && n->kid[2]->op == SK_N_CONST) {
		sk_node *z = n->kid[2];
		char buf[SK_NUM_BUFSZ];
		sk_str s = sk_value_text(&z->k, buf);
		char name[256];
		if (s.n == 0 || s.n >= sizeof name || memchr(s.p, 0, s.n))
			sk_expr_fail(x, z->start, z->end,
				     "strftime: not a time zone of the TZ database");
		memcpy(name, s.p, s.n);
		name[s.n] = 0;
		if (!sk_tz_known(name))
			sk_expr_fail(x, z->start, z->end,
				     "strftime: unknown time zone '%s' (a TZ database name such as Europe/Paris, or UTC)",
				     name);
	}
	sk_node *k = n->kid[1];
	if (k->op != SK_N_CONST)
		return;
	if (k->k.t != SK_V_STR)
		sk_expr_fail(x, k->start, k->end, "%s: the format must be a string",
			     n->fn->name);
	const char *s = k->k.s;
	for (size_t i = 0; i < k->k.n; i++) {
		if (s[i] != '%')
			continue;
		size_t j = i + 1;
		while (j < k->k.n && strchr("_-0^#+", s[j]))
			j++;
		while (j < k->k.n && s[j] >= '0' && s[j] <= '9')
			j++;
		if (j < k->k.n && (s[j] == 'E' || s[j] == 'O'))
			j++;
		if (j >= k->k.n || !strchr("aAbBcCdDeFfgGhHIjklmMnpPrRsStTuUVwWxXyYzZ%", s[j]))
			sk_expr_fail(x, k->start, k->end,
				     "invalid %s format: bad conversion '%.*s'", n->fn->name,
				     (int)(j < k->k.n ? j - i + 1 : j - i), s + i);
		i = j;
	}
}

/* floor_time(t, "5m"): the start of t's window, in epoch seconds. */
static sk_value f_floor_time(sk_expr *x, sk_node *n, sk_value *a)
{
	int64_t ns, size;
	if (!arg_time(x, &a[0], &ns))
		return sk_v_null();
	if (n->kid[1]->op == SK_N_CONST) {
		size = *(int64_t *)n->aux;
	} else {
		sk_str d = ARGTEXT(1);
		if (!sk_duration_parse(d.p, d.n, &size) || size <= 0)
			return sk_v_null();
	}
	int64_t start;
	if (!sk_time_floor_chk(ns, size, 0, &start))
		return sk_v_null(); /* before the time range */
	return ns_to_secs(start);
}

static void prep_duration(sk_expr *x, sk_node *n)
{
	sk_node *k = n->kid[1];
	if (k->op != SK_N_CONST)
		return;
	char buf[SK_NUM_BUFSZ];
	sk_str d = sk_value_text(&k->k, buf);
	int64_t *size = sk_arena_alloc(&x->mem, sizeof *size);
	if (!sk_duration_parse(d.p, d.n, size) || *size <= 0)
		sk_expr_fail(x, k->start, k->end,
			     "invalid duration '%.*s' (e.g. 250ms, 10s, 5m, 1h30m)",
			     (int)d.n, d.p);
	n->aux = size;
}

/* --- network --------------------------------------------------------------- */

static sk_value f_cidr(sk_expr *x, sk_node *n, sk_value *a)
{
	sk_str ip = ARGTEXT(0);
	sk_cidr c, *cp = n->aux;
	if (n->kid[1]->op != SK_N_CONST) {
		sk_str net = ARGTEXT(1);
		if (!sk_cidr_parse(net.p, net.n, &c))
			return sk_v_null();
		cp = &c;
	}
	return sk_v_bool(sk_cidr_match(cp, ip.p, ip.n));
}

static void prep_cidr(sk_expr *x, sk_node *n)
{
	sk_node *k = n->kid[1];
	if (k->op != SK_N_CONST)
		return;
	char buf[SK_NUM_BUFSZ];
	sk_str s = sk_value_text(&k->k, buf);
	sk_cidr *c = sk_arena_alloc(&x->mem, sizeof *c);
	if (!sk_cidr_parse(s.p, s.n, c))
		sk_expr_fail(x, k->start, k->end, "invalid network '%.*s'",
			     (int)s.n, s.p);
	n->aux = c;
}

/* --- stream-map only: extract and the stateful functions ------------------- */

typedef struct extract_aux {
	sk_regex *re;
	uint32_t *slot;   /* per group number, UINT32_MAX when unnamed */
	uint32_t ngroup;
} extract_aux;

static void prep_extract(sk_expr *x, sk_node *n)
{
	sk_node *k = n->kid[1];
	if (k->op != SK_N_CONST)
		sk_expr_fail(x, k->start, k->end,
			     "extract() needs a constant regex (its group names are the fields)");
	char buf[SK_NUM_BUFSZ];
	sk_str pat = sk_value_text(&k->k, buf);
	extract_aux *ea = sk_arena_alloc(&x->mem, sizeof *ea);
	ea->re = sk_regex_new(x, pat.p, pat.n, k->start, k->end);
	uint32_t cnt = 0, namecount = 0, entsize = 0;
	PCRE2_SPTR tab;
	pcre2_pattern_info(ea->re->re, PCRE2_INFO_CAPTURECOUNT, &cnt);
	pcre2_pattern_info(ea->re->re, PCRE2_INFO_NAMECOUNT, &namecount);
	pcre2_pattern_info(ea->re->re, PCRE2_INFO_NAMEENTRYSIZE, &entsize);
	pcre2_pattern_info(ea->re->re, PCRE2_INFO_NAMETABLE, &tab);
	if (namecount == 0)
		sk_expr_fail(x, k->start, k->end,
			     "extract(): the regex has no named group such as (?<name>...)");
	ea->ngroup = cnt + 1;
	ea->slot = sk_arena_alloc(&x->mem, ea->ngroup * sizeof *ea->slot);
	for (uint32_t i = 0; i < ea->ngroup; i++)
		ea->slot[i] = UINT32_MAX;
	for (uint32_t i = 0; i < namecount; i++) {
		PCRE2_SPTR e = tab + i * entsize;
		uint32_t g = (uint32_t)(e[0] << 8 | e[1]);
		const char *name = (const char *)e + 2;
		ea->slot[g] = sk_schema_intern(x->schema, name, strlen(name));
		sk_expr_exempt(x, ea->slot[g]);
	}
	n->aux = ea;
}

static sk_value f_extract(sk_expr *x, sk_node *n, sk_value *a)
{
	extract_aux *ea = n->aux;
	sk_str s = ARGTEXT(0);
	/* Every named group is set, empty when it took no part in a match or
	 * nothing matched, so the output fields stay the same from record to
	 * record. */
	int matched = sk_regex_match(x, ea->re, s.p, s.n);
	if (x->err)
		return sk_v_null();
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(ea->re->md);
	uint32_t nov = matched ? pcre2_get_ovector_count(ea->re->md) : 0;
	/* Copy the subject first: setting a field may be what s points to. */
	const char *base = matched ? sk_arena_dup(&x->rec->arena, s.p ? s.p : "", s.n) : "";
	for (uint32_t g = 1; g < ea->ngroup; g++) {
		if (ea->slot[g] == UINT32_MAX)
			continue;
		if (g >= nov || ov[2 * g] == PCRE2_UNSET)
			sk_rec_set(x->rec, ea->slot[g], "", 0, SK_FK_TEXT);
		else
			sk_rec_set(x->rec, ea->slot[g], base + ov[2 * g],
				   ov[2 * g + 1] - ov[2 * g], SK_FK_TEXT);
	}
	return sk_v_bool(matched);
}

/* The state of one stateful call site for the current key. */
static sk_state_cell *cell(sk_expr *x, sk_node *n)
{
	return (sk_state_cell *)x->state + n->slot;
}

/* prev() keeps its last text in a buffer of at least this many bytes,
 * reused while the texts fit. */
#define PREV_MIN_CAP 32

static sk_value f_prev(sk_expr *x, sk_node *n, sk_value *a)
{
	sk_state_cell *c = cell(x, n);
	sk_value out = sk_v_null();
	if (c->has) {
		if (c->t == SK_V_NUM) {
			out = sk_num_value(&c->num);
		} else if (c->t == SK_V_BOOL) {
			out = sk_v_bool(c->num.i != 0);
		} else {
			out = str_in_scratch(x, c->s, c->n);
			out.fromfield = 1;
			out.fk = c->fk;
		}
	}
	c->has = a[0].t != SK_V_NULL;
	c->t = a[0].t;
	if (a[0].t == SK_V_NUM || a[0].t == SK_V_BOOL) {
		c->num.isint = a[0].isint;
		c->num.i = a[0].i;
		c->num.d = a[0].d;
	} else if (a[0].t == SK_V_STR) {
		if (c->cap < a[0].n + 1) {
			c->cap = a[0].n + 1 < PREV_MIN_CAP ? PREV_MIN_CAP : a[0].n + 1;
			c->s = sk_xrealloc(c->s, c->cap);
		}
		if (a[0].n)
			memcpy(c->s, a[0].s, a[0].n);
		c->n = a[0].n;
		c->fk = (uint8_t)sk_value_kind(&a[0]);
	}
	return out;
}

static sk_value f_delta(sk_expr *x, sk_node *n, sk_value *a)
{
	sk_state_cell *c = cell(x, n);
	sk_num v;
	if (!argnum(&a[0], &v))
		return sk_v_null();
	sk_value out = sk_v_null();
	if (c->has) {
		sk_value cur = sk_num_value(&v), prev = sk_num_value(&c->num);
		int64_t r;
		if (v.isint && c->num.isint && !__builtin_sub_overflow(v.i, c->num.i, &r))
			out = sk_v_int(r);
		else
			out = sk_v_num(cur.d - prev.d);
	}
	c->has = 1;
	c->num = v;
	return out;
}

static sk_value f_cumsum(sk_expr *x, sk_node *n, sk_value *a)
{
	sk_state_cell *c = cell(x, n);
	sk_num v;
	/* integers: a 128-bit sum in num.i (low word) and count (high word),
	 * so the running sum is exact again after leaving int64 on the way;
	 * c->t is 1 once a float came */
	if (argnum(&a[0], &v)) {
		if (!c->has) {
			c->has = 1;
			c->t = !v.isint;
			c->num = v;
			c->count = v.isint && v.i < 0 ? -1 : 0;
		} else if (!c->t && v.isint) {
			__int128 s = (__int128)((unsigned __int128)(uint64_t)c->count << 64 |
						(uint64_t)c->num.i);
			if (__builtin_add_overflow(s, (__int128)v.i, &s)) {
				c->t = 1;
				c->num.d += v.d;
			} else {
				c->num.i = (int64_t)(uint64_t)s;
				c->count = (int64_t)(s >> 64);
				c->num.d = (double)s;
			}
		} else {
			c->t = 1;
			c->num.d += v.d;
		}
		c->num.isint = !c->t && c->count == (c->num.i < 0 ? -1 : 0);
	}
	return c->has ? sk_num_value(&c->num) : sk_v_null();
}

static sk_value f_ewma(sk_expr *x, sk_node *n, sk_value *a)
{
	sk_state_cell *c = cell(x, n);
	sk_num v, al;
	if (!argnum(&a[1], &al) || !(al.d > 0 && al.d <= 1))
		return sk_v_null();
	if (argnum(&a[0], &v)) {
		if (!c->has)
			c->num.d = v.d;
		else
			c->num.d = al.d * v.d + (1 - al.d) * c->num.d;
		c->has = 1;
	}
	return c->has ? sk_v_num(c->num.d) : sk_v_null();
}

static void prep_ewma(sk_expr *x, sk_node *n)
{
	sk_node *k = n->kid[1];
	sk_num al;
	if (k->op == SK_N_CONST && (!sk_value_num(&k->k, &al) || !(al.d > 0 && al.d <= 1)))
		sk_expr_fail(x, k->start, k->end,
			     "ewma: alpha must be a number in (0, 1]");
}

static sk_value f_rownum(sk_expr *x, sk_node *n, sk_value *a)
{
	(void)a;
	sk_state_cell *c = cell(x, n);
	return sk_v_int(++c->count);
}

/* --- the table ------------------------------------------------------------- */

#define P SK_F_PURE
#define V SK_F_VARIADIC

const sk_func sk_funcs[] = {
	{ "len", 1, 1, P, f_len, NULL, "len(s)" },
	{ "lower", 1, 1, P, f_lower, NULL, "lower(s)" },
	{ "upper", 1, 1, P, f_upper, NULL, "upper(s)" },
	{ "trim", 1, 1, P, f_trim, NULL, "trim(s)" },
	{ "substr", 2, 3, P, f_substr, NULL, "substr(s, start[, len])" },
	{ "contains", 2, 2, P, f_contains, NULL, "contains(s, t)" },
	{ "startswith", 2, 2, P, f_startswith, NULL, "startswith(s, prefix)" },
	{ "endswith", 2, 2, P, f_endswith, NULL, "endswith(s, suffix)" },
	{ "replace", 3, 3, P, f_replace, NULL, "replace(s, old, new)" },
	{ "sub", 3, 3, P, f_sub, prep_regex, "sub(s, regex, repl)" },
	{ "gsub", 3, 3, P, f_gsub, prep_regex, "gsub(s, regex, repl)" },
	{ "split_part", 3, 3, P, f_split_part, NULL, "split_part(s, sep, n)" },
	{ "abs", 1, 1, P, f_abs, NULL, "abs(x)" },
	{ "ceil", 1, 1, P, f_ceil, NULL, "ceil(x)" },
	{ "floor", 1, 1, P, f_floor, NULL, "floor(x)" },
	{ "round", 1, 2, P, f_round, NULL, "round(x[, digits])" },
	{ "sqrt", 1, 1, P, f_sqrt, NULL, "sqrt(x)" },
	{ "log", 1, 1, P, f_log, NULL, "log(x)" },
	{ "exp", 1, 1, P, f_exp, NULL, "exp(x)" },
	{ "min", 1, V, P, f_min, NULL, "min(x, ...)" },
	{ "max", 1, V, P, f_max, NULL, "max(x, ...)" },
	{ "int", 1, 1, P, f_int, NULL, "int(x)" },
	{ "if", 3, 3, P | SK_F_LAZY, f_if, NULL, "if(cond, a, b)" },
	{ "coalesce", 1, V, P | SK_F_LAZY, f_coalesce, NULL, "coalesce(x, ...)" },
	{ "has", 1, 1, SK_F_LAZY, f_has, prep_has, "has(field)" },
	{ "hash", 1, 1, P, f_hash, NULL, "hash(x)" },
	{ "now", 0, 0, 0, f_now, NULL, "now()" },
	{ "time", 1, 1, 0, f_time, NULL, "time(s)" },
	{ "strptime", 2, 2, 0, f_strptime, prep_timefmt, "strptime(s, format)" },
	{ "strftime", 2, 3, 0, f_strftime, prep_timefmt, "strftime(t, format[, zone])" },
	{ "floor_time", 2, 2, 0, f_floor_time, prep_duration, "floor_time(t, duration)" },
	{ "cidr", 2, 2, 0, f_cidr, prep_cidr, "cidr(ip, network)" },
	{ "extract", 2, 2, SK_F_PROG, f_extract, prep_extract, "extract(s, regex)" },
	{ "prev", 1, 1, SK_F_STATE, f_prev, NULL, "prev(x)" },
	{ "delta", 1, 1, SK_F_STATE, f_delta, NULL, "delta(x)" },
	{ "cumsum", 1, 1, SK_F_STATE, f_cumsum, NULL, "cumsum(x)" },
	{ "ewma", 2, 2, SK_F_STATE, f_ewma, prep_ewma, "ewma(x, alpha)" },
	{ "rownum", 0, 0, SK_F_STATE, f_rownum, NULL, "rownum()" },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

const sk_func *sk_func_find(const char *name, size_t n)
{
	for (const sk_func *f = sk_funcs; f->name; f++)
		if (strlen(f->name) == n && memcmp(f->name, name, n) == 0)
			return f;
	return NULL;
}
