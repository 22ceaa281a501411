/* stream-agg: group-by aggregation at end of input, or snapshots every N
 * records or T seconds; mergeable partial states. Options and the run loop
 * only: the aggregates are sk_agg, the groups and their rows sk_group. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_aggstate.h"
#include "sk_err.h"
#include "sk_group.h"
#include "sk_par.h"
#include "sk_time.h"
#include "sk_tool.h"

static void usage(int status)
{
	if (status != SK_EXIT_OK)
		sk_try_help(status);
	printf(
"Usage: stream-agg [OPTIONS] AGGREGATES [FILE...]\n"
"Group-by aggregation: one row per group at the end of input, and snapshots\n"
"of the whole table while the input goes on.\n"
"\n"
"AGGREGATES is a comma list of FUNCTION(EXPR) [as NAME], e.g.\n"
"'count, sum(bytes), p99(bytes) as slow'. Default names: count, sum_bytes.\n"
"\n"
"Grouping and output:\n"
"  -g, --group-by KEYS      group by these fields (comma list of name,\n"
"                           $name, ${any name}, $3 or 3)\n"
"      --sort [-]COL        sort rows by an output column (- descending)\n"
"      --top N              only the first N rows (after --sort)\n"
"      --every N            also a snapshot after every N records\n"
"      --interval DUR       also a snapshot every DUR (250ms, 10s, 1m), even\n"
"                           while the input is idle; with either, every row\n"
"                           (the final ones too) starts with a 'time' column\n"
"      --partial            write mergeable state instead of results\n"
"      --merge              read --partial output of any number of runs and\n"
"                           finish it (give the same AGGREGATES and -g)\n"
"      --state FILE         keep the table and where each FILE was read to in\n"
"                           FILE; the next run reads only what came since\n"
"                           (cron over growing, rotating logs); a compressed\n"
"                           FILE is read whole, once\n"
"      --rotated GLOB       where rotated FILEs also go (FILE.1, FILE-* and\n"
"                           their .gz, .zst, .bz2, .xz are looked at always)\n"
"      --checkpoint DUR     also write the --state FILE every DUR (250ms, 5s)\n"
"                           while reading: a run killed (SIGKILL, a crash)\n"
"                           loses only what came after the last one\n"
"  -j, --jobs N             threads for a regular FILE of 4 MiB or more\n"
"                           (default: the cores online; the table is that\n"
"                           of one thread, see stream-agg(1))\n"
"\n");
	sk_tool_usage_common(stdout);
	printf("\nAggregates:\n");
	for (const sk_agg_def *d = sk_agg_defs; d->name; d++)
		printf("  %-20s %s\n", d->synopsis, d->help);
	printf(
"\n"
"Examples:\n"
"  stream-agg -g src_ip 'sum(bytes) as bytes, share(bytes) as share' \\\n"
"      --sort -share --top 10 < flows.csv\n"
"  stream-agg -i clf -g status 'count, p99(bytes)' -o table < access.log\n"
"  tail -f app.log | stream-agg -i logfmt -g level count --interval 10s\n"
"  stream-agg --state /var/lib/app.agg -g status count /var/log/app.log\n"
"\n"
"Exit status: 0 fine, 1 bad data or I/O error, 2 usage error; after\n"
"SIGINT, SIGTERM or SIGHUP (the table so far is written) 130, 143, 129.\n");
	exit(status);
}

enum { OPT_GROUP = 'g', OPT_SORT = SK_OPT_TOOL_BASE, OPT_TOP, OPT_EVERY,
       OPT_INTERVAL, OPT_PARTIAL, OPT_MERGE, OPT_STATE, OPT_ROTATED,
       OPT_CHECKPOINT, OPT_JOBS = 'j' };

static struct agg {
	sk_tool t;
	sk_agg_list l;
	sk_group g;             /* the groups */
	sk_rows rows;           /* their output */
	sk_snaps snaps;         /* --every, --interval */
	sk_fref *keys;          /* the -g fields */
	size_t nkeys;
	const char *keyarg;     /* -g as given, for messages */
	int partial, merge;
	const char *sortarg;    /* --sort */
	uint64_t top;           /* --top */
	sk_key key;             /* the group key of the current record */
	sk_aggstate st;         /* --state, --rotated */
	const char *src;        /* AGGREGATES */
	unsigned jobs;          /* -j */
} A;

/* Adds record r to table g by list l (the loop of one thread and of each
 * -j worker). */
