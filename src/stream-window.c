/* stream-window: aggregates inside tumbling, sliding, session and count
 * windows, in event or processing time. Options, time parsing and the run
 * loop: the windows are sk_window, the aggregates sk_agg. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_agg_list.h"
#include "sk_err.h"
#include "sk_hash.h"
#include "sk_key.h"
#include "sk_time.h"
#include "sk_tool.h"
#include "sk_window.h"

static void usage(int status)
{
	if (status != SK_EXIT_OK)
		sk_try_help(status);
	printf(
"Usage: stream-window [OPTIONS] AGGREGATES [FILE...]\n"
"Aggregates per key inside tumbling, sliding, session or count windows, in\n"
"event time (-t) or processing time. AGGREGATES as in stream-agg:\n"
"'count, sum(bytes), p99(bytes) as slow'.\n"
"\n"
"Windows (one of):\n"
"      --tumbling SIZE      fixed windows [start, start+SIZE) (1m, 5s)\n"
"      --sliding SIZE,SLIDE windows of SIZE every SLIDE (SLIDE <= SIZE)\n"
"      --session GAP        per key, records less than or exactly GAP apart\n"
"      --count N[,SLIDE]    per key, every N records (the last N every SLIDE)\n"
"      --offset DUR         shift the alignment (-8h: days of UTC+8)\n"
"  -g, --group-by KEYS      windows per key (comma list of fields: name,\n"
"                           $name, ${any name}, $3 or 3)\n"
"      --sort [-]COL        sort the rows of each fired window by a column\n"
"                           (- descending)\n"
"      --top N              only the first N rows of each fired window\n"
"\n"
"Time:\n"
"  -t, --time FIELD         event time from FIELD (epoch s/ms/us/ns, ISO 8601,\n"
"                           CLF, syslog); without -t, processing time\n"
"      --time-format FMT    parse FIELD with strptime(3) FMT instead\n"
"      --time-out FORM      window times as epoch, epoch_ms or iso (default:\n"
"                           as in the input; iso in processing time)\n"
"      --max-delay DUR      watermark = max event time - DUR (default 0)\n"
"      --update-late DUR    keep fired windows DUR longer: a late record\n"
"                           re-emits its window with the new totals\n"
"                           --max-delay delays the one emission; --update-late\n"
"                           re-emits afterwards\n"
"      --late MODE          reject (default: counted, reported, to --rejects)\n"
"                           or drop records too late for every window\n"
"      --emit MODE          close (default): one row per window; update: a\n"
"                           row for every change (a window it replaces is\n"
"                           retracted by a row with empty aggregates)\n"
"      --idle DUR           after DUR without input, event time advances at\n"
"                           wall-clock speed (default: off)\n"
"\n");
	sk_tool_usage_common(stdout);
	printf(
"\n"
"Output: window_start, window_end, the keys, the aggregates. Windows fire\n"
"when the watermark reaches their end (sessions: passes it); end of input\n"
"and SIGINT/SIGTERM flush the open ones by end, start, then key.\n"
"SK_TEST_CLOCK=EPOCH_SECONDS starts the clock there (for tests).\n"
"\n"
"Examples:\n"
"  stream-window -i clf -t time --tumbling 1m -g path 'count, p99(bytes)'\n"
"  stream-window -t ts --sliding 10m,1m --max-delay 30s 'mean(latency)'\n"
"  stream-window -t ts --session 30m -g user 'count, first(page)'\n"
"  tail -f app.log | stream-window -i logfmt --tumbling 10s -g level count\n"
"\n"
"Exit status: 0 fine, 1 bad data (or late records) or I/O error, 2 usage\n"
"error; after SIGINT, SIGTERM or SIGHUP (open windows fire) 130, 143, 129.\n");
	exit(status);
}

enum {
	OPT_GROUP = 'g',
	OPT_TIME = 't',
	OPT_TUMBLING = SK_OPT_TOOL_BASE,
	OPT_SLIDING,
	OPT_SESSION,
	OPT_COUNT,
	OPT_OFFSET,
	OPT_TIME_FORMAT,
	OPT_TIME_OUT,
	OPT_MAX_DELAY,
	OPT_UPDATE_LATE,
	OPT_LATE,
	OPT_EMIT,
	OPT_IDLE,
	OPT_SORT,
	OPT_TOP,
};

enum { TOUT_INPUT, TOUT_EPOCH, TOUT_EPOCH_MS, TOUT_ISO };

static struct win {
	sk_tool t;
	sk_agg_list l;
	sk_win *w;
	sk_win_conf c;
	sk_fref *keys;        /* the -g fields */
	size_t nkeys;
	uint32_t *aggslot;
	uint32_t ws_slot, we_slot;
	const char *tfield;   /* -t */
	sk_fref tref;
	const char *tfmt;     /* --time-format */
	int tout;
	int tkind;            /* the input's time form, from the first time */
	int drop_late;
	int64_t idle;         /* --idle, 0: off */
	int64_t last_arrival; /* wall clock of the last record */
	int64_t now;          /* for syslog's missing year */
	uint64_t nrec;
	sk_key gkey;          /* the key of the current record */
	sk_buf text;
	long sortcol;         /* --sort: output column index, -1: none */
	int sortdesc;
	uint64_t top;         /* --top, 0: all */
	struct srow *rows;    /* --sort/--top: the rows of one fired window */
	size_t nrows, rowcap;
	sk_buf rowbuf;        /* their fields: slot, kind, length, bytes */
	sk_record out;
	/* key -> one sk_field_kind byte per key field, for the keys whose
	 * first record had a kind that changes how JSON writes it (a JSON
	 * string "200", a null); other keys are written as text */
	sk_hash kinds;
	sk_hash_type kinds_type;
	int key_kind_matters; /* set by make_key */
} W;

