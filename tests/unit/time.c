/* sk_time: every timestamp form, boundary dates, zones, floors, durations
 * and formatting, each against an exact value. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_time.h"
#include "tap.h"

#define S(x) ((int64_t)(x) * SK_NS_PER_SEC)
#define MS(x) ((int64_t)(x) * 1000000)

/* now for the syslog cases: 2024-05-17T12:00:00Z */
#define NOW S(1715947200)

static const struct {
	const char *in;
	int ok;
	int64_t ns;
	int kind;
} parse_cases[] = {
	/* epoch seconds: |x| < 1e11 */
	{ "0", 1, 0, SK_TK_EPOCH_S },
	{ "1715941230", 1, S(1715941230), SK_TK_EPOCH_S },
	{ "+1715941230", 1, S(1715941230), SK_TK_EPOCH_S },
	{ "1715941230.5", 1, S(1715941230) + 500000000, SK_TK_EPOCH_S },
	{ "1715941230.123456789123", 1, S(1715941230) + 123456789, SK_TK_EPOCH_S },
	{ "-1", 1, S(-1), SK_TK_EPOCH_S },
	{ "-1.5", 1, -1500000000, SK_TK_EPOCH_S },
	{ "0.000000001", 1, 1, SK_TK_EPOCH_S },
	{ "9223372036", 1, S(9223372036), SK_TK_EPOCH_S },
	{ "9223372037", 0, 0, 0 },		/* past 2262 */
	{ "99999999999", 0, 0, 0 },		/* still seconds, too big */
	/* ms: 1e11 <= |x| < 1e14 */
	{ "100000000000", 1, MS(100000000000), SK_TK_EPOCH_MS },
	{ "1715941230123", 1, MS(1715941230123), SK_TK_EPOCH_MS },
	{ "1715941230123.5", 1, MS(1715941230123) + 500000, SK_TK_EPOCH_MS },
	{ "-1715941230123", 1, -MS(1715941230123), SK_TK_EPOCH_MS },
	/* us: 1e14 <= |x| < 1e17 */
	{ "100000000000000", 1, INT64_C(100000000000000000), SK_TK_EPOCH_US },
	{ "1715941230123456", 1, INT64_C(1715941230123456000), SK_TK_EPOCH_US },
	{ "1715941230123456.7", 1, INT64_C(1715941230123456700), SK_TK_EPOCH_US },
	/* ns: |x| >= 1e17 */
	{ "100000000000000000", 1, INT64_C(100000000000000000), SK_TK_EPOCH_NS },
	{ "1715941230123456789", 1, INT64_C(1715941230123456789), SK_TK_EPOCH_NS },
	{ "9223372036854775807", 1, INT64_MAX, SK_TK_EPOCH_NS },
	{ "-9223372036854775807", 1, -INT64_MAX, SK_TK_EPOCH_NS },
	{ "9223372036854775808", 0, 0, 0 },
	{ "12345678901234567890", 0, 0, 0 },
	{ "", 0, 0, 0 },
	{ "-", 0, 0, 0 },
	{ "+", 0, 0, 0 },
	{ "1.", 0, 0, 0 },
	{ ".5", 0, 0, 0 },
	{ "1e9", 0, 0, 0 },
	{ "12a", 0, 0, 0 },
	{ " 1", 0, 0, 0 },
	{ "1 ", 0, 0, 0 },
	{ "0x10", 0, 0, 0 },
	{ "1.2.3", 0, 0, 0 },
	{ "--1", 0, 0, 0 },
	{ "1,5", 0, 0, 0 },

	/* ISO 8601 / RFC 3339 */
	{ "2024-05-17T10:20:30Z", 1, S(1715941230), SK_TK_ISO },
	{ "2024-05-17 10:20:30", 1, S(1715941230), SK_TK_ISO },
	{ "2024-05-17T10:20:30 Z", 1, S(1715941230), SK_TK_ISO },
	{ "Sun Dec 04 04:47:44 2005", 1, S(1133671664), SK_TK_CTIME },
	{ "[Wed Oct 11 14:32:52.5 2000]", 1, S(971274772) + 500000000, SK_TK_CTIME },
	{ "2024-05-17t10:20:30z", 1, S(1715941230), SK_TK_ISO },
	{ "2024-05-17T10:20:30.123456+02:00", 1, S(1715934030) + 123456000, SK_TK_ISO },
	{ "2024-05-17T10:20:30+0200", 1, S(1715934030), SK_TK_ISO },
	{ "2024-05-17T10:20:30+02", 1, S(1715934030), SK_TK_ISO },
	{ "2024-05-17T10:20:30 +0200", 1, S(1715934030), SK_TK_ISO },
	{ "2024-05-17T10:20:30-07:00", 1, S(1715966430), SK_TK_ISO },
	{ "2024-05-17T10:20:30+05:30", 1, S(1715921430), SK_TK_ISO },
	{ "2024-05-17 10:20:30,123", 1, S(1715941230) + 123000000, SK_TK_ISO },
	{ "2024-05-17T10:20:30.1234567891Z", 1, S(1715941230) + 123456789, SK_TK_ISO },
	{ "2024-05-17T10:20", 1, S(1715941200), SK_TK_ISO },
	{ "2024-05-17T10:20Z", 1, S(1715941200), SK_TK_ISO },
	{ "2024-05-17", 1, S(1715904000), SK_TK_ISO },
	{ "1970-01-01T00:00:00Z", 1, 0, SK_TK_ISO },
	{ "1970-01-01", 1, 0, SK_TK_ISO },
	{ "1969-12-31T23:59:59Z", 1, S(-1), SK_TK_ISO },
	{ "1969-12-31T23:59:59.5Z", 1, -500000000, SK_TK_ISO },
	{ "1970-01-01T01:00:00+02:00", 1, S(-3600), SK_TK_ISO },
	{ "2024-02-29", 1, S(1709164800), SK_TK_ISO },
	{ "2000-02-29", 1, S(951782400), SK_TK_ISO },
	{ "2016-12-31T23:59:60Z", 1, S(1483228800), SK_TK_ISO },
	{ "2262-04-11T23:47:16.854775807Z", 1, INT64_MAX, SK_TK_ISO },
	{ "1677-09-21T00:12:43.145224192Z", 1, INT64_MIN, SK_TK_ISO },
	{ "2262-04-11T23:47:16.854775808Z", 0, 0, 0 },
	{ "1677-09-21T00:12:43.145224191Z", 0, 0, 0 },
	{ "9999-12-31", 0, 0, 0 },
	{ "2024-13-01", 0, 0, 0 },
	{ "2024-00-10", 0, 0, 0 },
	{ "2024-05-00", 0, 0, 0 },
	{ "2024-05-32", 0, 0, 0 },
	{ "2024-04-31", 0, 0, 0 },
	{ "2024-02-30", 0, 0, 0 },
	{ "2100-02-29", 0, 0, 0 },
	{ "2023-02-29", 0, 0, 0 },
	{ "2024-05-17T25:00:00", 0, 0, 0 },
	{ "2024-05-17T24:00:00", 0, 0, 0 },
	{ "2024-05-17T10:60:00", 0, 0, 0 },
	{ "2024-05-17T10:20:61", 0, 0, 0 },
	{ "2024-05-17T10:20:30Zjunk", 0, 0, 0 },
	{ "2024-05-17T10:20:30Z ", 0, 0, 0 },
	{ "2024-05-17T10:20:30+2400", 0, 0, 0 },
	{ "2024-05-17T10:20:30+02:60", 0, 0, 0 },
	{ "2024-05-17T10:20:30+02:0", 0, 0, 0 },
	{ "2024-05-17T10:20:30+", 0, 0, 0 },
	{ "2024-05-17T10:20:30.", 0, 0, 0 },
	{ "2024-05-17T10:20:30.Z", 0, 0, 0 },
	{ "2024-05-17T10:20:30.12a", 0, 0, 0 },
	{ "2024-05-17T", 0, 0, 0 },
	{ "2024-05-17 ", 0, 0, 0 },
	{ "2024-05-17X10:20:30", 0, 0, 0 },
	{ "2024-05-17T10:2", 0, 0, 0 },
	{ "2024-05-17T10:20:3", 0, 0, 0 },
	{ "2024-5-17", 0, 0, 0 },
	{ "2024-05-1", 0, 0, 0 },
	{ "24-05-17T10:20:30", 0, 0, 0 },

	/* CLF */
	{ "10/Oct/2000:13:55:36 -0700", 1, S(971211336), SK_TK_CLF },
	{ "[10/Oct/2000:13:55:36 -0700]", 1, S(971211336), SK_TK_CLF },
	{ "10/oct/2000:13:55:36 -0700", 1, S(971211336), SK_TK_CLF },
	{ "10/Oct/2000:13:55:36 +0000", 1, S(971186136), SK_TK_CLF },
	{ "10/Oct/2000:13:55:36", 1, S(971186136), SK_TK_CLF },
	{ "29/Feb/2024:00:00:00 +0000", 1, S(1709164800), SK_TK_CLF },
	{ "01/Jan/1970:00:00:00 +0100", 1, S(-3600), SK_TK_CLF },
	{ "32/Oct/2000:13:55:36 -0700", 0, 0, 0 },
	{ "31/Sep/2000:13:55:36 -0700", 0, 0, 0 },
	{ "29/Feb/2023:00:00:00 +0000", 0, 0, 0 },
	{ "10/Foo/2000:13:55:36 -0700", 0, 0, 0 },
	{ "10/Oct/2000:24:00:00 +0000", 0, 0, 0 },
	{ "10/Oct/2000:13:55:36 -07:00", 0, 0, 0 },
	{ "10/Oct/2000:13:55:36 -070", 0, 0, 0 },
	{ "10/Oct/2000:13:55:36 -0700 ", 0, 0, 0 },
	{ "[10/Oct/2000:13:55:36 -0700", 0, 0, 0 },
	{ "10/Oct/2000:13:55:36 -0700]", 0, 0, 0 },
	{ "10/Oct/2000 13:55:36 -0700", 0, 0, 0 },
	{ "1/Oct/2000:13:55:36 -0700", 0, 0, 0 },

	/* syslog, now = 2024-05-17T12:00:00Z */
	{ "May 17 06:55:46", 1, S(1715928946), SK_TK_SYSLOG },
	{ "may 17 06:55:46", 1, S(1715928946), SK_TK_SYSLOG },
	{ "May  7 06:55:46", 1, S(1715064946), SK_TK_SYSLOG },
	{ "May 7 06:55:46", 1, S(1715064946), SK_TK_SYSLOG },
	{ "May 07 06:55:46", 1, S(1715064946), SK_TK_SYSLOG },
	{ "May 17 06:55:46.25", 1, S(1715928946) + 250000000, SK_TK_SYSLOG },
	{ "Dec 10 06:55:46", 1, S(1702191346), SK_TK_SYSLOG },	/* 2023 */
	{ "Jun  4 06:55:46", 1, S(1685861746), SK_TK_SYSLOG },	/* 2023 */
	{ "May 18 11:00:00", 1, S(1716030000), SK_TK_SYSLOG },	/* now+23h */
	{ "May 18 13:00:00", 1, S(1684414800), SK_TK_SYSLOG },	/* now+25h */
	{ "Feb 29 23:00:00", 1, S(1709247600), SK_TK_SYSLOG },
	{ "Jan  5 00:00:00", 1, S(1704412800), SK_TK_SYSLOG },
	{ "Dec 32 06:55:46", 0, 0, 0 },
	{ "Dec  0 06:55:46", 0, 0, 0 },
	{ "Feb 30 00:00:00", 0, 0, 0 },
	{ "Foo 10 06:55:46", 0, 0, 0 },
	{ "Dec 10 06:55", 0, 0, 0 },
	{ "Dec 10 06:55:46 ", 0, 0, 0 },
	{ "Dec 10 25:00:00", 0, 0, 0 },
	{ "Dec 10 06:55:46.", 0, 0, 0 },
	{ "Dec  10 06:55:46", 0, 0, 0 },
	{ "Dec10 06:55:46", 0, 0, 0 },
	{ "Dec 100 06:55:46", 0, 0, 0 },
	{ "garbage", 0, 0, 0 },
	{ "now", 0, 0, 0 },
};