static void add_record(sk_agg_list *l, sk_group *g, sk_key *key, sk_tool *t)
{
	sk_record *r = &t->rec;
	sk_key_make(key, r, A.keys, A.nkeys);
	if (sk_group_eval(l, t, r))
		sk_agg_list_add(l, sk_group_get(g, key, r));
}

/* A -j worker's table. */
struct worker {
	sk_agg_list l;
	sk_group g;
	sk_key key;
};

static void *w_open(void *arg, sk_tool *wt)
{
	(void)arg;
	struct worker *w = sk_xcalloc(1, sizeof *w);
	sk_agg_list_compile(&w->l, A.src, &wt->schema, 0);
	return w;
}

/* Each range starts an empty table; its records' arrival numbers (first,
 * last) come after those of the ranges before. */
static void w_reset(void *arg, void *ctx, size_t idx, int exact)
{
	(void)arg;
	(void)exact;
	struct worker *w = ctx;
	sk_group_free(&w->g);
	sk_group_init(&w->g, &w->l.aggs, A.keys, A.nkeys);
	w->l.seq = (uint64_t)idx << 40;
}

static int w_record(void *ctx, sk_tool *wt)
{
	struct worker *w = ctx;
	add_record(&w->l, &w->g, &w->key, wt);
	return 1;
}

/* Merged, a range's table is freed at once: the peak is the merged table
 * and the ranges not merged yet. */
static void w_done(void *arg, void *ctx)
{
	(void)arg;
	struct worker *w = ctx;
	sk_group_absorb(&A.g, &w->g);
	sk_group_free(&w->g);
}

static void w_close(void *ctx)
{
	struct worker *w = ctx;
	sk_group_free(&w->g);
	sk_key_free(&w->key);
	sk_agg_list_free(&w->l);
	free(w);
}

/* -j: the input on threads, when nothing depends on time or on the order
 * of the records across ranges. Returns 1 if it was read so. */
static int run_parallel(sk_tool *t)
{
	static const sk_par_ops ops = {
		.ranges = 1, .open = w_open, .reset = w_reset,
		.record = w_record, .done = w_done, .close = w_close,
	};
	if (A.merge || A.st.path || A.snaps.every || A.snaps.interval ||
	    !sk_aggs_merge_exact(&A.l.aggs))
		return 0;
	return sk_par_run(t, A.jobs, &ops);
}

static void snapshot(void)
{
	sk_group_write(&A.g, &A.rows, &A.snaps);
	sk_snaps_taken(&A.snaps);
	sk_tool_flush(&A.t);
}

/* The reader's idle hook: flushes, fires --interval snapshots on time. */
static int on_idle(void *ctx)
{
	(void)ctx;
	sk_tool_flush(&A.t);
	int wait;
	if (sk_snaps_tick(&A.snaps, &wait))
		snapshot();
	return wait;
}

/* A positive count (--top, --every). */
static uint64_t count_opt(const char *opt, const char *arg)
{
	uint64_t n;
	if (!sk_parse_uint(arg, strlen(arg), &n) || !n)
		sk_usage_error("%s takes a positive integer, not '%s'", opt, arg);
	return n;
}

/* The options, up to optind. */
static void options(int argc, char **argv)
{
	static const struct option longopts[] = {
		SK_COMMON_LONGOPTS,
		{ "group-by", required_argument, NULL, OPT_GROUP },
		{ "sort", required_argument, NULL, OPT_SORT },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "every", required_argument, NULL, OPT_EVERY },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "partial", no_argument, NULL, OPT_PARTIAL },
		{ "merge", no_argument, NULL, OPT_MERGE },
		{ "state", required_argument, NULL, OPT_STATE },
		{ "rotated", required_argument, NULL, OPT_ROTATED },
		{ "checkpoint", required_argument, NULL, OPT_CHECKPOINT },
		{ "jobs", required_argument, NULL, OPT_JOBS },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, SK_COMMON_SHORTOPTS "g:j:",
				longopts, NULL)) != -1) {
		if (sk_tool_opt(&A.t, c, optarg))
			continue;
		switch (c) {
		case OPT_GROUP:
			A.nkeys = sk_tool_fields(&A.t.schema, "-g", optarg, &A.keys);
			A.keyarg = optarg;
			break;
		case OPT_SORT:
			A.sortarg = optarg;
			break;
		case OPT_TOP:
			A.top = count_opt("--top", optarg);
			break;
		case OPT_EVERY:
			A.snaps.every = count_opt("--every", optarg);
			break;
		case OPT_INTERVAL:
			if (!sk_duration_parse(optarg, strlen(optarg),
					       &A.snaps.interval) || A.snaps.interval <= 0)
				sk_usage_error("--interval takes a duration (10s, 1m), not '%s'",
					       optarg);
			break;
		case OPT_PARTIAL:
			A.partial = 1;
			break;
		case OPT_MERGE:
			A.merge = 1;
			break;
		case OPT_STATE:
			A.st.path = optarg;
			break;
		case OPT_ROTATED:
			sk_follow_glob(&A.st.fw, optarg);
			break;
		case OPT_JOBS:
			A.jobs = sk_par_jobs_opt(optarg);
			break;
		case OPT_CHECKPOINT:
			if (!sk_duration_parse(optarg, strlen(optarg),
					       &A.st.checkpoint) || A.st.checkpoint <= 0)
				sk_usage_error("--checkpoint takes a duration (250ms, 5s), not '%s'",
					       optarg);
			break;
		default:
			usage(SK_EXIT_USAGE);
		}
	}
}

