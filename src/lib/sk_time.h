/* sk_time: timestamps and durations, shared by the expression language and
 * stream-window. One integer unit everywhere: nanoseconds since the epoch
 * (int64: years 1678..2262). */
#ifndef SK_TIME_H
#define SK_TIME_H

#include <stddef.h>
#include <limits.h>
#include <stdint.h>

#define SK_NS_PER_SEC INT64_C(1000000000)
#define SK_NS_PER_MS INT64_C(1000000)
/* Room for any time sk_time_fmt_kind writes, with its NUL. */
#define SK_TIME_BUFSZ 80

/*
 * Parses a duration: one or more <number><unit> with units ns us (or "µs")
 * ms s m h d (w for weeks), e.g. "250ms", "10s", "1h30m", "1.5s", "-8h";
 * an optional leading '-' or '+' applies to the whole ("-1h30m" is -90m).
 * A number may have a fraction (".5s", "1.5h"; truncated below 1 ns). A
 * bare number alone is seconds ("10"); "1h30" is refused. No blanks, no
 * exponent, units in lower case. Returns 1 and *ns, or 0 (also when the
 * result does not fit int64 ns).
 */
int sk_duration_parse(const char *s, size_t n, int64_t *ns);

/* What a timestamp looked like, so output can keep the input's form. */
enum sk_time_kind {
	SK_TK_NONE = 0,
	SK_TK_EPOCH_S, SK_TK_EPOCH_MS, SK_TK_EPOCH_US, SK_TK_EPOCH_NS,
	SK_TK_ISO,     /* RFC 3339 / ISO 8601 */
	SK_TK_CLF,     /* 10/Oct/2000:13:55:36 -0700 */
	SK_TK_SYSLOG,  /* Dec 10 06:55:46 (year from the clock) */
	SK_TK_CTIME,   /* Sun Dec 04 04:47:44 2005 (ctime, Apache error log) */
};

/*
 * Parses a timestamp in any of the common forms, with hand-written fast
 * paths (no strptime, no timegm, no allocation; it runs per record):
 * - epoch numbers: [+-]digits[.frac], the unit told by the magnitude of
 *   the integer part x: |x| < 1e11 (up to 11 digits) seconds, < 1e14 ms,
 *   < 1e17 us, else ns. A fraction is allowed in every unit (truncated
 *   below 1 ns). No exponent. Seconds past 9223372036 (year 2262) do not
 *   fit and are refused, not read as another unit.
 * - RFC 3339 / ISO 8601: YYYY-MM-DD, alone (midnight UTC) or then 'T',
 *   't' or ' ', hh:mm[:ss[(.|,)frac]], then optionally Z/z, +hh:mm, +hhmm
 *   or +hh (or '-'), which may follow one space; no zone means UTC.
 *   Second 60 (leap) is accepted as the next minute's first.
 * - CLF: dd/Mon/yyyy:hh:mm:ss, then " +hhmm" (none means UTC), with or
 *   without the [ ]. Month names in any case.
 * - syslog: "Mon dd hh:mm:ss" with dd as "10", " 4" (so "Jun  4") or
 *   "4", optional .frac, UTC. The year is now_ns's (UTC) year, or the one
 *   before if that puts the time more than a day after now_ns, or if the
 *   day does not exist in now_ns's year (Feb 29).
 * - ctime(3) / Apache error log: "Sun Dec 04 04:47:44 2005" (the day also
 *   " 4" or "4", an optional .frac after the seconds, optionally inside
 *   [ ]), UTC; the weekday must be the date's.
 * Refused (0): impossible fields (month 13, hour 24, Feb 30, 2100-02-29),
 * blanks around, trailing junk, results outside int64 ns. Only [s, s+n)
 * is read; it need not be NUL-terminated. Returns 1, *ns and *kind (kind
 * may be NULL), or 0 with *ns and *kind untouched.
 */
int sk_time_parse(const char *s, size_t n, int64_t now_ns, int64_t *ns,
		  int *kind);

/* Parses with a strptime(3) format (UTC unless the format has %z, which
 * takes +hhmm, +hh:mm and Z). A fraction right after the first %S is read
 * too ("10:20:30.250" or ",250"). The whole of [s, s+n) must match; n is
 * limited to 255 bytes (no allocation: it runs per record for
 * --time-format); a date timegm would normalise (Feb 30) is refused.
 * %f reads the fraction's digits (1 to 9), as Python's %f does (which
 * takes up to 6): "%H:%M:%S.%f".
 * Fields missing from the format default to 1970-01-01 00:00:00, but a
 * format with a month or day and no year ("%b %d %H:%M:%S") takes the
 * year from sk_now() as the syslog form does.
 * Avoid %s: glibc reads it in the local zone. Returns 1 and *ns, or 0. */