static void test_parse(void)
{
	for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
		int64_t ns = 42;
		int kind = -1;
		const char *in = parse_cases[i].in;
		int r = sk_time_parse(in, strlen(in), NOW, &ns, &kind);
		if (parse_cases[i].ok)
			ok(r == 1 && ns == parse_cases[i].ns &&
			   kind == parse_cases[i].kind,
			   "parse \"%s\" = %lld kind %d (got %d %lld %d)", in,
			   (long long)parse_cases[i].ns, parse_cases[i].kind, r,
			   (long long)ns, kind);
		else
			ok(r == 0, "parse \"%s\" is refused (got %d %lld)", in,
			   r, (long long)ns);
	}

	/* The length bounds the text: nothing past it is read. */
	int64_t ns;
	ok(sk_time_parse("2024-05-17T10:20:30Zjunk", 20, NOW, &ns, NULL) == 1 &&
	   ns == S(1715941230), "parse stops at n; kind may be NULL");
	ok(sk_time_parse("17159412301", 10, NOW, &ns, NULL) == 1 &&
	   ns == S(1715941230), "epoch bounded by n");
	ok(sk_time_parse("2024-05-17\0T10", 11, NOW, &ns, NULL) == 0,
	   "NUL inside is refused");

	/* The syslog year rule around New Year and Feb 29. */
	int64_t jan = S(1704412800);	/* 2024-01-05 */
	ok(sk_time_parse("Dec 31 23:00:00", 15, jan, &ns, NULL) == 1 &&
	   ns == S(1704063600), "syslog Dec read in January is last year");
	ok(sk_time_parse("Jan  6 00:00:00", 15, jan, &ns, NULL) == 1 &&
	   ns == S(1704499200), "syslog within a day ahead is this year");
	ok(sk_time_parse("Feb 29 12:00:00", 15, S(1740787200), &ns, NULL) == 1 &&
	   ns == S(1709208000), "syslog Feb 29 in 2025 is 2024");
	ok(sk_time_parse("Feb 29 12:00:00", 15, S(1772323200), &ns, NULL) == 0,
	   "syslog Feb 29 in 2026 is refused");
}

