/* tap.h: the TAP line every C unit test prints, shared by the C unit tests.
 * ok() prints "ok N - desc" or "not ok N - desc" (desc printf-style);
 * tap_done() prints the plan and gives the exit status. */
#ifndef SK_TAP_H
#define SK_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_n, tap_failed;

static void ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void ok(int cond, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	tap_failed += !cond;
}

static int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}

#endif
