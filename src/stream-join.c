/* stream-join: enrich each record from a lookup table (a hash join).
 * Options and the run loop only: the table and the join are sk_join. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_err.h"
#include "sk_join.h"
#include "sk_tool.h"

static void usage(int status)
{
	if (status != SK_EXIT_OK)
		sk_try_help(status);
	printf(
"Usage: stream-join -f TABLE -k KEY[=TABLEKEY] [OPTIONS] [FILE...]\n"
"Write each record with the fields of the TABLE rows whose key is its key\n"
"appended (a hash join: the table is read into memory once).\n"
"\n"
"Join:\n"
"  -f, --table TABLE        the lookup table, a file in any format\n"
"  -k, --key KEY[=TABLEKEY] the key fields of the stream (comma list of\n"
"                           name, $name, ${any name}, $3 or 3) and, when\n"
"                           they are named otherwise there, of the table\n"
"      --left               also the records no row matches, the table's\n"
"                           fields empty\n"
"      --anti               only the records no row matches, as they came\n"
"      --prefix STR         name the table's fields STR + their name (a\n"
"                           name in both is an error without it)\n"
"      --table-format FMT   the table's format (default: auto)\n"
"      --cidr               the table's key is an IPv4/IPv6 prefix\n"
"                           (10.0.0.0/8, 2001:db8::/32, an address): each\n"
"                           record matches its address's longest prefix\n"
"      --reload             when the table file changes (a new inode, size\n"
"                           or mtime; looked at once a second at most),\n"
"                           load it again between records; a failed load\n"
"                           keeps the previous table and says why\n"
"\n");
	sk_tool_usage_common(stdout);
	printf(
"\n"
"Examples:\n"
"  stream-join -f customers.csv -k src_ip=ip flows.csv\n"
"  stream-join -f customers.csv -k src_ip=ip flows.csv |\n"
"      stream-agg -g customer 'sum(bytes) as bytes, share(bytes) as share'\n"
"  stream-join --anti -f known.jsonl -k host -i clf access.log\n"
"  stream-join --cidr -f networks.csv -k src_ip=net flows.csv\n"
"  tail -F flows.csv | stream-join --reload -f customers.csv -k src_ip=ip\n"
"\n"
"Exit status: 0 fine, 1 bad data or I/O error, 2 usage error; after\n"
"SIGINT, SIGTERM or SIGHUP (the records so far are written) 130, 143, 129.\n");
	exit(status);
}

enum { OPT_TABLE = 'f', OPT_KEY = 'k', OPT_LEFT = SK_OPT_TOOL_BASE, OPT_ANTI,
       OPT_PREFIX, OPT_TABLE_FORMAT, OPT_CIDR, OPT_RELOAD };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		SK_COMMON_LONGOPTS,
		{ "table", required_argument, NULL, OPT_TABLE },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "left", no_argument, NULL, OPT_LEFT },
		{ "anti", no_argument, NULL, OPT_ANTI },
		{ "prefix", required_argument, NULL, OPT_PREFIX },
		{ "table-format", required_argument, NULL, OPT_TABLE_FORMAT },
		{ "cidr", no_argument, NULL, OPT_CIDR },
		{ "reload", no_argument, NULL, OPT_RELOAD },
		{ NULL, 0, NULL, 0 },
	};
	static sk_tool t;
	static sk_join j;
	const char *table = NULL, *keys = NULL, *prefix = "", *tfmt = NULL;
	int left = 0, anti = 0, c;
	sk_tool_init(&t, argc, argv, usage);
	while ((c = getopt_long(argc, argv, SK_COMMON_SHORTOPTS "f:k:",
				longopts, NULL)) != -1) {
		if (sk_tool_opt(&t, c, optarg))
			continue;
		switch (c) {
		case OPT_TABLE: table = optarg; break;
		case OPT_KEY: keys = optarg; break;
		case OPT_LEFT: left = 1; break;
		case OPT_ANTI: anti = 1; break;
		case OPT_PREFIX: prefix = optarg; break;
		case OPT_TABLE_FORMAT: tfmt = optarg; break;
		case OPT_CIDR: j.cidr = 1; break;
		case OPT_RELOAD: j.reload = 1; break;
		default: usage(SK_EXIT_USAGE);
		}
	}
	if (!table)
		sk_usage_error("missing -f TABLE");
	if (!keys)
		sk_usage_error("missing -k KEY");
	if (left && anti)
		sk_usage_error("--left and --anti do not go together");
	int stream_stdin = optind == argc;
	for (int i = optind; i < argc; i++)
		stream_stdin |= strcmp(argv[i], "-") == 0;
	if (strcmp(table, "-") == 0 && stream_stdin)
		sk_usage_error("-f -: the stream is standard input too; give it as a FILE");
	if (j.reload && strcmp(table, "-") == 0)
		sk_usage_error("--reload: -f -: standard input cannot be read again");
	j.mode = left ? SK_JOIN_LEFT : anti ? SK_JOIN_ANTI : SK_JOIN_INNER;
	sk_join_keys(&j, &t.schema, keys);
	if (j.cidr && j.nkeys != 1)
		sk_usage_error("--cidr: -k %s: one key field only (an address)",
			       keys);
	sk_tool_start(&t, argc, argv, optind, &sk_stdout);
	sk_join_load(&j, &t, table, tfmt, prefix);
	sk_tool_catch_signals();
	if (j.reload) {
		while (sk_tool_next(&t)) {
			sk_join_check(&j, &t);
			sk_join_record(&j, &t, &t.rec);
		}
	} else {
		while (sk_tool_next(&t))
			sk_join_record(&j, &t, &t.rec);
	}
	if (sk_tool_header_record(&t, &t.rec)) {
		sk_join_header(&j, &t.rec); /* no record: still the columns */
		sk_write_header(&t.wr, &t.rec);
	}
	sk_join_free(&j);
	return sk_tool_finish(&t);
}
