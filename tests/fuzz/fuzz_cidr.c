/* fuzz_cidr: stream-join --cidr's prefix table (sk_cidr) against the
 * longest of the prefixes that sk_cidr_match says hold an address, found
 * by trying each one.
 *
 * Input: lines. Those before a line "%%" are prefixes (what sk_cidr_parse
 * takes: 10.0.0.0/8, 2001:db8::/32, a bare address), the lines after it
 * addresses to look up; at most 64 of each. */
#include <string.h>
#include "fuzz.h"
#include "sk_cidr.h"

#define MAXN 64

static const sk_hash_type len_type = { .val_size = sizeof(int) };

/* The prefix's length in the table's one 128-bit space. */
static int span(const sk_cidr *c)
{
	return c->family == 4 ? 96 + c->prefix : c->prefix;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static sk_cidr_table t;
	static sk_cidr pre[MAXN];
	/* static: the input changes them (setjmp) */
	static size_t npre, naddr;
	static const char *p, *end;
	static int addrs;
	npre = naddr = 0;
	p = (const char *)data;
	end = p + size;
	addrs = 0;
	SK_FUZZ_TRY {
		sk_cidr_table_init(&t, &len_type);
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
			if (n == 2 && memcmp(p, "%%", 2) == 0) {
				addrs = 1;
			} else if (!addrs && npre < MAXN) {
				sk_cidr c;
				if (sk_cidr_parse(p, n, &c)) {
					int isnew;
					int *v = sk_cidr_table_put(&t, &c, &isnew);
					SK_FUZZ_ASSERT(isnew || *v == span(&c));
					*v = span(&c);
					pre[npre++] = c;
				}
			} else if (addrs && naddr++ < MAXN) {
				int best = -1, bad = 0;
				for (size_t i = 0; i < npre; i++)
					if (span(&pre[i]) > best &&
					    sk_cidr_match(&pre[i], p, n))
						best = span(&pre[i]);
				int *v = sk_cidr_table_find(&t, p, n, &bad);
				SK_FUZZ_ASSERT(bad == 0 || bad == -1);
				SK_FUZZ_ASSERT(!bad || (!v && best < 0));
				SK_FUZZ_ASSERT(v ? best >= 0 && *v == best : best < 0);
				sk_fuzz_sink += v ? (size_t)*v : 0;
			}
			p = nl ? nl + 1 : end;
		}
		sk_cidr_table_free(&t);
		sk_fuzz_untrack(0);
	} else {
		sk_fuzz_untrack(1);
		memset(&t, 0, sizeof t);
	}
	return 0;
}