int sk_time_parse_fmt(const char *s, size_t n, const char *fmt, int64_t *ns);

/* Formats ns with a strftime(3) format in UTC (ns is floored to the
 * second, but %f writes its microseconds in six digits, as Python's
 * strftime); returns the length written, NUL-terminated (0 on failure or
 * when it does not fit). */
size_t sk_time_fmt(char *buf, size_t cap, const char *fmt, int64_t ns);
/* The same in the time zone tz of the TZ database ("Europe/Paris"; NULL
 * or "UTC": UTC), with its daylight saving time; %Z and %z give the
 * zone's abbreviation and offset. Sets the process's TZ. */
size_t sk_time_fmt_tz(char *buf, size_t cap, const char *fmt, int64_t ns,
		      const char *tz);
/* 1 if tz is "UTC" or a zone of the TZ database (a TZif file under
 * $TZDIR or /usr/share/zoneinfo). */
int sk_tz_known(const char *tz);

/* Formats ns in the given kind's own form, NUL-terminated: ISO in UTC
 * with 'Z' and as many fraction digits as needed ("2024-05-17T10:20:30Z",
 * "...30.5Z"; SK_TK_NONE gives ISO too); CLF "10/Oct/2000:20:55:36 +0000";
 * ctime "Sun Dec 04 04:47:44 2005" (a fraction after the seconds);
 * syslog "Jun  4 06:55:46" (space-padded day, no fraction); epoch forms
 * as the exact number in their unit, with a fraction only when there is
 * one ("1715941230", "1715941230.5", "-1.5"). sk_time_parse reads each
 * back to the same kind (syslog and CLF to the whole second). Returns
 * the length, or 0 if it does not fit in cap (with its NUL). */
size_t sk_time_fmt_kind(char *buf, size_t cap, int kind, int64_t ns);

/* sk_time_mod: (t - offset) mod size in [0, size), for any t and offset.
 * sk_time_floor_chk: floor(t / size) * size + offset with a true floor modulo: the start of
 * the window of width size (aligned to the epoch shifted by offset)
 * holding t, into *start. size > 0; any t and offset (no intermediate
 * overflows). Returns 0 when that start is before the int64 range. */
static inline int64_t sk_time_mod(int64_t t, int64_t size, int64_t offset)
{
	int64_t a = t % size, b = offset % size;
	if (a < 0)
		a += size;
	if (b < 0)
		b += size;
	int64_t m = a - b; /* (t - offset) mod size, without forming t - offset */
	return m < 0 ? m + size : m;
}
static inline int sk_time_floor_chk(int64_t t, int64_t size, int64_t offset,
				    int64_t *start)
{
	return !__builtin_sub_overflow(t, sk_time_mod(t, size, offset), start);
}

/* The same, the start clamped to INT64_MIN. */
static inline int64_t sk_time_floor(int64_t t, int64_t size, int64_t offset)
{
	int64_t s;
	return sk_time_floor_chk(t, size, offset, &s) ? s : INT64_MIN;
}

/* The wall clock in ns. When the environment variable SK_TEST_CLOCK is set
 * (tests only; documented in the man pages), the clock starts at that
 * epoch-seconds value (a fraction allowed) at the first call and advances
 * with CLOCK_MONOTONIC, so runs are exact. A value that is not epoch
 * seconds is warned about once and the real clock used. */
int64_t sk_now(void);

/* Milliseconds to wait for ns of wall clock (a poll timeout): rounded up,
 * at least 1, at most INT_MAX. */
static inline int sk_wait_ms(int64_t ns)
{
	if (ns <= 0)
		return 1;
	int64_t ms = ns / SK_NS_PER_MS + (ns % SK_NS_PER_MS != 0);
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* The first tick of a clock of period > 0 after now, from the tick next
 * on by whole periods; INT64_MAX when it is past the range, so a long
 * period never wraps. */
static inline int64_t sk_tick_after(int64_t next, int64_t period, int64_t now)
{
	while (next <= now)
		if (__builtin_add_overflow(next, period, &next))
			return INT64_MAX;
	return next;
}

#endif
