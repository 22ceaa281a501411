/* stream-window's --state file against damage: for each kind of window
 * (sliding panes with --update-late, sessions with --update-late, count
 * rings), a small state made by the code a run uses, with every byte
 * flipped (xor 0xff, then its low bit) and cut at every length, is
 * refused with a reason; then the same damage with the checksum made
 * right again, so that the reader behind it (sections, inputs, windows,
 * aggregate states, the run section) meets it: refused with a reason or
 * read whole, never a crash (run under check-san too). A state of another
 * window kind is refused. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sk_winstate.h"
#include "damage.h"
#include "tap.h"

static const char aggs[] = "count, sum(v), first(v), last(v), p90(v), distinct(k)";
static int null_fd;

static void usage(int status)
{
	exit(status);
}

/* Window kind i: its option and value, and a second option. */
static const int wopt[] = { SK_WOPT_SLIDING, SK_WOPT_SESSION, SK_WOPT_COUNT };
static const char *const warg[] = { "10s,5s", "4s", "3,2" };
static const char *const kname[] = { "sliding", "session", "count" };

/* Sets up t and w for kind i as stream-window would (-t ts -g k). */
static void setup(sk_tool *t, sk_winrun *w, int i)
{
	memset(t, 0, sizeof *t);
	t->fo.delim = ',';
	t->fo.out_header = 1;
	t->fo.max_record = 1 << 20;
	t->on_error = SK_ONERR_WARN;
	t->usage = usage;
	sk_schema_init(&t->schema);
	sk_rec_init(&t->rec);
	sk_winrun_init(w, t);
	sk_winrun_opt(w, SK_WOPT_TIME, "ts");
	sk_winrun_opt(w, wopt[i], warg[i]);
	if (i < 2)
		sk_winrun_opt(w, SK_WOPT_UPDATE_LATE, "3s");
	sk_winrun_opt(w, SK_WOPT_GROUP, "k");
	sk_winrun_setup(w, aggs);
}

static void teardown(sk_tool *t, sk_winrun *w)
{
	sk_winrun_free(w);
	sk_rec_free(&t->rec);
	sk_schema_free(&t->schema);
}

/* The state a run of kind i leaves after reading a small file, into data. */
static void make_state(int i, sk_buf *data)
{
	char dir[] = "/tmp/winstate-unit-XXXXXX", log[64], st[64];
	if (!mkdtemp(dir))
		exit(1);
	snprintf(log, sizeof log, "%s/a.csv", dir);
	snprintf(st, sizeof st, "%s/st", dir);
	FILE *f = fopen(log, "w");
	fputs("ts,k,v\n1,a,1\n3,b,2\n12,a,3\n2,a,9\n14,c,4\n15,b,5\n16,a,6\n", f);
	fclose(f);
	sk_tool t;
	sk_winrun w;
	sk_winstate s = { .rs.path = st };
	sk_out out;
	char *argv[] = { "stream-window", log, NULL };
	setup(&t, &w, i);
	sk_out_init(&out, null_fd);
	sk_tool_start(&t, 2, argv, 1, &out);
	sk_winstate_open(&s, &w);
	sk_winrun_start(&w);
	while (sk_tool_next(&t))
		sk_winrun_record(&w, &t.rec);
	sk_winrun_finish(&w);
	if (sk_winstate_end(&s) != 0)
		exit(1);
	sk_winrun_free(&w);
	sk_tool_finish(&t);
	free(out.buf);
	sk_rec_free(&t.rec);
	sk_schema_free(&t.schema);
	sk_buf err = { 0 };
	if (sk_state_load(st, data, &err) != 1) {
		printf("# %s\n", err.p);
		exit(1);
	}
	sk_buf_free(&err);
	unlink(log);
	unlink(st);
	rmdir(dir);
}

/* Reads [p, p+n) with the options of kind i: 1 taken (and it writes
 * back), -1 refused with a reason, 0 refused without one. */
static int try_read(int i, const char *p, size_t n, size_t *states)
{
	sk_tool t;
	sk_winrun w;
	sk_follow fw = { 0 };
	sk_buf made = { 0 }, err = { 0 };
	setup(&t, &w, i);
	sk_winstate_made(&made, &w);
	int r = sk_winstate_read(p, n, made.p, &w, &fw, &err);
	if (r) {
		sk_buf back = { 0 }, sec = { 0 };
		sk_follow_save(&fw, &sec);
		sk_winstate_write(&back, made.p, &sec, &w);
		*states = sk_win_open_states(w.w);
		sk_buf_free(&back);
		sk_buf_free(&sec);
	}
	int res = r ? 1 : err.len ? -1 : 0;
	sk_buf_free(&made);
	sk_buf_free(&err);
	sk_follow_free(&fw);
	teardown(&t, &w);
	return res;
}

struct kind_read {
	int i;
	size_t *states;
};

static int try_kind(const char *p, size_t n, void *ctx)
{
	struct kind_read *kr = ctx;
	return try_read(kr->i, p, n, kr->states);
}

static void damage(int i)
{
	sk_buf data = { 0 };
	make_state(i, &data);
	size_t n = data.len, states = 0;
	int whole = try_read(i, data.p, n, &states);
	ok(whole == 1 && states > 0, "%s: the state reads back: %zu bytes, %zu "
	   "states", kname[i], n, states);
	int other = try_read((i + 1) % 3, data.p, n, &states);
	ok(other == -1, "%s: refused by the options of %s windows", kname[i],
	   kname[(i + 1) % 3]);

	struct kind_read kr = { i, &states };
	damage_counts c = damage_run(data.p, n, try_kind, &kr);
	ok(c.flip_refused == 2 * n, "%s: every flipped byte refused with a reason "
	   "(%zu of %zu, %zu without one)", kname[i], c.flip_refused, 2 * n,
	   c.flip_silent);
	ok(c.cut_refused == n, "%s: every truncation refused with a reason (%zu of "
	   "%zu)", kname[i], c.cut_refused, n);
	ok(c.deep_silent == 0 && c.deep_refused > c.deep_taken, "%s: damage "
	   "behind a good checksum: refused with a reason or read whole (%zu "
	   "refused, %zu taken, %zu without a reason)", kname[i],
	   c.deep_refused, c.deep_taken, c.deep_silent);
	ok(c.deep_cut_taken == 0, "%s: every cut with a good checksum refused with a "
	   "reason (%zu not)", kname[i], c.deep_cut_taken);
	sk_buf_free(&data);
}

int main(void)
{
	sk_err_init("winstate");
	null_fd = open("/dev/null", O_WRONLY);
	/* the reasons refused states give go to stderr: not TAP */
	int err_fd = dup(2);
	dup2(null_fd, 2);
	for (int i = 0; i < 3; i++)
		damage(i);
	dup2(err_fd, 2);
	return tap_done();
}
