/* fuzz_winstatefile: the reader of stream-window's --state file (sk_state's
 * container, the inputs section of sk_follow, the engine's windows of
 * sk_window with each aggregate's state, the run section of sk_winrun).
 * What it accepts must write back into a state that reads again and
 * writes back the same bytes, and the engine it loaded must take more
 * records and fire every window (--drain) without a crash or a leak.
 *
 * Input: an option byte, then the state file's bytes. The option byte:
 * bit 0 the checksum is taken as it comes (else the harness puts the right
 * one over the last 8 bytes, so the fuzzer reaches the sections behind
 * it); bits 1-2 the window (tumbling 10s; sliding 10s,5s with --offset 2s
 * and --update-late 5s; session 10s with --update-late 5s; count 3,2);
 * bit 3 --emit update. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xxhash.h>
#include "fuzz.h"
#include "sk_fmt_impl.h"
#include "sk_winstate.h"

static const char aggs[] =
	"count, sum(v), first(v), last(v), share(v), p90(v), distinct(v)";
/* the records a loaded engine takes after the state */
static const char records[] =
	"ts,k,v\n1,a,1\n12,b,2\n3,a,3\n40,a,4\n9,c,\n41,b,5\n100,a,6\n";

static void usage(int status)
{
	exit(status);
}

/* A winrun of the options of opt, over tool t reading path into out. */
static void setup(sk_tool *t, sk_winrun *w, sk_out *out, int fd_out,
		  unsigned opt, char **argv)
{
	static const int wopt[] = { SK_WOPT_TUMBLING, SK_WOPT_SLIDING,
				    SK_WOPT_SESSION, SK_WOPT_COUNT };
	static const char *const warg[] = { "10s", "10s,5s", "10s", "3,2" };
	unsigned kind = (opt >> 1) & 3;
	sk_err_init(argv[0]);
	t->fo.delim = ',';
	t->fo.out_header = 1;
	t->fo.max_record = 1 << 20;
	t->on_error = SK_ONERR_WARN;
	t->usage = usage;
	sk_schema_init(&t->schema);
	sk_rec_init(&t->rec);
	sk_winrun_init(w, t);
	sk_out_init(out, fd_out);
	sk_winrun_opt(w, SK_WOPT_TIME, "ts");
	sk_winrun_opt(w, wopt[kind], warg[kind]);
	if (kind == 1)
		sk_winrun_opt(w, SK_WOPT_OFFSET, "2s");
	if (kind == 1 || kind == 2)
		sk_winrun_opt(w, SK_WOPT_UPDATE_LATE, "5s");
	if (opt & 8)
		sk_winrun_opt(w, SK_WOPT_EMIT, "update");
	sk_winrun_opt(w, SK_WOPT_GROUP, "k");
	sk_winrun_setup(w, aggs);
	sk_tool_start(t, 2, argv, 1, out);
}

/* wr's state (its inputs in fw) with its checksum into b. */
static void write_state(sk_winrun *wr, const sk_follow *fw, const char *made,
			sk_buf *b)
{
	sk_buf sec = { 0 };
	sk_follow_save(fw, &sec);
	sk_winstate_write(b, made, &sec, wr);
	sk_state_u64(b, XXH64(b->p, b->len, 0));
	sk_buf_free(&sec);
}

static void tool_free(sk_tool *t, sk_out *out)
{
	sk_fuzz_sink += (size_t)sk_tool_finish(t);
	free(out->buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	sk_fuzz_setup();
	unsigned opt = data[0];
	static int fd, null_fd = -1;
	fd = memfd_create("fuzz_winstatefile", 0);
	if (fd < 0)
		return 0;
	if (write(fd, records, sizeof records - 1) != (ssize_t)(sizeof records - 1)) {
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

	static sk_tool t, t2;
	static sk_winrun w, w2;
	static sk_out out, out2;
	static sk_follow fw, fw2;
	static sk_buf in, made, back, again, err;
	SK_FUZZ_TRY {
		sk_buf_clear(&in);
		sk_buf_put(&in, data + 1, size - 1);
		if (!(opt & 1) && in.len >= 8) {
			uint64_t h = XXH64(in.p, in.len - 8, 0);
			for (int i = 0; i < 8; i++)
				in.p[in.len - 8 + i] = (char)(h >> (8 * i));
		}
		setup(&t, &w, &out, null_fd, opt, argv);
		sk_winstate_made(&made, &w);
		sk_buf_clear(&err);
		int ok = sk_winstate_read(in.p, in.len, made.p, &w, &fw, &err);
		SK_FUZZ_ASSERT(ok || err.len);
		if (ok) {
			sk_buf_clear(&back);
			write_state(&w, &fw, made.p, &back);
			/* what it wrote reads again into the same bytes */
			setup(&t2, &w2, &out2, null_fd, opt, argv);
			sk_buf_clear(&err);
			SK_FUZZ_ASSERT(sk_winstate_read(back.p, back.len, made.p,
							&w2, &fw2, &err));
			sk_buf_clear(&again);
			write_state(&w2, &fw2, made.p, &again);
			SK_FUZZ_ASSERT(again.len == back.len &&
				       memcmp(again.p, back.p, back.len) == 0);
			sk_winrun_free(&w2);
			sk_follow_free(&fw2);
			tool_free(&t2, &out2);
			/* the engine loaded goes on: records, then --drain */
			sk_winrun_start(&w);
			while (sk_tool_next(&t))
				sk_winrun_record(&w, &t.rec);
			sk_winrun_finish(&w);
		}
		sk_winrun_free(&w);
		sk_follow_free(&fw);
		tool_free(&t, &out);
		sk_buf *bs[] = { &in, &made, &back, &again, &err };
		for (int i = 0; i < 5; i++)
			sk_buf_free(bs[i]);
		sk_fuzz_untrack(0);
	} else {
		sk_tool *ts[] = { &t, &t2 };
		for (int i = 0; i < 2; i++) {
			if (ts[i]->rd.state && ts[i]->rd.fmt && ts[i]->rd.fmt->free_state)
				ts[i]->rd.fmt->free_state(&ts[i]->rd);
			if (ts[i]->rd.open && ts[i]->rd.in.fd > 2)
				close(ts[i]->rd.in.fd);
		}
		sk_fuzz_untrack(1);
	}
	memset(&t, 0, sizeof t);
	memset(&t2, 0, sizeof t2);
	memset(&w, 0, sizeof w);
	memset(&w2, 0, sizeof w2);
	memset(&out, 0, sizeof out);
	memset(&out2, 0, sizeof out2);
	memset(&fw, 0, sizeof fw);
	memset(&fw2, 0, sizeof fw2);
	sk_buf *bs[] = { &in, &made, &back, &again, &err };
	for (int i = 0; i < 5; i++)
		memset(bs[i], 0, sizeof *bs[i]);
	close(fd);
	return 0;
}
