/*
 * sk_fmt_impl: what a format implementation (sk_fmt_*.c) needs beyond the
 * users' API of sk_fmt.h: its row of the format table, the reader's line
 * access and header, the one call that reports a bad record, and the
 * writers' header blocks. Only the formats, sk_fmt.c and the writer's
 * number formatting (sk_numout.c) include it; never a tool.
 */
#ifndef SK_FMT_IMPL_H
#define SK_FMT_IMPL_H

#include "sk_fmt.h"

/* One row of the format table: its name, and what it can do. A format
 * reads if read is set and writes if write is set. */
struct sk_format {
	const char *name;
	/* Reads one record into rec (already cleared). Returns SK_REC_OK,
	 * SK_REC_EOF, or what sk_reader_bad returns, with rec->raw/line set
	 * to the bad bytes. */
	int (*read)(sk_reader *rd, sk_record *rec);
	/* Writes one record; NULL for formats that cannot be written. */
	void (*write)(sk_writer *w, const sk_record *rec);
	/* Called once at the end of output (table prints here); may be NULL. */
	void (*finish)(sk_writer *w);
	/* Writes out what the writer holds back (table's block), for live
	 * output; may be NULL. */
	void (*flush)(sk_writer *w);
	int has_header; /* csv, tsv: first line names the fields */
	int readable_numbers; /* table, markdown, bar: long fractions rounded
			       * (sk_numout.h) unless --ofmt says */
	/* Frees what read put in rd->state beyond the block itself (which
	 * sk_reader_free frees); may be NULL. */
	void (*free_state)(sk_reader *rd);
};

/* The formats (sk_fmt_*.c), listed in sk_fmt.c's table. */
extern const sk_format sk_fmt_csv, sk_fmt_tsv, sk_fmt_jsonl, sk_fmt_logfmt,
	sk_fmt_clf, sk_fmt_lines, sk_fmt_table, sk_fmt_markdown, sk_fmt_bar;

/* The next line of the current file, honouring a line kept back by
 * detection. Returns 0 at the end of the file. */
int sk_reader_line(sk_reader *rd, sk_str *line);
/*
 * For line formats: the next line of the current file as a record: sets
 * rec->raw (the line as read), rec->line and rec->src, and *body to the
 * line without a final '\r'. Returns 0 at the end of the file. Blank
 * lines are returned too: the format decides.
 */
int sk_reader_record_line(sk_reader *rd, sk_record *rec, sk_str *body);

/*
 * The record being read is bad, of the given kind (sk_err.h). Sets
 * rd->bad, and rd->err to the message: "NAME: " first for the kinds that
 * say their name (sk_bad_kinds), then fmt, then " at column COLUMN"
 * unless column is 0 (columns count bytes from 1). Returns what the
 * format's read returns: SK_REC_FATAL for a kind that ends the input,
 * else SK_REC_BAD. Every reader reports bad data through here.
 */
int sk_reader_bad(sk_reader *rd, enum sk_bad kind, size_t column,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5), cold));

/* The slot of column i of a headerless row ("1", "2", ...), interned on
 * first use. */
uint32_t sk_reader_colslot(sk_reader *rd, size_t i);
/* The header of the current file is the given names (unescaped): interns
 * them (an empty name becomes its column number, a repeated one gets
 * "_2", "_3" as Miller does) into rd->hdr. */
void sk_reader_set_header(sk_reader *rd, const sk_str *names, size_t n);

/*
 * For writers of header formats: returns 1 if rec's field slots differ
 * from the current header block (then w->hdr is updated to rec's slots and
 * a new header is due), else 0.
 */
int sk_writer_header_changed(sk_writer *w, const sk_record *rec);

#endif
