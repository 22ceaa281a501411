/* sk_aggstate: stream-agg's --state FILE: what the state holds (the
 * group table, the inputs read), what made it, loading it before the
 * input and saving it atomically after. */
#ifndef SK_AGGSTATE_H
#define SK_AGGSTATE_H

#include "sk_follow.h"
#include "sk_group.h"
#include "sk_tool.h"

/* The sections of stream-agg's state. */
enum { SK_AGGSTATE_INPUTS = 1, SK_AGGSTATE_GROUPS = 2 };

typedef struct sk_aggstate {
	const char *path;       /* --state FILE; NULL: none */
	sk_follow fw;
	sk_buf made;            /* what makes the state (sk_aggstate_made) */
	const sk_reader *rd;    /* the tool's, borrowed */
	int64_t checkpoint;     /* --checkpoint, ns; 0: none */
	int64_t due;            /* the monotonic clock of the next one */
	uint32_t nrec;          /* records since the clock was read */
	int ckpt_failed;        /* a checkpoint could not be written (said) */
} sk_aggstate;

/* How many records go between two reads of the clock for --checkpoint. */
#define SK_CHECKPOINT_CLOCK_EVERY 1024

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

/* --checkpoint: saves the state now, as sk_aggstate_end would after the
 * last record read, if s->checkpoint is due (the clock is read every
 * SK_CHECKPOINT_CLOCK_EVERY calls). Call between records, after the
 * last one read is in g. A state that cannot be written is said once;
 * the run goes on. */
void sk_aggstate_checkpoint_now(sk_aggstate *s, sk_group *g);
static inline void sk_aggstate_checkpoint(sk_aggstate *s, sk_group *g)
{
	if (s->checkpoint && ++s->nrec >= SK_CHECKPOINT_CLOCK_EVERY)
		sk_aggstate_checkpoint_now(s, g);
}

/* At the end: saves the table and where each input ends, unless a signal
 * ended the run (the last state is then kept: the next run reads again
 * what this one read). Returns 0, or SK_EXIT_DATA after saying why when
 * the state could not be written (the old one is then untouched) or a
 * rotated file was not found. Frees s. */
int sk_aggstate_end(sk_aggstate *s, sk_group *g);

void sk_aggstate_free(sk_aggstate *s);

#endif
