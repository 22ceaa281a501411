/* sk_tool: the common options, the bad-record policy and the run loop
 * every tool shares. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sk_err.h"
#include "sk_numout.h"
#include "sk_tool.h"
/* The --help text of the common options, usage_lines[] and usage_notes[]:
 * made by the Makefile from man/common-options.inc, where it stands beside
 * the man page's text of each option. */
#include "usage_common.h"

/*
 * A descriptor of 0-2 closed at start would be taken by the first file
 * opened (the --rejects file would get the output). Each is held by
 * /dev/null opened the wrong way round, so using it fails as a closed one
 * would (EBADF): nothing is written anywhere unasked.
 */
static void hold_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		int n = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
		if (n >= 0 && n != fd) {
			dup2(n, fd);
			close(n);
		}
	}
}

/* At exit: what went to stdio's stdout (--help, --version) must have been
 * written, or the exit status says so. A closed pipe stays quiet, as for
 * the records. */
static void close_stdout(void)
{
	/* a write that failed inside printf leaves only the error flag:
	 * fclose alone would say nothing of it */
	int failed = ferror(stdout);
	errno = 0;
	if ((fclose(stdout) != 0 || failed) && errno != EPIPE) {
		int e = errno;
		fprintf(stderr, "%s: write error%s%s\n", sk_progname,
			e ? ": " : "", e ? strerror(e) : "");
		_exit(SK_EXIT_DATA);
	}
}

void sk_tool_init(sk_tool *t, int argc, char **argv, void (*usage)(int))
{
	(void)argc;
	hold_std_fds();
	/* --help fits in the buffer, so a full disk is seen by fclose, with
	 * its errno */
	static char outbuf[1 << 15];
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	atexit(close_stdout);
	memset(t, 0, sizeof *t);
	sk_err_init(argv[0]);
	argv[0] = (char *)sk_progname; /* getopt's messages name the tool */
	t->ifmt = "auto";
	t->fo.delim = ',';
	t->fo.out_header = 1;
	t->fo.max_record = SK_MAX_RECORD_DEFAULT;
	t->on_error = SK_ONERR_WARN;
	t->usage = usage;
	sk_schema_init(&t->schema);
	sk_rec_init(&t->rec);
	sk_out_init(&sk_stdout, 1);
}

void sk_try_help(int status)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", sk_progname);
	exit(status);
}

void sk_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sk_vwarn(fmt, ap);
	va_end(ap);
	sk_try_help(SK_EXIT_USAGE);
}

int sk_parse_uint(const char *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9' ||
		    __builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(p[i] - '0'), &v))
			return 0;
	}
	*out = v;
	return 1;
}

/* The largest --max-record: far beyond any memory, short of overflows in
 * the buffer arithmetic. */
#define SK_MAX_RECORD_LIMIT ((uint64_t)1 << 40)

/* Parses a size with an optional K, M or G suffix (powers of 1024), from
 * 1 byte to SK_MAX_RECORD_LIMIT. */
static int parse_size(const char *s, size_t *out)
{
	size_t n = strlen(s);
	int shift = 0;
	if (n && (s[n - 1] == 'K' || s[n - 1] == 'k'))
		shift = 10;
	else if (n && (s[n - 1] == 'M' || s[n - 1] == 'm'))
		shift = 20;
	else if (n && (s[n - 1] == 'G' || s[n - 1] == 'g'))
		shift = 30;
	uint64_t v;
	if (!sk_parse_uint(s, n - (shift != 0), &v) || v == 0 ||
	    v > SK_MAX_RECORD_LIMIT >> shift)
		return 0;
	*out = (size_t)(v << shift);
	return 1;
}

