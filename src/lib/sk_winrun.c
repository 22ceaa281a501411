/* sk_winrun: stream-window over the window engine (see sk_winrun.h). */
#include <stdlib.h>
#include <string.h>
#include "sk_err.h"
#include "sk_time.h"
#include "sk_winrun.h"

/* --time-out: the form of the window times. */
enum { TOUT_INPUT, TOUT_EPOCH, TOUT_EPOCH_MS, TOUT_ISO };

/* A --time-format head up to its first %S, as a C string. */
enum { TFMT_HEAD_MAX = 256 };

void sk_winrun_init(sk_winrun *wr, sk_tool *t)
{
	memset(wr, 0, sizeof *wr);
	wr->t = t;
}

static int64_t duration_opt(const char *opt, const char *arg, int positive)
{
	int64_t ns;
	if (!sk_duration_parse(arg, strlen(arg), &ns) || (positive && ns <= 0))
		sk_usage_error("%s takes a%s duration (250ms, 10s, 5m, 1h), not '%s'",
			       opt, positive ? " positive" : "", arg);
	return ns;
}

static void set_type(sk_winrun *wr, int type, const char *opt)
{
	if (wr->type_opt)
		sk_usage_error("%s and %s: only one kind of window",
			       wr->type_opt, opt);
	wr->type_opt = opt;
	wr->c.type = type;
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

/* One of the words of an option taking a fixed set: its index, or a
 * usage error naming them (words: NULL-ended). */
static int word_opt(const char *arg, const char *const *words,
		    const char *err)
{
	for (int i = 0; words[i]; i++)
		if (strcmp(arg, words[i]) == 0)
			return i;
	sk_usage_error("%s, not '%s'", err, arg);
}

int sk_winrun_opt(sk_winrun *wr, int opt, const char *arg)
{
	sk_win_conf *c = &wr->c;
	switch (opt) {
	case SK_WOPT_GROUP:
		free(wr->keys);
		wr->keys = NULL;
		wr->nkeys = sk_tool_fields(&wr->t->schema, "-g", arg, &wr->keys);
		break;
	case SK_WOPT_TIME:
		wr->tfield = arg;
		break;
	case SK_WOPT_TUMBLING:
		set_type(wr, SK_WIN_TUMBLING, "--tumbling");
		c->size = c->slide = duration_opt("--tumbling", arg, 1);
		break;
	case SK_WOPT_SLIDING:
		set_type(wr, SK_WIN_SLIDING, "--sliding");
		parse_pair("--sliding", arg, &c->size, &c->slide);
		if (c->slide > c->size)
			sk_usage_error("--sliding %s: SLIDE is larger than SIZE", arg);
		break;
	case SK_WOPT_SESSION:
		set_type(wr, SK_WIN_SESSION, "--session");
		c->gap = duration_opt("--session", arg, 1);
		break;
	case SK_WOPT_COUNT: {
		set_type(wr, SK_WIN_COUNT, "--count");
		const char *comma = strchr(arg, ',');
		const char *end = arg + strlen(arg);
		c->count = parse_count(arg, comma ? comma : end);
		c->cslide = comma ? parse_count(comma + 1, end) : c->count;
		if (!c->count || !c->cslide)
			sk_usage_error("--count takes N or N,SLIDE (positive integers), not '%s'",
				       arg);
		if (c->cslide > c->count)
			sk_usage_error("--count %s: SLIDE is larger than N", arg);
		break;
	}
	case SK_WOPT_OFFSET:
		wr->given[SK_WGIVEN_OFFSET] = "--offset";
		c->offset = duration_opt("--offset", arg, 0);
		break;
	case SK_WOPT_TIME_FORMAT:
		wr->tfmt = arg;
		break;
	case SK_WOPT_TIME_OUT: {
		static const char *const forms[] = { "epoch", "epoch_ms", "iso",
						     NULL };
		wr->tout = TOUT_EPOCH + word_opt(arg, forms,
			"--time-out takes epoch, epoch_ms or iso");
		break;
	}
	case SK_WOPT_MAX_DELAY:
		wr->given[SK_WGIVEN_MAX_DELAY] = "--max-delay";
		c->max_delay = duration_opt("--max-delay", arg, 0);
		if (c->max_delay < 0)
			sk_usage_error("--max-delay cannot be negative: '%s'", arg);
		break;
	case SK_WOPT_UPDATE_LATE:
		wr->given[SK_WGIVEN_UPDATE_LATE] = "--update-late";
		c->update_late = duration_opt("--update-late", arg, 0);
		if (c->update_late < 0)
			sk_usage_error("--update-late cannot be negative: '%s'", arg);
		break;
	case SK_WOPT_LATE: {
		static const char *const modes[] = { "reject", "drop", NULL };
		wr->given[SK_WGIVEN_LATE] = "--late";
		wr->drop_late = word_opt(arg, modes, "--late takes reject or drop");
		break;
	}
	case SK_WOPT_EMIT: {
		/* in the order of enum sk_win_emit */
		static const char *const modes[] = { "close", "update", NULL };
		c->emit = word_opt(arg, modes, "--emit takes close or update");
		break;
	}
	case SK_WOPT_SORT:
		wr->sortarg = arg;
		break;
	case SK_WOPT_TOP:
		/* as stream-agg's: digits only, no sign or blanks */
		if (!sk_parse_uint(arg, strlen(arg), &wr->top) || !wr->top)
			sk_usage_error("--top takes a positive integer, not '%s'", arg);
		break;
	case SK_WOPT_IDLE:
		wr->given[SK_WGIVEN_IDLE] = "--idle";
		wr->idle = duration_opt("--idle", arg, 1);
		break;
	default:
		return 0;
	}
	return 1;
}

/* Window times written in a form without a fraction of a second (CLF, a
 * --time-format without %S) would lose it: window_start == window_end.
 * Input times there are whole seconds, so only the window options can
 * bring a fraction in; those are refused. */
static void need_whole_seconds(const sk_winrun *wr, const char *form)
{
	const sk_win_conf *c = &wr->c;
	const char *opt = c->type == SK_WIN_TUMBLING ? "--tumbling" :
			  c->type == SK_WIN_SLIDING ? "--sliding" : "--session";
	if (c->type == SK_WIN_COUNT)
		return;
	if ((c->size | c->slide | c->gap) % SK_NS_PER_SEC)
		sk_usage_error("%s: %s have no fraction of a second to write sub-second windows in: use --time-out epoch, epoch_ms or iso",
			       opt, form);
	if (c->offset % SK_NS_PER_SEC)
		sk_usage_error("--offset: %s have no fraction of a second to write sub-second windows in: use --time-out epoch, epoch_ms or iso",
			       form);
}

/* The options together: an option that would do nothing in this mode is
 * a mistake. */
static void check_options(const sk_winrun *wr)
{
	const sk_win_conf *c = &wr->c;
	if (!wr->type_opt)
		sk_usage_error("give a window: --tumbling, --sliding, --session or --count");
	if (wr->given[SK_WGIVEN_OFFSET] &&
	    (c->type == SK_WIN_SESSION || c->type == SK_WIN_COUNT))
		sk_usage_error("--offset aligns --tumbling and --sliding windows, not %s",
			       c->type == SK_WIN_SESSION ? "--session" : "--count");
	for (int i = SK_WGIVEN_MAX_DELAY; i <= SK_WGIVEN_IDLE; i++) {
		if (wr->given[i] && c->type == SK_WIN_COUNT)
			sk_usage_error("%s: --count windows have no watermark",
				       wr->given[i]);
		if (wr->given[i] && !wr->tfield)
			sk_usage_error("%s needs event time (-t FIELD): %s", wr->given[i],
				       i == SK_WGIVEN_IDLE ? "processing-time windows fire on the clock anyway"
						       : "processing time is never late");
	}
	if (wr->tfmt && !wr->tfield)
		sk_usage_error("--time-format needs -t FIELD");
	if (wr->tfmt && !wr->tout && !strstr(wr->tfmt, "%S"))
		need_whole_seconds(wr, "--time-format times without %S");
}

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
static size_t fmt_tfmt(const char *tfmt, char *buf, size_t cap, int64_t ns)
{
	const char *s = strstr(tfmt, "%S");
	char head[TFMT_HEAD_MAX];
	if (!s || (size_t)(s + 2 - tfmt) >= sizeof head)
		return sk_time_fmt(buf, cap, tfmt, ns);
	size_t hl = (size_t)(s + 2 - tfmt);
	memcpy(head, tfmt, hl);
	head[hl] = 0;
	size_t n = sk_time_fmt(buf, cap, head, ns);
	if (!n || !(n = put_frac(buf, cap, n, ns)))
		return 0;
	if (!s[2])
		return n;
	size_t m = sk_time_fmt(buf + n, cap - n, s + 2, ns);
	return m ? n + m : 0;
}

/* A window time as the output wants it: --time-out, else the input's own
 * form (--time-format, or the form of its first time); the length, 0 if
 * it does not fit. */
static size_t fmt_time(const sk_winrun *wr, char *buf, size_t cap, int64_t ns)
{
	switch (wr->tout) {
	case TOUT_EPOCH:
		return sk_time_fmt_kind(buf, cap, SK_TK_EPOCH_S, ns);
	case TOUT_EPOCH_MS:
		return sk_time_fmt_kind(buf, cap, SK_TK_EPOCH_MS, ns);
	case TOUT_ISO:
		return sk_time_fmt_kind(buf, cap, SK_TK_ISO, ns);
	}
	if (wr->tfmt) {
		size_t n = fmt_tfmt(wr->tfmt, buf, cap, ns);
		if (n)
			return n;
	}
	size_t n = sk_time_fmt_kind(buf, cap, wr->tkind ? wr->tkind : SK_TK_ISO, ns);
	if (n && wr->tkind == SK_TK_SYSLOG) /* it reads "Dec 10 06:55:46.25" back */
		n = put_frac(buf, cap, n, ns);
	return n;
}

/* The engine's emit callback: one output row. --sort and --top act within
 * each fired window: the engine writes a window's rows one after the
 * other, so the rows are flushed where another window's begin (and after
 * each engine call). */
static void emit(void *ctx, int64_t start, int64_t end, const char *key,
		 size_t keylen, void *block, const double *totals)
{
	sk_winrun *wr = ctx;
	if (!wr->row_times || start != wr->row_start || end != wr->row_end) {
		sk_rows_flush(&wr->rows);
		wr->row_start = start;
		wr->row_end = end;
		/* the window's times, written once for all its rows */
		wr->row_an = fmt_time(wr, wr->row_a, sizeof wr->row_a, start);
		wr->row_bn = fmt_time(wr, wr->row_b, sizeof wr->row_b, end);
		wr->row_times = 1;
	}
	sk_str lead[2] = { { wr->row_a, wr->row_an }, { wr->row_b, wr->row_bn } };
	const uint8_t *kinds = NULL;
	if (sk_group_count(&wr->kinds)) {
		void *blk = sk_group_find(&wr->kinds, key, keylen);
		if (blk)
			kinds = sk_group_kinds(&wr->kinds, blk);
	}
	sk_rows_put(&wr->rows, lead, key, keylen, kinds, block, totals);
}

static void add(void *ctx, void *block)
{
	sk_agg_list_add(ctx, block);
}

void sk_winrun_setup(sk_winrun *wr, const char *src)
{
	sk_tool *t = wr->t;
	check_options(wr);
	if (!src)
		sk_usage_error("missing AGGREGATES");
	sk_agg_list_compile(&wr->l, src, &t->schema, 0);
	sk_rows_init(&wr->rows, &t->schema,
		     (const char *[]){ "window_start", "window_end" }, 2,
		     wr->keys, wr->nkeys, &wr->l.aggs, &t->wr, SK_ROWS_WINDOW);
	sk_agg_list_unique(&wr->l, src, &t->schema, wr->rows.slot,
			   2 + wr->nkeys, "-g");
	if (wr->tfield)
		wr->tref = sk_tool_field(&t->schema, "-t", wr->tfield,
					 strlen(wr->tfield));
	if ((wr->sortarg || wr->top) && wr->c.emit == SK_WIN_EMIT_UPDATE)
		sk_usage_error("%s: --emit update writes each change as its own row: nothing to sort or cut",
			       wr->sortarg ? "--sort" : "--top");
	sk_rows_order(&wr->rows, &t->schema, wr->sortarg, wr->top);
	wr->w = sk_win_new(&wr->c, &wr->l.aggs, emit, wr);
	sk_group_init(&wr->kinds, &wr->nostate, wr->keys, wr->nkeys);
}

void sk_winrun_start(sk_winrun *wr)
{
	wr->t->rd.idle = sk_winrun_idle;
	wr->t->rd.idle_ctx = wr;
	wr->now = sk_now();
}

int sk_winrun_idle(void *ctx)
{
	sk_winrun *wr = ctx;
	int64_t now = sk_now();
	wr->now = now;
	int ret = -1;
	if (!wr->tfield) {
		ret = sk_win_tick(wr->w, now);
		sk_rows_flush(&wr->rows);
	} else if (wr->idle && wr->nrec) {
		int64_t quiet = now - wr->last_arrival;
		if (quiet < wr->idle) {
			ret = sk_wait_ms(wr->idle - quiet);
		} else {
			ret = sk_win_tick(wr->w, sk_win_idle_mark(wr->w, quiet));
			sk_rows_flush(&wr->rows);
		}
	}
	sk_tool_flush(wr->t);
	return ret;
}

/* The record's time, or 0 after reporting it as bad. */
static int record_time(sk_winrun *wr, sk_record *r, int64_t *t)
{
	if (!wr->tfield) {
		*t = sk_now();
		return 1;
	}
	sk_field fv;
	const sk_field *f = sk_rec_ref(r, &wr->tref, &fv) ? &fv : NULL;
	int kind = 0, ok = 0;
	if (f && f->n) {
		if (wr->tfmt)
			ok = sk_time_parse_fmt(f->p, f->n, wr->tfmt, t);
		else
			ok = sk_time_parse(f->p, f->n, wr->now, t, &kind);
	}
	if (!ok) {
		sk_tool_bad(wr->t, r, SK_BAD_TIME, "%s: not a time: \"%.*s\"",
			    wr->tfield, f ? (int)f->n : 0, f ? f->p : "");
		return 0;
	}
	if (!wr->tkind) {
		wr->tkind = kind;
		if (kind == SK_TK_CLF && !wr->tout)
			need_whole_seconds(wr, "CLF times");
	}
	return 1;
}

/* Whether a key field of r has a kind that changes how JSON writes it. */
static int key_kind_matters(const sk_winrun *wr, const sk_record *r)
{
	for (size_t i = 0; i < wr->nkeys; i++) {
		sk_field f;
		if (sk_rec_ref(r, &wr->keys[i], &f) && f.kind != SK_FK_TEXT &&
		    sk_json_kind_matters(f.p, f.n, f.kind))
			return 1;
	}
	return 0;
}

/* The clock is read again every this many records (syslog's year). */
#define CLOCK_EVERY 4096

void sk_winrun_record(sk_winrun *wr, sk_record *r)
{
	sk_tool *t = wr->t;
	if (++wr->nrec % CLOCK_EVERY == 0)
		wr->now = sk_now();
	if (wr->idle)
		wr->last_arrival = sk_now();
	int64_t tm;
	if (!record_time(wr, r, &tm) || !sk_group_eval(&wr->l, t, r))
		return;
	int matters = key_kind_matters(wr, r);
	sk_key_make(&wr->key, r, wr->keys, wr->nkeys);
	if (matters)
		(void)sk_group_get(&wr->kinds, &wr->key, r);
	int st = sk_win_add(wr->w, tm, wr->key.p, wr->key.n, add, &wr->l);
	sk_rows_flush(&wr->rows);
	char a[SK_TIME_BUFSZ], b[SK_TIME_BUFSZ];
	if (st == SK_WIN_RANGE) {
		size_t an = fmt_time(wr, a, sizeof a, tm);
		sk_tool_bad(t, r, SK_BAD_RANGE,
			    "%s: time %.*s: its window does not fit in the time range (1677-09-21 to 2262-04-11)",
			    wr->tfield ? wr->tfield : "time", (int)an, a);
	} else if (st == SK_WIN_LATE && !wr->drop_late) {
		size_t an = fmt_time(wr, a, sizeof a, tm);
		size_t bn = fmt_time(wr, b, sizeof b, sk_win_watermark(wr->w));
		sk_tool_bad(t, r, SK_BAD_LATE,
			    "late record: time %.*s is behind the watermark %.*s",
			    (int)an, a, (int)bn, b);
	}
}

void sk_winrun_finish(sk_winrun *wr)
{
	sk_win_flush(wr->w);
	sk_rows_flush(&wr->rows);
	/* no window: still the columns of a header-only input */
	if (sk_tool_header_record(wr->t, &wr->t->rec))
		sk_rows_write_header(&wr->rows);
}

void sk_winrun_free(sk_winrun *wr)
{
	sk_win_free(wr->w);
	sk_group_free(&wr->kinds);
	sk_rows_free(&wr->rows);
	free(wr->keys);
	sk_key_free(&wr->key);
	sk_agg_list_free(&wr->l);
}
