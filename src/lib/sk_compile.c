/* sk_compile: resolving and checking calls, names to slots, constant
 * folding and the specialized shapes; and the compiling entry points of
 * expressions and aggregate lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_compile.h"
#include "sk_err.h"
#include "sk_func.h"

/* --- calls --------------------------------------------------------------- */

/* The function a call names (at its name: before its arguments). */
static void resolve(sk_expr *x, sk_node *n)
{
	/* the name is the identifier at the call's start */
	const char *name = n->k.s;
	size_t len = n->k.n, end = n->start + len;
	const sk_func *fn = sk_func_find(name, len);
	if (!fn) {
		sk_near near;
		sk_near_init(&near, name, len);
		for (const sk_func *f = sk_funcs; f->name; f++)
			if (x->in_prog || !(f->flags & (SK_F_STATE | SK_F_PROG)))
				sk_near_add(&near, f->name);
		const char *best = sk_near_best(&near);
		if (best)
			sk_expr_fail(x, n->start, end,
				     "unknown function '%.*s' (did you mean '%s'?)",
				     (int)len, name, best);
		sk_expr_fail(x, n->start, end, "unknown function '%.*s'", (int)len, name);
	}
	if ((fn->flags & (SK_F_STATE | SK_F_PROG)) && !x->in_prog)
		sk_expr_fail(x, n->start, end,
			     "%s() is only available in stream-map programs", fn->name);
	n->fn = fn;
	n->k = sk_v_null();
}

/* The count of a call's arguments (at its ')'). */
static void check_arity(sk_expr *x, sk_node *n)
{
	const sk_func *fn = n->fn;
	size_t nargs = n->nkid;
	if (nargs >= fn->min && (fn->max == SK_F_VARIADIC || nargs <= fn->max))
		return;
	char want[48];
	if (fn->min == fn->max)
		snprintf(want, sizeof want, "%u argument%s", fn->min,
			 fn->min == 1 ? "" : "s");
	else if (fn->max == SK_F_VARIADIC)
		snprintf(want, sizeof want, "at least %u argument%s", fn->min,
			 fn->min == 1 ? "" : "s");
	else
		snprintf(want, sizeof want, "%u to %u arguments", fn->min, fn->max);
	sk_expr_fail(x, n->start, n->end, "%s takes %s, not %zu (%s)",
		     fn->name, want, nargs, fn->synopsis);
}

static void call_event(sk_expr *x, const sk_pev *e)
{
	if (e->kind == SK_PEV_CALL)
		resolve(x, e->n);
	else if (e->kind == SK_PEV_CALLED)
		check_arity(x, e->n);
}

static _Noreturn void parse_failed(sk_expr *x, const sk_parser *p)
{
	sk_expr_fail(x, p->err.start, p->err.end, "%s", p->err.msg);
}

void sk_compile_calls(sk_expr *x, const sk_parser *p, int parsed)
{
	for (size_t i = 0; i < p->nev; i++)
		call_event(x, &p->ev[i]);
	if (parsed < 0)
		parse_failed(x, p);
}

/* --- nodes --------------------------------------------------------------- */

static sk_value keep(sk_expr *x, sk_value v)
{
	if (v.t == SK_V_STR) {
		v.s = sk_arena_dup(&x->mem, v.s ? v.s : "", v.n);
		v.fromfield = 0;
		v.numchk = 0;
	}
	return v;
}

static int is_const(const sk_node *n)
{
	return n->op == SK_N_CONST;
}

static int swap_cmp(int op)
{
	switch (op) {
	case SK_N_LT: return SK_N_GT;
	case SK_N_LE: return SK_N_GE;
	case SK_N_GT: return SK_N_LT;
	case SK_N_GE: return SK_N_LE;
	default: return op;
	}
}

sk_node *sk_compile_node(sk_expr *x, sk_node *n)
{
	switch ((sk_op)n->op) {
	case SK_N_CONST:
		n->k = keep(x, n->k);
		return n;
	case SK_N_FIELD:
		n->slot = sk_schema_intern(x->schema, n->k.s, n->k.n);
		n->k = sk_v_null();
		SK_GROW(x->fields, x->fieldcap, x->nfields + 1);
		x->fields[x->nfields++] = n;
		return n;
	case SK_N_POS:
	case SK_N_RAW:
		return n;
	default:
		break;
	}
	int allconst = 1;
	for (size_t i = 0; i < n->nkid; i++) {
		n->kid[i] = sk_compile_node(x, n->kid[i]);
		allconst &= is_const(n->kid[i]);
	}
	if ((n->op == SK_N_MATCH || n->op == SK_N_NMATCH) && is_const(n->kid[1])) {
		char buf[SK_NUM_BUFSZ];
		sk_str pat = sk_value_text(&n->kid[1]->k, buf);
		n->aux = sk_regex_new(x, pat.p, pat.n, n->kid[1]->start, n->kid[1]->end);
	}
	if (n->op == SK_N_CALL) {
		if (n->fn->flags & SK_F_STATE)
			n->slot = x->nstate++;
		if (n->fn->prep)
			n->fn->prep(x, n);
		if (!(n->fn->flags & SK_F_PURE))
			allconst = 0;
	}
	if (allconst) {
		/* Fold: evaluate once now (no record is touched: all kids are
		 * constants), keep the result. */
		sk_record *saved = x->rec;
		x->rec = NULL;
		sk_value v = keep(x, sk_eval(x, n));
		x->rec = saved;
		sk_arena_reset(&x->scratch);
		n->op = SK_N_CONST;
		n->nkid = 0;
		n->k = v;
		return n;
	}
	/* field <cmp> number and field ==/!= "string": the common filters. */
	if (n->op >= SK_N_EQ && n->op <= SK_N_GE) {
		sk_node *f = n->kid[0], *k = n->kid[1];
		int op = n->op;
		if (is_const(f) && k->op == SK_N_FIELD) {
			sk_node *t = f;
			f = k;
			k = t;
			op = swap_cmp(op);
		}
		if (f->op == SK_N_FIELD && is_const(k) && k->k.t == SK_V_NUM) {
			n->op = SK_N_FCMPNUM;
			n->sub = (uint8_t)op;
			n->slot = f->slot;
			n->k = k->k;
			sk_str *txt = sk_arena_alloc(&x->mem, sizeof *txt);
			char buf[SK_NUM_BUFSZ];
			*txt = sk_value_text(&k->k, buf);
			txt->p = sk_arena_dup(&x->mem, txt->p, txt->n);
			n->aux = txt;
		} else if (f->op == SK_N_FIELD && is_const(k) && k->k.t == SK_V_STR &&
			   (op == SK_N_EQ || op == SK_N_NE)) {
			n->op = SK_N_FEQSTR;
			n->sub = (uint8_t)op;
			n->slot = f->slot;
			n->k = k->k;
		}
	}
	return n;
}


