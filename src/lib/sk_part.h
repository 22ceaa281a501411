/* sk_part: stream-partition's copies of a command: each fed records
 * through its own pipe, their outputs merged on standard output whole
 * records at a time, with one header. */
#ifndef SK_PART_H
#define SK_PART_H

#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <sys/types.h>
#include "sk_buf.h"
#include "sk_fmt.h"

/* A copy's input is sent in blocks of this size (a live input sooner:
 * sk_part_idle); a slow copy whose block is full stops the input. */
#define SK_PART_BLOCK ((size_t)64 << 10)

typedef struct sk_part_copy {
	pid_t pid;
	int in_fd, out_fd;   /* our ends: its stdin, its stdout (-1: closed) */
	sk_buf pend;         /* input not yet written, from pend_off */
	size_t pend_off;
	sk_buf obuf;         /* output read, not yet written out: a record's
			      * start at obuf.p[0], scanned up to scan */
	size_t scan;
	int inq;             /* csv: the scan's quote state (sk_part_boundary) */
	sk_buf hdr;          /* csv, tsv: the header its records are under, */
	sk_buf hdrq;         /* and with its names quoted */
	int want_hdr;        /* its next record is a header */
	unsigned hdr_gen;    /* the output's header it matches (0: unknown) */
	int long_said;       /* a record over --max-record was said */
	int reaped, status;  /* waited for; exit status as a shell says it */
} sk_part_copy;

typedef struct sk_part {
	sk_part_copy *c;
	size_t n;
	char **argv;          /* COMMAND and its arguments */
	const sk_format *ofmt; /* the copies' output format; NULL until known */
	int header;           /* each copy's first record is its header */
	int keep_header;      /* write one header (no --no-output-header) */
	size_t max_record;    /* a copy's record longer than this is cut */
	char delim;           /* csv output: its separator (-d), newlines in
			       * quoted fields are no ends; 0: not csv */
	sk_buf hdr;           /* the output's header of the moment */
	unsigned hdr_gen;     /* changes with it; 0: none yet */
	int json_said;
	int failed;           /* a copy failed: the input is to stop */
	volatile sig_atomic_t signalled; /* the signal sent to the copies */
	int ended;            /* no copy reads any more: the input is to stop */
	uint64_t dropped;     /* records for copies that read no more */
	int worst;            /* the worst exit status of the copies */
	int live;             /* the input is idle: write output out at once */
} sk_part;

/* The number of cores this process may run on (its CPU affinity). */
size_t sk_part_cores(void);

/*
 * Starts n copies of argv (execvp), each in its own process group, with
 * STREAMKIT_PART (0 .. n-1) and STREAMKIT_PARTS (n) in its environment.
 * A command that cannot be run is said ("prog: CMD: reason") and ends
 * the run: the copies started are ended and the exit status is 127 (126
 * if it exists but cannot be run).
 */
void sk_part_start(sk_part *p, size_t n, char **argv);

/*
 * Once the input's format is known (after rd's first read): the copies'
 * output is split as of says (NULL: what a streamkit tool writes for the
 * input, csv for an empty one), its first record a header if of has
 * one and header (no -N), written if keep_header; and the input's
 * header, if it has one, is sent to every copy. Until then, the copies'
 * output is left in their pipes.
 */
void sk_part_settle(sk_part *p, const sk_reader *rd, const sk_format *of,
		    int header, int keep_header);

/* Sends the record [rec, rec+n) and a newline to copy k; waits while
 * its block is full. */
void sk_part_send(sk_part *p, size_t k, const char *rec, size_t n);

/*
 * Where a copy's output [b, b+len) may be cut: past the first (first)
 * or the last record boundary found from *scan on, or 0 if none; a
 * boundary is a newline, but with a CSV delimiter (delim not 0) not one
 * inside a quoted field (one whose first byte is a quote).
 * *scan and *q (the quote state) carry the scan across calls as the
 * output grows; after a cut at n, the caller takes n from *scan.
 */
size_t sk_part_boundary(const char *b, size_t len, char delim, int first,
			size_t *scan, int *q);

/* Which copy a key goes to: its hash, mixed, mapped onto 0 .. n-1. */
size_t sk_part_route(const sk_part *p, const char *key, size_t n);

/*
 * The input reader's idle hook (ctx: the sk_part): sends every copy what
 * it has, then writes the copies' output as it comes until the input has
 * data. If a copy fails, or none reads any more, the input is ended
 * (standard input becomes /dev/null).
 */
int sk_part_idle(void *ctx);

/* Sends signal sig to every copy's process group, once: later calls do
 * nothing. Async-signal-safe (for sk_tool_on_stop). */
void sk_part_signal(sk_part *p, int sig);

/*
 * Ends the run: sends what is pending, closes the copies' inputs, writes
 * all their output, waits for each, and returns the worst exit status (a
 * copy killed by a signal: 128 + it), each failure said on stderr.
 */
int sk_part_finish(sk_part *p);

#endif
