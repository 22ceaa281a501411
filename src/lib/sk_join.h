/* sk_join: stream-join's lookup table: a table file (any format) loaded
 * once into an sk_hash keyed by the sk_key codec, and each stream record
 * written with the fields of the table rows its key matches. */
#ifndef SK_JOIN_H
#define SK_JOIN_H

#include <stddef.h>
#include <stdint.h>
#include "sk_buf.h"
#include "sk_cidr.h"
#include "sk_hash.h"
#include "sk_key.h"
#include "sk_record.h"

struct sk_tool;

enum sk_join_mode {
	SK_JOIN_INNER, /* matched records only, once per matching row */
	SK_JOIN_LEFT,  /* and the unmatched ones, the table's fields empty */
	SK_JOIN_ANTI,  /* only the unmatched ones, as they came */
};

/*
 * One load of the table file: what records are matched against. Its
 * columns are every field a table row has besides the key fields, in the
 * order the table first has them; each is appended to a stream record
 * under --prefix and its name. A row that lacks one gives it empty. Rows
 * of one key are chained in table order.
 *
 * Each row is one block of rows, so that a match reads the hash entry
 * and then one place in memory: the offset of the next row of its key +
 * 1 (uint64_t, 0: none), each column's length << 2 | its sk_field_kind
 * (uint32_t), the columns' bytes one after the other, padded to 8.
 */
typedef struct sk_join_table {
	sk_hash h;              /* key -> the offset of its first row */
	sk_cidr_table ct;       /* --cidr: prefix -> the same */
	size_t ncol, colcap;
	uint32_t *outslot;      /* column -> its slot in the stream's schema */
	uint32_t *colof;        /* table slot -> column + 1 (0: none) */
	size_t ncolof;
	sk_buf rows;            /* the rows' blocks */
	size_t nrow;
} sk_join_table;

/* What identifies a version of the table file (--reload): stat(2)'s
 * device, inode, size and mtime, or the errno of a stat that failed. */
typedef struct sk_join_ident {
	int err;
	uint64_t dev, ino, size;
	int64_t mtime_s, mtime_ns;
	int regular;
} sk_join_ident;

typedef struct sk_join {
	enum sk_join_mode mode;
	sk_fref *skeys, *tkeys; /* the key fields: stream's, table's (owned) */
	size_t nkeys;
	const char *keyarg;     /* -k as given, for messages */
	sk_schema tschema;      /* the table's field names, every load's */
	int cidr;               /* --cidr: the table's keys are prefixes */
	sk_join_table tab;      /* the table loaded */
	sk_key key;             /* the current record's */
	char *files[1];         /* the table, for its reader */
	/* --reload (j->reload set before sk_join_load) */
	int reload;
	const char *fmt, *prefix;
	sk_join_ident seen;     /* the file as the last load attempt found it */
	int64_t check_at;       /* CLOCK_MONOTONIC_COARSE ns of the next look */
} sk_join;

/*
 * -k KEY[=TABLEKEY]: the stream's key fields (in schema) and the
 * table's (the same names when no =TABLEKEY), each a comma list as -g
 * takes it. Lists of different lengths are a usage error.
 */
void sk_join_keys(sk_join *j, sk_schema *schema, const char *arg);

/*
 * Under --cidr (j->cidr set before sk_join_load; one key field only) the
 * table's key is an IPv4 or IPv6 prefix as sk_cidr_parse reads it (a
 * bare address is its full-length prefix; rows of one prefix, however
 * written, are one key), and a record matches the rows of the longest
 * prefix that holds its key's address (sk_cidr.h). A table key that is
 * not a prefix is a bad table row; a stream key that is not an address
 * matches nothing: a bad record under inner, unmatched under left and
 * anti.
 */

/*
 * Loads the table file path (fmt: a format name, NULL or "auto"; the
 * reading options are the stream's: -d, -N, --max-record) and names its
 * columns prefix + name in schema. A bad row, or one without a key
 * field, is a bad record reported to t under --on-error (with the
 * table's name and line); a table that cannot be read ends the run
 * (exit 1). Under --reload, a path that is not a regular file is a
 * usage error (exit 2): it could not be read again.
 */
void sk_join_load(sk_join *j, struct sk_tool *t, const char *path,
		  const char *fmt, const char *prefix);

/*
 * --reload, called before each record is joined: at most once a second
 * (the first time a second after the load), stats the table file; if it
 * is not the file the last attempt found, loads it into a new table and,
 * only if that succeeds, puts it in the loaded one's place, saying
 * "TABLE: reloaded (N rows)" on stderr. It fails, and the loaded table
 * stays, saying "TABLE: reload failed, keeping the previous table: why",
 * when the file cannot be stat'ed or is not a regular file, cannot be
 * read to its end, has an error its reader cannot read past, has a bad
 * row under --on-error fail, or has other columns (names or order after
 * --prefix) than the loaded table: the output's header is written. Under
 * warn and skip its bad rows are bad records as in the first load. A
 * failed attempt is made again only once the file changes again.
 */
void sk_join_check(sk_join *j, struct sk_tool *t);

/*
 * Writes what record r gives to t's writer: under inner and left one
 * record per matching row, r with the row's columns; under left an
 * unmatched r with the columns empty; under anti an unmatched r as it
 * came. r without a key field is unmatched under left, else a bad record
 * reported to t. A column r already has is a usage error (exit 2: the
 * names clash, --prefix is the way out).
 */
void sk_join_record(sk_join *j, struct sk_tool *t, sk_record *r);

/* For a header-only stream: r (the stream's header fields) with the
 * columns the output would have added. */
void sk_join_header(sk_join *j, sk_record *r);

/* Frees what j holds (accepts a zeroed one). */
void sk_join_free(sk_join *j);

#endif
