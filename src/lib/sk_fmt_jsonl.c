/* sk_fmt_jsonl: JSON Lines reader (objects flattened to dotted names) and
 * compact writer, plus the JSON string helpers other writers share. */
#include <stdarg.h>
#include <stdio.h>
#include "sk_fmt_impl.h"

/* Deeper nesting is a bad record, so that hostile input cannot exhaust the
 * stack through the recursive descent below. */
#define JSON_MAX_DEPTH 512

typedef struct jp {
	sk_reader *rd;
	sk_record *rec;
	const char *s;   /* the line, without a trailing '\r' */
	size_t n, i;
	sk_buf *key;     /* the flattened name being built (rd->scratch) */
	int depth;
} jp;

static int jerr(jp *j, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), cold, noinline));

/* The record is bad JSON: "bad JSON: MSG at column COL" (col 0-based
 * here). Returns -1. */
static int jerr(jp *j, size_t col, const char *fmt, ...)
{
	char msg[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sk_reader_bad(j->rd, SK_BAD_JSON, col + 1, "%s", msg);
	return -1;
}

static void skip_ws(jp *j)
{
	while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' ||
			       j->s[j->i] == '\n' || j->s[j->i] == '\r'))
		j->i++;
}

/* "expected X at column N", or "unexpected end of line" past the end. */
static int expected(jp *j, const char *x)
{
	if (j->i >= j->n)
		return jerr(j, j->i, "unexpected end of line");
	return jerr(j, j->i, "expected %s", x);
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	for (int k = 0; k < 4; k++) {
		unsigned char c = (unsigned char)p[k];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return 0;
	}
	*out = v;
	return 1;
}

