/* sk_agg_list: aggregate lists from source text, on the expression
 * language and the aggregate table. Kept apart from sk_agg.h so that a user
 * of aggregate states (sk_window) does not see the expression engine. */
#ifndef SK_AGG_LIST_H
#define SK_AGG_LIST_H

#include <stddef.h>
#include <stdint.h>
#include "sk_agg.h"
#include "sk_expr.h"

/*
 * Aggregate lists from source text ("count, sum(bytes) as b"). Names, arities and
 * constant arguments are checked; errors are located (sk_die_at, exit 2).
 * The compiled argument expressions are in items[i].args, L->a[i] is item
 * i. Default names: "count", "sum_bytes" (function, '_', the argument's
 * text with every run of other than [A-Za-z0-9_.] made one '_', trimmed);
 * approx_p adds its q: "approx_p0.9_x".
 */
typedef struct sk_agg_list {
	sk_aggs aggs;
	sk_agg_item *items;
	size_t nitems;
	sk_agg_in *in;    /* scratch: one checked input per aggregate */
	size_t *same;     /* same[i] = j + 1 when aggregate j < i takes the
			   * same argument the same way: evaluated once */
	int64_t *field;   /* slot + 1 when the argument is a bare field, read
			   * without the evaluator; else 0 */
	uint64_t seq;     /* records added so far: their arrival numbers */
	const char *err;  /* after sk_agg_list_eval: why the argument it
			   * returned could not be evaluated, or NULL when
			   * it is simply not a number */
} sk_agg_list;

void sk_agg_list_compile(sk_agg_list *l, const char *src, sk_schema *schema,
			 int flags);
/*
 * Evaluates and checks every aggregate's argument on rec into l->in.
 * Returns -1 if all are fine (the record can be added), else the index of
 * the first aggregate whose value is not a number, or whose argument could
 * not be evaluated (l->err says why); nothing is added then.
 */
long sk_agg_list_eval(sk_agg_list *l, sk_record *rec);
/*
 * Checks that the output columns are unique: the n names before the
 * aggregates (keys, time columns) and each aggregate's name. A clash is a
 * program error located at the aggregate (exit 2):
 * "1:8: duplicate output column 'count'"; two equal names among the
 * first n are a usage error naming opt ("-g").
 */
void sk_agg_list_unique(const sk_agg_list *l, const char *src,
			const sk_schema *schema, const uint32_t *slots,
			size_t n, const char *opt);
/* Adds the inputs of the last sk_agg_list_eval to a group's block, as the
 * next record in arrival order. */
void sk_agg_list_add(sk_agg_list *l, void *block);
void sk_agg_list_free(sk_agg_list *l);

#endif
