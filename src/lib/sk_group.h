/* sk_group: the group table of stream-agg and stream-window: groups keyed
 * by the sk_key codec, each holding its aggregate states and the kinds of
 * its key fields; and the output rows of a table (sk_rows): the columns,
 * one row per group, --sort and --top, share totals, --merge of partials.
 * No file-scope state: everything lives in the two structs. */
#ifndef SK_GROUP_H
#define SK_GROUP_H

#include <stddef.h>
#include <stdint.h>
#include "sk_agg.h"
#include "sk_agg_list.h"
#include "sk_buf.h"
#include "sk_fmt.h"
#include "sk_hash.h"
#include "sk_key.h"
#include "sk_record.h"

struct sk_tool;

/* sk_rows flags: where the two tools' rows differ. */
enum {
	/* --sort: every field with no bytes is empty (goes last), and the
	 * leading columns can be sorted on (stream-window); without it only
	 * an aggregate with no value is empty and the leading columns are
	 * not output columns for --sort (stream-agg) */
	SK_ROWS_WINDOW = 1,
	/* the aggregates as --partial states, not their results */
	SK_ROWS_PARTIAL = 2,
};

typedef struct sk_row sk_row;

/*
 * The output of a group table: the columns (nlead leading ones whose text
 * each row gives, such as time or window_start and window_end, then the
 * keys, then the aggregates), the record a row is written from, and the
 * rows kept for --sort. Without --sort, a row is written as it is put;
 * --top counts the rows since the last sk_rows_flush.
 */
typedef struct sk_rows {
	const sk_aggs *aggs;    /* borrowed */
	size_t nlead, nkeys;
	size_t ncol;            /* nlead + nkeys + aggs->n */
	uint32_t *slot;         /* the columns' slots, owned */
	int flags;
	long sortcol;           /* a column index, -1: no --sort */
	int desc;
	uint64_t top;           /* 0: every row */
	uint64_t nout;          /* rows written since the last flush */
	sk_writer *wr;          /* borrowed */
	sk_record out;
	sk_buf key, text;       /* a decoded key field; a result */
	sk_row *row;            /* --sort: the rows kept */
	size_t nrow, rowcap;
	sk_buf buf;             /* their fields: slot, kind, length, bytes */
} sk_rows;

/*
 * Sets up the columns: lead[0..nlead) names interned in schema, the keys'
 * slots, and each aggregate's name. The table writes to wr.
 */
void sk_rows_init(sk_rows *rs, sk_schema *schema, const char *const *lead,
		  size_t nlead, const sk_fref *keys, size_t nkeys,
		  const sk_aggs *aggs, sk_writer *wr, int flags);

/*
 * --sort [-]COL (NULL: none) and --top N (0: none): sorts by the output
 * column COL ('-' descending, '+' ascending); a COL that is none is a
 * usage error.
 */
void sk_rows_order(sk_rows *rs, const sk_schema *schema, const char *sortarg,
		   uint64_t top);

/*
 * Puts one row: the leading fields lead[0..nlead) (text), the key
 * [key, key+keylen) of nkeys fields written with kinds[i] (NULL: text),
 * and each aggregate's result on block (with totals[i] for share), or
 * its --partial state; block NULL: every aggregate empty (a retraction).
 */
void sk_rows_put(sk_rows *rs, const sk_str *lead, const char *key,
		 size_t keylen, const uint8_t *kinds, void *block,
		 const double *totals);

/* No --sort, and --top rows written since the last flush: the rest until
 * the next flush would be cut. */
static inline int sk_rows_full(const sk_rows *rs)
{
	return rs->sortcol < 0 && rs->top && rs->nout >= rs->top;
}

/* sk_rows_flush when rows are kept. */
void sk_rows_flush_kept(sk_rows *rs);

/* Sorts the rows kept (stable: ties keep the order they came in), writes
 * the first --top of them, and starts a new set of rows. Inline: it is
 * once a record in stream-window. */
static inline void sk_rows_flush(sk_rows *rs)
{
	rs->nout = 0;
	if (rs->nrow)
		sk_rows_flush_kept(rs);
}

/* Writes the header of the columns (for a header-only input). */
void sk_rows_write_header(sk_rows *rs);

void sk_rows_free(sk_rows *rs);

/*
 * A table of groups. Each group's block holds the aggregate states
 * (aggs's layout), then one byte per key field: the sk_field_kind the
 * group's first record had there, so a JSON "200" key stays a string. An
 * empty aggs (n == 0) makes a table of key kinds only.
 */
typedef struct sk_group {
	const sk_aggs *aggs;    /* borrowed */
	const sk_fref *keys;    /* borrowed */
	size_t nkeys;
	sk_hash h;
	sk_hash_type ty;
	size_t kindoff;         /* where a block's key kinds start */
	void *scratch;          /* --merge: one block to read a state into */
	sk_buf err;
} sk_group;

void sk_group_init(sk_group *g, const sk_aggs *aggs, const sk_fref *keys,
		   size_t nkeys);

/* Sets up the block of a new group of r (sk_group_get). */
void sk_group_new_block(sk_group *g, void *block, const sk_record *r);

/* The block of key k (made for r, whose key fields give the kinds, if
 * new). Inline: it is once a record. */
static inline void *sk_group_get(sk_group *g, const sk_key *k,
				 const sk_record *r)
{
	int isnew;
	sk_hash_ent *e = sk_hash_put(&g->h, k->p, k->n,
				     sk_hash_bytes(k->p, k->n), &isnew);
	void *blk = sk_hash_val(&g->h, e);
	if (isnew)
		sk_group_new_block(g, blk, r);
	return blk;
}

