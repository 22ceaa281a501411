/* sk_winrun: stream-window over the window engine (see sk_winrun.h). */
#include <stdlib.h>
#include <string.h>
#include "sk_err.h"
#include "sk_state.h"
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
	case SK_WOPT_PARTIAL:
		wr->partial = 1;
		break;
	case SK_WOPT_MERGE:
		wr->merge = 1;
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
/* Whether a window option has a fraction of a second (the offset
 * aside). */
static int sub_second(const sk_win_conf *c)
{
	return c->size % SK_NS_PER_SEC || c->slide % SK_NS_PER_SEC ||
	       c->gap % SK_NS_PER_SEC;
}

static void need_whole_seconds(const sk_winrun *wr, const char *form)
{
	const sk_win_conf *c = &wr->c;
	const char *opt = c->type == SK_WIN_TUMBLING ? "--tumbling" :
			  c->type == SK_WIN_SLIDING ? "--sliding" : "--session";
	if (c->type == SK_WIN_COUNT)
		return;
	if (sub_second(c))
		sk_usage_error("%s: %s have no fraction of a second to write sub-second windows in: use --time-out epoch, epoch_ms or iso",
			       opt, form);
	if (c->offset % SK_NS_PER_SEC)
		sk_usage_error("--offset: %s have no fraction of a second to write sub-second windows in: use --time-out epoch, epoch_ms or iso",
			       form);
}

/* --partial and --merge: what one run over the whole input would write
 * must come out of the parts, and the parts hold every window to the end. */