int sk_tool_opt(sk_tool *t, int opt, const char *arg)
{
	switch (opt) {
	case 'i':
		if (strcmp(arg, "auto") && !sk_format_reads(sk_format_find(arg)))
			sk_usage_error("unknown input format '%s' (one of: %s)", arg,
				       sk_format_names(0));
		t->ifmt = arg;
		return 1;
	case 'o':
		if (!sk_format_writes(sk_format_find(arg)))
			sk_usage_error("unknown output format '%s' (one of: %s)", arg,
				       sk_format_names(1));
		t->ofmt = arg;
		return 1;
	case 'd':
		if (strcmp(arg, "\\t") == 0 || strcmp(arg, "tab") == 0)
			arg = "\t";
		if (strlen(arg) != 1 || *arg == '"' || *arg == '\n' || *arg == '\r')
			sk_usage_error("-d takes one byte other than '\"', CR and LF (or 'tab'), not '%s'", arg);
		t->fo.delim = *arg;
		return 1;
	case 'N':
		t->fo.no_header = 1;
		return 1;
	case SK_OPT_HEADER:
		t->header_forced = 1;
		return 1;
	case SK_OPT_NO_OUTPUT_HEADER:
		t->no_out_header = 1;
		return 1;
	case SK_OPT_ON_ERROR:
		if (strcmp(arg, "warn") == 0)
			t->on_error = SK_ONERR_WARN;
		else if (strcmp(arg, "skip") == 0)
			t->on_error = SK_ONERR_SKIP;
		else if (strcmp(arg, "fail") == 0)
			t->on_error = SK_ONERR_FAIL;
		else
			sk_usage_error("--on-error takes warn, skip or fail, not '%s'", arg);
		return 1;
	case SK_OPT_REJECTS:
		t->rejects_path = arg;
		return 1;
	case SK_OPT_MAX_RECORD:
		if (!parse_size(arg, &t->fo.max_record))
			sk_usage_error("--max-record takes a size from 1 to 1024G, such as 64M, not '%s'", arg);
		return 1;
	case SK_OPT_ASCII:
		t->fo.ascii = 1;
		return 1;
	case SK_OPT_PROGRESS:
		t->prog.on = 1;
		return 1;
	case SK_OPT_OFMT:
		if (!sk_ofmt_valid(arg))
			sk_usage_error("--ofmt takes a printf format with one floating conversion, such as %%.3f or %%.2e, not '%s'", arg);
		t->fo.ofmt = arg;
		return 1;
	case 'h':
		t->usage(SK_EXIT_OK);
		exit(SK_EXIT_OK);
	case 'V':
		sk_print_version(stdout);
		exit(SK_EXIT_OK);
	case '?':
		sk_try_help(SK_EXIT_USAGE);
	}
	return 0;
}