static void test_floor(void)
{
	ok(sk_time_floor(-1, S(60), 0) == S(-60), "floor(-1ns, 60s) = -60s");
	ok(sk_time_floor(S(-1), S(60), 0) == S(-60), "floor(-1s, 60s) = -60s");
	ok(sk_time_floor(S(-60), S(60), 0) == S(-60), "floor(-60s, 60s) = -60s");
	ok(sk_time_floor(S(-61), S(60), 0) == S(-120), "floor(-61s, 60s) = -120s");
	ok(sk_time_floor(0, S(60), 0) == 0, "floor(0, 60s) = 0");
	ok(sk_time_floor(S(60) - 1, S(60), 0) == 0, "floor(60s-1ns) = 0");
	ok(sk_time_floor(S(60), S(60), 0) == S(60), "floor(60s) = 60s");
	ok(sk_time_floor(S(1715941230), S(300), 0) == S(1715941200),
	   "floor 5m");
	ok(sk_time_floor(S(1715941230), S(86400), S(-28800)) == S(1715875200),
	   "floor 1d offset -8h: day of UTC+8");
	ok(sk_time_floor(S(1715941230), S(86400), S(28800)) == S(1715932800),
	   "floor 1d offset +8h");
	ok(sk_time_floor(S(-1), S(60), S(30)) == S(-30),
	   "floor(-1s, 60s, offset 30s) = -30s");
	ok(sk_time_floor(S(-31), S(60), S(30)) == S(-90),
	   "floor(-31s, 60s, offset 30s) = -90s");
	ok(sk_time_floor(S(10), S(60), S(-3600)) == 0,
	   "an offset of whole sizes changes nothing");
}

