/* sk_time: hand-written timestamp and duration parsers and formatters. */
#define _GNU_SOURCE	/* strptime, timegm, tm_gmtoff */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sk_err.h"
#include "sk_time.h"

#define NS_PER_DAY (INT64_C(86400) * SK_NS_PER_SEC)

static const int64_t pow10_tab[] = {
	INT64_C(1), INT64_C(10), INT64_C(100), INT64_C(1000), INT64_C(10000),
	INT64_C(100000), INT64_C(1000000), INT64_C(10000000),
	INT64_C(100000000), INT64_C(1000000000),
};

static const char month_abbr[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static inline int is_digit(unsigned char c) { return (unsigned)(c - '0') < 10u; }

/* Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic
 * Gregorian date, valid for any year, no tables, no libc. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* The inverse: the civil date of a day number. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned char dm[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};
	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Two decimal digits at p, or -1. */
static inline int dig2(const unsigned char *p)
{
	if (!is_digit(p[0]) || !is_digit(p[1]))
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/* A month abbreviation ("Jan", any case) at p: 1..12, or 0. */
static unsigned month_from_abbr(const unsigned char *p)
{
	/* ASCII letters only: | 0x20 folds case without touching digits
	 * into letters, since non-letters cannot match a table entry. */
	unsigned char a = p[0] | 0x20, b = p[1] | 0x20, c = p[2] | 0x20;
	for (unsigned i = 0; i < 12; i++) {
		const char *m = month_abbr[i];
		if (a == (m[0] | 0x20) && b == m[1] && c == m[2])
			return i + 1;
	}
	return 0;
}

/*
 * A fraction after '.' or ',' at p (p[0] is the separator): at least one
 * digit; the first 9 are kept as ns, the rest truncated. Returns the
 * bytes used (0 if there is no digit).
 */
static size_t parse_frac(const unsigned char *p, const unsigned char *end,
			 int64_t *frac_ns)
{
	const unsigned char *q = p + 1;
	int64_t v = 0;
	int nd = 0;
	while (q < end && is_digit(*q)) {
		if (nd < 9) {
			v = v * 10 + (*q - '0');
			nd++;
		}
		q++;
	}
	if (q == p + 1)
		return 0;
	*frac_ns = v * pow10_tab[9 - nd];
	return (size_t)(q - p);
}

/* secs (may be negative) plus frac ns in [0, 1e9) into *ns, or 0 if it
 * does not fit int64 ns. */
static int make_ns(int64_t secs, int64_t frac, int64_t *ns)
{
	int64_t t;
	/* Borrow a second first, so that INT64_MIN (-9223372037 s plus a
	 * fraction) does not overflow on the way. */
	if (secs < 0 && frac > 0) {
		secs++;
		frac -= SK_NS_PER_SEC;
	}
	if (__builtin_mul_overflow(secs, SK_NS_PER_SEC, &t) ||
	    __builtin_add_overflow(t, frac, &t))
		return 0;
	*ns = t;
	return 1;
}

/*
 * A zone at [p, end): "Z", "z", "+hh:mm", "+hhmm" or "+hh" (or '-').
 * Sets *off in seconds east of UTC; returns bytes used or 0.
 */
static size_t parse_zone(const unsigned char *p, const unsigned char *end,
			 int64_t *off)
{
	size_t n = (size_t)(end - p);
	if (n >= 1 && (p[0] == 'Z' || p[0] == 'z')) {
		*off = 0;
		return 1;
	}
	if (n < 3 || (p[0] != '+' && p[0] != '-'))
		return 0;
	int hh = dig2(p + 1), mm = 0;
	size_t used = 3;
	if (hh < 0 || hh > 23)
		return 0;
	if (n >= 6 && p[3] == ':') {
		mm = dig2(p + 4);
		used = 6;
	} else if (n >= 5 && p[3] != ':') {
		mm = dig2(p + 3);
		used = 5;
	} else if (n != 3) {
		return 0;
	}
	if (mm < 0 || mm > 59)
		return 0;
	*off = (hh * 3600 + mm * 60) * (p[0] == '-' ? -1 : 1);
	return used;
}

/* Epoch numbers: the magnitude of the integer part picks the unit. */
static int parse_epoch(const unsigned char *p, const unsigned char *end,
		       int64_t *ns, int *kind)
{
	int neg = 0;
	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	const unsigned char *ds = p;
	uint64_t ip = 0;
	while (p < end && is_digit(*p)) {
		if (p - ds >= 19)
			return 0;	/* beyond any int64 ns */
		ip = ip * 10 + (uint64_t)(*p - '0');
		p++;
	}
	if (p == ds)
		return 0;
	int64_t frac = 0;	/* in ns of a second */
	if (p < end) {
		size_t k = *p == '.' ? parse_frac(p, end, &frac) : 0;
		if (k == 0 || p + k != end)
			return 0;
	}
	int64_t unit;
	int k;
	if (ip < UINT64_C(100000000000))
		unit = SK_NS_PER_SEC, k = SK_TK_EPOCH_S;
	else if (ip < UINT64_C(100000000000000))
		unit = 1000000, k = SK_TK_EPOCH_MS;
	else if (ip < UINT64_C(100000000000000000))
		unit = 1000, k = SK_TK_EPOCH_US;
	else
		unit = 1, k = SK_TK_EPOCH_NS;
	/* The magnitude in ns, up to 2^63 when negative (INT64_MIN, which
	 * sk_time_fmt_kind writes, reads back). frac is in 1e-9 of the unit;
	 * scale it to ns of the unit (truncating what lies below 1 ns). */
	uint64_t lim = (uint64_t)INT64_MAX + (uint64_t)neg, t;
	if (__builtin_mul_overflow(ip, (uint64_t)unit, &t) ||
	    __builtin_add_overflow(t, (uint64_t)(frac / (SK_NS_PER_SEC / unit)), &t) ||
	    t > lim)
		return 0;
	*ns = neg ? (t ? -(int64_t)(t - 1) - 1 : 0) : (int64_t)t;
	if (kind)
		*kind = k;
	return 1;
}

/*
 * RFC 3339 / ISO 8601: YYYY-MM-DD, then optionally [T t ' '] hh:mm[:ss
 * [.frac]] and a zone (Z, +hh:mm, +hhmm, +hh; one space allowed before a
 * numeric zone). No zone is UTC.
 */
static int parse_iso(const unsigned char *p, const unsigned char *end,
		     int64_t *ns)
{
	size_t n = (size_t)(end - p);
	int yh = dig2(p), yl = dig2(p + 2);
	if (yh < 0 || yl < 0 || p[4] != '-' || p[7] != '-')
		return 0;
	int64_t y = yh * 100 + yl;
	int mo = dig2(p + 5), d = dig2(p + 8);
	if (mo < 1 || mo > 12 || d < 1 || (unsigned)d > days_in_month(y, mo))
		return 0;
	int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);
	if (n == 10)
		return make_ns(days * 86400, 0, ns);

	p += 10;
	if (n < 16 || (*p != 'T' && *p != 't' && *p != ' ') || p[3] != ':')
		return 0;
	int hh = dig2(p + 1), mi = dig2(p + 4), ss = 0;
	if (hh < 0 || hh > 23 || mi < 0 || mi > 59)
		return 0;
	p += 6;
	int64_t frac = 0, off = 0;
	if (p < end && *p == ':') {
		if (end - p < 3 || (ss = dig2(p + 1)) < 0 || ss > 60)
			return 0;	/* 60: a leap second, as RFC 3339 */
		p += 3;
		if (p < end && (*p == '.' || *p == ',')) {
			size_t k = parse_frac(p, end, &frac);
			if (k == 0)
				return 0;
			p += k;
		}
	}
	if (p < end) {
		if (*p == ' ' && end - p > 1 && (p[1] == '+' || p[1] == '-' ||
						     p[1] == 'Z' || p[1] == 'z'))
			p++;
		size_t k = parse_zone(p, end, &off);
		if (k == 0 || p + k != end)
			return 0;
	}
	return make_ns(days * 86400 + hh * 3600 + mi * 60 + ss - off, frac,
		       ns);
}

/* hh:mm:ss at p (8 bytes, checked by the caller), or -1. */
static int64_t parse_hms(const unsigned char *p)
{
	int hh = dig2(p), mi = dig2(p + 3), ss = dig2(p + 6);
	if (p[2] != ':' || p[5] != ':' || hh < 0 || hh > 23 || mi < 0 ||
	    mi > 59 || ss < 0 || ss > 60)
		return -1;
	return hh * 3600 + mi * 60 + ss;
}

/* CLF: dd/Mon/yyyy:hh:mm:ss[ +hhmm], optionally inside [ ]. */
static int parse_clf(const unsigned char *p, const unsigned char *end,
		     int64_t *ns)
{
	if (*p == '[') {
		if (end[-1] != ']')
			return 0;
		p++, end--;
	}
	size_t n = (size_t)(end - p);
	if (n < 20 || p[2] != '/' || p[6] != '/' || p[11] != ':')
		return 0;
	int d = dig2(p), yh = dig2(p + 7), yl = dig2(p + 9);
	unsigned mo = month_from_abbr(p + 3);
	if (d < 1 || yh < 0 || yl < 0 || mo == 0)
		return 0;
	int64_t y = yh * 100 + yl;
	if ((unsigned)d > days_in_month(y, mo))
		return 0;
	int64_t sod = parse_hms(p + 12), off = 0;
	if (sod < 0)
		return 0;
	p += 20;
	if (p < end) {
		/* Apache always writes the zone; a space then +hhmm. */
		if (*p != ' ' || end - p != 6 || parse_zone(p + 1, end, &off) != 5)
			return 0;
	}
	return make_ns(days_from_civil(y, mo, (unsigned)d) * 86400 + sod - off,
		       0, ns);
}

/* The civil year of a time in ns. */
static int64_t year_of(int64_t ns)
{
	int64_t days = ns / NS_PER_DAY, y;
	unsigned m, d;
	if (ns % NS_PER_DAY < 0)
		days--;
	civil_from_days(days, &y, &m, &d);
	return y;
}

/*
 * The day of the month of the syslog and ctime forms at q: " 4", "4 "
 * or "04". Sets *d and returns the byte after it, or NULL.
 */
static const unsigned char *parse_mday(const unsigned char *q, int *d)
{
	if (q[0] == ' ' && is_digit(q[1]))
		return *d = q[1] - '0', q + 2;
	if (is_digit(q[0]) && q[1] == ' ')
		return *d = q[0] - '0', q + 1;
	if ((*d = dig2(q)) >= 0)
		return q + 2;
	return NULL;
}

/*
 * Syslog (RFC 3164): "Mon dd hh:mm:ss" with dd as two digits, a space and
 * a digit, or one digit; an optional fraction. The year is now's, or the
 * one before when that would put the time over a day past now (a log
 * from December read in January), or when the day does not exist in
 * now's year (Feb 29).
 */
static int parse_syslog(const unsigned char *p, const unsigned char *end,
			int64_t now_ns, int64_t *ns)
{
	size_t n = (size_t)(end - p);
	if (n < 14 || p[3] != ' ')
		return 0;
	unsigned mo = month_from_abbr(p);
	if (mo == 0)
		return 0;
	const unsigned char *q = p + 4;
	int d;
	if (!(q = parse_mday(q, &d)))
		return 0;
	if (d < 1 || d > 31 || *q != ' ' || end - q < 9)
		return 0;
	int64_t sod = parse_hms(q + 1), frac = 0;
	if (sod < 0)
		return 0;
	q += 9;
	if (q < end) {
		size_t k = *q == '.' ? parse_frac(q, end, &frac) : 0;
		if (k == 0 || q + k != end)
			return 0;
	}
	int64_t y = year_of(now_ns), t;
	if ((unsigned)d <= days_in_month(y, mo) &&
	    make_ns(days_from_civil(y, mo, (unsigned)d) * 86400 + sod, frac,
		    &t) && t <= now_ns + NS_PER_DAY) {
		*ns = t;
		return 1;
	}
	y--;
	if ((unsigned)d > days_in_month(y, mo))
		return 0;
	return make_ns(days_from_civil(y, mo, (unsigned)d) * 86400 + sod, frac,
		       ns);
}

static const char wday_abbr[7][4] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
};