static int all_digits(const char *p, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

sk_fref sk_tool_field(sk_schema *schema, const char *opt, const char *p,
		      size_t n)
{
	sk_fref r = { 0, 0 };
	const char *name = p;
	size_t len = n;
	if (n >= 2 && p[0] == '$' && p[1] == '{') {
		if (n < 3 || p[n - 1] != '}' || memchr(p + 2, '}', n - 3))
			sk_usage_error("%s: '%.*s': ${ without its closing }", opt,
				       (int)n, p);
		name = p + 2;
		len = n - 3;
	} else if (n >= 1 && p[0] == '$') {
		name = p + 1;
		len = n - 1;
		if (all_digits(name, len))
			goto position;
	} else if (all_digits(p, n)) {
		goto position;
	}
	if (len == 0)
		sk_usage_error("%s: empty field name in '%.*s'", opt, (int)n, p);
	r.slot = sk_schema_intern(schema, name, len);
	return r;
position:
	while (len > 1 && *name == '0')
		name++, len--;
	if (len > 9 || (len == 1 && *name == '0'))
		sk_usage_error("%s: no field %.*s ($1 is the first; $0, the whole "
			       "record, is not a field)", opt, (int)n, p);
	for (size_t i = 0; i < len; i++)
		r.pos = r.pos * 10 + (uint32_t)(name[i] - '0');
	r.slot = sk_schema_intern(schema, name, len);
	return r;
}

size_t sk_tool_fields(sk_schema *schema, const char *opt, const char *list,
		      sk_fref **out)
{
	size_t n = 0, cap = 0;
	for (const char *p = list;;) {
		const char *q;
		if (p[0] == '$' && p[1] == '{') {
			const char *close = strchr(p, '}');
			if (!close)
				sk_usage_error("%s: '%s': ${ without its closing }", opt,
					       p);
			q = close[1] ? close + 1 : NULL;
			if (q && *q != ',')
				sk_usage_error("%s: '%s': ',' expected after }", opt, p);
		} else {
			q = strchr(p, ',');
		}
		size_t len = q ? (size_t)(q - p) : strlen(p);
		if (len == 0)
			sk_usage_error("%s: empty field name in '%s'", opt, list);
		SK_GROW(*out, cap, n + 1);
		(*out)[n++] = sk_tool_field(schema, opt, p, len);
		if (!q)
			return n;
		p = q + 1;
	}
}

/* --help fills its lists of formats to this many columns: an 80-column
 * terminal with a margin. */
#define HELP_WIDTH 78

/* Writes the word [p, p+n), and a comma after it when comma is set, on
 * the line at column *col, or on a new line indented by indent when it
 * does not fit. */
static void put_word(FILE *fp, const char *p, size_t n, int comma, size_t *col,
		     size_t indent, int *first)
{
	size_t w = n + (comma != 0);
	if (!*first && *col + 1 + w > HELP_WIDTH) {
		fprintf(fp, "\n%*s", (int)indent, "");
		*col = indent;
		*first = 1;
	}
	if (!*first) {
		fputc(' ', fp);
		(*col)++;
	}
	fwrite(p, 1, n, fp);
	if (comma)
		fputc(',', fp);
	*col += w;
	*first = 0;
}

/*
 * Writes line with the placeholder at replaced by the formats that read
 * (or write), in the table's order, ", " between them, each followed by
 * its note of usage_notes[], filled to HELP_WIDTH with continuation lines
 * indented as the placeholder is.
 */
static void put_formats(FILE *fp, const char *line, const char *at,
			size_t len, int writable)
{
	size_t indent = (size_t)(at - line), col = indent;
	int first = 1;
	fwrite(line, 1, indent, fp);
	for (const char *s = sk_format_names(writable); *s;) {
		size_t n = strcspn(s, " ");
		const char *next = s + n + (s[n] == ' ');
		const char *note = NULL;
		for (const struct usage_note *u = usage_notes; u->name; u++)
			if (strlen(u->name) == n && memcmp(u->name, s, n) == 0)
				note = u->note;
		int last = *next == '\0';
		put_word(fp, s, n, !last && !note, &col, indent, &first);
		for (const char *w = note; w && *w;) {
			size_t k = strcspn(w, " ");
			const char *wn = w + k + (w[k] == ' ');
			put_word(fp, w, k, !last && *wn == '\0', &col, indent, &first);
			w = wn;
		}
		s = next;
	}
	fprintf(fp, "%s\n", at + len);
}

void sk_tool_usage_common(FILE *fp)
{
	static const char in[] = "@INPUT_FORMATS@", out[] = "@OUTPUT_FORMATS@";
	for (const char *const *l = usage_lines; *l; l++) {
		const char *at;
		if ((at = strstr(*l, in)))
			put_formats(fp, *l, at, sizeof in - 1, 0);
		else if ((at = strstr(*l, out)))
			put_formats(fp, *l, at, sizeof out - 1, 1);
		else
			fprintf(fp, "%s\n", *l);
	}
}

static void on_sigpipe_ignore(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static void (*stop_hook)(int);

void sk_tool_on_stop(void (*fn)(int sig))
{
	stop_hook = fn;
}

static void on_stop(int sig)
{
	if (sk_stop_flag)
		_exit(128 + sig);
	sk_stop_flag = sig;
	if (stop_hook)
		stop_hook(sig);
}

void sk_tool_catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

void sk_tool_flush(sk_tool *t)
{
	if (t->wr.out)
		sk_writer_flush(&t->wr);
	sk_out_flush(&sk_stdout);
}

/* The idle hook of a tool that holds nothing back but its output. */
static int idle_flush(void *ctx)
{
	sk_tool_flush(ctx);
	return -1;
}

/* The tool whose output a fatal error must write out first. */
static sk_tool *fatal_tool;

/* sk_die's hook: what the tool produced before the error is written. */
static void write_out_on_fatal(void)
{
	sk_tool *t = fatal_tool;
	fatal_tool = NULL;
	if (t && t->wr.out)
		sk_writer_finish(&t->wr);
	sk_out_flush(&sk_stdout);
	if (t && t->rejects && fflush(t->rejects) != 0)
		sk_warn("%s: %s", t->rejects_path, strerror(errno));
}

/* Closes the rejects file; a failed write (a full disk) is fatal. */
static void close_rejects(sk_tool *t)
{
	FILE *f = t->rejects;
	t->rejects = NULL;
	if (f && fclose(f) != 0)
		sk_die(SK_EXIT_DATA, "%s", t->rejects_path);
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/*
 * Refuses to run when an output is an input: --rejects naming an input
 * or the --state file would truncate it before it is read, and standard
 * output redirected to an input (">>") would read its own output. Only
 * regular files compare.
 */
static void check_outputs(const sk_tool *t)
{
	struct stat rej, out, in;
	int have_rej = t->rejects_path && stat(t->rejects_path, &rej) == 0 &&
		S_ISREG(rej.st_mode);
	int have_out = fstat(1, &out) == 0 && S_ISREG(out.st_mode);
	if (have_rej && have_out && same_file(&rej, &out))
		sk_diex(SK_EXIT_USAGE, "--rejects %s is standard output",
			t->rejects_path);
	if (have_rej && t->state_path && stat(t->state_path, &in) == 0 &&
	    same_file(&rej, &in))
		sk_diex(SK_EXIT_USAGE, "--rejects %s is the --state file",
			t->rejects_path);
	size_t n = t->nfiles ? t->nfiles : 1;
	for (size_t i = 0; i < n; i++) {
		const char *f = t->nfiles ? t->files[i] : "-";
		int std = strcmp(f, "-") == 0;
		if ((std ? fstat(0, &in) : stat(f, &in)) != 0 ||
		    !S_ISREG(in.st_mode))
			continue;
		const char *name = std ? "stdin" : f;
		if (have_rej && same_file(&rej, &in))
			sk_diex(SK_EXIT_USAGE, "--rejects %s is the input %s",
				t->rejects_path, name);
		if (have_out && same_file(&out, &in))
			sk_diex(SK_EXIT_USAGE, "standard output is the input %s",
				name);
	}
}

void sk_tool_start(sk_tool *t, int argc, char **argv, int optind, sk_out *out)
{
	t->files = argv + optind;
	t->nfiles = (size_t)(argc - optind);
	if (t->fo.no_header)
		t->fo.out_header = t->header_forced;
	if (t->no_out_header)
		t->fo.out_header = 0;
	if (t->fo.ascii && (!t->ofmt || strcmp(t->ofmt, "bar") != 0))
		sk_usage_error("--ascii is for -o bar");
	check_outputs(t);
	if (t->rejects_path) {
		t->rejects = fopen(t->rejects_path, "w");
		if (!t->rejects)
			sk_die(SK_EXIT_DATA, "%s", t->rejects_path);
	}
	on_sigpipe_ignore();
	sk_reader_init(&t->rd, t->ifmt, &t->schema, &t->fo, t->files, t->nfiles);
	t->rd.idle = idle_flush;
	t->rd.idle_ctx = t;
	sk_progress_start(&t->prog, &t->rd);
	if (out)
		sk_writer_init(&t->wr, t->ofmt, out, &t->schema, &t->fo, &t->rd);
	fatal_tool = t;
	sk_err_on_exit(write_out_on_fatal);
}

/* A worker's fatal error, to its par_event. */
static void par_fatal(sk_tool *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	t->par_event(t, &t->rec, t->rd.bad, 1, fmt, ap);
	va_end(ap);
}

int sk_tool_next(sk_tool *t)
{
	for (;;) {
		if (__builtin_expect(t->par_stop, 0))
			return 0;
		int r = sk_read(&t->rd, &t->rec);
		if (r == SK_REC_OK) {
			sk_progress_tick(&t->prog);
			return 1;
		}
		if (r == SK_REC_EOF)
			return 0;
		if (r == SK_REC_FATAL && t->par_event) {
			par_fatal(t, "%s", t->rd.err.p);
			return 0;
		}
		if (r == SK_REC_FATAL)
			sk_diex(SK_EXIT_DATA, "%s:%llu: %s",
				t->rec.src ? t->rec.src : "stdin",
				(unsigned long long)t->rec.line, t->rd.err.p);
		sk_tool_bad(t, &t->rec, t->rd.bad, "%s", t->rd.err.p);
	}
}

int sk_tool_header_record(sk_tool *t, sk_record *rec)
{
	return !t->wr.blocks && sk_reader_header_record(&t->rd, rec);
}

void sk_tool_bad(sk_tool *t, const sk_record *rec, enum sk_bad kind,
		 const char *fmt, ...)
{
	if (t->par_event) {
		va_list ap;
		va_start(ap, fmt);
		t->par_event(t, rec, kind, 0, fmt, ap);
		va_end(ap);
		return;
	}
	if (t->nbad[kind]++ == 0)
		t->bad_order[t->nbad_kinds++] = (unsigned char)kind;
	t->nbad_total++;
	if (t->rejects) {
		fwrite(rec->raw.p, 1, rec->raw.n, t->rejects);
		fputc('\n', t->rejects);
	}
	if (t->on_error == SK_ONERR_SKIP)
		return;
	if (t->on_error == SK_ONERR_FAIL || t->nbad[kind] <= SK_WARN_MAX) {
		sk_out_flush(&sk_stdout);
		va_list ap;
		va_start(ap, fmt);
		sk_err_before_message();
		fprintf(stderr, "%s: %s:%llu: ", sk_progname, rec->src ? rec->src : "stdin",
			(unsigned long long)rec->line);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		va_end(ap);
	}
	if (t->on_error == SK_ONERR_FAIL) {
		if (t->wr.fmt)
			sk_writer_finish(&t->wr);
		sk_out_flush(&sk_stdout);
		fatal_tool = NULL; /* written out: a failed close only says so */
		close_rejects(t);
		exit(SK_EXIT_DATA);
	}
}

int sk_tool_finish(sk_tool *t)
{
	fatal_tool = NULL; /* finished here: a fatal error now only flushes */
	sk_progress_end(&t->prog);
	if (t->wr.out)
		sk_writer_finish(&t->wr);
	sk_out_flush(&sk_stdout);
	close_rejects(t);
	int status = t->rd.nfailed ? SK_EXIT_DATA : SK_EXIT_OK;
	if (t->nbad_total && t->on_error == SK_ONERR_WARN) {
		uint64_t late = 0;
		for (size_t i = 0; i < t->nbad_kinds; i++) {
			const sk_bad_kind *k = &sk_bad_kinds[t->bad_order[i]];
			uint64_t n = t->nbad[t->bad_order[i]];
			if (k->late)
				late += n;
			if (n > SK_WARN_MAX)
				sk_warn("%llu more record%s rejected: %s",
					(unsigned long long)(n - SK_WARN_MAX),
					n - SK_WARN_MAX == 1 ? "" : "s", k->name);
		}
		uint64_t bad = t->nbad_total - late;
		if (bad)
			sk_warn("%llu bad record%s skipped", (unsigned long long)bad,
				bad == 1 ? "" : "s");
		if (late)
			sk_warn("%llu late record%s dropped", (unsigned long long)late,
				late == 1 ? "" : "s");
		status = SK_EXIT_DATA;
	}
	sk_writer_free(&t->wr);
	sk_reader_free(&t->rd);
	sk_rec_free(&t->rec);
	sk_schema_free(&t->schema);
	if (sk_stop_flag) /* cut short by a signal, all written */
		status = 128 + sk_stop_flag;
	return status;
}
