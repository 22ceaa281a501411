/* sk_agg: the one table of aggregate functions and the lifecycle of their
 * states, shared by stream-agg (groups, --partial/--merge) and
 * stream-window (per-pane states that merge). */
#ifndef SK_AGG_H
#define SK_AGG_H

#include <stddef.h>
#include <stdint.h>
#include "sk_buf.h"
#include "sk_num.h"
#include "sk_sketch.h"
#include "sk_value.h"

/* What sk_agg_check says about one value for one aggregate. */
typedef enum sk_agg_status {
	SK_AGG_OK = 0,
	SK_AGG_SKIP,   /* empty or missing: this aggregate ignores it */
	SK_AGG_NAN,    /* not a number where one is needed: a bad record */
} sk_agg_status;

/* What an aggregate takes from its first argument. */
enum sk_agg_input {
	SK_AGG_IN_NONE,   /* count: no argument */
	SK_AGG_IN_NUM,    /* a number; empty skipped; other text is bad */
	SK_AGG_IN_BYTES,  /* the value's bytes; empty skipped */
	SK_AGG_IN_TRUTH,  /* count_if: truth as in awk */
};

/* One value, checked and converted: the input of add. Bytes are borrowed
 * from the value (or numbuf) until the next evaluation. */
typedef struct sk_agg_in {
	int status;      /* sk_agg_status */
	sk_num num;
	const char *s;
	size_t n;
	int truth;
	uint8_t kind;    /* the bytes' sk_field_kind (first, last keep it) */
	uint64_t seq;    /* arrival number of the record (sk_agg_list_add):
			  * first and last keep it to merge in any order */
	char numbuf[SK_NUM_BUFSZ];
} sk_agg_in;

typedef struct sk_agg sk_agg;

/*
 * An entry of the table: what an aggregate is, in fields, so that a new
 * aggregate is one entry and its functions (written with designated
 * initializers; what is left out is 0 or NULL: the usual).
 *
 * Every state is a block of `size` bytes the caller owns (an arena, a
 * pane), aligned to `align` (0: SK_AGG_ALIGN); init makes it empty; add
 * folds one checked value in (it cannot fail: sk_agg_check decided); merge
 * folds src into dst (src is unchanged) so that merging the states of any
 * split of the input equals one state over all of it; result appends the
 * final value as text and returns SK_AGG_R_KIND(its sk_field_kind), so
 * that first(s) of a JSON string "200" is written as a string
 * (SK_AGG_R_TEXT for numbers), or returns 0 and appends nothing for "no
 * value", e.g. the mean of nothing; free releases what the state points
 * to, never the block itself (NULL: nothing); ser appends the state in
 * binary (sk_ser_*), de reads it into an init'ed state (0 on malformed
 * input, the state then only fit for free).
 */
typedef struct sk_agg_def {
	const char *name;     /* as written, or the family's name ("pNN") */
	/* A family of names ("p99", "p99.9"): 1 if name is one, with a
	 * configured from it (a->q); NULL: the aggregate is its name. */
	int (*family)(sk_agg *a, const char *name);
	int minargs, maxargs;
	int sketch;           /* approximate, bounded memory */
	int input;            /* enum sk_agg_input */
	size_t size;
	size_t align;         /* the state's alignment; 0: SK_AGG_ALIGN */
	void (*init)(const sk_agg *a, void *st);
	void (*add)(const sk_agg *a, void *st, const sk_agg_in *in);
	void (*merge)(const sk_agg *a, void *dst, const void *src);
	/* total: the sum of part over all groups when part is set; else 0.
	 * May reorder the state (sorting kept values) but not change it. */
	int (*result)(const sk_agg *a, void *st, double total, sk_buf *out);
	/* The result as the number its text parses to (sk_num_parse), for
	 * --sort --top to rank groups without writing each one's text: 1
	 * with *out set, 0 for no value, as result. NULL: text only. */
	int (*value)(const sk_agg *a, void *st, double total, double *out);
	void (*free)(const sk_agg *a, void *st);
	void (*ser)(const sk_agg *a, const void *st, sk_buf *b);
	int (*de)(const sk_agg *a, void *st, sk_de *d);
	/* The result is a part of a total over all groups (share): this
	 * state's part. NULL: the result stands alone. */
	double (*part)(const sk_agg *a, const void *st);
	/* Arguments after the first are constants (approx_p's q, top's k):
	 * configures a from consts[1..nargs), or returns why not. NULL:
	 * there are none. */
	const char *(*config)(sk_agg *a, const sk_num *consts);
	/* Appends the function part of the default column name for the
	 * name written (approx_p adds its q); NULL: the name as written. */
	void (*colname)(const sk_agg *a, const char *name, sk_buf *b);
	const char *synopsis; /* "sum(x)" */
	const char *help;     /* one line for --help */
} sk_agg_def;

/* The alignment of a state that does not ask for more: 8 bytes keeps a
 * group's block small. */
#define SK_AGG_ALIGN 8

