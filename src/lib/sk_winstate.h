/* sk_winstate: stream-window's --state FILE, as sk_aggstate is
 * stream-agg's: what the state holds besides the inputs read (the
 * engine's watermark and every window held, the run's time form and key
 * kinds) and what made it; the run (loading, --checkpoint, the atomic
 * save) is sk_runstate's, saving on SIGINT/SIGTERM too. */
#ifndef SK_WINSTATE_H
#define SK_WINSTATE_H

#include "sk_runstate.h"
#include "sk_winrun.h"

/* The tag of stream-window's own section: the engine (sk_win_save),
 * then the run's (sk_winrun_save). */
enum { SK_WINSTATE_WINDOWS = 2 };

/* Its options: getopt_long values after sk_winrun's. */
enum {
	SK_WSOPT_STATE = SK_WOPT_MERGE + 1,
	SK_WSOPT_ROTATED,
	SK_WSOPT_CHECKPOINT,
	SK_WSOPT_DRAIN,
};

typedef struct sk_winstate {
	sk_runstate rs;         /* rs.path: --state FILE; NULL: none */
	int drain;              /* --drain */
} sk_winstate;

/* Handles --state, --rotated, --checkpoint and --drain: 1 if opt was
 * one, else 0. A bad duration is a usage error. */
int sk_winstate_opt(sk_winstate *s, int opt, const char *arg);

/* After the options: the usage errors of these options with wr's. */
void sk_winstate_check(const sk_winstate *s, const sk_winrun *wr);

/*
 * The canonical form of what changes the windows and their rows: the
 * window options (sk_winrun_made), the aggregates, the keys and the
 * input options (sk_aggstate_made).
 */
void sk_winstate_made(sk_buf *made, const sk_winrun *wr);

/*
 * Checks the state [p, p+n) against made and reads it into fw and wr
 * (set up, no record read yet). Returns 1, or 0 with the reason in err.
 */
int sk_winstate_read(const char *p, size_t n, const char *made, sk_winrun *wr,
		     sk_follow *fw, sk_buf *err);

/* The state of the inputs section insec and of wr into b (cleared), as
 * a run saves it but for the checksum (sk_state_save appends it). */
void sk_winstate_write(sk_buf *b, const char *made, const sk_buf *insec,
		       sk_winrun *wr);

/*
 * After sk_tool_start and sk_winrun_setup: loads the state into wr (a
 * missing one is a first run; one that is refused says why and exits 2,
 * leaving it as it is), plans the reading of the FILE operands and points
 * the reader at it; from here the end of input fires no open window
 * unless --drain.
 */
void sk_winstate_open(sk_winstate *s, sk_winrun *wr);

/* --checkpoint (sk_runstate_checkpoint): call between records, after the
 * last one read is in the windows and the rows it fired are put. */
static inline void sk_winstate_checkpoint(sk_winstate *s)
{
	sk_runstate_checkpoint(&s->rs);
}

/*
 * At the end, after sk_winrun_finish (or instead of it, after a signal):
 * flushes the output, then saves the windows still open and where each
 * input ends; after SIGINT or SIGTERM, where the last record read ends
 * (the reading stops between records). Returns 0, or SK_EXIT_DATA (see
 * sk_runstate_end). Frees s.
 */
static inline int sk_winstate_end(sk_winstate *s)
{
	return sk_runstate_end(&s->rs);
}

#endif
