/* sk_aggstate: stream-agg's --state FILE: what the state holds (the
 * group table, the inputs read) and what made it; the run (loading,
 * --checkpoint, the atomic save) is sk_runstate's. */
#ifndef SK_AGGSTATE_H
#define SK_AGGSTATE_H

#include "sk_group.h"
#include "sk_runstate.h"

/* The sections of stream-agg's state. */
enum { SK_AGGSTATE_INPUTS = SK_RUNSTATE_INPUTS, SK_AGGSTATE_GROUPS = 2 };

typedef sk_runstate sk_aggstate;

/*
 * The canonical form of what changes the totals: the aggregates (call
 * and name), the keys, the input format, -N, -d and --merge.
 */
void sk_aggstate_made(sk_buf *made, const sk_aggs *aggs, const sk_fref *keys,
		      size_t nkeys, const sk_tool *t, int merge);

/*
 * Checks the state [p, p+n) of path against made and reads it into g
 * (empty) and fw. Returns 1, or 0 with the reason in err.
 */
int sk_aggstate_read(const char *p, size_t n, const char *made, sk_group *g,
		     sk_follow *fw, sk_buf *err);

/*
 * After sk_tool_start: sets what makes the state (sk_aggstate_made),
 * loads s->path (a missing one is a first run; one that is refused says
 * why and exits 2), plans the reading of the FILE operands and points
 * t's reader at it. Needs FILE operands.
 */
void sk_aggstate_open(sk_aggstate *s, sk_group *g, sk_tool *t,
		      const sk_aggs *aggs, const sk_fref *keys, size_t nkeys,
		      int merge);

/* --checkpoint (sk_runstate_checkpoint): call between records, after
 * the last one read is in g. */
static inline void sk_aggstate_checkpoint(sk_aggstate *s, sk_group *g)
{
	(void)g;
	sk_runstate_checkpoint(s);
}

/* At the end: saves the table and where each input ends (as
 * sk_runstate_end). Returns 0 or SK_EXIT_DATA. Frees s. */
static inline int sk_aggstate_end(sk_aggstate *s, sk_group *g)
{
	(void)g;
	return sk_runstate_end(s);
}

#endif
