/* sk_eval: evaluating the compiled tree per record without allocating, and
 * the expression context (its memory, regexes, what to free) that the
 * compiler fills. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_err.h"
#include "sk_eval.h"
#include "sk_func.h"

/* --- values ------------------------------------------------------------ */

sk_str sk_value_text_x(sk_expr *x, const sk_value *v)
{
	if (v->t != SK_V_NUM)
		return sk_value_text(v, NULL);
	return sk_value_text(v, sk_scratch(x, SK_NUM_BUFSZ));
}

/* Whether v compares as a number: numbers, booleans, and field text that
 * looks like a number (strnum); never string literals or null. */
static int numlike(sk_value *v, sk_num *out)
{
	if (v->t == SK_V_STR && !v->fromfield)
		return 0;
	return sk_value_num(v, out);
}

static int bytecmp(sk_str a, sk_str b)
{
	size_t m = a.n < b.n ? a.n : b.n;
	int c = m ? memcmp(a.p, b.p, m) : 0;
	if (c)
		return c < 0 ? -1 : 1;
	return (a.n > b.n) - (a.n < b.n);
}

static int numcmp(const sk_num *x, const sk_num *y)
{
	if (x->isint && y->isint)
		return (x->i > y->i) - (x->i < y->i);
	if (isnan(x->d) || isnan(y->d))
		return 2;
	return (x->d > y->d) - (x->d < y->d);
}

/*
 * awk's comparison: numeric when both sides are numbers (or strnums that
 * look like numbers), else by bytes of their text. A boolean against a
 * string compares as "true"/"false". Returns -1, 0, 1, or 2 for unordered
 * (a NaN).
 */
static int vcmp(sk_value *a, sk_value *b)
{
	sk_num x, y;
	if (!(a->t == SK_V_BOOL && b->t == SK_V_STR) &&
	    !(b->t == SK_V_BOOL && a->t == SK_V_STR) &&
	    numlike(a, &x) && numlike(b, &y))
		return numcmp(&x, &y);
	char ba[SK_NUM_BUFSZ], bb[SK_NUM_BUFSZ];
	return bytecmp(sk_value_text(a, ba), sk_value_text(b, bb));
}

static int cmp_holds(int op, int c)
{
	switch (op) {
	case SK_N_EQ: return c == 0;
	case SK_N_NE: return c != 0;
	case SK_N_LT: return c == -1;
	case SK_N_LE: return c == -1 || c == 0;
	case SK_N_GT: return c == 1;
	default: return c == 1 || c == 0;
	}
}

/* + - * / % with exact int64 results while they fit, doubles after. */
static sk_value arith(int op, sk_value *a, sk_value *b)
{
	sk_num x, y;
	if (!sk_value_num(a, &x) || !sk_value_num(b, &y))
		return sk_v_null();
	if (x.isint && y.isint) {
		int64_t r;
		switch (op) {
		case SK_N_ADD:
			if (!__builtin_add_overflow(x.i, y.i, &r))
				return sk_v_int(r);
			break;
		case SK_N_SUB:
			if (!__builtin_sub_overflow(x.i, y.i, &r))
				return sk_v_int(r);
			break;
		case SK_N_MUL:
			if (!__builtin_mul_overflow(x.i, y.i, &r))
				return sk_v_int(r);
			break;
		case SK_N_DIV:
			if (y.i == 0)
				return sk_v_null();
			if (!(x.i == INT64_MIN && y.i == -1) && x.i % y.i == 0)
				return sk_v_int(x.i / y.i);
			break;
		case SK_N_MOD:
			if (y.i == 0)
				return sk_v_null();
			return sk_v_int(y.i == -1 ? 0 : x.i % y.i);
		}
	}
	switch (op) {
	case SK_N_ADD: return sk_v_num(x.d + y.d);
	case SK_N_SUB: return sk_v_num(x.d - y.d);
	case SK_N_MUL: return sk_v_num(x.d * y.d);
	case SK_N_DIV:
		return y.d == 0 ? sk_v_null() : sk_v_num(x.d / y.d);
	default:
		return y.d == 0 ? sk_v_null() : sk_v_num(fmod(x.d, y.d));
	}
}

