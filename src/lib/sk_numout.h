/* sk_numout: how numbers look on output: --ofmt (a printf format for every
 * non-integer number, as Miller's) and the readable form -o table and -o
 * markdown show by default. */
#ifndef SK_NUMOUT_H
#define SK_NUMOUT_H

#include <stddef.h>
#include "sk_buf.h"

/*
 * 1 if fmt is a printf format with exactly one floating conversion
 * (%f %F %e %E %g %G %a %A, with flags, width, precision and an optional
 * 'l' as in C: "%.3f", "%08.2lf", "%.4g ms") and no other ("%%" is a
 * literal percent sign); else 0.
 */
int sk_ofmt_valid(const char *fmt);

/*
 * 1 if [p, p+n) is a finite number written with a fraction or an exponent
 * (3.5, 1e3, -0.25; not 42, nan or inf): the numbers --ofmt and the
 * readable form apply to.
 */
int sk_num_is_float_text(const char *p, size_t n);

/*
 * If [p, p+n) is such a number, appends it formatted with fmt (valid per
 * sk_ofmt_valid) to b and returns 1; else appends nothing and returns 0.
 */
int sk_ofmt_put(sk_buf *b, const char *fmt, const char *p, size_t n);

/*
 * The readable form for -o table and -o markdown: a non-integer number
 * with more than 6 digits after the point is rounded to 6, trailing zeros
 * dropped (0.30000000000000004 -> 0.3, 2/3 -> 0.666667); one that would
 * round to 0, or one with an exponent, keeps 6 significant digits
 * (1.23457e-07). Appends the form to b and returns 1, or returns 0 when
 * the text is to be shown as it is (integers, short fractions, text).
 */
int sk_num_readable(sk_buf *b, const char *p, size_t n);

/*
 * For sk_write: rec with its numbers as the writer shows them (--ofmt, or
 * the readable form for a format that asks for it): rec itself when none
 * changes, else a copy the writer owns until its next call (modified set,
 * so it is never written raw).
 */
struct sk_writer;
struct sk_record;
const struct sk_record *sk_writer_numbers(struct sk_writer *w, const struct sk_record *rec);
void sk_writer_numbers_free(struct sk_writer *w);

#endif
