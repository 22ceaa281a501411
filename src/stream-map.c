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
"\n"
"Exit status: 0 fine, 1 bad data or I/O error, 2 usage error; after\n"
"SIGINT, SIGTERM or SIGHUP (the records so far are written) 130, 143, 129.\n");
	exit(status);
}

enum { OPT_SELECT = 's', OPT_EXCLUDE = 'x', OPT_RENAME = 'r',
       OPT_PROGRAM = 'e', OPT_GROUP = 'g', OPT_STRICT = SK_OPT_TOOL_BASE };

/*
 * The slot a position names in r as it is now: the field there, or for a
 * lines record its word, made a field named by the number when make is
 * set (so -s 1 keeps the first word); UINT32_MAX if there is none.
 */
static uint32_t resolve(sk_record *r, const sk_fref *ref, int make)
{
	sk_field f;
	if (!sk_rec_ref(r, ref, &f))
		return UINT32_MAX;
	if (r->words) {
		if (!make)
			return UINT32_MAX;
		sk_rec_set(r, ref->slot, f.p, f.n, SK_FK_TEXT);
		return ref->slot;
	}
	return f.slot;
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
		{ NULL, 0, NULL, 0 },
	};
	sk_tool t;
	sk_tool_init(&t, argc, argv, usage);
	sk_fref *sel = NULL, *exc = NULL, *ren = NULL;
	size_t nsel = 0, nexc = 0, nren = 0;
	int has_sel = 0, flags = 0, has_pos = 0;
	const char *progsrc = NULL;
	sk_fref *grp = NULL;
	size_t ngrp = 0;
	int c;
	while ((c = getopt_long(argc, argv, SK_COMMON_SHORTOPTS "s:x:r:e:g:", longopts, NULL)) != -1) {
		if (sk_tool_opt(&t, c, optarg))
			continue;
		switch (c) {
		case OPT_SELECT:
			free(sel);
			sel = NULL;
			nsel = sk_tool_fields(&t.schema, "-s", optarg, &sel);
			has_sel = 1;
			break;
		case OPT_EXCLUDE: {
			sk_fref *x = NULL;
			size_t n = sk_tool_fields(&t.schema, "-x", optarg, &x);
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
				ren[nren++] = sk_tool_field(&t.schema, "--rename", p,
							    (size_t)(colon - p));
				ren[nren].pos = 0;
				ren[nren++].slot = sk_schema_intern(&t.schema, colon + 1,
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
			ngrp = sk_tool_fields(&t.schema, "-g", optarg, &grp);
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
		if (!*a)
			sk_usage_error("empty PROGRAM (-e '' is a program that does nothing)");
		int looks = strpbrk(a, " \t\n=;(\"'") != NULL;
		if (strcmp(a, "-") != 0 && looks &&
		    (stat(a, &st) != 0 || sk_prog_is_program(a)))
			progsrc = argv[optind++];
	}
	sk_prog *prog = progsrc ? sk_prog_compile(progsrc, &t.schema, flags, grp, ngrp) : NULL;
	/* the slots of -s, -x and -r: fixed for names, found in each record
	 * for positions */
	size_t nslot = nsel + nexc + nren;
	uint32_t *slot = sk_xcalloc(nslot + 1, sizeof *slot);
	for (size_t i = 0; i < nslot; i++) {
		const sk_fref *f = i < nsel ? &sel[i] : i < nsel + nexc ?
			&exc[i - nsel] : &ren[i - nsel - nexc];
		slot[i] = f->slot;
		has_pos |= f->pos != 0;
	}
	uint32_t *sslot = slot, *xslot = slot + nsel, *rslot = slot + nsel + nexc;
	sk_tool_start(&t, argc, argv, optind, &sk_stdout);
	sk_tool_catch_signals();
	/* At the end, an output with no record still gets its header: that
	 * of an empty record of the input's header, mapped (last). */
	for (int last = 0; !last;) {
		if (!sk_tool_next(&t) && !(last = sk_tool_header_record(&t, &t.rec)))
			break;
		sk_record *r = &t.rec;
		if (prog && last) {
			sk_prog_run_all(prog, r);
		} else if (prog && !sk_prog_run(prog, r)) {
			if (sk_prog_error(prog))
				sk_tool_bad(&t, r, SK_BAD_REGEX, "%s", sk_prog_error(prog));
			continue;
		}
		if (has_pos)
			for (size_t i = 0; i < nslot; i++) {
				const sk_fref *f = i < nsel ? &sel[i] :
					i < nsel + nexc ? &exc[i - nsel] :
					&ren[i - nsel - nexc];
				if (f->pos)
					slot[i] = resolve(r, f, i < nsel ||
							  i >= nsel + nexc);
			}
		if (has_sel)
			sk_rec_select(r, sslot, nsel);
		for (size_t i = 0; i < nexc; i++)
			sk_rec_del(r, xslot[i]);
		for (size_t i = 0; i < nren; i += 2)
			sk_rec_rename(r, rslot[i], rslot[i + 1]);
		if (last)
			sk_write_header(&t.wr, r);
		else
			sk_write(&t.wr, r);
	}
	free(slot);
	free(sel);
	free(exc);
	free(ren);
	free(grp);
	int status = sk_tool_finish(&t);
	sk_prog_free(prog);
	return status;
}
