/* sk_parse: precedence-climbing parser from tokens to the syntax tree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_err.h"
#include "sk_func.h"
#include "sk_parse.h"

void sk_parser_init(sk_parser *p, const char *src, sk_arena *lexmem)
{
	memset(p, 0, sizeof *p);
	p->src = src;
	sk_lex(src, lexmem, &p->tok, &p->ntok);
}

void sk_parser_free(sk_parser *p)
{
	free(p->tok);
	p->tok = NULL;
}

sk_node *sk_node_new(sk_parser *p, int op, size_t start, size_t end, size_t nkid)
{
	sk_node *n = sk_arena_alloc(p->mem, sizeof *n);
	memset(n, 0, sizeof *n);
	n->op = (uint8_t)op;
	n->start = start;
	n->end = end;
	n->nkid = (uint16_t)nkid;
	n->depth = 1;
	if (nkid)
		n->kid = sk_arena_alloc(p->mem, nkid * sizeof *n->kid);
	return n;
}

static _Noreturn void too_deep(const sk_parser *p, size_t start, size_t end)
{
	sk_die_at(p->src, start, end, "expression nested too deeply (more than %d levels)",
		  SK_PARSE_MAX_DEPTH);
}

/* Sets n's depth from its kids (all set); dies past the limit, pointing
 * at [start, end), where the level that went over begins. */
static sk_node *deepen(sk_parser *p, sk_node *n, size_t start, size_t end)
{
	uint32_t d = 0;
	for (size_t i = 0; i < n->nkid; i++)
		if (n->kid[i]->depth > d)
			d = n->kid[i]->depth;
	n->depth = d + 1;
	if (n->depth > SK_PARSE_MAX_DEPTH)
		too_deep(p, start, end);
	return n;
}

/* One more level of the parser's descent, at token t. */
static void descend(sk_parser *p, const sk_tok *t)
{
	if (++p->depth > SK_PARSE_MAX_DEPTH)
		too_deep(p, t->start, t->end);
}

void sk_parse_error(const sk_parser *p, const sk_tok *t, const char *expected)
{
	char what[64];
	if (t->t == SK_T_EOF)
		snprintf(what, sizeof what, "end of input");
	else if (t->end - t->start <= 40)
		snprintf(what, sizeof what, "'%.*s'", (int)(t->end - t->start),
			 p->src + t->start);
	else
		snprintf(what, sizeof what, "%s", sk_tok_name(t->t));
	if (expected)
		sk_die_at(p->src, t->start, t->end, "syntax error: expected %s, not %s",
			  expected, what);
	sk_die_at(p->src, t->start, t->end, "syntax error: unexpected %s", what);
}

static const sk_tok *next(sk_parser *p)
{
	const sk_tok *t = &p->tok[p->i];
	if (t->t != SK_T_EOF)
		p->i++;
	return t;
}

static int accept(sk_parser *p, sk_tok_type t)
{
	if (p->tok[p->i].t != t)
		return 0;
	p->i++;
	return 1;
}

static const sk_tok *expect(sk_parser *p, sk_tok_type t, const char *what)
{
	const sk_tok *tk = &p->tok[p->i];
	if (tk->t != t)
		sk_parse_error(p, tk, what);
	p->i++;
	return tk;
}

static sk_node *binary(sk_parser *p, int op, sk_node *a, sk_node *b)
{
	sk_node *n = sk_node_new(p, op, a->start, b->end, 2);
	n->kid[0] = a;
	n->kid[1] = b;
	return deepen(p, n, b->start, b->end);
}

static sk_node *parse_not(sk_parser *p);
static sk_node *parse_unary(sk_parser *p);

