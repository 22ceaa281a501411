/* sk_part: the copies of stream-partition's command, their pipes and the
 * one poll loop that feeds them and merges what they write. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sk_err.h"
#include "sk_hash.h"
#include "sk_io.h"
#include "sk_part.h"

/* What the loop waits for. */
enum loop_mode {
	L_ONCE, /* nothing: handles what is ready now */
	L_IDLE, /* standard input to have data (or a stop) */
	L_WAIT, /* a copy's pending input to fall below a block */
	L_END,  /* every copy's output to end (their inputs are closed) */
};

static size_t pending(const sk_part_copy *c)
{
	return c->pend.len - c->pend_off;
}

/* The copy's input ends here; what it had not taken is dropped (it
 * reads no more: it ended, as head(1) does). */
static void close_input(sk_part_copy *c)
{
	if (c->in_fd >= 0)
		close(c->in_fd);
	c->in_fd = -1;
	sk_buf_clear(&c->pend);
	c->pend_off = 0;
}

/* 1 if some copy still reads its input. */
static int any_input(const sk_part *p)
{
	for (size_t k = 0; k < p->n; k++)
		if (p->c[k].in_fd >= 0)
			return 1;
	return 0;
}

/* Writes as much of the copy's pending input as its pipe takes now. */
static void push(sk_part_copy *c)
{
	while (c->in_fd >= 0 && pending(c)) {
		ssize_t w = write(c->in_fd, c->pend.p + c->pend_off, pending(c));
		if (w > 0)
			c->pend_off += (size_t)w;
		else if (w < 0 && errno == EAGAIN)
			return;
		else if (!(w < 0 && errno == EINTR))
			close_input(c); /* EPIPE: the copy closed its input */
	}
	sk_buf_clear(&c->pend);
	c->pend_off = 0;
}

/* A copy's exit status, as a shell gives it: 128 + the signal that
 * killed it. Said on stderr when not 0 (but for the signal forwarded). */
static void reaped(sk_part *p, sk_part_copy *c, int st)
{
	int sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	c->reaped = 1;
	close_input(c); /* nothing reads it now */
	c->status = sig ? 128 + sig : WEXITSTATUS(st);
	if (c->status > p->worst)
		p->worst = c->status;
	if (!c->status)
		return;
	p->failed = 1;
	if (p->signalled && c->status == 128 + p->signalled)
		return; /* it stopped as it was told to */
	size_t k = (size_t)(c - p->c);
	if (sig)
		sk_warn("copy %zu (%s) was killed by signal %d (%s)", k,
			p->argv[0], sig, strsignal(sig));
	else
		sk_warn("copy %zu (%s) exited with status %d", k, p->argv[0],
			c->status);
}

/* Waits for the copy (without blocking unless block). */
static void reap(sk_part *p, sk_part_copy *c, int block)
{
	int st;
	pid_t r;
	if (c->reaped)
		return;
	do
		r = waitpid(c->pid, &st, block ? 0 : WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r > 0)
		reaped(p, c, st);
	else if (r < 0)
		c->reaped = 1; /* not ours any more: nothing to wait for */
}

/* 1 if a quote at b[i] opens a quoted field: it starts the field (as
 * the CSV reader takes it); elsewhere it is data (37.8"N). */
static int opens(const char *b, size_t i, char delim)
{
	return i == 0 || b[i - 1] == delim || b[i - 1] == '\n';
}

size_t sk_part_boundary(const char *b, size_t len, char delim, int first,
			size_t *scan, int *q)
{
	size_t end = 0;
	if (!delim) {
		const char *nl = first ? memchr(b + *scan, '\n', len - *scan)
				       : memrchr(b + *scan, '\n', len - *scan);
		end = nl ? (size_t)(nl - b) + 1 : 0;
		*scan = first && end ? end : len;
		return end;
	}
	/* quote to quote; *q: 0 outside quotes, 1 inside, 2 inside just
	 * after a quote (a second one is a quote in the field) */
	size_t i = *scan;
	while (i < len) {
		if (*q == 2) {
			*q = b[i] == '"';
			i += *q;
			continue;
		}
		const char *e = memchr(b + i, '"', len - i);
		if (*q == 1) {
			if (!e)
				break;
			*q = 2;
			i = (size_t)(e - b) + 1;
			continue;
		}
		size_t stop = e ? (size_t)(e - b) : len;
		const char *nl = first ? memchr(b + i, '\n', stop - i)
				       : memrchr(b + i, '\n', stop - i);
		if (nl && first) {
			*scan = (size_t)(nl - b) + 1;
			return *scan;
		}
		if (nl)
			end = (size_t)(nl - b) + 1;
		if (!e)
			break;
		*q = opens(b, stop, delim);
		i = stop + 1;
	}
	*scan = len;
	return end;
}

