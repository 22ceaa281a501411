/* sk_par: -j N on regular files: runs cut at record boundaries, read on
 * worker threads, written and said in input order by the main thread. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sk_decomp.h"
#include "sk_err.h"
#include "sk_expr.h"
#include "sk_fmt_impl.h"
#include "sk_par.h"
#include "sk_time.h"

/* Below this many bytes of input one thread reads it (SK_PAR_MIN_BYTES). */
#define PAR_MIN_BYTES ((uint64_t)4 << 20)
/* The size of a chunk of stream-filter and stream-map (SK_PAR_CHUNK). */
#define PAR_CHUNK ((uint64_t)8 << 20)
/* The most threads -j takes. */
#define PAR_MAX_JOBS 1024

/* A kept bad record or fatal error of a worker. */
typedef struct par_ev {
	int kind, fatal;
	const char *src;  /* the reader's name of its input: which file */
	uint64_t line;    /* within the run's part of that file */
	size_t off;       /* the run's output bytes before it */
	size_t msg, nmsg, raw, nraw; /* in the slot's text */
} par_ev;

/* A piece of the input: files f0..f1, from start in f0 to stop in f1
 * (0: its end); spec: start is a guess (inside f0, after a '\n'). */
typedef struct par_run {
	size_t f0, f1;
	uint64_t start, stop;
	int spec;
} par_run;

typedef struct par par;

/* One run's worth of everything: a worker tool and what the run made. */
struct sk_par_slot {
	par *P;
	sk_tool wt;
	void *ctx;
	sk_out out;
	par_ev *ev;
	size_t nev, evcap;
	sk_buf text;
	sk_span *spans;   /* one per input file */
	size_t run;       /* the run it holds */
	int state;        /* SLOT_* */
	int complete;     /* the run was read to its stop */
	int stopped;      /* a signal cut it short */
	int preset;       /* its writer started with the header of before */
	uint64_t start;   /* where it started */
};

enum { SLOT_FREE, SLOT_BUSY, SLOT_DONE };

struct par {
	sk_tool *t;
	const sk_par_ops *ops;
	const sk_format *fmt;  /* the input's, settled */
	const char *fmtname;
	int has_header;       /* csv, tsv without -N */
	size_t nfiles;
	char **paths;         /* what a worker opens */
	const char **names;   /* what messages say */
	uint64_t *size;
	sk_buf *hdr0;         /* each file's first header line */
	uint64_t *lines;      /* lines of each file written so far */
	par_run *runs;
	size_t nruns;
	struct sk_par_slot *slots;
	size_t nslots;
	pthread_t *th;
	size_t nth;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	size_t next, consumed;
	int quit;
	size_t nredo;         /* runs read again by the main thread */
	/* the output so far: header blocks written, the last one's names */
	int gblocks;
	sk_buf gnames;        /* each name, then a NUL */
	size_t ngnames;
	/* the end of the run before and its header */
	uint64_t prev_end;
	sk_buf prev_hdr;
	/* the last header read, for the tool's header of an empty output */
	sk_buf last_hdr_raw, last_names;
	size_t nlast_names;
	int have_last;
};

unsigned sk_par_jobs_default(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > PAR_MAX_JOBS ? PAR_MAX_JOBS : (unsigned)n;
}

unsigned sk_par_jobs_opt(const char *arg)
{
	uint64_t n;
	if (!sk_parse_uint(arg, strlen(arg), &n) || n < 1 || n > PAR_MAX_JOBS)
		sk_usage_error("-j takes a number of threads from 1 to %d, not '%s'",
			       PAR_MAX_JOBS, arg);
	return (unsigned)n;
}

/* A size from the environment (tests make small files split), else def. */
static uint64_t env_size(const char *name, uint64_t def)
{
	const char *e = getenv(name);
	uint64_t v;
	if (e && *e && sk_parse_uint(e, strlen(e), &v) && v > 0)
		return v;
	return def;
}

/* --- the workers' side --- */

