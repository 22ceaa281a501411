/* stream-filter: keep the records for which an expression is true.
 * Option parsing only: the work is in src/lib (sk_expr). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "sk_err.h"
#include "sk_expr.h"
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

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		SK_COMMON_LONGOPTS,
		{ "invert", no_argument, NULL, 'v' },
		{ "count", no_argument, NULL, 'c' },
		{ "max", required_argument, NULL, 'n' },
		{ "strict-fields", no_argument, NULL, OPT_STRICT },
		{ NULL, 0, NULL, 0 },
	};
	sk_tool t;
	sk_tool_init(&t, argc, argv, usage);
	int invert = 0, count = 0, flags = 0;
	long long max = -1;
	int c;
	while ((c = getopt_long(argc, argv, SK_COMMON_SHORTOPTS "vcn:", longopts,
				NULL)) != -1) {
		if (sk_tool_opt(&t, c, optarg))
			continue;
		switch (c) {
		case 'v':
			invert = 1;
			break;
		case 'c':
			count = 1;
			break;
		case 'n': {
			char *e;
			errno = 0;
			max = strtoll(optarg, &e, 10);
			if (e == optarg || *e || errno || max < 0)
				sk_usage_error("--max takes a count of records, not '%s'", optarg);
			break;
		}
		case OPT_STRICT:
			flags |= SK_EXPR_STRICT_FIELDS;
			break;
		default:
			usage(SK_EXIT_USAGE);
		}
	}
	if (optind >= argc)
		sk_usage_error("missing EXPR");
	const char *src = argv[optind++];
	sk_expr *e = sk_expr_compile(src, &t.schema, flags);
	sk_tool_start(&t, argc, argv, optind, count ? NULL : &sk_stdout);
	sk_tool_catch_signals();
	long long kept = 0;
	while (max < 0 || kept < max) {
		if (!sk_tool_next(&t))
			break;
		int keep = sk_expr_test(e, &t.rec);
		if (__builtin_expect(sk_expr_error(e) != NULL, 0)) {
			sk_tool_bad(&t, &t.rec, SK_BAD_REGEX, "%s", sk_expr_error(e));
			continue;
		}
		if (keep == invert)
			continue;
		kept++;
		if (!count)
			sk_write(&t.wr, &t.rec);
	}
	if (!count && sk_tool_header_record(&t, &t.rec))
		sk_write_header(&t.wr, &t.rec); /* none kept: still the columns */
	if (count) {
		char buf[32];
		int n = snprintf(buf, sizeof buf, "%lld\n", kept);
		sk_out_write(&sk_stdout, buf, (size_t)n);
	}
	sk_expr_free(e);
	return sk_tool_finish(&t);
}