static size_t boundary(const sk_part *p, sk_part_copy *c, int first)
{
	return sk_part_boundary(c->obuf.p, c->obuf.len, p->delim,
				first, &c->scan, &c->inq);
}

/* Drops the first n bytes of the copy's output, written out. */
static void consume(sk_part_copy *c, size_t n)
{
	memmove(c->obuf.p, c->obuf.p + n, c->obuf.len - n);
	c->obuf.len -= n;
	c->scan -= n;
}

/* The header line [h, h+n) with every name in double quotes, as the
 * CSV and TSV writers write the header of a new block (and their
 * readers take a line after a blank one only so): names compare so too. */
static void quoted(sk_buf *out, const char *h, size_t n, char delim, int csv)
{
	size_t end = n;
	while (end && (h[end - 1] == '\n' || h[end - 1] == '\r'))
		end--;
	sk_buf_clear(out);
	sk_buf_putc(out, '"');
	for (size_t i = 0; i < end; i++) {
		int at_start = i == 0 || h[i - 1] == delim;
		if (h[i] == '"' && at_start) { /* a quoted name: its bytes */
			for (i++; i < end; i++) {
				if (h[i] == '"' && (i + 1 >= end || h[i + 1] != '"' || !csv))
					break;
				if (h[i] == '"')
					i++;
				sk_buf_put(out, h[i] == '"' ? "\"\"" : &h[i],
					   h[i] == '"' ? 2 : 1);
			}
		} else if (h[i] == delim) {
			sk_buf_putc(out, '"');
			sk_buf_putc(out, delim);
			sk_buf_putc(out, '"');
		} else {
			sk_buf_put(out, h[i] == '"' ? "\"\"" : &h[i], h[i] == '"' ? 2 : 1);
		}
	}
	sk_buf_putc(out, '"');
	sk_buf_put(out, h + end, n - end);
}

/* Before a data record of copy c: the header it is under, written
 * where the output's is another (a blank line and the header, quoted: a
 * new block, as the writers start one where the fields change). */
static void put_header(sk_part *p, sk_part_copy *c)
{
	if (c->hdr_gen == p->hdr_gen && p->hdr_gen)
		return;
	if (!p->hdr_gen || c->hdrq.len != p->hdr.len ||
	    memcmp(c->hdrq.p, p->hdr.p, c->hdrq.len) != 0) {
		if (p->keep_header && p->hdr_gen) {
			sk_out_putc(&sk_stdout, '\n');
			sk_out_write(&sk_stdout, c->hdrq.p, c->hdrq.len);
		} else if (p->keep_header) {
			sk_out_write(&sk_stdout, c->hdr.p, c->hdr.len);
		}
		sk_buf_clear(&p->hdr);
		sk_buf_put(&p->hdr, c->hdrq.p, c->hdrq.len);
		p->hdr_gen++;
	}
	c->hdr_gen = p->hdr_gen;
}

/* One record [b, b+n) (its newline included) of a copy whose output has
 * headers: its first record and the one after a blank line are its
 * header from there on; a data record is written under it. */
static void header_record(sk_part *p, sk_part_copy *c, const char *b, size_t n)
{
	size_t body = n - (n && b[n - 1] == '\n');
	if (c->want_hdr) {
		sk_buf_clear(&c->hdr);
		sk_buf_put(&c->hdr, b, n);
		quoted(&c->hdrq, b, n, p->delim ? p->delim : '\t', p->delim != 0);
		c->want_hdr = 0;
		c->hdr_gen = 0;
		if (b[0] == '{' && !p->json_said) {
			sk_warn("copy %zu's output looks like JSON Lines, not %s: "
				"-o jsonl says so", (size_t)(c - p->c),
				sk_format_name(p->ofmt));
			p->json_said = 1;
		}
		return;
	}
	if (body == 0 || (body == 1 && b[0] == '\r')) {
		c->want_hdr = 1; /* a new block */
		return;
	}
	put_header(p, c);
	sk_out_write(&sk_stdout, b, n);
}

/* Writes out the copy's whole records; at its end (eof), all it wrote,
 * a last line without its newline given one. */