static void check_parts(const sk_winrun *wr)
{
	const sk_win_conf *c = &wr->c;
	const char *opt = wr->partial ? "--partial" : "--merge";
	if (wr->partial && wr->merge)
		sk_usage_error("--partial and --merge do not go together");
	if (c->type == SK_WIN_COUNT)
		sk_usage_error("%s: --count windows depend on the order of every record of a key: a split input puts other records together",
			       opt);
	if (!wr->tfield)
		sk_usage_error("%s needs event time (-t FIELD): processing time is the clock of each run",
			       opt);
	if (c->emit == SK_WIN_EMIT_UPDATE)
		sk_usage_error("%s: --emit update writes each change as it comes: the parts' changes are not one run's",
			       opt);
	for (int i = SK_WGIVEN_MAX_DELAY; i <= SK_WGIVEN_IDLE; i++)
		if (wr->given[i])
			sk_usage_error("%s and %s: windows fire at the end of --merge only: nothing is late",
				       wr->given[i], opt);
	if (wr->partial && (wr->sortarg || wr->top))
		sk_usage_error("%s: --partial writes every window's state: give it to --merge",
			       wr->sortarg ? "--sort" : "--top");
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
	if (wr->partial || wr->merge)
		check_parts(wr);
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

/* The names of the input's time forms (enum sk_time_kind) in the window
 * column, so that --merge writes window times as one run would. */
static const char *const time_forms[] = {
	[SK_TK_NONE] = "none", [SK_TK_EPOCH_S] = "epoch", [SK_TK_EPOCH_MS] = "epoch_ms",
	[SK_TK_EPOCH_US] = "epoch_us", [SK_TK_EPOCH_NS] = "epoch_ns",
	[SK_TK_ISO] = "iso", [SK_TK_CLF] = "clf", [SK_TK_SYSLOG] = "syslog",
	[SK_TK_CTIME] = "ctime",
};
enum { NTIME_FORMS = sizeof time_forms / sizeof *time_forms };

/* The window options in one canonical form, durations in ns and the
 * offset within [0, slide): win_head is the kind and its sizes, win_tail
 * " time=FIELD". --partial writes them with " in=FORM" between. */
static void win_canon(sk_winrun *wr)
{
	const sk_win_conf *c = &wr->c;
	char b[160];
	int64_t off = 0;
	if (c->type != SK_WIN_SESSION) {
		off = c->offset % c->slide;
		if (off < 0)
			off += c->slide;
	}
	if (c->type == SK_WIN_TUMBLING)
		snprintf(b, sizeof b, "tumbling size=%lld offset=%lld",
			 (long long)c->size, (long long)off);
	else if (c->type == SK_WIN_SLIDING)
		snprintf(b, sizeof b, "sliding size=%lld slide=%lld offset=%lld",
			 (long long)c->size, (long long)c->slide, (long long)off);
	else
		snprintf(b, sizeof b, "session gap=%lld", (long long)c->gap);
	sk_buf_puts(&wr->win_head, b);
	sk_buf_puts(&wr->win_tail, " time=");
	sk_buf_puts(&wr->win_tail, wr->tfield);
}

/* --partial: the window column of every row, made once (after the first
 * record has told the input's time form). */
static sk_str win_column(sk_winrun *wr)
{
	sk_buf *w = &wr->win_text;
	if (!w->len) {
		sk_buf_put(w, wr->win_head.p, wr->win_head.len);
		sk_buf_puts(w, " in=");
		sk_buf_puts(w, time_forms[wr->tkind < NTIME_FORMS ? wr->tkind : 0]);
		sk_buf_put(w, wr->win_tail.p, wr->win_tail.len);
	}
	return (sk_str){ w->p, w->len };
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
		/* the window's times, written once for all its rows
		 * (--partial: ns, exact) */
		if (wr->partial) {
			wr->row_an = (size_t)snprintf(wr->row_a, sizeof wr->row_a,
						      "%lld", (long long)start);
			wr->row_bn = (size_t)snprintf(wr->row_b, sizeof wr->row_b,
						      "%lld", (long long)end);
		} else {
			wr->row_an = fmt_time(wr, wr->row_a, sizeof wr->row_a, start);
			wr->row_bn = fmt_time(wr, wr->row_b, sizeof wr->row_b, end);
		}
		wr->row_times = 1;
	}
	sk_str lead[3] = { { wr->row_a, wr->row_an }, { wr->row_b, wr->row_bn } };
	if (wr->partial)
		lead[2] = win_column(wr);
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
	static const char *const lead[] = { "window_start", "window_end", "window" };
	size_t nlead = wr->partial ? 3 : 2;
	sk_rows_init(&wr->rows, &t->schema, lead, nlead, wr->keys, wr->nkeys,
		     &wr->l.aggs, &t->wr,
		     SK_ROWS_WINDOW | (wr->partial ? SK_ROWS_PARTIAL : 0));
	sk_agg_list_unique(&wr->l, src, &t->schema, wr->rows.slot,
			   nlead + wr->nkeys, "-g");
	if (wr->partial || wr->merge) {
		for (size_t i = 0; i < 3; i++)
			wr->mslot[i] = sk_schema_intern(&t->schema, lead[i],
							strlen(lead[i]));
		for (size_t i = 0; i < wr->nkeys; i++)
			for (size_t j = 0; j < 3; j++)
				if (wr->keys[i].slot == wr->mslot[j])
					sk_usage_error("-g %s: the rows --merge reads have their own %s column",
						       lead[j], lead[j]);
		win_canon(wr);
		wr->c.hold = wr->partial;
		sk_group_init(&wr->mg, &wr->l.aggs, NULL, 0);
	}
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

/* A window time of a partial row: a decimal integer of ns. */
static int parse_ns(const sk_field *f, int64_t *out)
{
	const char *p = f->p, *e = f->p + f->n;
	int neg = p < e && *p == '-';
	p += neg;
	if (p == e || e - p > 19)
		return 0;
	uint64_t v = 0;
	for (; p < e; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v > (uint64_t)INT64_MAX + neg)
		return 0;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 1;
}

/* The input's time form in the window column w of a partial row: its
 * enum sk_time_kind, or -1 when w is not the column of these options. */
static int win_form(const sk_winrun *wr, const sk_field *w)
{
	const sk_buf *h = &wr->win_head, *t = &wr->win_tail;
	static const char in[] = " in=";
	size_t pre = h->len + sizeof in - 1;
	if (w->n < pre + t->len || memcmp(w->p, h->p, h->len) ||
	    memcmp(w->p + h->len, in, sizeof in - 1) ||
	    memcmp(w->p + w->n - t->len, t->p, t->len))
		return -1;
	size_t fn = w->n - pre - t->len;
	const sk_win_conf *c = &wr->c;
	for (int k = 0; k < NTIME_FORMS; k++)
		if (sk_str_eq((sk_str){ w->p + pre, fn }, time_forms[k],
			      strlen(time_forms[k])))
			/* a run on CLF times refuses sub-second windows */
			return k == SK_TK_CLF && !wr->tout &&
			       (sub_second(c) || c->offset % SK_NS_PER_SEC) ?
			       -1 : k;
	return -1;
}

/* Whether [start, end) is a window these options make. */
static int win_valid(const sk_winrun *wr, int64_t start, int64_t end)
{
	const sk_win_conf *c = &wr->c;
	int64_t len;
	if (end <= start || __builtin_sub_overflow(end, start, &len))
		return 0;
	if (c->type == SK_WIN_SESSION)
		return len >= c->gap;
	return len == c->size && sk_time_mod(start, c->slide, c->offset) == 0;
}

/* Frees the states of aggregates [0, n) read into the scratch block. */
static void scratch_free(sk_winrun *wr, size_t n)
{
	for (size_t j = 0; j < n; j++)
		sk_agg_free(&wr->l.aggs.a[j], (char *)wr->scratch + wr->l.aggs.a[j].off);
}

void sk_winrun_merge_record(sk_winrun *wr, sk_record *r)
{
	sk_tool *t = wr->t;
	const sk_aggs *L = &wr->l.aggs;
	const sk_field *fs = sk_rec_get(r, wr->mslot[0]);
	/* the header of a second partial file catenated to the first */
	if (fs && sk_str_eq((sk_str){ fs->p, fs->n }, "window_start", 12))
		return;
	sk_rec_finish(r);
	size_t ncol = 3 + wr->nkeys + L->n;
	if (r->nf != ncol) {
		sk_tool_bad(t, r, SK_BAD_PARTIAL, "%zu column%s, not %zu: "
			    "not --partial output of these keys and aggregates",
			    r->nf, r->nf == 1 ? "" : "s", ncol);
		return;
	}
	const sk_field *fe = sk_rec_get(r, wr->mslot[1]);
	const sk_field *fw = sk_rec_get(r, wr->mslot[2]);
	int64_t start, end;
	if (!fs || !fe || !fw) {
		sk_tool_bad(t, r, SK_BAD_PARTIAL, "no column '%s': "
			    "not stream-window --partial output",
			    !fs ? "window_start" : !fe ? "window_end" : "window");
		return;
	}
	if (!parse_ns(fs, &start) || !parse_ns(fe, &end)) {
		const sk_field *f = parse_ns(fs, &start) ? fe : fs;
		sk_tool_bad(t, r, SK_BAD_PARTIAL, "%s: not a time in ns: \"%.*s\"",
			    f == fs ? "window_start" : "window_end", (int)f->n, f->p);
		return;
	}
	int form = win_form(wr, fw);
	if (form < 0) {
		sk_tool_bad(t, r, SK_BAD_PARTIAL, "window \"%.*s\": not --partial output of these window options (\"%.*s in=...%.*s\")",
			    (int)fw->n, fw->p, (int)wr->win_head.len, wr->win_head.p,
			    (int)wr->win_tail.len, wr->win_tail.p);
		return;
	}
	if (!win_valid(wr, start, end)) {
		sk_tool_bad(t, r, SK_BAD_PARTIAL, "window %lld to %lld: not a window of %.*s",
			    (long long)start, (long long)end,
			    (int)wr->win_head.len, wr->win_head.p);
		return;
	}
	for (size_t i = 0; i < wr->nkeys; i++) {
		sk_field f;
		if (!sk_rec_ref(r, &wr->keys[i], &f)) {
			sk_str kn = sk_schema_name(&t->schema, wr->keys[i].slot);
			sk_tool_bad(t, r, SK_BAD_PARTIAL, "no key column '%.*s': "
				    "not --partial output of these keys", (int)kn.n, kn.p);
			return;
		}
	}
	/* every state read before any is merged: a bad row merges nothing */
	if (!wr->scratch)
		wr->scratch = sk_xcalloc(1, L->size ? L->size : 16);
	const uint32_t *aggslot = wr->rows.slot + wr->rows.nlead + wr->nkeys;
	for (size_t i = 0; i < L->n; i++) {
		const sk_agg *a = &L->a[i];
		const sk_field *f = sk_rec_get(r, aggslot[i]);
		void *st = (char *)wr->scratch + a->off;
		sk_buf_clear(&wr->err);
		if (!f) {
			scratch_free(wr, i);
			sk_tool_bad(t, r, SK_BAD_PARTIAL, "no column '%s' "
				    "(not --partial output of these aggregates?)", a->name);
			return;
		}
		sk_agg_init(a, st);
		if (!sk_agg_state_read(a, st, f->p, f->n, &wr->err)) {
			scratch_free(wr, i + 1);
			sk_tool_bad(t, r, SK_BAD_PARTIAL, "%s: %s", a->name, wr->err.p);
			return;
		}
	}
	if (!wr->tkind)
		wr->tkind = form;
	int matters = key_kind_matters(wr, r);
	sk_key_make(&wr->key, r, wr->keys, wr->nkeys);
	if (matters)
		(void)sk_group_get(&wr->kinds, &wr->key, r);
	/* the window's key: its start and end, then the key's bytes */
	sk_buf *wk = &wr->win_text;
	sk_buf_clear(wk);
	sk_buf_put(wk, &start, sizeof start);
	sk_buf_put(wk, &end, sizeof end);
	sk_buf_put(wk, wr->key.p, wr->key.n);
	sk_key k = { .p = wk->p, .n = wk->len };
	void *dst = sk_group_get(&wr->mg, &k, r);
	for (size_t i = 0; i < L->n; i++) {
		const sk_agg *a = &L->a[i];
		void *st = (char *)wr->scratch + a->off;
		sk_agg_merge(a, (char *)dst + a->off, st);
		sk_agg_free(a, st);
	}
}

/* A window read by --merge: its bounds, its key, its states; seq: the
 * order it was first read in. */
typedef struct mwin {
	int64_t start, end;
	const char *key;
	size_t keylen;
	void *blk;
	size_t seq;
	int dead;               /* merged into an earlier session */
} mwin;

static int mkey_cmp(const mwin *a, const mwin *b)
{
	size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
	int c = n ? memcmp(a->key, b->key, n) : 0;
	return c ? c : (a->keylen > b->keylen) - (a->keylen < b->keylen);
}

/* Sessions: by key, then start, then the order read. */
static int mwin_sess_cmp(const void *pa, const void *pb)
{
	const mwin *a = pa, *b = pb;
	int c = mkey_cmp(a, b);
	if (c)
		return c;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* The order read. */
static int mwin_seq_cmp(const void *pa, const void *pb)
{
	const mwin *a = pa, *b = pb;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* One run's order at the end of input: end, start, key. */
static int mwin_out_cmp(const void *pa, const void *pb)
{
	const mwin *a = pa, *b = pb;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return mkey_cmp(a, b);
}

/* --merge at the end: the sessions of a key that overlap or touch become
 * one (merged in the order read, so first and last keep the earlier
 * part's), then every window's rows as one run's end of input writes
 * them, with share's totals over the keys of each window. */
static void merge_finish(sk_winrun *wr)
{
	const sk_aggs *L = &wr->l.aggs;
	size_t n = sk_group_count(&wr->mg), m = 0;
	mwin *v = sk_xcalloc(n ? n : 1, sizeof *v);
	sk_hash_iter it;
	sk_hash_ent *e;
	for (sk_hash_iter_init(&wr->mg.h, &it); (e = sk_hash_next(&wr->mg.h, &it)); m++) {
		mwin *x = &v[m];
		memcpy(&x->start, e->key, sizeof x->start);
		memcpy(&x->end, e->key + sizeof x->start, sizeof x->end);
		x->key = e->key + 2 * sizeof(int64_t);
		x->keylen = e->n - 2 * sizeof(int64_t);
		x->blk = sk_hash_val(&wr->mg.h, e);
		x->seq = m;
	}
	if (wr->c.type == SK_WIN_SESSION && m > 1) {
		qsort(v, m, sizeof *v, mwin_sess_cmp);
		for (size_t a = 0, b; a < m; a = b) {
			/* [a, b): sessions of one key, each overlapping or
			 * touching what comes before it */
			int64_t end = v[a].end;
			for (b = a + 1; b < m && !mkey_cmp(&v[b], &v[a]) &&
			     v[b].start <= end; b++)
				if (v[b].end > end)
					end = v[b].end;
			if (b - a == 1)
				continue;
			/* merged in the order read, the parts' order, which
			 * is the order of arrival for first and last */
			int64_t start = v[a].start;
			qsort(v + a, b - a, sizeof *v, mwin_seq_cmp);
			for (size_t i = a + 1; i < b; i++) {
				sk_aggs_merge_block(L, v[a].blk, v[i].blk);
				v[i].dead = 1;
			}
			v[a].start = start;
			v[a].end = end;
		}
		size_t live = 0;
		for (size_t i = 0; i < m; i++)
			if (!v[i].dead)
				v[live++] = v[i];
		m = live;
	}
	qsort(v, m, sizeof *v, mwin_out_cmp);
	double *totals = sk_xcalloc(L->n ? L->n : 1, sizeof *totals);
	for (size_t i = 0; i < m;) {
		size_t j = i;
		while (j < m && v[j].start == v[i].start && v[j].end == v[i].end)
			j++;
		memset(totals, 0, (L->n ? L->n : 1) * sizeof *totals);
		for (size_t a = 0; a < L->n; a++)
			if (L->a[a].needs_total)
				for (size_t x = i; x < j; x++)
					totals[a] += sk_agg_share_part(&L->a[a],
						(const char *)v[x].blk + L->a[a].off);
		for (; i < j; i++)
			emit(wr, v[i].start, v[i].end, v[i].key, v[i].keylen,
			     v[i].blk, totals);
	}
	free(totals);
	free(v);
}

void sk_winrun_finish(sk_winrun *wr)
{
	if (wr->merge)
		merge_finish(wr);
	else if (!wr->hold_open)
		sk_win_drain(wr->w);
	sk_rows_flush(&wr->rows);
	/* no window: still the columns of a header-only input (--state
	 * without --drain: not that of a run that closed no window) */
	if (!wr->hold_open && sk_tool_header_record(wr->t, &wr->t->rec))
		sk_rows_write_header(&wr->rows);
}

void sk_winrun_free(sk_winrun *wr)
{
	sk_win_free(wr->w);
	sk_group_free(&wr->kinds);
	sk_group_free(&wr->mg);
	free(wr->scratch);
	sk_buf_free(&wr->err);
	sk_buf_free(&wr->win_head);
	sk_buf_free(&wr->win_tail);
	sk_buf_free(&wr->win_text);
	sk_rows_free(&wr->rows);
	free(wr->keys);
	sk_key_free(&wr->key);
	sk_agg_list_free(&wr->l);
}

void sk_winrun_made(const sk_winrun *wr, sk_buf *made)
{
	const sk_win_conf *c = &wr->c;
	static const char *const late[] = { "reject", "drop" };
	static const char *const emits[] = { "close", "update" };
	int64_t off = 0;
	if (c->type == SK_WIN_TUMBLING || c->type == SK_WIN_SLIDING) {
		off = c->offset % c->slide;
		if (off < 0)
			off += c->slide;
	}
	sk_buf_clear(made);
	if (c->type == SK_WIN_TUMBLING)
		sk_buf_printf(made, "tumbling size=%lld offset=%lld",
			      (long long)c->size, (long long)off);
	else if (c->type == SK_WIN_SLIDING)
		sk_buf_printf(made, "sliding size=%lld slide=%lld offset=%lld",
			      (long long)c->size, (long long)c->slide, (long long)off);
	else if (c->type == SK_WIN_SESSION)
		sk_buf_printf(made, "session gap=%lld", (long long)c->gap);
	else
		sk_buf_printf(made, "count n=%llu slide=%llu",
			      (unsigned long long)c->count,
			      (unsigned long long)c->cslide);
	sk_buf_printf(made, " max-delay=%lld update-late=%lld late=%s emit=%s",
		      (long long)c->max_delay, (long long)c->update_late,
		      late[wr->drop_late != 0], emits[c->emit != 0]);
	sk_buf_printf(made, " time=%s", wr->tfield ? wr->tfield : "");
	if (wr->tfmt)
		sk_buf_printf(made, " time-format=%s", wr->tfmt);
	sk_buf_puts(made, "; ");
}

void sk_winrun_save(sk_winrun *wr, sk_buf *out)
{
	sk_state_u32(out, (uint32_t)wr->tkind);
	sk_state_u64(out, wr->l.seq);
	sk_group_save(&wr->kinds, out);
}

int sk_winrun_load(sk_winrun *wr, sk_cur *c, sk_buf *err)
{
	uint32_t kind = sk_cur_u32(c);
	uint64_t seq = sk_cur_u64(c);
	if (c->bad) {
		sk_buf_puts(err, "damaged: the run section runs past the end");
		return 0;
	}
	/* a form the first time could have had: not CLF where a run on CLF
	 * times refuses these windows */
	if (kind >= NTIME_FORMS || (wr->tfmt && kind) ||
	    (kind == SK_TK_CLF && !wr->tout && wr->c.type != SK_WIN_COUNT &&
	     (sub_second(&wr->c) || wr->c.offset % SK_NS_PER_SEC))) {
		sk_buf_puts(err, "damaged: bad time form");
		return 0;
	}
	wr->tkind = (int)kind;
	wr->l.seq = seq;
	return sk_group_load(&wr->kinds, c, err);
}
