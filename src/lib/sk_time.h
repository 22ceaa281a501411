/* sk_time: timestamps and durations, shared by the expression language and
 * stream-window. One integer unit everywhere: nanoseconds since the epoch
 * (int64: years 1678..2262). */
#ifndef SK_TIME_H
#define SK_TIME_H

#include <stddef.h>
#include <stdint.h>

#define SK_NS_PER_SEC INT64_C(1000000000)

/*
 * Parses a duration: one or more <number><unit> with units ns us ms s m h d
 * (w for weeks), e.g. "250ms", "10s", "1h30m", "1.5s"; an optional leading
 * '-' or '+'. A bare number is seconds. Returns 1 and *ns, or 0.
 */
int sk_duration_parse(const char *s, size_t n, int64_t *ns);
/* Writes a duration back in the shortest unit form ("1h30m"); returns len. */
size_t sk_duration_fmt(char *buf, size_t cap, int64_t ns);

/* What a timestamp looked like, so output can keep the input's form. */
enum sk_time_kind {
	SK_TK_NONE = 0,
	SK_TK_EPOCH_S, SK_TK_EPOCH_MS, SK_TK_EPOCH_US, SK_TK_EPOCH_NS,
	SK_TK_ISO,     /* RFC 3339 / ISO 8601 */
	SK_TK_CLF,     /* 10/Oct/2000:13:55:36 -0700 */
	SK_TK_SYSLOG,  /* Dec 10 06:55:46 (year from the clock) */
};

/*
 * Parses a timestamp in any of the common forms, with hand-written fast
 * paths (no strptime): epoch seconds/ms/us/ns told apart by magnitude
 * (with an optional fraction for seconds), RFC 3339 / ISO 8601 (date,
 * 'T' or ' ', time, optional fraction, optional Z or +hh:mm / +hhmm;
 * no zone means UTC), CLF with its zone (with or without the [ ]), and
 * year-less syslog (year taken from now_ns, and the previous year if that
 * puts the time more than a day in the future). Returns 1, *ns and *kind
 * (kind may be NULL), or 0.
 */
int sk_time_parse(const char *s, size_t n, int64_t now_ns, int64_t *ns,
		  int *kind);

/* Parses with a strptime(3) format (UTC unless the format has %z).
 * Fractional seconds after %S are accepted. Returns 1 and *ns, or 0. */
int sk_time_parse_fmt(const char *s, size_t n, const char *fmt, int64_t *ns);

/* Formats ns with a strftime(3) format in UTC; returns the length written
 * (0 on failure). */
size_t sk_time_fmt(char *buf, size_t cap, const char *fmt, int64_t ns);

/* Formats ns in the given kind's own form (ISO in UTC with 'Z' and as many
 * fraction digits as needed; CLF with +0000; epoch forms as integers;
 * syslog as "Mon dd hh:mm:ss"). Returns the length. */
size_t sk_time_fmt_kind(char *buf, size_t cap, int kind, int64_t ns);

/* floor(t / size) * size + offset with a true floor modulo: the start of
 * the window of width size (aligned to the epoch shifted by offset)
 * holding t. size > 0. */
static inline int64_t sk_time_floor(int64_t t, int64_t size, int64_t offset)
{
	int64_t m = (t - offset) % size;
	if (m < 0)
		m += size;
	return t - m;
}

/* The wall clock in ns. When the environment variable SK_TEST_CLOCK is set
 * (tests only; documented in the man pages), the clock starts at that
 * epoch-seconds value and advances with the real clock, so runs are
 * exact. */
int64_t sk_now(void);

#endif