/* --- regexes ----------------------------------------------------------- */

/* What to free with the expression: fn(p) at sk_expr_teardown, last
 * registered first. */
static void on_free(sk_expr *x, void (*fn)(void *), void *p)
{
	SK_GROW(x->clean, x->cleancap, x->nclean + 1);
	x->clean[x->nclean].fn = fn;
	x->clean[x->nclean].p = p;
	x->nclean++;
}

static void regex_free(void *p)
{
	sk_regex *r = p;
	if (!r)
		return;
	pcre2_match_data_free(r->md);
	pcre2_code_free(r->re);
	r->md = NULL;
	r->re = NULL;
}

static pcre2_code *regex_compile(const char *pat, size_t n, int *errcode,
				 PCRE2_SIZE *erroff)
{
	return pcre2_compile((PCRE2_SPTR)pat, n, 0, errcode, erroff, NULL);
}

static void regex_finish(sk_regex *r)
{
	r->md = pcre2_match_data_create_from_pattern(r->re, NULL);
	if (!r->md)
		sk_diex(SK_EXIT_DATA, "out of memory");
	r->jit = pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE) == 0;
}

sk_regex *sk_regex_new(sk_expr *x, const char *pat, size_t n, size_t start,
		       size_t end)
{
	int ec;
	PCRE2_SIZE off;
	pcre2_code *re = regex_compile(pat, n, &ec, &off);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(ec, msg, sizeof msg);
		/* Point into the literal (past its quote) when we can. */
		size_t col = start + 1 + off;
		if (col >= end)
			col = end ? end - 1 : 0;
		sk_expr_fail(x, col, col + 1, "invalid regex: %s", (char *)msg);
	}
	sk_regex *r = sk_arena_alloc(&x->mem, sizeof *r);
	r->re = re;
	regex_finish(r);
	on_free(x, regex_free, r);
	return r;
}

typedef struct dynre {
	sk_regex r;
	char *pat;
	size_t n;
	int bad;
} dynre;

static void dynre_free(void *p)
{
	dynre *d = p;
	regex_free(&d->r);
	free(d->pat);
	free(d);
}

sk_regex *sk_regex_dyn(sk_expr *x, void **slot, const char *pat, size_t n)
{
	dynre *d = *slot;
	if (!d) {
		d = sk_xcalloc(1, sizeof *d);
		*slot = d;
		on_free(x, dynre_free, d);
	} else if (d->pat && d->n == n && memcmp(d->pat, pat, n) == 0) {
		return d->bad ? NULL : &d->r;
	}
	regex_free(&d->r);
	free(d->pat);
	d->pat = sk_xstrndup(pat, n);
	d->n = n;
	int ec;
	PCRE2_SIZE off;
	d->r.re = regex_compile(pat, n, &ec, &off);
	d->bad = d->r.re == NULL;
	if (d->bad)
		return NULL;
	regex_finish(&d->r);
	return &d->r;
}

#define REGEX_JIT_STACK_START (32 * 1024)  /* bytes, grown to SK_REGEX_JIT_STACK */
#define REGEX_HEAP_LIMIT_KIB (256 * 1024)  /* the interpreter's heap, in KiB */

/* One per thread: a JIT stack is not shared (sk_par's workers). */
static _Thread_local pcre2_match_context *mc;
static _Thread_local pcre2_jit_stack *js;

void sk_expr_thread_end(void)
{
	pcre2_match_context_free(mc);
	pcre2_jit_stack_free(js);
	mc = NULL;
	js = NULL;
}

