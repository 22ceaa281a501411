/* sk_record: the record model every tool shares: field names interned to
 * slots once per stream, and records whose fields are borrowed bytes. */
#ifndef SK_RECORD_H
#define SK_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include "sk_buf.h"

/*
 * sk_schema: every field name a stream (or a program) has named, each with a
 * slot number that never changes. Names are interned when a program is
 * compiled (before any input is read) and when a header or a JSON key is
 * read, so a field lookup at run time is an array index, never a string
 * compare. Owns copies of the names.
 */
typedef struct sk_schema {
	sk_str *names;     /* slot -> name (owned, NUL-terminated) */
	size_t n, cap;
	uint32_t *tab;     /* open addressing: slot + 1, 0 = empty */
	size_t tabmask;
} sk_schema;

void sk_schema_init(sk_schema *s);
void sk_schema_free(sk_schema *s);
/* The slot of name, or -1 if it was never interned. */
long sk_schema_find(const sk_schema *s, const char *name, size_t n);
/* The slot of name, interning it if new. */
uint32_t sk_schema_intern(sk_schema *s, const char *name, size_t n);
static inline sk_str sk_schema_name(const sk_schema *s, uint32_t slot)
{
	return s->names[slot];
}

/* How a writer of a typed format (jsonl) should write a field's bytes. */
enum sk_field_kind {
	SK_FK_TEXT = 0, /* from a text format: a number if it looks like one */
	SK_FK_STR,      /* a string: always quoted (a JSON string, a computed string) */
	SK_FK_JSON,     /* a JSON literal written as is: number, true, false, null */
};

typedef struct sk_field {
	const char *p;  /* borrowed: the reader's buffer or the record's arena */
	size_t n;
	uint32_t slot;
	uint8_t kind;   /* enum sk_field_kind */
} sk_field;

/*
 * One record. Fields are kept in order (f[0..nf)) and found by slot through
 * pos[slot] (index + 1, 0 = absent). Everything a record points to is
 * borrowed: valid until the next read into it. Computed bytes go in arena,
 * which sk_rec_clear resets.
 */
typedef struct sk_record {
	sk_str raw;       /* the record as read, without its final "\n" */
	uint64_t line;    /* input line the record starts on (1-based) */
	const char *src;  /* input name, for messages */
	sk_field *f;
	size_t nf, cap;
	uint32_t *pos;    /* slot -> index in f + 1 */
	size_t npos;
	int modified;     /* fields changed since read: raw no longer matches */
	int words;        /* lines format: $1..$n are the words of raw */
	sk_arena arena;
	/*
	 * Lazy splitting (CSV records without quotes): while partial, the
	 * fields are not in f at all. unsplit holds the record's bytes and dpos
	 * the offsets of its ncol-1 delimiters (found in one pass when the line
	 * was read); colslot maps column to slot and slotcol slot to column + 1.
	 * sk_rec_get reads a column straight from there (into lf[column]), so a
	 * filter that reads two columns never splits the others; anything that
	 * changes or writes the record splits it all first (sk_rec_finish).
	 */
	int partial;
	sk_str unsplit;
	const uint32_t *dpos;
	size_t ncol;
	const uint32_t *colslot;
	const uint32_t *slotcol;
	size_t nslotcol;
	sk_field *lf;
	size_t lcap;
} sk_record;

/* Makes a partial record of a line and its delimiter offsets (see above).
 * The arrays are borrowed from the reader until the next read. */
void sk_rec_set_unsplit(sk_record *r, sk_str line, const uint32_t *dpos,
			size_t ncol, const uint32_t *colslot,
			const uint32_t *slotcol, size_t nslotcol);
/* Puts every column of a partial record into f. Use sk_rec_finish. */
void sk_rec_split(const sk_record *r);

/* Column c of a partial record, read in place. */
static inline const sk_field *sk_rec_column(const sk_record *r, size_t c)
{
	sk_field *f = &r->lf[c];
	size_t b = c ? r->dpos[c - 1] + 1 : 0;
	size_t e = c + 1 < r->ncol ? r->dpos[c] : r->unsplit.n;
	f->p = r->unsplit.p + b;
	f->n = e - b;
	f->slot = r->colslot[c];
	f->kind = SK_FK_TEXT;
	return f;
}

