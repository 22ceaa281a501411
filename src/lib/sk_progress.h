/* sk_progress: --progress, a status line on a terminal's stderr: records
 * and bytes read, their rates, and for regular files the percent done and
 * the time left. */
#ifndef SK_PROGRESS_H
#define SK_PROGRESS_H

#include <stdint.h>

struct sk_reader;

typedef struct sk_progress {
	int on;                 /* stderr is a terminal and --progress given */
	uint64_t n;             /* records read */
	uint64_t next;          /* look at the clock at this record count */
	int64_t start_ns, last_ns;
	uint64_t *before;       /* before[k]: bytes of FILE operands 0..k-1 */
	uint64_t total;         /* bytes of all inputs, 0 when not all regular */
	const struct sk_reader *rd;
	int drawn;              /* the line is on the screen */
} sk_progress;

/*
 * Turns progress on for rd's inputs if stderr is a terminal (else it
 * stays off and costs one compare per record). The sizes of regular FILE
 * operands (compressed ones by their compressed bytes) give the percent.
 */
void sk_progress_start(sk_progress *p, const struct sk_reader *rd);

/* Redraws the line now (the first record, then every 200 ms). */
void sk_progress_draw(sk_progress *p);

/* Counts one record; redraws when it is time. */
static inline void sk_progress_tick(sk_progress *p)
{
	if (p->on && ++p->n >= p->next)
		sk_progress_draw(p);
}

/* Erases the line for good (at the end of the run). */
void sk_progress_end(sk_progress *p);

#endif