/* The weekday 0-6 (Sunday 0) of an abbreviation in any case, or -1. */
static int wday_from_abbr(const unsigned char *p)
{
	for (int i = 0; i < 7; i++) {
		int ok = 1;
		for (int j = 0; j < 3 && ok; j++)
			ok = (p[j] | 0x20) == (wday_abbr[i][j] | 0x20);
		if (ok)
			return i;
	}
	return -1;
}

/*
 * ctime(3) and the Apache error log: "Www Mmm dd hh:mm:ss[.frac] yyyy"
 * with dd as "04", " 4" or "4", optionally inside [ ]; UTC. The weekday
 * must be the date's.
 */
static int parse_ctime(const unsigned char *p, const unsigned char *end,
		       int64_t *ns)
{
	if (*p == '[') {
		if (end[-1] != ']')
			return 0;
		p++, end--;
	}
	if (end - p < 23 || p[3] != ' ' || p[7] != ' ')
		return 0;
	int wd = wday_from_abbr(p);
	unsigned mo = month_from_abbr(p + 4);
	if (wd < 0 || mo == 0)
		return 0;
	const unsigned char *q = p + 8;
	int d;
	if (!(q = parse_mday(q, &d)))
		return 0;
	if (*q != ' ' || end - q < 9)
		return 0;
	int64_t sod = parse_hms(q + 1), frac = 0;
	if (sod < 0)
		return 0;
	q += 9;
	if (q < end && *q == '.') {
		size_t k = parse_frac(q, end, &frac);
		if (k == 0)
			return 0;
		q += k;
	}
	if (end - q != 5 || *q != ' ')
		return 0;
	int yh = dig2(q + 1), yl = dig2(q + 3);
	if (yh < 0 || yl < 0)
		return 0;
	int64_t y = yh * 100 + yl;
	if (d < 1 || (unsigned)d > days_in_month(y, mo))
		return 0;
	int64_t days = days_from_civil(y, mo, (unsigned)d);
	/* 1970-01-01 was a Thursday */
	if (((days % 7 + 11) % 7) != wd)
		return 0;
	return make_ns(days * 86400 + sod, frac, ns);
}