static const struct {
	const char *in;
	int ok;
	int64_t ns;
} dur_cases[] = {
	{ "1h30m", 1, S(5400) },
	{ "250ms", 1, MS(250) },
	{ "-8h", 1, S(-28800) },
	{ "+5m", 1, S(300) },
	{ "1.5s", 1, MS(1500) },
	{ "1.5h", 1, S(5400) },
	{ ".5s", 1, MS(500) },
	{ "10", 1, S(10) },
	{ "1.25", 1, MS(1250) },
	{ "0", 1, 0 },
	{ "0s", 1, 0 },
	{ "-0s", 1, 0 },
	{ "10s", 1, S(10) },
	{ "5m", 1, S(300) },
	{ "1d", 1, S(86400) },
	{ "1w", 1, S(604800) },
	{ "1h1m1s1ms1us1ns", 1, S(3661) + 1001001 },
	{ "2us", 1, 2000 },
	{ "2\xc2\xb5s", 1, 2000 },
	{ "7ns", 1, 7 },
	{ "1d1d", 1, S(172800) },
	{ "0.000000001s", 1, 1 },
	{ "0.0000000019s", 1, 1 },
	{ "1.0000000019h", 1, S(3600) + 6840 },
	{ "9223372036s", 1, S(9223372036) },
	{ "-1h30m", 1, S(-5400) },
	{ "9223372037s", 0, 0 },
	{ "106752d", 0, 0 },
	{ "99999999999999999999s", 0, 0 },
	{ "", 0, 0 },
	{ "-", 0, 0 },
	{ "s", 0, 0 },
	{ "1x", 0, 0 },
	{ "1h30", 0, 0 },
	{ "1.s", 0, 0 },
	{ ".s", 0, 0 },
	{ "1 h", 0, 0 },
	{ " 1h", 0, 0 },
	{ "1h ", 0, 0 },
	{ "h1", 0, 0 },
	{ "1.5.5s", 0, 0 },
	{ "--1s", 0, 0 },
	{ "1h-30m", 0, 0 },
	{ "1mss", 0, 0 },
	{ "1e3s", 0, 0 },
	{ "1H", 0, 0 },
	{ "1min", 0, 0 },
};