static par_ev *new_event(sk_tool *t, const sk_record *rec, int kind,
			 int fatal)
{
	struct sk_par_slot *s = t->par;
	SK_GROW(s->ev, s->evcap, s->nev + 1);
	par_ev *e = &s->ev[s->nev++];
	e->kind = kind;
	e->fatal = fatal;
	e->src = rec->src;
	e->line = rec->line;
	e->off = s->out.len;
	e->raw = s->text.len;
	e->nraw = 0;
	if (s->P->t->rejects && !fatal) {
		sk_buf_put(&s->text, rec->raw.p, rec->raw.n);
		e->nraw = rec->raw.n;
	}
	e->msg = s->text.len;
	if (fatal || t->on_error == SK_ONERR_FAIL)
		t->par_stop = 1;
	return e;
}

/* A worker tool's par_event: keeps a bad record (its message made of
 * fmt, unless --on-error skip says nothing), or a fatal error. */
static void keep_event(sk_tool *t, const sk_record *rec, int kind, int fatal,
		       const char *fmt, va_list ap)
{
	par_ev *e = new_event(t, rec, kind, fatal);
	if (fatal || t->on_error != SK_ONERR_SKIP)
		sk_buf_vprintf(&t->par->text, fmt, ap);
	e->nmsg = t->par->text.len - e->msg;
}

/* The names of a header (slots of schema), each followed by a NUL. */
static void names_of(sk_buf *b, const sk_schema *schema, const uint32_t *hdr,
		     size_t n)
{
	sk_buf_clear(b);
	for (size_t i = 0; i < n; i++) {
		sk_str nm = sk_schema_name(schema, hdr[i]);
		sk_buf_put(b, nm.p, nm.n);
		sk_buf_putc(b, 0);
	}
}

/* Starts the writer of a redone run with the header the output already
 * has: the header block state of one thread at that point. */
static void preset_writer(par *P, struct sk_par_slot *s)
{
	sk_writer *w = &s->wt.wr;
	w->blocks = P->gblocks;
	w->hdr = sk_xrealloc(w->hdr, (P->ngnames ? P->ngnames : 1) * sizeof *w->hdr);
	const char *p = P->gnames.p;
	for (size_t i = 0; i < P->ngnames; i++) {
		size_t n = strlen(p);
		w->hdr[i] = sk_schema_intern(&s->wt.schema, p, n);
		p += n + 1;
	}
	w->nhdr = P->ngnames;
	if (!w->fmt)
		w->fmt = sk_format_out_default(w->rd->fmt);
	w->raw_ok = w->rd->fmt == w->fmt; /* as the first write would set */
	s->preset = 1;
}

/* Reads run k into slot s from start, a csv/tsv file's middle starting
 * under header hdr. exact: the main thread, every run before done. */
static void do_run(par *P, struct sk_par_slot *s, size_t k, uint64_t start,
		   const sk_buf *hdr, int exact)
{
	sk_tool *t = P->t, *wt = &s->wt;
	const par_run *r = &P->runs[k];
	sk_reader_free(&wt->rd);
	for (size_t f = r->f0; f <= r->f1; f++) {
		sk_span *sp = &s->spans[f];
		sk_buf keep = sp->hdr_out;
		memset(sp, 0, sizeof *sp);
		sp->hdr_out = keep;
	}
	s->spans[r->f0].start = start;
	if (start && P->has_header && hdr) {
		const sk_buf *h0 = &P->hdr0[r->f0];
		s->spans[r->f0].hdr = hdr->p;
		s->spans[r->f0].nhdr = hdr->len;
		s->spans[r->f0].block = hdr->len != h0->len ||
					memcmp(hdr->p, h0->p, hdr->len) != 0;
	}
	s->spans[r->f1].stop = r->stop;
	sk_reader_init(&wt->rd, P->fmtname, &wt->schema, &wt->fo,
		       P->paths + r->f0, r->f1 - r->f0 + 1);
	wt->rd.spans = s->spans + r->f0;
	s->out.len = 0;
	s->nev = 0;
	sk_buf_clear(&s->text);
	s->preset = 0;
	s->start = start;
	if (P->ops->writes) {
		sk_writer_free(&wt->wr);
		sk_writer_init(&wt->wr, t->ofmt, &s->out, &wt->schema, &wt->fo,
			       &wt->rd);
		wt->wr.hdr_beg = wt->wr.hdr_end = 0;
		if (exact && P->gblocks)
			preset_writer(P, s);
	}
	wt->par = s;
	wt->par_event = keep_event;
	wt->par_stop = 0;
	s->run = k;
	P->ops->reset(P->ops->arg, s->ctx, k, exact);
	int more = 1;
	while (!__atomic_load_n(&P->quit, __ATOMIC_RELAXED) &&
	       (more = sk_tool_next(wt)))
		if (!P->ops->record(s->ctx, wt)) {
			more = 1;
			break;
		}
	s->stopped = sk_stop_flag != 0;
	s->complete = !more && !wt->par_stop && !s->stopped &&
		      !__atomic_load_n(&P->quit, __ATOMIC_RELAXED);
}