int sk_time_parse(const char *s, size_t n, int64_t now_ns, int64_t *ns,
		  int *kind)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	int k, ok;
	if (n == 0)
		return 0;
	if (n >= 10 && p[4] == '-' && is_digit(p[0])) {
		ok = parse_iso(p, end, ns), k = SK_TK_ISO;
	} else if (n >= 20 && ((p[0] == '[' && is_digit(p[1])) || p[2] == '/')) {
		ok = parse_clf(p, end, ns), k = SK_TK_CLF;
	} else if (is_digit(p[0]) || p[0] == '-' || p[0] == '+') {
		return parse_epoch(p, end, ns, kind);
	} else if (n >= 23 && (p[3] == ' ' || p[0] == '[') &&
		   wday_from_abbr(p + (p[0] == '[')) >= 0) {
		ok = parse_ctime(p, end, ns), k = SK_TK_CTIME;
	} else {
		ok = parse_syslog(p, end, now_ns, ns), k = SK_TK_SYSLOG;
	}
	if (ok && kind)
		*kind = k;
	return ok;
}

/* The first %c conversion of fmt ("%%" skipped), or NULL. */
static const char *find_conv(const char *fmt, char c)
{
	for (const char *sp = fmt; (sp = strchr(sp, '%')) != NULL; sp += 2) {
		if (sp[1] == c)
			return sp;
		if (sp[1] == '\0')
			break;
	}
	return NULL;
}