static const struct {
	int64_t ns;
	const char *out;
} dfmt_cases[] = { /* the shortest forms, to the extremes of the range */
	{ S(5400), "1h30m" },
	{ MS(250), "250ms" },
	{ S(-28800), "-8h" },
	{ MS(1500), "1.5s" },
	{ 0, "0s" },
	{ S(10), "10s" },
	{ S(60), "1m" },
	{ S(86400), "1d" },
	{ S(604800), "7d" },
	{ S(90061) + MS(500), "1d1h1m1.5s" },
	{ S(3600) + 1, "1h0.000000001s" },
	{ 1500000, "1.5ms" },
	{ 1000, "1us" },
	{ 1, "1ns" },
	{ 999, "999ns" },
	{ 1001, "1.001us" },
	{ -1, "-1ns" },
	{ INT64_MIN, "-106751d23h47m16.854775808s" },
	{ INT64_MAX, "106751d23h47m16.854775807s" },
};

static void test_duration(void)
{
	for (size_t i = 0; i < sizeof dur_cases / sizeof dur_cases[0]; i++) {
		int64_t ns = 42;
		const char *in = dur_cases[i].in;
		int r = sk_duration_parse(in, strlen(in), &ns);
		if (dur_cases[i].ok)
			ok(r == 1 && ns == dur_cases[i].ns,
			   "duration \"%s\" = %lld (got %d %lld)", in,
			   (long long)dur_cases[i].ns, r, (long long)ns);
		else
			ok(r == 0, "duration \"%s\" is refused (got %lld)", in,
			   (long long)ns);
	}
	for (size_t i = 0; i < sizeof dfmt_cases / sizeof dfmt_cases[0]; i++) {
		int64_t back = 42;
		const char *in = dfmt_cases[i].out;
		int r = sk_duration_parse(in, strlen(in), &back);
		ok(r == 1 && back == dfmt_cases[i].ns, "duration \"%s\" = %lld (got %lld)",
		   in, (long long)dfmt_cases[i].ns, (long long)back);
	}
}

