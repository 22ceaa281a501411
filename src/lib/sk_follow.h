/* sk_follow: --state's incremental input. For each FILE operand the state
 * keeps its identity (device, inode, a hash of its first bytes), the
 * offset and line count read; the next run reads only what was appended,
 * and after a rotation first finishes the old file where logrotate put
 * it (FILE.1, FILE-*, or a --rotated GLOB), as logtail2 does. */
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
	size_t nfiles, filecap;
} sk_follow;

/* The inputs section: the input format, then the entries; reading it
 * gives 1, or 0 with the reason in err. */
void sk_follow_save(const sk_follow *f, sk_buf *out);
int sk_follow_load(sk_follow *f, sk_cur *c, sk_buf *err);

/*
 * Plans the reading of paths[0..n) (a plan before is dropped): where each
 * starts, and which rotated
 * files come first; says each rotation and truncation on stderr. A path
 * given twice, a non-regular or compressed file is a usage error (exit 2).
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
 * it has read but not returned.
 */
int sk_follow_save_now(const sk_follow *f, const sk_reader *rd, sk_buf *out);

void sk_follow_free(sk_follow *f);

#endif
