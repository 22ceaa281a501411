/* The CSV reader's quote-free fast path must give exactly libcsv's fields:
 * random records, read both ways, compared field by field. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sk_fmt.h"

static uint64_t rng = 42;
static unsigned rnd(unsigned n)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return (unsigned)(rng % n);
}

typedef struct { char f[64][64]; size_t len[64]; size_t n; } row;
static void cb1(void *s, size_t n, void *d)
{
	row *r = d;
	memcpy(r->f[r->n], s ? s : "", n);
	r->len[r->n++] = n;
}
static void cb2(int c, void *d) { (void)c; (void)d; }
static int no_space(unsigned char c) { (void)c; return 0; }

int main(void)
{
	/* Bytes a quote-free record may hold: letters, blanks, tabs, UTF-8,
	 * a NUL, the delimiter. */
	static const char alphabet[] = "ab ,\t\xc3\xa9z09.-";
	char path[] = "/tmp/sk-unit-csv-XXXXXX";
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");
	enum { ROWS = 2000 };
	static char lines[ROWS][200];
	static size_t lens[ROWS];
	fputs("h\n", fp);
	for (int i = 0; i < ROWS; i++) {
		size_t n = 1 + rnd(60);
		for (size_t k = 0; k < n; k++)
			lines[i][k] = alphabet[rnd(sizeof alphabet - 1)];
		if (rnd(10) == 0)
			lines[i][rnd((unsigned)n)] = '\0';
		/* a line of blanks only would be a blank record to neither */
		lines[i][0] = 'x';
		lens[i] = n;
		fwrite(lines[i], 1, n, fp);
		fputc('\n', fp);
	}
	fclose(fp);

	sk_schema schema;
	sk_schema_init(&schema);
	sk_fmt_opts opt = { .delim = ',', .no_header = 1, .max_record = 1 << 20 };
	char *files[] = { path };
	sk_reader rd;
	sk_reader_init(&rd, "csv", &schema, &opt, files, 1);
	sk_record rec;
	sk_rec_init(&rec);
	struct csv_parser p;
	csv_init(&p, CSV_STRICT | CSV_STRICT_FINI);
	csv_set_space_func(&p, no_space);
	int bad = 0;
	sk_read(&rd, &rec); /* the "h" line */
	for (int i = 0; i < ROWS; i++) {
		if (sk_read(&rd, &rec) != SK_REC_OK) {
			printf("not ok %d - row %d not read\n", i + 1, i);
			bad++;
			continue;
		}
		sk_rec_finish(&rec);
		row r = { 0 };
		csv_parse(&p, lines[i], lens[i], cb1, cb2, &r);
		csv_fini(&p, cb1, cb2, &r);
		int same = r.n == rec.nf;
		for (size_t k = 0; same && k < r.n; k++)
			same = r.len[k] == rec.f[k].n && memcmp(r.f[k], rec.f[k].p, r.len[k]) == 0;
		if (!same) {
			printf("not ok %d - row %d: libcsv %zu fields, fast path %zu\n", i + 1, i, r.n, rec.nf);
			bad++;
		}
	}
	if (!bad)
		printf("ok 1 - %d random quote-free records: fast path == libcsv\n", ROWS);
	csv_free(&p);
	sk_rec_free(&rec);
	sk_reader_free(&rd);
	sk_schema_free(&schema);
	unlink(path);
	return bad != 0;
}
