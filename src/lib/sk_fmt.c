/* sk_fmt: the format registry, input auto-detection, and the reader and
 * writer plumbing every format shares (files, headers, raw pass-through). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include "sk_err.h"
#include "sk_fmt_impl.h"
#include "sk_numout.h"

static const sk_format *const formats[] = {
	&sk_fmt_csv, &sk_fmt_tsv, &sk_fmt_jsonl, &sk_fmt_logfmt,
	&sk_fmt_clf, &sk_fmt_lines, &sk_fmt_table, &sk_fmt_markdown, &sk_fmt_bar,
};
#define NFORMATS (sizeof formats / sizeof formats[0])

const sk_format *sk_format_find(const char *name)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (strcmp(formats[i]->name, name) == 0)
			return formats[i];
	return NULL;
}

/* Room for every name of the table, each with its space, and "auto". */
#define NAMES_MAX (NFORMATS * 16 + sizeof "auto")

int sk_format_reads(const sk_format *f)
{
	return f && f->read;
}

const char *sk_format_name(const sk_format *f)
{
	return f ? f->name : NULL;
}

int sk_format_has_header(const sk_format *f)
{
	return f && f->has_header;
}

int sk_format_writes(const sk_format *f)
{
	return f && f->write;
}

const char *sk_format_names(int writable)
{
	static char names[2][NAMES_MAX];
	char *s = names[writable != 0];
	if (*s)
		return s;
	size_t n = 0;
	if (!writable)
		n = (size_t)snprintf(s, NAMES_MAX, "auto");
	for (size_t i = 0; i < NFORMATS; i++) {
		if (!(writable ? formats[i]->write != NULL : formats[i]->read != NULL))
			continue;
		int w = snprintf(s + n, NAMES_MAX - n, "%s%s", n ? " " : "",
				 formats[i]->name);
		if (w < 0 || (size_t)w >= NAMES_MAX - n)
			abort(); /* a name of 16 bytes or more: widen NAMES_MAX */
		n += (size_t)w;
	}
	return s;
}

const char *sk_format_record_names(void)
{
	static char s[NAMES_MAX];
	size_t n = 0;
	if (*s)
		return s;
	for (size_t i = 0; i < NFORMATS; i++)
		if (formats[i]->read && formats[i]->write)
			n += (size_t)snprintf(s + n, NAMES_MAX - n, "%s%s",
					      n ? " " : "", formats[i]->name);
	return s;
}

void sk_reader_init(sk_reader *rd, const char *fmt, sk_schema *schema,
		    const sk_fmt_opts *opt, char *const *files, size_t nfiles)
{
	memset(rd, 0, sizeof *rd);
	if (!fmt || strcmp(fmt, "auto") == 0) {
		rd->autodetect = 1;
	} else {
		rd->fmt = sk_format_find(fmt);
		if (!rd->fmt || !rd->fmt->read)
			sk_diex(SK_EXIT_USAGE, "unknown input format '%s' (one of: %s)",
				fmt, sk_format_names(0));
	}
	rd->schema = schema;
	rd->opt = opt;
	rd->files = files;
	rd->nfiles = nfiles;
	rd->in.fd = -1;
}

void sk_reader_free(sk_reader *rd)
{
	if (rd->open)
		sk_in_close(&rd->in);
	free(rd->hdr);
	free(rd->colslot);
	sk_buf_free(&rd->hdr_raw);
	sk_buf_free(&rd->err);
	sk_buf_free(&rd->scratch);
	if (rd->state && rd->fmt && rd->fmt->free_state)
		rd->fmt->free_state(rd);
	free(rd->state);
	rd->state = NULL;
	rd->open = 0;
}

