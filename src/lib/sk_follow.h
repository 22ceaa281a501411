/* sk_follow: --state's incremental input. For each FILE operand the state
 * keeps its identity (device, inode, a hash of its first bytes), the
 * offset and line count read; the next run reads only what was appended,
 * and after a rotation first finishes the old file where logrotate put
 * it (FILE.1, FILE-*, their compressed forms FILE.1.gz, FILE-*.gz (.zst,
 * .bz2, .xz), or a --rotated GLOB), as logtail2 does. A compressed FILE
 * operand is read whole, once: the state keeps its identity (device,
 * inode, size, a hash of its first compressed bytes) as finished, and a
 * later run skips a file of that identity under any name. */
#ifndef SK_FOLLOW_H
#define SK_FOLLOW_H

#include <stddef.h>
#include <stdint.h>
#include "sk_buf.h"
#include "sk_fmt.h"
#include "sk_state.h"

typedef struct sk_follow_ent {
	char *path;
	uint64_t dev, ino, offset, lines, headlen, headhash;
	sk_buf hdr;             /* the csv/tsv header line, if read */
} sk_follow_ent;

/* A compressed file read to its end (a FILE operand read whole, or a
 * rotated file finished): never read again. */
typedef struct sk_follow_fin {
	char *path;             /* where it was last seen */
	uint64_t dev, ino, size, headlen, headhash; /* of its raw bytes */
	int seen;               /* at path in this run's plan (not saved) */
} sk_follow_fin;

/* What a span of the plan reads besides a plain file: a compressed
 * FILE operand whole (SK_FOLLOW_Z_WHOLE), or a compressed rotated file
 * from an entry's offset in its data (SK_FOLLOW_Z_ROTATED); fin is its
 * identity, finished once the span is read to its end. */
enum { SK_FOLLOW_PLAIN, SK_FOLLOW_Z_WHOLE, SK_FOLLOW_Z_ROTATED };
typedef struct sk_follow_zspan {
	int kind;
	sk_follow_fin fin;      /* path NULL: the span's file */
} sk_follow_zspan;

/* Where an entry stood when it was loaded (a rotated file's, kept while
 * that file is finished first). */
typedef struct sk_follow_was {
	uint64_t dev, ino, offset, lines, headlen, headhash;
} sk_follow_was;

typedef struct sk_follow {
	sk_follow_ent *ent;     /* from the state, then updated */
	size_t nent, entcap;
	sk_buf fmt;             /* the input format the reader found ("" none) */
	int lost;               /* a rotated file was not found: lines lost */
	char **globs;           /* --rotated (the strings borrowed) */
	size_t nglobs;
	/* the files to read, in order, with their spans; spanent[i] is the
	 * entry span i updates (SIZE_MAX: a rotated file, finished) */
	char **files;
	sk_span *spans;
	size_t *spanent;
	sk_follow_was *was;     /* per span: for a rotated file, its entry
				 * as loaded */
	sk_follow_zspan *zs;    /* per span: compressed or not */
	size_t nfiles, filecap;
	sk_follow_fin *fin;     /* compressed files finished */
	size_t nfin, fincap;
} sk_follow;

/* The inputs section: the input format, the entries, then (when there
 * are any) the compressed files finished; reading it gives 1, or 0 with
 * the reason in err. */
void sk_follow_save(const sk_follow *f, sk_buf *out);
int sk_follow_load(sk_follow *f, sk_cur *c, sk_buf *err);

/*
 * Plans the reading of paths[0..n) (a plan before is dropped): where each
 * starts, and which rotated files come first; which compressed ones are
 * read whole, and which are skipped as finished; says each rotation and
 * truncation, and a finished compressed file changed since, on stderr.
 * Finished files no longer where they were seen, and not among paths,
 * are forgotten. A path given twice or a non-regular file is a usage
 * error (exit 2).
 */
void sk_follow_plan(sk_follow *f, char *const *paths, size_t n);

/* Adds a --rotated GLOB (borrowed). */
void sk_follow_glob(sk_follow *f, char *glob);

/* After the reading: the entries take what the spans read. */
void sk_follow_done(sk_follow *f);

/*
 * During the reading, between records (--checkpoint): the inputs section
 * as sk_follow_save would write it if the reading ended after the last
 * record rd returned: each entry at the end of that record in the file
 * being read (a rotated file being finished stands for its entry, so the
 * next run finishes it from there), as loaded for a file not opened yet.
 * f is not changed. Returns 1, or 0 (nothing written) if rd holds a line
 * it has read but not returned, or is in a compressed file (where the
 * last checkpoint, before it, stands: it is read again from there).
 */
int sk_follow_save_now(const sk_follow *f, const sk_reader *rd, sk_buf *out);

void sk_follow_free(sk_follow *f);

#endif
