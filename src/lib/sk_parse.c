/* sk_parse: precedence-climbing parser from tokens to the syntax tree. A
 * syntax error leaves through p->fail (longjmp) to the entry point, which
 * returns it: everything made so far belongs to p or to the caller's
 * memory, so nothing is lost on the way out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_err.h"
#include "sk_parse.h"

void sk_parser_free(sk_parser *p)
{
	free(p->tok);
	free(p->ev);
	free(p->st);
	for (size_t i = 0; i < p->nitems; i++) {
		for (size_t j = 0; j < p->items[i].nargs; j++)
			sk_arena_free(&p->items[i].args[j].mem);
		free(p->items[i].args);
	}
	free(p->items);
	sk_arena_free(&p->lexmem);
	sk_src_err_clear(&p->err);
	memset(p, 0, sizeof *p);
}

/* The syntax error at [start, end): into p->err, then out to the entry. */
static _Noreturn __attribute__((format(printf, 4, 5)))
void fail(sk_parser *p, size_t start, size_t end, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sk_src_err_vset(&p->err, start, end, fmt, ap);
	va_end(ap);
	longjmp(p->fail, 1);
}

static void event(sk_parser *p, int kind, sk_node *n, size_t item, size_t arg)
{
	SK_GROW(p->ev, p->evcap, p->nev + 1);
	p->ev[p->nev++] = (sk_pev){ kind, n, item, arg };
}

static sk_node *node_new(sk_parser *p, int op, size_t start, size_t end, size_t nkid)
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