/* Fills the out fields of the current file's span as it is closed. */
static void span_close(sk_reader *rd, sk_span *sp)
{
	sk_in *in = &rd->in;
	sp->end = in->offset + in->pos;
	if (sp->end < sp->start)
		sp->end = sp->start;
	sp->lines = in->line;
	if (in->z)
		sp->compressed = 1;
	char head[SK_SPAN_HEAD];
	size_t want = sp->end < sizeof head ? (size_t)sp->end : sizeof head;
	ssize_t got = want ? pread(in->fd, head, want, 0) : 0;
	sp->headlen = got > 0 ? (uint64_t)got : 0;
	sp->headhash = XXH64(head, (size_t)sp->headlen, 0);
	sk_buf_clear(&sp->hdr_out);
	if (rd->fmt && rd->fmt->has_header && !rd->opt->no_header &&
	    !rd->need_header)
		sk_buf_put(&sp->hdr_out, rd->hdr_raw.p, rd->hdr_raw.len);
}

/* Starts the file just opened where its span says. */
static void span_open(sk_reader *rd, sk_span *sp)
{
	sk_in *in = &rd->in;
	struct stat st;
	sp->opened = 1;
	if (fstat(in->fd, &st) == 0) {
		sp->dev = (uint64_t)st.st_dev;
		sp->ino = (uint64_t)st.st_ino;
	}
	in->hold_last = sp->hold_last;
	in->stop = sp->stop;
	if (sp->check_id && (sp->dev != sp->want_dev || sp->ino != sp->want_ino)) {
		/* rotated since the plan was made: the next run finishes
		 * the old file and starts this one */
		sk_warn("%s: replaced as it was opened; left for the next run",
			in->name);
		sp->opened = 0;
		sk_in_end(in);
		return;
	}
	if (!sp->start)
		return;
	if (sp->start_data) {
		/* a compressed file finished: its data's bytes skipped */
		if (sk_in_skip(in, sp->start) < 0 && !in->stopped) {
			sk_warn("%s: shorter than the %llu bytes read of it "
				"before; its lines after them are not read",
				in->name, (unsigned long long)sp->start);
			in->err = EIO;
		}
		if (in->eof)
			return;
	} else {
		if (lseek(in->fd, (off_t)sp->start, SEEK_SET) < 0) {
			in->err = errno;
			sk_warn("%s: %s", in->name, strerror(errno));
			sk_in_end(in);
			return;
		}
		in->offset = sp->start;
		in->sniffed = 1; /* the middle of a file: no compression magic */
	}
	in->line = sp->line0;
	/* -i auto: detection reads the header first, as at the file's start */
	if (sp->hdr && !rd->opt->no_header && (!rd->fmt || rd->need_header)) {
		rd->pending = (sk_str){ sp->hdr, sp->nhdr };
		rd->has_pending = 1;
		rd->pending_block = sp->block;
	}
}

/* Closes the current input, counting it if a read failed. */
static void close_input(sk_reader *rd)
{
	if (rd->spans)
		span_close(rd, &rd->spans[rd->file - 1]);
	if (rd->in.err)
		rd->nfailed++;
	sk_in_close(&rd->in);
	rd->open = 0;
}

static int open_next(sk_reader *rd)
{
	size_t n = rd->nfiles ? rd->nfiles : 1;
	if (rd->open)
		close_input(rd);
	const char *path;
	for (;;) {
		if (rd->file >= n)
			return 0;
		path = rd->nfiles ? rd->files[rd->file] : NULL;
		rd->file++;
		if (sk_in_open(&rd->in, path, rd->opt->max_record) == 0)
			break;
		/* an empty name is shown as '', as cat shows it */
		sk_warn("%s: %s", path && *path ? path : "''", strerror(errno));
		rd->nfailed++;
	}
	rd->in.idle = rd->idle;
	rd->in.idle_ctx = rd->idle_ctx;
	rd->open = 1;
	rd->has_pending = 0;
	rd->pending_block = 0;
	rd->need_header = rd->fmt && rd->fmt->has_header && !rd->opt->no_header;
	if (rd->spans)
		span_open(rd, &rd->spans[rd->file - 1]);
	return 1;
}