/* Whether fmt has a date but no year (syslog's "%b %d %H:%M:%S"): such a
 * time takes its year from the clock, as the syslog form does. A format
 * with only a time of day stays on 1970-01-01 (seconds since midnight). */
static int fmt_lacks_year(const char *fmt)
{
	for (const char *c = "YyCGgsFDcxEO+"; *c; c++)
		if (find_conv(fmt, *c))
			return 0;
	for (const char *c = "bBhmdej"; *c; c++)
		if (find_conv(fmt, *c))
			return 1;
	return 0;
}

/* tm (as strptime left it) to ns; refuses what timegm would move. */
static int tm_to_ns(struct tm tm, int64_t frac, int64_t *ns)
{
	/* timegm normalises Feb 30 into March: refuse what moved. */
	int mday = tm.tm_mday, mon = tm.tm_mon, sec = tm.tm_sec;
	long off = tm.tm_gmtoff;
	time_t t = timegm(&tm);
	if (sec < 60 && (tm.tm_mday != mday || tm.tm_mon != mon))
		return 0;
	return make_ns((int64_t)t - off, frac, ns);
}

/*
 * strptime(3) can neither read a fraction nor say where %S ended inside
 * one format, so the format is run in two pieces: up to the first %f (the
 * fraction's digits, read by hand), or else up to and including the first
 * %S (then an optional .frac by hand); then the rest.
 */