static int64_t duration_opt(const char *opt, const char *arg, int positive)
{
	int64_t ns;
	if (!sk_duration_parse(arg, strlen(arg), &ns) || (positive && ns <= 0))
		sk_usage_error("%s takes a%s duration (250ms, 10s, 5m, 1h), not '%s'",
			       opt, positive ? " positive" : "", arg);
	return ns;
}

static void set_type(int type, const char *opt)
{
	static const char *first;
	if (first)
		sk_usage_error("%s and %s: only one kind of window", first, opt);
	first = opt;
	W.c.type = type;
}

/* The key (sk_key.h: a missing field is empty; several fields encoded so
 * memcmp orders them field by field, as the engine sorts rows). */
static void make_key(const sk_record *r)
{
	W.key_kind_matters = 0;
	for (size_t i = 0; i < W.nkeys; i++) {
		sk_field f;
		if (sk_rec_ref(r, &W.keys[i], &f) && f.kind != SK_FK_TEXT &&
		    sk_json_kind_matters(f.p, f.n, f.kind))
			W.key_kind_matters = 1;
	}
	sk_key_make(&W.gkey, r, W.keys, W.nkeys);
}

/* Remembers the key kinds of r (the current key) if they matter and the
 * key has none yet. */
static void note_key_kinds(const sk_record *r)
{
	const char *k = W.gkey.p;
	uint64_t hv = sk_hash_bytes(k, W.gkey.n);
	if (sk_hash_find(&W.kinds, k, W.gkey.n, hv))
		return;
	int isnew;
	sk_hash_ent *e = sk_hash_put(&W.kinds, k, W.gkey.n, hv, &isnew);
	uint8_t *kind = sk_hash_val(&W.kinds, e);
	for (size_t i = 0; i < W.nkeys; i++) {
		sk_field f;
		kind[i] = sk_rec_ref(r, &W.keys[i], &f) ? f.kind : SK_FK_TEXT;
	}
}

/* A time as the output wants it. */
/* Appends ".ddd" (trailing zeros dropped) for the fraction of a second
 * of ns, nothing when there is none; the new length, 0 if it does not fit. */
static size_t put_frac(char *buf, size_t cap, size_t n, int64_t ns)
{
	int64_t sub = ns % SK_NS_PER_SEC;
	if (sub < 0)
		sub += SK_NS_PER_SEC; /* the formats floor ns to the second */
	if (!sub)
		return n;
	char f[16];
	int k = snprintf(f, sizeof f, ".%09lld", (long long)sub);
	while (f[k - 1] == '0')
		k--;
	if (n + (size_t)k + 1 > cap)
		return 0;
	memmove(buf + n + k, buf + n, 1); /* the NUL */
	memcpy(buf + n, f, (size_t)k);
	return n + (size_t)k;
}

