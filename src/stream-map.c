/* stream-map: compute, rename, select and drop fields, and convert between
 * formats. Option parsing only: the work is in src/lib. */
#include <getopt.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_err.h"
#include "sk_expr.h"
#include "sk_fedit.h"
#include "sk_par.h"
#include "sk_mapstate.h"
#include "sk_time.h"
#include "sk_tool.h"

static void usage(int status)
{
	if (status != SK_EXIT_OK)
		sk_try_help(status);
	printf(
"Usage: stream-map [OPTIONS] [PROGRAM] [FILE...]\n"
"Compute, select, drop and rename fields of each record, and convert between\n"
"formats. PROGRAM is statements separated by ';' or newlines (see\n"
"stream-expr(7)): 'name = expr', 'del name', 'filter expr'. The first operand\n"
"is the PROGRAM if it is one, even when a file of that name exists; else it\n"
"is a FILE (see stream-map(1)); -e gives the program explicitly. The program\n"
"runs first, then --select, --exclude, --rename.\n"
"\n"
"Program:\n"
"  -e, --program PROGRAM    the program (all operands are then files)\n"
"  -g, --group-by KEYS      keep the state of prev, delta, cumsum, ewma and\n"
"                           rownum per value of these fields (a,b)\n"
"      --strict-fields      a field PROGRAM reads that is not in the first\n"
"                           record (the header) is an error (exit 2)\n"
"      --state FILE         keep the state of those functions and where each\n"
"                           FILE was read to in FILE: the next run reads only\n"
"                           what came since and goes on as if one run (cron\n"
"                           over growing, rotating logs); a compressed FILE\n"
"                           is read whole, once\n"
"      --rotated GLOB       where rotated FILEs also go (FILE.1, FILE-* and\n"
"                           their .gz, .zst, .bz2, .xz are looked at always)\n"
"      --checkpoint DUR     also write the --state FILE every DUR (250ms, 5s)\n"
"                           while reading: a run killed (SIGKILL, a crash)\n"
"                           writes again only the records after the last one\n"
"  -j, --jobs N             threads for a regular FILE of 4 MiB or more\n"
"                           (default: the cores online; the output is that\n"
"                           of one thread, see stream-map(1))\n"
"\n"
"Fields:\n"
"  -s, --select LIST        keep only these fields, in this order (a,b,c;\n"
"                           also $name, ${any name}, $3 or 3)\n"
"  -x, --exclude LIST       drop these fields\n"
"  -r, --rename OLD:NEW     rename a field in place (repeat, or a,b list of\n"
"                           OLD:NEW pairs)\n"
"\n");
	sk_tool_usage_common(stdout);
	printf(
"\n"
"Examples:\n"
"  stream-map -i clf 'filter status >= 500; kb = bytes / 1024' access.log\n"
"  stream-map -g host 'n = rownum(); gap = delta(time(time))' -i clf access.log\n"
"  stream-map -i clf -o jsonl < access.log          CLF to JSON Lines\n"
"  stream-map -s host,status,bytes -o table < x.csv  three columns, aligned\n"
"  stream-map -r src_ip:ip -x ts < flows.csv         rename one, drop one\n"
"  stream-map --state /var/lib/app.map -g host 'n = rownum()' app.log\n"
"\n"
"Exit status: 0 fine, 1 bad data or I/O error, 2 usage error; after\n"
"SIGINT, SIGTERM or SIGHUP (the records so far are written) 130, 143, 129.\n");
	exit(status);
}

enum { OPT_SELECT = 's', OPT_EXCLUDE = 'x', OPT_RENAME = 'r',
       OPT_PROGRAM = 'e', OPT_GROUP = 'g', OPT_JOBS = 'j',
       OPT_STRICT = SK_OPT_TOOL_BASE, OPT_STATE, OPT_ROTATED, OPT_CHECKPOINT };

/* What a -j worker needs of the options. */
static struct {
	const char *progsrc;
	int flags;
	const sk_fedit *fe;
} M;

/* A -j worker: its program and its copy of the field edits (whose slots
 * of positional fields change with each record). */