static void split(sk_part *p, sk_part_copy *c, int eof)
{
	size_t e;
	if (eof && c->obuf.len && c->obuf.p[c->obuf.len - 1] != '\n')
		sk_buf_putc(&c->obuf, '\n');
	/* no record end in more than --max-record (an open quote): the rest
	 * is written as it comes, so memory stays bounded */
	int whole = eof || c->obuf.len > p->max_record;
	if (whole && !eof && !c->long_said) {
		sk_warn("copy %zu wrote more than --max-record bytes without the "
			"end of a record (an open quote?): written as it comes",
			(size_t)(c - p->c));
		c->long_said = 1;
	}
	if (!p->header) {
		e = whole ? c->obuf.len : boundary(p, c, 0);
		if (e) {
			sk_out_write(&sk_stdout, c->obuf.p, e);
			consume(c, e);
		}
		return;
	}
	size_t at = 0;
	for (;;) {
		/* boundary scans from c->scan, which counts from obuf's start */
		e = boundary(p, c, 1);
		if (!e && whole && c->scan > at)
			e = c->obuf.len;
		if (!e || e <= at)
			break;
		header_record(p, c, c->obuf.p + at, e - at);
		at = e;
		c->scan = e;
		if (e == c->obuf.len)
			break;
	}
	if (eof && c->hdr.len && !p->hdr_gen)
		put_header(p, c); /* a copy that wrote only its header */
	consume(c, at);
}

/* Reads what the copy wrote; at its end, writes out the rest. */
static void read_output(sk_part *p, sk_part_copy *c)
{
	sk_buf_reserve(&c->obuf, SK_PART_BLOCK);
	ssize_t r = read(c->out_fd, c->obuf.p + c->obuf.len,
			 c->obuf.cap - c->obuf.len);
	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (r < 0)
		sk_warn("copy %zu: reading its output: %s", (size_t)(c - p->c),
			strerror(errno));
	if (r <= 0) {
		close(c->out_fd);
		c->out_fd = -1;
		split(p, c, 1);
		reap(p, c, 0);
		return;
	}
	c->obuf.len += (size_t)r;
	split(p, c, 0);
}

/* 1 when the loop in mode m has what it waits for. */
static int done(sk_part *p, enum loop_mode m, const sk_part_copy *wc)
{
	if (m == L_WAIT)
		return wc->in_fd < 0 || pending(wc) < SK_PART_BLOCK || p->failed ||
		       sk_stop_flag;
	if (m == L_END) {
		for (size_t k = 0; k < p->n; k++)
			if (p->c[k].in_fd >= 0 || p->c[k].out_fd >= 0)
				return 0;
		return 1;
	}
	return 0;
}

/* The one loop: feeds the copies and writes their output out until the
 * mode has what it waits for (sk_part.h). */
static void loop(sk_part *p, enum loop_mode m, sk_part_copy *wc)
{
	struct pollfd *fds = sk_xcalloc(2 * p->n + 1, sizeof *fds);
	size_t *who = sk_xcalloc(2 * p->n + 1, sizeof *who);
	while (!done(p, m, wc)) {
		size_t nfd = 0;
		int waiting = 0; /* a copy whose pipes ended is still to exit */
		if (m == L_IDLE) {
			fds[nfd] = (struct pollfd){ .fd = 0, .events = POLLIN };
			who[nfd++] = SIZE_MAX;
		}
		for (size_t k = 0; k < p->n; k++) {
			sk_part_copy *c = &p->c[k];
			if (m == L_END && c->in_fd >= 0 && !pending(c))
				close_input(c);
			if (c->in_fd >= 0 && pending(c)) {
				fds[nfd] = (struct pollfd){ .fd = c->in_fd, .events = POLLOUT };
				who[nfd++] = 2 * k;
			}
			if (c->out_fd >= 0 && p->ofmt) {
				fds[nfd] = (struct pollfd){ .fd = c->out_fd, .events = POLLIN };
				who[nfd++] = 2 * k + 1;
			}
			waiting |= !c->reaped && (c->in_fd < 0 || c->out_fd < 0);
		}
		if (done(p, m, wc))
			break;
		int timeout = m == L_ONCE ? 0 : waiting ? 20 : -1;
		int r = poll(fds, nfd, timeout);
		if (r < 0 && errno != EINTR)
			sk_die(SK_EXIT_DATA, "poll");
		int input = 0;
		for (size_t i = 0; r > 0 && i < nfd; i++) {
			if (!fds[i].revents)
				continue;
			if (who[i] == SIZE_MAX) {
				input = 1;
			} else if (who[i] % 2 == 0) {
				push(&p->c[who[i] / 2]);
				if (p->c[who[i] / 2].in_fd < 0)
					reap(p, &p->c[who[i] / 2], 0);
			} else {
				read_output(p, &p->c[who[i] / 2]);
			}
		}
		for (size_t k = 0; waiting && k < p->n; k++)
			if (p->c[k].in_fd < 0 || p->c[k].out_fd < 0)
				reap(p, &p->c[k], 0);
		if (p->live || m == L_END)
			sk_out_flush(&sk_stdout);
		if (m == L_ONCE || (m == L_IDLE && (input || p->failed || sk_stop_flag)))
			break;
	}
	free(fds);
	free(who);
}

