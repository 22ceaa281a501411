/* sk_lex: the tokens of the expression language, each with its byte span
 * in the source so that every error can point at it. */
#ifndef SK_LEX_H
#define SK_LEX_H

#include <stdarg.h>
#include <stddef.h>
#include "sk_buf.h"
#include "sk_num.h"

typedef enum sk_tok_type {
	SK_T_EOF = 0,
	SK_T_NUM,     /* num holds it */
	SK_T_STR,     /* s/n: the decoded bytes (in the lexer's arena) */
	SK_T_IDENT,   /* s/n: the name (may hold dots: a.b, p99.9) */
	SK_T_FIELD,   /* $name or ${any text}: s/n the name */
	SK_T_POS,     /* $N: num.i holds N (0 = the whole record), N below
		       * about SK_LEX_MAX_POS */
	SK_T_LP, SK_T_RP, SK_T_LB, SK_T_RB, SK_T_COMMA, SK_T_SEMI,
	SK_T_QUEST, SK_T_COLON, SK_T_ASSIGN,
	SK_T_OR, SK_T_AND, SK_T_NOT,
	SK_T_EQ, SK_T_NE, SK_T_LT, SK_T_LE, SK_T_GT, SK_T_GE,
	SK_T_MATCH, SK_T_NMATCH, SK_T_IN,
	SK_T_PLUS, SK_T_MINUS, SK_T_STAR, SK_T_SLASH, SK_T_PCT, SK_T_CONCAT,
	SK_T_TRUE, SK_T_FALSE,
} sk_tok_type;

/* $N with more digits than this allows is "field number too large". */
#define SK_LEX_MAX_POS 1000000000

typedef struct sk_tok {
	sk_tok_type t;
	size_t start, end; /* byte span [start, end) in the source */
	int nl;            /* a newline came between this token and the last */
	const char *s;
	size_t n;
	sk_num num;
} sk_tok;

/*
 * A program error as a value: a message about [start, end) of the source,
 * as sk_die_at prints it ("1:COL: msg", the line, a caret). Every stage of
 * the expression language (lexer, parser, compiler) reports this way and
 * leaves to its caller whether to print and exit (sk_src_err_die) or to
 * go on. msg is owned (sk_src_err_clear); NULL: no error.
 */
typedef struct sk_src_err {
	size_t start, end;
	char *msg;
} sk_src_err;

/* Sets e (which must hold no error) to the formatted message at
 * [start, end). */
void sk_src_err_set(sk_src_err *e, size_t start, size_t end, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void sk_src_err_vset(sk_src_err *e, size_t start, size_t end, const char *fmt,
		     va_list ap) __attribute__((format(printf, 4, 0)));
/* Prints e located in src and exits 2 (sk_die_at). */
_Noreturn void sk_src_err_die(const sk_src_err *e, const char *src);
/* Frees e's message; e holds no error after. */
void sk_src_err_clear(sk_src_err *e);

/*
 * Splits src into tokens (ending with one SK_T_EOF). Decoded strings live
 * in *mem, which the caller frees. Returns 0 with *toks owned by the
 * caller (free()), or -1 with the lexical error in *err (and *toks NULL).
 */
int sk_lex(const char *src, sk_arena *mem, sk_tok **toks, size_t *ntok,
	   sk_src_err *err);

/* A token type as the user would write it, for messages ("')'"). */
const char *sk_tok_name(sk_tok_type t);

#endif
