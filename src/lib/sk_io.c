/* sk_io: block input split into lines with memchr, and block output that
 * is flushed whenever the input would block. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sk_decomp.h"
#include "sk_err.h"
#include "sk_io.h"

#define SK_IN_BLOCK (1u << 20)
#define SK_OUT_BLOCK (1u << 18)

volatile sig_atomic_t sk_stop_flag;

sk_out sk_stdout;

int sk_in_open(sk_in *in, const char *path, size_t max_record)
{
	memset(in, 0, sizeof *in);
	if (!path || strcmp(path, "-") == 0) {
		in->fd = 0;
		in->name = "stdin";
	} else {
		in->name = path;
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0)
			return -1;
	}
	struct stat st;
	in->regular = fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode);
	in->size = in->regular ? (uint64_t)st.st_size : 0;
	in->cap = SK_IN_BLOCK;
	in->buf = sk_xmalloc(in->cap + SK_IN_PAD);
	in->max_record = max_record ? max_record : SK_MAX_RECORD_DEFAULT;
	return 0;
}

void sk_in_close(sk_in *in)
{
	if (in->fd > 0)
		close(in->fd);
	sk_decomp_free(in->z);
	in->z = NULL;
	free(in->buf);
	in->buf = NULL;
	in->fd = -1;
}

void sk_in_end(sk_in *in)
{
	in->beg = in->pos = in->end;
	in->eof = 1;
}

/* The record being read is longer than max_record: the input ends before
 * it, at the line it has reached. */
static __attribute__((cold, noinline)) void too_long(sk_in *in)
{
	in->long_line = in->line + 1;
	sk_in_end(in);
}

/* Waits until fd has data, calling the idle hook while it has none. */
static void wait_input(sk_in *in)
{
	if (in->regular || !in->idle)
		return;
	struct pollfd p = { .fd = in->fd, .events = POLLIN };
	int timeout = 0;
	for (;;) {
		int r = poll(&p, 1, timeout);
		if (r > 0 || sk_stop_flag)
			return;
		if (r < 0 && errno != EINTR)
			return; /* read() will report it */
		timeout = in->idle(in->idle_ctx);
	}
}

/* Reads at most n bytes of the file itself; 0 at its end or on a stop. */
static size_t raw_read(void *ctx, void *buf, size_t n)
{
	sk_in *in = ctx;
	for (;;) {
		if (sk_stop_flag) {
			in->stopped = 1;
			return 0;
		}
		wait_input(in);
		if (sk_stop_flag) {
			in->stopped = 1;
			return 0;
		}
		ssize_t r = read(in->fd, buf, n);
		if (r >= 0) {
			in->raw_bytes += (size_t)r;
			return (size_t)r;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN) {
			struct pollfd p = { .fd = in->fd, .events = POLLIN };
			poll(&p, 1, -1);
			continue;
		}
		in->err = errno;
		sk_warn("%s: %s", in->name, strerror(errno));
		return 0;
	}
}

/*
 * Reads at most n bytes of the data: the file's own bytes, or on the first
 * read, if they open a gzip, zstd, bzip2 or xz stream, its decoder's from
 * then on. A decoder's complaint is kept in in->zbad.
 */
static size_t in_read(sk_in *in, char *buf, size_t n)
{
	const char *bad = NULL;
	size_t got;
	if (in->z) {
		got = sk_decomp_read(in->z, buf, n, &bad);
		in->zbad = in->err || in->stopped ? NULL : bad; /* said already */
		return got;
	}
	if (in->sniffed)
		return raw_read(in, buf, n);
	in->sniffed = 1;
	/* n is at least half a block: room for any magic. */
	got = 0;
	int kind;
	for (;;) {
		size_t r = raw_read(in, buf + got, n - got);
		got += r;
		kind = sk_decomp_sniff((const unsigned char *)buf, got);
		if (kind >= 0 || r == 0)
			break;
	}
	if (kind <= SK_Z_NONE || in->stopped)
		return got;
	in->z = sk_decomp_new(kind, in->name, buf, got, raw_read, in);
	got = sk_decomp_read(in->z, buf, n, &bad);
	in->zbad = in->err || in->stopped ? NULL : bad;
	return got;
}

int sk_in_skip(sk_in *in, uint64_t n)
{
	while (n) {
		/* whole blocks: the first read sniffs the compression */
		size_t got = in_read(in, in->buf, in->cap);
		if (!got) {
			if (in->zbad)
				sk_warn("%s: %s", in->name, in->zbad);
			in->zbad = NULL;
			sk_in_end(in);
			return -1;
		}
		if (got > n) {
			memmove(in->buf, in->buf + n, got - (size_t)n);
			in->beg = in->pos = 0;
			in->end = got - (size_t)n;
			in->offset += n;
			return 0;
		}
		n -= got;
		in->offset += got;
	}
	return 0;
}

/*
 * Reads more input after in->end, first moving the current record to the
 * front of the buffer (or growing it when the record fills it). *scan is
 * kept pointing at the same byte. Returns the number of bytes read.
 */
