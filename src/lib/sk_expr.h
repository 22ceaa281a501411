/* sk_expr: the expression language (lexer, parser, compiler, evaluator) as
 * one API, shared by stream-filter, stream-map, and the aggregates of
 * stream-agg and stream-window. Compile once, resolve names to slots once,
 * evaluate each record without allocating. */
#ifndef SK_EXPR_H
#define SK_EXPR_H

#include <stddef.h>
#include "sk_record.h"
#include "sk_value.h"

typedef struct sk_expr sk_expr;  /* a compiled expression */
typedef struct sk_prog sk_prog;  /* a compiled stream-map program */

enum {
	SK_EXPR_STRICT_FIELDS = 1, /* a field no record has is an error */
};

/*
 * Compiles src. Field names are interned into schema. On a program error
 * prints "prog: 1:COL: message" with the source line and a caret, exits 2.
 * The result is owned by the caller (sk_expr_free).
 */
sk_expr *sk_expr_compile(const char *src, sk_schema *schema, int flags);
void sk_expr_free(sk_expr *e);

/*
 * Evaluates e on rec. The value is borrowed: its string bytes live in rec
 * or in the expression's scratch space, valid until the next evaluation of
 * e or the next change of rec.
 */
sk_value sk_expr_eval(sk_expr *e, sk_record *rec);
/* 1 and *slot if e is a bare field reference (its value is the field's
 * text, so a caller on a hot path may read the field itself), else 0. */
int sk_expr_is_field(const sk_expr *e, uint32_t *slot);

/* Evaluates e on rec for its truth only (a filter): the same answer as
 * sk_value_truthy(sk_expr_eval(e, rec)), without building values for the
 * tests and comparisons on the way. */
int sk_expr_test(sk_expr *e, sk_record *rec);
/*
 * Why the last sk_expr_eval or sk_expr_test of e could not be evaluated
 * (a regex the engine could not run to the end: "regex: match limit
 * exceeded"), or NULL. The value or truth is then meaningless: the tool
 * treats the record as bad.
 */
const char *sk_expr_error(const sk_expr *e);
/* Frees what evaluation keeps per thread (the regex engine's match
 * context and JIT stack), for a thread that ends before the process. */
void sk_expr_thread_end(void);
/*
 * An aggregate list as stream-agg and stream-window take it:
 * "count, sum(bytes), p99(bytes) as slow, approx_p(x, 0.9)". Each item is a
 * function name (which may be "p99.9"), its argument expressions, and an
 * optional alias. The parser does not know which names are aggregates: the
 * caller checks names and arities and reports with sk_die_at on
 * [start, end) of src.
 */
typedef struct sk_agg_item {
	char *name;        /* function name, owned */
	char *alias;       /* "as" name, owned, or NULL */
	sk_expr **args;    /* owned */
	char **argsrc;     /* the source text of each argument, owned */
	size_t nargs;
	size_t start, end; /* span in src, for errors */
} sk_agg_item;

/* Parses an aggregate list; exits 2 with a located message on a syntax
 * error. *items is owned by the caller (sk_agg_items_free). */
void sk_agg_list_parse(const char *src, sk_schema *schema, int flags,
		       sk_agg_item **items, size_t *n);
void sk_agg_items_free(sk_agg_item *items, size_t n);

/*
 * A stream-map program: statements separated by ';' or newlines:
 * "name = expr", "del name", "filter expr". Stateful functions (prev,
 * delta, cumsum, ewma, rownum) keep state per key of the group fields (n == 0:
 * one state for the whole stream).
 */
sk_prog *sk_prog_compile(const char *src, sk_schema *schema, int flags,
			 const sk_fref *group, size_t ngroup);
/*
 * 1 if src compiles as a stream-map program with at least one assignment,
 * del or filter statement (so it has '=' or a blank in it), else 0;
 * nothing is said either way. How stream-map tells a PROGRAM operand from
 * a FILE that exists.
 */
int sk_prog_is_program(const char *src);
/* Runs the program on rec (changing it). Returns 1 to keep the record, 0
 * if a filter statement dropped it. */
int sk_prog_run(sk_prog *p, sk_record *rec);
/* After a run that returned 0: why the program stopped if not by a filter
 * statement (as sk_expr_error), else NULL. */
const char *sk_prog_error(const sk_prog *p);
/* Runs every statement on rec, filters too but without stopping at one:
 * the fields the program's output has (for the header of an empty
 * output). */
void sk_prog_run_all(sk_prog *p, sk_record *rec);
void sk_prog_free(sk_prog *p);
/* 1 if the program keeps state from record to record (prev, delta,
 * cumsum, ewma, rownum): its answer depends on every record before. */
int sk_prog_stateful(const sk_prog *p);

/* The number of stateful call sites (prev, delta, ...) in p. */
uint32_t sk_prog_nstate(const sk_prog *p);
struct sk_cur;
/*
 * stream-map --state: the state of p's stateful functions, every key's
 * (in first-seen order; without -g the one of the stream), into out:
 * the number of call sites, whether there are keys, the key count, then
 * each key and its cells. sk_prog_state_load reads it into p, which has
 * seen no record, so that the records after continue as in one run.
 * Returns 1, or 0 with the reason in err (p then holds what was read
 * before it: the caller gives up).
 */
void sk_prog_state_save(const sk_prog *p, sk_buf *out);
int sk_prog_state_load(sk_prog *p, struct sk_cur *c, sk_buf *err);

#endif
