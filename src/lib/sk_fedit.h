/* sk_fedit: stream-map's field edits, after the program: --select,
 * --exclude and --rename, by name or by position. */
#ifndef SK_FEDIT_H
#define SK_FEDIT_H

#include <stddef.h>
#include <stdint.h>
#include "sk_record.h"

typedef struct sk_fedit {
	sk_fref *sel, *exc, *ren; /* ren: OLD, NEW pairs */
	size_t nsel, nexc, nren;
	size_t exccap, rencap;
	int has_sel;              /* -s given (even if it keeps nothing) */
	int has_pos;              /* a field named by its position */
	/* the slots of sel, exc and ren, in that order: fixed for names,
	 * found in each record for positions */
	uint32_t *slot;
	size_t nslot;
} sk_fedit;

/* -s LIST: keep only these fields, in this order (the last -s wins). */
void sk_fedit_select(sk_fedit *fe, sk_schema *schema, const char *list);
/* -x LIST: drop these fields (each -x adds to the list). */
void sk_fedit_exclude(sk_fedit *fe, sk_schema *schema, const char *list);
/* -r OLD:NEW[,OLD:NEW...]: rename in place; a bad pair is a usage error. */
void sk_fedit_rename(sk_fedit *fe, sk_schema *schema, const char *arg);

/* After the options: the slots. */
void sk_fedit_ready(sk_fedit *fe);

/* sk_fedit_apply when there are edits. */
void sk_fedit_apply_all(sk_fedit *fe, sk_record *r);

/* Applies the edits to r: select, then exclude, then rename. Inline: it
 * is once a record, and most runs have none. */
static inline void sk_fedit_apply(sk_fedit *fe, sk_record *r)
{
	if (fe->nslot || fe->has_sel)
		sk_fedit_apply_all(fe, r);
}

/* Frees what fe holds (accepts a zeroed one). */
void sk_fedit_free(sk_fedit *fe);

#endif
