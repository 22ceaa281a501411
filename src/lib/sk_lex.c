/* sk_lex: tokenizer for the expression language. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_err.h"
#include "sk_lex.h"

void sk_src_err_vset(sk_src_err *e, size_t start, size_t end, const char *fmt,
		     va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	e->start = start;
	e->end = end;
	e->msg = sk_xmalloc(n < 0 ? 1 : (size_t)n + 1);
	if (n < 0)
		e->msg[0] = 0;
	else
		vsnprintf(e->msg, (size_t)n + 1, fmt, ap);
}

void sk_src_err_set(sk_src_err *e, size_t start, size_t end, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sk_src_err_vset(e, start, end, fmt, ap);
	va_end(ap);
}

void sk_src_err_die(const sk_src_err *e, const char *src)
{
	sk_die_at(src, e->start, e->end, "%s", e->msg ? e->msg : "");
}

void sk_src_err_clear(sk_src_err *e)
{
	free(e->msg);
	e->msg = NULL;
}

static int is_id0(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_id(int c)
{
	return is_id0(c) || (c >= '0' && c <= '9');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * A quoted string from src[i] (the quote). Known escapes are decoded;
 * an unknown one (\d, \w, \.) keeps its backslash, so regexes can be
 * written with single backslashes. Returns the index past the closing
 * quote, or 0 with *err set.
 */
static size_t lex_string(const char *src, size_t i, sk_arena *mem, sk_tok *t,
			 sk_src_err *err)
{
	char q = src[i];
	size_t j = i + 1, len = strlen(src);
	char *out = sk_arena_alloc(mem, len - i + 1);
	size_t n = 0;
	for (;;) {
		if (j >= len) {
			sk_src_err_set(err, i, len, "unterminated string");
			return 0;
		}
		char c = src[j];
		if (c == q) {
			j++;
			break;
		}
		if (c != '\\' || j + 1 >= len) {
			out[n++] = c;
			j++;
			continue;
		}
		char e = src[j + 1];
		j += 2;
		switch (e) {
		case 'n': out[n++] = '\n'; break;
		case 't': out[n++] = '\t'; break;
		case 'r': out[n++] = '\r'; break;
		case '0': out[n++] = '\0'; break;
		case '\\': out[n++] = '\\'; break;
		case '"': out[n++] = '"'; break;
		case '\'': out[n++] = '\''; break;
		case 'x': {
			int h1 = j < len ? hexval(src[j]) : -1;
			int h2 = j + 1 < len ? hexval(src[j + 1]) : -1;
			if (h1 < 0 || h2 < 0) {
				sk_src_err_set(err, j - 2, j, "\\x needs two hex digits");
				return 0;
			}
			out[n++] = (char)(h1 * 16 + h2);
			j += 2;
			break;
		}
		default:
			out[n++] = '\\';
			out[n++] = e;
			break;
		}
	}
	out[n] = 0;
	t->t = SK_T_STR;
	t->s = out;
	t->n = n;
	return j;
}

/* A number: digits, fraction, exponent (no sign: unary minus is an
 * operator). Returns the index past it, or 0 with *err set. */
static size_t lex_number(const char *src, size_t i, sk_tok *t, sk_src_err *err)
{
	size_t j = i;
	while (is_digit(src[j]))
		j++;
	if (src[j] == '.' && src[j + 1] != '.') {
		j++;
		while (is_digit(src[j]))
			j++;
	}
	if ((src[j] == 'e' || src[j] == 'E') &&
	    (is_digit(src[j + 1]) || ((src[j + 1] == '+' || src[j + 1] == '-') &&
				      is_digit(src[j + 2])))) {
		j += 2;
		while (is_digit(src[j]))
			j++;
	}
	if (is_id0(src[j])) {
		sk_src_err_set(err, i, j + 1, "bad number");
		return 0;
	}
	if (!sk_num_parse(src + i, j - i, &t->num)) {
		sk_src_err_set(err, i, j, "bad number");
		return 0;
	}
	t->t = SK_T_NUM;
	return j;
}