/* --time-format with the fraction, if any, right after the first %S,
 * where sk_time_parse_fmt reads one. */
static size_t fmt_tfmt(char *buf, size_t cap, int64_t ns)
{
	const char *s = strstr(W.tfmt, "%S");
	char head[256];
	if (!s || (size_t)(s + 2 - W.tfmt) >= sizeof head)
		return sk_time_fmt(buf, cap, W.tfmt, ns);
	size_t hl = (size_t)(s + 2 - W.tfmt);
	memcpy(head, W.tfmt, hl);
	head[hl] = 0;
	size_t n = sk_time_fmt(buf, cap, head, ns);
	if (!n || !(n = put_frac(buf, cap, n, ns)))
		return 0;
	if (!s[2])
		return n;
	size_t m = sk_time_fmt(buf + n, cap - n, s + 2, ns);
	return m ? n + m : 0;
}

static size_t fmt_time(char *buf, size_t cap, int64_t ns)
{
	switch (W.tout) {
	case TOUT_EPOCH:
		return sk_time_fmt_kind(buf, cap, SK_TK_EPOCH_S, ns);
	case TOUT_EPOCH_MS:
		return sk_time_fmt_kind(buf, cap, SK_TK_EPOCH_MS, ns);
	case TOUT_ISO:
		return sk_time_fmt_kind(buf, cap, SK_TK_ISO, ns);
	}
	if (W.tfmt) {
		size_t n = fmt_tfmt(buf, cap, ns);
		if (n)
			return n;
	}
	size_t n = sk_time_fmt_kind(buf, cap, W.tkind ? W.tkind : SK_TK_ISO, ns);
	if (n && W.tkind == SK_TK_SYSLOG) /* it reads "Dec 10 06:55:46.25" back */
		n = put_frac(buf, cap, n, ns);
	return n;
}

static void put_field(sk_record *o, uint32_t slot, const char *p, size_t n,
		      int kind)
{
	sk_rec_push(o, slot, sk_arena_dup(&o->arena, p, n), n, kind);
}

/*
 * --sort and --top act within each fired window: the rows of one window
 * (the engine writes them one after the other) are kept here, then sorted
 * and cut when the next window's rows begin or the engine returns.
 */
typedef struct srow {
	int64_t start, end;
	size_t off, end_off; /* its fields in W.rowbuf */
	size_t seq;          /* arrival order: ties keep it */
	size_t soff, slen;   /* the sort field's bytes in W.rowbuf */
	int isnum;
	double num;
} srow;

static void row_field(uint32_t slot, const char *p, size_t n, int kind, long col)
{
	uint32_t hdr[3] = { slot, (uint32_t)kind, (uint32_t)n };
	sk_buf_put(&W.rowbuf, (const char *)hdr, sizeof hdr);
	if (col == W.sortcol) {
		srow *r = &W.rows[W.nrows];
		r->soff = W.rowbuf.len;
		r->slen = n;
		sk_num v;
		r->isnum = n && sk_num_parse(p, n, &v);
		r->num = r->isnum ? v.d : 0;
	}
	sk_buf_put(&W.rowbuf, p, n);
}

static int srow_cmp(const void *pa, const void *pb)
{
	const srow *a = pa, *b = pb;
	/* empty fields (no value) go last either way */
	if (!a->slen != !b->slen)
		return a->slen ? -1 : 1;
	int r;
	if (a->isnum && b->isnum) {
		r = (a->num > b->num) - (a->num < b->num);
	} else {
		size_t n = a->slen < b->slen ? a->slen : b->slen;
		r = n ? memcmp(W.rowbuf.p + a->soff, W.rowbuf.p + b->soff, n) : 0;
		if (!r)
			r = (a->slen > b->slen) - (a->slen < b->slen);
	}
	if (W.sortdesc)
		r = -r;
	return r ? r : (a->seq > b->seq) - (a->seq < b->seq);
}

