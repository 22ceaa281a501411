/* sk_fmt_csv: RFC 4180 CSV. libcsv parses every record that has a quote;
 * records without one take a memchr split that gives the same fields
 * (tests/unit/csv.c checks the two against each other). A quote is only
 * special at the start of a field: inside an unquoted one it is data, as
 * in Python's csv module, rust-csv and DuckDB. */
#include <csv.h>
#include <stdlib.h>
#include "sk_err.h"
#include "sk_fmt_impl.h"

typedef struct csv_state {
	struct csv_parser p;
	sk_record *rec;
	sk_reader *rd;
	size_t col;
	int header;        /* collecting header names into names[] */
	sk_str *names;
	size_t nnames, cap;
	uint32_t *dpos;    /* delimiter offsets of the current line */
	size_t dcap;
	uint32_t *slotcol; /* slot -> column + 1, for lazy records */
	size_t nslotcol;
	const uint32_t *mapped; /* the column slots slotcol was built from */
	size_t nmapped;
	int quoted_hdr;    /* the input's first header has every name quoted */
} csv_state;

/* No byte is a space: libcsv must keep leading and trailing blanks. */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static csv_state *state(sk_reader *rd)
{
	csv_state *s = rd->state;
	if (!s) {
		s = rd->state = sk_xcalloc(1, sizeof *s);
		/* Not CSV_STRICT: a quote inside an unquoted field is data.
		 * Text after a closing quote, which libcsv would then take in,
		 * csv_scan rejects before libcsv sees the record. */
		if (csv_init(&s->p, CSV_STRICT_FINI) != 0)
			sk_diex(SK_EXIT_DATA, "out of memory");
		csv_set_space_func(&s->p, no_space);
		csv_set_delim(&s->p, (unsigned char)rd->opt->delim);
	}
	return s;
}

/* Takes a field: into the header names, or into the record. */
static void take(csv_state *s, const char *p, size_t n)
{
	if (s->header) {
		SK_GROW(s->names, s->cap, s->nnames + 1);
		s->names[s->nnames].p = p;
		s->names[s->nnames].n = n;
		s->nnames++;
	} else if (s->rd->opt->no_header) {
		sk_rec_push(s->rec, sk_reader_colslot(s->rd, s->col), p, n, SK_FK_TEXT);
	} else if (s->col < s->rd->nhdr) {
		sk_rec_push(s->rec, s->rd->hdr[s->col], p, n, SK_FK_TEXT);
	}
	s->col++;
}

static void cb_field(void *p, size_t n, void *data)
{
	csv_state *s = data;
	take(s, sk_arena_dup(&s->rec->arena, p ? p : "", n), n);
}

static void cb_row(int c, void *data)
{
	(void)c;
	(void)data;
}

/*
 * For a quoted field of [p, p+n) whose opening quote is at p[i - 1]:
 * the offset just past its closing quote ("" is an escaped quote), or 0
 * when it is still open at n.
 */
static size_t quoted_end(const char *p, size_t n, size_t i)
{
	for (;;) {
		const char *q = memchr(p + i, '"', n - i);
		if (!q)
			return 0;
		i = (size_t)(q - p) + 1;
		if (i < n && p[i] == '"') {
			i++;
			continue;
		}
		return i;
	}
}

/*
 * Finds whether [p, p+n) is a whole record: 1 if so, 0 if a quoted field
 * is still open at the end (the record goes on on the next line), -1 if
 * text follows a closing quote (malformed). A quote inside an unquoted
 * field is data: only one that opens a field starts a quoted field.
 */
static int csv_scan(const char *p, size_t n, char d)
{
	size_t i = 0;
	while (i < n) {
		if (p[i] == '"') {
			if (!(i = quoted_end(p, n, i + 1)))
				return 0;
			if (i == n)
				return 1;
			if (p[i] != d)
				return -1;
			i++;
			continue;
		}
		const char *q = memchr(p + i, d, n - i);
		if (!q)
			return 1;
		i = (size_t)(q - p) + 1;
	}
	return 1;
}

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/*
 * Finds the delimiters of [p, p+n) in one pass, 16 bytes at a time where
 * SSE2 is there, storing their offsets in s->dpos. Returns their number,
 * or -1 as soon as a quote is seen (the record then goes to libcsv).
 */
