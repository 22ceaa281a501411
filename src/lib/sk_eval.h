/* sk_eval: the compiled form of an expression and the evaluator, shared by
 * sk_compile (which makes it), sk_prog (stream-map) and sk_func. */
#ifndef SK_EVAL_H
#define SK_EVAL_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>
#include <setjmp.h>
#include "sk_expr.h"
#include "sk_parse.h"

/* A compiled regex with its match data, both made once. */
typedef struct sk_regex {
	pcre2_code *re;
	pcre2_match_data *md;
	int jit;
} sk_regex;

typedef struct sk_cleanup {
	void (*fn)(void *);
	void *p;
} sk_cleanup;

struct sk_expr {
	sk_node *root;
	char *src;          /* owned copy of the source, for messages */
	sk_schema *schema;
	int flags;
	int in_prog;        /* part of a stream-map program */
	sk_arena mem;       /* nodes, constants: freed with the expression */
	sk_arena scratch;   /* strings made by one evaluation */
	sk_record *rec;     /* the record being evaluated */
	void *state;        /* stream-map: the state cells of the record's key */
	uint32_t nstate;    /* stateful call sites */
	sk_cleanup *clean;  /* what to free with the expression */
	size_t nclean, cleancap;
	/* --strict-fields: field nodes checked against the first record */
	sk_node **fields;
	size_t nfields, fieldcap;
	int strict_done;
	uint32_t *exempt;   /* slots exempt from the check (assigned, has()) */
	size_t nexempt, exemptcap;
	/* Why the last top-level evaluation failed (a regex the engine
	 * could not run to the end), or NULL: the record is then bad. */
	const char *err;
	char errbuf[128];
	/* While compiling: a program error goes into *fail_err and out
	 * through *fail (sk_expr_fail). */
	jmp_buf *fail;
	sk_src_err *fail_err;
};

/* Sets up an empty expression context for src (copied). */
void sk_expr_setup(sk_expr *x, const char *src, sk_schema *schema, int flags);
/* Frees what the context owns (not x itself). */
void sk_expr_teardown(sk_expr *x);
/* Exempts the field in slot from the --strict-fields check (a field the
 * expression makes: assigned, has(), extract()'s groups). */
void sk_expr_exempt(sk_expr *x, uint32_t slot);
/*
 * A program error at [start, end) of x->src while x is compiled (a bad
 * constant argument, regex, format): into *x->fail_err, then longjmp to
 * *x->fail, which the compiler set; without one, printed and exit 2.
 */
_Noreturn void sk_expr_fail(sk_expr *x, size_t start, size_t end,
			    const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The strict-fields check, on the first record. */
void sk_expr_strict_check(sk_expr *x, sk_record *rec);

/* Readies x for one record: its scratch, and the --strict-fields check on
 * the first. Every top-level evaluation (expression, test, program) starts
 * here. */
static inline void sk_eval_begin(sk_expr *x, sk_record *rec)
{
	if (x->scratch.head)
		sk_arena_reset(&x->scratch);
	x->rec = rec;
	x->err = NULL;
	if (__builtin_expect(!x->strict_done, 0)) {
		if (x->flags & SK_EXPR_STRICT_FIELDS)
			sk_expr_strict_check(x, rec);
		x->strict_done = 1;
	}
}

sk_value sk_eval(sk_expr *x, sk_node *n);

/* n bytes (plus a NUL) of scratch, valid until the next top-level eval. */
static inline char *sk_scratch(sk_expr *x, size_t n)
{
	return sk_arena_alloc(&x->scratch, n + 1);
}

/* sk_value_text, in scratch when the text must be made (numbers). */
sk_str sk_value_text_x(sk_expr *x, const sk_value *v);

/* Compiles a regex at compile time; an invalid one is a program error at
 * [start, end) of x->src (sk_expr_fail). */
sk_regex *sk_regex_new(sk_expr *x, const char *pat, size_t n, size_t start,
		       size_t end);
/* A regex from a pattern only known at run time (one-entry cache in *slot);
 * NULL if the pattern is invalid. */
sk_regex *sk_regex_dyn(sk_expr *x, void **slot, const char *pat, size_t n);
/*
 * 1 if re matches [s, s+n) (captures in re->md), 0 if not. The JIT runs
 * on a stack of up to SK_REGEX_JIT_STACK bytes; a match that needs more
 * runs again in the interpreter (within its match and heap limits). If
 * that fails too, x->err says why and the answer is 0: the caller's
 * record is bad, never silently unmatched.
 */
int sk_regex_match(sk_expr *x, sk_regex *re, const char *s, size_t n);
#define SK_REGEX_JIT_STACK ((size_t)64 << 20)
/* The match context every match uses (JIT stack, limits), made once. */
pcre2_match_context *sk_regex_context(void);
/* Sets x->err for a PCRE2 error code rc met while matching. */
void sk_regex_fail(sk_expr *x, int rc);

#endif
