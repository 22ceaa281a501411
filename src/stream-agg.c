/* stream-agg: group-by aggregation at end of input, or snapshots every N
 * records or T seconds; mergeable partial states. Options and the run loop
 * only: the aggregates are sk_agg, the groups one sk_hash. */
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_agg_list.h"
#include "sk_err.h"
#include "sk_hash.h"
#include "sk_key.h"
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
"                           while the input is idle; snapshot rows (and the\n"
"                           final ones) then start with a 'time' column\n"
"      --partial            write mergeable state instead of results\n"
"      --merge              read --partial output of any number of runs and\n"
"                           finish it (give the same AGGREGATES and -g)\n"
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
"\n"
"Exit status: 0 fine, 1 bad data or I/O error, 2 usage error; after\n"
"SIGINT, SIGTERM or SIGHUP (the table so far is written) 130, 143, 129.\n");
	exit(status);
}

enum {
	OPT_GROUP = 'g',
	OPT_SORT = SK_OPT_TOOL_BASE,
	OPT_TOP,
	OPT_EVERY,
	OPT_INTERVAL,
	OPT_PARTIAL,
	OPT_MERGE,
};

static struct agg {
	sk_tool t;
	sk_agg_list l;
	sk_hash groups;
	sk_fref *keys;          /* the -g fields */
	size_t nkeys;
	uint32_t *aggslot;      /* slots of the aggregate columns */
	uint32_t timeslot;
	int timecol;            /* --every/--interval: a leading time column */
	int partial, merge;
	long sortcol;           /* output column index, -1: none */
	int sortdesc;
	uint64_t top;           /* 0: all */
	uint64_t every, nrec;
	uint64_t snap_nrec;     /* nrec at the last snapshot */
	int snapped;            /* a snapshot has been written */
	int64_t interval_ns, next_ns;
	sk_key gkey;            /* the group key of the current record */
	sk_buf key, text, err;  /* key: a decoded key field */
	sk_record out;
	void *scratch;          /* --merge: one state block to read into */
	size_t kindoff;         /* where a block's key kinds start */
	const char *keyarg;     /* -g as given, for messages */
} A;

static void free_block(void *val, void *ctx)
{
	(void)ctx;
	sk_aggs_free_block(&A.l.aggs, val);
}

/* The group key (sk_key.h: a missing field is empty). kp/kn point at it
 * until the next record. */
static const char *kp;
static size_t kn;

static void make_key(const sk_record *r)
{
	sk_key_make(&A.gkey, r, A.keys, A.nkeys);
	kp = A.gkey.p;
	kn = A.gkey.n;
}

/* The group of the current key (made for r if new). Its block holds the
 * aggregate states, then one byte per key field: the sk_field_kind the
 * group's first record had there, so a JSON "200" key stays a string. */
static void *group(const sk_record *r)
{
	int isnew;
	sk_hash_ent *e = sk_hash_put(&A.groups, kp, kn, sk_hash_bytes(kp, kn), &isnew);
	void *blk = sk_hash_val(&A.groups, e);
	if (isnew) {
		sk_aggs_init_block(&A.l.aggs, blk);
		uint8_t *kind = (uint8_t *)blk + A.kindoff;
		for (size_t i = 0; i < A.nkeys; i++) {
			sk_field f;
			kind[i] = sk_rec_ref(r, &A.keys[i], &f) ? f.kind : SK_FK_TEXT;
		}
	}
	return blk;
}

/* One output row: its fields as offsets into A.text (which moves), each
 * with SK_AGG_R_KIND of its kind, or 0 for an empty field. */
typedef struct row {
	size_t seq;   /* first-seen order */
	int isnum;    /* the sort column, parsed once: a number (num) or not */
	double num;
	size_t *off;  /* ncol + 1 offsets: field c is [off[c], off[c+1]) */
	uint8_t *has; /* 0: an empty field */
} row;

static size_t ncols(void)
{
	return A.nkeys + A.l.aggs.n;
}

