/* sk_fmt_tsv: tab-separated values with a header row and the \t \n \r \\
 * escapes inside fields (the IANA/tsv-utils convention). */
#include <stdlib.h>
#include "sk_fmt_impl.h"

/* Unescapes a field into the record's arena when it holds a backslash. */
static sk_str unescape(sk_record *rec, const char *p, size_t n)
{
	sk_str s = { p, n };
	if (!memchr(p, '\\', n))
		return s;
	char *o = sk_arena_alloc(&rec->arena, n + 1), *q = o;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (c == '\\' && i + 1 < n) {
			char e = p[i + 1];
			if (e == 't' || e == 'n' || e == 'r' || e == '\\') {
				*q++ = e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : '\\';
				i++;
				continue;
			}
		}
		*q++ = c;
	}
	s.p = o;
	s.n = (size_t)(q - o);
	return s;
}

/* Splits a line at tabs; calls back with each (unescaped) field. */
static size_t split(sk_record *rec, sk_str l, sk_str **tmp, size_t *cap)
{
	size_t n = 0;
	const char *p = l.p, *e = l.p + l.n;
	for (;;) {
		const char *q = memchr(p, '\t', (size_t)(e - p));
		SK_GROW(*tmp, *cap, n + 1);
		(*tmp)[n++] = unescape(rec, p, q ? (size_t)(q - p) : (size_t)(e - p));
		if (!q)
			break;
		p = q + 1;
	}
	return n;
}

/*
 * 1 if every field is in double quotes: after a blank line, such a line
 * is the header of a new block (what the writer writes when the fields
 * change; TSV has no quoting otherwise, so the quotes mark it). An
 * ordinary row after a stray blank line is never taken for a header
 * unless every field of it is quoted.
 */
static int all_quoted(const sk_str *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].n < 2 || f[i].p[0] != '"' || f[i].p[f[i].n - 1] != '"')
			return 0;
	return 1;
}

typedef struct tsv_state {
	sk_str *f;
	size_t cap;
} tsv_state;

static int tsv_read(sk_reader *rd, sk_record *rec)
{
	tsv_state *s = rd->state;
	if (!s)
		s = rd->state = sk_xcalloc(1, sizeof *s);
	sk_str l;
	for (;;) {
		int blank = 0; /* blank lines (LF or CRLF) before this one */
		for (;;) {
			if (!sk_reader_line(rd, &l))
				return SK_REC_EOF;
			if (!(l.n == 0 || (l.n == 1 && l.p[0] == '\r')))
				break;
			blank = 1;
		}
		rec->raw = l;
		rec->line = rd->in.line;
		if (l.p[l.n - 1] == '\r')
			l.n--;
		size_t n = split(rec, l, &s->f, &s->cap);
		if (blank && !rd->need_header && !rd->opt->no_header && all_quoted(s->f, n)) {
			/* A new block's header: its names without their quotes. */
			for (size_t i = 0; i < n; i++) {
				s->f[i].p++;
				s->f[i].n -= 2;
			}
			rd->need_header = 1;
		}
		if (rd->need_header && rd->pending_block && all_quoted(s->f, n)) {
			/* started under a later block's header (sk_span) */
			for (size_t i = 0; i < n; i++) {
				s->f[i].p++;
				s->f[i].n -= 2;
			}
		}
		rd->pending_block = 0;
		if (rd->need_header) {
			sk_reader_set_header(rd, s->f, n);
			sk_buf_clear(&rd->hdr_raw);
			sk_buf_put(&rd->hdr_raw, rec->raw.p, rec->raw.n);
			rd->need_header = 0;
			sk_rec_clear(rec);
			rec->src = sk_reader_name(rd);
			continue;
		}
		if (rd->opt->no_header) {
			for (size_t i = 0; i < n; i++)
				sk_rec_push(rec, sk_reader_colslot(rd, i), s->f[i].p, s->f[i].n, SK_FK_TEXT);
			return SK_REC_OK;
		}
		if (n != rd->nhdr)
			return sk_reader_bad(rd, SK_BAD_FIELDS, 0, "expected %zu fields, got %zu",
					     rd->nhdr, n);
		for (size_t i = 0; i < n; i++)
			sk_rec_push(rec, rd->hdr[i], s->f[i].p, s->f[i].n, SK_FK_TEXT);
		return SK_REC_OK;
	}
}

static void put_escaped(sk_out *o, const char *p, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		char c = p[i], e;
		switch (c) {
		case '\t': e = 't'; break;
		case '\n': e = 'n'; break;
		case '\r': e = 'r'; break;
		case '\\': e = '\\'; break;
		default: continue;
		}
		sk_out_write(o, p + start, i - start);
		sk_out_putc(o, '\\');
		sk_out_putc(o, e);
		start = i + 1;
	}
	sk_out_write(o, p + start, n - start);
}

static void tsv_write(sk_writer *w, const sk_record *rec)
{
	if (sk_writer_header_changed(w, rec) && w->opt->out_header) {
		/* A new block: a blank line, then its header with every name
		 * in quotes, which the reader takes for a header. */
		int block = w->blocks > 1;
		if (block)
			sk_out_putc(w->out, '\n');
		for (size_t i = 0; i < w->nhdr; i++) {
			sk_str nm = sk_schema_name(w->schema, w->hdr[i]);
			if (i)
				sk_out_putc(w->out, '\t');
			if (block)
				sk_out_putc(w->out, '"');
			put_escaped(w->out, nm.p, nm.n);
			if (block)
				sk_out_putc(w->out, '"');
		}
		sk_out_putc(w->out, '\n');
		if (w->blocks == 1)
			w->hdr_end = w->out->len;
	}
	if (w->header_only)
		return;
	if (w->raw_ok && !rec->modified) {
		sk_out_write(w->out, rec->raw.p, rec->raw.n);
		sk_out_putc(w->out, '\n');
		return;
	}
	for (size_t i = 0; i < rec->nf; i++) {
		if (i)
			sk_out_putc(w->out, '\t');
		put_escaped(w->out, rec->f[i].p, rec->f[i].n);
	}
	sk_out_putc(w->out, '\n');
}

static void tsv_free_state(sk_reader *rd)
{
	free(((tsv_state *)rd->state)->f);
}

const sk_format sk_fmt_tsv = {
	.name = "tsv",
	.read = tsv_read,
	.write = tsv_write,
	.free_state = tsv_free_state,
	.has_header = 1,
};