/* What a result returns for a value of sk_field_kind k; and back. */
#define SK_AGG_R_KIND(k) (1 + (k))
#define SK_AGG_R_TEXT SK_AGG_R_KIND(0)
#define SK_AGG_R_FIELD_KIND(r) ((r) - 1)

/* The table, ended by an entry with a NULL name. */
extern const sk_agg_def sk_agg_defs[];

/* One configured aggregate of a list. */
struct sk_agg {
	const sk_agg_def *def;
	double q;        /* pNN and approx_p: the quantile in [0, 1] */
	uint32_t k;      /* top: how many to show */
	int needs_total; /* def->part: result wants the sum over all groups */
	size_t off;      /* offset of the state in a group's block */
	char *name;      /* output column name, owned */
	char *call;      /* canonical "sum(bytes)", owned: guards --merge */
};

/*
 * Configures a for function name with nargs arguments; consts[1..nargs)
 * are the values of the constant arguments (approx_p's q, top's k);
 * consts may be NULL when nargs <= 1. Returns NULL, or a message for the
 * caller to locate ("unknown aggregate 'x'", "sum takes 1 argument").
 * name and call are left NULL (the list code sets them).
 */
const char *sk_agg_config(sk_agg *a, const char *name, size_t nargs,
			  const sk_num *consts);

/* Checks and converts the first argument's value (v NULL for count). */
int sk_agg_check(const sk_agg *a, sk_value *v, sk_agg_in *in);

/* The state lifecycle (see sk_agg_def). */
static inline void sk_agg_init(const sk_agg *a, void *st)
{
	a->def->init(a, st);
}
static inline void sk_agg_add(const sk_agg *a, void *st, const sk_agg_in *in)
{
	if (in->status == SK_AGG_OK)
		a->def->add(a, st, in);
}
static inline void sk_agg_merge(const sk_agg *a, void *dst, const void *src)
{
	a->def->merge(a, dst, src);
}
static inline int sk_agg_result(const sk_agg *a, void *st, double total,
				sk_buf *out)
{
	return a->def->result(a, st, total, out);
}
/* a->def->value: 1 and *out, 0 for no value; -1 when the result has only
 * a text (no def->value). */
static inline int sk_agg_value(const sk_agg *a, void *st, double total,
			       double *out)
{
	return a->def->value ? a->def->value(a, st, total, out) : -1;
}
static inline void sk_agg_free(const sk_agg *a, void *st)
{
	if (a->def->free)
		a->def->free(a, st);
}
/* This state's part of the total of a->def->part (share: its sum); 0
 * for an aggregate without one. */
double sk_agg_share_part(const sk_agg *a, const void *st);

/* The arrival number a state keeps to merge in any order (first, last:
 * that of their value; 0 for the others), which the --partial text does
 * not carry: stream-window's --state keeps it beside the text, so panes
 * and sessions saved by one run merge in the next as within one run.
 * Setting it on another aggregate does nothing. */
uint64_t sk_agg_seq(const sk_agg *a, const void *st);
void sk_agg_seq_set(const sk_agg *a, void *st, uint64_t seq);

/*
 * A list of aggregates and the layout of one group's state block: each
 * aggregate's state at a[i].off, size bytes in all, the block aligned to
 * align bytes (the largest of its states' alignments: SK_AGG_ALIGN, or 16
 * for long double states; 0 while the list is empty).
 */
typedef struct sk_aggs {
	sk_agg *a;
	size_t n, cap;
	size_t size;
	size_t align;
} sk_aggs;

/* Appends a (copied; its name and call become the list's). */
void sk_aggs_push(sk_aggs *L, const sk_agg *a);
void sk_aggs_init_block(const sk_aggs *L, void *block);
void sk_aggs_merge_block(const sk_aggs *L, void *dst, const void *src);
/* 1 if merging the states of consecutive parts of an input gives what
 * one state over it all gives, byte for byte but for the last bits of
 * fractions: every aggregate but the sketches approx_p and top, whose
 * merge stays within their bounds but may answer otherwise. */
int sk_aggs_merge_exact(const sk_aggs *L);
void sk_aggs_free_block(const sk_aggs *L, void *block);
/* Frees the list (not any block). Accepts a zeroed list. */
void sk_aggs_free(sk_aggs *L);

/*
 * The text form of one state for --partial: base64 of the call text and
 * the state, so it survives any output format. sk_agg_state_read parses
 * it into an init'ed state; it returns 1, or 0 with a message in err
 * (malformed, or made by another aggregate: "state of 'sum(x)', not
 * 'sum(bytes)'").
 */
void sk_agg_state_write(const sk_agg *a, const void *st, sk_buf *out);
int sk_agg_state_read(const sk_agg *a, void *st, const char *p, size_t n,
		      sk_buf *err);

/* Base64 (RFC 4648, with padding). dec returns 0 on bad input. */
void sk_b64_enc(sk_buf *out, const void *p, size_t n);
int sk_b64_dec(sk_buf *out, const char *p, size_t n);

#endif