static size_t refill(sk_in *in, size_t *scan)
{
	if (in->beg > 0) {
		memmove(in->buf, in->buf + in->beg, in->end - in->beg);
		in->offset += in->beg;
		in->pos -= in->beg;
		in->end -= in->beg;
		*scan -= in->beg;
		in->beg = 0;
	}
	if (in->end > in->max_record) {
		too_long(in);
		return 0;
	}
	if (in->cap - in->end < SK_IN_BLOCK / 2) {
		in->cap *= 2;
		in->buf = sk_xrealloc(in->buf, in->cap + SK_IN_PAD);
	}
	size_t old = in->end;
	size_t n = in_read(in, in->buf + old, in->cap - old);
	in->end += n;
	if (in->zbad) {
		/* A damaged stream ends this input after its last whole line
		 * (there is none in [pos, old): the caller scanned it);
		 * next_line says why once the lines before it are out. */
		size_t e = in->end;
		while (e > old && in->buf[e - 1] != '\n')
			e--;
		if (e == old)
			e = in->pos;
		n = e > old ? e - old : 0;
		in->end = e;
		in->err = EIO;
	}
	if (in->stopped || in->err || n == 0)
		in->eof = 1;
	return n;
}

/* Finds the end of the line at in->pos; the record start stays at beg. */
static int next_line(sk_in *in, sk_str *line)
{
	size_t scan = in->pos;
	for (;;) {
		char *q = memchr(in->buf + scan, '\n', in->end - scan);
		if (q) {
			size_t e = (size_t)(q - in->buf);
			if (e - in->beg > in->max_record) {
				too_long(in);
				return 0;
			}
			line->p = in->buf + in->beg;
			line->n = e - in->beg;
			in->pos = e + 1;
			in->line++;
			in->last_nl = 1;
			return 1;
		}
		scan = in->end;
		if (in->eof || (refill(in, &scan) == 0 && in->eof)) {
			if (in->end > in->pos && in->end - in->beg > in->max_record) {
				too_long(in);
				return 0;
			}
			if (in->end > in->pos && in->stopped) {
				/* A signal cut the line short: the rest of it
				 * was never read, so it is no record. Its bytes
				 * are dropped: the input ends where the record
				 * began, the offset a --state run saves. */
				in->pos = in->end = in->beg;
				return 0;
			}
			if (in->end > in->pos && in->hold_last) {
				/* left for the next run, from its start */
				in->pos = in->beg;
				return 0;
			}
			if (in->end > in->pos) {
				line->p = in->buf + in->beg;
				line->n = in->end - in->beg;
				in->pos = in->end;
				in->line++;
				in->last_nl = 0;
				return 1;
			}
			if (in->zbad) {
				/* Said after the output of the lines before it. */
				sk_out_flush(&sk_stdout);
				sk_warn("%s: %s", in->name, in->zbad);
				in->zbad = NULL;
			}
			return 0;
		}
	}
}

int sk_in_line(sk_in *in, sk_str *line)
{
	if (in->stop && in->offset + in->pos >= in->stop)
		return 0;
	in->beg = in->pos;
	if (!next_line(in, line))
		return 0;
	in->rec_line = in->line;
	return 1;
}

int sk_in_more(sk_in *in, sk_str *rec)
{
	sk_str s;
	if (in->pos >= in->end && in->eof)
		return 0;
	if (!next_line(in, &s))
		return 0;
	*rec = s;
	return 1;
}

void sk_out_init(sk_out *o, int fd)
{
	o->fd = fd;
	o->cap = SK_OUT_BLOCK;
	o->len = 0;
	o->buf = sk_xmalloc(o->cap);
}

void sk_out_init_mem(sk_out *o)
{
	sk_out_init(o, -1);
}

void sk_out_free(sk_out *o)
{
	free(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
}

/* A memory sk_out has room for n more bytes. */
static void mem_grow(sk_out *o, size_t n)
{
	if (o->cap - o->len >= n)
		return;
	while (o->cap - o->len < n)
		o->cap *= 2;
	o->buf = sk_xrealloc(o->buf, o->cap);
}

static void (*before_write)(void);

void sk_out_before_write(void (*fn)(void))
{
	before_write = fn;
}

static void out_all(sk_out *o, const char *p, size_t n)
{
	if (before_write && n)
		before_write();
	while (n > 0) {
		ssize_t w = write(o->fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE) {
				/* the reader went away: end quietly (and
				 * take a --progress line along) */
				sk_err_before_message();
				_exit(0);
			}
			sk_die(SK_EXIT_DATA, "write error");
		}
		p += w;
		n -= (size_t)w;
	}
}

void sk_out_flush(sk_out *o)
{
	if (o->fd < 0) {
		/* in memory: "flushing" a full buffer makes room */
		if (o->len == o->cap)
			mem_grow(o, 1);
		return;
	}
	if (o->len) {
		out_all(o, o->buf, o->len);
		o->len = 0;
	}
}

void sk_out_write_slow(sk_out *o, const void *p, size_t n)
{
	if (o->fd < 0) {
		mem_grow(o, n);
		memcpy(o->buf + o->len, p, n);
		o->len += n;
		return;
	}
	sk_out_flush(o);
	if (n >= o->cap)
		out_all(o, p, n);
	else {
		memcpy(o->buf, p, n);
		o->len = n;
	}
}
