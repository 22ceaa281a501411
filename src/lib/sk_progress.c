/* sk_progress: the --progress status line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "sk_err.h"
#include "sk_fmt.h"
#include "sk_progress.h"

#define EVERY_NS 200000000  /* redraw at most five times a second */
#define CHECK_RECORDS 1024  /* records between two looks at the clock */

/* The line on the screen, erased before anything else reaches it. */
static sk_progress *shown;

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void put_err(const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(2, s, n);
		if (w <= 0)
			return; /* a status line is not worth an error */
		s += w;
		n -= (size_t)w;
	}
}

/* Erases the line if it is shown: before a message or terminal output. */
static void erase(void)
{
	if (shown && shown->drawn) {
		put_err("\r\033[K", 4);
		shown->drawn = 0;
	}
}

void sk_progress_start(sk_progress *p, const sk_reader *rd)
{
	if (!p->on || !isatty(2)) {
		p->on = 0;
		return;
	}
	p->rd = rd;
	p->next = 1;
	p->start_ns = mono_ns();
	p->before = sk_xcalloc(rd->nfiles + 1, sizeof *p->before);
	int all_regular = 1;
	for (size_t i = 0; i < rd->nfiles; i++) {
		struct stat st;
		uint64_t sz = 0;
		if (strcmp(rd->files[i], "-") != 0 && stat(rd->files[i], &st) == 0 &&
		    S_ISREG(st.st_mode))
			sz = (uint64_t)st.st_size;
		else
			all_regular = 0;
		p->before[i + 1] = p->before[i] + sz;
	}
	if (rd->nfiles == 0) {
		struct stat st;
		if (fstat(0, &st) == 0 && S_ISREG(st.st_mode))
			p->total = (uint64_t)st.st_size;
	} else if (all_regular) {
		p->total = p->before[rd->nfiles];
	}
	shown = p;
	sk_err_on_message(erase);
	if (isatty(1))
		sk_out_before_write(erase);
}

/* 1234 -> "1234", 12345 -> "12.3k", 1234567 -> "1.23M" (base 1000). */
static void human(char *buf, size_t cap, double v, const char *unit)
{
	static const char *pre[] = { "", "k", "M", "G", "T", "P" };
	int k = 0;
	while (v >= 10000 && k < 5) {
		v /= 1000;
		k++;
	}
	if (k == 0)
		snprintf(buf, cap, "%.0f%s%s", v, *unit ? " " : "", unit);
	else
		snprintf(buf, cap, "%.*f%s%s%s", v < 100 ? 2 : 1, v, *unit ? " " : "",
			 pre[k], unit);
}

static void clock_text(char *buf, size_t cap, double s)
{
	long t = (long)(s + 0.5);
	if (t >= 3600)
		snprintf(buf, cap, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, cap, "%ld:%02ld", t / 60, t % 60);
}

void sk_progress_draw(sk_progress *p)
{
	int64_t now = mono_ns();
	p->next = p->n + CHECK_RECORDS;
	if (p->drawn && now - p->last_ns < EVERY_NS)
		return;
	p->last_ns = now;
	const sk_reader *rd = p->rd;
	uint64_t done = 0;
	if (rd->nfiles) {
		size_t cur = rd->file ? rd->file - 1 : 0;
		done = p->before[cur];
	}
	if (rd->open)
		done += rd->in.raw_bytes;
	double secs = (double)(now - p->start_ns) / 1e9;
	char recs[32], rrate[32], brate[32], line[256];
	human(recs, sizeof recs, (double)p->n, "");
	human(rrate, sizeof rrate, secs > 0 ? (double)p->n / secs : 0, "");
	human(brate, sizeof brate, secs > 0 ? (double)done / secs : 0, "B");
	int len;
	if (secs < 0.1) /* too soon for a rate to mean anything */
		len = snprintf(line, sizeof line, "\r%s: %s record%s", sk_progname, recs,
			       p->n == 1 ? "" : "s");
	else
		len = snprintf(line, sizeof line, "\r%s: %s records, %s/s, %s/s",
			       sk_progname, recs, rrate, brate);
	if (p->total && done <= p->total && len > 0 && (size_t)len < sizeof line) {
		char eta[32] = "-:--";
		if (done > 0 && secs > 0.5)
			clock_text(eta, sizeof eta, secs * (double)(p->total - done) / (double)done);
		len += snprintf(line + len, sizeof line - (size_t)len, ", %d%%, ETA %s",
				(int)(100.0 * (double)done / (double)p->total), eta);
	}
	if (len < 0 || (size_t)len >= sizeof line - 4)
		len = (int)sizeof line - 4;
	memcpy(line + len, "\033[K", 3);
	put_err(line, (size_t)len + 3);
	p->drawn = 1;
}

void sk_progress_end(sk_progress *p)
{
	if (!p->on)
		return;
	erase();
	if (shown == p) {
		shown = NULL;
		sk_err_on_message(NULL);
		sk_out_before_write(NULL);
	}
	free(p->before);
	p->before = NULL;
	p->on = 0;
}