static void *worker(void *arg)
{
	par *P = arg;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_mutex_lock(&P->mu);
	for (;;) {
		while (!P->quit && P->next < P->nruns &&
		       P->next >= P->consumed + P->nslots)
			pthread_cond_wait(&P->work, &P->mu);
		if (P->quit || P->next >= P->nruns)
			break;
		size_t k = P->next++;
		struct sk_par_slot *s = &P->slots[k % P->nslots];
		s->state = SLOT_BUSY;
		pthread_mutex_unlock(&P->mu);
		const par_run *r = &P->runs[k];
		do_run(P, s, k, r->start, r->spec ? &P->hdr0[r->f0] : NULL, 0);
		pthread_mutex_lock(&P->mu);
		s->state = SLOT_DONE;
		pthread_cond_broadcast(&P->done);
	}
	pthread_mutex_unlock(&P->mu);
	sk_expr_thread_end();
	return NULL;
}

/* Stops the workers and waits for them (before an exit, at the end). */
static void stop_workers(par *P)
{
	pthread_mutex_lock(&P->mu);
	__atomic_store_n(&P->quit, 1, __ATOMIC_RELAXED);
	pthread_cond_broadcast(&P->work);
	pthread_mutex_unlock(&P->mu);
	for (size_t i = 0; i < P->nth; i++)
		pthread_join(P->th[i], NULL);
	P->nth = 0;
}

/* --- cutting the input --- */

/*
 * The first record boundary at or after off in file f: just after a '\n'
 * that ends a line that is not blank (a blank line may open a new CSV
 * block), or the file's size.
 */
static uint64_t boundary(par *P, int fd, size_t f, uint64_t off)
{
	char buf[1 << 16];
	uint64_t size = P->size[f];
	if (off >= size)
		return size;
	/* three bytes before off tell whether the line before is blank */
	uint64_t base = off >= 3 ? off - 3 : 0;
	int nonblank = 0; /* the line scanned has a byte other than CR */
	while (base < size) {
		ssize_t n = pread(fd, buf, sizeof buf, (off_t)base);
		if (n <= 0)
			return size;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				if (base + (uint64_t)i + 1 >= off && nonblank)
					return base + (uint64_t)i + 1;
				nonblank = 0;
			} else if (buf[i] != '\r') {
				nonblank = 1;
			}
		}
		base += (uint64_t)n;
	}
	return size;
}

static void add_run(par *P, size_t f0, size_t f1, uint64_t start,
		    uint64_t stop, int spec)
{
	P->runs = sk_xrealloc(P->runs, (P->nruns + 1) * sizeof *P->runs);
	P->runs[P->nruns++] = (par_run){ f0, f1, start, stop, spec };
}

/* Ordered chunks of about chunk bytes, none across files. */
static void cut_chunks(par *P, uint64_t chunk)
{
	for (size_t f = 0; f < P->nfiles; f++) {
		int fd = open(P->paths[f], O_RDONLY | O_CLOEXEC);
		uint64_t b = 0, size = P->size[f];
		do {
			uint64_t nb = fd < 0 ? size : boundary(P, fd, f, b + chunk);
			add_run(P, f, f, b, nb >= size ? 0 : nb, b > 0);
			b = nb;
		} while (b < size);
		if (fd >= 0)
			close(fd);
	}
}