struct mapper {
	sk_prog *prog;
	sk_fedit fe;
};

/* Maps the record in t->rec and writes it, unless the program drops it. */
static int map_record(sk_prog *prog, sk_fedit *fe, sk_tool *t)
{
	sk_record *r = &t->rec;
	if (prog && !sk_prog_run(prog, r)) {
		if (sk_prog_error(prog))
			sk_tool_bad(t, r, SK_BAD_REGEX, "%s", sk_prog_error(prog));
		return 1;
	}
	sk_fedit_apply(fe, r);
	sk_write(&t->wr, r);
	return 1;
}

static void *w_open(void *arg, sk_tool *wt)
{
	(void)arg;
	struct mapper *m = sk_xcalloc(1, sizeof *m);
	if (M.progsrc)
		m->prog = sk_prog_compile(M.progsrc, &wt->schema, M.flags, NULL, 0);
	m->fe = *M.fe;
	m->fe.slot = sk_xcalloc(m->fe.nslot + 1, sizeof *m->fe.slot);
	if (m->fe.nslot)
		memcpy(m->fe.slot, M.fe->slot, m->fe.nslot * sizeof *m->fe.slot);
	return m;
}

static void w_reset(void *arg, void *ctx, size_t idx, int exact)
{
	(void)arg;
	(void)ctx;
	(void)idx;
	(void)exact;
}

static int w_record(void *ctx, sk_tool *wt)
{
	struct mapper *m = ctx;
	return map_record(m->prog, &m->fe, wt);
}

static void w_done(void *arg, void *ctx)
{
	(void)arg;
	(void)ctx;
}

static void w_close(void *ctx)
{
	struct mapper *m = ctx;
	sk_prog_free(m->prog);
	free(m->fe.slot);
	free(m);
}

/* -j: the input in chunks on threads, unless a record's output depends
 * on the records before (a stateful function, -g, --state) or on the
 * first one (--strict-fields). Returns 1 if it was read so. */
static int run_parallel(sk_tool *t, const sk_prog *prog, size_t ngrp,
			int state, unsigned jobs)
{
	static const sk_par_ops ops = {
		.writes = 1, .open = w_open, .reset = w_reset,
		.record = w_record, .done = w_done, .close = w_close,
	};
	if ((prog && sk_prog_stateful(prog)) || ngrp || state ||
	    (M.flags & SK_EXPR_STRICT_FIELDS))
		return 0;
	return sk_par_run(t, jobs, &ops);
}

/*
 * The first operand is the PROGRAM if it is one: where a file of that
 * name exists, if it compiles as a program that does something; where
 * none does, if it looks like one (a program that does something has '='
 * or a blank in it; ';', '(' or a quote say so too), so that its syntax
 * error is reported. Otherwise it is the first FILE. -e removes the doubt.
 */
