/* sk_tool: what every tool shares: the common options (one table, so their
 * spelling cannot drift), the bad-record policy, signals, the run loop. */
#ifndef SK_TOOL_H
#define SK_TOOL_H

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include "sk_fmt.h"
#include "sk_io.h"
#include "sk_progress.h"
#include "sk_record.h"

/* Long-only options get values from here up (datamash style). */
enum {
	SK_OPT_ON_ERROR = 0x100,
	SK_OPT_REJECTS,
	SK_OPT_HEADER,
	SK_OPT_NO_OUTPUT_HEADER,
	SK_OPT_MAX_RECORD,
	SK_OPT_OFMT,
	SK_OPT_PROGRESS,
	SK_OPT_ASCII,
	SK_OPT_TOOL_BASE = 0x200, /* a tool's own long-only options start here */
};

#define SK_COMMON_SHORTOPTS "i:o:d:NhV"
#define SK_COMMON_LONGOPTS                                                   \
	{ "input-format", required_argument, NULL, 'i' },                    \
	{ "output-format", required_argument, NULL, 'o' },                   \
	{ "delimiter", required_argument, NULL, 'd' },                       \
	{ "no-header", no_argument, NULL, 'N' },                             \
	{ "header", no_argument, NULL, SK_OPT_HEADER },                      \
	{ "no-output-header", no_argument, NULL, SK_OPT_NO_OUTPUT_HEADER },  \
	{ "on-error", required_argument, NULL, SK_OPT_ON_ERROR },            \
	{ "rejects", required_argument, NULL, SK_OPT_REJECTS },              \
	{ "max-record", required_argument, NULL, SK_OPT_MAX_RECORD },        \
	{ "ofmt", required_argument, NULL, SK_OPT_OFMT },                    \
	{ "progress", no_argument, NULL, SK_OPT_PROGRESS },                  \
	{ "ascii", no_argument, NULL, SK_OPT_ASCII },                        \
	{ "help", no_argument, NULL, 'h' },                                  \
	{ "version", no_argument, NULL, 'V' }

enum sk_on_error { SK_ONERR_WARN, SK_ONERR_SKIP, SK_ONERR_FAIL };

typedef struct sk_tool {
	const char *ifmt, *ofmt;
	sk_fmt_opts fo;
	int header_forced, no_out_header;
	int on_error;
	const char *rejects_path;
	FILE *rejects;
	const char *state_path; /* the tool's --state FILE (NULL: none): set
				 * before sk_tool_start, which refuses a
				 * --rejects naming it */
	char **files;
	size_t nfiles;
	void (*usage)(int status); /* the tool's usage() */

	/* the stream */
	sk_schema schema;
	sk_reader rd;
	sk_writer wr;
	sk_record rec;
	sk_progress prog;  /* --progress */

	/* bad records: counted by kind, the first SK_WARN_MAX of each said;
	 * the kinds in the order they were first met, for the summary */
	uint64_t nbad[SK_BAD_NKINDS];
	unsigned char bad_order[SK_BAD_NKINDS];
	size_t nbad_kinds;
	uint64_t nbad_total;

	/* a worker of sk_par: bad records and fatal errors (fatal set) go
	 * to par_event, which keeps them for the main thread to say in
	 * input order (NULL: said here and now) */
	void (*par_event)(struct sk_tool *t, const sk_record *rec, int kind,
			  int fatal, const char *fmt, va_list ap);
	struct sk_par_slot *par;
	int par_stop;      /* --on-error fail or a fatal error met: no more */
} sk_tool;

#define SK_WARN_MAX 10

/* Zeroes the tool and sets the defaults. usage is called on misuse. */
void sk_tool_init(sk_tool *t, int argc, char **argv, void (*usage)(int));

/*
 * Handles a common option returned by getopt_long. Returns 1 if it was one
 * (-h and -V exit here), 0 if the tool must handle it. Bad values exit 2.
 */
int sk_tool_opt(sk_tool *t, int opt, const char *arg);

