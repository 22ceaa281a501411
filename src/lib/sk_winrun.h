/* sk_winrun: stream-window over the window engine: its options, each
 * record's time, the output rows (window times in the input's form, key
 * kinds, --sort and --top within each fired window), late records and the
 * idle clock. */
#ifndef SK_WINRUN_H
#define SK_WINRUN_H

#include <stdint.h>
#include "sk_group.h"
#include "sk_time.h"
#include "sk_tool.h"
#include "sk_window.h"

/* stream-window's own options: getopt_long values (sk_winrun_opt); -g
 * and -t are their letters. */
enum {
	SK_WOPT_GROUP = 'g',
	SK_WOPT_TIME = 't',
	SK_WOPT_TUMBLING = SK_OPT_TOOL_BASE,
	SK_WOPT_SLIDING,
	SK_WOPT_SESSION,
	SK_WOPT_COUNT,
	SK_WOPT_OFFSET,
	SK_WOPT_TIME_FORMAT,
	SK_WOPT_TIME_OUT,
	SK_WOPT_MAX_DELAY,
	SK_WOPT_UPDATE_LATE,
	SK_WOPT_LATE,
	SK_WOPT_EMIT,
	SK_WOPT_IDLE,
	SK_WOPT_SORT,
	SK_WOPT_TOP,
	SK_WOPT_PARTIAL,
	SK_WOPT_MERGE,
};

/* The options given that only some windows take (usage errors). */
enum { SK_WGIVEN_OFFSET, SK_WGIVEN_MAX_DELAY, SK_WGIVEN_UPDATE_LATE,
       SK_WGIVEN_LATE, SK_WGIVEN_IDLE, SK_WGIVEN_N };

typedef struct sk_winrun {
	sk_tool *t;             /* borrowed */
	sk_agg_list l;
	sk_win *w;
	sk_win_conf c;
	const char *type_opt;   /* the window option given: one kind only */
	const char *given[SK_WGIVEN_N];
	sk_fref *keys;          /* -g */
	size_t nkeys;
	const char *tfield;     /* -t */
	sk_fref tref;
	const char *tfmt;       /* --time-format */
	int tout;               /* --time-out */
	int tkind;              /* the input's time form, from the first time */
	int drop_late;
	int64_t idle;           /* --idle, 0: off */
	int64_t last_arrival;   /* wall clock of the last record */
	int64_t now;            /* for syslog's missing year */
	uint64_t nrec;
	const char *sortarg;    /* --sort */
	uint64_t top;           /* --top, 0: all */
	sk_key key;             /* the key of the current record */
	sk_rows rows;
	int64_t row_start, row_end; /* the window of the last row put */
	char row_a[SK_TIME_BUFSZ], row_b[SK_TIME_BUFSZ]; /* its times as */
	size_t row_an, row_bn;      /* written, row_times once they are */
	int row_times;
	/* key -> one sk_field_kind byte per key field, for the keys whose
	 * first record had a kind that changes how JSON writes it (a JSON
	 * string "200", a null); other keys are written as text */
	sk_group kinds;
	sk_aggs nostate;        /* the kinds table holds no states */
	int partial, merge;     /* --partial, --merge */
	int hold_open;          /* --state: the end of input fires nothing */
	/* the window options' canonical text: win_head, then " in=FORM"
	 * (the input's time form) and win_tail, " time=FIELD"; win_text:
	 * --partial's window column, --merge's key of the row being read */
	sk_buf win_head, win_tail, win_text;
	/* --merge: the columns of a partial row (window_start, window_end,
	 * window), the windows read (key: start, end, key bytes; value: the
	 * merged states), the states of the row being read */
	uint32_t mslot[3];
	sk_group mg;
	void *scratch;
	sk_buf err;
} sk_winrun;

/* Zeroes wr, for tool t. */
void sk_winrun_init(sk_winrun *wr, sk_tool *t);

/* Handles one of stream-window's options (the SK_WOPT values): 1 if it
 * was one, else 0. Bad values are usage errors (exit 2). */
int sk_winrun_opt(sk_winrun *wr, int opt, const char *arg);

/*
 * After the options: checks them together, compiles AGGREGATES src
 * (NULL: missing, a usage error) and sets up the engine and the output
 * (to t's writer).
 */
void sk_winrun_setup(sk_winrun *wr, const char *src);

/* After sk_tool_start: the clock and the reader's idle hook. */
void sk_winrun_start(sk_winrun *wr);

/* The reader's idle hook (ctx: the sk_winrun): processing-time windows
 * fire on the clock, and under --idle event time runs on with it. */
int sk_winrun_idle(void *ctx);

/* One record: its time, its aggregates' arguments, into its windows;
 * bad, late and out-of-range records go to t's bad-record channel. */
void sk_winrun_record(sk_winrun *wr, sk_record *r);

/* --merge: one --partial row (r) into its window; a row that is not
 * --partial output of these options is a bad record (SK_BAD_PARTIAL). */
void sk_winrun_merge_record(sk_winrun *wr, sk_record *r);

/* End of input: fires every open window (--merge: every window read;
 * hold_open: none, they stay in the engine for --state to save, and a
 * run that wrote no row writes no header either);
 * the header of a header-only input when no window was written. */
void sk_winrun_finish(sk_winrun *wr);

/*
 * --state: the canonical text of the window options that change what the
 * windows hold or emit (kind and sizes, the offset within [0, slide),
 * --max-delay, --update-late, --late, --emit, -t, --time-format) into
 * made (cleared), ending "; " for the aggregates and input options after.
 */
void sk_winrun_made(const sk_winrun *wr, sk_buf *made);

struct sk_cur;
/*
 * --state: the run's own section: the input's time form (window times
 * are written in it), the arrival count first and last go by, and the
 * keys whose kinds JSON output keeps. sk_winrun_load reads it after
 * sk_winrun_setup, before any record; 1, or 0 with the reason in err.
 */
void sk_winrun_save(sk_winrun *wr, sk_buf *out);
int sk_winrun_load(sk_winrun *wr, struct sk_cur *c, sk_buf *err);

void sk_winrun_free(sk_winrun *wr);

#endif