/* Appends group e's output fields to A.text, recording offsets. */
static void row_text(const sk_hash_ent *e, const double *totals, size_t *off,
		     uint8_t *has)
{
	size_t pos = 0;
	const uint8_t *kind = (const uint8_t *)sk_hash_val(&A.groups, e) +
		A.kindoff;
	size_t c = 0;
	for (size_t i = 0; i < A.nkeys; i++, c++) {
		sk_str k = sk_key_field(e->key, e->n, A.nkeys, &pos, &A.key);
		off[c] = A.text.len;
		has[c] = (uint8_t)SK_AGG_R_KIND(kind[i]);
		sk_buf_put(&A.text, k.p, k.n);
	}
	for (size_t i = 0; i < A.l.aggs.n; i++, c++) {
		sk_agg *a = &A.l.aggs.a[i];
		void *st = (char *)sk_hash_val(&A.groups, e) + a->off;
		off[c] = A.text.len;
		if (A.partial) {
			sk_agg_state_write(a, st, &A.text);
			has[c] = SK_AGG_R_TEXT;
		} else {
			has[c] = (uint8_t)sk_agg_result(a, st, totals[i], &A.text);
		}
	}
	off[c] = A.text.len;
}

/* Rows whose sort fields are not both numbers compare by bytes. */
static int cmp_bytes(const char *a, size_t an, const char *b, size_t bn)
{
	size_t n = an < bn ? an : bn;
	int c = n ? memcmp(a, b, n) : 0;
	return c ? c : (an > bn) - (an < bn);
}

static row *sort_rows;
static int row_cmp(const void *pa, const void *pb)
{
	const row *a = pa, *b = pb;
	size_t c = (size_t)A.sortcol;
	/* empty fields (no value) go last either way */
	if (!a->has[c] != !b->has[c])
		return a->has[c] ? -1 : 1;
	int r;
	/* NaN after every number either way (but before empty fields) */
	if (a->isnum && b->isnum && isnan(a->num) != isnan(b->num))
		return isnan(a->num) ? 1 : -1;
	if (a->isnum && b->isnum)
		r = (a->num > b->num) - (a->num < b->num);
	else
		r = cmp_bytes(A.text.p + a->off[c], a->off[c + 1] - a->off[c],
			      A.text.p + b->off[c], b->off[c + 1] - b->off[c]);
	if (A.sortdesc)
		r = -r;
	if (r == 0) /* stable: first-seen order */
		r = (a->seq > b->seq) - (a->seq < b->seq);
	return r;
}

static void write_row(const size_t *off, const uint8_t *has, const char *tm,
		      size_t tmn)
{
	sk_record *o = &A.out;
	sk_rec_clear(o);
	if (A.timecol)
		sk_rec_push(o, A.timeslot, tm, tmn, SK_FK_TEXT);
	size_t n = ncols();
	for (size_t c = 0; c < n; c++) {
		uint32_t slot = c < A.nkeys ? A.keys[c].slot : A.aggslot[c - A.nkeys];
		size_t len = has[c] ? off[c + 1] - off[c] : 0;
		char *p = sk_arena_dup(&o->arena, A.text.p + off[c], len);
		sk_rec_push(o, slot, p, len,
			    has[c] ? SK_AGG_R_FIELD_KIND(has[c]) : SK_FK_TEXT);
	}
	o->modified = 1;
	sk_write(&A.t.wr, o);
}

/* With -g and no group: no row, but the header of the columns when the
 * input had one, as every tool writes for a header-only input. */
static void write_columns(void)
{
	if (!A.nkeys || A.groups.live || !sk_tool_header_record(&A.t, &A.t.rec))
		return;
	sk_record *o = &A.out;
	sk_rec_clear(o);
	if (A.timecol)
		sk_rec_push(o, A.timeslot, "", 0, SK_FK_TEXT);
	for (size_t c = 0, n = ncols(); c < n; c++)
		sk_rec_push(o, c < A.nkeys ? A.keys[c].slot : A.aggslot[c - A.nkeys],
			    "", 0, SK_FK_TEXT);
	sk_write_header(&A.t.wr, o);
}

