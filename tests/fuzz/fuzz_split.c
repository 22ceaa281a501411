/* fuzz_split: how stream-partition cuts a copy's output into whole
 * records (sk_part_boundary), against a scan of the whole output byte by
 * byte.
 *
 * The CSV rule is the reader's: a quote opens a quoted field only at the
 * field's start.
 *
 * Input: a flags byte (bit 0: csv; bit 1: the first record is a header,
 * cut on its own), a byte that seeds the sizes of the reads the output
 * arrives in (1 to 64 bytes), then the output. The pieces are cut as
 * sk_part cuts them; each cut must be a record boundary of the whole, as
 * many bytes must be written as whole records have come (nothing held
 * back), and the pieces, with a newline given to the last line, must be
 * the output. */
#include <string.h>
#include "fuzz.h"
#include "sk_part.h"

#define MAXOUT 4096

/* The CSV quote rule, byte by byte: a quote opens a quoted field at the
 * field's start; inside, "" is a quote, a lone one closes
 * it. Returns the state after w[i] given the state before (0 outside,
 * 1 inside, 2 inside just after a quote); *nl set if w[i] ends a record. */
static int step(const char *w, size_t i, int q, int *nl)
{
	*nl = 0;
	if (q == 2) {
		if (w[i] == '"')
			return 1;
		q = 0;
	}
	if (q == 1)
		return w[i] == '"' ? 2 : 1;
	if (w[i] == '\n') {
		*nl = 1;
		return 0;
	}
	if (w[i] == '"')
		return i == 0 || w[i - 1] == ',' || w[i - 1] == '\n';
	return 0;
}

/* 1 if a record of the whole ends at offset at, or at is its end. */
static int is_cut(const char *w, size_t n, int csv, size_t at)
{
	int q = 0, nl = 0;
	if (at == n)
		return 1;
	for (size_t i = 0; i < at; i++)
		q = csv ? step(w, i, q, &nl) : (nl = w[i] == '\n', 0);
	return at > 0 && nl;
}

/* The end of the first or the last record wholly in w[0, n). */
static size_t last_cut(const char *w, size_t n, int csv, int first)
{
	int q = 0, nl;
	size_t end = 0;
	for (size_t i = 0; i < n; i++) {
		q = csv ? step(w, i, q, &nl) : (nl = w[i] == '\n', 0);
		if (nl) {
			end = i + 1;
			if (first)
				return end;
		}
	}
	return end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char whole[MAXOUT + 1], buf[MAXOUT + 1];
	if (size < 2 || size - 2 > MAXOUT)
		return 0;
	int csv = data[0] & 1, header = (data[0] & 2) != 0;
	unsigned seed = data[1];
	size_t n = size - 2;
	memcpy(whole, data + 2, n);
	size_t wn = n;
	if (wn && whole[wn - 1] != '\n')
		whole[wn++] = '\n'; /* what the end of the copy's output adds */

	size_t len = 0, scan = 0, out = 0, got = 0; /* buf: [out, out+len) */
	int inq = 0, had_first = !header;
	while (got < n || len) {
		int eof = got == n;
		if (!eof) {
			seed = seed * 1103515245u + 12345u;
			size_t r = 1 + (seed >> 16) % 64;
			if (r > n - got)
				r = n - got;
			memcpy(buf + len, data + 2 + got, r);
			len += r;
			got += r;
			if (got == n && len && buf[len - 1] != '\n')
				buf[len++] = '\n';
		}
		size_t e;
		if (!had_first) {
			e = sk_part_boundary(buf, len, csv ? ',' : 0, 1, &scan, &inq);
			if (!e && got == n)
				e = len;
			if (e) {
				SK_FUZZ_ASSERT(e == (last_cut(whole + out, wn - out, csv, 1) ?
						     last_cut(whole + out, wn - out, csv, 1) :
						     wn - out));
				SK_FUZZ_ASSERT(memcmp(buf, whole + out, e) == 0);
				memmove(buf, buf + e, len - e);
				len -= e;
				scan -= e;
				out += e;
				had_first = 1;
			}
		}
		if (had_first) {
			e = got == n ? len : sk_part_boundary(buf, len, csv ? ',' : 0, 0, &scan, &inq);
			/* every whole record that came is cut, and only those */
			if (got < n)
				SK_FUZZ_ASSERT(out + e == out + last_cut(whole + out, len, csv, 0));
			SK_FUZZ_ASSERT(!e || is_cut(whole, wn, csv, out + e));
			SK_FUZZ_ASSERT(memcmp(buf, whole + out, e) == 0);
			memmove(buf, buf + e, len - e);
			len -= e;
			scan -= e;
			out += e;
		}
		if (eof)
			break;
	}
	SK_FUZZ_ASSERT(out == wn && len == 0);
	sk_fuzz_sink += out;
	return 0;
}