/* In the child: becomes copy k of the command; never returns. A failed
 * exec sends its errno through errfd (close-on-exec: the parent reads
 * nothing when the exec worked). */
static _Noreturn void run_copy(sk_part *p, size_t k, int in, int out,
			       int errfd)
{
	static const int sigs[] = { SIGPIPE, SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL); /* an ignored one stays so in exec */
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setpgid(0, 0);
	char v[32];
	snprintf(v, sizeof v, "%zu", k);
	setenv("STREAMKIT_PART", v, 1);
	snprintf(v, sizeof v, "%zu", p->n);
	setenv("STREAMKIT_PARTS", v, 1);
	int e = 0;
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0)
		e = errno;
	else
		execvp(p->argv[0], p->argv);
	if (!e)
		e = errno;
	ssize_t w = write(errfd, &e, sizeof e);
	(void)w;
	_exit(e == ENOENT ? 127 : 126);
}

/* The three standard descriptors are open, so that no pipe takes one:
 * a closed one is /dev/null read-only (a write to it still fails). */
static void std_fds_open(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDONLY) != fd)
			sk_die(SK_EXIT_DATA, "/dev/null");
}

/* Ends the run before it began: copy k could not be started. */
static _Noreturn void not_started(sk_part *p, size_t k, int status)
{
	p->c[k].reaped = 1;
	p->n = k; /* the ones started are stopped */
	sk_part_signal(p, SIGTERM);
	sk_part_finish(p);
	exit(status);
}

size_t sk_part_cores(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
		return (size_t)CPU_COUNT(&set);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (size_t)n : 1;
}

void sk_part_start(sk_part *p, size_t n, char **argv)
{
	memset(p, 0, sizeof *p);
	p->n = n;
	p->argv = argv;
	p->max_record = SK_MAX_RECORD_DEFAULT; /* until sk_part_settle */
	p->c = sk_xcalloc(n, sizeof *p->c);
	std_fds_open();
	for (size_t k = 0; k < n; k++) {
		sk_part_copy *c = &p->c[k];
		int in[2], out[2], err[2];
		if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) ||
		    pipe2(err, O_CLOEXEC)) {
			sk_warn("pipe: %s", strerror(errno));
			not_started(p, k, SK_EXIT_DATA);
		}
		fflush(NULL);
		c->pid = fork();
		if (c->pid < 0) {
			sk_warn("fork: %s", strerror(errno));
			not_started(p, k, SK_EXIT_DATA);
		}
		if (c->pid == 0)
			run_copy(p, k, in[0], out[1], err[1]);
		setpgid(c->pid, c->pid); /* as the child does: no race */
		close(in[0]);
		close(out[1]);
		close(err[1]);
		c->in_fd = in[1];
		c->out_fd = out[0];
		fcntl(c->in_fd, F_SETPIPE_SZ, 1 << 20); /* fewer wakeups; may fail */
		fcntl(c->in_fd, F_SETFL, fcntl(c->in_fd, F_GETFL) | O_NONBLOCK);
		fcntl(c->out_fd, F_SETFL, fcntl(c->out_fd, F_GETFL) | O_NONBLOCK);
		int e;
		ssize_t r;
		do
			r = read(err[0], &e, sizeof e);
		while (r < 0 && errno == EINTR);
		close(err[0]);
		if (r == (ssize_t)sizeof e) {
			sk_warn("%s: %s", argv[0], strerror(e));
			int st;
			while (waitpid(c->pid, &st, 0) < 0 && errno == EINTR)
				;
			close(c->in_fd);
			close(c->out_fd);
			not_started(p, k, e == ENOENT ? 127 : 126);
		}
	}
}

