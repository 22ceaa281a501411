/* sk_fmt_bar: a horizontal bar chart of one numeric column by label, for a
 * terminal (write only). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "sk_fmt_impl.h"
#include "sk_num.h"

/*
 * Rows are held until the field set changes, the output ends or the tool
 * writes out what it holds (a snapshot, a fired window, the input going
 * idle: live output), then drawn as one chart: a title line, then a line
 * per row: the label, padded; a bar as long as the row's value over the
 * chart's largest; and the value.
 *
 * The value is the last field of the chart's first row that holds a
 * number; the label is the other fields that do not (window_end, which the
 * window start already names, left out), joined by a space; when there is
 * none, the first field. A label field whose value is the same in every
 * row of a chart of several rows goes into the title instead (the 'time'
 * of a stream-agg snapshot, the window of a fired window).
 *
 * Bars are drawn with Unicode eighth blocks (U+2588..U+258F), or with '#'
 * whole cells under --ascii, in the width COLUMNS gives, else the
 * terminal's, else 80 columns. A value that is not a number, or below 0,
 * gets no bar. Memory grows with the rows of one chart.
 */

typedef struct brow {
	size_t lab;    /* index of the row's first label part in parts */
	size_t val, valn; /* the value's text in b->text */
	double v;
	int isnum;
} brow;

typedef struct bar {
	sk_buf text;          /* label parts and values, back to back */
	size_t *parts;        /* per row, nlab (offset, length) pairs */
	size_t nparts, pcap;
	brow *rows;
	size_t n, cap;
	/* the chart's columns, from its first row */
	int decided;
	uint32_t valslot;
	int hasval;
	uint32_t *labslot;
	size_t nlab, lcap;
	int printed;
} bar;

static size_t u8len(const char *p, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		w += ((unsigned char)p[i] & 0xC0) != 0x80;
	return w;
}

/* Writes at most max code points of [p, p+n), control bytes as '?'. */
static void put_clipped(sk_out *o, const char *p, size_t n, size_t max, int ascii)
{
	size_t w = u8len(p, n);
	size_t keep = w > max ? (max ? max - 1 : 0) : w;
	size_t cp = 0, i = 0;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if ((c & 0xC0) != 0x80) {
			if (cp == keep)
				break;
			cp++;
		}
		sk_out_putc(o, c < 0x20 || c == 0x7f ? '?' : (char)c);
	}
	if (w > max && max)
		sk_out_puts(o, ascii ? "~" : "\xe2\x80\xa6"); /* … */
}

