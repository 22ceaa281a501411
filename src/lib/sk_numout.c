/* sk_numout: --ofmt and the readable number form of table and markdown. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_fmt_impl.h"
#include "sk_num.h"
#include "sk_numout.h"

int sk_ofmt_valid(const char *fmt)
{
	int convs = 0;
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		p++;
		if (*p == '%')
			continue;
		while (*p && strchr("-+ #0", *p))
			p++;
		for (int k = 0; *p >= '0' && *p <= '9'; p++)
			if (++k > 3)
				return 0; /* a width past 999 is a mistake */
		if (*p == '.') {
			p++;
			for (int k = 0; *p >= '0' && *p <= '9'; p++)
				if (++k > 2)
					return 0;
		}
		if (*p == 'l')
			p++;
		if (!*p || !strchr("fFeEgGaA", *p))
			return 0;
		convs++;
	}
	return convs == 1;
}

/*
 * 1 if [p, p+n) is a finite number written with a fraction or an exponent
 * (3.5, 1e3, -0.25; not 42, nan or inf): the numbers --ofmt and the
 * readable form apply to.
 */
static int num_is_float_text(const char *p, size_t n)
{
	if (n == 0 || n > 64)
		return 0;
	if (!memchr(p, '.', n) && !memchr(p, 'e', n) && !memchr(p, 'E', n))
		return 0;
	/* Blanks around a number are the text's: leave it alone. */
	if (p[0] == ' ' || p[0] == '\t' || p[n - 1] == ' ' || p[n - 1] == '\t')
		return 0;
	sk_num v;
	return sk_num_parse(p, n, &v) && isfinite(v.d);
}

static double to_double(const char *p, size_t n)
{
	char tmp[72];
	memcpy(tmp, p, n);
	tmp[n] = 0;
	return strtod(tmp, NULL);
}

/* Drops trailing zeros of a fraction ("0.500000" -> "0.5", "2.000" -> "2"). */
static size_t trim_zeros(char *s, size_t n)
{
	if (!memchr(s, '.', n))
		return n;
	while (n && s[n - 1] == '0')
		n--;
	if (n && s[n - 1] == '.')
		n--;
	return n;
}

/*
 * If [p, p+n) is such a number, appends it formatted with fmt (valid per
 * sk_ofmt_valid) to b and returns 1; else appends nothing and returns 0.
 */
static int ofmt_put(sk_buf *b, const char *fmt, const char *p, size_t n)
{
	if (!num_is_float_text(p, n))
		return 0;
	double d = to_double(p, n);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	int len = snprintf(NULL, 0, fmt, d);
	sk_buf_reserve(b, (size_t)len + 1);
	snprintf(b->p + b->len, (size_t)len + 1, fmt, d);
#pragma GCC diagnostic pop
	b->len += (size_t)len;
	return 1;
}

/*
 * The readable form for -o table and -o markdown: a non-integer number
 * with more than 6 digits after the point is rounded to 6, trailing zeros
 * dropped (0.30000000000000004 -> 0.3, 2/3 -> 0.666667); one that would
 * round to 0, or one with an exponent, keeps 6 significant digits
 * (1.23457e-07). Appends the form to b and returns 1, or returns 0 when
 * the text is to be shown as it is (integers, short fractions, text).
 */
static int num_readable(sk_buf *b, const char *p, size_t n)
{
	if (!num_is_float_text(p, n))
		return 0;
	const char *dot = memchr(p, '.', n);
	const char *e = memchr(p, 'e', n);
	if (!e)
		e = memchr(p, 'E', n);
	size_t decimals = 0;
	if (dot)
		decimals = (size_t)((e ? e : p + n) - dot - 1);
	if (decimals <= 6)
		return 0;
	double d = to_double(p, n);
	char s[400];
	size_t k;
	if (!e) {
		k = (size_t)snprintf(s, sizeof s, "%.6f", d);
		k = trim_zeros(s, k);
		if (!(k == 1 && s[0] == '0') && !(k == 2 && s[0] == '-' && s[1] == '0')) {
			sk_buf_put(b, s, k);
			return 1;
		}
	}
	k = (size_t)snprintf(s, sizeof s, "%.6g", d);
	sk_buf_put(b, s, k);
	return 1;
}

/* The writer's copy of a record whose numbers were reformatted. */
typedef struct numstate {
	sk_record rec;
	sk_field *f;
	size_t cap;
	sk_buf text;
	size_t *off; /* where each reformatted field's bytes start in text */
} numstate;

const sk_record *sk_writer_numbers(sk_writer *w, const sk_record *rec)
{
	const char *ofmt = w->opt ? w->opt->ofmt : NULL;
	if (!ofmt && !w->fmt->readable_numbers)
		return rec;
	sk_rec_finish(rec);
	numstate *ns = w->numstate;
	if (!ns)
		ns = w->numstate = sk_xcalloc(1, sizeof *ns);
	sk_buf_clear(&ns->text);
	size_t changed = 0;
	for (size_t i = 0; i < rec->nf; i++) {
		const sk_field *f = &rec->f[i];
		size_t before = ns->text.len;
		int did = f->kind != SK_FK_STR &&
			(ofmt ? ofmt_put(&ns->text, ofmt, f->p, f->n)
			      : num_readable(&ns->text, f->p, f->n));
		if (!did)
			continue;
		if (!changed) {
			if (rec->nf > ns->cap) {
				ns->cap = rec->nf;
				ns->f = sk_xrealloc(ns->f, ns->cap * sizeof *ns->f);
				ns->off = sk_xrealloc(ns->off, ns->cap * sizeof *ns->off);
			}
			memcpy(ns->f, rec->f, rec->nf * sizeof *ns->f);
		}
		changed++;
		ns->off[i] = before;
		ns->f[i].n = ns->text.len - before;
		ns->f[i].p = NULL; /* set below: text may still move */
		ns->f[i].kind = SK_FK_TEXT;
	}
	if (!changed)
		return rec;
	for (size_t i = 0; i < rec->nf; i++)
		if (!ns->f[i].p)
			ns->f[i].p = ns->text.p + ns->off[i];
	ns->rec = *rec;
	ns->rec.f = ns->f;
	ns->rec.modified = 1;
	return &ns->rec;
}

void sk_writer_numbers_free(sk_writer *w)
{
	numstate *ns = w->numstate;
	if (!ns)
		return;
	free(ns->f);
	free(ns->off);
	sk_buf_free(&ns->text);
	free(ns);
	w->numstate = NULL;
}