static const struct {
	int kind;
	int64_t ns;
	const char *out;
} kfmt_cases[] = {
	{ SK_TK_ISO, S(1715941230), "2024-05-17T10:20:30Z" },
	{ SK_TK_ISO, S(1715941230) + 123456000, "2024-05-17T10:20:30.123456Z" },
	{ SK_TK_ISO, S(1715941230) + 500000000, "2024-05-17T10:20:30.5Z" },
	{ SK_TK_ISO, 0, "1970-01-01T00:00:00Z" },
	{ SK_TK_ISO, S(-1), "1969-12-31T23:59:59Z" },
	{ SK_TK_ISO, -1, "1969-12-31T23:59:59.999999999Z" },
	{ SK_TK_ISO, S(1709164800), "2024-02-29T00:00:00Z" },
	{ SK_TK_ISO, INT64_MAX, "2262-04-11T23:47:16.854775807Z" },
	{ SK_TK_ISO, INT64_MIN, "1677-09-21T00:12:43.145224192Z" },
	{ SK_TK_NONE, S(1715941230), "2024-05-17T10:20:30Z" },
	{ SK_TK_CLF, S(971211336), "10/Oct/2000:20:55:36 +0000" },
	{ SK_TK_CLF, S(-1), "31/Dec/1969:23:59:59 +0000" },
	{ SK_TK_SYSLOG, S(1717484146), "Jun  4 06:55:46" },
	{ SK_TK_SYSLOG, S(1702191346), "Dec 10 06:55:46" },
	{ SK_TK_EPOCH_S, S(1715941230), "1715941230" },
	{ SK_TK_EPOCH_S, S(1715941230) + 500000000, "1715941230.5" },
	{ SK_TK_EPOCH_S, -1500000000, "-1.5" },
	{ SK_TK_EPOCH_S, -1, "-0.000000001" },
	{ SK_TK_EPOCH_S, 0, "0" },
	{ SK_TK_EPOCH_MS, MS(1715941230123), "1715941230123" },
	{ SK_TK_EPOCH_MS, MS(1715941230123) + 250000, "1715941230123.25" },
	{ SK_TK_EPOCH_US, INT64_C(1715941230123456000), "1715941230123456" },
	{ SK_TK_EPOCH_NS, INT64_C(1715941230123456789), "1715941230123456789" },
	{ SK_TK_EPOCH_NS, INT64_MIN, "-9223372036854775808" },
};

