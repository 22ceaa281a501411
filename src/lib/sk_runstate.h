/* sk_runstate: a tool's --state FILE run, shared by the tools that keep
 * one (stream-agg, stream-map): the container (sk_state) with the inputs
 * read (sk_follow) and one section of the tool's own, what made it,
 * loading before the input, --checkpoint during it and the atomic save
 * after. The tool gives its section as a save and a load callback. */
#ifndef SK_RUNSTATE_H
#define SK_RUNSTATE_H

#include "sk_follow.h"
#include "sk_tool.h"

/* The tag of the inputs section, the first one of every such state. */
#define SK_RUNSTATE_INPUTS 1

/* The tool's own section: its body from ctx into out, and back from c
 * into ctx (1, or 0 with the reason in err). */
typedef void (*sk_runstate_save_fn)(void *ctx, sk_buf *out);
typedef int (*sk_runstate_load_fn)(void *ctx, sk_cur *c, sk_buf *err);

typedef struct sk_runstate {
	const char *path;       /* --state FILE; NULL: none */
	sk_follow fw;
	sk_buf made;            /* what makes the state: the tool's options
				 * in a canonical form */
	const sk_reader *rd;    /* the tool's, borrowed */
	sk_tool *t;             /* borrowed: its output is flushed first */
	int64_t checkpoint;     /* --checkpoint, ns; 0: none */
	int64_t due;            /* the monotonic clock of the next one */
	uint32_t nrec;          /* records since the clock was read */
	int ckpt_failed;        /* a checkpoint could not be written (said) */
	/* a signal ends the run: the state is saved as it stands after the
	 * last record read (stream-window: rows written cannot be taken
	 * back, so reading them again would write them twice), not kept */
	int save_on_stop;
	/* the tool's section, set by sk_runstate_open */
	const char *tool;
	uint32_t tag;
	sk_runstate_save_fn save;
	sk_runstate_load_fn load;
	void *ctx;
} sk_runstate;

/* How many records go between two reads of the clock for --checkpoint. */
#define SK_CHECKPOINT_CLOCK_EVERY 1024

/* Appends to made the -g keys as the made text names them: "${name}"
 * or "$3", comma separated. */
void sk_runstate_made_keys(sk_buf *made, const sk_tool *t, const sk_fref *keys,
			   size_t nkeys);
/* Appends to made how the input is read: "; -i FMT", then -d and -N when
 * given. */
void sk_runstate_made_input(sk_buf *made, const sk_tool *t);

/*
 * Checks the state [p, p+n) as one of tool made by made, with the inputs
 * section and the section tag, and reads them into fw and, by load, into
 * ctx. Returns 1, or 0 with the reason in err.
 */
int sk_runstate_read(const char *p, size_t n, const char *tool, const char *made,
		     uint32_t tag, sk_runstate_load_fn load, void *ctx,
		     sk_follow *fw, sk_buf *err);

/*
 * After sk_tool_start, with s->made set: loads s->path into s->fw and,
 * by load, into ctx (a missing file is a first run; one that is refused
 * says why and exits 2, the file left as it is), plans the reading of
 * the FILE operands and points t's reader at it. Needs FILE operands.
 */
void sk_runstate_open(sk_runstate *s, sk_tool *t, const char *tool,
		      uint32_t tag, sk_runstate_save_fn save,
		      sk_runstate_load_fn load, void *ctx);

/* --checkpoint: saves the state now, as sk_runstate_end would after the
 * last record read, if s->checkpoint is due (the clock is read every
 * SK_CHECKPOINT_CLOCK_EVERY calls). Call between records, once the last
 * one read is in the tool's state and its output written. The tool's
 * output is flushed first, so what the state counts as done has been
 * written. A state that cannot be written is said once; the run goes
 * on. */
void sk_runstate_checkpoint_now(sk_runstate *s);
static inline void sk_runstate_checkpoint(sk_runstate *s)
{
	if (s->checkpoint && ++s->nrec >= SK_CHECKPOINT_CLOCK_EVERY)
		sk_runstate_checkpoint_now(s);
}

/* At the end of the input: flushes the tool's output, then saves the
 * tool's section and where each input ends, unless a signal ended the
 * run (the last state is then kept: the next run reads again what this
 * one read; under save_on_stop it is saved with each input where the
 * last record read ends, or kept, said, if the reader holds a line it
 * has not returned). Returns 0, or SK_EXIT_DATA after saying why when the state
 * could not be written (the old one is then untouched) or a rotated file
 * was not found. Frees s. */
int sk_runstate_end(sk_runstate *s);

#endif
