/* sk_compile: from the parser's tree to the evaluator's. Resolves function
 * names against the table (sk_func) and checks their calls, interns field
 * names into slots, checks constant arguments, compiles constant regexes
 * once, folds constants and specializes the common shapes. Program errors
 * go out through sk_expr_fail, so a caller may print them (the tools) or
 * not (sk_prog_is_program). */
#ifndef SK_COMPILE_H
#define SK_COMPILE_H

#include "sk_eval.h"
#include "sk_parse.h"

/*
 * Checks the calls p met, in the order it met them: an unknown name ("did
 * you mean"), a stream-map-only function outside a program, the count of
 * arguments; then, if the parse failed (parsed < 0), reports p's error.
 * So of a name error and a syntax error the first in the source is the
 * one reported. Errors through sk_expr_fail(x). Sets each call's fn.
 */
void sk_compile_calls(sk_expr *x, const sk_parser *p, int parsed);

/* Compiles n in place (its calls checked by sk_compile_calls); returns
 * the (possibly replaced) node. Errors through sk_expr_fail(x). */
sk_node *sk_compile_node(sk_expr *x, sk_node *n);

#endif