/* --- expressions --------------------------------------------------------- */

/* Compiles x->src into x->root: 0, or -1 with the program error in *err. */
static int compile_expr(sk_expr *x, sk_src_err *err)
{
	sk_parser p;
	sk_node *root;
	int parsed = sk_parse_expr_src(&p, x->src, &x->mem, &root);
	jmp_buf jb;
	x->fail = &jb;
	x->fail_err = err;
	if (setjmp(jb)) {
		x->fail = NULL;
		sk_parser_free(&p);
		return -1;
	}
	sk_compile_calls(x, &p, parsed);
	x->root = sk_compile_node(x, root);
	x->fail = NULL;
	sk_parser_free(&p);
	return 0;
}

sk_expr *sk_expr_compile(const char *src, sk_schema *schema, int flags)
{
	sk_expr *x = sk_xmalloc(sizeof *x);
	sk_expr_setup(x, src, schema, flags);
	sk_src_err err = { 0 };
	if (compile_expr(x, &err) < 0)
		sk_src_err_die(&err, x->src);
	return x;
}

/* --- aggregate lists ------------------------------------------------------ */

/*
 * The parser reads the whole list; then its events are replayed in order:
 * the calls checked, and each argument compiled (an expression of its own,
 * taking over the argument's memory) when the parser finished it. So a bad
 * argument is reported before a syntax error after it, as it is found.
 */
void sk_agg_list_parse(const char *src, sk_schema *schema, int flags,
		       sk_agg_item **itemsp, size_t *np)
{
	sk_parser p;
	int parsed = sk_parse_agg_list(&p, src);
	sk_agg_item *items = sk_xcalloc(p.nitems + 1, sizeof *items);
	for (size_t i = 0; i < p.nitems; i++) {
		const sk_pitem *pi = &p.items[i];
		sk_agg_item *it = &items[i];
		it->name = sk_xstrndup(pi->name.p, pi->name.n);
		if (pi->alias.p)
			it->alias = sk_xstrndup(pi->alias.p, pi->alias.n);
		it->args = sk_xcalloc(pi->nargs + 1, sizeof *it->args);
		it->argsrc = sk_xcalloc(pi->nargs + 1, sizeof *it->argsrc);
		it->start = pi->start;
		it->end = pi->end;
	}
	/* the calls are checked in a context of their own on the same source */
	sk_expr calls;
	sk_expr_setup(&calls, src, schema, flags);
	sk_src_err err = { 0 };
	jmp_buf jb;
	calls.fail = &jb;
	calls.fail_err = &err;
	if (setjmp(jb)) {
		sk_expr_teardown(&calls);
		sk_agg_items_free(items, p.nitems);
		sk_parser_free(&p);
		sk_src_err_die(&err, src);
	}
	for (size_t i = 0; i < p.nev; i++) {
		const sk_pev *e = &p.ev[i];
		if (e->kind != SK_PEV_ARG) {
			call_event(&calls, e);
			continue;
		}
		sk_agg_item *it = &items[e->item];
		sk_parg *a = &p.items[e->item].args[e->arg];
		sk_expr *x = sk_xmalloc(sizeof *x);
		sk_expr_setup(x, src, schema, flags);
		x->mem = a->mem;
		memset(&a->mem, 0, sizeof a->mem);
		it->args[it->nargs] = x;
		it->argsrc[it->nargs] = sk_xstrndup(src + a->root->start,
						    a->root->end - a->root->start);
		it->nargs++;
		x->fail = &jb;
		x->fail_err = &err;
		x->root = sk_compile_node(x, a->root);
		x->fail = NULL;
	}
	if (parsed < 0)
		parse_failed(&calls, &p);
	*itemsp = items;
	*np = p.nitems;
	sk_expr_teardown(&calls);
	sk_parser_free(&p);
}

void sk_agg_items_free(sk_agg_item *items, size_t n)
{
	if (!items)
		return;
	for (size_t i = 0; i < n; i++) {
		free(items[i].name);
		free(items[i].alias);
		for (size_t j = 0; j < items[i].nargs; j++) {
			sk_expr_free(items[i].args[j]);
			free(items[i].argsrc[j]);
		}
		free(items[i].args);
		free(items[i].argsrc);
	}
	free(items);
}