pcre2_match_context *sk_regex_context(void)
{
	if (!mc) {
		/* The JIT's stack is reserved, not committed: it costs what
		 * a match touches. 64 MiB holds ^(a|b)*$ over a 1 MB field;
		 * the interpreter's backtracking heap is held to 256 MiB. */
		js = pcre2_jit_stack_create(REGEX_JIT_STACK_START,
							     SK_REGEX_JIT_STACK, NULL);
		mc = pcre2_match_context_create(NULL);
		if (!js || !mc)
			sk_diex(SK_EXIT_DATA, "out of memory");
		pcre2_jit_stack_assign(mc, NULL, js);
		pcre2_set_heap_limit(mc, REGEX_HEAP_LIMIT_KIB);
	}
	return mc;
}

void sk_regex_fail(sk_expr *x, int rc)
{
	PCRE2_UCHAR msg[96];
	if (pcre2_get_error_message(rc, msg, sizeof msg) < 0)
		snprintf((char *)msg, sizeof msg, "error %d", rc);
	snprintf(x->errbuf, sizeof x->errbuf, "regex: %s", (char *)msg);
	x->err = x->errbuf;
}

int sk_regex_match(sk_expr *x, sk_regex *r, const char *s, size_t n)
{
	if (!s)
		s = "";
	pcre2_match_context *mc = sk_regex_context();
	int rc = r->jit ?
		pcre2_jit_match(r->re, (PCRE2_SPTR)s, n, 0, 0, r->md, mc) :
		pcre2_match(r->re, (PCRE2_SPTR)s, n, 0, 0, r->md, mc);
	if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
		rc = pcre2_match(r->re, (PCRE2_SPTR)s, n, 0, PCRE2_NO_JIT, r->md, mc);
	if (rc >= 0)
		return 1;
	if (rc != PCRE2_ERROR_NOMATCH)
		sk_regex_fail(x, rc);
	return 0;
}

/* --- evaluation -------------------------------------------------------- */

static sk_value eval_match(sk_expr *x, sk_node *n)
{
	sk_value a = sk_eval(x, n->kid[0]);
	sk_str s = sk_value_text_x(x, &a);
	sk_regex *re = n->aux;
	if (n->kid[1]->op != SK_N_CONST) {
		sk_value b = sk_eval(x, n->kid[1]);
		sk_str pat = sk_value_text_x(x, &b);
		re = sk_regex_dyn(x, &n->aux, pat.p, pat.n);
		if (!re)
			return sk_v_null();
	}
	int m = sk_regex_match(x, re, s.p, s.n);
	if (x->err)
		return sk_v_null();
	return sk_v_bool(n->op == SK_N_MATCH ? m : !m);
}

/* Plain decimal integers (the usual field): no blanks, sign, or dot. */
static inline int fast_int(const char *p, size_t n, sk_num *out)
{
	if (n == 0 || n > 18)
		return 0;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned char)p[i] - '0';
		if (d > 9)
			return 0;
		v = v * 10 + d;
	}
	out->isint = 1;
	out->i = v;
	out->d = (double)v;
	return 1;
}