/* An identifier; a dot joins words when a word character follows it, so
 * "a.b" (a flattened JSON key) and "p99.9" are one name and "a..b" is not. */
static size_t lex_ident(const char *src, size_t i)
{
	size_t j = i;
	for (;;) {
		while (is_id(src[j]))
			j++;
		if (src[j] == '.' && is_id(src[j + 1]))
			j++;
		else
			return j;
	}
}

static int word_is(const char *p, size_t n, const char *w)
{
	return strlen(w) == n && memcmp(p, w, n) == 0;
}

/* A lexical error at [start, end) of src: into *err, then out of sk_lex. */
#define FAIL(start, end, ...) do { \
	sk_src_err_set(err, (start), (end), __VA_ARGS__); \
	goto fail; \
} while (0)

int sk_lex(const char *src, sk_arena *mem, sk_tok **toks, size_t *ntok,
	   sk_src_err *err)
{
	size_t cap = 0, n = 0, i = 0;
	sk_tok *v = NULL;
	int nl = 0;
	for (;;) {
		char c = src[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			nl |= c == '\n';
			i++;
			continue;
		}
		if (c == '#') { /* a comment to the end of the line */
			while (src[i] && src[i] != '\n')
				i++;
			continue;
		}
		SK_GROW(v, cap, n + 1);
		sk_tok *t = &v[n++];
		memset(t, 0, sizeof *t);
		t->start = i;
		t->nl = nl;
		nl = 0;
		if (c == 0) {
			t->t = SK_T_EOF;
			t->end = i;
			break;
		}
		char d = src[i + 1];
		size_t j = i + 1;
		switch (c) {
		case '(': t->t = SK_T_LP; break;
		case ')': t->t = SK_T_RP; break;
		case '[': t->t = SK_T_LB; break;
		case ']': t->t = SK_T_RB; break;
		case ',': t->t = SK_T_COMMA; break;
		case ';': t->t = SK_T_SEMI; break;
		case '?': t->t = SK_T_QUEST; break;
		case ':': t->t = SK_T_COLON; break;
		case '+': t->t = SK_T_PLUS; break;
		case '-': t->t = SK_T_MINUS; break;
		case '*': t->t = SK_T_STAR; break;
		case '/': t->t = SK_T_SLASH; break;
		case '%': t->t = SK_T_PCT; break;
		case '|':
			if (d != '|')
				FAIL(i, i + 1, "unexpected '|' (use || or 'or')");
			t->t = SK_T_OR;
			j++;
			break;
		case '&':
			if (d != '&')
				FAIL(i, i + 1, "unexpected '&' (use && or 'and')");
			t->t = SK_T_AND;
			j++;
			break;
		case '=':
			if (d == '=')
				t->t = SK_T_EQ, j++;
			else if (d == '~')
				t->t = SK_T_MATCH, j++;
			else
				t->t = SK_T_ASSIGN;
			break;
		case '!':
			if (d == '=')
				t->t = SK_T_NE, j++;
			else if (d == '~')
				t->t = SK_T_NMATCH, j++;
			else
				t->t = SK_T_NOT;
			break;
		case '<':
			t->t = d == '=' ? SK_T_LE : SK_T_LT;
			j += d == '=';
			break;
		case '>':
			t->t = d == '=' ? SK_T_GE : SK_T_GT;
			j += d == '=';
			break;
		case '.':
			if (d == '.') {
				t->t = SK_T_CONCAT;
				j++;
			} else if (is_digit(d)) {
				if (!(j = lex_number(src, i, t, err)))
					goto fail;
			} else {
				FAIL(i, i + 1, "unexpected '.'");
			}
			break;
		case '"':
		case '\'':
			if (!(j = lex_string(src, i, mem, t, err)))
				goto fail;
			break;
		case '$':
			if (d == '{') {
				const char *e = strchr(src + i + 2, '}');
				if (!e)
					FAIL(i, strlen(src), "unterminated ${");
				t->t = SK_T_FIELD;
				t->s = src + i + 2;
				t->n = (size_t)(e - t->s);
				if (t->n == 0)
					FAIL(i, i + 3, "empty field name");
				j = (size_t)(e - src) + 1;
			} else if (is_digit(d)) {
				j = i + 1;
				uint64_t k = 0;
				while (is_digit(src[j])) {
					if (k > SK_LEX_MAX_POS / 10)
						FAIL(i, j, "field number too large");
					k = k * 10 + (uint64_t)(src[j] - '0');
					j++;
				}
				t->t = SK_T_POS;
				t->num.isint = 1;
				t->num.i = (int64_t)k;
			} else if (is_id0(d)) {
				t->t = SK_T_FIELD;
				j = lex_ident(src, i + 1);
				t->s = src + i + 1;
				t->n = j - i - 1;
			} else {
				FAIL(i, i + 1, "expected a field name after '$'");
			}
			break;
		default:
			if (is_digit(c)) {
				if (!(j = lex_number(src, i, t, err)))
					goto fail;
			} else if (is_id0(c)) {
				j = lex_ident(src, i);
				t->s = src + i;
				t->n = j - i;
				t->t = SK_T_IDENT;
				if (word_is(t->s, t->n, "and"))
					t->t = SK_T_AND;
				else if (word_is(t->s, t->n, "or"))
					t->t = SK_T_OR;
				else if (word_is(t->s, t->n, "not"))
					t->t = SK_T_NOT;
				else if (word_is(t->s, t->n, "in"))
					t->t = SK_T_IN;
				else if (word_is(t->s, t->n, "true"))
					t->t = SK_T_TRUE;
				else if (word_is(t->s, t->n, "false"))
					t->t = SK_T_FALSE;
			} else {
				FAIL(i, i + 1, "unexpected character '%c'",
				     (unsigned char)c >= 0x20 && (unsigned char)c < 0x7f ? c : '?');
			}
		}
		t->end = j;
		i = j;
	}
	*toks = v;
	*ntok = n;
	return 0;
fail:
	free(v);
	*toks = NULL;
	*ntok = 0;
	return -1;
}