static size_t put_utf8(char *d, unsigned cp)
{
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (char)(0xC0 | cp >> 6);
		d[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (char)(0xE0 | cp >> 12);
		d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		d[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	d[0] = (char)(0xF0 | cp >> 18);
	d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	d[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Decodes the escaped string body s[beg, end) (end is the closing quote)
 * into d, which has room for end - beg bytes: every escape is at least as
 * long as what it stands for. Returns the decoded length, or (size_t)-1
 * after setting the error. Raw control bytes, NUL and invalid UTF-8 are
 * taken as they are: nothing the line holds is lost.
 */
static size_t unescape(jp *j, size_t beg, size_t end, char *d)
{
	size_t o = 0;
	const char *s = j->s;
	for (size_t i = beg; i < end;) {
		if (s[i] != '\\') {
			d[o++] = s[i++];
			continue;
		}
		char c = s[i + 1];
		switch (c) {
		case '"': case '\\': case '/': d[o++] = c; break;
		case 'b': d[o++] = '\b'; break;
		case 'f': d[o++] = '\f'; break;
		case 'n': d[o++] = '\n'; break;
		case 'r': d[o++] = '\r'; break;
		case 't': d[o++] = '\t'; break;
		case 'u': {
			unsigned cp, lo;
			if (i + 6 > end || !hex4(s + i + 2, &cp)) {
				jerr(j, i, "bad \\u escape");
				return (size_t)-1;
			}
			if (cp >= 0xDC00 && cp <= 0xDFFF) {
				jerr(j, i, "lone surrogate \\u%.4s", s + i + 2);
				return (size_t)-1;
			}
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (i + 12 > end || s[i + 6] != '\\' || s[i + 7] != 'u' ||
				    !hex4(s + i + 8, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
					jerr(j, i, "lone surrogate \\u%.4s", s + i + 2);
					return (size_t)-1;
				}
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				i += 6;
			}
			o += put_utf8(d + o, cp);
			i += 6;
			continue;
		}
		default:
			j->i = i + 1;
			if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
				jerr(j, i, "bad escape '\\%c'", c);
			else
				jerr(j, i, "bad escape");
			return (size_t)-1;
		}
		i += 2;
	}
	return o;
}

/*
 * Scans the string starting at the opening quote j->i. Sets *end to the
 * closing quote and *esc if it holds a backslash. Returns -1 if the line
 * ends first.
 */
static int scan_string(jp *j, size_t *end, int *esc)
{
	size_t i = j->i + 1;
	*esc = 0;
	for (;;) {
		while (i < j->n && j->s[i] != '"' && j->s[i] != '\\')
			i++;
		if (i >= j->n)
			return jerr(j, j->i, "unterminated string");
		if (j->s[i] == '"')
			break;
		*esc = 1;
		i += 2;
		if (i > j->n)
			return jerr(j, j->i, "unterminated string");
	}
	*end = i;
	return 0;
}

/* A string value: borrowed from the line unless it needs unescaping. */
static int parse_string(jp *j, const char **p, size_t *n)
{
	size_t end;
	int esc;
	if (scan_string(j, &end, &esc) < 0)
		return -1;
	size_t beg = j->i + 1;
	if (!esc) {
		*p = j->s + beg;
		*n = end - beg;
	} else {
		char *d = sk_arena_alloc(&j->rec->arena, end - beg + 1);
		size_t o = unescape(j, beg, end, d);
		if (o == (size_t)-1)
			return -1;
		*p = d;
		*n = o;
	}
	j->i = end + 1;
	return 0;
}

/* Appends the key at j->i, unescaped, to the name being built. */
static int parse_key(jp *j)
{
	size_t end;
	int esc;
	if (scan_string(j, &end, &esc) < 0)
		return -1;
	size_t beg = j->i + 1;
	if (!esc) {
		sk_buf_put(j->key, j->s + beg, end - beg);
	} else {
		sk_buf_reserve(j->key, end - beg);
		size_t o = unescape(j, beg, end, j->key->p + j->key->len);
		if (o == (size_t)-1)
			return -1;
		j->key->len += o;
		j->key->p[j->key->len] = 0;
	}
	j->i = end + 1;
	return 0;
}

/* Length of a JSON number at p (at most n bytes), 0 if there is none. */
static size_t number_len(const char *p, size_t n)
{
	size_t i = 0;
	if (i < n && p[i] == '-')
		i++;
	if (i < n && p[i] == '0')
		i++;
	else if (i < n && p[i] >= '1' && p[i] <= '9')
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
	else
		return 0;
	if (i < n && p[i] == '.') {
		size_t k = ++i;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
		if (i == k)
			return 0;
	}
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		size_t k = i;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
		if (i == k)
			return 0;
	}
	return i;
}

int sk_json_is_number(const char *p, size_t n)
{
	return n > 0 && number_len(p, n) == n;
}

/*
 * 1 if [p, p+n) is written as a JSON literal (unquoted) when its kind is
 * SK_FK_TEXT: a number, true or false (text formats carry booleans and
 * numbers as their words, and read back as the same record).
 */
static int text_is_literal(const char *p, size_t n)
{
	if (n == 4 && memcmp(p, "true", 4) == 0)
		return 1;
	if (n == 5 && memcmp(p, "false", 5) == 0)
		return 1;
	return sk_json_is_number(p, n);
}

int sk_json_kind_matters(const char *p, size_t n, int kind)
{
	switch (kind) {
	case SK_FK_STR:
		return text_is_literal(p, n);
	case SK_FK_JSON:
		return n == 0 || !text_is_literal(p, n);
	default:
		return 0;
	}
}

static int is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '+' ||
	       c == '-';
}

static void push(jp *j, const char *p, size_t n, int kind)
{
	uint32_t slot = sk_schema_intern(j->rd->schema, j->key->p ? j->key->p : "",
					 j->key->len);
	sk_rec_push(j->rec, slot, p, n, kind);
}

static int parse_value(jp *j);

/* The current name plus "." (unless at the top) is the prefix of members. */
static int parse_object(jp *j)
{
	size_t base = j->key->len;
	j->i++;
	skip_ws(j);
	if (j->i < j->n && j->s[j->i] == '}') {
		j->i++;
		if (j->depth > 1)
			push(j, "{}", 2, SK_FK_JSON);
		return 0;
	}
	for (;;) {
		if (j->i >= j->n || j->s[j->i] != '"')
			return expected(j, "'\"'");
		j->key->len = base;
		if (j->depth > 1)
			sk_buf_putc(j->key, '.');
		if (parse_key(j) < 0)
			return -1;
		skip_ws(j);
		if (j->i >= j->n || j->s[j->i] != ':')
			return expected(j, "':'");
		j->i++;
		if (parse_value(j) < 0)
			return -1;
		skip_ws(j);
		if (j->i < j->n && j->s[j->i] == ',') {
			j->i++;
			skip_ws(j);
			continue;
		}
		if (j->i < j->n && j->s[j->i] == '}') {
			j->i++;
			break;
		}
		return expected(j, "',' or '}'");
	}
	j->key->len = base;
	return 0;
}

static int parse_array(jp *j)
{
	size_t base = j->key->len;
	j->i++;
	skip_ws(j);
	if (j->i < j->n && j->s[j->i] == ']') {
		j->i++;
		push(j, "[]", 2, SK_FK_JSON);
		return 0;
	}
	for (size_t k = 0;; k++) {
		j->key->len = base;
		sk_buf_printf(j->key, ".%zu", k);
		if (parse_value(j) < 0)
			return -1;
		skip_ws(j);
		if (j->i < j->n && j->s[j->i] == ',') {
			j->i++;
			continue;
		}
		if (j->i < j->n && j->s[j->i] == ']') {
			j->i++;
			break;
		}
		return expected(j, "',' or ']'");
	}
	j->key->len = base;
	return 0;
}

static int parse_value(jp *j)
{
	skip_ws(j);
	if (j->i >= j->n)
		return expected(j, "a value");
	const char *p = j->s + j->i;
	size_t rest = j->n - j->i, len;
	switch (*p) {
	case '{':
	case '[': {
		if (j->depth >= JSON_MAX_DEPTH)
			return jerr(j, j->i, "nested too deeply");
		j->depth++;
		int r = *p == '{' ? parse_object(j) : parse_array(j);
		j->depth--;
		return r;
	}
	case '"': {
		const char *v;
		size_t n;
		if (parse_string(j, &v, &n) < 0)
			return -1;
		push(j, v, n, SK_FK_STR);
		return 0;
	}
	case 't':
		len = 4;
		if (rest >= 4 && memcmp(p, "true", 4) == 0)
			goto literal;
		break;
	case 'f':
		len = 5;
		if (rest >= 5 && memcmp(p, "false", 5) == 0)
			goto literal;
		break;
	case 'n':
		/* null reads as an empty value; the jsonl writer writes an empty
		 * SK_FK_JSON value back as null. */
		if (rest >= 4 && memcmp(p, "null", 4) == 0 &&
		    (rest == 4 || !is_word(p[4]))) {
			j->i += 4;
			push(j, "", 0, SK_FK_JSON);
			return 0;
		}
		break;
	default:
		if (*p == '-' || (*p >= '0' && *p <= '9')) {
			len = number_len(p, rest);
			if (!len || (len < rest && is_word(p[len])))
				return jerr(j, j->i, "bad number");
			j->i += len;
			push(j, p, len, SK_FK_JSON);
			return 0;
		}
		break;
	}
	return expected(j, "a value");
literal:
	if (len < rest && is_word(p[len]))
		return expected(j, "a value");
	j->i += len;
	push(j, p, len, SK_FK_JSON);
	return 0;
}

static int jsonl_read(sk_reader *rd, sk_record *rec)
{
	sk_str line;
	for (;;) {
		if (!sk_reader_record_line(rd, rec, &line))
			return SK_REC_EOF;
		jp j = { rd, rec, line.p, line.n, 0, &rd->scratch, 0 };
		skip_ws(&j);
		if (j.i == j.n)
			continue; /* a blank line is no record */
		sk_buf_clear(j.key);
		if (j.s[j.i] != '{') {
			expected(&j, "'{'");
			return SK_REC_BAD;
		}
		j.depth = 1;
		if (parse_object(&j) < 0)
			return SK_REC_BAD;
		skip_ws(&j);
		if (j.i < j.n) {
			jerr(&j, j.i, "trailing characters after the object");
			return SK_REC_BAD;
		}
		return SK_REC_OK;
	}
}

/* Appends the quoted, escaped JSON string of [p, p+n) to b: invalid UTF-8
 * bytes pass through as they are, NUL and control bytes become \u
 * escapes. */
static void json_quote(sk_buf *b, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	sk_buf_reserve(b, n + 2);
	sk_buf_putc(b, '"');
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		sk_buf_put(b, p + run, i - run);
		run = i + 1;
		char e[6] = { '\\', 0 };
		size_t en = 2;
		switch (c) {
		case '"': e[1] = '"'; break;
		case '\\': e[1] = '\\'; break;
		case '\n': e[1] = 'n'; break;
		case '\t': e[1] = 't'; break;
		case '\r': e[1] = 'r'; break;
		case '\b': e[1] = 'b'; break;
		case '\f': e[1] = 'f'; break;
		default:
			memcpy(e + 1, "u00", 3);
			e[4] = hex[c >> 4];
			e[5] = hex[c & 15];
			en = 6;
		}
		sk_buf_put(b, e, en);
	}
	sk_buf_put(b, p + run, n - run);
	sk_buf_putc(b, '"');
}

/* Compact, as jq -c writes: {"k":v,"k2":v2}, keys in field order, flat. */
static void jsonl_write(sk_writer *w, const sk_record *rec)
{
	sk_buf *b = &w->tmp;
	sk_buf_clear(b);
	sk_buf_putc(b, '{');
	for (size_t i = 0; i < rec->nf; i++) {
		const sk_field *f = &rec->f[i];
		sk_str name = sk_schema_name(w->schema, f->slot);
		if (i)
			sk_buf_putc(b, ',');
		json_quote(b, name.p, name.n);
		sk_buf_putc(b, ':');
		if (f->kind == SK_FK_JSON) {
			if (f->n)
				sk_buf_put(b, f->p, f->n);
			else
				sk_buf_put(b, "null", 4);
		} else if (f->kind == SK_FK_TEXT &&
			   text_is_literal(f->p, f->n)) {
			sk_buf_put(b, f->p, f->n);
		} else {
			json_quote(b, f->p, f->n);
		}
	}
	sk_buf_put(b, "}\n", 2);
	sk_out_write(w->out, b->p, b->len);
}

const sk_format sk_fmt_jsonl = {
	.name = "jsonl",
	.read = jsonl_read,
	.write = jsonl_write,
};
