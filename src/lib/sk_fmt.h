/*
 * sk_fmt: reading and writing records, for the tools: find a format by
 * name, read a stream of records across files, write records in a
 * format. What a format implementation needs besides (the sk_format
 * table row, line access, the header, the bad-record call) is in
 * sk_fmt_impl.h; a tool never includes it.
 */
#ifndef SK_FMT_H
#define SK_FMT_H

#include <stddef.h>
#include <stdint.h>
#include "sk_buf.h"
#include "sk_err.h"
#include "sk_io.h"
#include "sk_record.h"

typedef struct sk_reader sk_reader;
typedef struct sk_writer sk_writer;
/* A format: one row of the format table (sk_fmt.c), opaque here. */
typedef struct sk_format sk_format;

/*
 * What sk_read gives. SK_REC_BAD: the record is bad and the stream goes
 * on; SK_REC_FATAL: the input cannot be read past this point (a record
 * over --max-record, a bad CSV header) and the stream ends here: later
 * reads return SK_REC_EOF. For both, rd->bad is the kind, rd->err the
 * message ("bad JSON: ... at column 3"), rec->src and rec->line the place
 * and rec->raw the bad bytes (empty for a record too long to hold).
 */
enum { SK_REC_EOF = 0, SK_REC_OK = 1, SK_REC_BAD = -1, SK_REC_FATAL = -2 };

/* NULL if no such format. "auto" is a reader-only pseudo-format. */
const sk_format *sk_format_find(const char *name);
/* The format's name ("csv"); NULL for NULL. */
const char *sk_format_name(const sk_format *f);
/* 1 if the format's first line is a header (csv, tsv), else 0. */
int sk_format_has_header(const sk_format *f);
/* 1 if the format reads (writes), else 0; 0 for NULL. */
int sk_format_reads(const sk_format *f);
int sk_format_writes(const sk_format *f);
/* The names of the formats that read ("auto" first) or, when writable,
 * write, in the table's order, separated by spaces: "auto csv tsv ...".
 * Static storage, made at the first call. */
const char *sk_format_names(int writable);

typedef struct sk_fmt_opts {
	char delim;          /* csv field separator (default ',') */
	int no_header;       /* -N: input has no header; fields are $1..$n */
	int out_header;      /* write a header line (csv, tsv, table) */
	size_t max_record;   /* --max-record */
	const char *ofmt;    /* --ofmt: printf format of non-integer numbers */
	int ascii;           /* --ascii: -o bar draws with '#', not blocks */
} sk_fmt_opts;

/*
 * Where a reader starts and ends one file (--state's incremental input):
 * set the "in" fields, point rd->spans at one per file before the first
 * read; the reader fills the "out" fields as it opens and closes each.
 */
typedef struct sk_span {
	/* in */
	uint64_t start;         /* the byte to start at (not decompressed) */
	int start_data;         /* start counts the data's bytes: those of a
				 * compressed file decompressed (read and
				 * skipped), not the file's */
	uint64_t line0;         /* lines before it: numbering goes on */
	uint64_t stop;          /* no record starts at or past this byte (0:
				 * none): the end of an sk_par chunk */
	const char *hdr;        /* started past it: the csv/tsv header line */
	size_t nhdr;
	int block;              /* hdr is a later block's header (a blank
				 * line, then every name quoted), not the
				 * file's first */
	int hold_last;          /* a last line without '\n' is left unread */
	int check_id;           /* started past 0: the file must still be */
	uint64_t want_dev, want_ino; /* this one, else it is left unread */
	/* out */
	int opened;             /* the file was opened (and read) */
	uint64_t dev, ino;      /* of the file opened */
	uint64_t end, lines;    /* the byte after the last line read; lines */
	uint64_t headlen, headhash; /* XXH64 of the first min(end, 4096) bytes */
	int compressed;         /* its first bytes were a compressed stream's */
	sk_buf hdr_out;         /* its header line, if read */
} sk_span;

/* The length of a file's head that sk_span hashes. */
#define SK_SPAN_HEAD 4096

/* A reader's fields are the formats' (sk_fmt_impl.h). Outside them, code
 * reads err, bad and nfailed, sets idle and idle_ctx before the first
 * read, and --progress reads which file is open and its bytes. */