/* Sorts the kept rows of one window, writes the first --top of them. */
static void flush_rows(void)
{
	if (!W.nrows)
		return;
	if (W.sortcol >= 0)
		qsort(W.rows, W.nrows, sizeof *W.rows, srow_cmp);
	size_t n = W.top && W.top < W.nrows ? (size_t)W.top : W.nrows;
	sk_record *o = &W.out;
	for (size_t i = 0; i < n; i++) {
		sk_rec_clear(o);
		for (size_t at = W.rows[i].off; at < W.rows[i].end_off;) {
			uint32_t hdr[3];
			memcpy(hdr, W.rowbuf.p + at, sizeof hdr);
			at += sizeof hdr;
			put_field(o, hdr[0], W.rowbuf.p + at, hdr[2], (int)hdr[1]);
			at += hdr[2];
		}
		o->modified = 1;
		sk_write(&W.t.wr, o);
	}
	W.nrows = 0;
	sk_buf_clear(&W.rowbuf);
}

/* One output field: into the record, or kept for --sort/--top. */
static void out_field(sk_record *o, uint32_t slot, const char *p, size_t n,
		      int kind, long col)
{
	if (W.sortcol >= 0 || W.top)
		row_field(slot, p, n, kind, col);
	else
		put_field(o, slot, p, n, kind);
}

/* The engine's emit callback: one output row. */
static void emit(void *ctx, int64_t start, int64_t end, const char *key,
		 size_t keylen, void *block, const double *totals)
{
	(void)ctx;
	sk_record *o = &W.out;
	char tb[80];
	int keep = W.sortcol >= 0 || W.top;
	if (keep) {
		if (W.nrows && (W.rows[0].start != start || W.rows[0].end != end))
			flush_rows(); /* another window's rows begin */
		if (W.nrows == W.rowcap) {
			W.rowcap = W.rowcap ? W.rowcap * 2 : 64;
			W.rows = sk_xrealloc(W.rows, W.rowcap * sizeof *W.rows);
		}
		srow *r = &W.rows[W.nrows];
		memset(r, 0, sizeof *r);
		r->start = start;
		r->end = end;
		r->off = W.rowbuf.len;
		r->seq = W.nrows;
	} else {
		sk_rec_clear(o);
	}
	long col = 0;
	out_field(o, W.ws_slot, tb, fmt_time(tb, sizeof tb, start), SK_FK_TEXT, col++);
	out_field(o, W.we_slot, tb, fmt_time(tb, sizeof tb, end), SK_FK_TEXT, col++);
	const uint8_t *kind = NULL;
	if (W.kinds.live) {
		sk_hash_ent *ke = sk_hash_find(&W.kinds, key, keylen,
					       sk_hash_bytes(key, keylen));
		if (ke)
			kind = sk_hash_val(&W.kinds, ke);
	}
	size_t pos = 0;
	for (size_t i = 0; i < W.nkeys; i++) {
		sk_str k = sk_key_field(key, keylen, W.nkeys, &pos, &W.text);
		out_field(o, W.keys[i].slot, k.p, k.n, kind ? kind[i] : SK_FK_TEXT,
			  col++);
	}
	for (size_t i = 0; i < W.l.aggs.n; i++) {
		sk_agg *a = &W.l.aggs.a[i];
		sk_buf_clear(&W.text);
		int r = block ? sk_agg_result(a, (char *)block + a->off, totals[i], &W.text)
			      : 0; /* a retraction: every aggregate empty */
		out_field(o, W.aggslot[i], W.text.p ? W.text.p : "", W.text.len,
			  r ? SK_AGG_R_FIELD_KIND(r) : SK_FK_TEXT, col++);
	}
	if (keep) {
		W.rows[W.nrows++].end_off = W.rowbuf.len;
		return;
	}
	o->modified = 1;
	sk_write(&W.t.wr, o);
}

static void add(void *ctx, void *block)
{
	sk_agg_list_add(ctx, block);
}