int sk_time_parse_fmt(const char *s, size_t n, const char *fmt, int64_t *ns)
{
	char in[256], f1[256];
	if (n >= sizeof in)
		return 0;
	memcpy(in, s, n);
	in[n] = '\0';
	if (memchr(in, '\0', n))
		return 0;

	const char *fconv = find_conv(fmt, 'f'), *cut = NULL, *rest = fmt;
	if (fconv) {
		cut = fconv;
		rest = fconv + 2;
	} else if ((cut = find_conv(fmt, 'S')) != NULL) {
		cut += 2;
		rest = cut;
	}
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_mday = 1;
	tm.tm_year = 70;
	int guess = fmt_lacks_year(fmt);
	int64_t now = 0;
	if (guess) {
		now = sk_now();
		tm.tm_year = (int)(year_of(now) - 1900);
	}
	const char *p = in;
	int64_t frac = 0;
	if (cut) {
		size_t l = (size_t)(cut - fmt);
		if (l >= sizeof f1)
			return 0;
		memcpy(f1, fmt, l);
		f1[l] = '\0';
		if ((p = strptime(p, f1, &tm)) == NULL)
			return 0;
		if (fconv) {
			/* %f: one to nine digits, the fraction of the second */
			int nd = 0;
			while (is_digit((unsigned char)*p) && nd < 9)
				frac = frac * 10 + (*p++ - '0'), nd++;
			if (nd == 0 || is_digit((unsigned char)*p))
				return 0;
			frac *= pow10_tab[9 - nd];
		} else if (*p == '.' || *p == ',') {
			const unsigned char *u = (const unsigned char *)p;
			size_t k = parse_frac(u, u + strlen(p), &frac);
			if (k == 0)
				return 0;
			p += k;
		}
	}
	if ((p = strptime(p, rest, &tm)) == NULL || *p != '\0')
		return 0;
	if (!guess)
		return tm_to_ns(tm, frac, ns);
	/* as syslog: this year, or the one before when this one puts the
	 * time more than a day ahead of now or has no such day (Feb 29) */
	int64_t t;
	if (tm_to_ns(tm, frac, &t) && t <= now + NS_PER_DAY) {
		*ns = t;
		return 1;
	}
	tm.tm_year--;
	return tm_to_ns(tm, frac, ns);
}

/* Whole seconds (floor) and the ns past them. */
static void split_ns(int64_t ns, int64_t *sec, int64_t *sub)
{
	*sec = ns / SK_NS_PER_SEC;
	*sub = ns % SK_NS_PER_SEC;
	if (*sub < 0) {
		*sub += SK_NS_PER_SEC;
		(*sec)--;
	}
}

int sk_tz_known(const char *tz)
{
	if (strcmp(tz, "UTC") == 0)
		return 1;
	/* a TZ database name: Region/City, no way out of the database */
	if (!*tz || *tz == '/' || strstr(tz, "..") || strlen(tz) > 200)
		return 0;
	for (const char *c = tz; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		      (*c >= '0' && *c <= '9') || strchr("/_-+", *c)))
			return 0;
	const char *dir = getenv("TZDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo",
		 tz);
	FILE *f = fopen(path, "rb");
	char magic[4] = { 0 };
	int ok = f && fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
	if (f)
		fclose(f);
	return ok;
}

/* Local time in zone tz: TZ is set (and tzset run) only when the zone
 * changes, so a constant zone costs one localtime_r per call. */
static int tz_local(time_t t, const char *tz, struct tm *tm)
{
	static char cur[256];
	if (strcmp(cur, tz) != 0) {
		if (strlen(tz) >= sizeof cur)
			return 0;
		if (setenv("TZ", tz, 1) != 0)
			return 0;
		tzset();
		strcpy(cur, tz);
	}
	return localtime_r(&t, tm) != NULL;
}

size_t sk_time_fmt(char *buf, size_t cap, const char *fmt, int64_t ns)
{
	return sk_time_fmt_tz(buf, cap, fmt, ns, NULL);
}

static size_t fmt_tz(char *buf, size_t cap, const char *fmt, int64_t ns,
		     const char *tz);