static long scan_delims(csv_state *s, const char *p, size_t n, char d)
{
	SK_GROW(s->dpos, s->dcap, n + 1); /* at most n delimiters */
	uint32_t *pos = s->dpos;
	long k = 0;
	size_t i = 0;
#if defined(__SSE2__)
	const __m128i vd = _mm_set1_epi8(d), vq = _mm_set1_epi8('"');
	for (; i + 16 <= n; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		if (_mm_movemask_epi8(_mm_cmpeq_epi8(x, vq)))
			return -1;
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vd));
		while (m) {
			pos[k++] = (uint32_t)(i + (unsigned)__builtin_ctz(m));
			m &= m - 1;
		}
	}
	if (i < n) {
		/* The last partial block: lines have SK_IN_PAD readable bytes
		 * after them, so load 16 and mask off what is past the end. */
		unsigned live = (1u << (n - i)) - 1;
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		if ((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vq)) & live)
			return -1;
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vd)) & live;
		while (m) {
			pos[k++] = (uint32_t)(i + (unsigned)__builtin_ctz(m));
			m &= m - 1;
		}
		i = n;
	}
#endif
	for (; i < n; i++) {
		if (p[i] == '"')
			return -1;
		if (p[i] == d)
			pos[k++] = (uint32_t)i;
	}
	return k;
}

/* Keeps slotcol the inverse of the column slots cs[0..n). */
static void map_columns(csv_state *s, const uint32_t *cs, size_t n)
{
	if (s->mapped == cs && s->nmapped == n)
		return;
	uint32_t max = 0;
	for (size_t c = 0; c < n; c++)
		if (cs[c] > max)
			max = cs[c];
	s->slotcol = sk_xrealloc(s->slotcol, ((size_t)max + 1) * sizeof *s->slotcol);
	memset(s->slotcol, 0, ((size_t)max + 1) * sizeof *s->slotcol);
	for (size_t c = 0; c < n; c++)
		s->slotcol[cs[c]] = (uint32_t)c + 1;
	s->nslotcol = (size_t)max + 1;
	s->mapped = cs;
	s->nmapped = n;
}

static size_t strip_cr(sk_str s)
{
	return s.n && s.p[s.n - 1] == '\r' ? s.n - 1 : s.n;
}

/*
 * 1 if every field of the whole record [p, p+n) is quoted: after a blank
 * line, such a line is the header of a new block (what the writer writes
 * when the fields change). An ordinary row after a stray blank line is
 * never taken for a header unless all its fields are quoted, and never in
 * an input whose first header already quotes every name (a file written
 * with every field quoted, as R, Excel or Python's QUOTE_ALL write it):
 * there, every row is all quoted.
 */
static int all_quoted(const char *p, size_t n, char d)
{
	size_t i = 0;
	for (;;) {
		if (i >= n || p[i] != '"' || !(i = quoted_end(p, n, i + 1)))
			return 0;
		if (i == n)
			return 1;
		if (p[i] != d)
			return 0;
		i++;
	}
}

/* csv_fields' result when the record read was the header of a new block. */
enum { CSV_NEW_HEADER = 2 };

/*
 * Reads one record's fields (or header names) from the input. Returns
 * SK_REC_OK, SK_REC_EOF, CSV_NEW_HEADER, or SK_REC_BAD (sk_reader_bad).
 */