/* ms to wait for ns of wall clock, rounded up, at least 1. */
static int wait_ms(int64_t ns)
{
	if (ns <= 0)
		return 1;
	int64_t ms = (ns + 999999) / 1000000;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/*
 * The reader's idle hook, called before a read that would block: fires
 * processing-time windows on the clock, and under --idle lets event time
 * run on with the clock; flushes; says how long to wait.
 */
static int on_idle(void *ctx)
{
	(void)ctx;
	int64_t now = sk_now();
	W.now = now;
	int ret = -1;
	if (!W.tfield) {
		sk_win_advance(W.w, now);
		flush_rows();
		int64_t d = sk_win_next_deadline(W.w);
		if (d != INT64_MAX)
			ret = wait_ms(d - now);
	} else if (W.idle && W.nrec) {
		int64_t quiet = now - W.last_arrival;
		if (quiet < W.idle) {
			ret = wait_ms(W.idle - quiet);
		} else {
			int64_t wm;
			if (__builtin_add_overflow(sk_win_max_time(W.w) - W.c.max_delay,
						   quiet, &wm))
				wm = INT64_MAX - 1; /* past every window */
			sk_win_advance(W.w, wm);
			flush_rows();
			int64_t d = sk_win_next_deadline(W.w);
			if (d != INT64_MAX)
				ret = wait_ms(d - wm);
		}
	}
	sk_tool_flush(&W.t);
	return ret;
}

/* Window times written in a form without a fraction of a second (CLF, a
 * --time-format without %S) would lose it: window_start == window_end.
 * Input times there are whole seconds, so only the window options can
 * bring a fraction in; those are refused. */
static void need_whole_seconds(const char *form)
{
	const char *opt = W.c.type == SK_WIN_TUMBLING ? "--tumbling" :
			  W.c.type == SK_WIN_SLIDING ? "--sliding" : "--session";
	if (W.c.type == SK_WIN_COUNT)
		return;
	if ((W.c.size | W.c.slide | W.c.gap) % SK_NS_PER_SEC)
		sk_usage_error("%s: %s have no fraction of a second to write sub-second windows in: use --time-out epoch, epoch_ms or iso",
			       opt, form);
	if (W.c.offset % SK_NS_PER_SEC)
		sk_usage_error("--offset: %s have no fraction of a second to write sub-second windows in: use --time-out epoch, epoch_ms or iso",
			       form);
}

/* The record's time, or 0 after reporting it as bad. */
static int record_time(sk_record *r, int64_t *t)
{
	if (!W.tfield) {
		*t = sk_now();
		return 1;
	}
	sk_field fv;
	const sk_field *f = sk_rec_ref(r, &W.tref, &fv) ? &fv : NULL;
	int kind = 0, ok = 0;
	if (f && f->n) {
		if (W.tfmt)
			ok = sk_time_parse_fmt(f->p, f->n, W.tfmt, t);
		else
			ok = sk_time_parse(f->p, f->n, W.now, t, &kind);
	}
	if (!ok) {
		sk_tool_bad(&W.t, r, SK_BAD_TIME, "%s: not a time: \"%.*s\"",
			    W.tfield, f ? (int)f->n : 0, f ? f->p : "");
		return 0;
	}
	if (!W.tkind) {
		W.tkind = kind;
		if (kind == SK_TK_CLF && !W.tout)
			need_whole_seconds("CLF times");
	}
	return 1;
}

static void parse_pair(const char *opt, const char *arg, int64_t *a, int64_t *b)
{
	const char *comma = strchr(arg, ',');
	if (!comma)
		sk_usage_error("%s takes SIZE,SLIDE (10m,1m), not '%s'", opt, arg);
	if (!sk_duration_parse(arg, (size_t)(comma - arg), a) || *a <= 0 ||
	    !sk_duration_parse(comma + 1, strlen(comma + 1), b) || *b <= 0)
		sk_usage_error("%s takes SIZE,SLIDE (10m,1m), not '%s'", opt, arg);
}

/* A positive count from arg to end; 0 when it is none (or overflows). */
static uint64_t parse_count(const char *arg, const char *end)
{
	uint64_t v;
	return sk_parse_uint(arg, (size_t)(end - arg), &v) ? v : 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		SK_COMMON_LONGOPTS,
		{ "group-by", required_argument, NULL, OPT_GROUP },
		{ "time", required_argument, NULL, OPT_TIME },
		{ "tumbling", required_argument, NULL, OPT_TUMBLING },
		{ "sliding", required_argument, NULL, OPT_SLIDING },
		{ "session", required_argument, NULL, OPT_SESSION },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "offset", required_argument, NULL, OPT_OFFSET },
		{ "time-format", required_argument, NULL, OPT_TIME_FORMAT },
		{ "time-out", required_argument, NULL, OPT_TIME_OUT },
		{ "max-delay", required_argument, NULL, OPT_MAX_DELAY },
		{ "update-late", required_argument, NULL, OPT_UPDATE_LATE },
		{ "late", required_argument, NULL, OPT_LATE },
		{ "emit", required_argument, NULL, OPT_EMIT },
		{ "idle", required_argument, NULL, OPT_IDLE },
		{ "sort", required_argument, NULL, OPT_SORT },
		{ "top", required_argument, NULL, OPT_TOP },
		{ NULL, 0, NULL, 0 },
	};
	sk_tool *t = &W.t;
	sk_tool_init(t, argc, argv, usage);
	int c, have_type = 0;
	enum { GIVEN_OFFSET, GIVEN_MAX_DELAY, GIVEN_UPDATE_LATE, GIVEN_LATE, GIVEN_IDLE,
	       NGIVEN };
	const char *given[NGIVEN] = { 0 };
	const char *sortarg = NULL;
	W.sortcol = -1;
	while ((c = getopt_long(argc, argv, SK_COMMON_SHORTOPTS "g:t:",
				longopts, NULL)) != -1) {
		if (sk_tool_opt(t, c, optarg))
			continue;
		switch (c) {
		case OPT_GROUP:
			free(W.keys);
			W.keys = NULL;
			W.nkeys = sk_tool_fields(&t->schema, "-g", optarg, &W.keys);
			break;
		case OPT_TIME:
			W.tfield = optarg;
			break;
		case OPT_TUMBLING:
			set_type(SK_WIN_TUMBLING, "--tumbling");
			W.c.size = W.c.slide = duration_opt("--tumbling", optarg, 1);
			have_type = 1;
			break;
		case OPT_SLIDING:
			set_type(SK_WIN_SLIDING, "--sliding");
			parse_pair("--sliding", optarg, &W.c.size, &W.c.slide);
			if (W.c.slide > W.c.size)
				sk_usage_error("--sliding %s: SLIDE is larger than SIZE", optarg);
			have_type = 1;
			break;
		case OPT_SESSION:
			set_type(SK_WIN_SESSION, "--session");
			W.c.gap = duration_opt("--session", optarg, 1);
			have_type = 1;
			break;
		case OPT_COUNT: {
			set_type(SK_WIN_COUNT, "--count");
			const char *comma = strchr(optarg, ',');
			const char *end = optarg + strlen(optarg);
			W.c.count = parse_count(optarg, comma ? comma : end);
			W.c.cslide = comma ? parse_count(comma + 1, end) : W.c.count;
			if (!W.c.count || !W.c.cslide)
				sk_usage_error("--count takes N or N,SLIDE (positive integers), not '%s'",
					       optarg);
			if (W.c.cslide > W.c.count)
				sk_usage_error("--count %s: SLIDE is larger than N", optarg);
			have_type = 1;
			break;
		}
		case OPT_OFFSET:
			given[GIVEN_OFFSET] = "--offset";
			W.c.offset = duration_opt("--offset", optarg, 0);
			break;
		case OPT_TIME_FORMAT:
			W.tfmt = optarg;
			break;
		case OPT_TIME_OUT:
			if (strcmp(optarg, "epoch") == 0)
				W.tout = TOUT_EPOCH;
			else if (strcmp(optarg, "epoch_ms") == 0)
				W.tout = TOUT_EPOCH_MS;
			else if (strcmp(optarg, "iso") == 0)
				W.tout = TOUT_ISO;
			else
				sk_usage_error("--time-out takes epoch, epoch_ms or iso, not '%s'",
					       optarg);
			break;
		case OPT_MAX_DELAY:
			given[GIVEN_MAX_DELAY] = "--max-delay";
			W.c.max_delay = duration_opt("--max-delay", optarg, 0);
			if (W.c.max_delay < 0)
				sk_usage_error("--max-delay cannot be negative: '%s'", optarg);
			break;
		case OPT_UPDATE_LATE:
			given[GIVEN_UPDATE_LATE] = "--update-late";
			W.c.update_late = duration_opt("--update-late", optarg, 0);
			if (W.c.update_late < 0)
				sk_usage_error("--update-late cannot be negative: '%s'", optarg);
			break;
		case OPT_LATE:
			given[GIVEN_LATE] = "--late";
			if (strcmp(optarg, "drop") == 0)
				W.drop_late = 1;
			else if (strcmp(optarg, "reject") == 0)
				W.drop_late = 0;
			else
				sk_usage_error("--late takes reject or drop, not '%s'", optarg);
			break;
		case OPT_EMIT:
			if (strcmp(optarg, "close") == 0)
				W.c.emit = SK_WIN_EMIT_CLOSE;
			else if (strcmp(optarg, "update") == 0)
				W.c.emit = SK_WIN_EMIT_UPDATE;
			else
				sk_usage_error("--emit takes close or update, not '%s'", optarg);
			break;
		case OPT_SORT:
			sortarg = optarg;
			break;
		case OPT_TOP: {
			char *e;
			W.top = strtoull(optarg, &e, 10);
			if (*e || e == optarg || optarg[0] == '-' || !W.top)
				sk_usage_error("--top takes a positive integer, not '%s'", optarg);
			break;
		}
		case OPT_IDLE:
			given[GIVEN_IDLE] = "--idle";
			W.idle = duration_opt("--idle", optarg, 1);
			break;
		default:
			usage(SK_EXIT_USAGE);
		}
	}
	if (!have_type)
		sk_usage_error("give a window: --tumbling, --sliding, --session or --count");
	/* an option that would do nothing in this mode is a mistake */
	if (given[GIVEN_OFFSET] && (W.c.type == SK_WIN_SESSION || W.c.type == SK_WIN_COUNT))
		sk_usage_error("--offset aligns --tumbling and --sliding windows, not %s",
			       W.c.type == SK_WIN_SESSION ? "--session" : "--count");
	for (int i = GIVEN_MAX_DELAY; i <= GIVEN_IDLE; i++) {
		if (given[i] && W.c.type == SK_WIN_COUNT)
			sk_usage_error("%s: --count windows have no watermark", given[i]);
		if (given[i] && !W.tfield)
			sk_usage_error("%s needs event time (-t FIELD): %s", given[i],
				       i == GIVEN_IDLE ? "processing-time windows fire on the clock anyway"
						       : "processing time is never late");
	}
	if (W.tfmt && !W.tfield)
		sk_usage_error("--time-format needs -t FIELD");
	if (W.tfmt && !W.tout && !strstr(W.tfmt, "%S"))
		need_whole_seconds("--time-format times without %S");
	if (optind >= argc)
		sk_usage_error("missing AGGREGATES");
	const char *src = argv[optind++];
	sk_agg_list_compile(&W.l, src, &t->schema, 0);
	W.ws_slot = sk_schema_intern(&t->schema, "window_start", 12);
	W.we_slot = sk_schema_intern(&t->schema, "window_end", 10);
	{
		uint32_t *pre = sk_xcalloc(W.nkeys + 2, sizeof *pre);
		pre[0] = W.ws_slot;
		pre[1] = W.we_slot;
		for (size_t i = 0; i < W.nkeys; i++)
			pre[i + 2] = W.keys[i].slot;
		sk_agg_list_unique(&W.l, src, &t->schema, pre, W.nkeys + 2, "-g");
		free(pre);
	}
	W.aggslot = sk_xcalloc(W.l.aggs.n + 1, sizeof *W.aggslot);
	for (size_t i = 0; i < W.l.aggs.n; i++)
		W.aggslot[i] = sk_schema_intern(&t->schema, W.l.aggs.a[i].name,
						strlen(W.l.aggs.a[i].name));
	if (W.tfield)
		W.tref = sk_tool_field(&t->schema, "-t", W.tfield, strlen(W.tfield));
	if ((sortarg || W.top) && W.c.emit == SK_WIN_EMIT_UPDATE)
		sk_usage_error("%s: --emit update writes each change as its own row: nothing to sort or cut",
			       sortarg ? "--sort" : "--top");
	if (sortarg) {
		/* a column of the output: window_start, window_end, a key, an
		 * aggregate */
		const char *name = sortarg;
		if (*name == '-' || *name == '+')
			W.sortdesc = *name++ == '-';
		size_t ncol = 2 + W.nkeys + W.l.aggs.n;
		for (size_t i = 0; i < ncol && W.sortcol < 0; i++) {
			uint32_t slot = i == 0 ? W.ws_slot : i == 1 ? W.we_slot :
				i < 2 + W.nkeys ? W.keys[i - 2].slot : W.aggslot[i - 2 - W.nkeys];
			sk_str sn = sk_schema_name(&t->schema, slot);
			if (sk_str_eq(sn, name, strlen(name)))
				W.sortcol = (long)i;
		}
		if (W.sortcol < 0)
			sk_usage_error("--sort: no output column '%s'", name);
	}
	W.w = sk_win_new(&W.c, &W.l.aggs, emit, NULL);
	sk_rec_init(&W.out);
	W.kinds_type.val_size = (W.nkeys + 7) & ~(size_t)7;
	W.kinds_type.val_align = 8;
	sk_hash_init(&W.kinds, &W.kinds_type, NULL);

	sk_tool_start(t, argc, argv, optind, &sk_stdout);
	sk_tool_catch_signals();
	t->rd.idle = on_idle;
	W.now = sk_now();

	while (sk_tool_next(t)) {
		sk_record *r = &t->rec;
		if ((++W.nrec & 4095) == 0)
			W.now = sk_now();
		if (W.idle)
			W.last_arrival = sk_now();
		int64_t tm;
		if (!record_time(r, &tm))
			continue;
		long bad = sk_agg_list_eval(&W.l, r);
		if (bad >= 0 && W.l.err) {
			sk_tool_bad(t, r, SK_BAD_REGEX, "%s: %s", W.l.items[bad].argsrc[0],
				    W.l.err);
			continue;
		}
		if (bad >= 0) {
			sk_agg_in *in = &W.l.in[bad];
			sk_tool_bad(t, r, SK_BAD_NUMBER, "%s: not a number: \"%.*s\"",
				    W.l.items[bad].argsrc[0], (int)in->n, in->s);
			continue;
		}
		make_key(r);
		if (W.key_kind_matters)
			note_key_kinds(r);
		int st = sk_win_add(W.w, tm, W.gkey.p, W.gkey.n,
				    add, &W.l);
		flush_rows();
		if (st == SK_WIN_RANGE) {
			char a[80];
			size_t an = fmt_time(a, sizeof a, tm);
			sk_tool_bad(t, r, SK_BAD_RANGE,
				    "%s: time %.*s: its window does not fit in the time range (1677-09-21 to 2262-04-11)",
				    W.tfield ? W.tfield : "time", (int)an, a);
		} else if (st == SK_WIN_LATE && !W.drop_late) {
			char a[80], b[80];
			size_t an = fmt_time(a, sizeof a, tm);
			size_t bn = fmt_time(b, sizeof b, sk_win_watermark(W.w));
			sk_tool_bad(t, r, SK_BAD_LATE,
				    "late record: time %.*s is behind the watermark %.*s",
				    (int)an, a, (int)bn, b);
		}
	}
	sk_win_flush(W.w);
	flush_rows();
	if (sk_tool_header_record(t, &t->rec)) {
		/* no window: still the columns of a header-only input */
		sk_record *o = &W.out;
		sk_rec_clear(o);
		sk_rec_push(o, W.ws_slot, "", 0, SK_FK_TEXT);
		sk_rec_push(o, W.we_slot, "", 0, SK_FK_TEXT);
		for (size_t i = 0; i < W.nkeys; i++)
			sk_rec_push(o, W.keys[i].slot, "", 0, SK_FK_TEXT);
		for (size_t i = 0; i < W.l.aggs.n; i++)
			sk_rec_push(o, W.aggslot[i], "", 0, SK_FK_TEXT);
		sk_write_header(&t->wr, o);
	}
	sk_win_free(W.w);
	sk_hash_free(&W.kinds);
	sk_rec_free(&W.out);
	free(W.aggslot);
	free(W.keys);
	sk_key_free(&W.gkey);
	sk_buf_free(&W.text);
	sk_buf_free(&W.rowbuf);
	free(W.rows);
	sk_agg_list_free(&W.l);
	return sk_tool_finish(t);
}