/* n contiguous ranges over all the files, of about equal bytes. */
static void cut_ranges(par *P, size_t n)
{
	uint64_t total = 0;
	for (size_t f = 0; f < P->nfiles; f++)
		total += P->size[f];
	size_t f0 = 0;
	uint64_t s0 = 0, before = 0; /* bytes of the files before f */
	size_t f = 0;
	for (size_t i = 1; i <= n; i++) {
		uint64_t g = i == n ? total : total / n * i;
		while (f + 1 < P->nfiles && g >= before + P->size[f]) {
			before += P->size[f];
			f++;
		}
		if (i == n) {
			add_run(P, f0, P->nfiles - 1, s0, 0, s0 > 0);
			break;
		}
		int fd = open(P->paths[f], O_RDONLY | O_CLOEXEC);
		uint64_t b = fd < 0 ? P->size[f] : boundary(P, fd, f, g - before);
		if (fd >= 0)
			close(fd);
		size_t cf = f;
		if (b >= P->size[f]) {
			if (f + 1 >= P->nfiles)
				continue; /* the rest is the last range */
			cf = f + 1;
			b = 0;
		}
		if (cf == f0 && b <= s0)
			continue;
		if (b == 0)
			add_run(P, f0, cf - 1, s0, 0, s0 > 0);
		else
			add_run(P, f0, cf, s0, b, s0 > 0);
		f0 = cf;
		s0 = b;
	}
}

/* --- deciding --- */

static void par_free(par *P)
{
	for (size_t i = 0; i < P->nslots; i++) {
		struct sk_par_slot *s = &P->slots[i];
		if (s->ctx)
			P->ops->close(s->ctx);
		sk_reader_free(&s->wt.rd);
		sk_writer_free(&s->wt.wr);
		sk_rec_free(&s->wt.rec);
		sk_schema_free(&s->wt.schema);
		sk_out_free(&s->out);
		free(s->ev);
		sk_buf_free(&s->text);
		for (size_t f = 0; f < P->nfiles; f++)
			sk_buf_free(&s->spans[f].hdr_out);
		free(s->spans);
	}
	free(P->slots);
	for (size_t f = 0; f < P->nfiles; f++)
		sk_buf_free(&P->hdr0[f]);
	free(P->hdr0);
	free(P->size);
	free(P->lines);
	free(P->paths);
	free(P->names);
	free(P->runs);
	free(P->th);
	sk_buf_free(&P->gnames);
	sk_buf_free(&P->prev_hdr);
	sk_buf_free(&P->last_hdr_raw);
	sk_buf_free(&P->last_names);
}

/* 1 if path is a regular file that does not open a compressed stream;
 * its size in *size. */
static int plain_file(const char *path, uint64_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	struct stat st;
	unsigned char head[SK_Z_SNIFF];
	int ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	if (ok) {
		ssize_t n = pread(fd, head, sizeof head, 0);
		ok = n >= 0 && sk_decomp_sniff(head, (size_t)n) <= SK_Z_NONE;
		*size = (uint64_t)st.st_size;
	}
	close(fd);
	return ok;
}

/*
 * What the main thread settles before the workers start: the input
 * format (-i auto: from the first record, as one thread finds it) and,
 * for csv and tsv, each file's first header. 0 when one thread must
 * read the input: a first header that is bad, spans lines or cannot be
 * read.
 */