static void test_fmt(void)
{
	char buf[64];
	for (size_t i = 0; i < sizeof kfmt_cases / sizeof kfmt_cases[0]; i++) {
		size_t n = sk_time_fmt_kind(buf, sizeof buf, kfmt_cases[i].kind,
					    kfmt_cases[i].ns);
		ok(n == strlen(kfmt_cases[i].out) &&
		   strcmp(buf, kfmt_cases[i].out) == 0,
		   "fmt kind %d %lld = \"%s\" (got \"%s\")", kfmt_cases[i].kind,
		   (long long)kfmt_cases[i].ns, kfmt_cases[i].out, buf);
		/* Each form reads back to the same time (syslog: with a
		 * clock in the same year). */
		int64_t back = 42;
		int kind = -1;
		int want = kfmt_cases[i].kind == SK_TK_NONE ? SK_TK_ISO
			 : kfmt_cases[i].kind;
		int r = sk_time_parse(buf, n, kfmt_cases[i].ns, &back, &kind);
		int64_t expect = kfmt_cases[i].ns;
		if (want == SK_TK_CLF || want == SK_TK_SYSLOG)
			expect = sk_time_floor(expect, SK_NS_PER_SEC, 0);
		if (want >= SK_TK_EPOCH_S && want <= SK_TK_EPOCH_NS &&
		    kind != want)
			continue;	/* small epochs read as seconds; INT64_MIN
					 * is past the parse range */
		ok(r == 1 && back == expect && kind == want,
		   "\"%s\" reads back", buf);
	}
	ok(sk_time_fmt_kind(buf, 20, SK_TK_ISO, S(1715941230)) == 0,
	   "fmt kind without room for the NUL gives 0");
	ok(sk_time_fmt_kind(buf, 21, SK_TK_ISO, S(1715941230)) == 20,
	   "fmt kind with room");

	size_t n = sk_time_fmt(buf, sizeof buf, "%Y-%m-%d %H:%M:%S",
			       S(1715941230) + 999999999);
	ok(n == 19 && strcmp(buf, "2024-05-17 10:20:30") == 0,
	   "strftime in UTC, fraction dropped (got \"%s\")", buf);
	n = sk_time_fmt(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", -1);
	ok(n == 19 && strcmp(buf, "1969-12-31 23:59:59") == 0,
	   "strftime of -1ns floors (got \"%s\")", buf);
	n = sk_time_fmt(buf, sizeof buf, "%a %d %b %Y %z", S(1715941230));
	ok(strcmp(buf, "Fri 17 May 2024 +0000") == 0,
	   "strftime names and zone (got \"%s\")", buf);
	ok(sk_time_fmt(buf, 4, "%Y-%m-%d", 0) == 0,
	   "strftime too long gives 0");
}

static const struct {
	const char *in, *fmt;
	int ok;
	int64_t ns;
} pfmt_cases[] = {
	{ "2024-05-17 10:20:30", "%Y-%m-%d %H:%M:%S", 1, S(1715941230) },
	{ "2024-05-17 10:20:30.250", "%Y-%m-%d %H:%M:%S", 1, S(1715941230) + MS(250) },
	{ "2024-05-17 10:20:30,123456789", "%Y-%m-%d %H:%M:%S", 1, S(1715941230) + 123456789 },
	{ "17/May/2024:10:20:30 +0200", "%d/%b/%Y:%H:%M:%S %z", 1, S(1715934030) },
	{ "17/May/2024:10:20:30.5 -0100", "%d/%b/%Y:%H:%M:%S %z", 1, S(1715944830) + MS(500) },
	{ "2024-05-17T10:20:30Z", "%Y-%m-%dT%H:%M:%S%z", 1, S(1715941230) },
	{ "2024-05-17T10:20:30.5+02:00", "%Y-%m-%dT%H:%M:%S%z", 1, S(1715934030) + MS(500) },
	{ "10:20:30", "%H:%M:%S", 1, S(37230) },
	{ "05/17/2024", "%m/%d/%Y", 1, S(1715904000) },
	{ "2024-05-17T10:20:30Z", "%Y-%m-%dT%H:%M:%SZ", 1, S(1715941230) },
	{ "[2024-05-17 10:20:30]", "[%Y-%m-%d %H:%M:%S]", 1, S(1715941230) },
	{ "1969-12-31 23:59:59", "%Y-%m-%d %H:%M:%S", 1, S(-1) },
	{ "2024-02-30 00:00:00", "%Y-%m-%d %H:%M:%S", 0, 0 },
	{ "2024-05-17 10:20:30x", "%Y-%m-%d %H:%M:%S", 0, 0 },
	{ "2024-05-17 10:20:30.", "%Y-%m-%d %H:%M:%S", 0, 0 },
	{ "2024-05-17", "%Y-%m-%d %H:%M:%S", 0, 0 },
	{ "May 17", "%Y-%m-%d", 0, 0 },
	{ "", "%Y", 0, 0 },
};

static void test_parse_fmt(void)
{
	for (size_t i = 0; i < sizeof pfmt_cases / sizeof pfmt_cases[0]; i++) {
		int64_t ns = 42;
		const char *in = pfmt_cases[i].in;
		int r = sk_time_parse_fmt(in, strlen(in), pfmt_cases[i].fmt, &ns);
		if (pfmt_cases[i].ok)
			ok(r == 1 && ns == pfmt_cases[i].ns,
			   "strptime \"%s\" with \"%s\" = %lld (got %d %lld)",
			   in, pfmt_cases[i].fmt, (long long)pfmt_cases[i].ns,
			   r, (long long)ns);
		else
			ok(r == 0, "strptime \"%s\" with \"%s\" is refused", in,
			   pfmt_cases[i].fmt);
	}
	int64_t ns;
	ok(sk_time_parse_fmt("2024-05-17 10:20:30xx", 19, "%Y-%m-%d %H:%M:%S",
			     &ns) == 1 && ns == S(1715941230),
	   "strptime bounded by n");
	char big[400];
	memset(big, '1', sizeof big);
	ok(sk_time_parse_fmt(big, sizeof big, "%s", &ns) == 0,
	   "strptime of an over-long input is refused");
}

static void test_now(void)
{
	/* Before any other sk_now call: the clock starts here. */
	setenv("SK_TEST_CLOCK", "1000", 1);
	int64_t a = sk_now(), b = sk_now();
	ok(a >= S(1000) && a < S(1010), "SK_TEST_CLOCK sets now (%lld)",
	   (long long)a);
	ok(b >= a, "the test clock does not go back");
}

int main(void)
{
	test_now();
	test_parse();
	test_floor();
	test_duration();
	test_fmt();
	test_parse_fmt();
	return tap_done();
}