struct sk_reader {
	const sk_format *fmt;   /* NULL until auto-detection has run */
	int autodetect;
	sk_schema *schema;      /* shared with the program and the writer */
	const sk_fmt_opts *opt;
	char *const *files;     /* operands; none means stdin */
	size_t nfiles, file;    /* next file to open */
	sk_in in;
	int open;
	sk_str pending;         /* a line already taken by detection */
	int has_pending;
	int pending_block;      /* it is a later block's header (sk_span) */
	/* csv/tsv header of the current file: slot of each column */
	uint32_t *hdr;
	size_t nhdr;
	int need_header;        /* the next line of this file is its header */
	sk_buf hdr_raw;         /* the header line as read */
	sk_buf err;             /* why the last record was bad, or why the
				 * input ended (SK_REC_FATAL) */
	enum sk_bad bad;        /* and its kind */
	sk_buf scratch;         /* per-format scratch */
	void *state;            /* per-format state (libcsv parser) */
	uint32_t *colslot;      /* headerless: slot of "1", "2", ... */
	size_t ncolslot;
	uint64_t nfailed;       /* inputs that could not be opened or read
				 * to their end (each said on stderr) */
	sk_idle_fn idle;        /* given to each input as it is opened */
	void *idle_ctx;
	sk_span *spans;         /* NULL, or one per file (sk_span) */
};

/*
 * Sets up a reader over files[0..nfiles) (none: stdin). fmt is a format
 * name or "auto". Dies (exit 2) on an unknown name.
 */
void sk_reader_init(sk_reader *rd, const char *fmt, sk_schema *schema,
		    const sk_fmt_opts *opt, char *const *files, size_t nfiles);
/* Reads the next record of the stream, moving across files. A FILE that
 * cannot be opened or read is said ("prog: FILE: reason"), counted in
 * rd->nfailed, and the next one read, as cat does. */
int sk_read(sk_reader *rd, sk_record *rec);
void sk_reader_free(sk_reader *rd);

/*
 * At the end of input: if the stream's format has a header line (csv,
 * tsv, without -N) and one was read, fills rec with the header's fields,
 * all empty, and returns 1 (so a tool can write the header its output
 * would have had); else returns 0.
 */
int sk_reader_header_record(const sk_reader *rd, sk_record *rec);

/* The name of the input currently being read ("stdin" or the path). */
static inline const char *sk_reader_name(const sk_reader *rd)
{
	return rd->in.name ? rd->in.name : "stdin";
}

/* A writer's fields are the formats' (sk_fmt_impl.h); a tool reads only
 * blocks (0 until something was written). */
struct sk_writer {
	const sk_format *fmt;   /* NULL until the first write (-o default) */
	sk_out *out;
	const sk_schema *schema;
	const sk_fmt_opts *opt;
	int raw_ok;         /* unmodified records may be written as read */
	const sk_reader *rd; /* for the raw header when raw_ok */
	uint32_t *hdr;      /* slots of the current header block */
	size_t nhdr;
	int blocks;         /* header blocks written so far */
	/* the first header block (csv, tsv): where its bytes start and end
	 * in out, and its slots (sk_par drops it when the chunk before
	 * already wrote that header) */
	size_t hdr_beg, hdr_end;
	uint32_t *hdr1;
	size_t nhdr1;
	int header_only;    /* write: the header of rec, not rec (sk_write_header) */
	sk_buf tmp;
	void *state;        /* per-format state (table rows) */
	void *numstate;     /* sk_numout's copy of a reformatted record */
};

/* The names of the formats that both read and write (those whose
 * output splits back into records), as sk_format_names gives them. */
const char *sk_format_record_names(void);

/* The format a writer given no -o writes for input format in: the same,
 * or csv for one that cannot be written (clf). */
const sk_format *sk_format_out_default(const sk_format *in);

/* Sets up a writer. fmt NULL or "" means the same as the reader's. Dies
 * (exit 2) on an unknown or unwritable format. */
void sk_writer_init(sk_writer *w, const char *fmt, sk_out *out,
		    const sk_schema *schema, const sk_fmt_opts *opt,
		    const sk_reader *rd);
void sk_write(sk_writer *w, const sk_record *rec);
/*
 * For an output that has no record (a header-only input, a filter that
 * kept none): writes the header line rec's fields would have in csv, tsv
 * or table, so the next tool still sees the columns. Does nothing once a
 * record was written, for formats without a header, or with no output
 * header.
 */
void sk_write_header(sk_writer *w, const sk_record *rec);
void sk_writer_finish(sk_writer *w);
/* Writes to w->out what the format holds back (the rows of a -o table
 * block, which is then printed aligned on its own), so live output shows
 * now. Does not flush w->out itself. */
void sk_writer_flush(sk_writer *w);
void sk_writer_free(sk_writer *w);

/* JSON helpers for code that keeps a field's JSON type (aggregates,
 * group keys). 1 if [p, p+n) is a number in JSON's grammar. */
int sk_json_is_number(const char *p, size_t n);
/* 1 if the jsonl writer writes [p, p+n) of kind `kind` otherwise than it
 * would as SK_FK_TEXT (a JSON string "200", a null): the kind must be
 * kept for the value to keep its JSON type. */
int sk_json_kind_matters(const char *p, size_t n, int kind);

#endif