static int probe(par *P)
{
	sk_tool *t = P->t;
	const sk_format *fmt = strcmp(t->ifmt, "auto") ? sk_format_find(t->ifmt) : NULL;
	sk_schema scratch;
	sk_schema_init(&scratch);
	int ok = 1;
	for (size_t f = 0; f < P->nfiles && ok; f++) {
		if (fmt && (!fmt->has_header || t->fo.no_header))
			break;
		sk_reader rd;
		sk_record rec;
		sk_rec_init(&rec);
		sk_reader_init(&rd, fmt ? fmt->name : "auto", &scratch, &t->fo,
			       P->paths + f, 1);
		int r = sk_read(&rd, &rec);
		if (r == SK_REC_FATAL || rd.nfailed)
			ok = 0;
		if (rd.fmt)
			fmt = rd.fmt;
		if (ok && fmt && fmt->has_header && !t->fo.no_header) {
			sk_buf_put(&P->hdr0[f], rd.hdr_raw.p, rd.hdr_raw.len);
			if (rd.hdr_raw.len && memchr(rd.hdr_raw.p, '\n', rd.hdr_raw.len))
				ok = 0;
		}
		sk_reader_free(&rd);
		sk_rec_free(&rec);
	}
	sk_schema_free(&scratch);
	if (!ok || !fmt)
		return 0;
	P->fmtname = fmt->name;
	P->has_header = fmt->has_header && !t->fo.no_header;
	P->fmt = fmt;
	if (!P->ops->writes)
		return 1;
	const sk_format *out = t->ofmt ? sk_format_find(t->ofmt) : sk_format_out_default(fmt);
	if (out->finish || out->flush || out->readable_numbers)
		return 0;
	/* fields that grow as they come: a header would follow them */
	if ((fmt == &sk_fmt_jsonl || fmt == &sk_fmt_logfmt) && out->has_header)
		return 0;
	return 1;
}

/* Sets P up over t's inputs: 1 if they can be read in parallel. */
static int par_init(par *P, sk_tool *t, unsigned jobs, const sk_par_ops *ops)
{
	memset(P, 0, sizeof *P);
	P->t = t;
	P->ops = ops;
	if (jobs < 2 || t->prog.on)
		return 0;
	int std = t->nfiles == 0 || (t->nfiles == 1 && strcmp(t->files[0], "-") == 0);
	P->nfiles = std ? 1 : t->nfiles;
	P->paths = sk_xcalloc(P->nfiles, sizeof *P->paths);
	P->names = sk_xcalloc(P->nfiles, sizeof *P->names);
	P->size = sk_xcalloc(P->nfiles, sizeof *P->size);
	P->lines = sk_xcalloc(P->nfiles, sizeof *P->lines);
	P->hdr0 = sk_xcalloc(P->nfiles, sizeof *P->hdr0);
	uint64_t total = 0;
	for (size_t f = 0; f < P->nfiles; f++) {
		if (std) {
			/* standard input from a file: opened again, so each
			 * thread has its own offset; from its start only */
			if (lseek(0, 0, SEEK_CUR) != 0)
				return 0;
			P->paths[f] = "/dev/stdin";
			P->names[f] = "stdin";
		} else {
			if (strcmp(t->files[f], "-") == 0 || !*t->files[f])
				return 0;
			P->paths[f] = t->files[f];
			P->names[f] = t->files[f];
		}
		if (!plain_file(P->paths[f], &P->size[f]))
			return 0;
		total += P->size[f];
	}
	if (total < env_size("SK_PAR_MIN_BYTES", PAR_MIN_BYTES))
		return 0;
	if (!probe(P))
		return 0;
	if (ops->ranges)
		cut_ranges(P, jobs);
	else
		cut_chunks(P, env_size("SK_PAR_CHUNK", PAR_CHUNK));
	return P->nruns > 1;
}

/* Makes the slots and their contexts, and starts the threads. */
static void par_start(par *P, unsigned jobs)
{
	sk_tool *t = P->t;
	P->nth = jobs < P->nruns ? jobs : P->nruns;
	P->nslots = P->ops->ranges ? P->nruns :
		    (2 * P->nth < P->nruns ? 2 * P->nth : P->nruns);
	P->slots = sk_xcalloc(P->nslots, sizeof *P->slots);
	sk_now(); /* the clock starts here, not on a worker */
	for (size_t i = 0; i < P->nslots; i++) {
		struct sk_par_slot *s = &P->slots[i];
		sk_tool *wt = &s->wt;
		s->P = P;
		wt->ifmt = P->fmtname;
		wt->ofmt = t->ofmt;
		wt->fo = t->fo;
		wt->on_error = t->on_error;
		wt->usage = t->usage;
		sk_schema_init(&wt->schema);
		for (size_t k = 0; k < t->schema.n; k++)
			sk_schema_intern(&wt->schema, t->schema.names[k].p,
					 t->schema.names[k].n);
		sk_rec_init(&wt->rec);
		wt->rd.in.fd = -1;
		sk_out_init_mem(&s->out);
		s->spans = sk_xcalloc(P->nfiles, sizeof *s->spans);
		s->ctx = P->ops->open(P->ops->arg, wt);
	}
	pthread_mutex_init(&P->mu, NULL);
	pthread_cond_init(&P->work, NULL);
	pthread_cond_init(&P->done, NULL);
	P->th = sk_xcalloc(P->nth, sizeof *P->th);
	for (size_t i = 0; i < P->nth; i++)
		if (pthread_create(&P->th[i], NULL, worker, P) != 0)
			sk_diex(SK_EXIT_DATA, "cannot start a thread: %s",
				strerror(errno));
}

