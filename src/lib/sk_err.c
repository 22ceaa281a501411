/* sk_err: diagnostics prefixed with the program name. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_err.h"
#include "sk_io.h"

const char *sk_progname = "streamkit";

const sk_bad_kind sk_bad_kinds[SK_BAD_NKINDS] = {
	[SK_BAD_CSV] = { .name = "bad CSV", .says_kind = 1 },
	[SK_BAD_JSON] = { .name = "bad JSON", .says_kind = 1 },
	[SK_BAD_LOGFMT] = { .name = "bad logfmt", .says_kind = 1 },
	[SK_BAD_CLF] = { .name = "bad CLF", .says_kind = 1 },
	[SK_BAD_FIELDS] = { .name = "wrong number of fields" },
	[SK_BAD_HEADER] = { .name = "bad header", .says_kind = 1, .ends_input = 1 },
	[SK_BAD_TOO_LONG] = { .name = "record too long", .ends_input = 1 },
	[SK_BAD_NUMBER] = { .name = "not a number" },
	[SK_BAD_TIME] = { .name = "not a time" },
	[SK_BAD_RANGE] = { .name = "window out of range" },
	[SK_BAD_REGEX] = { .name = "regex" },
	[SK_BAD_LATE] = { .name = "late record", .late = 1 },
	[SK_BAD_PARTIAL] = { .name = "bad partial" },
	[SK_BAD_KEY] = { .name = "missing key field" },
	[SK_BAD_ADDR] = { .name = "not an IP address" },
};
void (*sk_exit_hook)(int status);

static _Noreturn void die_exit(int status)
{
	if (sk_exit_hook)
		sk_exit_hook(status);
	exit(status);
}

void sk_err_init(const char *argv0)
{
	const char *s = strrchr(argv0, '/');
	sk_progname = s ? s + 1 : argv0;
}

static void (*exit_hook)(void);

void sk_err_on_exit(void (*fn)(void))
{
	exit_hook = fn;
}

/* Runs the exit hook once: a fatal error inside it (a write error while
 * flushing) must not run it again. */
static void run_exit_hook(void)
{
	void (*fn)(void) = exit_hook;
	exit_hook = NULL;
	if (fn)
		fn();
}

static void (*message_hook)(void);

void sk_err_on_message(void (*fn)(void))
{
	message_hook = fn;
}

void sk_err_before_message(void)
{
	if (message_hook)
		message_hook();
}

void sk_vwarn(const char *fmt, va_list ap)
{
	sk_err_before_message();
	fprintf(stderr, "%s: ", sk_progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void sk_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sk_vwarn(fmt, ap);
	va_end(ap);
}

void sk_die(int status, const char *fmt, ...)
{
	int e = errno;
	run_exit_hook();
	sk_err_before_message();
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", sk_progname);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, ": %s\n", strerror(e));
	va_end(ap);
	die_exit(status);
}

void sk_diex(int status, const char *fmt, ...)
{
	run_exit_hook();
	va_list ap;
	va_start(ap, fmt);
	sk_vwarn(fmt, ap);
	va_end(ap);
	die_exit(status);
}

void sk_die_at(const char *src, size_t start, size_t end, const char *fmt, ...)
{
	/* Find the line holding start, and the column within it. */
	size_t line = 1, ls = 0, len = strlen(src);
	if (start > len)
		start = len;
	for (size_t i = 0; i < start; i++)
		if (src[i] == '\n') {
			line++;
			ls = i + 1;
		}
	size_t le = ls;
	while (le < len && src[le] != '\n')
		le++;
	if (end <= start)
		end = start + 1;
	if (end > le + 1)
		end = le + 1;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: %zu:%zu: ", sk_progname, line, start - ls + 1);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n  %.*s\n  ", (int)(le - ls), src + ls);
	for (size_t i = ls; i < start; i++)
		fputc(src[i] == '\t' ? '\t' : ' ', stderr);
	for (size_t i = start; i < end; i++)
		fputc('^', stderr);
	fputc('\n', stderr);
	die_exit(SK_EXIT_USAGE);
}

void sk_near_init(sk_near *s, const char *w, size_t n)
{
	s->w = w;
	s->n = n;
	s->best = NULL;
	s->bestd = (size_t)-1;
}

/* Optimal string alignment distance; names are short (< 32 bytes). */
static size_t osa_distance(const char *a, size_t an, const char *b, size_t bn)
{
	enum { M = 32 };
	if (an >= M || bn >= M)
		return (size_t)-1;
	size_t d[M][M];
	for (size_t i = 0; i <= an; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= bn; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= an; i++)
		for (size_t j = 1; j <= bn; j++) {
			size_t c = a[i - 1] != b[j - 1];
			size_t v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + c < v)
				v = d[i - 1][j - 1] + c;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[an][bn];
}

void sk_near_add(sk_near *s, const char *name)
{
	size_t d = osa_distance(s->w, s->n, name, strlen(name));
	if (d < s->bestd) {
		s->bestd = d;
		s->best = name;
	}
}

const char *sk_near_best(const sk_near *s)
{
	if (!s->best || s->bestd > 2 || s->bestd * 2 >= s->n)
		return NULL;
	return s->best;
}