/* TZ, tzset and the zone names strftime reads are the process's: with a
 * zone, one thread at a time (sk_par's workers). */
static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

size_t sk_time_fmt_tz(char *buf, size_t cap, const char *fmt, int64_t ns,
		      const char *tz)
{
	if (!tz)
		return fmt_tz(buf, cap, fmt, ns, NULL);
	pthread_mutex_lock(&tz_lock);
	size_t n = fmt_tz(buf, cap, fmt, ns, tz);
	pthread_mutex_unlock(&tz_lock);
	return n;
}

static size_t fmt_tz(char *buf, size_t cap, const char *fmt, int64_t ns,
		     const char *tz)
{
	int64_t sec, sub;
	struct tm tm;
	split_ns(ns, &sec, &sub);
	time_t t = (time_t)sec;
	if (cap == 0)
		return 0;
	if (tz) {
		if (!tz_local(t, tz, &tm))
			return 0;
	} else if (gmtime_r(&t, &tm) == NULL) {
		return 0;
	}
	/* %f: the microseconds, six digits, as Python's strftime */
	char f2[1024];
	if (find_conv(fmt, 'f')) {
		size_t k = 0;
		for (const char *c = fmt; *c; c++) {
			if (k + 8 >= sizeof f2)
				return 0;
			if (c[0] == '%' && c[1] == 'f') {
				k += (size_t)snprintf(f2 + k, sizeof f2 - k, "%06lld",
						      (long long)(sub / 1000));
				c++;
			} else if (c[0] == '%' && c[1]) {
				f2[k++] = *c++;
				f2[k++] = *c;
			} else {
				f2[k++] = *c;
			}
		}
		f2[k] = '\0';
		fmt = f2;
	}
	return strftime(buf, cap, fmt, &tm);
}

/* Appends ".ddd" with trailing zeros dropped for a fraction v of 10^digits;
 * nothing when v is 0. Returns the new length. */
static size_t put_frac(char *b, size_t len, int64_t v, int digits)
{
	if (v == 0)
		return len;
	while (v % 10 == 0) {
		v /= 10;
		digits--;
	}
	b[len++] = '.';
	for (int i = digits - 1; i >= 0; i--)
		b[len + (size_t)i] = (char)('0' + v % 10), v /= 10;
	return len + (size_t)digits;
}

/* Copies tmp (len bytes) to buf if it fits with its NUL; returns len or
 * 0. */
static size_t out(char *buf, size_t cap, const char *tmp, size_t len)
{
	if (len >= cap)
		return 0;
	memcpy(buf, tmp, len);
	buf[len] = '\0';
	return len;
}

size_t sk_time_fmt_kind(char *buf, size_t cap, int kind, int64_t ns)
{
	char b[64];
	size_t len;
	int64_t sec, sub, y;
	unsigned mo, d;

	if (kind >= SK_TK_EPOCH_S && kind <= SK_TK_EPOCH_NS) {
		static const int64_t unit[] = { 1000000000, 1000000, 1000, 1 };
		static const int digits[] = { 9, 6, 3, 0 };
		int i = kind - SK_TK_EPOCH_S;
		/* Exact in the unit: the magnitude, then its sign, so that
		 * INT64_MIN and -0.5 both come out right. */
		uint64_t a = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;
		len = (size_t)snprintf(b, sizeof b, "%s%llu", ns < 0 ? "-" : "",
				       (unsigned long long)(a / (uint64_t)unit[i]));
		len = put_frac(b, len, (int64_t)(a % (uint64_t)unit[i]),
			       digits[i]);
		return out(buf, cap, b, len);
	}
	split_ns(ns, &sec, &sub);
	int64_t days = sec / 86400, sod = sec % 86400;
	if (sod < 0)
		sod += 86400, days--;
	civil_from_days(days, &y, &mo, &d);
	int hh = (int)(sod / 3600), mi = (int)(sod / 60 % 60), ss = (int)(sod % 60);
	switch (kind) {
	case SK_TK_CLF:
		len = (size_t)snprintf(b, sizeof b,
				       "%02u/%s/%04lld:%02d:%02d:%02d +0000", d,
				       month_abbr[mo - 1], (long long)y, hh, mi, ss);
		break;
	case SK_TK_SYSLOG:
		len = (size_t)snprintf(b, sizeof b, "%s %2u %02d:%02d:%02d",
				       month_abbr[mo - 1], d, hh, mi, ss);
		break;
	case SK_TK_CTIME:
		len = (size_t)snprintf(b, sizeof b, "%s %s %02u %02d:%02d:%02d",
				       wday_abbr[((days % 7) + 11) % 7],
				       month_abbr[mo - 1], d, hh, mi, ss);
		len = put_frac(b, len, sub, 9);
		len += (size_t)snprintf(b + len, sizeof b - len, " %04lld",
					(long long)y);
		break;
	default:
		len = (size_t)snprintf(b, sizeof b,
				       "%04lld-%02u-%02uT%02d:%02d:%02d",
				       (long long)y, mo, d, hh, mi, ss);
		len = put_frac(b, len, sub, 9);
		b[len++] = 'Z';
		break;
	}
	return out(buf, cap, b, len);
}