/* --- the main thread: in input order --- */

/* The file of an event: the one whose reader name it has. */
static size_t event_file(par *P, const par_run *r, const char *src)
{
	for (size_t f = r->f0; f <= r->f1; f++)
		if (P->paths[f] == src)
			return f;
	return r->f0;
}

/* Says a kept event as one thread would have said it there. */
static void replay(par *P, struct sk_par_slot *s, const par_run *r,
		   const par_ev *e)
{
	sk_tool *t = P->t;
	size_t f = event_file(P, r, e->src);
	sk_record rec;
	memset(&rec, 0, sizeof rec);
	rec.raw = (sk_str){ s->text.p + e->raw, e->nraw };
	rec.src = P->names[f];
	rec.line = P->lines[f] + e->line;
	const char *msg = s->text.p + e->msg;
	if (e->fatal || t->on_error == SK_ONERR_FAIL)
		stop_workers(P);
	if (e->fatal)
		sk_diex(SK_EXIT_DATA, "%s:%llu: %.*s", rec.src,
			(unsigned long long)rec.line, (int)e->nmsg, msg);
	sk_tool_bad(t, &rec, (enum sk_bad)e->kind, "%.*s", (int)e->nmsg, msg);
}

/* Writes out[a, b) of the slot, but for the bytes [skip0, skip1). */
static void emit(struct sk_par_slot *s, size_t a, size_t b, size_t skip0,
		 size_t skip1)
{
	if (a < skip0)
		sk_out_write(&sk_stdout, s->out.buf + a, (b < skip0 ? b : skip0) - a);
	if (b > skip1) {
		size_t from = a > skip1 ? a : skip1;
		sk_out_write(&sk_stdout, s->out.buf + from, b - from);
	}
}

/* 1 if the header names of a run's first block are those written last. */
static int same_header(par *P, struct sk_par_slot *s)
{
	sk_buf b = { 0 };
	names_of(&b, &s->wt.schema, s->wt.wr.hdr1, s->wt.wr.nhdr1);
	int same = s->wt.wr.nhdr1 == P->ngnames && b.len == P->gnames.len &&
		   (b.len == 0 || memcmp(b.p, P->gnames.p, b.len) == 0);
	sk_buf_free(&b);
	return same;
}

/* Run k is done in slot s: checks it, reads it again if it must, writes
 * its output and says its events. Returns 0 when nothing after it may be
 * written (it was cut short). */