int sk_reader_line(sk_reader *rd, sk_str *line)
{
	if (rd->has_pending) {
		rd->has_pending = 0;
		*line = rd->pending;
		return 1;
	}
	if (!sk_in_line(&rd->in, line))
		return 0;
	/* A UTF-8 byte order mark opens the file, never the data: a file
	 * that is only one is empty. */
	static const char bom[] = "\xEF\xBB\xBF";
	const size_t nbom = sizeof bom - 1;
	if (rd->in.line == 1 && rd->in.offset + rd->in.beg == 0 &&
	    line->n >= nbom && memcmp(line->p, bom, nbom) == 0) {
		line->p += nbom;
		line->n -= nbom;
		if (line->n == 0 && !rd->in.last_nl)
			return 0;
	}
	return 1;
}

int sk_reader_record_line(sk_reader *rd, sk_record *rec, sk_str *body)
{
	sk_str l;
	if (!sk_reader_line(rd, &l))
		return 0;
	rec->raw = l;
	rec->line = rd->in.line;
	rec->src = sk_reader_name(rd);
	if (l.n && l.p[l.n - 1] == '\r')
		l.n--;
	*body = l;
	return 1;
}

/* 1 if the line is empty or only blanks (spaces, tabs, a CR). */
static int blank_line(sk_str l)
{
	for (size_t i = 0; i < l.n; i++)
		if (l.p[i] != ' ' && l.p[i] != '\t' && l.p[i] != '\r')
			return 0;
	return 1;
}

/* -i auto: '{' means jsonl, a tab tsv, "key=" logfmt, else csv. */
static const sk_format *detect(sk_str l)
{
	size_t i = 0;
	while (i < l.n && (l.p[i] == ' ' || l.p[i] == '\t'))
		i++;
	if (i < l.n && l.p[i] == '{')
		return &sk_fmt_jsonl;
	if (memchr(l.p, '\t', l.n))
		return &sk_fmt_tsv;
	size_t j = i;
	while (j < l.n && (l.p[j] == '_' || l.p[j] == '.' || l.p[j] == '-' ||
			   (l.p[j] >= 'a' && l.p[j] <= 'z') ||
			   (l.p[j] >= 'A' && l.p[j] <= 'Z') ||
			   (j > i && l.p[j] >= '0' && l.p[j] <= '9')))
		j++;
	if (j > i && j < l.n && l.p[j] == '=')
		return &sk_fmt_logfmt;
	return &sk_fmt_csv;
}

int sk_reader_bad(sk_reader *rd, enum sk_bad kind, size_t column,
		  const char *fmt, ...)
{
	const sk_bad_kind *k = &sk_bad_kinds[kind];
	sk_buf_clear(&rd->err);
	if (k->says_kind) {
		sk_buf_puts(&rd->err, k->name);
		sk_buf_puts(&rd->err, ": ");
	}
	va_list ap;
	va_start(ap, fmt);
	sk_buf_vprintf(&rd->err, fmt, ap);
	va_end(ap);
	if (column)
		sk_buf_printf(&rd->err, " at column %zu", column);
	rd->bad = kind;
	return k->ends_input ? SK_REC_FATAL : SK_REC_BAD;
}

/*
 * The input met a record over --max-record: whatever the format made of
 * the end of input it then saw (an unterminated quote), the stream ends
 * there, at the line that record reached.
 */
static __attribute__((cold, noinline)) int too_long(sk_reader *rd, sk_record *rec)
{
	sk_rec_clear(rec);
	rec->src = sk_reader_name(rd);
	rec->line = rd->in.long_line;
	rd->in.long_line = 0;
	return sk_reader_bad(rd, SK_BAD_TOO_LONG, 0,
			     "record longer than %zu bytes (--max-record)",
			     rd->in.max_record);
}

/* The stream ends at an error the input cannot be read past: no more of
 * this input, and no next one. */
static __attribute__((cold)) void end_stream(sk_reader *rd)
{
	sk_in_end(&rd->in);
	rd->has_pending = 0;
	rd->file = rd->nfiles ? rd->nfiles : 1;
}

