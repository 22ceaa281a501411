/* sk_window: the window arithmetic of the SPEC, one case per rule, on
 * integer times with count and max(x) aggregates. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_agg.h"
#include "sk_time.h"
#include "sk_window.h"
#include "tap.h"

static sk_aggs L;
static sk_buf out;

static void emit(void *ctx, int64_t start, int64_t end, const char *key,
		 size_t keylen, void *block, const double *totals)
{
	(void)ctx;
	(void)totals;
	sk_buf_printf(&out, "%lld,%lld,%.*s", (long long)start, (long long)end,
		      (int)keylen, key);
	for (size_t i = 0; i < L.n; i++) {
		sk_buf_putc(&out, ',');
		sk_agg_result(&L.a[i], (char *)block + L.a[i].off, 0, &out);
	}
	sk_buf_putc(&out, '\n');
}

static sk_agg_in in[2];

static void add(void *ctx, void *block)
{
	(void)ctx;
	for (size_t i = 0; i < L.n; i++)
		sk_agg_add(&L.a[i], (char *)block + L.a[i].off, &in[i]);
}

/* Feeds records "key:time:x" (x is max's value) separated by spaces; a
 * record that comes back late is written as "LATE(t)". "|" flushes. */
static const char *run(sk_win_conf *c, const char *recs)
{
	sk_buf_clear(&out);
	sk_win *w = sk_win_new(c, &L, emit, NULL);
	char *s = strdup(recs), *save = NULL;
	for (char *tok = strtok_r(s, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (strcmp(tok, "|") == 0) {
			sk_win_flush(w);
			continue;
		}
		char *k = tok, *p = strchr(tok, ':');
		*p++ = 0;
		long long t = strtoll(p, &p, 10);
		const char *x = *p == ':' ? p + 1 : "1";
		sk_value v = sk_v_str(x, strlen(x));
		v.fromfield = 1;
		sk_agg_check(&L.a[0], NULL, &in[0]);
		sk_agg_check(&L.a[1], &v, &in[1]);
		if (sk_win_add(w, t, k, strlen(k), add, NULL) == SK_WIN_LATE)
			sk_buf_printf(&out, "LATE(%lld)\n", t);
	}
	sk_win_flush(w);
	sk_win_free(w);
	free(s);
	return out.p ? out.p : "";
}

static void expect(const char *desc, sk_win_conf *c, const char *recs,
		   const char *want)
{
	const char *got = run(c, recs);
	ok(strcmp(got, want) == 0, "%s", desc);
	if (strcmp(got, want) != 0)
		printf("# want:\n%s# got:\n%s", want, got);
}

static sk_win_conf tumbling(int64_t size)
{
	sk_win_conf c = { 0 };
	c.type = SK_WIN_TUMBLING;
	c.size = c.slide = size;
	return c;
}

static sk_win_conf sliding(int64_t size, int64_t slide)
{
	sk_win_conf c = { 0 };
	c.type = SK_WIN_SLIDING;
	c.size = size;
	c.slide = slide;
	return c;
}

static sk_win_conf session(int64_t gap)
{
	sk_win_conf c = { 0 };
	c.type = SK_WIN_SESSION;
	c.gap = gap;
	return c;
}

static sk_win_conf count(uint64_t n, uint64_t slide)
{
	sk_win_conf c = { 0 };
	c.type = SK_WIN_COUNT;
	c.count = n;
	c.cslide = slide;
	return c;
}

static void noop(void *ctx, void *block)
{
	(void)ctx;
	(void)block;
}

int main(void)
{
	sk_agg a;
	sk_agg_config(&a, "count", 0, NULL);
	sk_aggs_push(&L, &a);
	sk_agg_config(&a, "max", 1, NULL);
	sk_aggs_push(&L, &a);

	sk_win_conf c = tumbling(10);
	expect("tumbling: a record at end goes to the next window", &c,
	       "a:0 a:5 a:10", "0,10,a,2,1\n10,20,a,1,1\n");
	expect("tumbling: negative times floor to the window below", &c,
	       "a:-1 a:0", "-10,0,a,1,1\n0,10,a,1,1\n");
	expect("one global watermark closes other keys' windows", &c,
	       "a:1 b:12", "0,10,a,1,1\n10,20,b,1,1\n");
	expect("empty windows are not emitted", &c,
	       "a:1 a:35", "0,10,a,1,1\n30,40,a,1,1\n");
	expect("flush order: end, start, key bytes", &c,
	       "b:1 a:2 ab:3 a:11", "0,10,a,1,1\n0,10,ab,1,1\n0,10,b,1,1\n10,20,a,1,1\n");

	c = sliding(10, 5);
	expect("sliding, slide divides size", &c, "a:1:5 a:6:7 a:12:3",
	       "-5,5,a,1,5\n0,10,a,2,7\n5,15,a,2,7\n10,20,a,1,3\n");
	c = sliding(10, 4);
	expect("sliding, slide does not divide size (panes of 2)", &c,
	       "a:1:5 a:9:3",
	       "-8,2,a,1,5\n-4,6,a,1,5\n0,10,a,2,5\n4,14,a,1,3\n8,18,a,1,3\n");
	c = sliding(10, 5);
	expect("sliding: late for one window, not for another: kept", &c,
	       "a:12 a:7", "5,15,a,2,1\n10,20,a,1,1\n");
	c = sliding(10, 5);
	expect("sliding: late for every window: rejected", &c,
	       "a:12 a:20 a:4", "5,15,a,1,1\n10,20,a,1,1\nLATE(4)\n15,25,a,1,1\n20,30,a,1,1\n");

	c = session(10);
	expect("session: records exactly GAP apart are one session", &c,
	       "a:0 a:10", "0,20,a,2,1\n");
	expect("session: GAP + 1 apart are two", &c,
	       "a:0 a:11", "0,10,a,1,1\n11,21,a,1,1\n");
	expect("session: fires when wm > end, not at end", &c,
	       "a:0 b:10 b:11", "0,10,a,1,1\n10,21,b,2,1\n");
	c.max_delay = 10;
	expect("session: an out-of-order record bridges two sessions", &c,
	       "a:0:1 a:20:2 a:10:3", "0,30,a,3,3\n");
	c.max_delay = 0;
	expect("session: keys are separate", &c,
	       "b:0 a:5 b:12", "0,10,b,1,1\n5,15,a,1,1\n12,22,b,1,1\n");

	c = tumbling(10);
	c.max_delay = 5;
	expect("late within --max-delay accepted, beyond rejected", &c,
	       "a:1 a:14 a:8 a:16 a:7",
	       "0,10,a,2,1\nLATE(7)\n10,20,a,2,1\n");
	c = tumbling(10);
	c.update_late = 5;
	expect("--update-late re-emits, then rejects", &c,
	       "a:1 a:12 a:3 a:20 a:4",
	       "0,10,a,1,1\n0,10,a,2,1\n10,20,a,1,1\nLATE(4)\n20,30,a,1,1\n");
	c = tumbling(10);
	c.emit = SK_WIN_EMIT_UPDATE;
	expect("--emit update: a row per change, none at close", &c,
	       "a:1:4 a:2:9 b:3 a:11",
	       "0,10,a,1,4\n0,10,a,2,9\n0,10,b,1,1\n10,20,a,1,1\n");

	c = count(3, 0);
	expect("count: every N, a partial at end of input", &c,
	       "a:1 a:2 b:2 a:3 a:4 a:5 a:6 a:7",
	       "1,3,a,3,1\n4,6,a,3,1\n2,2,b,1,1\n7,7,a,1,1\n");
	c = count(4, 2);
	expect("count N,SLIDE: the last N every SLIDE", &c,
	       "a:1:1 a:2:2 a:3:3 a:4:4 a:5:5 a:6:6 a:7:7",
	       "1,2,a,2,2\n1,4,a,4,4\n3,6,a,4,6\n5,7,a,3,7\n");

	c = tumbling(10);
	c.offset = 3;
	expect("--offset shifts the alignment", &c, "a:2 a:3 a:12 a:13",
	       "-7,3,a,1,1\n3,13,a,2,1\n13,23,a,1,1\n");

	/* state stays flat: 2000 windows of 10 keys */
	c = tumbling(10);
	sk_win *w = sk_win_new(&c, &L, emit, NULL);
	size_t peak = 0;
	char key[8];
	for (int t = 0; t < 20000; t++) {
		snprintf(key, sizeof key, "k%d", t % 10);
		sk_agg_check(&L.a[0], NULL, &in[0]);
		in[1].status = SK_AGG_SKIP;
		sk_win_add(w, t, key, strlen(key), noop, NULL);
		if (sk_win_open_states(w) > peak)
			peak = sk_win_open_states(w);
		if (t % 1000 == 0)
			sk_buf_clear(&out);
	}
	ok(peak <= 11, "tumbling: one window's states held (and the record opening the next)");
	ok(sk_win_next_deadline(w) == 20000, "next deadline is the open window's end");
	sk_win_free(w);

	c = session(5);
	w = sk_win_new(&c, &L, emit, NULL);
	peak = 0;
	for (int t = 0; t < 20000; t += 3) {
		snprintf(key, sizeof key, "k%d", (t / 7) % 10);
		sk_win_add(w, t, key, strlen(key), noop, NULL);
		if (sk_win_open_states(w) > peak)
			peak = sk_win_open_states(w);
		if (t % 999 == 0)
			sk_buf_clear(&out);
	}
	ok(peak <= 10, "sessions: only open sessions held");
	sk_win_free(w);

	/* the idle clock: wm = max time - max_delay + quiet, saturating */
	c = tumbling(10 * SK_NS_PER_MS);
	c.max_delay = 2 * SK_NS_PER_MS;
	w = sk_win_new(&c, &L, emit, NULL);
	sk_buf_clear(&out);
	sk_win_add(w, 3 * SK_NS_PER_MS, "a", 1, noop, NULL);
	ok(sk_win_idle_mark(w, 4 * SK_NS_PER_MS) == 5 * SK_NS_PER_MS,
	   "idle: the watermark runs on from max time - max_delay");
	ok(sk_win_idle_mark(w, INT64_MAX) == INT64_MAX - 1,
	   "idle: a watermark past the range is past every window");
	ok(sk_win_tick(w, 5 * SK_NS_PER_MS) == 5,
	   "tick: 5 ms from the watermark to the window's end");
	ok(out.len == 0, "tick: nothing fires before the end");
	ok(sk_win_tick(w, 10 * SK_NS_PER_MS + 1) == -1 &&
	   strcmp(out.p, "0,10000000,a,0,\n") == 0,
	   "tick: the window fires at its end, then nothing is pending");
	sk_win_free(w);
	ok(sk_wait_ms(1) == 1 && sk_wait_ms(0) == 1 && sk_wait_ms(-5) == 1 &&
	   sk_wait_ms(SK_NS_PER_MS + 1) == 2 && sk_wait_ms(INT64_MAX) == INT_MAX,
	   "sk_wait_ms: rounded up, at least 1, at most INT_MAX");
	ok(sk_tick_after(10, 5, 9) == 10 && sk_tick_after(10, 5, 10) == 15 &&
	   sk_tick_after(10, 5, 27) == 30 &&
	   sk_tick_after(INT64_MAX - 3, 5, INT64_MAX - 2) == INT64_MAX,
	   "sk_tick_after: whole periods past now, saturating");

	sk_aggs_free(&L);
	sk_buf_free(&out);
	return tap_done();
}