static int finish_run(par *P, struct sk_par_slot *s, size_t k)
{
	const par_run *r = &P->runs[k];
	sk_tool *t = P->t;
	const sk_writer *w = &s->wt.wr;
	int redo = 0;
	if (r->spec) {
		if (s->start != P->prev_end)
			redo = 1;
		else if (P->has_header && (P->prev_hdr.len != P->hdr0[r->f0].len ||
			 memcmp(P->prev_hdr.p, P->hdr0[r->f0].p, P->prev_hdr.len)))
			redo = 1;
	}
	if (!redo && P->ops->fits && !P->ops->fits(P->ops->arg, s->ctx))
		redo = 1;
	if (!redo && P->ops->writes && w->blocks && P->gblocks && !same_header(P, s))
		redo = 1;
	if (redo)
		P->nredo++;
	if (redo)
		do_run(P, s, k, r->spec ? P->prev_end : r->start,
		       r->spec ? &P->prev_hdr : NULL, 1);
	size_t skip0 = SIZE_MAX, skip1 = SIZE_MAX;
	if (P->ops->writes && w->blocks && P->gblocks && !s->preset) {
		skip0 = w->hdr_beg;
		skip1 = w->hdr_end;
	}
	size_t pos = 0;
	for (size_t i = 0; i < s->nev; i++) {
		emit(s, pos, s->ev[i].off, skip0, skip1);
		pos = s->ev[i].off;
		replay(P, s, r, &s->ev[i]);
	}
	emit(s, pos, s->out.len, skip0, skip1);
	if (P->ops->writes && w->blocks) {
		if (s->preset || !P->gblocks)
			P->gblocks = w->blocks;
		else
			P->gblocks += w->blocks - 1;
		names_of(&P->gnames, &s->wt.schema, w->hdr, w->nhdr);
		P->ngnames = w->nhdr;
	}
	P->ops->done(P->ops->arg, s->ctx);
	t->rd.nfailed += s->wt.rd.nfailed;
	for (size_t f = r->f0; f <= r->f1; f++)
		P->lines[f] += s->spans[f].lines;
	P->prev_end = s->spans[r->f1].end;
	sk_buf_clear(&P->prev_hdr);
	sk_buf_put(&P->prev_hdr, s->wt.rd.hdr_raw.p, s->wt.rd.hdr_raw.len);
	if (s->wt.rd.hdr) {
		P->have_last = 1;
		sk_buf_clear(&P->last_hdr_raw);
		sk_buf_put(&P->last_hdr_raw, s->wt.rd.hdr_raw.p, s->wt.rd.hdr_raw.len);
		names_of(&P->last_names, &s->wt.schema, s->wt.rd.hdr, s->wt.rd.nhdr);
		P->nlast_names = s->wt.rd.nhdr;
	}
	return s->complete;
}

/* After the runs: t's reader at its end under the last header read, its
 * writer counting the header blocks written. */
static void settle_tool(par *P)
{
	sk_tool *t = P->t;
	sk_reader *rd = &t->rd;
	rd->file = rd->nfiles ? rd->nfiles : 1;
	rd->open = 0;
	if (P->have_last) {
		sk_str *nm = sk_xcalloc(P->nlast_names + 1, sizeof *nm);
		const char *p = P->last_names.p;
		for (size_t i = 0; i < P->nlast_names; i++) {
			nm[i] = (sk_str){ p, strlen(p) };
			p += nm[i].n + 1;
		}
		sk_reader_set_header(rd, nm, P->nlast_names);
		free(nm);
		sk_buf_clear(&rd->hdr_raw);
		sk_buf_put(&rd->hdr_raw, P->last_hdr_raw.p, P->last_hdr_raw.len);
	}
	if (P->ops->writes && P->gblocks) {
		t->wr.blocks = P->gblocks;
		t->wr.nhdr = 0;
	}
	if (P->nfiles == 1 && strcmp(P->paths[0], "/dev/stdin") == 0)
		lseek(0, 0, SEEK_END); /* read to its end, as one thread leaves it */
}

int sk_par_run(sk_tool *t, unsigned jobs, const sk_par_ops *ops)
{
	par P;
	if (!par_init(&P, t, jobs, ops)) {
		par_free(&P);
		return 0;
	}
	t->rd.fmt = P.fmt;
	par_start(&P, jobs);
	for (size_t k = 0; k < P.nruns; k++) {
		struct sk_par_slot *s = &P.slots[k % P.nslots];
		pthread_mutex_lock(&P.mu);
		while (s->state != SLOT_DONE || s->run != k)
			pthread_cond_wait(&P.done, &P.mu);
		pthread_mutex_unlock(&P.mu);
		int go_on = finish_run(&P, s, k);
		pthread_mutex_lock(&P.mu);
		s->state = SLOT_FREE;
		P.consumed = k + 1;
		pthread_cond_broadcast(&P.work);
		pthread_mutex_unlock(&P.mu);
		if (!go_on)
			break;
	}
	stop_workers(&P);
	settle_tool(&P);
	if (getenv("SK_PAR_TRACE"))
		sk_warn("-j: %zu runs, %zu read again", P.nruns, P.nredo);
	par_free(&P);
	return 1;
}
