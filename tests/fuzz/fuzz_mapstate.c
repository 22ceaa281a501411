/* fuzz_mapstate: the reader of stream-map's --state file (sk_state's
 * container, the inputs section of sk_follow, the function cells of
 * sk_prog). A program on what it accepts maps the next record without a
 * fault, and the state it then writes reads again and writes back the
 * same bytes.
 *
 * Input: an option byte (bit 0: the checksum is taken as it comes; else
 * the harness puts the right one over the last 8 bytes, so the fuzzer
 * reaches the sections behind it), then the state file's bytes. */
#include <string.h>
#include <xxhash.h>
#include "fuzz.h"
#include "sk_mapstate.h"

static const char src[] =
	"n = rownum(); c = cumsum(v); p = prev(s); d = delta(v); e = ewma(v, 0.5)";

static sk_tool tool;
static sk_fref key;
static uint32_t sv, ss;
static sk_buf made, in, back, again;

static void setup(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	sk_fuzz_setup();
	sk_schema_init(&tool.schema);
	tool.fo.delim = ',';
	key.slot = sk_schema_intern(&tool.schema, "k", 1);
	sv = sk_schema_intern(&tool.schema, "v", 1);
	ss = sk_schema_intern(&tool.schema, "s", 1);
	sk_mapstate_made(&made, src, &key, 1, "", &tool);
}

/* The state p and fw make, checksum included, into out. */
static void write_state(const sk_prog *p, const sk_follow *fw, sk_buf *out)
{
	sk_buf sec = { 0 };
	sk_state_begin(out, "stream-map", made.p);
	sk_follow_save(fw, &sec);
	sk_state_section(out, SK_MAPSTATE_INPUTS, &sec);
	sk_buf_clear(&sec);
	sk_prog_state_save(p, &sec);
	sk_state_section(out, SK_MAPSTATE_CELLS, &sec);
	sk_state_u64(out, XXH64(out->p, out->len, 0));
	sk_buf_free(&sec);
}

/* Maps one record with key k on p's cells. */
static void map_one(sk_prog *p, const char *k)
{
	sk_record rec;
	sk_rec_init(&rec);
	sk_rec_push(&rec, key.slot, k, strlen(k), SK_FK_TEXT);
	sk_rec_push(&rec, sv, "12", 2, SK_FK_TEXT);
	sk_rec_push(&rec, ss, "txt", 3, SK_FK_TEXT);
	sk_prog_run(p, &rec);
	for (size_t i = 0; i < rec.nf; i++)
		sk_fuzz_sink += rec.f[i].n;
	sk_rec_free(&rec);
}

/* Reads [p, p+n); if it is taken, its state written into out (first,
 * with run set, a record of key "a" mapped on it). */
static int read_state(const char *p, size_t n, sk_buf *out, int run)
{
	sk_prog *prog = sk_prog_compile(src, &tool.schema, 0, &key, 1);
	sk_follow fw = { 0 };
	sk_buf err = { 0 };
	int ok = sk_mapstate_read(p, n, made.p, prog, &fw, &err);
	SK_FUZZ_ASSERT(ok || err.len);
	if (ok) {
		write_state(prog, &fw, out);
		if (run)
			map_one(prog, "a");
	}
	sk_buf_free(&err);
	sk_follow_free(&fw);
	sk_prog_free(prog);
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	if (size < 1)
		return 0;
	sk_buf_clear(&in);
	sk_buf_put(&in, data + 1, size - 1);
	if (!(data[0] & 1) && in.len >= 8) {
		uint64_t h = XXH64(in.p, in.len - 8, 0);
		for (int i = 0; i < 8; i++)
			in.p[in.len - 8 + i] = (char)(h >> (8 * i));
	}
	sk_buf_clear(&back);
	if (!read_state(in.p, in.len, &back, 1))
		return 0;
	sk_buf_clear(&again);
	SK_FUZZ_ASSERT(read_state(back.p, back.len, &again, 0));
	SK_FUZZ_ASSERT(again.len == back.len &&
		       memcmp(again.p, back.p, back.len) == 0);
	return 0;
}