int main(int argc, char **argv)
{
	sk_tool *t = &A.t;
	sk_tool_init(t, argc, argv, usage);
	A.jobs = sk_par_jobs_default();
	options(argc, argv);
	if (optind >= argc)
		sk_usage_error("missing AGGREGATES");
	A.src = argv[optind];
	sk_agg_list_compile(&A.l, A.src, &t->schema, 0);
	sk_rows_init(&A.rows, &t->schema, (const char *[]){ "time" },
		     A.snaps.every || A.snaps.interval ? 1 : 0, A.keys, A.nkeys,
		     &A.l.aggs, &t->wr, A.partial ? SK_ROWS_PARTIAL : 0);
	sk_agg_list_unique(&A.l, argv[optind], &t->schema, A.rows.slot,
			   A.rows.nlead + A.nkeys, "-g");
	sk_rows_order(&A.rows, &t->schema, A.sortarg, A.top);
	if (A.partial && A.merge)
		sk_usage_error("--partial and --merge do not go together");
	sk_group_init(&A.g, &A.l.aggs, A.keys, A.nkeys);
	optind++;
	if (A.st.fw.nglobs && !A.st.path)
		sk_usage_error("--rotated is for --state");
	if (A.st.checkpoint && !A.st.path)
		sk_usage_error("--checkpoint is for --state");
	t->state_path = A.st.path;
	sk_tool_start(t, argc, argv, optind, &sk_stdout);
	if (A.st.path)
		sk_aggstate_open(&A.st, &A.g, t, &A.l.aggs, A.keys, A.nkeys, A.merge);
	sk_tool_catch_signals();
	t->rd.idle = on_idle;
	sk_snaps_start(&A.snaps);
	int par = run_parallel(t);
	while (!par && sk_tool_next(t)) {
		sk_record *r = &t->rec;
		sk_key_make(&A.key, r, A.keys, A.nkeys);
		int added = 1;
		if (A.merge)
			sk_group_merge(&A.g, &A.rows, t, r, &A.key, A.keyarg);
		else if (sk_group_eval(&A.l, t, r))
			sk_agg_list_add(&A.l, sk_group_get(&A.g, &A.key, r));
		else
			added = 0;
		int due = added ? sk_snaps_record(&A.snaps) : SK_SNAP_NONE;
		if (due == SK_SNAP_EVERY)
			snapshot();
		else if (due == SK_SNAP_CLOCK)
			on_idle(NULL);
		/* r is in the table (or left out): a checkpoint now has the
		 * input read to r's end, not a byte further */
		if (A.st.path)
			sk_aggstate_checkpoint(&A.st, &A.g);
	}
	if (sk_snaps_final(&A.snaps))
		sk_group_write(&A.g, &A.rows, &A.snaps);
	/* no row (-g and no group): the header of a header-only input */
	if (sk_tool_header_record(t, &t->rec))
		sk_rows_write_header(&A.rows);
	int sterr = A.st.path ? sk_aggstate_end(&A.st, &A.g) : 0;
	sk_group_free(&A.g);
	sk_rows_free(&A.rows);
	free(A.keys);
	sk_key_free(&A.key);
	sk_agg_list_free(&A.l);
	int status = sk_tool_finish(t);
	return status ? status : sterr;
}