/* Writes the whole table (a snapshot, or the final one). */
static void emit(void)
{
	size_t naggs = A.l.aggs.n, n = ncols();
	double *totals = sk_xcalloc(naggs + 1, sizeof *totals);
	sk_hash_iter it;
	sk_hash_ent *e;
	for (size_t i = 0; i < naggs; i++)
		if (A.l.aggs.a[i].needs_total)
			for (sk_hash_iter_init(&A.groups, &it);
			     (e = sk_hash_next(&A.groups, &it)); )
				totals[i] += sk_agg_share_part(&A.l.aggs.a[i],
					(char *)sk_hash_val(&A.groups, e) +
					A.l.aggs.a[i].off);
	/* without -g the whole input is one group, there even when no record
	 * came (count 0, the rest empty), as in SQL and awk's END */
	if (!A.nkeys && A.groups.live == 0) {
		kp = "";
		kn = 0;
		(void)group(&A.out);
	}
	char tm[40] = "";
	size_t tmn = 0;
	if (A.timecol) {
		/* the shared clock (SK_TEST_CLOCK in tests) and ISO form, to
		 * the second, or the millisecond for a sub-second --interval */
		int64_t unit = A.interval_ns % 1000000000 ? 1000000 : 1000000000;
		int64_t now = sk_time_floor(sk_now(), unit, 0);
		tmn = sk_time_fmt_kind(tm, sizeof tm, SK_TK_ISO, now);
	}
	size_t *off = sk_xmalloc((n + 1) * sizeof *off);
	uint8_t *has = sk_xmalloc(n + 1);
	if (A.sortcol < 0) {
		/* first-seen order, one row at a time: no table of rows */
		uint64_t written = 0;
		for (sk_hash_iter_init(&A.groups, &it);
		     (e = sk_hash_next(&A.groups, &it)); ) {
			if (A.top && written++ >= A.top)
				break;
			sk_buf_clear(&A.text);
			row_text(e, totals, off, has);
			write_row(off, has, tm, tmn);
		}
	} else {
		size_t nr = 0;
		sk_buf_clear(&A.text);
		sort_rows = sk_xmalloc((A.groups.live + 1) * sizeof *sort_rows);
		size_t *offs = sk_xmalloc((A.groups.live * (n + 1) + 1) *
					  sizeof *offs);
		uint8_t *hass = sk_xmalloc(A.groups.live * (n + 1) + 1);
		for (sk_hash_iter_init(&A.groups, &it);
		     (e = sk_hash_next(&A.groups, &it)); ) {
			row *r = &sort_rows[nr];
			r->seq = nr;
			r->off = offs + nr * (n + 1);
			r->has = hass + nr * (n + 1);
			row_text(e, totals, r->off, r->has);
			size_t c = (size_t)A.sortcol;
			sk_num v;
			r->isnum = sk_num_parse(A.text.p + r->off[c],
						r->off[c + 1] - r->off[c], &v);
			r->num = v.d;
			nr++;
		}
		qsort(sort_rows, nr, sizeof *sort_rows, row_cmp);
		for (size_t i = 0; i < nr && (!A.top || i < A.top); i++)
			write_row(sort_rows[i].off, sort_rows[i].has, tm, tmn);
		free(sort_rows);
		free(offs);
		free(hass);
	}
	free(off);
	free(has);
	free(totals);
}

static void snapshot(void)
{
	emit();
	A.snapped = 1;
	A.snap_nrec = A.nrec;
	sk_tool_flush(&A.t);
}

/* a + b for b > 0, at most INT64_MAX: a long --interval never wraps. */
static int64_t sat_add(int64_t a, int64_t b)
{
	int64_t r;
	return __builtin_add_overflow(a, b, &r) ? INT64_MAX : r;
}

