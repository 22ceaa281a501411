/* sk_func: the builtin function table of the expression language (name,
 * arity, evaluation, compile-time checks), one entry per function. */
#ifndef SK_FUNC_H
#define SK_FUNC_H

#include <stdlib.h>
#include "sk_eval.h"

enum {
	SK_F_PURE = 1,  /* same args, same result: folded when they are constant */
	SK_F_LAZY = 2,  /* fn evaluates n->kid itself (a is NULL) */
	SK_F_STATE = 4, /* keeps per-key state: stream-map only */
	SK_F_PROG = 8,  /* changes the record: stream-map only */
};

#define SK_F_VARIADIC 255
#define SK_F_MAXARGS SK_PARSE_MAX_ARGS /* the most a call can have */

/* Evaluates a call; a holds the evaluated arguments (n->nkid of them). */
typedef sk_value (*sk_fn)(sk_expr *x, sk_node *n, sk_value *a);

typedef struct sk_func {
	const char *name;
	uint8_t min, max;      /* arity; max SK_F_VARIADIC: any number */
	uint8_t flags;
	sk_fn fn;
	/* Compile time, after the arguments are compiled: checks constant
	 * arguments (regex, format, duration, network) and sets n->aux;
	 * a bad one is a program error (sk_expr_fail). NULL: nothing to
	 * check. */
	void (*prep)(sk_expr *x, sk_node *n);
	const char *synopsis;  /* for messages and docs: "substr(s, start[, len])" */
} sk_func;

/*
 * The state of one stateful call site (prev, delta, cumsum, ewma, rownum)
 * for one key: stream-map keeps an array of these per key, indexed by the
 * call node's slot. s is malloc'ed (prev's last text), freed by
 * sk_state_cell_free.
 */
typedef struct sk_state_cell {
	int has;
	uint8_t t;
	uint8_t fk;      /* a string's sk_field_kind (prev keeps the type) */
	sk_num num;
	int64_t count;
	char *s;
	size_t n, cap;
} sk_state_cell;

static inline void sk_state_cell_free(sk_state_cell *c)
{
	free(c->s);
	c->s = NULL;
}

/* The function called name, or NULL. */
const sk_func *sk_func_find(const char *name, size_t n);
/* The whole table, ending with a zeroed entry. */
extern const sk_func sk_funcs[];

#endif
