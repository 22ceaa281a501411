/* sk_par: -j N, the records of regular files read on N threads, with the
 * output, messages and exit status of one thread. */
#ifndef SK_PAR_H
#define SK_PAR_H

#include <stdarg.h>
#include "sk_tool.h"

/*
 * The input is cut into runs at record boundaries: ordered chunks of
 * about SK_PAR_CHUNK bytes handed out to the threads (stream-filter,
 * stream-map: each chunk's output is kept until the main thread writes
 * it, strictly in input order, at most 2N chunks in flight), or exactly
 * N contiguous ranges (stream-agg: the per-thread tables merge, in input
 * order, to the table of one thread).
 *
 * A run starting inside a file starts on speculation: after a '\n' (and
 * after a line that is not blank), with the file's first header. The
 * run before it reports where its last record really ended and the
 * header it ended under; a run whose start was wrong (a chunk boundary
 * inside a quoted CSV field, a new CSV block) is read again from the
 * true one by the main thread. So is a run whose result depends on the
 * runs before in another way (the tool's fits(), a header block).
 *
 * A worker is an sk_tool of its own (a copy of the schema, its own
 * reader over the run, a writer into memory): its bad records and fatal
 * errors are kept (kind, line within the run, message, raw record) and
 * the main thread says them through sk_tool_bad with absolute line
 * numbers, after the output before them: warnings, --rejects, the counts
 * and --on-error fail are those of one thread.
 */
typedef struct sk_par_ops {
	int ranges;  /* N ranges, not ordered chunks */
	int writes;  /* the workers write records (through wt->wr) */
	void *arg;   /* the tool's, given to each call */
	/* Main thread, before the workers start: a context for worker wt
	 * (whose schema is a copy of the tool's: compile into it). */
	void *(*open)(void *arg, sk_tool *wt);
	/* Before each run in ctx (on the worker's thread): the run is the
	 * idx-th of the input; exact: every run before it is done (fits and
	 * done were called for them), so the tool's totals may be read. */
	void (*reset)(void *arg, void *ctx, size_t idx, int exact);
	/* One record in wt->rec: 1 to read on, 0 to stop the run. */
	int (*record)(void *ctx, sk_tool *wt);
	/* Main thread, in input order, before the run's output is
	 * written: 0 if the run must be read again exact. NULL: always 1. */
	int (*fits)(void *arg, void *ctx);
	/* Main thread, in input order, after the run's output and messages:
	 * fold its results into the tool's. */
	void (*done)(void *arg, void *ctx);
	void (*close)(void *ctx);
} sk_par_ops;

/* The threads -j gives by default: the cores online. */
unsigned sk_par_jobs_default(void);
/* -j N, --jobs N: N >= 1, else a usage error. */
unsigned sk_par_jobs_opt(const char *arg);

/*
 * Reads t's input on up to jobs threads when it is worth it: jobs > 1,
 * every input a regular, uncompressed file (FILE operands, or standard
 * input alone), SK_PAR_MIN_BYTES (4 MiB) of them at least, no
 * --progress, and for a tool that writes, an output format that writes
 * each record as it comes (not table, markdown, bar) and, from jsonl or
 * logfmt (whose fields grow), one without a header. Returns 1 when it
 * did: every run was read and folded in (done), their output written
 * and their bad records said; t's reader is then at its end, its header
 * that of the last input, and t->wr counts the header blocks written.
 * Returns 0, having read nothing, when the tool must read the input
 * itself. Exits as one thread would on --on-error fail and fatal errors.
 */
int sk_par_run(sk_tool *t, unsigned jobs, const sk_par_ops *ops);

#endif