int sk_read(sk_reader *rd, sk_record *rec)
{
	for (;;) {
		if (!rd->open && !open_next(rd))
			return SK_REC_EOF;
		if (!rd->fmt) {
			/* Detection looks at the first line that is not blank:
			 * every format skips blank lines before its first record. */
			sk_str l;
			int more;
			while ((more = sk_reader_line(rd, &l)) && blank_line(l))
				;
			if (!more && rd->in.long_line) {
				end_stream(rd);
				return too_long(rd, rec);
			}
			if (!more) {
				if (rd->in.stopped)
					return SK_REC_EOF;
				close_input(rd);
				continue;
			}
			rd->fmt = detect(l);
			rd->pending = l;
			rd->has_pending = 1;
			rd->need_header = rd->fmt->has_header && !rd->opt->no_header;
		}
		sk_rec_clear(rec);
		rec->src = sk_reader_name(rd);
		int r = rd->fmt->read(rd, rec);
		if (r == SK_REC_OK)
			return r;
		if (rd->in.long_line)
			r = too_long(rd, rec);
		if (r == SK_REC_FATAL)
			end_stream(rd);
		if (r != SK_REC_EOF)
			return r;
		/* stopped by a signal: the file stays open where its last
		 * record ends (what a --state run saves) and no later file
		 * is opened */
		if (rd->in.stopped)
			return SK_REC_EOF;
		close_input(rd);
	}
}

int sk_reader_header_record(const sk_reader *rd, sk_record *rec)
{
	if (!rd->fmt || !rd->fmt->has_header || rd->opt->no_header || !rd->hdr)
		return 0;
	sk_rec_clear(rec);
	for (size_t i = 0; i < rd->nhdr; i++)
		sk_rec_push(rec, rd->hdr[i], "", 0, SK_FK_TEXT);
	return 1;
}

/* The first capacity of a headerless stream's column names. */
#define COLSLOT_MIN 16

uint32_t sk_reader_colslot(sk_reader *rd, size_t i)
{
	if (i >= rd->ncolslot) {
		/* The names of a whole capacity are interned at once, from
		 * COLSLOT_MIN on, so the schema's slots come in the same order
		 * however wide the first row is. */
		size_t old = rd->ncolslot;
		rd->colslot = sk_grow(rd->colslot, &rd->ncolslot,
				      i < COLSLOT_MIN ? COLSLOT_MIN : i + 1,
				      sizeof *rd->colslot);
		for (size_t k = old; k < rd->ncolslot; k++) {
			char name[24];
			int len = snprintf(name, sizeof name, "%zu", k + 1);
			rd->colslot[k] = sk_schema_intern(rd->schema, name, (size_t)len);
		}
	}
	return rd->colslot[i];
}

/* Grows a per-slot array of the header being set to cover slot, the new
 * entries 0. */
static uint32_t *slot_array(uint32_t *a, size_t *n, uint32_t slot)
{
	if (slot < *n)
		return a;
	size_t old = *n;
	a = sk_grow(a, n, (size_t)slot + 1, sizeof *a);
	memset(a + old, 0, (*n - old) * sizeof *a);
	return a;
}

/*
 * Linear in the header's size: which slots the header already has is an
 * array by slot, not a search of the names before, and a repeated name
 * remembers the suffix to try next, so "a,a,a,..." does not try a_2,
 * a_3, ... again for every copy.
 */
void sk_reader_set_header(sk_reader *rd, const sk_str *names, size_t n)
{
	rd->hdr = sk_xrealloc(rd->hdr, (n ? n : 1) * sizeof *rd->hdr);
	rd->nhdr = n;
	uint32_t *taken = NULL, *next = NULL; /* by slot: in the header; next suffix */
	size_t ntaken = 0, nnext = 0;
	sk_buf name = { 0 };
	for (size_t i = 0; i < n; i++) {
		sk_buf_clear(&name);
		if (names[i].n)
			sk_buf_put(&name, names[i].p, names[i].n);
		else
			sk_buf_printf(&name, "%zu", i + 1);
		size_t base = name.len;
		uint32_t first = sk_schema_intern(rd->schema, name.p, name.len), slot = first;
		taken = slot_array(taken, &ntaken, slot);
		if (taken[slot]) {
			next = slot_array(next, &nnext, first);
			uint32_t k = next[first] ? next[first] : 2;
			for (;; k++) {
				name.len = base;
				sk_buf_printf(&name, "_%u", k);
				slot = sk_schema_intern(rd->schema, name.p, name.len);
				taken = slot_array(taken, &ntaken, slot);
				if (!taken[slot])
					break;
			}
			next = slot_array(next, &nnext, first);
			next[first] = k + 1;
		}
		taken[slot] = 1;
		rd->hdr[i] = slot;
	}
	free(taken);
	free(next);
	sk_buf_free(&name);
}

