/* sk_winstate: stream-window's --state, the container's sections in
 * order: inputs, windows (the engine), run (sk_winrun's). */
#include <string.h>
#include <time.h>
#include "sk_err.h"
#include "sk_time.h"
#include "sk_winstate.h"

int sk_winstate_opt(sk_winstate *s, int opt, const char *arg)
{
	switch (opt) {
	case SK_WSOPT_STATE:
		s->path = arg;
		break;
	case SK_WSOPT_ROTATED:
		sk_follow_glob(&s->fw, (char *)arg);
		break;
	case SK_WSOPT_CHECKPOINT:
		if (!sk_duration_parse(arg, strlen(arg), &s->checkpoint) ||
		    s->checkpoint <= 0)
			sk_usage_error("--checkpoint takes a duration (250ms, 5s), not '%s'",
				       arg);
		break;
	case SK_WSOPT_DRAIN:
		s->drain = 1;
		break;
	default:
		return 0;
	}
	return 1;
}

void sk_winstate_check(const sk_winstate *s, const sk_winrun *wr)
{
	if (!s->path) {
		const char *opt = s->fw.nglobs ? "--rotated" :
				  s->checkpoint ? "--checkpoint" :
				  s->drain ? "--drain" : NULL;
		if (opt)
			sk_usage_error("%s is for --state", opt);
		return;
	}
	if (wr->partial || wr->merge)
		sk_usage_error("--state and %s do not go together",
			       wr->partial ? "--partial" : "--merge");
	if (!wr->tfield)
		sk_usage_error("--state keeps event-time windows: give -t");
	if (wr->idle)
		sk_usage_error("--state and --idle do not go together: --idle is for live input, --state for files read again later");
}

void sk_winstate_made(sk_buf *made, const sk_winrun *wr)
{
	sk_buf rest = { 0 };
	sk_winrun_made(wr, made);
	sk_aggstate_made(&rest, &wr->l.aggs, wr->keys, wr->nkeys, wr->t, 0);
	sk_buf_put(made, rest.p, rest.len);
	sk_buf_free(&rest);
}

int sk_winstate_read(const char *p, size_t n, const char *made, sk_winrun *wr,
		     sk_follow *fw, sk_buf *err)
{
	static const uint32_t tags[] = { SK_WINSTATE_INPUTS, SK_WINSTATE_WINDOWS,
					 SK_WINSTATE_RUN };
	sk_cur sec[3];
	if (!sk_state_parse(p, n, "stream-window", made, tags, sec, 3, err) ||
	    !sk_follow_load(fw, &sec[0], err) ||
	    !sk_win_load(wr->w, &sec[1], err) ||
	    !sk_winrun_load(wr, &sec[2], err))
		return 0;
	if (sec[2].p != sec[2].end) {
		sk_buf_puts(err, "damaged: bytes after the run section");
		return 0;
	}
	return 1;
}

void sk_winstate_write(sk_buf *b, const char *made, const sk_buf *insec,
		       sk_winrun *wr)
{
	sk_buf sec = { 0 };
	sk_state_begin(b, "stream-window", made);
	sk_state_section(b, SK_WINSTATE_INPUTS, insec);
	sk_win_save(wr->w, &sec);
	sk_state_section(b, SK_WINSTATE_WINDOWS, &sec);
	sk_buf_clear(&sec);
	sk_winrun_save(wr, &sec);
	sk_state_section(b, SK_WINSTATE_RUN, &sec);
	sk_buf_free(&sec);
}

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void sk_winstate_open(sk_winstate *s, sk_winrun *wr)
{
	sk_tool *t = wr->t;
	sk_winstate_made(&s->made, wr);
	if (!t->nfiles)
		sk_usage_error("--state needs FILE operands: standard input "
			       "cannot be read from where the last run stopped");
	for (size_t i = 0; i < t->nfiles; i++)
		if (strcmp(t->files[i], "-") == 0)
			sk_usage_error("--state: standard input ('-') cannot be "
				       "read from where the last run stopped");
	sk_buf data = { 0 }, err = { 0 };
	int r = sk_state_load(s->path, &data, &err);
	if (r < 0 || (r > 0 && !sk_winstate_read(data.p, data.len, s->made.p,
						 wr, &s->fw, &err)))
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
	wr->hold_open = !s->drain;
	if (s->checkpoint)
		s->due = mono_ns() + s->checkpoint;
}

/* Writes the state: at the end of the input (live 0), or as it stands
 * after the last record returned (a checkpoint, a signal). The rows
 * written so far reach the output first: a state never has a window
 * fired whose row is not out. Returns 1, 0 after saying why, -1 if the
 * reader holds a line it has not returned (no state can be taken now). */
static int save(sk_winstate *s, sk_winrun *wr, int live)
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
	sk_tool_flush(wr->t);
	sk_winstate_write(&b, s->made.p, &sec, wr);
	int ok = sk_state_save(s->path, &b, &err);
	int ckpt = live && !sk_stop_flag;
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

void sk_winstate_checkpoint_now(sk_winstate *s, sk_winrun *wr)
{
	s->nrec = 0;
	int64_t now = mono_ns();
	if (!s->due)
		s->due = now + s->checkpoint;
	if (now < s->due || sk_stop_flag)
		return;
	/* the next one DUR after this one is written: a state slower to
	 * write than DUR still leaves the reading DUR between two */
	if (save(s, wr, 1) >= 0)
		s->due = mono_ns() + s->checkpoint;
}

int sk_winstate_end(sk_winstate *s, sk_winrun *wr)
{
	int r = save(s, wr, sk_stop_flag != 0);
	if (r < 0) {
		/* stopped where no state can be taken: the last one is kept,
		 * and the next run writes the rows of this one again */
		sk_warn("--state %s: stopped inside a header: the state is left as it was",
			s->path);
		r = 0;
	}
	int ok = r > 0 && !s->fw.lost;
	sk_follow_free(&s->fw);
	sk_buf_free(&s->made);
	return ok ? 0 : SK_EXIT_DATA;
}
