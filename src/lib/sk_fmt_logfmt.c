/* sk_fmt_logfmt: logfmt reader and writer (key=value key2="quoted value"). */
#include <stdio.h>
#include "sk_fmt_impl.h"

/*
 * The grammar read, as go-logfmt (the reference implementation) reads it,
 * but lenient where real logs are sloppy:
 *   pair   = key [ "=" [ value ] ]
 *   key    = one or more bytes other than space, tab, '=' and '"'
 *   value  = bytes up to the next space or tab ('=' and '"' included),
 *          | '"' { byte | '\"' | '\\' | '\n' | '\t' | '\r' } '"'
 * A bare key (`flag`) and `key=` both give an empty value, as go-logfmt
 * does. An unknown escape inside quotes is kept as it is, backslash and
 * all. Pairs are separated by spaces or tabs. Duplicate keys: the last
 * wins.
 */

/* The record is bad logfmt, at col (0-based). */
static int lerr(sk_reader *rd, size_t col, const char *msg)
{
	return sk_reader_bad(rd, SK_BAD_LOGFMT, col + 1, "%s", msg);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Unescapes the quoted body s[beg, end) into the record's arena. */
static const char *unquote(sk_record *rec, const char *s, size_t beg, size_t end,
			   size_t *outn)
{
	char *d = sk_arena_alloc(&rec->arena, end - beg + 1);
	size_t o = 0;
	for (size_t i = beg; i < end; i++) {
		if (s[i] != '\\' || i + 1 == end) {
			d[o++] = s[i];
			continue;
		}
		switch (s[i + 1]) {
		case '"': d[o++] = '"'; break;
		case '\\': d[o++] = '\\'; break;
		case 'n': d[o++] = '\n'; break;
		case 't': d[o++] = '\t'; break;
		case 'r': d[o++] = '\r'; break;
		default:
			d[o++] = '\\';
			d[o++] = s[i + 1];
		}
		i++;
	}
	*outn = o;
	return d;
}

static int logfmt_read(sk_reader *rd, sk_record *rec)
{
	sk_str line;
	for (;;) {
		if (!sk_reader_record_line(rd, rec, &line))
			return SK_REC_EOF;
		const char *s = line.p;
		size_t n = line.n, i = 0;
		while (i < n && is_blank(s[i]))
			i++;
		if (i == n)
			continue; /* a blank line is no record */
		while (i < n) {
			size_t k = i;
			while (i < n && !is_blank(s[i]) && s[i] != '=' && s[i] != '"')
				i++;
			if (i == k)
				return lerr(rd, i, s[i] == '"' ? "unexpected '\"'"
							    : "expected a key");
			uint32_t slot = sk_schema_intern(rd->schema, s + k, i - k);
			const char *v = s + i;
			size_t vn = 0;
			if (i < n && s[i] == '"')
				return lerr(rd, i, "unexpected '\"'");
			if (i < n && s[i] == '=') {
				i++;
				if (i < n && s[i] == '"') {
					size_t q = i++;
					int esc = 0;
					while (i < n && s[i] != '"') {
						if (s[i] == '\\' && i + 1 < n) {
							esc = 1;
							i++;
						}
						i++;
					}
					if (i >= n)
						return lerr(rd, q, "unterminated quoted value");
					if (esc) {
						v = unquote(rec, s, q + 1, i, &vn);
					} else {
						v = s + q + 1;
						vn = i - q - 1;
					}
					i++;
					if (i < n && !is_blank(s[i]))
						return lerr(rd, i, "expected a space after the quoted value");
				} else {
					v = s + i;
					while (i < n && !is_blank(s[i]))
						i++;
					vn = (size_t)(s + i - v);
				}
			}
			sk_rec_push(rec, slot, v, vn, SK_FK_TEXT);
			while (i < n && is_blank(s[i]))
				i++;
		}
		return SK_REC_OK;
	}
}

/* A value is quoted when it is empty or holds a blank, '=', '"' or a
 * control byte; quotes, backslashes and controls are then escaped. */
static int needs_quote(const char *p, size_t n)
{
	if (n == 0)
		return 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c <= ' ' || c == '=' || c == '"')
			return 1;
	}
	return 0;
}

static void logfmt_write(sk_writer *w, const sk_record *rec)
{
	sk_buf *b = &w->tmp;
	sk_buf_clear(b);
	for (size_t i = 0; i < rec->nf; i++) {
		const sk_field *f = &rec->f[i];
		sk_str name = sk_schema_name(w->schema, f->slot);
		if (i)
			sk_buf_putc(b, ' ');
		/* A key cannot be quoted in logfmt: bytes that would end it
		 * become '_', and an empty key is "_". */
		if (name.n == 0)
			sk_buf_putc(b, '_');
		for (size_t k = 0; k < name.n; k++) {
			unsigned char c = (unsigned char)name.p[k];
			sk_buf_putc(b, c <= ' ' || c == '=' || c == '"' ? '_' : c);
		}
		sk_buf_putc(b, '=');
		if (!needs_quote(f->p, f->n)) {
			sk_buf_put(b, f->p, f->n);
			continue;
		}
		sk_buf_putc(b, '"');
		size_t run = 0;
		for (size_t k = 0; k < f->n; k++) {
			char c = f->p[k], e = 0;
			switch (c) {
			case '"': e = '"'; break;
			case '\\': e = '\\'; break;
			case '\n': e = 'n'; break;
			case '\t': e = 't'; break;
			case '\r': e = 'r'; break;
			default: continue;
			}
			sk_buf_put(b, f->p + run, k - run);
			sk_buf_putc(b, '\\');
			sk_buf_putc(b, e);
			run = k + 1;
		}
		sk_buf_put(b, f->p + run, f->n - run);
		sk_buf_putc(b, '"');
	}
	sk_buf_putc(b, '\n');
	sk_out_write(w->out, b->p, b->len);
}

const sk_format sk_fmt_logfmt = {
	.name = "logfmt",
	.read = logfmt_read,
	.write = logfmt_write,
};