/* The reader's idle hook: flushes, fires --interval snapshots on time. */
static int on_idle(void *ctx)
{
	(void)ctx;
	sk_tool_flush(&A.t);
	if (!A.interval_ns)
		return -1;
	int64_t now = sk_now();
	if (now >= A.next_ns) {
		snapshot();
		while (A.next_ns <= now)
			A.next_ns = sat_add(A.next_ns, A.interval_ns);
	}
	int64_t ms = (A.next_ns - now + 999999) / 1000000;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* --merge: folds one partial row into its group. */
static void merge_record(sk_record *r)
{
	const sk_field *f0 = sk_rec_get(r, A.aggslot[0]);
	const char *name0 = A.l.aggs.a[0].name;
	/* the header of a second partial file catenated to the first */
	if (f0 && sk_str_eq((sk_str){ f0->p, f0->n }, name0, strlen(name0)))
		return;
	sk_rec_finish(r);
	if (r->nf != ncols())
		sk_diex(SK_EXIT_DATA, "--merge: %s:%llu: %zu column%s, not %zu: "
			"not --partial output of these keys and aggregates",
			r->src ? r->src : "stdin", (unsigned long long)r->line,
			r->nf, r->nf == 1 ? "" : "s", ncols());
	/* keys by name: a partial made with another -g has other columns */
	for (size_t i = 0; i < A.nkeys; i++) {
		sk_field f;
		if (!sk_rec_ref(r, &A.keys[i], &f)) {
			sk_str k = sk_schema_name(&A.t.schema, A.keys[i].slot);
			sk_diex(SK_EXIT_DATA, "--merge: %s:%llu: no key column '%.*s': "
				"not --partial output of -g %s",
				r->src ? r->src : "stdin",
				(unsigned long long)r->line, (int)k.n, k.p,
				A.keyarg);
		}
	}
	void *dst = group(r);
	for (size_t i = 0; i < A.l.aggs.n; i++) {
		sk_agg *a = &A.l.aggs.a[i];
		const sk_field *f = sk_rec_get(r, A.aggslot[i]);
		if (!f)
			sk_diex(SK_EXIT_DATA, "--merge: %s:%llu: no column '%s' "
				"(not --partial output of these aggregates?)",
				r->src ? r->src : "stdin",
				(unsigned long long)r->line, a->name);
		void *st = (char *)A.scratch + a->off;
		sk_agg_init(a, st);
		sk_buf_clear(&A.err);
		if (!sk_agg_state_read(a, st, f->p, f->n, &A.err))
			sk_diex(SK_EXIT_DATA, "--merge: %s:%llu: %s: %s",
				r->src ? r->src : "stdin",
				(unsigned long long)r->line, a->name, A.err.p);
		sk_agg_merge(a, (char *)dst + a->off, st);
		sk_agg_free(a, st);
	}
}

int main(int argc, char **argv)
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
		{ NULL, 0, NULL, 0 },
	};
	sk_tool *t = &A.t;
	sk_tool_init(t, argc, argv, usage);
	const char *sortarg = NULL;
	A.sortcol = -1;
	int c;
	while ((c = getopt_long(argc, argv, SK_COMMON_SHORTOPTS "g:",
				longopts, NULL)) != -1) {
		if (sk_tool_opt(t, c, optarg))
			continue;
		switch (c) {
		case OPT_GROUP:
			A.nkeys = sk_tool_fields(&t->schema, "-g", optarg, &A.keys);
			A.keyarg = optarg;
			break;
		case OPT_SORT:
			sortarg = optarg;
			break;
		case OPT_TOP:
			if (!sk_parse_uint(optarg, strlen(optarg), &A.top) || !A.top)
				sk_usage_error("--top takes a positive integer, not '%s'",
					       optarg);
			break;
		case OPT_EVERY:
			if (!sk_parse_uint(optarg, strlen(optarg), &A.every) ||
			    !A.every)
				sk_usage_error("--every takes a positive integer, not '%s'",
					       optarg);
			break;
		case OPT_INTERVAL:
			if (!sk_duration_parse(optarg, strlen(optarg),
					       &A.interval_ns) || A.interval_ns <= 0)
				sk_usage_error("--interval takes a duration (10s, 1m), not '%s'",
					       optarg);
			break;
		case OPT_PARTIAL:
			A.partial = 1;
			break;
		case OPT_MERGE:
			A.merge = 1;
			break;
		default:
			usage(SK_EXIT_USAGE);
		}
	}
	if (optind >= argc)
		sk_usage_error("missing AGGREGATES");
	const char *src = argv[optind++];
	sk_agg_list_compile(&A.l, src, &t->schema, 0);
	A.aggslot = sk_xcalloc(A.l.aggs.n + 1, sizeof *A.aggslot);
	for (size_t i = 0; i < A.l.aggs.n; i++)
		A.aggslot[i] = sk_schema_intern(&t->schema, A.l.aggs.a[i].name,
						strlen(A.l.aggs.a[i].name));
	A.timecol = A.every || A.interval_ns;
	if (A.timecol)
		A.timeslot = sk_schema_intern(&t->schema, "time", 4);
	{
		/* the columns before the aggregates: time, then the keys */
		uint32_t *pre = sk_xcalloc(A.nkeys + 1, sizeof *pre);
		size_t np = 0;
		if (A.timecol)
			pre[np++] = A.timeslot;
		for (size_t i = 0; i < A.nkeys; i++)
			pre[np++] = A.keys[i].slot;
		sk_agg_list_unique(&A.l, src, &t->schema, pre, np, "-g");
		free(pre);
	}
	if (sortarg) {
		const char *name = sortarg;
		if (*name == '-' || *name == '+')
			A.sortdesc = *name++ == '-';
		for (size_t i = 0; i < ncols() && A.sortcol < 0; i++) {
			sk_str s = sk_schema_name(&t->schema, i < A.nkeys ?
				A.keys[i].slot : A.aggslot[i - A.nkeys]);
			if (sk_str_eq(s, name, strlen(name)))
				A.sortcol = (long)i;
		}
		if (A.sortcol < 0)
			sk_usage_error("--sort: no output column '%s'", name);
	}
	if (A.partial && A.merge)
		sk_usage_error("--partial and --merge do not go together");
	static sk_hash_type ty;
	A.kindoff = A.l.aggs.size;
	ty.val_destroy = free_block;
	ty.val_align = A.l.aggs.align == 8 ? 8 : 16;
	ty.val_size = (A.kindoff + A.nkeys + ty.val_align - 1) & ~(ty.val_align - 1);
	if (!ty.val_size)
		ty.val_size = 16;
	sk_hash_init(&A.groups, &ty, NULL);
	if (A.merge)
		A.scratch = sk_xcalloc(1, ty.val_size);
	sk_rec_init(&A.out);

	sk_tool_start(t, argc, argv, optind, &sk_stdout);
	sk_tool_catch_signals();
	t->rd.idle = on_idle;
	if (A.interval_ns)
		A.next_ns = sat_add(sk_now(), A.interval_ns);

	while (sk_tool_next(t)) {
		sk_record *r = &t->rec;
		make_key(r);
		if (A.merge) {
			merge_record(r);
		} else {
			long bad = sk_agg_list_eval(&A.l, r);
			if (bad >= 0 && A.l.err) {
				sk_tool_bad(t, r, "regex", "%s: %s",
					    A.l.items[bad].argsrc[0], A.l.err);
				continue;
			}
			if (bad >= 0) {
				sk_agg_in *in = &A.l.in[bad];
				sk_tool_bad(t, r, "not a number",
					    "%s: not a number: \"%.*s\"",
					    A.l.items[bad].argsrc[0], (int)in->n,
					    in->s);
				continue;
			}
			sk_agg_list_add(&A.l, group(r));
		}
		A.nrec++;
		if (A.every && A.nrec % A.every == 0)
			snapshot();
		else if (A.interval_ns && (A.nrec & 63) == 0 &&
			 sk_now() >= A.next_ns)
			on_idle(NULL);
	}
	/* the final table, unless the last snapshot already is it */
	if (!A.snapped || A.nrec != A.snap_nrec)
		emit();
	write_columns();
	sk_hash_free(&A.groups);
	sk_rec_free(&A.out);
	free(A.scratch);
	free(A.aggslot);
	free(A.keys);
	sk_buf_free(&A.key);
	sk_key_free(&A.gkey);
	sk_buf_free(&A.text);
	sk_buf_free(&A.err);
	sk_agg_list_free(&A.l);
	return sk_tool_finish(t);
}