static sk_node *parse_call(sk_parser *p, const sk_tok *name)
{
	const sk_func *fn = sk_func_find(name->s, name->n);
	if (!fn) {
		sk_near near;
		sk_near_init(&near, name->s, name->n);
		for (const sk_func *f = sk_funcs; f->name; f++)
			if (p->in_prog || !(f->flags & (SK_F_STATE | SK_F_PROG)))
				sk_near_add(&near, f->name);
		const char *best = sk_near_best(&near);
		if (best)
			sk_die_at(p->src, name->start, name->end,
				  "unknown function '%.*s' (did you mean '%s'?)",
				  (int)name->n, name->s, best);
		sk_die_at(p->src, name->start, name->end, "unknown function '%.*s'",
			  (int)name->n, name->s);
	}
	if ((fn->flags & (SK_F_STATE | SK_F_PROG)) && !p->in_prog)
		sk_die_at(p->src, name->start, name->end,
			  "%s() is only available in stream-map programs", fn->name);
	expect(p, SK_T_LP, "'('");
	sk_node *args[SK_F_MAXARGS];
	size_t n = 0;
	if (!accept(p, SK_T_RP)) {
		for (;;) {
			if (n == SK_F_MAXARGS)
				sk_die_at(p->src, name->start, name->end,
					  "%s: too many arguments", fn->name);
			args[n++] = sk_parse_expr(p);
			if (accept(p, SK_T_RP))
				break;
			expect(p, SK_T_COMMA, "',' or ')'");
		}
	}
	size_t end = p->tok[p->i - 1].end;
	if (n < fn->min || (fn->max != SK_F_VARIADIC && n > fn->max)) {
		char want[48];
		if (fn->min == fn->max)
			snprintf(want, sizeof want, "%u argument%s", fn->min,
				 fn->min == 1 ? "" : "s");
		else if (fn->max == SK_F_VARIADIC)
			snprintf(want, sizeof want, "at least %u argument%s", fn->min,
				 fn->min == 1 ? "" : "s");
		else
			snprintf(want, sizeof want, "%u to %u arguments", fn->min, fn->max);
		sk_die_at(p->src, name->start, end, "%s takes %s, not %zu (%s)",
			  fn->name, want, n, fn->synopsis);
	}
	sk_node *c = sk_node_new(p, SK_N_CALL, name->start, end, n);
	if (n)
		memcpy(c->kid, args, n * sizeof *args);
	c->fn = fn;
	return deepen(p, c, name->start, name->end);
}

static sk_node *parse_primary(sk_parser *p)
{
	const sk_tok *t = next(p);
	sk_node *n;
	switch (t->t) {
	case SK_T_NUM:
		n = sk_node_new(p, SK_N_CONST, t->start, t->end, 0);
		n->k = sk_num_value(&t->num);
		return n;
	case SK_T_STR:
		n = sk_node_new(p, SK_N_CONST, t->start, t->end, 0);
		n->k = sk_v_str(t->s, t->n);
		return n;
	case SK_T_TRUE:
	case SK_T_FALSE:
		n = sk_node_new(p, SK_N_CONST, t->start, t->end, 0);
		n->k = sk_v_bool(t->t == SK_T_TRUE);
		return n;
	case SK_T_FIELD:
		n = sk_node_new(p, SK_N_FIELD, t->start, t->end, 0);
		n->k = sk_v_str(t->s, t->n); /* the name, until compiled */
		return n;
	case SK_T_POS:
		n = sk_node_new(p, t->num.i ? SK_N_POS : SK_N_RAW, t->start, t->end, 0);
		n->slot = (uint32_t)t->num.i;
		return n;
	case SK_T_IDENT:
		if (sk_parse_peek(p)->t == SK_T_LP)
			return parse_call(p, t);
		n = sk_node_new(p, SK_N_FIELD, t->start, t->end, 0);
		n->k = sk_v_str(t->s, t->n);
		return n;
	case SK_T_LP:
		n = sk_parse_expr(p);
		expect(p, SK_T_RP, "')'");
		return n;
	case SK_T_MINUS:
		p->i--;
		return parse_unary(p);
	case SK_T_NOT:
		p->i--;
		return parse_not(p);
	default:
		sk_parse_error(p, t, "a value");
	}
}

/* '..' binds tightest: a .. b == c compares the concatenation. */
static sk_node *parse_cat(sk_parser *p)
{
	sk_node *a = parse_primary(p);
	while (accept(p, SK_T_CONCAT))
		a = binary(p, SK_N_CAT, a, parse_primary(p));
	return a;
}

static sk_node *parse_unary(sk_parser *p)
{
	const sk_tok *t = sk_parse_peek(p);
	if (t->t == SK_T_MINUS || t->t == SK_T_PLUS) {
		p->i++;
		descend(p, t);
		sk_node *a = parse_unary(p);
		p->depth--;
		if (t->t == SK_T_PLUS)
			return a;
		sk_node *n = sk_node_new(p, SK_N_NEG, t->start, a->end, 1);
		n->kid[0] = a;
		return deepen(p, n, t->start, t->end);
	}
	return parse_cat(p);
}

static sk_node *parse_mul(sk_parser *p)
{
	sk_node *a = parse_unary(p);
	for (;;) {
		sk_tok_type t = sk_parse_peek(p)->t;
		int op = t == SK_T_STAR ? SK_N_MUL : t == SK_T_SLASH ? SK_N_DIV :
			t == SK_T_PCT ? SK_N_MOD : -1;
		if (op < 0)
			return a;
		p->i++;
		a = binary(p, op, a, parse_unary(p));
	}
}

