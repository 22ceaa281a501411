/* sk_window: tumbling, sliding, session and count windows over keyed
 * aggregate states, with one watermark, lateness and ordered firing. */
#ifndef SK_WINDOW_H
#define SK_WINDOW_H

#include <stddef.h>
#include <stdint.h>
#include "sk_agg.h"

enum sk_win_type {
	SK_WIN_TUMBLING,
	SK_WIN_SLIDING,
	SK_WIN_SESSION,
	SK_WIN_COUNT,
};

enum sk_win_emit {
	SK_WIN_EMIT_CLOSE,  /* one row per window, when it fires */
	SK_WIN_EMIT_UPDATE, /* a row per change: a changelog */
};

/* What sk_win_add did with a record. */
enum sk_win_status {
	SK_WIN_OK = 0,
	SK_WIN_LATE,        /* every window of the record was purged */
	SK_WIN_RANGE,       /* a window of the record (its end plus
			     * update_late, its watermark) does not fit in
			     * int64 ns: a bad record */
};

/*
 * The configuration; times in ns. Tumbling is sliding with slide == size.
 * Count windows use count and cslide (records) and no watermark.
 */
typedef struct sk_win_conf {
	int type;               /* enum sk_win_type */
	int64_t size, slide;    /* tumbling, sliding; 0 < slide <= size */
	int64_t offset;         /* alignment shift of window starts */
	int64_t gap;            /* session */
	uint64_t count, cslide; /* count; 0 < cslide <= count */
	int64_t max_delay;      /* wm = max event time - max_delay */
	int64_t update_late;    /* keep fired windows this much longer */
	int emit;               /* enum sk_win_emit */
	int hold;               /* no watermark: nothing fires or is late
				 * before sk_win_flush (--partial: another
				 * part may still add to any window) */
} sk_win_conf;

/*
 * One output row: window [start, end) (count: first and last record times,
 * inclusive), the key as given to sk_win_add (borrowed), the merged state
 * (borrowed: the callee may call sk_agg_result on it, nothing else), and
 * totals[i], the sum over every key of this window of aggregate i's share
 * part (for share(); 0 for other aggregates). Under --emit update, block
 * NULL retracts the row of that window and key written before (a session
 * merged into another, a count window that grew): every aggregate empty.
 */
typedef void (*sk_win_emit_fn)(void *ctx, int64_t start, int64_t end,
			       const char *key, size_t keylen, void *block,
			       const double *totals);

/* Folds the current record into a state block. */
typedef void (*sk_win_add_fn)(void *ctx, void *block);

typedef struct sk_win sk_win;

/*
 * A new engine over the aggregate list L (borrowed: it must outlive the
 * engine). Rows go to emit(ctx, ...) as windows fire. Keys are byte
 * strings; rows that fire together are ordered by end, then start, then
 * the key bytes (memcmp, shorter first), so a caller that wants several
 * key fields sorted field by field encodes them order-preservingly.
 */
sk_win *sk_win_new(const sk_win_conf *c, const sk_aggs *L,
		   sk_win_emit_fn emit, void *ctx);

/*
 * Adds a record at time t (ns) for key [key, key+n): calls add(actx, block)
 * once on the state the record belongs to, then emits what the record
 * changes (--emit update, a re-emission under update_late, a full count
 * window), advances the watermark to t - max_delay and fires the windows
 * it closes. A record too late for any kept window is not added and
 * SK_WIN_LATE is returned (the caller rejects or drops it); it does not
 * move the watermark. A record whose windows cannot be represented is not
 * added either: SK_WIN_RANGE.
 */
int sk_win_add(sk_win *w, int64_t t, const char *key, size_t n,
	       sk_win_add_fn add, void *actx);

/* Moves the watermark up to wm (never back) and fires what it closes:
 * processing time on the clock, and --idle. */
void sk_win_advance(sk_win *w, int64_t wm);

/* The watermark (INT64_MIN before any record). */
int64_t sk_win_watermark(const sk_win *w);

/*
 * The smallest watermark at which something fires or is purged, or
 * INT64_MAX if nothing is pending (count windows never are).
 */
int64_t sk_win_next_deadline(const sk_win *w);

/*
 * The clock's part (processing time, and event time under --idle):
 * moves the watermark to wm and fires what it closes (sk_win_advance);
 * returns how many ms of wall clock, from wm on, until the next deadline
 * (at least 1), or -1 when nothing is pending: a reader's idle wait.
 */
int sk_win_tick(sk_win *w, int64_t wm);

/*
 * --idle: the watermark after quiet ns without input, when event time
 * runs on with the wall clock: the largest record time - max_delay +
 * quiet; past every window (INT64_MAX - 1) where that overflows. Before
 * any record had a time, the watermark as it is.
 */
int64_t sk_win_idle_mark(const sk_win *w, int64_t quiet);

/* Emits every window not emitted yet (end of input, SIGINT), in order of
 * end, start and key, and drops all state. Under --emit update nothing is
 * left to emit. */
void sk_win_flush(sk_win *w);

/*
 * sk_win_flush, for an engine that goes on after it (stream-window
 * --state --drain): then the watermark is moved up to the end of the last
 * window or session written, and a record for only those windows (a
 * session: at or before that end) is late, whatever update_late keeps:
 * they were written whole and their states are gone. Count windows start
 * afresh.
 */
void sk_win_drain(sk_win *w);

/* Windows and sessions held (open or kept for update_late), for tests. */
size_t sk_win_open_states(const sk_win *w);

struct sk_cur;
/*
 * --state: the engine as a section of a state file (sk_state.h): the
 * watermark, the largest time, what has fired, then every window held,
 * open or kept for update_late, with each aggregate's state and arrival
 * number: by pane group and key (time windows), by key with its sessions
 * and their bounds, or by key with its records so far and its ring
 * (count). sk_win_load reads such a section into a new engine of the same
 * configuration, so that adding records after gives what one engine over
 * all of them gives; a section this engine could not have written is
 * refused: 0 with the reason in err (the engine is then only fit for
 * sk_win_free). The cursor is left after the engine's part: what
 * follows is the caller's.
 */
void sk_win_save(const sk_win *w, sk_buf *out);
int sk_win_load(sk_win *w, struct sk_cur *c, sk_buf *err);

/* Frees the engine and every state; accepts NULL. */
void sk_win_free(sk_win *w);

#endif
