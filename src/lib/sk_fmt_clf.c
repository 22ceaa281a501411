/* sk_fmt_clf: Apache/nginx common and combined log format reader. */
#include <stdio.h>
#include "sk_fmt_impl.h"

/*
 * host ident user [time] "request" status bytes ["referer" "agent"]
 *
 * Every record has the same eleven fields, so a log that mixes common and
 * combined lines keeps one header: a common line has empty referer and
 * agent. The request is split on spaces into method, path and protocol; a
 * request that is not "METHOD PATH PROTOCOL" (nginx logs "-" or the raw
 * bytes of a TLS hello sent to a plain port) is kept whole in path with an
 * empty method and protocol, never rejected. A path holding spaces stays
 * whole. bytes "-" (no body) reads as empty, so numeric aggregates skip
 * it; every other "-" (ident, user, referer) stays "-" as logged. Inside
 * quotes \" and \\ are unescaped; other escapes (\xhh) stay as logged. A
 * quote is taken as the closing one only when a space or the end of the
 * line follows it, which copes with servers that do not escape quotes.
 * Fields after the agent (nginx extras) are ignored.
 */

enum { HOST, IDENT, USER, TIME, METHOD, PATH, PROTO, STATUS, BYTES,
       REFERER, AGENT, NCLF };
static const char *const clf_names[NCLF] = {
	"host", "ident", "user", "time", "method", "path", "protocol",
	"status", "bytes", "referer", "agent",
};

typedef struct clf_state {
	sk_schema *schema;      /* the slots below belong to it */
	uint32_t slot[NCLF];
} clf_state;

/* The record is bad CLF, at col (0-based). */
static int cerr(sk_reader *rd, size_t col, const char *msg)
{
	return sk_reader_bad(rd, SK_BAD_CLF, col + 1, "%s", msg);
}

/* A space-delimited token at *i; skips the spaces after it. */
static sk_str token(const char *s, size_t n, size_t *i)
{
	size_t k = *i;
	while (*i < n && s[*i] != ' ')
		(*i)++;
	sk_str t = { s + k, *i - k };
	while (*i < n && s[*i] == ' ')
		(*i)++;
	return t;
}

/*
 * A quoted field opening at s[*i] == '"'. Returns 0 with the unescaped
 * value (borrowed, or in the arena) and *i past the spaces that follow;
 * -1 if it never closes.
 */
static int quoted(sk_record *rec, const char *s, size_t n, size_t *i, sk_str *out)
{
	size_t beg = *i + 1, k = beg;
	int esc = 0;
	for (;; k++) {
		while (k < n && s[k] != '"' && s[k] != '\\')
			k++;
		if (k >= n)
			return -1;
		if (s[k] == '\\') {
			esc = 1;
			k++;
			continue;
		}
		if (k + 1 == n || s[k + 1] == ' ')
			break;
	}
	if (!esc) {
		out->p = s + beg;
		out->n = k - beg;
	} else {
		char *d = sk_arena_alloc(&rec->arena, k - beg + 1);
		size_t o = 0;
		for (size_t j = beg; j < k; j++) {
			if (s[j] == '\\' && j + 1 < k && (s[j + 1] == '"' || s[j + 1] == '\\'))
				j++;
			d[o++] = s[j];
		}
		out->p = d;
		out->n = o;
	}
	*i = k + 1;
	while (*i < n && s[*i] == ' ')
		(*i)++;
	return 0;
}

static int all_digits(sk_str t)
{
	if (t.n == 0)
		return 0;
	for (size_t k = 0; k < t.n; k++)
		if (t.p[k] < '0' || t.p[k] > '9')
			return 0;
	return 1;
}