/*
 * Splits a comma list of fields (-s, -x, -g) into refs, names interned in
 * schema, stored in *out from its start (reallocated: what it held is
 * replaced). Returns how many. Each item is a field in any form of the
 * language: name, $name, ${any name, even with commas}, $N or N (a
 * position, N >= 1). opt names the option in usage errors (an empty
 * name, $0, an unclosed ${).
 */
size_t sk_tool_fields(sk_schema *schema, const char *opt, const char *list,
		      sk_fref **out);
/* One field (-t, --rename's OLD), the whole of [p, p+n) as one item. */
sk_fref sk_tool_field(sk_schema *schema, const char *opt, const char *p,
		      size_t n);

/* --version: the tool, streamkit's version and the libraries' (sk_version.c). */
void sk_print_version(FILE *fp);

/* The common options, for a tool's --help. */
void sk_tool_usage_common(FILE *fp);

/* Misuse with the message already said: "Try 'prog --help'..." to stderr,
 * exit status. */
_Noreturn void sk_try_help(int status);

/* A decimal count, digits only (no sign, space or suffix), that fits 64
 * bits: 1 and *out, or 0. Callers check the range they need. */
int sk_parse_uint(const char *p, size_t n, uint64_t *out);

/* Misuse: "prog: message" and "Try 'prog --help'." to stderr, exit 2. */
_Noreturn void sk_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/*
 * After option parsing: takes the file operands argv[optind..argc), opens
 * the rejects file, sets up the reader (and the writer when out is
 * non-NULL), installs the SIGPIPE policy and the stdin idle flush.
 */
void sk_tool_start(sk_tool *t, int argc, char **argv, int optind, sk_out *out);

/*
 * Live output: writes out what the writer holds back (a -o table block)
 * and flushes stdout. For the idle hooks (the input would block) and
 * snapshots. sk_tool_start installs an idle hook that does only this.
 */
void sk_tool_flush(sk_tool *t);

/*
 * SIGINT, SIGTERM and SIGHUP set sk_stop_flag (sk_io.h) to the signal,
 * which ends the input as if it had reached its end, so the tool writes
 * what it has (a table, open windows, the last whole record) and
 * sk_tool_finish returns 128 + the signal (130, 143, 129): a run cut short
 * never looks complete. A second of them exits at once with that status.
 * Installed without SA_RESTART so a blocked read wakes.
 */
void sk_tool_catch_signals(void);

/* A function the first of those signals also calls, in the handler (so
 * it must be async-signal-safe): stream-partition sends it on to its
 * copies at once, even while a write blocks. NULL: none. */
void sk_tool_on_stop(void (*fn)(int sig));

/*
 * Reads the next good record into t->rec. Bad records of the format (bad
 * CSV or JSON, ragged rows) go through sk_tool_bad and are skipped. An
 * error the input cannot be read past (a record over --max-record, a bad
 * CSV header) writes out what came before, says "prog: FILE:LINE: what"
 * and exits 1, whatever --on-error says.
 * Returns 1, or 0 at the end of input.
 */
int sk_tool_next(sk_tool *t);

/*
 * At the end of input, when nothing was written and the input had a
 * header (csv, tsv): fills rec with the header's fields, all empty, and
 * returns 1, so the tool can write the header its output would have had
 * (sk_write_header). Else returns 0.
 */
int sk_tool_header_record(sk_tool *t, sk_record *rec);

/*
 * Reports a bad record of a kind (sk_err.h) under --on-error: warn says
 * "prog: FILE:LINE: what" for the first SK_WARN_MAX of each kind and
 * counts the rest by kind; skip says nothing; fail flushes what came
 * before and exits 1. The raw record goes to --rejects.
 */
void sk_tool_bad(sk_tool *t, const sk_record *rec, enum sk_bad kind,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Ends the run: finishes the writer, flushes stdout, prints the counts of
 * bad records beyond those said, and returns the exit status (1 if any
 * bad record was met under warn, else 0).
 */
int sk_tool_finish(sk_tool *t);

#endif
