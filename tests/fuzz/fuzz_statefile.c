/* fuzz_statefile: the reader of stream-agg's --state file (sk_state's
 * container, the inputs section of sk_follow, the groups of sk_group and
 * each aggregate's state). What it accepts must write back into a state
 * that reads again and writes back the same bytes.
 *
 * Input: an option byte (bit 0: the checksum is taken as it comes; else
 * the harness puts the right one over the last 8 bytes, so the fuzzer
 * reaches the sections behind it), then the state file's bytes. */
#include <string.h>
#include <xxhash.h>
#include "fuzz.h"
#include "sk_aggstate.h"

static const char list[] =
	"count, sum(v), p90(v), approx_distinct(v), top(v, 2), first(v)";

static sk_tool tool;
static sk_agg_list al;
static sk_fref key;
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
	sk_agg_list_compile(&al, list, &tool.schema, 0);
	key.slot = sk_schema_intern(&tool.schema, "k", 1);
	sk_aggstate_made(&made, &al.aggs, &key, 1, &tool, 0);
}

/* The state g and fw make, checksum included, into out. */
static void write_state(sk_group *g, const sk_follow *fw, sk_buf *out)
{
	sk_buf sec = { 0 };
	sk_state_begin(out, "stream-agg", made.p);
	sk_follow_save(fw, &sec);
	sk_state_section(out, SK_AGGSTATE_INPUTS, &sec);
	sk_buf_clear(&sec);
	sk_group_save(g, &sec);
	sk_state_section(out, SK_AGGSTATE_GROUPS, &sec);
	sk_state_u64(out, XXH64(out->p, out->len, 0));
	sk_buf_free(&sec);
}

/* Reads [p, p+n); if it is taken, its state written into out. */
static int read_state(const char *p, size_t n, sk_buf *out)
{
	sk_group g;
	sk_follow fw = { 0 };
	sk_buf err = { 0 };
	sk_group_init(&g, &al.aggs, &key, 1);
	int ok = sk_aggstate_read(p, n, made.p, &g, &fw, &err);
	SK_FUZZ_ASSERT(ok || err.len);
	if (ok)
		write_state(&g, &fw, out);
	sk_buf_free(&err);
	sk_follow_free(&fw);
	sk_group_free(&g);
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
	if (!read_state(in.p, in.len, &back))
		return 0;
	sk_buf_clear(&again);
	SK_FUZZ_ASSERT(read_state(back.p, back.len, &again));
	SK_FUZZ_ASSERT(again.len == back.len &&
		       memcmp(again.p, back.p, back.len) == 0);
	return 0;
}
