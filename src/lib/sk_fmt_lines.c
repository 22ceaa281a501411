/* sk_fmt_lines: each line is one record with one field, "line"; $1..$n
 * are its whitespace-separated words, as in awk. */
#include "sk_fmt_impl.h"

static int lines_read(sk_reader *rd, sk_record *rec)
{
	sk_str l;
	if (!sk_reader_line(rd, &l))
		return SK_REC_EOF;
	rec->raw = l;
	rec->line = rd->in.line;
	rec->words = 1;
	if (!rd->state) {
		/* The slot of "line", interned once per stream. */
		rd->state = sk_xmalloc(sizeof(uint32_t));
		*(uint32_t *)rd->state = sk_schema_intern(rd->schema, "line", 4);
	}
	if (l.n && l.p[l.n - 1] == '\r')
		l.n--;
	sk_rec_push(rec, *(uint32_t *)rd->state, l.p, l.n, SK_FK_TEXT);
	return SK_REC_OK;
}

/* A changed record is its field values joined by one space (awk's $0). */
static void lines_write(sk_writer *w, const sk_record *rec)
{
	for (size_t i = 0; i < rec->nf; i++) {
		if (i)
			sk_out_putc(w->out, ' ');
		sk_out_write(w->out, rec->f[i].p, rec->f[i].n);
	}
	sk_out_putc(w->out, '\n');
}

const sk_format sk_fmt_lines = {
	.name = "lines",
	.read = lines_read,
	.write = lines_write,
};