/* METHOD PATH PROTOCOL, or the whole request in path. */
static void split_request(sk_str r, sk_str v[NCLF])
{
	static const char empty[] = "";
	v[METHOD] = v[PROTO] = (sk_str){ empty, 0 };
	v[PATH] = r;
	const char *sp = memchr(r.p, ' ', r.n);
	if (!sp)
		return;
	const char *last = r.p + r.n;
	while (last > sp && last[-1] != ' ')
		last--;
	/* last: the start of the final word; == sp + 1 when only two words */
	size_t ml = (size_t)(sp - r.p);
	for (size_t k = 0; k < ml; k++)
		if (r.p[k] < 'A' || r.p[k] > 'Z')
			return; /* not a method: keep it all in path */
	if (ml == 0)
		return;
	v[METHOD] = (sk_str){ r.p, ml };
	const char *pe = r.p + r.n;
	size_t lastn = (size_t)(r.p + r.n - last);
	if (last > sp + 1 && lastn > 5 && memcmp(last, "HTTP/", 5) == 0) {
		v[PROTO] = (sk_str){ last, lastn };
		pe = last - 1;
	}
	v[PATH] = (sk_str){ sp + 1, (size_t)(pe - sp - 1) };
}

static int clf_read(sk_reader *rd, sk_record *rec)
{
	clf_state *st = rd->state;
	if (!st || st->schema != rd->schema) {
		st = rd->state = sk_xrealloc(rd->state, sizeof *st);
		st->schema = rd->schema;
		for (int k = 0; k < NCLF; k++)
			st->slot[k] = sk_schema_intern(rd->schema, clf_names[k],
						       strlen(clf_names[k]));
	}
	sk_str line;
	for (;;) {
		if (!sk_reader_record_line(rd, rec, &line))
			return SK_REC_EOF;
		const char *s = line.p;
		size_t n = line.n, i = 0;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == n)
			continue; /* a blank line is no record */
		sk_str v[NCLF];
		static const char empty[] = "";
		v[HOST] = token(s, n, &i);
		v[IDENT] = token(s, n, &i);
		v[USER] = token(s, n, &i);
		if (i >= n || s[i] != '[')
			return cerr(rd, i, "expected '['");
		const char *rb = memchr(s + i, ']', n - i);
		if (!rb)
			return cerr(rd, i, "unterminated [time]");
		v[TIME] = (sk_str){ s + i + 1, (size_t)(rb - s - i - 1) };
		i = (size_t)(rb - s) + 1;
		while (i < n && s[i] == ' ')
			i++;
		if (i >= n || s[i] != '"')
			return cerr(rd, i, "expected '\"' before the request");
		size_t q = i;
		sk_str req;
		if (quoted(rec, s, n, &i, &req) < 0)
			return cerr(rd, q, "unterminated quoted field");
		split_request(req, v);
		size_t col = i;
		v[STATUS] = token(s, n, &i);
		if (!all_digits(v[STATUS]))
			return cerr(rd, col, "bad status");
		col = i;
		v[BYTES] = token(s, n, &i);
		if (v[BYTES].n == 1 && v[BYTES].p[0] == '-')
			v[BYTES].n = 0;
		else if (!all_digits(v[BYTES]))
			return cerr(rd, col, "bad bytes");
		v[REFERER] = v[AGENT] = (sk_str){ empty, 0 };
		if (i < n) {
			if (s[i] != '"')
				return cerr(rd, i, "expected '\"' before the referer");
			q = i;
			if (quoted(rec, s, n, &i, &v[REFERER]) < 0)
				return cerr(rd, q, "unterminated quoted field");
			if (i >= n || s[i] != '"')
				return cerr(rd, i, "expected '\"' before the agent");
			q = i;
			if (quoted(rec, s, n, &i, &v[AGENT]) < 0)
				return cerr(rd, q, "unterminated quoted field");
		}
		for (int k = 0; k < NCLF; k++)
			sk_rec_push(rec, st->slot[k], v[k].p, v[k].n, SK_FK_TEXT);
		return SK_REC_OK;
	}
}

const sk_format sk_fmt_clf = {
	.name = "clf",
	.read = clf_read,
};
