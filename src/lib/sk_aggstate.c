/* sk_aggstate: stream-agg's --state, the container's sections in order. */
#include <string.h>
#include <time.h>
#include "sk_aggstate.h"
#include "sk_err.h"

void sk_aggstate_made(sk_buf *made, const sk_aggs *aggs, const sk_fref *keys,
		      size_t nkeys, const sk_tool *t, int merge)
{
	sk_buf_clear(made);
	for (size_t i = 0; i < aggs->n; i++)
		sk_buf_printf(made, "%s%s as %s", i ? ", " : "",
			      aggs->a[i].call ? aggs->a[i].call : aggs->a[i].def->name,
			      aggs->a[i].name);
	sk_buf_puts(made, "; -g ");
	for (size_t i = 0; i < nkeys; i++) {
		sk_str k = sk_schema_name(&t->schema, keys[i].slot);
		if (keys[i].pos)
			sk_buf_printf(made, "%s$%u", i ? "," : "", keys[i].pos);
		else
			sk_buf_printf(made, "%s${%.*s}", i ? "," : "", (int)k.n, k.p);
	}
	sk_buf_printf(made, "; -i %s", t->ifmt ? t->ifmt : "auto");
	if (t->fo.delim != ',')
		sk_buf_printf(made, " -d '%c'", t->fo.delim);
	if (t->fo.no_header)
		sk_buf_puts(made, " -N");
	if (merge)
		sk_buf_puts(made, " --merge");
}

int sk_aggstate_read(const char *p, size_t n, const char *made, sk_group *g,
		     sk_follow *fw, sk_buf *err)
{
	static const uint32_t tags[] = { SK_AGGSTATE_INPUTS, SK_AGGSTATE_GROUPS };
	sk_cur sec[2];
	return sk_state_parse(p, n, "stream-agg", made, tags, sec, 2, err) &&
	       sk_follow_load(fw, &sec[0], err) &&
	       sk_group_load(g, &sec[1], err);
}

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void sk_aggstate_open(sk_aggstate *s, sk_group *g, sk_tool *t,
		      const sk_aggs *aggs, const sk_fref *keys, size_t nkeys,
		      int merge)
{
	sk_aggstate_made(&s->made, aggs, keys, nkeys, t, merge);
	if (!t->nfiles)
		sk_usage_error("--state needs FILE operands: standard input "
			       "cannot be read from where the last run stopped");
	for (size_t i = 0; i < t->nfiles; i++)
		if (strcmp(t->files[i], "-") == 0)
			sk_usage_error("--state: standard input ('-') cannot be "
				       "read from where the last run stopped");
	sk_buf data = { 0 }, err = { 0 };
	int r = sk_state_load(s->path, &data, &err);
	if (r < 0 || (r > 0 && !sk_aggstate_read(data.p, data.len, s->made.p,
						 g, &s->fw, &err)))
		sk_diex(SK_EXIT_USAGE, "--state %s: %s; not used (it is left "
			"as it is)", s->path, err.p);
	sk_buf_free(&data);
	sk_buf_free(&err);
	/* -i auto: the format found at the files' start, for what follows */
	if (!t->rd.fmt && s->fw.fmt.len) {
		t->rd.fmt = sk_format_find(s->fw.fmt.p);
		t->rd.autodetect = 0;
	}
	sk_follow_plan(&s->fw, t->files, t->nfiles);
	t->rd.files = s->fw.files;
	t->rd.nfiles = s->fw.nfiles;
	t->rd.spans = s->fw.spans;
	s->rd = &t->rd;
	if (s->checkpoint)
		s->due = mono_ns() + s->checkpoint;
}

/* Writes the state: at the end (live 0), or as it stands between two
 * records (a checkpoint). Returns 1, 0 after saying why, -1 if a
 * checkpoint cannot be taken at this record. */
static int save(sk_aggstate *s, sk_group *g, int live)
{
	sk_buf b = { 0 }, sec = { 0 }, err = { 0 };
	const char *fmt = sk_format_name(s->rd->fmt);
	sk_buf_clear(&s->fw.fmt);
	if (fmt)
		sk_buf_puts(&s->fw.fmt, fmt);
	if (live) {
		if (!sk_follow_save_now(&s->fw, s->rd, &sec)) {
			sk_buf_free(&sec);
			return -1;
		}
	} else {
		sk_follow_done(&s->fw);
		sk_follow_save(&s->fw, &sec);
	}
	sk_state_begin(&b, "stream-agg", s->made.p);
	sk_state_section(&b, SK_AGGSTATE_INPUTS, &sec);
	sk_buf_clear(&sec);
	sk_group_save(g, &sec);
	sk_state_section(&b, SK_AGGSTATE_GROUPS, &sec);
	int ok = sk_state_save(s->path, &b, &err);
	if (!ok && (!live || !s->ckpt_failed))
		sk_warn("--state %s: %s%s", s->path, live ? "checkpoint: " : "",
			err.p);
	if (!ok && live)
		s->ckpt_failed = 1;
	sk_buf_free(&b);
	sk_buf_free(&sec);
	sk_buf_free(&err);
	return ok;
}

void sk_aggstate_checkpoint_now(sk_aggstate *s, sk_group *g)
{
	s->nrec = 0;
	int64_t now = mono_ns();
	if (!s->due)
		s->due = now + s->checkpoint;
	if (now < s->due || sk_stop_flag)
		return;
	/* the next one DUR after this one is written: a state slower to
	 * write than DUR still leaves the reading DUR between two */
	if (save(s, g, 1) >= 0)
		s->due = mono_ns() + s->checkpoint;
}

int sk_aggstate_end(sk_aggstate *s, sk_group *g)
{
	int ok = sk_stop_flag || save(s, g, 0) > 0;
	ok = ok && !s->fw.lost;
	sk_follow_free(&s->fw);
	sk_buf_free(&s->made);
	return ok ? 0 : SK_EXIT_DATA;
}