/* Makes every field of the record present in f[0..nf). */
static inline void sk_rec_finish(const sk_record *r)
{
	if (r->partial)
		sk_rec_split(r);
}

void sk_rec_init(sk_record *r);
void sk_rec_free(sk_record *r);
/* Empties the record for the next read (fields, arena, modified). */
void sk_rec_clear(sk_record *r);

/*
 * The field in a slot, or NULL if the record has none. A partial record's
 * slotcol may map columns past its own end (a headerless stream maps every
 * column any earlier row had): those are absent from this one.
 */
static inline const sk_field *sk_rec_get(const sk_record *r, uint32_t slot)
{
	if (r->partial) {
		if (slot >= r->nslotcol)
			return NULL;
		uint32_t c = r->slotcol[slot];
		return c && c <= r->ncol ? sk_rec_column(r, c - 1) : NULL;
	}
	if (slot < r->npos && r->pos[slot])
		return &r->f[r->pos[slot] - 1];
	return NULL;
}

/* The i-th field (0-based), or NULL. */
static inline const sk_field *sk_rec_at(const sk_record *r, size_t i)
{
	if (r->partial)
		return i < r->ncol ? sk_rec_column(r, i) : NULL;
	return i < r->nf ? &r->f[i] : NULL;
}

/*
 * Positional access as the expression language's $N sees it (i 1-based):
 * the i-th field, or for the lines format the i-th whitespace-separated
 * word of the line ($0 is raw, not handled here). Returns 1 and *out, or 0
 * if there is no such field.
 */
int sk_rec_positional(const sk_record *r, size_t i, sk_str *out);

/*
 * sk_fref: a field as an option names it (-g, -s, -x, -r, -t), in every
 * form the expression language has: a name (bytes, $bytes, ${user agent})
 * or a position ($3 or 3: the third field, or the third word of a lines
 * record, as $3 reads it). A position names its output column by its
 * number ("3").
 */
typedef struct sk_fref {
	uint32_t slot;  /* the name's slot; for a position, the slot of "N" */
	uint32_t pos;   /* 1-based position; 0: by name */
} sk_fref;

/*
 * The field ref names in r: 1 and *out (its bytes, kind and slot: for a
 * position, the slot of the field there, or ref->slot for a word), or 0
 * if r has none. *out is borrowed from r.
 */
int sk_rec_ref_pos(const sk_record *r, const sk_fref *ref, sk_field *out);
static inline int sk_rec_ref(const sk_record *r, const sk_fref *ref,
			     sk_field *out)
{
	if (ref->pos)
		return sk_rec_ref_pos(r, ref, out);
	const sk_field *f = sk_rec_get(r, ref->slot);
	if (!f)
		return 0;
	*out = *f;
	return 1;
}

/*
 * Appends a field as read (does not mark the record modified). If the slot is
 * already present (a duplicate JSON key), its value is replaced in place:
 * the later value wins, as in every JSON tool.
 */
void sk_rec_push(sk_record *r, uint32_t slot, const char *p, size_t n,
		 int kind);

/* Sets a field (replacing, or appending at the end) and marks the record
 * modified. The bytes are borrowed: copy them into r->arena first if they
 * do not outlive the record. */
void sk_rec_set(sk_record *r, uint32_t slot, const char *p, size_t n,
		int kind);
/* Removes a field if present and marks the record modified. */
void sk_rec_del(sk_record *r, uint32_t slot);
/* Renames a field in place (same position); a field already named `to` is
 * removed first. Marks the record modified if `from` was present. */
void sk_rec_rename(sk_record *r, uint32_t from, uint32_t to);
/* Keeps only the given slots, in the given order (absent ones skipped, a
 * slot given twice kept where it is first). */
void sk_rec_select(sk_record *r, const uint32_t *slots, size_t n);

#endif
