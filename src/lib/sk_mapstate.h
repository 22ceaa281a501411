/* sk_mapstate: stream-map's --state FILE: what the state holds (the
 * stateful functions' cells, per -g key; the inputs read) and what made
 * it; the run (loading, --checkpoint, the atomic save) is sk_runstate's.
 * The output is written per record, so it is at least once: after a run
 * killed, the records since its last checkpoint are written again. */
#ifndef SK_MAPSTATE_H
#define SK_MAPSTATE_H

#include "sk_expr.h"
#include "sk_runstate.h"

/* The sections of stream-map's state. */
enum { SK_MAPSTATE_INPUTS = SK_RUNSTATE_INPUTS, SK_MAPSTATE_CELLS = 2 };

typedef sk_runstate sk_mapstate;

/*
 * The canonical form of what changes the output: the program's source
 * text as given (src; NULL: none), the -g keys, the field options as
 * given (fields: "-s a,b -r x:y", "" for none), the input format, -N, -d.
 */
void sk_mapstate_made(sk_buf *made, const char *src, const sk_fref *keys,
		      size_t nkeys, const char *fields, const sk_tool *t);

/*
 * Checks the state [p, p+n) against made and reads it into prog (which
 * has run on no record; NULL: no program) and fw. Returns 1, or 0 with
 * the reason in err.
 */
int sk_mapstate_read(const char *p, size_t n, const char *made, sk_prog *prog,
		     sk_follow *fw, sk_buf *err);

/*
 * After sk_tool_start, before the first record: sets what makes the
 * state (sk_mapstate_made), loads s->path into prog (a missing one is a
 * first run; one that is refused says why and exits 2), plans the
 * reading of the FILE operands and points t's reader at it.
 */
void sk_mapstate_open(sk_mapstate *s, sk_prog *prog, sk_tool *t,
		      const char *src, const sk_fref *keys, size_t nkeys,
		      const char *fields);

#endif
