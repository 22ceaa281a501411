/* sk_winstate: stream-window's --state FILE, as sk_aggstate is
 * stream-agg's: what the state holds (the inputs read, the engine's
 * watermark and every window held, the run's time form and key kinds),
 * what made it, loading it before the input, --checkpoint, and saving it
 * atomically at the end or on SIGINT/SIGTERM. */
#ifndef SK_WINSTATE_H
#define SK_WINSTATE_H

#include "sk_aggstate.h"
#include "sk_follow.h"
#include "sk_tool.h"
#include "sk_winrun.h"

/* The sections of stream-window's state. */
enum { SK_WINSTATE_INPUTS = 1, SK_WINSTATE_WINDOWS = 2, SK_WINSTATE_RUN = 3 };

/* Its options: getopt_long values after sk_winrun's. */
enum {
	SK_WSOPT_STATE = SK_WOPT_MERGE + 1,
	SK_WSOPT_ROTATED,
	SK_WSOPT_CHECKPOINT,
	SK_WSOPT_DRAIN,
};

typedef struct sk_winstate {
	const char *path;       /* --state FILE; NULL: none */
	sk_follow fw;
	sk_buf made;            /* what makes the state (sk_winstate_made) */
	const sk_reader *rd;    /* the tool's, borrowed */
	int drain;              /* --drain */
	int64_t checkpoint;     /* --checkpoint, ns; 0: none */
	int64_t due;            /* the monotonic clock of the next one */
	uint32_t nrec;          /* records since the clock was read */
	int ckpt_failed;        /* a checkpoint could not be written (said) */
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

/* The state of fw's inputs section (already written: insec) and wr into
 * b, not yet checksummed (sk_state_save appends it). */
void sk_winstate_write(sk_buf *b, const char *made, const sk_buf *insec,
		       sk_winrun *wr);

/*
 * After sk_tool_start and sk_winrun_setup: loads s->path into wr (a
 * missing one is a first run; one that is refused says why and exits 2,
 * leaving it as it is), plans the reading of the FILE operands and points
 * t's reader at it; from here the end of input fires no open window
 * unless --drain.
 */
void sk_winstate_open(sk_winstate *s, sk_winrun *wr);

/* --checkpoint: flushes the rows written so far to the output, then
 * saves the state as it stands after the last record read, if it is due
 * (the clock is read every SK_CHECKPOINT_CLOCK_EVERY calls). Call between
 * records. A state that cannot be written is said once; the run goes on. */
void sk_winstate_checkpoint_now(sk_winstate *s, sk_winrun *wr);
static inline void sk_winstate_checkpoint(sk_winstate *s, sk_winrun *wr)
{
	if (s->checkpoint && ++s->nrec >= SK_CHECKPOINT_CLOCK_EVERY)
		sk_winstate_checkpoint_now(s, wr);
}

/*
 * At the end, after sk_winrun_finish: flushes the output, then saves the
 * windows still open and where each input ends; after SIGINT or SIGTERM,
 * where the last record read ends (the reading stops between records).
 * Returns 0, or SK_EXIT_DATA after saying why when the state could not be
 * written (the old one is then untouched) or a rotated file was not
 * found. Frees s.
 */
int sk_winstate_end(sk_winstate *s, sk_winrun *wr);

#endif