sk_value sk_eval(sk_expr *x, sk_node *n)
{
	switch ((sk_op)n->op) {
	case SK_N_CONST:
		return n->k;
	case SK_N_FIELD: {
		const sk_field *f = sk_rec_get(x->rec, n->slot);
		return f ? sk_field_value(f) : sk_v_null();
	}
	case SK_N_FCMPNUM: {
		const sk_field *f = sk_rec_get(x->rec, n->slot);
		sk_num v;
		if (f && fast_int(f->p, f->n, &v) && n->k.isint)
			return sk_v_bool(cmp_holds(n->sub, (v.i > n->k.i) - (v.i < n->k.i)));
		if (f && sk_num_parse(f->p, f->n, &v)) {
			sk_num k = { n->k.isint, n->k.i, n->k.d };
			return sk_v_bool(cmp_holds(n->sub, numcmp(&v, &k)));
		}
		sk_str a = f ? (sk_str){ f->p, f->n } : SK_STR("");
		return sk_v_bool(cmp_holds(n->sub, bytecmp(a, *(sk_str *)n->aux)));
	}
	case SK_N_FEQSTR: {
		const sk_field *f = sk_rec_get(x->rec, n->slot);
		size_t len = f ? f->n : 0;
		int eq = len == n->k.n && (len == 0 || memcmp(f->p, n->k.s, len) == 0);
		return sk_v_bool(n->sub == SK_N_EQ ? eq : !eq);
	}
	case SK_N_POS: {
		sk_str s;
		if (!sk_rec_positional(x->rec, n->slot, &s))
			return sk_v_null();
		sk_value v = sk_v_str(s.p, s.n);
		v.fromfield = 1;
		return v;
	}
	case SK_N_RAW: {
		sk_value v = sk_v_str(x->rec->raw.p, x->rec->raw.n);
		v.fromfield = 1;
		return v;
	}
	case SK_N_NEG: {
		sk_value a = sk_eval(x, n->kid[0]);
		sk_num v;
		if (!sk_value_num(&a, &v))
			return sk_v_null();
		if (v.isint && v.i != INT64_MIN)
			return sk_v_int(-v.i);
		return sk_v_num(-v.d);
	}
	case SK_N_NOT: {
		sk_value a = sk_eval(x, n->kid[0]);
		return sk_v_bool(!sk_value_truthy(&a));
	}
	case SK_N_AND: {
		sk_value a = sk_eval(x, n->kid[0]);
		if (!sk_value_truthy(&a))
			return sk_v_bool(0);
		sk_value b = sk_eval(x, n->kid[1]);
		return sk_v_bool(sk_value_truthy(&b));
	}
	case SK_N_OR: {
		sk_value a = sk_eval(x, n->kid[0]);
		if (sk_value_truthy(&a))
			return sk_v_bool(1);
		sk_value b = sk_eval(x, n->kid[1]);
		return sk_v_bool(sk_value_truthy(&b));
	}
	case SK_N_TERN: {
		sk_value c = sk_eval(x, n->kid[0]);
		return sk_eval(x, n->kid[sk_value_truthy(&c) ? 1 : 2]);
	}
	case SK_N_EQ: case SK_N_NE: case SK_N_LT:
	case SK_N_LE: case SK_N_GT: case SK_N_GE: {
		sk_value a = sk_eval(x, n->kid[0]);
		sk_value b = sk_eval(x, n->kid[1]);
		return sk_v_bool(cmp_holds(n->op, vcmp(&a, &b)));
	}
	case SK_N_MATCH:
	case SK_N_NMATCH:
		return eval_match(x, n);
	case SK_N_IN: {
		sk_value a = sk_eval(x, n->kid[0]);
		for (size_t i = 1; i < n->nkid; i++) {
			sk_value b = sk_eval(x, n->kid[i]);
			if (vcmp(&a, &b) == 0)
				return sk_v_bool(1);
		}
		return sk_v_bool(0);
	}
	case SK_N_ADD: case SK_N_SUB: case SK_N_MUL:
	case SK_N_DIV: case SK_N_MOD: {
		sk_value a = sk_eval(x, n->kid[0]);
		sk_value b = sk_eval(x, n->kid[1]);
		return arith(n->op, &a, &b);
	}
	case SK_N_CAT: {
		sk_value a = sk_eval(x, n->kid[0]);
		sk_value b = sk_eval(x, n->kid[1]);
		char ba[SK_NUM_BUFSZ], bb[SK_NUM_BUFSZ];
		sk_str sa = sk_value_text(&a, ba), sb = sk_value_text(&b, bb);
		char *p = sk_scratch(x, sa.n + sb.n);
		if (sa.n)
			memcpy(p, sa.p, sa.n);
		if (sb.n)
			memcpy(p + sa.n, sb.p, sb.n);
		p[sa.n + sb.n] = 0;
		return sk_v_str(p, sa.n + sb.n);
	}
	case SK_N_CALL: {
		if (n->fn->flags & SK_F_LAZY)
			return n->fn->fn(x, n, NULL);
		sk_value a[SK_F_MAXARGS];
		for (size_t i = 0; i < n->nkid; i++)
			a[i] = sk_eval(x, n->kid[i]);
		return n->fn->fn(x, n, a);
	}
	}
	return sk_v_null();
}

