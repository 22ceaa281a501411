/* sk_io: block input split into lines, and buffered output that keeps up
 * with live pipes. */
#ifndef SK_IO_H
#define SK_IO_H

#include <stddef.h>
#include <stdint.h>
#include "sk_buf.h"

/*
 * sk_in reads one file (or stdin) in large blocks into its own buffer and
 * hands out lines found with memchr. Lines are borrowed: valid until the
 * next sk_in_* call on the same reader.
 *
 * Before any read() that could block, sk_in calls the idle hook (which the
 * tools use to flush stdout, so a record that entered a live pipe leaves at
 * once, and to fire timers). The hook returns how long, in milliseconds, the
 * reader may wait for input before calling it again (-1: forever).
 */
typedef int (*sk_idle_fn)(void *ctx);

/* The longest record by default (--max-record). */
#define SK_MAX_RECORD_DEFAULT ((size_t)64 << 20)

/* Readable bytes past the end of every line sk_in hands out (their values
 * are unspecified): a scanner may load whole 16-byte blocks and mask. */
#define SK_IN_PAD 64

typedef struct sk_in {
	int fd;
	const char *name;      /* "stdin" or the path, for messages */
	char *buf;
	size_t cap, beg, pos, end; /* record starts at beg, scan at pos */
	size_t max_record;     /* a longer record ends the input */
	uint64_t long_line;    /* the line such a record reached (1-based;
				* 0: none) */
	uint64_t line;         /* number of the line last returned (1-based) */
	uint64_t rec_line;     /* line the current record started on */
	uint64_t offset;       /* file offset of buf[0] */
	int eof;
	int err;               /* errno of a failed read (the input then ends) */
	int regular;           /* a regular file: never blocks, no poll */
	int last_nl;           /* the last line returned ended with '\n' */
	int hold_last;         /* a last line without '\n' is not returned
				* (it may still be being written) */
	/* compressed input (sk_decomp.h), recognised on the first read */
	int sniffed, stopped;
	struct sk_decomp *z;
	const char *zbad;      /* the decoder's complaint, said at the next read */
	uint64_t raw_bytes;    /* bytes read from fd (compressed ones if z) */
	uint64_t size;         /* of a regular file, else 0 */
	uint64_t stop;         /* no line starts at or past this file offset
				* (sk_par's chunks; 0: none). A record that
				* started before it is read to its end. */
	sk_idle_fn idle;
	void *idle_ctx;
} sk_in;

/*
 * Opens path ("-" or NULL: stdin); max_record 0 means
 * SK_MAX_RECORD_DEFAULT. Returns 0, or -1 with errno set if it cannot
 * (in is then closed: sk_in_close is a no-op on it).
 */
int sk_in_open(sk_in *in, const char *path, size_t max_record);
void sk_in_close(sk_in *in);

/*
 * Right after sk_in_open: reads and drops the first n bytes of the data
 * (of a compressed file, decompressed), so that the first line comes
 * from byte n and offsets count the data's bytes. Returns 0, or -1 if the
 * data ends (or a read fails) before n: the input is then at its end.
 */
int sk_in_skip(sk_in *in, uint64_t n);

/*
 * Returns 1 and the next line in *line (without its '\n'; a '\r' before it
 * is kept: formats decide), starting a new record there; 0 at end of input.
 * A read error says "prog: FILE: reason" on stderr, sets in->err and ends
 * the input there, as cat does.
 * A final line without '\n' is returned too. A record longer than
 * max_record ends the input before it: 0 is returned, and in->long_line
 * says which line it reached (the caller says so: the input cannot be
 * read past it).
 */
int sk_in_line(sk_in *in, sk_str *line);

/*
 * Extends the current record by its next line: *rec becomes the whole
 * record from the start of the line sk_in_line returned, through the end of
 * the new line (the '\n's between lines included, the last one excluded).
 * Returns 0 at end of input (rec is then left as it was). For records
 * that span lines (newlines inside CSV quotes).
 */
int sk_in_more(sk_in *in, sk_str *rec);

/* Ends the input here: every later sk_in_line and sk_in_more returns 0. */
void sk_in_end(sk_in *in);

/*
 * sk_out buffers stdout in large blocks. sk_out_flush writes everything now.
 * A closed pipe (EPIPE) ends the program quietly with status 0; another
 * write error ends it with exit 1.
 * An sk_out over fd -1 (sk_out_init_mem) writes nowhere: it keeps all it
 * is given in buf[0..len), growing (sk_par's workers write there, and
 * the main thread writes their output in input order).
 */
typedef struct sk_out {
	int fd;
	char *buf;
	size_t len, cap;
} sk_out;

extern sk_out sk_stdout;

void sk_out_init(sk_out *o, int fd);
/* An sk_out that keeps everything in memory (fd -1); sk_out_free frees it. */
void sk_out_init_mem(sk_out *o);
void sk_out_free(sk_out *o);
/* A function called before each write of an sk_out (the --progress line
 * erases itself from a terminal there). NULL: none. */
void sk_out_before_write(void (*fn)(void));
void sk_out_flush(sk_out *o);
void sk_out_write_slow(sk_out *o, const void *p, size_t n);

static inline void sk_out_write(sk_out *o, const void *p, size_t n)
{
	if (o->cap - o->len >= n) {
		memcpy(o->buf + o->len, p, n);
		o->len += n;
	} else {
		sk_out_write_slow(o, p, n);
	}
}

static inline void sk_out_putc(sk_out *o, int c)
{
	if (o->len == o->cap)
		sk_out_flush(o);
	o->buf[o->len++] = (char)c;
}

static inline void sk_out_puts(sk_out *o, const char *s)
{
	sk_out_write(o, s, strlen(s));
}

/*
 * Set to the signal by the tools' SIGINT/SIGTERM/SIGHUP handlers: the
 * readers then end the input as if it had reached its end, so the tool
 * flushes and exits (with 128 + the signal).
 */
#include <signal.h>
extern volatile sig_atomic_t sk_stop_flag;

#endif
