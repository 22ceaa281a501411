/* fuzz_read: every reader (csv, tsv, jsonl, logfmt, clf, lines, auto)
 * driving every writer, with every record accessor on the way.
 *
 * Input: one option byte, then the bytes of the input file. The option
 * byte picks the reader (low 3 bits), -N (bit 3), the CSV delimiter
 * (bits 4-5: ',' ';' '|' tab), whether records are changed before
 * they are written a second time (bit 6), and a --max-record of
 * SHORT_RECORD bytes (bit 7), so that a record too long to read is met
 * anywhere: on the first line, inside a quoted CSV field, on a last line
 * without its newline. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "fuzz.h"
#include "sk_fmt_impl.h"

static const char *const readers[8] = {
	"csv", "tsv", "jsonl", "logfmt", "clf", "lines", "auto", "csv",
};
static const char *const writers[] = {
	"csv", "tsv", "jsonl", "logfmt", "lines", "table", "markdown",
};
#define NW (sizeof writers / sizeof writers[0])
static const char delims[4] = { ',', ';', '|', '\t' };
#define SHORT_RECORD 64

/* Reads every field of rec through every accessor, as the tools do. */
static size_t touch(const sk_record *rec, const sk_schema *schema)
{
	size_t sum = 0;
	for (uint32_t s = 0; s < schema->n + 2; s++) {
		const sk_field *f = sk_rec_get(rec, s);
		if (f && f->n)
			sum += (unsigned char)f->p[0] + (unsigned char)f->p[f->n - 1];
	}
	size_t nf = rec->partial ? rec->ncol : rec->nf;
	for (size_t i = 0; i < nf + 2; i++) {
		const sk_field *f = sk_rec_at(rec, i);
		if (f && f->n)
			sum += (unsigned char)f->p[f->n - 1];
		sk_str w;
		if (sk_rec_positional(rec, i, &w) && w.n)
			sum += (unsigned char)w.p[w.n - 1];
		sk_fref ref = { 0, (uint32_t)i };
		sk_field out;
		if (i && sk_rec_ref_pos(rec, &ref, &out) && out.n)
			sum += (unsigned char)out.p[out.n - 1];
	}
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned opt = data[0];
	data++;
	size--;
	static int fd;
	fd = memfd_create("fuzz_read", 0);
	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	char *files[1] = { path };
	static int null = -1;

	static sk_schema schema;
	static sk_reader rd;
	static sk_writer w[NW], w2[NW];
	static sk_out out[NW];
	static sk_record rec;
	static sk_fmt_opts fo;
	memset(&fo, 0, sizeof fo);
	fo.delim = delims[(opt >> 4) & 3];
	fo.no_header = (opt >> 3) & 1;
	fo.out_header = !fo.no_header;
	fo.max_record = (opt >> 7) & 1 ? SHORT_RECORD : 1 << 20;
	int change = (opt >> 6) & 1;

	if (null < 0) {
		null = open("/dev/null", O_WRONLY);
		for (size_t i = 0; i < NW; i++)
			sk_out_init(&out[i], null);
	}
	SK_FUZZ_TRY {
		sk_schema_init(&schema);
		sk_rec_init(&rec);
		sk_reader_init(&rd, readers[opt & 7], &schema, &fo, files, 1);
		for (size_t i = 0; i < NW; i++) {
			out[i].len = 0;
			sk_writer_init(&w[i], writers[i], &out[i], &schema, &fo, &rd);
			sk_writer_init(&w2[i], writers[i], &out[i], &schema, &fo, &rd);
		}
		uint32_t extra = sk_schema_intern(&schema, "fuzz_extra", 10);
		int r;
		while ((r = sk_read(&rd, &rec)) != SK_REC_EOF) {
			if (r == SK_REC_FATAL)
				break;
			if (r == SK_REC_BAD)
				continue;
			sk_fuzz_sink += touch(&rec, &schema);
			for (size_t i = 0; i < NW; i++)
				sk_write(&w[i], &rec);
			if (change) {
				const sk_field *f = sk_rec_at(&rec, 0);
				if (f)
					sk_rec_set(&rec, f->slot, "x\",\n", 4, SK_FK_STR);
				sk_rec_set(&rec, extra, "", 0, SK_FK_TEXT);
				sk_fuzz_sink += touch(&rec, &schema);
				for (size_t i = 0; i < NW; i++)
					sk_write(&w2[i], &rec);
			}
		}
		for (size_t i = 0; i < NW; i++) {
			sk_writer_finish(&w[i]);
			sk_writer_finish(&w2[i]);
		}
		for (size_t i = 0; i < NW; i++) {
			sk_writer_free(&w[i]);
			sk_writer_free(&w2[i]);
		}
		sk_reader_free(&rd);
		sk_rec_free(&rec);
		sk_schema_free(&schema);
		sk_fuzz_untrack(0);
	} else {
		if (rd.state && rd.fmt && rd.fmt->free_state)
			rd.fmt->free_state(&rd);
		sk_fuzz_untrack(1);
		if (rd.open && rd.in.fd > 2)
			close(rd.in.fd);
		memset(w, 0, sizeof w);
		memset(w2, 0, sizeof w2);
		memset(&rd, 0, sizeof rd);
		memset(&rec, 0, sizeof rec);
		memset(&schema, 0, sizeof schema);
	}
	for (size_t i = 0; i < NW; i++)
		out[i].len = 0;
	close(fd);
	return 0;
}