static int is_program(const char *a)
{
	struct stat st;
	if (!*a)
		sk_usage_error("empty PROGRAM (-e '' is a program that does nothing)");
	int looks = strpbrk(a, " \t\n=;(\"'") != NULL;
	return strcmp(a, "-") != 0 && looks &&
	       (stat(a, &st) != 0 || sk_prog_is_program(a));
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		SK_COMMON_LONGOPTS,
		{ "select", required_argument, NULL, OPT_SELECT },
		{ "exclude", required_argument, NULL, OPT_EXCLUDE },
		{ "rename", required_argument, NULL, OPT_RENAME },
		{ "program", required_argument, NULL, OPT_PROGRAM },
		{ "group-by", required_argument, NULL, OPT_GROUP },
		{ "strict-fields", no_argument, NULL, OPT_STRICT },
		{ "jobs", required_argument, NULL, OPT_JOBS },
		{ "state", required_argument, NULL, OPT_STATE },
		{ "rotated", required_argument, NULL, OPT_ROTATED },
		{ "checkpoint", required_argument, NULL, OPT_CHECKPOINT },
		{ NULL, 0, NULL, 0 },
	};
	sk_tool t;
	sk_tool_init(&t, argc, argv, usage);
	sk_fedit fe = { 0 };
	int flags = 0;
	const char *progsrc = NULL;
	sk_fref *grp = NULL;
	size_t ngrp = 0;
	unsigned jobs = sk_par_jobs_default();
	sk_mapstate st = { 0 };
	sk_buf fields = { 0 };  /* -s, -x, -r as given, for the --state */
	int c;
	while ((c = getopt_long(argc, argv, SK_COMMON_SHORTOPTS "s:x:r:e:g:j:", longopts, NULL)) != -1) {
		if (sk_tool_opt(&t, c, optarg))
			continue;
		switch (c) {
		case OPT_SELECT:
			sk_fedit_select(&fe, &t.schema, optarg);
			sk_buf_printf(&fields, "%s-s %s", fields.len ? " " : "", optarg);
			break;
		case OPT_EXCLUDE:
			sk_fedit_exclude(&fe, &t.schema, optarg);
			sk_buf_printf(&fields, "%s-x %s", fields.len ? " " : "", optarg);
			break;
		case OPT_RENAME:
			sk_fedit_rename(&fe, &t.schema, optarg);
			sk_buf_printf(&fields, "%s-r %s", fields.len ? " " : "", optarg);
			break;
		case OPT_PROGRAM:
			progsrc = optarg;
			break;
		case OPT_GROUP:
			free(grp);
			grp = NULL;
			ngrp = sk_tool_fields(&t.schema, "-g", optarg, &grp);
			break;
		case OPT_STRICT:
			flags |= SK_EXPR_STRICT_FIELDS;
			break;
		case OPT_JOBS:
			jobs = sk_par_jobs_opt(optarg);
			break;
		case OPT_STATE:
			st.path = optarg;
			break;
		case OPT_ROTATED:
			sk_follow_glob(&st.fw, optarg);
			break;
		case OPT_CHECKPOINT:
			if (!sk_duration_parse(optarg, strlen(optarg),
					       &st.checkpoint) || st.checkpoint <= 0)
				sk_usage_error("--checkpoint takes a duration (250ms, 5s), not '%s'",
					       optarg);
			break;
		default:
			usage(SK_EXIT_USAGE);
		}
	}
	if (!progsrc && optind < argc && is_program(argv[optind]))
		progsrc = argv[optind++];
	sk_prog *prog = progsrc ? sk_prog_compile(progsrc, &t.schema, flags, grp, ngrp) : NULL;
	sk_fedit_ready(&fe);
	if (st.fw.nglobs && !st.path)
		sk_usage_error("--rotated is for --state");
	if (st.checkpoint && !st.path)
		sk_usage_error("--checkpoint is for --state");
	t.state_path = st.path;
	sk_tool_start(&t, argc, argv, optind, &sk_stdout);
	if (st.path)
		sk_mapstate_open(&st, prog, &t, progsrc, grp, ngrp,
				 fields.len ? fields.p : "");
	sk_tool_catch_signals();
	M.progsrc = progsrc;
	M.flags = flags;
	M.fe = &fe;
	/* After -j, the input is at its end: only the header is left. */
	run_parallel(&t, prog, ngrp, st.path != NULL, jobs);
	int sterr = 0;
	/* At the end, an output with no record still gets its header: that
	 * of an empty record of the input's header, mapped (last). */
	for (int last = 0; !last;) {
		/* the record before is written or dropped: a checkpoint now
		 * has the input read to its end, not a byte further */
		if (st.path)
			sk_runstate_checkpoint(&st);
		if (!sk_tool_next(&t)) {
			/* saved before the header's run changes the cells */
			if (st.path)
				sterr = sk_runstate_end(&st);
			st.path = NULL;
			if (!(last = sk_tool_header_record(&t, &t.rec)))
				break;
		}
		sk_record *r = &t.rec;
		if (!last) {
			map_record(prog, &fe, &t);
			continue;
		}
		if (prog)
			sk_prog_run_all(prog, r);
		sk_fedit_apply(&fe, r);
		sk_write_header(&t.wr, r);
	}
	sk_fedit_free(&fe);
	free(grp);
	sk_buf_free(&fields);
	int status = sk_tool_finish(&t);
	sk_prog_free(prog);
	return status ? status : sterr;
}
