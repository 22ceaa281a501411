/* fuzz_state: the --partial/--merge state reader. Every state that
 * sk_agg_state_read accepts must merge, give a result, and write itself
 * back in a form that reads again.
 *
 * Input: one byte choosing the aggregate (of the list below), then the
 * state's bytes after its call text (the harness adds the call and the
 * base64, so the fuzzer works on the binary form). */
#include <string.h>
#include "fuzz.h"
#include "sk_agg_list.h"
#include "sk_expr.h"

static const char list[] =
	"count, count_if(x), sum(x), mean(x), share(x), min(x), max(x), "
	"first(x), last(x), var(x), stddev(x), pvar(x), pstddev(x), "
	"median(x), p99(x), p0.1(x), mode(x), distinct(x), "
	"approx_distinct(x), approx_p(x, 0.5), approx_p(x, 0.999), "
	"top(x, 3), top(x, 1)";

static sk_schema schema;
static sk_agg_list al;
static void *a_blk, *b_blk;
static sk_buf bin, text, err, res;

static void *block(void)
{
	size_t align = al.aggs.align ? al.aggs.align : 8;
	return aligned_alloc(align, (al.aggs.size + align - 1) / align * align + align);
}

static void setup(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	sk_fuzz_setup();
	sk_schema_init(&schema);
	sk_agg_list_compile(&al, list, &schema, 0);
	a_blk = block();
	b_blk = block();
}

/* Reads the state text into an init'ed st; 1 if accepted. */
static int read_state(const sk_agg *a, void *st, const char *p, size_t n)
{
	sk_buf_clear(&err);
	return sk_agg_state_read(a, st, p, n, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	if (size < 1)
		return 0;
	const sk_agg *a = &al.aggs.a[data[0] % al.aggs.n];
	const char *call = a->call ? a->call : a->def->name;
	sk_buf_clear(&bin);
	sk_ser_bytes(&bin, call, strlen(call));
	sk_buf_put(&bin, data + 1, size - 1);
	sk_buf_clear(&text);
	sk_b64_enc(&text, bin.p, bin.len);

	void *sa = (char *)a_blk + a->off, *sb = (char *)b_blk + a->off;
	sk_agg_init(a, sa);
	int ok = read_state(a, sa, text.p, text.len);
	if (ok) {
		/* Merge both ways, with an empty state and with itself. */
		sk_agg_init(a, sb);
		sk_agg_merge(a, sb, sa);
		sk_agg_merge(a, sb, sa);
		sk_agg_merge(a, sa, sb);
		sk_buf_clear(&res);
		sk_agg_result(a, sa, 1.0, &res);
		sk_buf_clear(&res);
		sk_agg_result(a, sb, sk_agg_share_part(a, sb), &res);
		/* What was accepted writes back in a form that reads again. */
		sk_buf_clear(&text);
		sk_agg_state_write(a, sb, &text);
		sk_agg_free(a, sb);
		sk_agg_init(a, sb);
		SK_FUZZ_ASSERT(read_state(a, sb, text.p, text.len));
		sk_agg_free(a, sb);
	}
	sk_agg_free(a, sa);
	return 0;
}