/* Duration units; "ms" must come before "m", which is its prefix. */
static const struct {
	char name[4];
	unsigned char len;
	int64_t ns;
} dur_units[] = {
	{ "ns", 2, 1 },
	{ "us", 2, 1000 },
	{ "\xc2\xb5s", 3, 1000 },	/* µs, as Go writes it */
	{ "ms", 2, 1000000 },
	{ "s", 1, SK_NS_PER_SEC },
	{ "m", 1, 60 * SK_NS_PER_SEC },
	{ "h", 1, 3600 * SK_NS_PER_SEC },
	{ "d", 1, 86400 * SK_NS_PER_SEC },
	{ "w", 1, 7 * 86400 * SK_NS_PER_SEC },
};

int sk_duration_parse(const char *s, size_t n, int64_t *ns)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	int neg = 0;
	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	if (p == end)
		return 0;
	__int128 total = 0;
	int parts = 0;
	while (p < end) {
		const unsigned char *ds = p;
		__int128 ip = 0;
		/* The fraction keeps 18 digits, not 9: "1.0000000019h" is
		 * still 6840ns past the hour. */
		int64_t frac = 0, scale = 1;
		while (p < end && is_digit(*p)) {
			ip = ip * 10 + (*p++ - '0');
			if (ip > INT64_MAX)
				return 0;
		}
		if (p < end && *p == '.') {
			const unsigned char *fs = ++p;
			for (; p < end && is_digit(*p); p++) {
				if (scale < INT64_C(1000000000000000000)) {
					frac = frac * 10 + (*p - '0');
					scale *= 10;
				}
			}
			if (p == fs)
				return 0;
		}
		if (p == ds)
			return 0;	/* a unit with no number */
		int64_t unit = 0;
		if (p == end && parts == 0) {
			unit = SK_NS_PER_SEC;	/* a bare number */
		} else {
			for (size_t i = 0; i < sizeof dur_units / sizeof dur_units[0]; i++) {
				size_t l = dur_units[i].len;
				if ((size_t)(end - p) >= l &&
				    memcmp(p, dur_units[i].name, l) == 0) {
					unit = dur_units[i].ns;
					p += l;
					break;
				}
			}
			if (unit == 0)
				return 0;
		}
		total += ip * unit + (__int128)frac * unit / scale;
		if (total > (__int128)INT64_MAX + neg)
			return 0;	/* -2^63 fits, +2^63 does not */
		parts++;
	}
	*ns = (int64_t)(neg ? -total : total);
	return 1;
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * SK_NS_PER_SEC + ts.tv_nsec;
}

/* The test clock runs on CLOCK_MONOTONIC from the first call, so that a
 * step of the wall clock cannot make a test flaky. */
int64_t sk_now(void)
{
	static int init;
	static int64_t base, start;
	if (!init) {
		const char *e = getenv("SK_TEST_CLOCK");
		int64_t v;
		int kind;
		init = 1;
		if (e && *e) {
			if (sk_time_parse(e, strlen(e), 0, &v, &kind) &&
			    kind == SK_TK_EPOCH_S) {
				base = v;
				start = clock_ns(CLOCK_MONOTONIC);
				init = 2;
			} else {
				sk_warn("SK_TEST_CLOCK: not epoch seconds: \"%s\"", e);
			}
		}
	}
	if (init == 2)
		return base + (clock_ns(CLOCK_MONOTONIC) - start);
	return clock_ns(CLOCK_REALTIME);
}