static sk_node *parse_add(sk_parser *p)
{
	sk_node *a = parse_mul(p);
	for (;;) {
		sk_tok_type t = sk_parse_peek(p)->t;
		int op = t == SK_T_PLUS ? SK_N_ADD : t == SK_T_MINUS ? SK_N_SUB : -1;
		if (op < 0)
			return a;
		p->i++;
		a = binary(p, op, a, parse_mul(p));
	}
}

static sk_node *parse_in(sk_parser *p)
{
	sk_node *a = parse_add(p);
	if (!accept(p, SK_T_IN))
		return a;
	expect(p, SK_T_LB, "'[' after 'in'");
	/* The kids, kid[0] the left side: in the expression's memory, not on
	 * the stack (lists nest inside lists). */
	sk_node **kid = sk_arena_alloc(p->mem, 257 * sizeof *kid), **items = kid + 1;
	size_t n = 0;
	if (!accept(p, SK_T_RB)) {
		for (;;) {
			if (n == 256)
				sk_die_at(p->src, a->start, sk_parse_peek(p)->end,
					  "more than 256 items in an 'in' list");
			items[n++] = sk_parse_expr(p);
			if (accept(p, SK_T_RB))
				break;
			expect(p, SK_T_COMMA, "',' or ']'");
		}
	}
	sk_node *in = sk_node_new(p, SK_N_IN, a->start, p->tok[p->i - 1].end, 0);
	in->kid = kid;
	in->nkid = (uint16_t)(n + 1);
	kid[0] = a;
	return deepen(p, in, a->start, in->end);
}

static sk_node *parse_match(sk_parser *p)
{
	sk_node *a = parse_in(p);
	for (;;) {
		sk_tok_type t = sk_parse_peek(p)->t;
		int op = t == SK_T_MATCH ? SK_N_MATCH : t == SK_T_NMATCH ? SK_N_NMATCH : -1;
		if (op < 0)
			return a;
		p->i++;
		a = binary(p, op, a, parse_in(p));
	}
}

static sk_node *parse_cmp(sk_parser *p)
{
	sk_node *a = parse_match(p);
	for (;;) {
		int op;
		switch (sk_parse_peek(p)->t) {
		case SK_T_EQ: op = SK_N_EQ; break;
		case SK_T_NE: op = SK_N_NE; break;
		case SK_T_LT: op = SK_N_LT; break;
		case SK_T_LE: op = SK_N_LE; break;
		case SK_T_GT: op = SK_N_GT; break;
		case SK_T_GE: op = SK_N_GE; break;
		case SK_T_ASSIGN:
			sk_die_at(p->src, sk_parse_peek(p)->start, sk_parse_peek(p)->end,
				  "syntax error: '=' is assignment; compare with '=='");
		default:
			return a;
		}
		p->i++;
		a = binary(p, op, a, parse_match(p));
	}
}

static sk_node *parse_not(sk_parser *p)
{
	const sk_tok *t = sk_parse_peek(p);
	if (t->t != SK_T_NOT)
		return parse_cmp(p);
	p->i++;
	descend(p, t);
	sk_node *a = parse_not(p);
	p->depth--;
	sk_node *n = sk_node_new(p, SK_N_NOT, t->start, a->end, 1);
	n->kid[0] = a;
	return deepen(p, n, t->start, t->end);
}

static sk_node *parse_and(sk_parser *p)
{
	sk_node *a = parse_not(p);
	while (accept(p, SK_T_AND))
		a = binary(p, SK_N_AND, a, parse_not(p));
	return a;
}

static sk_node *parse_or(sk_parser *p)
{
	sk_node *a = parse_and(p);
	while (accept(p, SK_T_OR))
		a = binary(p, SK_N_OR, a, parse_and(p));
	return a;
}

static sk_node *parse_tern(sk_parser *p)
{
	sk_node *c = parse_or(p);
	if (!accept(p, SK_T_QUEST))
		return c;
	sk_node *a = sk_parse_expr(p);
	expect(p, SK_T_COLON, "':'");
	sk_node *b = sk_parse_expr(p);
	sk_node *n = sk_node_new(p, SK_N_TERN, c->start, b->end, 3);
	n->kid[0] = c;
	n->kid[1] = a;
	n->kid[2] = b;
	return deepen(p, n, a->start, b->end);
}

sk_node *sk_parse_expr(sk_parser *p)
{
	descend(p, sk_parse_peek(p));
	sk_node *n = parse_tern(p);
	p->depth--;
	return n;
}
