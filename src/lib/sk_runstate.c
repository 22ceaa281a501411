/* sk_runstate: --state FILE's load, checkpoint and save, for any tool. */
#include <string.h>
#include <time.h>
#include "sk_err.h"
#include "sk_runstate.h"

void sk_runstate_made_keys(sk_buf *made, const sk_tool *t, const sk_fref *keys,
			   size_t nkeys)
{
	for (size_t i = 0; i < nkeys; i++) {
		sk_str k = sk_schema_name(&t->schema, keys[i].slot);
		if (keys[i].pos)
			sk_buf_printf(made, "%s$%u", i ? "," : "", keys[i].pos);
		else
			sk_buf_printf(made, "%s${%.*s}", i ? "," : "", (int)k.n, k.p);
	}
}

void sk_runstate_made_input(sk_buf *made, const sk_tool *t)
{
	sk_buf_printf(made, "; -i %s", t->ifmt ? t->ifmt : "auto");
	if (t->fo.delim != ',')
		sk_buf_printf(made, " -d '%c'", t->fo.delim);
	if (t->fo.no_header)
		sk_buf_puts(made, " -N");
}

int sk_runstate_read(const char *p, size_t n, const char *tool, const char *made,
		     uint32_t tag, sk_runstate_load_fn load, void *ctx,
		     sk_follow *fw, sk_buf *err)
{
	const uint32_t tags[] = { SK_RUNSTATE_INPUTS, tag };
	sk_cur sec[2];
	return sk_state_parse(p, n, tool, made, tags, sec, 2, err) &&
	       sk_follow_load(fw, &sec[0], err) &&
	       load(ctx, &sec[1], err);
}

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void sk_runstate_open(sk_runstate *s, sk_tool *t, const char *tool,
		      uint32_t tag, sk_runstate_save_fn save,
		      sk_runstate_load_fn load, void *ctx)
{
	s->tool = tool;
	s->tag = tag;
	s->save = save;
	s->load = load;
	s->ctx = ctx;
	s->t = t;
	if (!t->nfiles)
		sk_usage_error("--state needs FILE operands: standard input "
			       "cannot be read from where the last run stopped");
	for (size_t i = 0; i < t->nfiles; i++)
		if (strcmp(t->files[i], "-") == 0)
			sk_usage_error("--state: standard input ('-') cannot be "
				       "read from where the last run stopped");
	sk_buf data = { 0 }, err = { 0 };
	int r = sk_state_load(s->path, &data, &err);
	if (r < 0 || (r > 0 && !sk_runstate_read(data.p, data.len, tool,
						 s->made.p, tag, load, ctx,
						 &s->fw, &err)))
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
static int save(sk_runstate *s, int live)
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
	/* what the state counts as done is out first: a run killed after
	 * the save has lost no output */
	sk_tool_flush(s->t);
	sk_state_begin(&b, s->tool, s->made.p);
	sk_state_section(&b, SK_RUNSTATE_INPUTS, &sec);
	sk_buf_clear(&sec);
	s->save(s->ctx, &sec);
	sk_state_section(&b, s->tag, &sec);
	int ok = sk_state_save(s->path, &b, &err);
	int ckpt = live && !sk_stop_flag; /* else the save after a signal */
	if (!ok && (!ckpt || !s->ckpt_failed))
		sk_warn("--state %s: %s%s", s->path, ckpt ? "checkpoint: " : "",
			err.p);
	if (!ok && ckpt)
		s->ckpt_failed = 1;
	sk_buf_free(&b);
	sk_buf_free(&sec);
	sk_buf_free(&err);
	return ok;
}

void sk_runstate_checkpoint_now(sk_runstate *s)
{
	s->nrec = 0;
	int64_t now = mono_ns();
	if (!s->due)
		s->due = now + s->checkpoint;
	if (now < s->due || sk_stop_flag)
		return;
	/* the next one DUR after this one is written: a state slower to
	 * write than DUR still leaves the reading DUR between two */
	if (save(s, 1) >= 0)
		s->due = mono_ns() + s->checkpoint;
}

int sk_runstate_end(sk_runstate *s)
{
	int ok;
	if (!sk_stop_flag) {
		ok = save(s, 0) > 0;
	} else if (!s->save_on_stop) {
		ok = 1;
	} else if ((ok = save(s, 1)) < 0) {
		/* the next run writes this one's rows again */
		sk_warn("--state %s: stopped inside a header: the state is left as it was",
			s->path);
		ok = 0;
	}
	ok = ok && !s->fw.lost;
	sk_follow_free(&s->fw);
	sk_buf_free(&s->made);
	return ok ? 0 : SK_EXIT_DATA;
}
