/* stream-partition: route each record of standard input by its key to one
 * of N copies of a command, and merge their outputs. Options and the
 * routing loop only: the copies and their pipes are sk_part. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sk_err.h"
#include "sk_key.h"
#include "sk_part.h"
#include "sk_tool.h"

#define MAX_COPIES 256

/* Space-separated names, as a comma list. */
static void comma_list(const char *names)
{
	for (; *names; names++)
		fputs(*names == ' ' ? ", " : (char[2]){ *names, 0 }, stdout);
}

static void usage(int status)
{
	if (status != SK_EXIT_OK)
		sk_try_help(status);
	printf(
"Usage: stream-partition -k KEYS [OPTIONS] [--] COMMAND [ARG...]\n"
"Start N copies of COMMAND, send each record of standard input to the copy\n"
"its key hashes to (so records of one key all go to one copy), and write\n"
"their outputs to standard output, whole records at a time, with one\n"
"header. The input's header goes to every copy.\n"
"\n"
"Partition:\n"
"  -k, --key KEYS           the key fields (comma list of name, $name,\n"
"                           ${any name}, $3 or 3); a missing one is empty\n"
"  -n, --copies N           how many copies, 1 to %d (default: the number\n"
"                           of cores this process may run on)\n"
"  -o, --output-format FMT  ", MAX_COPIES);
	comma_list(sk_format_record_names());
	printf("\n"
"                           (the copies' output, split into records;\n"
"                           default: what a streamkit tool writes for the\n"
"                           input, its format or csv for clf; csv and tsv\n"
"                           start with a header, written once)\n"
"\n"
"Input:\n"
"  -i, --input-format FMT   auto (default), ");
	comma_list(strchr(sk_format_names(0), ' ') + 1);
	printf("\n"
"  -d, --delimiter C        CSV field separator (default ','; 'tab' for a tab)\n"
"  -N, --no-header          the input has no header; the copies' output\n"
"                           neither (unless --header)\n"
"      --header             with -N: the copies' output has one\n"
"      --no-output-header   write no header line\n"
"      --max-record BYTES   the longest record (default 64M)\n"
"      --on-error POLICY    a bad input record: warn (default), skip, fail\n"
"      --rejects FILE       write bad input records to FILE\n"
"      --progress           show progress on stderr\n"
"  -h, --help               this help\n"
"  -V, --version            version and libraries\n"
"\n"
"Each copy has STREAMKIT_PART (0 to N-1) and STREAMKIT_PARTS (N) in its\n"
"environment.\n"
"\n"
"Examples:\n"
"  stream-partition -k src_ip -- stream-agg -g src_ip 'sum(bytes)' < f.csv\n"
"  stream-partition -k host -i clf -- stream-agg -i clf --partial\n"
"      -g status 'count()' < access.log | stream-agg --merge -g status 'count()'\n"
"\n"
"Exit status: the worst of the copies' (a copy killed by a signal: 128 +\n"
"it); 1 bad data or I/O error, 2 usage error, 126 or 127 COMMAND cannot\n"
"be run; after SIGINT, SIGTERM or SIGHUP (forwarded to the copies)\n"
"130, 143, 129.\n");
	exit(status);
}

enum { OPT_KEY = 'k', OPT_COPIES = 'n' };

/* -o: a format whose records the copies' output can be split into. */
static const sk_format *output_format(const char *name)
{
	const sk_format *f = sk_format_find(name);
	if (!sk_format_reads(f) || !sk_format_writes(f))
		sk_usage_error("unknown output format '%s' for the copies "
			       "(one of: %s)", name, sk_format_record_names());
	return f;
}

static sk_part p;

/* SIGINT, SIGTERM, SIGHUP: on to the copies at once. */
static void forward(int sig)
{
	sk_part_signal(&p, sig);
}