static int csv_fields(sk_reader *rd, sk_record *rec, csv_state *s)
{
	sk_str l;
	const char d = rd->opt->delim;
	int blank = 0; /* blank lines (LF or CRLF) before this one */
	for (;;) {
		if (!sk_reader_line(rd, &l))
			return SK_REC_EOF;
		if (strip_cr(l) != 0)
			break;
		blank = 1;
	}
	rec->raw = l;
	rec->line = rd->in.rec_line ? rd->in.rec_line : rd->in.line;
	s->rec = rec;
	s->rd = rd;
	s->col = 0;
	size_t n = strip_cr(l);
	int new_block = blank && !s->header && !rd->opt->no_header &&
			!s->quoted_hdr && l.p[0] == '"';
	long nd;
	if (!s->header && n <= UINT32_MAX && (nd = scan_delims(s, l.p, n, d)) >= 0) {
		/* Count the columns now; split them when they are asked for. */
		size_t ncol = (size_t)nd + 1;
		s->col = ncol;
		const uint32_t *cs;
		if (rd->opt->no_header) {
			sk_reader_colslot(rd, ncol - 1);
			cs = rd->colslot;
			map_columns(s, cs, rd->ncolslot);
		} else if (ncol != rd->nhdr) {
			return SK_REC_OK; /* the caller rejects the count */
		} else {
			cs = rd->hdr;
			map_columns(s, cs, rd->nhdr);
		}
		sk_rec_set_unsplit(rec, (sk_str){ l.p, n }, s->dpos, ncol, cs,
				   s->slotcol, s->nslotcol);
		return SK_REC_OK;
	}
	if (!memchr(l.p, '"', n)) {
		const char *p = l.p, *e = l.p + n;
		for (;;) {
			const char *q = memchr(p, d, (size_t)(e - p));
			take(s, p, q ? (size_t)(q - p) : (size_t)(e - p));
			if (!q)
				break;
			p = q + 1;
		}
		return SK_REC_OK;
	}
	int r;
	while ((r = csv_scan(l.p, strip_cr(l), d)) == 0) {
		if (!sk_in_more(&rd->in, &l)) {
			if (rd->in.stopped) /* cut short by a signal */
				return SK_REC_EOF;
			rec->raw = l;
			return sk_reader_bad(rd, SK_BAD_CSV, 0,
					     "unterminated quoted field at end of input");
		}
	}
	rec->raw = l;
	if (r < 0)
		return sk_reader_bad(rd, SK_BAD_CSV, 0, "text after a closing quote");
	n = strip_cr(l);
	if (new_block && all_quoted(l.p, n, d)) {
		s->header = 1;
		s->nnames = 0;
		r = csv_parse(&s->p, l.p, n, cb_field, cb_row, s) != n ||
		    csv_fini(&s->p, cb_field, cb_row, s) != 0;
		s->header = 0;
		if (!r)
			return CSV_NEW_HEADER;
		return sk_reader_bad(rd, SK_BAD_CSV, 0, "%s", csv_strerror(csv_error(&s->p)));
	}
	if (csv_parse(&s->p, l.p, n, cb_field, cb_row, s) != n ||
	    csv_fini(&s->p, cb_field, cb_row, s) != 0)
		return sk_reader_bad(rd, SK_BAD_CSV, 0, "%s", csv_strerror(csv_error(&s->p)));
	/* "" alone is a record of one empty field; libcsv drops empty rows. */
	if (s->col == 0)
		take(s, "", 0);
	return SK_REC_OK;
}

/* The names just read in s->names are the header from here on. */
static void new_header(sk_reader *rd, sk_record *rec, csv_state *s)
{
	sk_reader_set_header(rd, s->names, s->nnames);
	s->mapped = NULL; /* a new header: map its columns anew */
	sk_buf_clear(&rd->hdr_raw);
	sk_buf_put(&rd->hdr_raw, rec->raw.p, rec->raw.n);
	sk_rec_clear(rec);
	rec->src = sk_reader_name(rd);
}

/* The header did not parse (rd->err says why): nothing after it can be
 * read as its records. */
static int bad_header(sk_reader *rd)
{
	sk_buf why = { 0 };
	sk_buf_put(&why, rd->err.p, rd->err.len);
	int r = sk_reader_bad(rd, SK_BAD_HEADER, 0, "%s", why.p);
	sk_buf_free(&why);
	return r;
}

static int csvr_read(sk_reader *rd, sk_record *rec)
{
	csv_state *s = state(rd);
	if (rd->need_header) {
		s->header = 1;
		s->nnames = 0;
		int r = csv_fields(rd, rec, s);
		s->header = 0;
		if (r == SK_REC_EOF)
			return r;
		if (r == SK_REC_BAD)
			return bad_header(rd);
		new_header(rd, rec, s);
		s->quoted_hdr = all_quoted(rd->hdr_raw.p,
					   strip_cr((sk_str){ rd->hdr_raw.p, rd->hdr_raw.len }),
					   rd->opt->delim);
		if (rd->pending_block) {
			/* a later block's header, every name quoted: the
			 * file's first header did not quote them all */
			s->quoted_hdr = 0;
			rd->pending_block = 0;
		}
		rd->need_header = 0;
	}
	int r;
	while ((r = csv_fields(rd, rec, s)) == CSV_NEW_HEADER)
		new_header(rd, rec, s);
	if (r == SK_REC_OK && !rd->opt->no_header && s->col != rd->nhdr)
		return sk_reader_bad(rd, SK_BAD_FIELDS, 0, "expected %zu fields, got %zu",
				     rd->nhdr, s->col);
	return r;
}

