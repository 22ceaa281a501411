/* stream-map's --state file against damage: a small state (two keys, a
 * cell of every stateful function, one input) with every byte flipped
 * (xor 0xff, then its low bit) and cut at every length is refused with a
 * reason; then the same damage with the checksum made right again, so
 * the reader behind it (sections, inputs, the function cells) meets it:
 * refused with a reason or taken, and a program on a state taken runs
 * on, never a crash (run under check-san too). And a state read back
 * goes on as one run: the record after it maps as in a run over all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>
#include "sk_mapstate.h"
#include "damage.h"
#include "tap.h"

static sk_schema schema;
static sk_fref key;
static uint32_t sv, ss;
static const char *src =
	"n = rownum(); c = cumsum(v); p = prev(s); d = delta(v); e = ewma(v, 0.5)";
static const char *made = "m";
static const char *vals[][3] = { { "a", "3", "x" }, { "b", "7.5", "" },
				 { "a", "9", "yy" }, { "b", "-2", "z" } };

static sk_prog *new_prog(void)
{
	return sk_prog_compile(src, &schema, 0, &key, 1);
}

/* Runs record i of vals through p; its n, c, p, d, e as text in out. */
static void run(sk_prog *p, size_t i, sk_buf *out)
{
	sk_record rec;
	sk_rec_init(&rec);
	sk_rec_push(&rec, key.slot, vals[i][0], 1, SK_FK_TEXT);
	sk_rec_push(&rec, sv, vals[i][1], strlen(vals[i][1]), SK_FK_TEXT);
	sk_rec_push(&rec, ss, vals[i][2], strlen(vals[i][2]), SK_FK_TEXT);
	sk_prog_run(p, &rec);
	sk_buf_clear(out);
	for (size_t f = 0; f < rec.nf; f++)
		sk_buf_printf(out, "%.*s;", (int)rec.f[f].n, rec.f[f].p);
	sk_rec_free(&rec);
}

/* The state after the first three records, as sk_runstate writes it. */
static void make_state(sk_buf *data)
{
	sk_prog *p = new_prog();
	sk_buf o = { 0 };
	for (size_t i = 0; i < 3; i++)
		run(p, i, &o);
	sk_follow fw = { 0 };
	sk_buf_puts(&fw.fmt, "logfmt");
	char *files[] = { "/nonexistent/a.log" };
	sk_follow_plan(&fw, files, 1);
	fw.spans[0].opened = 1;
	fw.spans[0].end = 40;
	fw.spans[0].lines = 3;
	fw.spans[0].headlen = 40;
	sk_follow_done(&fw);
	sk_buf sec = { 0 };
	sk_state_begin(data, "stream-map", made);
	sk_follow_save(&fw, &sec);
	sk_state_section(data, SK_MAPSTATE_INPUTS, &sec);
	sk_buf_clear(&sec);
	sk_prog_state_save(p, &sec);
	sk_state_section(data, SK_MAPSTATE_CELLS, &sec);
	sk_state_u64(data, XXH64(data->p, data->len, 0));
	sk_buf_free(&sec);
	sk_buf_free(&o);
	sk_follow_free(&fw);
	sk_prog_free(p);
}

/* Reads [p, p+n): 1 taken (and the last record maps on it, into out),
 * -1 refused with a reason, 0 refused without one. */
static int try_read(const char *p, size_t n, sk_buf *out)
{
	sk_prog *prog = new_prog();
	sk_follow fw = { 0 };
	sk_buf err = { 0 };
	int r = sk_mapstate_read(p, n, made, prog, &fw, &err);
	if (r) {
		sk_buf back = { 0 };
		run(prog, 3, out);
		sk_prog_state_save(prog, &back);
		sk_follow_save(&fw, &back);
		sk_buf_free(&back);
	}
	int res = r ? 1 : err.len ? -1 : 0;
	sk_buf_free(&err);
	sk_follow_free(&fw);
	sk_prog_free(prog);
	return res;
}

static int try_out(const char *p, size_t n, void *out)
{
	return try_read(p, n, out);
}

int main(void)
{
	sk_err_init("mapstate");
	sk_schema_init(&schema);
	key.slot = sk_schema_intern(&schema, "k", 1);
	sv = sk_schema_intern(&schema, "v", 1);
	ss = sk_schema_intern(&schema, "s", 1);
	sk_buf data = { 0 }, got = { 0 }, want = { 0 };
	make_state(&data);
	size_t n = data.len;
	sk_prog *one = new_prog();
	for (size_t i = 0; i < 4; i++)
		run(one, i, &want);
	sk_prog_free(one);
	int whole = try_read(data.p, n, &got);
	ok(whole == 1 && strcmp(got.p, want.p) == 0,
	   "the state reads back and the next record maps as in one run: "
	   "%s (one run: %s)", got.p ? got.p : "", want.p);

	damage_counts c = damage_run(data.p, n, try_out, &got);
	ok(c.flip_refused == 2 * n, "every flipped byte refused with a reason "
	   "(%zu of %zu, %zu without one)", c.flip_refused, 2 * n, c.flip_silent);
	ok(c.cut_refused == n, "every truncation refused with a reason (%zu of %zu)",
	   c.cut_refused, n);
	ok(c.deep_silent == 0 && c.deep_refused > 0, "damage behind a good "
	   "checksum: refused with a reason or taken and run on (%zu refused, "
	   "%zu taken, %zu without a reason)", c.deep_refused, c.deep_taken,
	   c.deep_silent);
	ok(c.deep_cut_taken == 0, "every cut with a good checksum refused with "
	   "a reason (%zu not)", c.deep_cut_taken);
	sk_buf_free(&data);
	sk_buf_free(&got);
	sk_buf_free(&want);
	sk_schema_free(&schema);
	return tap_done();
}