void sk_writer_init(sk_writer *w, const char *fmt, sk_out *out,
		    const sk_schema *schema, const sk_fmt_opts *opt,
		    const sk_reader *rd)
{
	memset(w, 0, sizeof *w);
	w->out = out;
	w->schema = schema;
	w->opt = opt;
	w->rd = rd;
	if (fmt && *fmt) {
		w->fmt = sk_format_find(fmt);
		if (!w->fmt || !w->fmt->write)
			sk_diex(SK_EXIT_USAGE, "unknown output format '%s' (one of: %s)",
				fmt, sk_format_names(1));
	}
}

const sk_format *sk_format_out_default(const sk_format *in)
{
	return in && in->write ? in : &sk_fmt_csv;
}

/* The output format follows the input's, known only after detection. */
static void resolve_format(sk_writer *w)
{
	const sk_format *in = w->rd ? w->rd->fmt : NULL;
	if (!w->fmt)
		w->fmt = sk_format_out_default(in);
	w->raw_ok = in == w->fmt; /* table is never an input */
}

void sk_write(sk_writer *w, const sk_record *rec)
{
	if (!w->fmt || (!w->blocks && !w->nhdr))
		resolve_format(w);
	rec = sk_writer_numbers(w, rec);
	if (w->raw_ok && !rec->modified && !w->fmt->has_header) {
		sk_out_write(w->out, rec->raw.p, rec->raw.n);
		sk_out_putc(w->out, '\n');
		return;
	}
	if (!w->raw_ok || rec->modified)
		sk_rec_finish(rec);
	w->fmt->write(w, rec);
}

void sk_write_header(sk_writer *w, const sk_record *rec)
{
	if (w->blocks || w->nhdr)
		return;
	resolve_format(w);
	if (!w->fmt->has_header || !w->opt->out_header)
		return;
	w->header_only = 1;
	w->fmt->write(w, rec);
	w->header_only = 0;
}

void sk_writer_flush(sk_writer *w)
{
	if (w->fmt && w->fmt->flush)
		w->fmt->flush(w);
}

void sk_writer_finish(sk_writer *w)
{
	if (!w->fmt)
		resolve_format(w);
	if (w->fmt->finish)
		w->fmt->finish(w);
}

void sk_writer_free(sk_writer *w)
{
	free(w->hdr);
	free(w->hdr1);
	w->hdr1 = NULL;
	sk_buf_free(&w->tmp);
	free(w->state);
	sk_writer_numbers_free(w);
	w->hdr = NULL;
}

/* The slot of field i of an unchanged or changed record, split or not. */
static inline uint32_t field_slot(const sk_record *rec, size_t i)
{
	return rec->partial ? rec->colslot[i] : rec->f[i].slot;
}

int sk_writer_header_changed(sk_writer *w, const sk_record *rec)
{
	size_t n = rec->partial ? rec->ncol : rec->nf;
	if (w->blocks && w->nhdr == n) {
		size_t i = 0;
		while (i < n && w->hdr[i] == field_slot(rec, i))
			i++;
		if (i == n)
			return 0;
	}
	w->hdr = sk_xrealloc(w->hdr, (n ? n : 1) * sizeof *w->hdr);
	for (size_t i = 0; i < n; i++)
		w->hdr[i] = field_slot(rec, i);
	w->nhdr = n;
	if (w->blocks++ == 0) {
		w->hdr_beg = w->hdr_end = w->out->len;
		w->hdr1 = sk_xrealloc(w->hdr1, (n ? n : 1) * sizeof *w->hdr1);
		memcpy(w->hdr1, w->hdr, n * sizeof *w->hdr);
		w->nhdr1 = n;
	}
	return 1;
}
