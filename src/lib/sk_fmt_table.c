/* sk_fmt_table: aligned columns for a terminal (write only). */
#include <stdlib.h>
#include "sk_fmt_impl.h"

/*
 * Rows are kept until the field set changes, the output ends or the input
 * would block (sk_writer_flush: live output), then the block is printed: a header line, then the rows, every column padded to
 * its widest cell and separated by two spaces, all left-aligned (as
 * Miller's --opprint), no padding after the last column. A new field set
 * starts a new block after an empty line. An empty value shows as "-";
 * tab, newline and carriage return show as \t \n \r and other control
 * bytes as '?', so a cell never breaks the layout. Widths count UTF-8
 * code points (East Asian wide characters are not measured as two).
 * Memory grows with the rows of one block: it is a terminal format.
 */

typedef struct tbl {
	sk_buf cells;      /* rendered cells of the block, back to back */
	size_t *end;       /* end offset in cells of each cell */
	size_t ncell, cap;
	size_t nc;         /* columns of the block; its first nc cells are
			    * the header names */
	size_t *width;     /* per column */
	size_t wcap;
	int printed;       /* a block was printed: the next needs a gap */
	int hdr_only;      /* the header is shown even with no row */
} tbl;

static size_t u8len(const char *p, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		w += ((unsigned char)p[i] & 0xC0) != 0x80;
	return w;
}

static void add_cell(tbl *t, const char *p, size_t n)
{
	if (n == 0) {
		sk_buf_putc(&t->cells, '-');
	} else {
		size_t run = 0;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)p[i];
			if (c >= 0x20 && c != 0x7f)
				continue;
			sk_buf_put(&t->cells, p + run, i - run);
			run = i + 1;
			if (c == '\t')
				sk_buf_put(&t->cells, "\\t", 2);
			else if (c == '\n')
				sk_buf_put(&t->cells, "\\n", 2);
			else if (c == '\r')
				sk_buf_put(&t->cells, "\\r", 2);
			else
				sk_buf_putc(&t->cells, '?');
		}
		sk_buf_put(&t->cells, p + run, n - run);
	}
	SK_GROW(t->end, t->cap, t->ncell + 1);
	t->end[t->ncell++] = t->cells.len;
}

/* Prints the block held in t and empties it. */
static void flush_block(sk_writer *w, tbl *t)
{
	size_t nc = t->nc;
	size_t first = w->opt && !w->opt->out_header ? nc : 0;
	if (!nc || t->ncell <= first || (t->ncell == nc && !t->hdr_only))
		goto out; /* nothing to show */
	if (t->printed && first == 0)
		sk_out_putc(w->out, '\n');
	t->printed = 1;
	SK_GROW(t->width, t->wcap, nc);
	for (size_t c = 0; c < nc; c++)
		t->width[c] = 0;
	for (size_t k = first; k < t->ncell; k++) {
		size_t b = k ? t->end[k - 1] : 0;
		size_t wd = u8len(t->cells.p + b, t->end[k] - b);
		if (wd > t->width[k % nc])
			t->width[k % nc] = wd;
	}
	for (size_t k = first; k < t->ncell; k++) {
		size_t c = k % nc, b = k ? t->end[k - 1] : 0;
		size_t len = t->end[k] - b;
		sk_out_write(w->out, t->cells.p + b, len);
		if (c + 1 == nc) {
			sk_out_putc(w->out, '\n');
			continue;
		}
		for (size_t pad = t->width[c] - u8len(t->cells.p + b, len) + 2; pad; pad--)
			sk_out_putc(w->out, ' ');
	}
out:
	sk_buf_clear(&t->cells);
	t->ncell = 0;
}

static void table_write(sk_writer *w, const sk_record *rec)
{
	tbl *t = w->state;
	if (!t)
		t = w->state = sk_xcalloc(1, sizeof *t);
	if (rec->nf == 0)
		return; /* nothing to show */
	if (sk_writer_header_changed(w, rec)) {
		flush_block(w, t);
		t->nc = rec->nf;
		for (size_t i = 0; i < rec->nf; i++) {
			sk_str name = sk_schema_name(w->schema, rec->f[i].slot);
			add_cell(t, name.p, name.n);
		}
	}
	if (w->header_only) {
		t->hdr_only = 1;
		return;
	}
	for (size_t i = 0; i < rec->nf; i++)
		add_cell(t, rec->f[i].p, rec->f[i].n);
}

/* Prints the block held so far, aligned on its own; the rows after it
 * start a new block with the same header. */
static void table_flush(sk_writer *w)
{
	tbl *t = w->state;
	if (!t || t->ncell <= t->nc)
		return;
	flush_block(w, t);
	for (size_t i = 0; i < t->nc; i++) {
		sk_str name = sk_schema_name(w->schema, w->hdr[i]);
		add_cell(t, name.p, name.n);
	}
}

/* Prints the last block and frees what the writer holds but w->state
 * itself (sk_writer_free frees that). */
static void table_finish(sk_writer *w)
{
	tbl *t = w->state;
	if (!t)
		return;
	flush_block(w, t);
	sk_buf_free(&t->cells);
	free(t->end);
	free(t->width);
	memset(t, 0, sizeof *t);
}

const sk_format sk_fmt_table = {
	.name = "table",
	.write = table_write,
	.finish = table_finish,
	.flush = table_flush,
	.has_header = 1,
	.readable_numbers = 1,
};
