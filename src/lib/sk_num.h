/* sk_num: number parsing and printing shared by expressions, aggregates and
 * writers, without strtod or printf in the common cases. */
#ifndef SK_NUM_H
#define SK_NUM_H

#include <stddef.h>
#include <stdint.h>

typedef struct sk_num {
	int isint;   /* i holds the exact value (an integer within int64) */
	int64_t i;
	double d;    /* always set */
} sk_num;

/*
 * Parses the whole of [p, p+n) as a number: optional blanks around it, a
 * sign, digits with an optional fraction and exponent, or inf/infinity/nan
 * in any case. Returns 1 and fills *out, or 0 if it is not (all of it) a
 * number; "" is not a number.
 */
int sk_num_parse(const char *p, size_t n, sk_num *out);

/*
 * Writes d in the shortest form that reads back as the same double
 * (integers without a fraction or exponent up to 2^63), NUL-terminated.
 * Returns the length. buf needs SK_NUM_BUFSZ bytes. NaN prints "nan",
 * infinities "inf" and "-inf".
 */
#define SK_NUM_BUFSZ 32
size_t sk_num_fmt(char *buf, double d);
/* The same for an exact integer. */
size_t sk_num_fmt_int(char *buf, int64_t i);

#endif