const char *sk_tok_name(sk_tok_type t)
{
	static const char *names[] = {
		[SK_T_EOF] = "end of input", [SK_T_NUM] = "number",
		[SK_T_STR] = "string", [SK_T_IDENT] = "name",
		[SK_T_FIELD] = "field", [SK_T_POS] = "field",
		[SK_T_LP] = "'('", [SK_T_RP] = "')'", [SK_T_LB] = "'['",
		[SK_T_RB] = "']'", [SK_T_COMMA] = "','", [SK_T_SEMI] = "';'",
		[SK_T_QUEST] = "'?'", [SK_T_COLON] = "':'", [SK_T_ASSIGN] = "'='",
		[SK_T_OR] = "'||'", [SK_T_AND] = "'&&'", [SK_T_NOT] = "'!'",
		[SK_T_EQ] = "'=='", [SK_T_NE] = "'!='", [SK_T_LT] = "'<'",
		[SK_T_LE] = "'<='", [SK_T_GT] = "'>'", [SK_T_GE] = "'>='",
		[SK_T_MATCH] = "'=~'", [SK_T_NMATCH] = "'!~'", [SK_T_IN] = "'in'",
		[SK_T_PLUS] = "'+'", [SK_T_MINUS] = "'-'", [SK_T_STAR] = "'*'",
		[SK_T_SLASH] = "'/'", [SK_T_PCT] = "'%'", [SK_T_CONCAT] = "'..'",
		[SK_T_TRUE] = "'true'", [SK_T_FALSE] = "'false'",
	};
	return names[t];
}