/* Appends [p, p+n) in double quotes, a quote inside doubled. */
static void put_quoted(sk_out *o, const char *p, size_t n)
{
	const char *e = p + n;
	sk_out_putc(o, '"');
	for (;;) {
		const char *x = memchr(p, '"', (size_t)(e - p));
		if (!x) {
			sk_out_write(o, p, (size_t)(e - p));
			break;
		}
		sk_out_write(o, p, (size_t)(x - p) + 1);
		sk_out_putc(o, '"');
		p = x + 1;
	}
	sk_out_putc(o, '"');
}

/* Appends one CSV field, quoted only when it must be. */
static void put_field(sk_out *o, const char *p, size_t n, char d, int alone)
{
	/* Bytes that make a field need quotes, for the delimiter in use. */
	static _Thread_local unsigned char special[256];
	static _Thread_local int special_for = -1;
	if (special_for != (unsigned char)d) {
		memset(special, 0, sizeof special);
		special['"'] = special['\n'] = special['\r'] = 1;
		special[(unsigned char)d] = 1;
		special_for = (unsigned char)d;
	}
	int q = alone && n == 0;
	const unsigned char *u = (const unsigned char *)p;
	for (size_t i = 0; i < n; i++)
		if (special[u[i]]) {
			q = 1;
			break;
		}
	if (!q) {
		sk_out_write(o, p, n);
		return;
	}
	put_quoted(o, p, n);
}

static int same_slots(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	return na == nb && (na == 0 || memcmp(a, b, na * sizeof *a) == 0);
}

static void csvw_write(sk_writer *w, const sk_record *rec)
{
	const char d = w->opt->delim;
	if (sk_writer_header_changed(w, rec) && w->opt->out_header) {
		/* A new block: a blank line, then its header with every name
		 * quoted, which the reader takes for a header (and a blank line
		 * before an ordinary row for nothing). */
		const sk_reader *rd = w->rd;
		if (w->blocks > 1) {
			sk_out_putc(w->out, '\n');
			for (size_t i = 0; i < w->nhdr; i++) {
				sk_str nm = sk_schema_name(w->schema, w->hdr[i]);
				if (i)
					sk_out_putc(w->out, d);
				put_quoted(w->out, nm.p, nm.n);
			}
		} else if (w->raw_ok && rd && rd->hdr_raw.len &&
			   same_slots(w->hdr, w->nhdr, rd->hdr, rd->nhdr) &&
			   !all_quoted(rd->hdr_raw.p, strip_cr((sk_str){ rd->hdr_raw.p, rd->hdr_raw.len }), d)) {
			/* as read, unless every name is quoted: a reader would
			 * then not see the blocks after it */
			sk_out_write(w->out, rd->hdr_raw.p, rd->hdr_raw.len);
		} else {
			for (size_t i = 0; i < w->nhdr; i++) {
				sk_str nm = sk_schema_name(w->schema, w->hdr[i]);
				if (i)
					sk_out_putc(w->out, d);
				put_field(w->out, nm.p, nm.n, d, w->nhdr == 1);
			}
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
			sk_out_putc(w->out, d);
		put_field(w->out, rec->f[i].p, rec->f[i].n, d, rec->nf == 1);
	}
	sk_out_putc(w->out, '\n');
}

static void csv_free_state(sk_reader *rd)
{
	csv_state *s = rd->state;
	csv_free(&s->p);
	free(s->names);
	free(s->dpos);
	free(s->slotcol);
}

const sk_format sk_fmt_csv = {
	.name = "csv",
	.read = csvr_read,
	.write = csvw_write,
	.free_state = csv_free_state,
	.has_header = 1,
};
