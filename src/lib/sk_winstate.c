/* sk_winstate: stream-window's --state over sk_runstate. */
#include <string.h>
#include "sk_aggstate.h"
#include "sk_err.h"
#include "sk_time.h"
#include "sk_winstate.h"

int sk_winstate_opt(sk_winstate *s, int opt, const char *arg)
{
	switch (opt) {
	case SK_WSOPT_STATE:
		s->rs.path = arg;
		break;
	case SK_WSOPT_ROTATED:
		sk_follow_glob(&s->rs.fw, (char *)arg);
		break;
	case SK_WSOPT_CHECKPOINT:
		if (!sk_duration_parse(arg, strlen(arg), &s->rs.checkpoint) ||
		    s->rs.checkpoint <= 0)
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
	if (!s->rs.path) {
		const char *opt = s->rs.fw.nglobs ? "--rotated" :
				  s->rs.checkpoint ? "--checkpoint" :
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

/* The section: the engine, then the run's own. */
static void save_section(void *ctx, sk_buf *out)
{
	sk_winrun *wr = ctx;
	sk_win_save(wr->w, out);
	sk_winrun_save(wr, out);
}

static int load_section(void *ctx, sk_cur *c, sk_buf *err)
{
	sk_winrun *wr = ctx;
	if (!sk_win_load(wr->w, c, err) || !sk_winrun_load(wr, c, err))
		return 0;
	if (c->p != c->end) {
		sk_buf_puts(err, "damaged: bytes after the run section");
		return 0;
	}
	return 1;
}

int sk_winstate_read(const char *p, size_t n, const char *made, sk_winrun *wr,
		     sk_follow *fw, sk_buf *err)
{
	return sk_runstate_read(p, n, "stream-window", made, SK_WINSTATE_WINDOWS,
				load_section, wr, fw, err);
}

void sk_winstate_write(sk_buf *b, const char *made, const sk_buf *insec,
		       sk_winrun *wr)
{
	sk_buf sec = { 0 };
	sk_state_begin(b, "stream-window", made);
	sk_state_section(b, SK_RUNSTATE_INPUTS, insec);
	save_section(wr, &sec);
	sk_state_section(b, SK_WINSTATE_WINDOWS, &sec);
	sk_buf_free(&sec);
}

void sk_winstate_open(sk_winstate *s, sk_winrun *wr)
{
	sk_winstate_made(&s->rs.made, wr);
	s->rs.save_on_stop = 1;
	sk_runstate_open(&s->rs, wr->t, "stream-window", SK_WINSTATE_WINDOWS,
			 save_section, load_section, wr);
	wr->hold_open = !s->drain;
}
