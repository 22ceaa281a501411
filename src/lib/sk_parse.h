/* sk_parse: the syntax tree of the expression language and its parser
 * (precedence climbing). Nodes are compiled in place (sk_eval.c), so the
 * tree the parser builds is the tree the evaluator walks. */
#ifndef SK_PARSE_H
#define SK_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include "sk_buf.h"
#include "sk_lex.h"
#include "sk_value.h"

typedef enum sk_op {
	SK_N_CONST,   /* k */
	SK_N_FIELD,   /* slot */
	SK_N_POS,     /* $N: slot = N */
	SK_N_RAW,     /* $0 */
	SK_N_NEG, SK_N_NOT,
	SK_N_AND, SK_N_OR, SK_N_TERN,
	SK_N_EQ, SK_N_NE, SK_N_LT, SK_N_LE, SK_N_GT, SK_N_GE,
	SK_N_MATCH, SK_N_NMATCH, /* aux: a compiled constant regex, or NULL */
	SK_N_IN,      /* kid[0] in kid[1..] */
	SK_N_ADD, SK_N_SUB, SK_N_MUL, SK_N_DIV, SK_N_MOD,
	SK_N_CAT,
	SK_N_CALL,    /* fn, kid = arguments */
	/* Made by the compiler for the common shapes. */
	SK_N_FCMPNUM, /* field (slot) <cmp sub> numeric constant k */
	SK_N_FEQSTR,  /* field (slot) ==/!= (sub) string constant k */
} sk_op;

struct sk_func;

typedef struct sk_node sk_node;
struct sk_node {
	uint8_t op;
	uint8_t sub;          /* SK_N_FCMPNUM/FEQSTR: the comparison op */
	uint16_t nkid;
	uint32_t slot;        /* field slot, $N, or a stateful call's state cell */
	uint32_t depth;       /* levels of the tree under it, itself included */
	size_t start, end;    /* span in the source */
	sk_node **kid;
	sk_value k;           /* SK_N_CONST; strings in the expression's memory */
	const struct sk_func *fn;
	void *aux;            /* per-node data of an operator or function */
};

/*
 * How deep an expression may nest: levels of the tree (a+a+a is three),
 * and of the parser's descent (((a)) is three). The compiler and the
 * evaluator recurse over the tree, so this bounds their stack too; deeper
 * is a program error ("expression nested too deeply"), never a crash.
 */
#define SK_PARSE_MAX_DEPTH 1000

typedef struct sk_parser {
	const char *src;
	sk_tok *tok;
	size_t ntok, i;
	sk_arena *mem;        /* nodes are allocated here */
	int in_prog;          /* stream-map: extract() and stateful functions allowed */
	unsigned depth;       /* current descent, against SK_PARSE_MAX_DEPTH */
} sk_parser;

/* Tokenizes src into p (tokens owned by p, strings in lexmem). */
void sk_parser_init(sk_parser *p, const char *src, sk_arena *lexmem);
void sk_parser_free(sk_parser *p);

/* One expression (the loosest level: ?:). Exits 2 on a syntax error. */
sk_node *sk_parse_expr(sk_parser *p);

static inline const sk_tok *sk_parse_peek(const sk_parser *p)
{
	return &p->tok[p->i];
}

/* Dies at token t: "unexpected X" or "expected WHAT, not X". */
_Noreturn void sk_parse_error(const sk_parser *p, const sk_tok *t,
			      const char *expected);

sk_node *sk_node_new(sk_parser *p, int op, size_t start, size_t end,
		     size_t nkid);

#endif
