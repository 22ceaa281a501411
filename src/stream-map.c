/* stream-map: compute, rename, select and drop fields, and convert between
 * formats. Option parsing only: the work is in src/lib. */
#include <getopt.h>
#include <sys/stat.h>
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
"\n"
"Fields:\n"
"  -s, --select LIST        keep only these fields, in this order (a,b,c)\n"
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
"\n"
"Exit status: 0 fine, 1 bad data or I/O error, 2 usage error.\n");
	exit(status);
}

enum { OPT_SELECT = 's', OPT_EXCLUDE = 'x', OPT_RENAME = 'r',
       OPT_PROGRAM = 'e', OPT_GROUP = 'g', OPT_STRICT = SK_OPT_TOOL_BASE };

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
		{ NULL, 0, NULL, 0 },
	};
	sk_tool t;
	sk_tool_init(&t, argc, argv, usage);
	uint32_t *sel = NULL, *exc = NULL, *ren = NULL;
	size_t nsel = 0, nexc = 0, nren = 0;
	int has_sel = 0, flags = 0;
	const char *progsrc = NULL;
	uint32_t *grp = NULL;
	size_t ngrp = 0;
	int c;
	while ((c = getopt_long(argc, argv, SK_COMMON_SHORTOPTS "s:x:r:e:g:", longopts, NULL)) != -1) {
		if (sk_tool_opt(&t, c, optarg))
			continue;
		switch (c) {
		case OPT_SELECT:
			free(sel);
			sel = NULL;
			nsel = sk_tool_fields(&t.schema, optarg, &sel);
			has_sel = 1;
			break;
		case OPT_EXCLUDE: {
			uint32_t *x = NULL;
			size_t n = sk_tool_fields(&t.schema, optarg, &x);
			exc = sk_xrealloc(exc, (nexc + n) * sizeof *exc);
			memcpy(exc + nexc, x, n * sizeof *x);
			nexc += n;
			free(x);
			break;
		}
		case OPT_RENAME: {
			const char *p = optarg;
			for (;;) {
				const char *q = strchr(p, ',');
				size_t len = q ? (size_t)(q - p) : strlen(p);
				const char *colon = memchr(p, ':', len);
				if (!colon || colon == p || colon == p + len - 1)
					sk_usage_error("--rename takes OLD:NEW, not '%.*s'", (int)len, p);
				ren = sk_xrealloc(ren, (nren + 2) * sizeof *ren);
				ren[nren++] = sk_schema_intern(&t.schema, p, (size_t)(colon - p));
				ren[nren++] = sk_schema_intern(&t.schema, colon + 1,
							       len - (size_t)(colon - p) - 1);
				if (!q)
					break;
				p = q + 1;
			}
			break;
		}
		case OPT_PROGRAM:
			progsrc = optarg;
			break;
		case OPT_GROUP:
			free(grp);
			grp = NULL;
			ngrp = sk_tool_fields(&t.schema, optarg, &grp);
			break;
		case OPT_STRICT:
			flags |= SK_EXPR_STRICT_FIELDS;
			break;
		default:
			usage(SK_EXIT_USAGE);
		}
	}
	if (!progsrc && optind < argc) {
		/*
		 * The first operand is the PROGRAM if it is one: where a file
		 * of that name exists, if it compiles as a program that does
		 * something; where none does, if it looks like one (a program
		 * that does something has '=' or a blank in it; ';', '(' or a
		 * quote say so too), so that its syntax error is reported.
		 * Otherwise it is the first FILE. -e removes the doubt.
		 */
		struct stat st;
		const char *a = argv[optind];
		int looks = strpbrk(a, " \t\n=;(\"'") != NULL;
		if (strcmp(a, "-") != 0 && looks &&
		    (stat(a, &st) != 0 || sk_prog_is_program(a)))
			progsrc = argv[optind++];
	}
	sk_prog *prog = progsrc ? sk_prog_compile(progsrc, &t.schema, flags, grp, ngrp) : NULL;
	sk_tool_start(&t, argc, argv, optind, &sk_stdout);
	while (sk_tool_next(&t)) {
		sk_record *r = &t.rec;
		if (prog && !sk_prog_run(prog, r)) {
			if (sk_prog_error(prog))
				sk_tool_bad(&t, r, "regex", "%s", sk_prog_error(prog));
			continue;
		}
		if (has_sel)
			sk_rec_select(r, sel, nsel);
		for (size_t i = 0; i < nexc; i++)
			sk_rec_del(r, exc[i]);
		for (size_t i = 0; i < nren; i += 2)
			sk_rec_rename(r, ren[i], ren[i + 1]);
		sk_write(&t.wr, r);
	}
	free(sel);
	free(exc);
	free(ren);
	free(grp);
	int status = sk_tool_finish(&t);
	sk_prog_free(prog);
	return status;
}