/* How the copies' output is split (sk_part_settle); delim: the CSV
 * separator, used only when fmt is csv. */
static void output(sk_part *p, const sk_format *fmt, char delim, int header,
		   int keep_header)
{
	p->ofmt = fmt;
	p->delim = strcmp(sk_format_name(fmt), "csv") == 0 ? delim : 0;
	p->header = header;
	p->keep_header = keep_header;
	for (size_t k = 0; k < p->n; k++)
		p->c[k].want_hdr = header;
}

void sk_part_settle(sk_part *p, const sk_reader *rd, const sk_format *of,
		    int header, int keep_header)
{
	if (!of)
		of = sk_format_out_default(rd->fmt);
	p->max_record = rd->opt->max_record;
	output(p, of, rd->opt->delim ? rd->opt->delim : ',',
	       header && sk_format_has_header(of), keep_header);
	if (sk_format_has_header(rd->fmt) && rd->hdr_raw.len)
		for (size_t k = 0; k < p->n; k++)
			sk_part_send(p, k, rd->hdr_raw.p, rd->hdr_raw.len);
}

size_t sk_part_route(const sk_part *p, const char *key, size_t n)
{
	/* The copies hash the same keys with the same function: the bits
	 * that choose the copy are mixed, so that each copy's own table
	 * sees keys spread over all its buckets. */
	uint64_t h = sk_hash_bytes(key, n);
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)(((unsigned __int128)h * p->n) >> 64);
}

void sk_part_send(sk_part *p, size_t k, const char *rec, size_t n)
{
	sk_part_copy *c = &p->c[k];
	if (c->in_fd < 0) { /* it reads no more: its records are dropped */
		if (++p->dropped % 4096 == 0) {
			loop(p, L_ONCE, NULL); /* the others may have ended */
			p->ended = !any_input(p);
		}
		return;
	}
	if (c->pend_off > c->pend.len / 2) {
		memmove(c->pend.p, c->pend.p + c->pend_off, pending(c));
		c->pend.len -= c->pend_off;
		c->pend_off = 0;
	}
	sk_buf_put(&c->pend, rec, n);
	sk_buf_putc(&c->pend, '\n');
	if (pending(c) < SK_PART_BLOCK)
		return;
	push(c);
	if (c->in_fd >= 0 && pending(c) >= SK_PART_BLOCK)
		loop(p, L_WAIT, c); /* a slow copy slows the input */
	else
		loop(p, L_ONCE, NULL);
	if (c->in_fd < 0) {
		reap(p, c, 0);
		p->ended = !any_input(p);
	}
}

int sk_part_idle(void *ctx)
{
	sk_part *p = ctx;
	for (size_t k = 0; k < p->n; k++)
		push(&p->c[k]);
	sk_out_flush(&sk_stdout);
	p->live = 1;
	loop(p, L_IDLE, NULL);
	p->live = 0;
	p->ended = !any_input(p);
	if ((p->failed || p->ended) && !sk_stop_flag) {
		/* the input ends: its next read is the end of /dev/null */
		int fd = open("/dev/null", O_RDONLY);
		if (fd < 0 || dup2(fd, 0) < 0)
			sk_die(SK_EXIT_DATA, "/dev/null");
		close(fd);
	}
	return 0;
}

void sk_part_signal(sk_part *p, int sig)
{
	if (p->signalled)
		return;
	p->signalled = sig;
	for (size_t k = 0; k < p->n; k++)
		if (!p->c[k].reaped && p->c[k].pid > 0)
			kill(-p->c[k].pid, sig);
}

int sk_part_finish(sk_part *p)
{
	if (!p->ofmt) /* never settled: the run did not begin */
		output(p, sk_format_find("lines"), 0, 0, 1);
	for (size_t k = 0; k < p->n; k++)
		push(&p->c[k]);
	loop(p, L_END, NULL);
	for (size_t k = 0; k < p->n; k++) {
		reap(p, &p->c[k], 1);
		sk_buf_free(&p->c[k].pend);
		sk_buf_free(&p->c[k].obuf);
		sk_buf_free(&p->c[k].hdr);
		sk_buf_free(&p->c[k].hdrq);
	}
	sk_out_flush(&sk_stdout);
	sk_buf_free(&p->hdr);
	free(p->c);
	p->c = NULL;
	return p->worst;
}
