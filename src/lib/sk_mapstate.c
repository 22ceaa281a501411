/* sk_mapstate: stream-map's --state: the program's function cells as
 * the tool's section of an sk_runstate. */
#include "sk_mapstate.h"
#include "sk_state.h"

void sk_mapstate_made(sk_buf *made, const char *src, const sk_fref *keys,
		      size_t nkeys, const char *fields, const sk_tool *t)
{
	sk_buf_clear(made);
	if (src)
		sk_buf_printf(made, "-e '%s'", src);
	else
		sk_buf_puts(made, "no program");
	sk_buf_puts(made, "; -g ");
	sk_runstate_made_keys(made, t, keys, nkeys);
	if (fields && *fields)
		sk_buf_printf(made, "; %s", fields);
	sk_runstate_made_input(made, t);
}

/* No program: no cells, as a program with no stateful function writes
 * them. */
static void cells_save(void *ctx, sk_buf *out)
{
	if (ctx) {
		sk_prog_state_save(ctx, out);
		return;
	}
	sk_state_u32(out, 0);
	sk_state_u32(out, 0);
	sk_state_u64(out, 0);
}

static int cells_load(void *ctx, sk_cur *c, sk_buf *err)
{
	if (ctx)
		return sk_prog_state_load(ctx, c, err);
	uint32_t ns = sk_cur_u32(c), grouped = sk_cur_u32(c);
	uint64_t n = sk_cur_u64(c);
	if (c->bad || ns || grouped || n || c->p != c->end) {
		sk_buf_puts(err, "damaged: function states without a program");
		return 0;
	}
	return 1;
}

int sk_mapstate_read(const char *p, size_t n, const char *made, sk_prog *prog,
		     sk_follow *fw, sk_buf *err)
{
	return sk_runstate_read(p, n, "stream-map", made, SK_MAPSTATE_CELLS,
				cells_load, prog, fw, err);
}

void sk_mapstate_open(sk_mapstate *s, sk_prog *prog, sk_tool *t,
		      const char *src, const sk_fref *keys, size_t nkeys,
		      const char *fields)
{
	sk_mapstate_made(&s->made, src, keys, nkeys, fields, t);
	sk_runstate_open(s, t, "stream-map", SK_MAPSTATE_CELLS, cells_save,
			 cells_load, prog);
}
