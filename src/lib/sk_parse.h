/* sk_parse: the syntax tree of the expression language and its parser
 * (precedence climbing), for an expression, a stream-map program and an
 * aggregate list. The parser knows only the grammar: a call is a name
 * with arguments, resolved and checked by the compiler (sk_compile),
 * which then compiles the nodes in place, so the tree the parser builds
 * is the tree the evaluator walks. */
#ifndef SK_PARSE_H
#define SK_PARSE_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include "sk_buf.h"
#include "sk_lex.h"
#include "sk_value.h"

typedef enum sk_op {
	SK_N_CONST,   /* k */
	SK_N_FIELD,   /* slot; k holds the name until compiled */
	SK_N_POS,     /* $N: slot = N */
	SK_N_RAW,     /* $0 */
	SK_N_NEG, SK_N_NOT,
	SK_N_AND, SK_N_OR, SK_N_TERN,
	SK_N_EQ, SK_N_NE, SK_N_LT, SK_N_LE, SK_N_GT, SK_N_GE,
	SK_N_MATCH, SK_N_NMATCH, /* aux: a compiled constant regex, or NULL */
	SK_N_IN,      /* kid[0] in kid[1..] */
	SK_N_ADD, SK_N_SUB, SK_N_MUL, SK_N_DIV, SK_N_MOD,
	SK_N_CAT,
	SK_N_CALL,    /* kid = arguments; k holds the name until fn is set */
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
	const struct sk_func *fn; /* SK_N_CALL, set by the compiler */
	void *aux;            /* per-node data of an operator or function */
};

/*
 * How deep an expression may nest: levels of the tree (a+a+a is three),
 * and of the parser's descent (((a)) is three). The compiler and the
 * evaluator recurse over the tree, so this bounds their stack too; deeper
 * is a program error ("expression nested too deeply"), never a crash.
 */
#define SK_PARSE_MAX_DEPTH 1000
/* At most this many arguments in a call, and items in an 'in' list. */
#define SK_PARSE_MAX_ARGS 32
#define SK_PARSE_MAX_IN 256

/*
 * What the parser met, in the order it met it, for the compiler to check
 * in the same order (so that of two errors the first in the source is the
 * one reported, as when each was found on the way):
 *   SK_PEV_CALL    a call's name (before its arguments are read);
 *   SK_PEV_CALLED  the call complete (its arguments known);
 *   SK_PEV_ARG     an aggregate's argument complete: item, arg.
 */
enum { SK_PEV_CALL, SK_PEV_CALLED, SK_PEV_ARG };
typedef struct sk_pev {
	int kind;
	sk_node *n;           /* SK_PEV_CALL, SK_PEV_CALLED */
	size_t item, arg;     /* SK_PEV_ARG */
} sk_pev;

/* A stream-map statement as written; names point into the source. */
enum { SK_PS_ASSIGN, SK_PS_DEL, SK_PS_FILTER, SK_PS_EXPR };
typedef struct sk_pstmt {
	int kind;
	sk_node *e;           /* ASSIGN, FILTER, EXPR */
	sk_str name;          /* ASSIGN: the field assigned */
	sk_str *del;          /* DEL: the fields deleted (in the node memory) */
	size_t ndel;
} sk_pstmt;

/* An aggregate of a list as written: "name(args) as alias". Each argument
 * is a tree of its own, in memory of its own (mem), for the compiler to
 * take over. */
typedef struct sk_parg {
	sk_node *root;
	sk_arena mem;
} sk_parg;
typedef struct sk_pitem {
	sk_str name;          /* in the source */
	sk_str alias;         /* p NULL: none; in the source or the lexer's memory */
	sk_parg *args;
	size_t nargs, argcap;
	size_t start, end;    /* the name, or the name through ')' */
} sk_pitem;

/*
 * A parser and what it made. The tokens, events, statements and items
 * belong to it (sk_parser_free); the nodes are in *mem (the caller's), or
 * for an aggregate list in each argument's own memory.
 */
typedef struct sk_parser {
	const char *src;
	sk_tok *tok;
	size_t ntok, i;
	sk_arena lexmem;      /* decoded string literals */
	sk_arena *mem;        /* nodes are allocated here */
	unsigned depth;       /* current descent, against SK_PARSE_MAX_DEPTH */
	sk_pev *ev;
	size_t nev, evcap;
	sk_pstmt *st;         /* sk_parse_prog */
	size_t nst, stcap;
	sk_pitem *items;      /* sk_parse_agg_list */
	size_t nitems, itemcap;
	sk_src_err err;       /* the lexical or syntax error, if any */
	jmp_buf fail;
} sk_parser;

/*
 * Each parses all of src (which must outlive the tree) into p. They
 * return 0, or -1 with the first lexical or syntax error in p->err; the
 * events up to that error are in p->ev either way. p is set up by them
 * and must be freed with sk_parser_free after.
 *   sk_parse_expr_src: one expression, its root in *root, nodes in *mem;
 *   sk_parse_prog:     statements separated by ';' or newlines
 *                      ("name = expr", "del a, b", "filter expr", expr)
 *                      into p->st, nodes in *mem;
 *   sk_parse_agg_list: "count, sum(bytes), p99(x) as slow" into p->items.
 */
int sk_parse_expr_src(sk_parser *p, const char *src, sk_arena *mem,
		      sk_node **root);
int sk_parse_prog(sk_parser *p, const char *src, sk_arena *mem);
int sk_parse_agg_list(sk_parser *p, const char *src);
void sk_parser_free(sk_parser *p);

#endif
