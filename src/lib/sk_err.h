/* sk_err: diagnostics with the program name, and the exit statuses. */
#ifndef SK_ERR_H
#define SK_ERR_H

#include <stdarg.h>
#include <stddef.h>

enum {
	SK_EXIT_OK = 0,
	SK_EXIT_DATA = 1,  /* bad data or I/O error */
	SK_EXIT_USAGE = 2, /* usage or program error */
};

/*
 * The kinds of bad data. Every bad record has one: the summary at the end
 * of a run counts the records past the first few of each kind by it
 * ("3 more records rejected: bad JSON"), and says late records apart
 * ("2 late records dropped") from bad ones ("5 bad records skipped").
 * sk_bad_kinds holds what each kind is.
 */
enum sk_bad {
	SK_BAD_CSV,      /* a CSV record that does not parse */
	SK_BAD_JSON,
	SK_BAD_LOGFMT,
	SK_BAD_CLF,
	SK_BAD_FIELDS,   /* a csv or tsv row whose field count is not the header's */
	SK_BAD_HEADER,   /* a CSV header that does not parse: ends the input */
	SK_BAD_TOO_LONG, /* a record over --max-record: ends the input */
	SK_BAD_NUMBER,   /* an aggregate's argument is not a number */
	SK_BAD_TIME,     /* stream-window's time field is not a time */
	SK_BAD_RANGE,    /* a time whose window does not fit in the time range */
	SK_BAD_REGEX,    /* a match past the regex engine's limits */
	SK_BAD_LATE,     /* a record behind the watermark */
	SK_BAD_PARTIAL,  /* a bad --partial state given to --merge */
	SK_BAD_KEY,      /* stream-join: a record or table row without a key field */
	SK_BAD_ADDR,     /* stream-join --cidr: a key that is no address or prefix */
	SK_BAD_NKINDS
};

typedef struct sk_bad_kind {
	const char *name; /* in the summary line: "bad JSON" */
	int says_kind;    /* its messages start with "NAME: " */
	int ends_input;   /* the stream cannot go on past it */
	int late;         /* counted as dropped, not as bad */
} sk_bad_kind;

extern const sk_bad_kind sk_bad_kinds[SK_BAD_NKINDS];

/* The tool's name, for every message: set once by sk_err_init(argv[0]). */
extern const char *sk_progname;
void sk_err_init(const char *argv0);

/*
 * Called with the exit status by sk_die, sk_diex and sk_die_at after their
 * message, instead of exit(3), when set. It must not return (a test
 * harness longjmps back to its entry point); the tools leave it NULL.
 */
extern void (*sk_exit_hook)(int status);

/*
 * A function sk_die and sk_diex call once before they exit, so a tool can
 * write out what it already produced (the output before a fatal error is
 * never lost). NULL: none.
 */
void sk_err_on_exit(void (*fn)(void));

/*
 * A function called before any message goes to stderr (the --progress
 * line erases itself there). NULL: none. sk_err_before_message calls it,
 * for code that writes to stderr itself.
 */
void sk_err_on_message(void (*fn)(void));
void sk_err_before_message(void);

/* "prog: message: strerror(errno)" to stderr, exit status. */
_Noreturn void sk_die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "prog: message" to stderr, exit status. */
_Noreturn void sk_diex(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "prog: message" to stderr. */
void sk_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sk_vwarn(const char *fmt, va_list ap);

/*
 * A program (expression) error at a column of the source text: prints
 * "prog: 1:COL: message", then the source line and a caret under
 * [start, end), and exits 2. Columns count bytes from 1.
 */
_Noreturn void sk_die_at(const char *src, size_t start, size_t end,
			 const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * The nearest name, for "unknown aggregate 'summ' (did you mean 'sum'?)":
 * give the unknown word to sk_near_init, every known name to sk_near_add,
 * then sk_near_best is the closest by edit distance (a swap of two
 * neighbours counts one), or NULL if none is within 2 edits and under
 * half the word's length.
 */
typedef struct sk_near {
	const char *w;
	size_t n;
	const char *best;
	size_t bestd;
} sk_near;
void sk_near_init(sk_near *s, const char *w, size_t n);
void sk_near_add(sk_near *s, const char *name);
const char *sk_near_best(const sk_near *s);

#endif
