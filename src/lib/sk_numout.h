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
