/* stream-filter: keep the records for which an expression is true.
 * Option parsing only: the work is in src/lib (sk_expr). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "sk_err.h"
#include "sk_expr.h"
#include "sk_par.h"
#include "sk_tool.h"

static void usage(int status)
{
	if (status != SK_EXIT_OK)
		sk_try_help(status);
	printf(
"Usage: stream-filter [OPTIONS] EXPR [FILE...]\n"
"Write the records for which EXPR is true (see stream-expr(7)).\n"
"\n"
"Filter:\n"
"  -v, --invert             keep the records for which EXPR is false\n"
"  -c, --count              write only the number of records kept\n"
"  -n, --max N              stop after N records are kept, reading no more\n"
"      --strict-fields      a field EXPR names that is not in the first\n"
"                           record (the header) is an error (exit 2)\n"
"  -j, --jobs N             threads for a regular FILE of 4 MiB or more\n"
"                           (default: the cores online; the output is that\n"
"                           of one thread, see stream-filter(1))\n"
"\n");
	sk_tool_usage_common(stdout);
	printf(
"\n"
"Examples:\n"
"  stream-filter -i clf 'status >= 500' access.log\n"
"  stream-filter 'path =~ \"^/api/\" && bytes > 1e6' requests.csv\n"
"  stream-filter -c 'cidr(host, \"10.0.0.0/8\")' -i clf access.log\n"
"  tail -F app.log | stream-filter -i logfmt 'level in [\"error\", \"fatal\"]'\n"
"\n"
"Exit status: 0 fine, 1 bad data or I/O error, 2 usage or program error;\n"
"after SIGINT, SIGTERM or SIGHUP (the records so far are written) 130,\n"
"143, 129.\n");
	exit(status);
}

enum { OPT_STRICT = SK_OPT_TOOL_BASE };

/* The options, and the records kept by the runs written so far (-j). */
static struct {
	int invert, count, flags;
	long long max;          /* -n; -1: none */
	const char *src;        /* EXPR */
	unsigned jobs;          /* -j */
	long long kept;
} F;

/* A filter: one for one thread, one per -j worker. */
struct filt {
	sk_expr *e;
	long long kept;         /* records kept (of this run, for a worker) */
	long long cap;          /* stop when this many are kept (-n) */
};

/* Tests the record in t->rec and writes it if kept. Returns 0 when -n
 * is reached: no more is read. */
static int keep_record(struct filt *f, sk_tool *t)
{
	int keep = sk_expr_test(f->e, &t->rec);
	if (__builtin_expect(sk_expr_error(f->e) != NULL, 0)) {
		sk_tool_bad(t, &t->rec, SK_BAD_REGEX, "%s", sk_expr_error(f->e));
		return 1;
	}
	if (keep == F.invert)
		return 1;
	f->kept++;
	if (!F.count)
		sk_write(&t->wr, &t->rec);
	return F.max < 0 || f->kept < f->cap;
}

static void *w_open(void *arg, sk_tool *wt)
{
	(void)arg;
	struct filt *f = sk_xcalloc(1, sizeof *f);
	f->e = sk_expr_compile(F.src, &wt->schema, F.flags);
	return f;
}

/* A chunk read on speculation stops at -n records itself; read again
 * exact, at what -n leaves after the chunks before. */
static void w_reset(void *arg, void *ctx, size_t idx, int exact)
{
	(void)arg;
	(void)idx;
	struct filt *f = ctx;
	f->kept = 0;
	f->cap = exact && F.max >= 0 ? F.max - F.kept : F.max;
}

static int w_record(void *ctx, sk_tool *wt)
{
	return keep_record(ctx, wt);
}

/* A chunk that reaches -n must stop where one thread would. */
static int w_fits(void *arg, void *ctx)
{
	(void)arg;
	return F.max < 0 || F.kept + ((struct filt *)ctx)->kept < F.max;
}

static void w_done(void *arg, void *ctx)
{
	(void)arg;
	F.kept += ((struct filt *)ctx)->kept;
}

static void w_close(void *ctx)
{
	struct filt *f = ctx;
	sk_expr_free(f->e);
	free(f);
}

/* -j: the input in chunks on threads, unless the answer could depend on
 * the first record (--strict-fields). Returns 1 if it was read so. */
static int run_parallel(sk_tool *t)
{
	static sk_par_ops ops = {
		.open = w_open, .reset = w_reset, .record = w_record,
		.fits = w_fits, .done = w_done, .close = w_close,
	};
	ops.writes = !F.count;
	if (F.max == 0 || (F.flags & SK_EXPR_STRICT_FIELDS))
		return 0;
	return sk_par_run(t, F.jobs, &ops);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		SK_COMMON_LONGOPTS,
		{ "invert", no_argument, NULL, 'v' },
		{ "count", no_argument, NULL, 'c' },
		{ "max", required_argument, NULL, 'n' },
		{ "strict-fields", no_argument, NULL, OPT_STRICT },
		{ "jobs", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	sk_tool t;
	sk_tool_init(&t, argc, argv, usage);
	F.max = -1;
	F.jobs = sk_par_jobs_default();
	int c;
	while ((c = getopt_long(argc, argv, SK_COMMON_SHORTOPTS "vcn:j:", longopts,
				NULL)) != -1) {
		if (sk_tool_opt(&t, c, optarg))
			continue;
		switch (c) {
		case 'v':
			F.invert = 1;
			break;
		case 'c':
			F.count = 1;
			break;
		case 'n': {
			char *e;
			errno = 0;
			F.max = strtoll(optarg, &e, 10);
			if (e == optarg || *e || errno || F.max < 0)
				sk_usage_error("--max takes a count of records, not '%s'", optarg);
			break;
		}
		case 'j':
			F.jobs = sk_par_jobs_opt(optarg);
			break;
		case OPT_STRICT:
			F.flags |= SK_EXPR_STRICT_FIELDS;
			break;
		default:
			usage(SK_EXIT_USAGE);
		}
	}
	if (optind >= argc)
		sk_usage_error("missing EXPR");
	F.src = argv[optind++];
	struct filt f = { .e = sk_expr_compile(F.src, &t.schema, F.flags), .cap = F.max };
	sk_tool_start(&t, argc, argv, optind, F.count ? NULL : &sk_stdout);
	sk_tool_catch_signals();
	if (!run_parallel(&t) && F.max != 0)
		while (sk_tool_next(&t) && keep_record(&f, &t))
			;
	F.kept += f.kept;
	if (!F.count && sk_tool_header_record(&t, &t.rec))
		sk_write_header(&t.wr, &t.rec); /* none kept: still the columns */
	if (F.count) {
		char buf[32];
		int n = snprintf(buf, sizeof buf, "%lld\n", F.kept);
		sk_out_write(&sk_stdout, buf, (size_t)n);
	}
	sk_expr_free(f.e);
	return sk_tool_finish(&t);
}
