/* sk_aggstate: stream-agg's --state: the group table as the tool's
 * section of an sk_runstate. */
#include "sk_aggstate.h"

void sk_aggstate_made(sk_buf *made, const sk_aggs *aggs, const sk_fref *keys,
		      size_t nkeys, const sk_tool *t, int merge)
{
	sk_buf_clear(made);
	for (size_t i = 0; i < aggs->n; i++)
		sk_buf_printf(made, "%s%s as %s", i ? ", " : "",
			      aggs->a[i].call ? aggs->a[i].call : aggs->a[i].def->name,
			      aggs->a[i].name);
	sk_buf_puts(made, "; -g ");
	sk_runstate_made_keys(made, t, keys, nkeys);
	sk_runstate_made_input(made, t);
	if (merge)
		sk_buf_puts(made, " --merge");
}

static void groups_save(void *ctx, sk_buf *out)
{
	sk_group_save(ctx, out);
}

static int groups_load(void *ctx, sk_cur *c, sk_buf *err)
{
	return sk_group_load(ctx, c, err);
}

int sk_aggstate_read(const char *p, size_t n, const char *made, sk_group *g,
		     sk_follow *fw, sk_buf *err)
{
	return sk_runstate_read(p, n, "stream-agg", made, SK_AGGSTATE_GROUPS,
				groups_load, g, fw, err);
}

void sk_aggstate_open(sk_aggstate *s, sk_group *g, sk_tool *t,
		      const sk_aggs *aggs, const sk_fref *keys, size_t nkeys,
		      int merge)
{
	sk_aggstate_made(&s->made, aggs, keys, nkeys, t, merge);
	sk_runstate_open(s, t, "stream-agg", SK_AGGSTATE_GROUPS, groups_save,
			 groups_load, g);
}
