/* fuzz_winstate: stream-window --merge's reader of --partial rows (window
 * times, the window column, keys, every aggregate's state) and the merge
 * after it: same window and key combined, sessions of a key joined, the
 * rows written. What it accepts must merge and give results; a bad row is
 * a bad record, never a crash or a leak.
 *
 * Input: one option byte, then the partial rows (CSV with a header). The
 * option byte: bits 0-1 the window (tumbling 10s, sliding 10s,5s with
 * --offset 2s, session 10s, session 1ns), bits 2-3 the keys (none, k,
 * k,j), bit 4 the short aggregate list, bit 5 --sort -count --top 2. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "fuzz.h"
#include "sk_fmt_impl.h"
#include "sk_winrun.h"

static const char *const windows[][2] = {
	{ "--tumbling", "10s" }, { "--sliding", "10s,5s" },
	{ "--session", "10s" }, { "--session", "1ns" },
};
static const int window_opts[] = { SK_WOPT_TUMBLING, SK_WOPT_SLIDING,
				   SK_WOPT_SESSION, SK_WOPT_SESSION };
static const char *const keys[] = { NULL, "k", "k,j" };
static const char long_list[] =
	"count, sum(x), mean(x), share(x), min(x), max(x), first(x), last(x), "
	"p99(x), distinct(x), approx_distinct(x), top(x, 2)";
static const char short_list[] = "count, first(x)";

static void usage(int status)
{
	exit(status);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned opt = data[0];
	static int fd, null_fd = -1;
	fd = memfd_create("fuzz_winstate", 0);
	if (fd < 0)
		return 0;
	if (size > 1 && write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
		close(fd);
		return 0;
	}
	if (null_fd < 0)
		null_fd = open("/dev/null", O_WRONLY);
	static char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	static char *argv[3];
	argv[0] = "stream-window";
	argv[1] = path;
	argv[2] = NULL;

	static sk_tool t;
	static sk_winrun w;
	static sk_out out;
	SK_FUZZ_TRY {
		/* sk_tool_init without what a process does once (stdout's
		 * buffer and its check at exit) */
		sk_err_init(argv[0]);
		t.ifmt = "csv";
		t.fo.delim = ',';
		t.fo.out_header = 1;
		t.fo.max_record = 1 << 20;
		t.on_error = SK_ONERR_WARN;
		t.usage = usage;
		sk_schema_init(&t.schema);
		sk_rec_init(&t.rec);
		sk_winrun_init(&w, &t);
		sk_out_init(&out, null_fd);
		sk_winrun_opt(&w, SK_WOPT_TIME, "ts");
		sk_winrun_opt(&w, window_opts[opt & 3], windows[opt & 3][1]);
		if ((opt & 3) == 1)
			sk_winrun_opt(&w, SK_WOPT_OFFSET, "2s");
		const char *g = keys[((opt >> 2) & 3) % 3];
		if (g)
			sk_winrun_opt(&w, SK_WOPT_GROUP, g);
		if (opt & 32) {
			sk_winrun_opt(&w, SK_WOPT_SORT, "-count");
			sk_winrun_opt(&w, SK_WOPT_TOP, "2");
		}
		sk_winrun_opt(&w, SK_WOPT_MERGE, NULL);
		sk_winrun_setup(&w, opt & 16 ? short_list : long_list);
		sk_tool_start(&t, 2, argv, 1, &out);
		sk_winrun_start(&w);
		uint64_t rows = 0;
		while (sk_tool_next(&t)) {
			rows++;
			sk_winrun_merge_record(&w, &t.rec);
		}
		/* a window is made only by a row that was read whole */
		SK_FUZZ_ASSERT(sk_group_count(&w.mg) <= rows);
		sk_winrun_finish(&w);
		sk_winrun_free(&w);
		sk_fuzz_sink += (size_t)sk_tool_finish(&t);
		free(out.buf);
		sk_fuzz_untrack(0);
	} else {
		if (t.rd.state && t.rd.fmt && t.rd.fmt->free_state)
			t.rd.fmt->free_state(&t.rd);
		sk_fuzz_untrack(1);
		if (t.rd.open && t.rd.in.fd > 2)
			close(t.rd.in.fd);
	}
	memset(&t, 0, sizeof t);
	memset(&w, 0, sizeof w);
	memset(&out, 0, sizeof out);
	close(fd);
	return 0;
}
