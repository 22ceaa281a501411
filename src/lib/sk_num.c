/* sk_num: number parsing with an exact fast path, and shortest printing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_num.h"

static const double pow10tab[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int word_ieq(const char *p, size_t n, const char *w)
{
	size_t m = strlen(w);
	if (n != m)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != w[i])
			return 0;
	}
	return 1;
}

int sk_num_parse(const char *p, size_t n, sk_num *out)
{
	while (n && is_blank(*p))
		p++, n--;
	while (n && is_blank(p[n - 1]))
		n--;
	if (n == 0)
		return 0;
	const char *s = p, *e = p + n;
	int neg = 0;
	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	if (s == e)
		return 0;
	if (!(*s >= '0' && *s <= '9') && *s != '.') {
		size_t m = (size_t)(e - s);
		if (word_ieq(s, m, "inf") || word_ieq(s, m, "infinity")) {
			out->isint = 0;
			out->d = neg ? -INFINITY : INFINITY;
			return 1;
		}
		if (word_ieq(s, m, "nan")) {
			out->isint = 0;
			out->d = NAN;
			return 1;
		}
		return 0;
	}
	/* Fast path: up to 19 digits, an optional fraction, no exponent. */
	uint64_t m = 0;
	int digits = 0, frac = 0, seen = 0;
	const char *q = s;
	while (q < e && *q >= '0' && *q <= '9') {
		if (digits < 19) {
			m = m * 10 + (uint64_t)(*q - '0');
			if (m)
				digits++;
		} else {
			digits = 99;
		}
		q++;
		seen = 1;
	}
	if (q == e && digits <= 18) {
		out->isint = 1;
		out->i = neg ? -(int64_t)m : (int64_t)m;
		out->d = (double)out->i;
		return 1;
	}
	if (q < e && *q == '.') {
		q++;
		while (q < e && *q >= '0' && *q <= '9') {
			if (digits < 19) {
				m = m * 10 + (uint64_t)(*q - '0');
				if (m)
					digits++;
				frac++;
			} else {
				digits = 99;
			}
			q++;
			seen = 1;
		}
		if (!seen)
			return 0;
		if (q == e && digits <= 15 && frac <= 22) {
			/* m < 2^53 and 10^frac exact: one correctly rounded division. */
			out->isint = 0;
			out->d = (double)m / pow10tab[frac];
			if (neg)
				out->d = -out->d;
			return 1;
		}
	}
	if (!seen)
		return 0;
	if (q < e && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < e && (*q == '+' || *q == '-'))
			q++;
		if (q == e || !(*q >= '0' && *q <= '9'))
			return 0;
		while (q < e && *q >= '0' && *q <= '9')
			q++;
	}
	if (q != e)
		return 0;
	/* Slow path: strtod on a NUL-terminated copy. */
	char tmp[128];
	char *buf = tmp;
	if (n >= sizeof tmp)
		buf = malloc(n + 1);
	if (!buf)
		return 0;
	memcpy(buf, p, n);
	buf[n] = 0;
	double d = strtod(buf, NULL);
	if (buf != tmp)
		free(buf);
	out->d = d;
	out->isint = 0;
	/* An integer of 19 digits that still fits int64 stays exact. */
	if (digits == 19 && q == e && !memchr(p, '.', n) && !memchr(p, 'e', n) &&
	    !memchr(p, 'E', n) && fabs(d) <= 9223372036854775807.0) {
		/* magnitude up to 2^63 - 1, or 2^63 for INT64_MIN */
		uint64_t v = 0, lim = (uint64_t)INT64_MAX + (uint64_t)neg;
		int ok = 1;
		for (const char *r = s; r < e; r++) {
			uint64_t dgt = (uint64_t)(*r - '0');
			if (v > (lim - dgt) / 10) {
				ok = 0;
				break;
			}
			v = v * 10 + dgt;
		}
		if (ok) {
			out->isint = 1;
			out->i = neg ? (int64_t)(0 - v) : (int64_t)v;
		}
	}
	return 1;
}

size_t sk_num_fmt_int(char *buf, int64_t i)
{
	char tmp[24];
	size_t n = 0;
	uint64_t u = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	size_t k = 0;
	if (i < 0)
		buf[k++] = '-';
	while (n)
		buf[k++] = tmp[--n];
	buf[k] = 0;
	return k;
}

size_t sk_num_fmt(char *buf, double d)
{
	if (isnan(d))
		return (size_t)snprintf(buf, SK_NUM_BUFSZ, "nan");
	if (isinf(d))
		return (size_t)snprintf(buf, SK_NUM_BUFSZ, d < 0 ? "-inf" : "inf");
	if (d == 0)
		return (size_t)snprintf(buf, SK_NUM_BUFSZ, signbit(d) ? "-0" : "0");
	if (d == floor(d) && fabs(d) < 1e15)
		return sk_num_fmt_int(buf, (int64_t)d);
	int n = 0;
	for (int prec = 15; prec <= 17; prec++) {
		n = snprintf(buf, SK_NUM_BUFSZ, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	return (size_t)n;
}
