/* fuzz_expr: the expression language end to end: lexer, parser,
 * compiler and evaluator, as stream-filter (an expression), stream-map
 * (a program) and stream-agg/stream-window (an aggregate list) use it.
 *
 * Input: one option byte, then the source text, then optionally a line
 * "%%" and CSV records (with a header) to run it on; without one, a
 * built-in table of awkward values. The option byte: bits 0-1 pick the
 * expression (0, 3), the program (1) or the aggregate list (2); bit 2
 * --strict-fields; bit 3 -g on the first column (programs). */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "fuzz.h"
#include "sk_agg_list.h"
#include "sk_expr.h"
#include "sk_fmt_impl.h"

static const char builtin[] =
	"a,b,s,t,ip,n\n"
	"1,2,abc,2024-05-17T10:20:30Z,10.0.0.1,-0\n"
	"-9223372036854775808,9223372036854775807,,1715941230,::1,1e308\n"
	"0x10,1.5,\"x,y\"\"z\",10/Oct/2000:13:55:36 -0700,256.1.1.1,nan\n"
	",,ababababababababababababababababab,Dec 10 06:55:46,fe80::1%eth0,inf\n"
	"3,-3,\xc3\xa9\xff,1970-01-01,1.2.3.4/33,-inf\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned opt = data[0];
	data++;
	size--;
	/* The source ends at the "%%" line; it is a C string. */
	static char *src;
	const char *in = builtin;
	size_t nin = sizeof builtin - 1;
	size_t ns = size;
	const uint8_t *sep = memmem(data, size, "\n%%\n", 4);
	if (sep) {
		ns = (size_t)(sep - data);
		in = (const char *)sep + 4;
		nin = size - ns - 4;
	}
	free(src);
	src = malloc(ns + 1);
	memcpy(src, data, ns);
	src[ns] = 0;

	static int fd;
	fd = memfd_create("fuzz_expr", 0);
	if (fd < 0)
		return 0;
	if (nin && write(fd, in, nin) != (ssize_t)nin) {
		close(fd);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	char *files[1] = { path };

	static sk_schema schema;
	static sk_reader rd;
	static sk_record rec;
	static sk_fmt_opts fo;
	static sk_expr *e;
	static sk_prog *prog;
	static sk_agg_list al;
	static int have_al;
	static void *block;
	static sk_buf out;
	int flags = (opt & 4) ? SK_EXPR_STRICT_FIELDS : 0;
	int mode = opt & 3;
	memset(&fo, 0, sizeof fo);
	fo.delim = ',';
	fo.out_header = 1;
	fo.max_record = 1 << 20;

	SK_FUZZ_TRY {
		sk_schema_init(&schema);
		sk_rec_init(&rec);
		if (mode == 1) {
			/* -g a, or -g 2 (the second field, by position) */
			sk_fref g = { sk_schema_intern(&schema, "a", 1), 0 };
			if (opt & 16)
				g = (sk_fref){ sk_schema_intern(&schema, "2", 1), 2 };
			prog = sk_prog_compile(src, &schema, flags, &g, (opt & 8) ? 1 : 0);
		} else if (mode == 2) {
			sk_agg_list_compile(&al, src, &schema, flags);
			have_al = 1;
			block = aligned_alloc(al.aggs.align ? al.aggs.align : 8,
					      (al.aggs.size + 15) / 16 * 16 + 16);
			sk_aggs_init_block(&al.aggs, block);
		} else {
			e = sk_expr_compile(src, &schema, flags);
		}
		sk_reader_init(&rd, "csv", &schema, &fo, files, 1);
		int r;
		while ((r = sk_read(&rd, &rec)) != SK_REC_EOF) {
			if (r == SK_REC_FATAL)
				break;
			if (r == SK_REC_BAD)
				continue;
			if (prog) {
				sk_fuzz_sink += (size_t)sk_prog_run(prog, &rec);
				sk_rec_finish(&rec);
				sk_fuzz_sink += rec.nf;
			} else if (have_al) {
				if (sk_agg_list_eval(&al, &rec) < 0)
					sk_agg_list_add(&al, block);
			} else {
				sk_value v = sk_expr_eval(e, &rec);
				sk_fuzz_sink += v.t + (v.t == SK_V_STR ? v.n : 0);
				sk_fuzz_sink += (size_t)sk_expr_test(e, &rec);
			}
		}
		if (have_al) {
			for (size_t i = 0; i < al.aggs.n; i++) {
				const sk_agg *a = &al.aggs.a[i];
				sk_buf_clear(&out);
				sk_agg_state_write(a, (char *)block + a->off, &out);
				sk_agg_result(a, (char *)block + a->off, 1.0, &out);
				sk_fuzz_sink += out.len;
			}
		}
		if (have_al) {
			sk_aggs_free_block(&al.aggs, block);
			sk_agg_list_free(&al);
		}
		free(block);
		sk_expr_free(e);
		sk_prog_free(prog);
		sk_reader_free(&rd);
		sk_rec_free(&rec);
		sk_schema_free(&schema);
		sk_buf_free(&out);
		sk_fuzz_untrack(0);
	} else {
		if (rd.state && rd.fmt && rd.fmt->free_state)
			rd.fmt->free_state(&rd);
		sk_fuzz_untrack(1);
		if (rd.open && rd.in.fd > 2)
			close(rd.in.fd);
	}
	have_al = 0;
	block = NULL;
	e = NULL;
	prog = NULL;
	memset(&al, 0, sizeof al);
	memset(&rd, 0, sizeof rd);
	memset(&rec, 0, sizeof rec);
	memset(&schema, 0, sizeof schema);
	memset(&out, 0, sizeof out);
	close(fd);
	return 0;
}