static size_t term_width(void)
{
	const char *c = getenv("COLUMNS");
	if (c && *c) {
		char *e;
		long v = strtol(c, &e, 10);
		if (!*e && v >= 20 && v <= 10000)
			return (size_t)v;
	}
	struct winsize ws;
	if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	if (ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

static int is_num(const char *p, size_t n, double *v)
{
	sk_num x;
	if (!sk_num_parse(p, n, &x) || isnan(x.d))
		return 0;
	*v = x.d;
	return 1;
}

/* Picks the value and label columns from the chart's first row. */
static void decide(sk_writer *w, bar *b, const sk_record *rec)
{
	double v;
	b->hasval = 0;
	for (size_t i = rec->nf; i-- > 0;)
		if (is_num(rec->f[i].p, rec->f[i].n, &v)) {
			b->valslot = rec->f[i].slot;
			b->hasval = 1;
			break;
		}
	b->nlab = 0;
	for (int pass = 0; pass < 2 && b->nlab == 0; pass++)
		for (size_t i = 0; i < rec->nf; i++) {
			const sk_field *f = &rec->f[i];
			if (b->hasval && f->slot == b->valslot)
				continue;
			sk_str name = sk_schema_name(w->schema, f->slot);
			if (pass == 0 && (is_num(f->p, f->n, &v) ||
					  sk_str_eq(name, "window_end", 10)))
				continue;
			SK_GROW(b->labslot, b->lcap, b->nlab + 1);
			b->labslot[b->nlab++] = f->slot;
			if (pass == 1)
				break; /* no text field: the first one names the row */
		}
	b->decided = 1;
}

static void put_part(bar *b, const char *p, size_t n)
{
	SK_GROW(b->parts, b->pcap, b->nparts + 2);
	b->parts[b->nparts++] = b->text.len;
	b->parts[b->nparts++] = n;
	sk_buf_put(&b->text, p, n);
}

static int part_eq(const bar *b, size_t r1, size_t r2, size_t j)
{
	const size_t *a = b->parts + b->rows[r1].lab + 2 * j;
	const size_t *c = b->parts + b->rows[r2].lab + 2 * j;
	return a[1] == c[1] && memcmp(b->text.p + a[0], b->text.p + c[0], a[1]) == 0;
}

/* Draws the rows held as one chart and empties it. */
static void draw(sk_writer *w, bar *b)
{
	if (b->n == 0)
		goto out;
	int ascii = w->opt && w->opt->ascii;
	sk_out *o = w->out;
	size_t nl = b->nlab;
	/* label parts the same in every row go to the title */
	int *in_title = sk_xcalloc(nl + 1, sizeof *in_title);
	size_t nconst = 0;
	if (b->n > 1)
		for (size_t j = 0; j < nl; j++) {
			size_t r = 1;
			while (r < b->n && part_eq(b, 0, r, j))
				r++;
			if (r == b->n) {
				in_title[j] = 1;
				nconst++;
			}
		}
	if (nconst == nl)
		memset(in_title, 0, (nl + 1) * sizeof *in_title);
	if (b->printed)
		sk_out_putc(o, '\n');
	b->printed = 1;
	if (!w->opt || w->opt->out_header) {
		if (b->hasval) {
			sk_str vn = sk_schema_name(w->schema, b->valslot);
			sk_out_write(o, vn.p, vn.n);
		}
		const char *sep = b->hasval ? " by " : "";
		for (size_t j = 0; j < nl; j++)
			if (!in_title[j]) {
				sk_str ln = sk_schema_name(w->schema, b->labslot[j]);
				sk_out_puts(o, sep);
				sk_out_write(o, ln.p, ln.n);
				sep = " ";
			}
		sep = " (";
		for (size_t j = 0; j < nl; j++)
			if (in_title[j]) {
				sk_str ln = sk_schema_name(w->schema, b->labslot[j]);
				const size_t *pp = b->parts + b->rows[0].lab + 2 * j;
				sk_out_puts(o, sep);
				sk_out_write(o, ln.p, ln.n);
				sk_out_putc(o, '=');
				put_clipped(o, b->text.p + pp[0], pp[1], 200, ascii);
				sep = ", ";
			}
		if (nconst && nconst < nl)
			sk_out_putc(o, ')');
		sk_out_putc(o, '\n');
	}
	/* widths: labels, values, and what is left for the bars */
	size_t width = term_width(), labw = 0, valw = 0;
	double max = 0;
	for (size_t r = 0; r < b->n; r++) {
		brow *row = &b->rows[r];
		size_t lw = 0, k = 0;
		for (size_t j = 0; j < nl; j++)
			if (!in_title[j]) {
				lw += (k++ ? 1 : 0) + u8len(b->text.p + b->parts[row->lab + 2 * j],
							    b->parts[row->lab + 2 * j + 1]);
			}
		if (lw > labw)
			labw = lw;
		size_t vw = row->valn ? u8len(b->text.p + row->val, row->valn) : 1;
		if (vw > valw)
			valw = vw;
		if (row->isnum && row->v > max)
			max = row->v;
	}
	size_t fixed = valw + 3; /* "  " after the label, " " before the value */
	if (labw + fixed + 10 > width)
		labw = width > fixed + 10 + 4 ? width - fixed - 10 : 4;
	size_t cells = width > labw + fixed ? width - labw - fixed : 1;
	static const char *const eighth[8] = {
		"", "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c",
		"\xe2\x96\x8b", "\xe2\x96\x8a", "\xe2\x96\x89",
	};
	for (size_t r = 0; r < b->n; r++) {
		brow *row = &b->rows[r];
		/* the label, clipped to labw, padded */
		sk_buf lab = { 0 };
		size_t k = 0;
		for (size_t j = 0; j < nl; j++)
			if (!in_title[j]) {
				if (k++)
					sk_buf_putc(&lab, ' ');
				sk_buf_put(&lab, b->text.p + b->parts[row->lab + 2 * j],
					   b->parts[row->lab + 2 * j + 1]);
			}
		size_t lw = u8len(lab.p, lab.len);
		put_clipped(o, lab.p, lab.len, labw, ascii);
		for (size_t pad = (lw > labw ? labw : lw); pad < labw + 2; pad++)
			sk_out_putc(o, ' ');
		sk_buf_free(&lab);
		/* the bar, in eighths of a cell */
		size_t used = 0;
		if (row->isnum && row->v > 0 && max > 0) {
			double cellsf = row->v / max * (double)cells;
			if (ascii) {
				size_t whole = (size_t)(cellsf + 0.5);
				for (; used < whole && used < cells; used++)
					sk_out_putc(o, '#');
			} else {
				size_t e = (size_t)(cellsf * 8 + 0.5);
				if (e > cells * 8)
					e = cells * 8;
				for (size_t i = 0; i < e / 8; i++)
					sk_out_puts(o, "\xe2\x96\x88");
				used = e / 8;
				if (e % 8) {
					sk_out_puts(o, eighth[e % 8]);
					used++;
				}
			}
		}
		for (; used < cells; used++)
			sk_out_putc(o, ' ');
		sk_out_putc(o, ' ');
		if (row->valn)
			sk_out_write(o, b->text.p + row->val, row->valn);
		else
			sk_out_putc(o, '-');
		sk_out_putc(o, '\n');
	}
	free(in_title);
out:
	sk_buf_clear(&b->text);
	b->n = 0;
	b->nparts = 0;
}

static void bar_write(sk_writer *w, const sk_record *rec)
{
	bar *b = w->state;
	if (!b)
		b = w->state = sk_xcalloc(1, sizeof *b);
	if (rec->nf == 0)
		return;
	if (sk_writer_header_changed(w, rec)) {
		draw(w, b);
		b->decided = 0;
	}
	if (!b->decided)
		decide(w, b, rec);
	SK_GROW(b->rows, b->cap, b->n + 1);
	brow *row = &b->rows[b->n++];
	row->lab = b->nparts;
	for (size_t j = 0; j < b->nlab; j++) {
		const sk_field *f = sk_rec_get(rec, b->labslot[j]);
		put_part(b, f ? f->p : "", f ? f->n : 0);
	}
	const sk_field *vf = b->hasval ? sk_rec_get(rec, b->valslot) : NULL;
	row->val = b->text.len;
	row->valn = vf ? vf->n : 0;
	if (vf)
		sk_buf_put(&b->text, vf->p, vf->n);
	row->isnum = vf && is_num(vf->p, vf->n, &row->v);
}

/* Draws what is held: live output shows each snapshot as it comes. */
static void bar_flush(sk_writer *w)
{
	bar *b = w->state;
	if (b)
		draw(w, b);
}

static void bar_finish(sk_writer *w)
{
	bar *b = w->state;
	if (!b)
		return;
	draw(w, b);
	sk_buf_free(&b->text);
	free(b->parts);
	free(b->rows);
	free(b->labslot);
	memset(b, 0, sizeof *b);
}

const sk_format sk_fmt_bar = {
	.name = "bar",
	.write = bar_write,
	.finish = bar_finish,
	.flush = bar_flush,
	.has_header = 1,
	.readable_numbers = 1,
};