/* --- the context ---------------------------------------------------------- */

void sk_expr_exempt(sk_expr *x, uint32_t slot)
{
	SK_GROW(x->exempt, x->exemptcap, x->nexempt + 1);
	x->exempt[x->nexempt++] = slot;
}

void sk_expr_setup(sk_expr *x, const char *src, sk_schema *schema, int flags)
{
	memset(x, 0, sizeof *x);
	x->src = sk_xstrndup(src, strlen(src));
	x->schema = schema;
	x->flags = flags;
}

void sk_expr_teardown(sk_expr *x)
{
	for (size_t i = x->nclean; i-- > 0;)
		x->clean[i].fn(x->clean[i].p);
	free(x->clean);
	free(x->fields);
	free(x->exempt);
	free(x->src);
	sk_arena_free(&x->mem);
	sk_arena_free(&x->scratch);
}

void sk_expr_fail(sk_expr *x, size_t start, size_t end, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (!x->fail) {
		sk_src_err e = { 0 };
		sk_src_err_vset(&e, start, end, fmt, ap);
		va_end(ap);
		sk_src_err_die(&e, x->src);
	}
	sk_src_err_vset(x->fail_err, start, end, fmt, ap);
	va_end(ap);
	longjmp(*x->fail, 1);
}

void sk_expr_strict_check(sk_expr *x, sk_record *rec)
{
	x->strict_done = 1;
	for (size_t i = 0; i < x->nfields; i++) {
		sk_node *f = x->fields[i];
		int exempt = 0;
		for (size_t j = 0; j < x->nexempt && !exempt; j++)
			exempt = x->exempt[j] == f->slot;
		if (exempt || sk_rec_get(rec, f->slot))
			continue;
		sk_str name = sk_schema_name(x->schema, f->slot);
		sk_die_at(x->src, f->start, f->end,
			  "unknown field '%.*s' (not in the first record; --strict-fields)",
			  (int)name.n, name.p);
	}
}

/* --- the public API ------------------------------------------------------ */

void sk_expr_free(sk_expr *e)
{
	if (!e)
		return;
	sk_expr_teardown(e);
	free(e);
}

sk_value sk_expr_eval(sk_expr *e, sk_record *rec)
{
	sk_eval_begin(e, rec);
	return sk_eval(e, e->root);
}

/*
 * Truth of n without building a value where the node is a test (and, or,
 * not, a field compared with a constant): a filter's usual shape.
 */
static int eval_test(sk_expr *x, sk_node *n)
{
	switch ((sk_op)n->op) {
	case SK_N_AND:
		return eval_test(x, n->kid[0]) && eval_test(x, n->kid[1]);
	case SK_N_OR:
		return eval_test(x, n->kid[0]) || eval_test(x, n->kid[1]);
	case SK_N_NOT:
		return !eval_test(x, n->kid[0]);
	case SK_N_FCMPNUM: {
		const sk_field *f = sk_rec_get(x->rec, n->slot);
		sk_num v;
		if (f && n->k.isint && fast_int(f->p, f->n, &v))
			return cmp_holds(n->sub, (v.i > n->k.i) - (v.i < n->k.i));
		break;
	}
	default:
		break;
	}
	sk_value v = sk_eval(x, n);
	return v.t == SK_V_BOOL ? v.i != 0 : sk_value_truthy(&v);
}

int sk_expr_is_field(const sk_expr *e, uint32_t *slot)
{
	if (e->root->op != SK_N_FIELD || (e->flags & SK_EXPR_STRICT_FIELDS))
		return 0;
	*slot = e->root->slot;
	return 1;
}

const char *sk_expr_error(const sk_expr *e)
{
	return e->err;
}

int sk_expr_test(sk_expr *e, sk_record *rec)
{
	sk_eval_begin(e, rec);
	return eval_test(e, e->root);
}