static _Noreturn void too_deep(sk_parser *p, size_t start, size_t end)
{
	fail(p, start, end, "expression nested too deeply (more than %d levels)",
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

static const sk_tok *peek(const sk_parser *p)
{
	return &p->tok[p->i];
}

/* At token t: "unexpected X" or "expected WHAT, not X". */
static _Noreturn void syntax_error(sk_parser *p, const sk_tok *t,
				   const char *expected)
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
		fail(p, t->start, t->end, "syntax error: expected %s, not %s",
		     expected, what);
	fail(p, t->start, t->end, "syntax error: unexpected %s", what);
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
		syntax_error(p, tk, what);
	p->i++;
	return tk;
}

static sk_node *binary(sk_parser *p, int op, sk_node *a, sk_node *b)
{
	sk_node *n = node_new(p, op, a->start, b->end, 2);
	n->kid[0] = a;
	n->kid[1] = b;
	return deepen(p, n, b->start, b->end);
}

static sk_node *parse_not(sk_parser *p);
static sk_node *parse_unary(sk_parser *p);

static sk_node *parse_expr(sk_parser *p);

/* name(args): a name and its arguments; the compiler finds the function
 * and checks the count (SK_PEV_CALL, SK_PEV_CALLED). */
static sk_node *parse_call(sk_parser *p, const sk_tok *name)
{
	sk_node *c = node_new(p, SK_N_CALL, name->start, name->end, 0);
	c->k = sk_v_str(name->s, name->n);
	event(p, SK_PEV_CALL, c, 0, 0);
	expect(p, SK_T_LP, "'('");
	sk_node *args[SK_PARSE_MAX_ARGS];
	size_t n = 0;
	if (!accept(p, SK_T_RP)) {
		for (;;) {
			if (n == SK_PARSE_MAX_ARGS)
				fail(p, name->start, name->end, "%.*s: too many arguments",
				     (int)name->n, name->s);
			args[n++] = parse_expr(p);
			if (accept(p, SK_T_RP))
				break;
			expect(p, SK_T_COMMA, "',' or ')'");
		}
	}
	c->end = p->tok[p->i - 1].end;
	c->nkid = (uint16_t)n;
	if (n) {
		c->kid = sk_arena_alloc(p->mem, n * sizeof *c->kid);
		memcpy(c->kid, args, n * sizeof *args);
	}
	event(p, SK_PEV_CALLED, c, 0, 0);
	return deepen(p, c, name->start, name->end);
}

static sk_node *parse_primary(sk_parser *p)
{
	const sk_tok *t = next(p);
	sk_node *n;
	switch (t->t) {
	case SK_T_NUM:
		n = node_new(p, SK_N_CONST, t->start, t->end, 0);
		n->k = sk_num_value(&t->num);
		return n;
	case SK_T_STR:
		n = node_new(p, SK_N_CONST, t->start, t->end, 0);
		n->k = sk_v_str(t->s, t->n);
		return n;
	case SK_T_TRUE:
	case SK_T_FALSE:
		n = node_new(p, SK_N_CONST, t->start, t->end, 0);
		n->k = sk_v_bool(t->t == SK_T_TRUE);
		return n;
	case SK_T_FIELD:
		n = node_new(p, SK_N_FIELD, t->start, t->end, 0);
		n->k = sk_v_str(t->s, t->n); /* the name, until compiled */
		return n;
	case SK_T_POS:
		n = node_new(p, t->num.i ? SK_N_POS : SK_N_RAW, t->start, t->end, 0);
		n->slot = (uint32_t)t->num.i;
		return n;
	case SK_T_IDENT:
		if (peek(p)->t == SK_T_LP)
			return parse_call(p, t);
		n = node_new(p, SK_N_FIELD, t->start, t->end, 0);
		n->k = sk_v_str(t->s, t->n);
		return n;
	case SK_T_LP:
		n = parse_expr(p);
		expect(p, SK_T_RP, "')'");
		return n;
	case SK_T_MINUS:
		p->i--;
		return parse_unary(p);
	case SK_T_NOT:
		p->i--;
		return parse_not(p);
	default:
		syntax_error(p, t, "a value");
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
	const sk_tok *t = peek(p);
	if (t->t == SK_T_MINUS || t->t == SK_T_PLUS) {
		p->i++;
		descend(p, t);
		sk_node *a = parse_unary(p);
		p->depth--;
		if (t->t == SK_T_PLUS)
			return a;
		sk_node *n = node_new(p, SK_N_NEG, t->start, a->end, 1);
		n->kid[0] = a;
		return deepen(p, n, t->start, t->end);
	}
	return parse_cat(p);
}

static sk_node *parse_mul(sk_parser *p)
{
	sk_node *a = parse_unary(p);
	for (;;) {
		sk_tok_type t = peek(p)->t;
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
		sk_tok_type t = peek(p)->t;
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
	sk_node **kid = sk_arena_alloc(p->mem, (SK_PARSE_MAX_IN + 1) * sizeof *kid);
	sk_node **items = kid + 1;
	size_t n = 0;
	if (!accept(p, SK_T_RB)) {
		for (;;) {
			if (n == SK_PARSE_MAX_IN)
				fail(p, a->start, peek(p)->end,
				     "more than %d items in an 'in' list", SK_PARSE_MAX_IN);
			items[n++] = parse_expr(p);
			if (accept(p, SK_T_RB))
				break;
			expect(p, SK_T_COMMA, "',' or ']'");
		}
	}
	sk_node *in = node_new(p, SK_N_IN, a->start, p->tok[p->i - 1].end, 0);
	in->kid = kid;
	in->nkid = (uint16_t)(n + 1);
	kid[0] = a;
	return deepen(p, in, a->start, in->end);
}

static sk_node *parse_match(sk_parser *p)
{
	sk_node *a = parse_in(p);
	for (;;) {
		sk_tok_type t = peek(p)->t;
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
		switch (peek(p)->t) {
		case SK_T_EQ: op = SK_N_EQ; break;
		case SK_T_NE: op = SK_N_NE; break;
		case SK_T_LT: op = SK_N_LT; break;
		case SK_T_LE: op = SK_N_LE; break;
		case SK_T_GT: op = SK_N_GT; break;
		case SK_T_GE: op = SK_N_GE; break;
		case SK_T_ASSIGN:
			fail(p, peek(p)->start, peek(p)->end,
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
	const sk_tok *t = peek(p);
	if (t->t != SK_T_NOT)
		return parse_cmp(p);
	p->i++;
	descend(p, t);
	sk_node *a = parse_not(p);
	p->depth--;
	sk_node *n = node_new(p, SK_N_NOT, t->start, a->end, 1);
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
	sk_node *a = parse_expr(p);
	expect(p, SK_T_COLON, "':'");
	sk_node *b = parse_expr(p);
	sk_node *n = node_new(p, SK_N_TERN, c->start, b->end, 3);
	n->kid[0] = c;
	n->kid[1] = a;
	n->kid[2] = b;
	return deepen(p, n, a->start, b->end);
}

/* One expression (the loosest level: ?:). */
static sk_node *parse_expr(sk_parser *p)
{
	descend(p, peek(p));
	sk_node *n = parse_tern(p);
	p->depth--;
	return n;
}

/* Sets p up for src: its tokens (0), or the lexical error (-1). */
static int start(sk_parser *p, const char *src, sk_arena *mem)
{
	memset(p, 0, sizeof *p);
	p->src = src;
	p->mem = mem;
	return sk_lex(src, &p->lexmem, &p->tok, &p->ntok, &p->err);
}

int sk_parse_expr_src(sk_parser *p, const char *src, sk_arena *mem, sk_node **root)
{
	*root = NULL;
	if (start(p, src, mem) < 0)
		return -1;
	if (setjmp(p->fail))
		return -1;
	sk_node *n = parse_expr(p);
	if (peek(p)->t != SK_T_EOF)
		syntax_error(p, peek(p), NULL);
	*root = n;
	return 0;
}

/* --- stream-map programs ------------------------------------------------- */

static int is_word(const sk_tok *t, const char *w)
{
	return t->t == SK_T_IDENT && t->n == strlen(w) && memcmp(t->s, w, t->n) == 0;
}

/* A field name token (bare name, $name, ${...}) to assign or delete. */
static sk_str field_name(sk_parser *p)
{
	const sk_tok *t = peek(p);
	if (t->t == SK_T_POS)
		fail(p, t->start, t->end,
		     "cannot assign to or delete a positional field; use a name");
	if (t->t != SK_T_IDENT && t->t != SK_T_FIELD)
		syntax_error(p, t, "a field name");
	p->i++;
	return (sk_str){ t->s, t->n };
}

static void parse_stmts(sk_parser *p)
{
	for (;;) {
		while (peek(p)->t == SK_T_SEMI)
			p->i++;
		const sk_tok *t = peek(p);
		if (t->t == SK_T_EOF)
			break;
		SK_GROW(p->st, p->stcap, p->nst + 1);
		sk_pstmt *s = &p->st[p->nst++];
		memset(s, 0, sizeof *s);
		const sk_tok *t2 = &p->tok[p->i + 1];
		if (is_word(t, "del") && (t2->t == SK_T_IDENT || t2->t == SK_T_FIELD ||
					  t2->t == SK_T_POS)) {
			p->i++;
			s->kind = SK_PS_DEL;
			size_t cap = 0;
			do {
				if (s->ndel == cap) {
					/* in the node memory: nothing to free on an error */
					size_t ncap = cap ? 2 * cap : SK_GROW_MIN;
					sk_str *d = sk_arena_alloc(p->mem, ncap * sizeof *d);
					if (s->ndel)
						memcpy(d, s->del, s->ndel * sizeof *d);
					s->del = d;
					cap = ncap;
				}
				s->del[s->ndel] = field_name(p);
				s->ndel++;
			} while (peek(p)->t == SK_T_COMMA && ++p->i);
		} else if (is_word(t, "filter") && t2->t != SK_T_ASSIGN) {
			p->i++;
			s->kind = SK_PS_FILTER;
			s->e = parse_expr(p);
		} else if ((t->t == SK_T_IDENT || t->t == SK_T_FIELD || t->t == SK_T_POS) &&
			   t2->t == SK_T_ASSIGN) {
			s->kind = SK_PS_ASSIGN;
			s->name = field_name(p);
			p->i++; /* '=' */
			s->e = parse_expr(p);
		} else {
			s->kind = SK_PS_EXPR;
			s->e = parse_expr(p);
		}
		const sk_tok *e = peek(p);
		if (e->t != SK_T_SEMI && e->t != SK_T_EOF && !e->nl)
			syntax_error(p, e, "';' or a newline");
	}
}

int sk_parse_prog(sk_parser *p, const char *src, sk_arena *mem)
{
	if (start(p, src, mem) < 0)
		return -1;
	if (setjmp(p->fail))
		return -1;
	parse_stmts(p);
	return 0;
}

/* --- aggregate lists ----------------------------------------------------- */

static void parse_items(sk_parser *p)
{
	for (;;) {
		const sk_tok *name = peek(p);
		if (name->t != SK_T_IDENT)
			syntax_error(p, name, "an aggregate such as count or sum(x)");
		p->i++;
		SK_GROW(p->items, p->itemcap, p->nitems + 1);
		sk_pitem *it = &p->items[p->nitems++];
		memset(it, 0, sizeof *it);
		it->name = (sk_str){ name->s, name->n };
		it->start = name->start;
		it->end = name->end;
		if (peek(p)->t == SK_T_LP) {
			p->i++;
			if (peek(p)->t == SK_T_RP) {
				p->i++;
			} else {
				for (;;) {
					SK_GROW(it->args, it->argcap, it->nargs + 1);
					sk_parg *a = &it->args[it->nargs++];
					memset(a, 0, sizeof *a);
					p->mem = &a->mem;
					a->root = parse_expr(p);
					p->mem = NULL;
					event(p, SK_PEV_ARG, NULL, p->nitems - 1, it->nargs - 1);
					const sk_tok *t = peek(p);
					p->i++;
					if (t->t == SK_T_RP)
						break;
					if (t->t != SK_T_COMMA)
						syntax_error(p, t, "',' or ')'");
				}
			}
			it->end = p->tok[p->i - 1].end;
		}
		const sk_tok *t = peek(p);
		if (t->t == SK_T_IDENT && t->n == 2 && memcmp(t->s, "as", 2) == 0) {
			p->i++;
			const sk_tok *a = peek(p);
			if (a->t != SK_T_IDENT && a->t != SK_T_STR && a->t != SK_T_FIELD)
				syntax_error(p, a, "a name after 'as'");
			if (a->n == 0)
				fail(p, a->start, a->end, "empty name after 'as'");
			it->alias = (sk_str){ a->s, a->n };
			p->i++;
			t = peek(p);
		}
		if (t->t == SK_T_EOF)
			break;
		if (t->t != SK_T_COMMA)
			syntax_error(p, t, "',' between aggregates");
		p->i++;
	}
}

int sk_parse_agg_list(sk_parser *p, const char *src)
{
	if (start(p, src, NULL) < 0)
		return -1;
	if (setjmp(p->fail))
		return -1;
	parse_items(p);
	return 0;
}