/* The block of key [key, key+n), or NULL. */
void *sk_group_find(const sk_group *g, const char *key, size_t n);

static inline const uint8_t *sk_group_kinds(const sk_group *g,
					    const void *block)
{
	return (const uint8_t *)block + g->kindoff;
}

static inline size_t sk_group_count(const sk_group *g)
{
	return sk_hash_count(&g->h);
}

/*
 * Puts one row per group to rs, in first-seen order (stopping where --top
 * cuts), then flushes rs. Without keys the whole input is one group,
 * there even when no record came (count 0, the rest empty), as in SQL and
 * awk's END. lead: the leading fields of every row.
 */
void sk_group_emit(sk_group *g, sk_rows *rs, const sk_str *lead);

/*
 * --merge: folds one row of --partial output (r, whose columns are those
 * of rs; k its key) into its group. A row that is not such output (other
 * columns, another -g, a state that does not read back: keyarg is -g as
 * given, for the message) is a bad record of kind SK_BAD_PARTIAL,
 * reported to t, and merges nothing. The header of a second partial file
 * catenated to the first is skipped.
 */
void sk_group_merge(sk_group *g, const sk_rows *rs, struct sk_tool *t,
		    sk_record *r, const sk_key *k, const char *keyarg);

void sk_group_free(sk_group *g);

/*
 * Folds the table src (of the same aggregates and keys) into g: each of
 * src's groups in its first-seen order, merged into g's group of that
 * key, or new at g's end with src's key kinds. Merging the tables of
 * consecutive parts of the input in their order gives the table of one
 * run over it all, groups in the same order (sk_par's ranges). src is
 * left empty (into an empty g its groups move, nothing copied); it is
 * still to be freed.
 */
void sk_group_absorb(sk_group *g, sk_group *src);

struct sk_cur;
/*
 * The table as the groups section of a --state file (sk_state.h): the
 * count, then each group in first-seen order: its key, its key kinds and
 * each aggregate's --partial state text (sk_agg_state_write), the form
 * --partial and --merge use.
 */
void sk_group_save(sk_group *g, sk_buf *out);
/*
 * Reads such a section into an empty table, in its order, so that adding
 * records after gives what one run over all of them gives. Returns 1, or
 * 0 with the reason in err (the table then holds what was read before
 * it: the caller gives up).
 */
int sk_group_load(sk_group *g, struct sk_cur *c, sk_buf *err);

/* Reports the record whose argument bad did not evaluate to a number or
 * at all (sk_agg_list_eval) as a bad record to t. */
void sk_group_bad(const sk_agg_list *l, struct sk_tool *t, sk_record *r,
		  long bad);

/*
 * Evaluates l's arguments on r: 1 if the record can be added, else 0
 * after reporting it to t as a bad record (an argument that is not a
 * number, or that could not be evaluated).
 */
static inline int sk_group_eval(sk_agg_list *l, struct sk_tool *t,
				sk_record *r)
{
	long bad = sk_agg_list_eval(l, r);
	if (__builtin_expect(bad < 0, 1))
		return 1;
	sk_group_bad(l, t, r, bad);
	return 0;
}

/*
 * When stream-agg writes its table while the input goes on: after every
 * `every` records (--every), and on a clock of period `interval` ns
 * (--interval), also while the input is idle. Zeroed, then every and
 * interval set, then sk_snaps_start.
 */
typedef struct sk_snaps {
	uint64_t every;         /* 0: no --every */
	int64_t interval;       /* 0: no --interval */
	uint64_t nrec;          /* records so far */
	uint64_t last;          /* nrec at the last snapshot */
	int taken;              /* a snapshot has been written */
	int64_t next;           /* the next --interval tick */
} sk_snaps;

/* What sk_snaps_record says is due after a record. */
enum { SK_SNAP_NONE, SK_SNAP_EVERY, SK_SNAP_CLOCK };
/* The clock is read once every this many records. */
#define SK_SNAP_CLOCK_EVERY 64

/* Starts the clock: the first tick is one interval from now. */
void sk_snaps_start(sk_snaps *s);
/* Counts a record: SK_SNAP_EVERY when --every is due, SK_SNAP_CLOCK when
 * the clock has passed its tick (the caller then runs its idle hook),
 * else SK_SNAP_NONE. */
int sk_snaps_record(sk_snaps *s);
/* For the idle hook: 1 if the tick has come (the next one is then set);
 * *wait_ms: how long the reader may wait for input (-1: no clock). */
int sk_snaps_tick(sk_snaps *s, int *wait_ms);
/* A snapshot has been written. */
static inline void sk_snaps_taken(sk_snaps *s)
{
	s->taken = 1;
	s->last = s->nrec;
}
/* At the end: 1 unless the last snapshot already is the final table. */
static inline int sk_snaps_final(const sk_snaps *s)
{
	return !s->taken || s->nrec != s->last;
}
/* The time column of a snapshot: now (the shared clock, SK_TEST_CLOCK in
 * tests) in ISO, to the second, or the millisecond for a sub-second
 * --interval. Returns its length (sk_time_fmt_kind). */
size_t sk_snaps_time(const sk_snaps *s, char *buf, size_t cap);

/* Writes the whole table (a snapshot, or the final one): with a leading
 * column (--every, --interval), each row starts with sk_snaps_time. */
void sk_group_write(sk_group *g, sk_rows *rs, const sk_snaps *s);

#endif