int main(int argc, char **argv)
{
	/* the common options but --ofmt and --ascii, which are COMMAND's */
	static const struct option longopts[] = {
		{ "input-format", required_argument, NULL, 'i' },
		{ "output-format", required_argument, NULL, 'o' },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "no-header", no_argument, NULL, 'N' },
		{ "header", no_argument, NULL, SK_OPT_HEADER },
		{ "no-output-header", no_argument, NULL, SK_OPT_NO_OUTPUT_HEADER },
		{ "on-error", required_argument, NULL, SK_OPT_ON_ERROR },
		{ "rejects", required_argument, NULL, SK_OPT_REJECTS },
		{ "max-record", required_argument, NULL, SK_OPT_MAX_RECORD },
		{ "progress", no_argument, NULL, SK_OPT_PROGRESS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "copies", required_argument, NULL, OPT_COPIES },
		{ NULL, 0, NULL, 0 },
	};
	static sk_tool t;
	static sk_key key;
	sk_fref *refs = NULL;
	const char *keys = NULL;
	const sk_format *of = NULL;
	size_t ncopies = 0;
	uint64_t v;
	int c;
	sk_tool_init(&t, argc, argv, usage);
	/* '+': the options end at COMMAND, whose own options are its own */
	while ((c = getopt_long(argc, argv, "+" SK_COMMON_SHORTOPTS "k:n:",
				longopts, NULL)) != -1) {
		if (c == 'o') { /* the copies' output: fewer formats */
			of = output_format(optarg);
			continue;
		}
		if (sk_tool_opt(&t, c, optarg))
			continue;
		switch (c) {
		case OPT_KEY:
			keys = optarg;
			break;
		case OPT_COPIES:
			if (!sk_parse_uint(optarg, strlen(optarg), &v) || v < 1 ||
			    v > MAX_COPIES)
				sk_usage_error("-n %s: a count of copies, 1 to %d",
					       optarg, MAX_COPIES);
			ncopies = (size_t)v;
			break;
		default:
			usage(SK_EXIT_USAGE);
		}
	}
	if (!keys)
		sk_usage_error("missing -k KEYS");
	if (optind == argc)
		sk_usage_error("missing COMMAND");
	size_t nkeys = sk_tool_fields(&t.schema, "-k", keys, &refs);
	char **cmd = argv + optind;
	sk_tool_start(&t, optind, argv, optind, NULL); /* standard input only */
	sk_part_start(&p, ncopies ? ncopies : sk_part_cores(), cmd);
	sk_tool_on_stop(forward);
	sk_tool_catch_signals();
	t.rd.idle = sk_part_idle;
	t.rd.idle_ctx = &p;

	int settled = 0, failed = 0, fatal = 0;
	while (!p.failed && !p.ended && !sk_stop_flag) {
		int r = sk_read(&t.rd, &t.rec);
		if (!settled) {
			sk_part_settle(&p, &t.rd, of, !t.fo.no_header || t.header_forced,
				       !t.no_out_header);
			settled = 1;
		}
		if (r == SK_REC_OK) {
			sk_progress_tick(&t.prog);
			sk_key_make(&key, &t.rec, refs, nkeys);
			sk_part_send(&p, sk_part_route(&p, key.p, key.n),
				     t.rec.raw.p, t.rec.raw.n);
		} else if (r == SK_REC_BAD && t.on_error != SK_ONERR_FAIL) {
			sk_tool_bad(&t, &t.rec, t.rd.bad, "%s", t.rd.err.p);
		} else if (r == SK_REC_BAD) {
			/* said and rejected now; the copies finish first */
			t.on_error = SK_ONERR_WARN;
			sk_tool_bad(&t, &t.rec, t.rd.bad, "%s", t.rd.err.p);
			t.on_error = SK_ONERR_SKIP; /* no summary of it */
			failed = 1;
			break;
		} else {
			fatal = r == SK_REC_FATAL;
			break;
		}
	}
	int worst = sk_part_finish(&p);
	if (fatal)
		sk_warn("%s:%llu: %s", t.rec.src ? t.rec.src : "stdin",
			(unsigned long long)t.rec.line, t.rd.err.p);
	sk_key_free(&key);
	free(refs);
	int status = sk_tool_finish(&t);
	if ((failed || fatal) && status < SK_EXIT_DATA)
		status = SK_EXIT_DATA;
	return worst > status ? worst : status;
}
