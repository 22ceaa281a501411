/* sk_state: the container of a tool's --state file: a magic line, a
 * format version, the tool's name, what made the state (its options in a
 * canonical form), tagged sections, and an xxhash64 of all before it.
 * Saved atomically (a temp file in the same directory, fsync, rename,
 * fsync of the directory). Reading checks every length against the bytes
 * there are before using it; a state that is not exactly what this tool,
 * with these options, writes is refused with the reason. */
#ifndef SK_STATE_H
#define SK_STATE_H

#include <stddef.h>
#include <stdint.h>
#include "sk_buf.h"

#define SK_STATE_MAGIC "streamkit state\n"
#define SK_STATE_VERSION 1

/* Writing: integers little-endian, a string as its u32 length and bytes. */
void sk_state_u32(sk_buf *b, uint32_t v);
void sk_state_u64(sk_buf *b, uint64_t v);
void sk_state_str(sk_buf *b, const char *p, size_t n);

/* Starts a state in b (cleared): magic, version, tool, made. */
void sk_state_begin(sk_buf *b, const char *tool, const char *made);
/* Appends a section: its tag, the length of body and body. */
void sk_state_section(sk_buf *b, uint32_t tag, const sk_buf *body);
/*
 * Appends the checksum and replaces path by b's bytes atomically. Returns
 * 1, or 0 with the reason in err (path then untouched). The first save of
 * a run also removes the path.tmp.PID files of runs killed while saving
 * (their PID no longer runs).
 */
int sk_state_save(const char *path, sk_buf *b, sk_buf *err);

/* Reading: a cursor over bytes; any read past the end sets bad and
 * gives 0 (or an empty string), so a caller checks bad once at the end
 * of a run of reads. */
typedef struct sk_cur {
	const unsigned char *p, *end;
	int bad;
} sk_cur;

uint32_t sk_cur_u32(sk_cur *c);
uint64_t sk_cur_u64(sk_cur *c);
sk_str sk_cur_str(sk_cur *c);
/* n raw bytes (NULL, and bad set, if there are fewer). */
const unsigned char *sk_cur_bytes(sk_cur *c, size_t n);
/* A count of items each at least min bytes long: bad if the rest cannot
 * hold that many (so a damaged count never drives a long loop). */
uint64_t sk_cur_count(sk_cur *c, size_t min);

/*
 * Reads the whole of path into data. Returns 1, 0 if there is no such
 * file (a first run), or -1 with the reason in err.
 */
int sk_state_load(const char *path, sk_buf *data, sk_buf *err);

/*
 * Checks [p, p+n) as a state of tool made by made and finds its sections:
 * tags[i]'s body in secs[i] (each tag exactly once, no other). Returns 1,
 * or 0 with the reason in err ("not a streamkit state file", "damaged:
 * checksum mismatch", "made by stream-window", "made for ...").
 */
int sk_state_parse(const char *p, size_t n, const char *tool, const char *made,
		   const uint32_t *tags, sk_cur *secs, size_t nsec, sk_buf *err);

#endif
