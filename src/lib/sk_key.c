/* sk_key: the group key codec (see sk_key.h for the rule and the bytes). */
#include <stdlib.h>
#include "sk_key.h"

void sk_key_free(sk_key *k)
{
	sk_buf_free(&k->buf);
	k->p = NULL;
	k->n = 0;
}

void sk_key_put(sk_key *k, const char *p, size_t n)
{
	const char *e = p + n, *z;
	while ((z = memchr(p, 0, (size_t)(e - p)))) {
		sk_buf_put(&k->buf, p, (size_t)(z - p));
		sk_buf_put(&k->buf, "\0\1", 2);
		p = z + 1;
	}
	sk_buf_put(&k->buf, p, (size_t)(e - p));
	sk_buf_put(&k->buf, "\0\0", 2);
}

sk_str sk_key_field(const char *key, size_t keylen, size_t nf, size_t *pos,
		    sk_buf *tmp)
{
	if (nf == 1) {
		*pos = keylen;
		return (sk_str){ key, keylen };
	}
	const char *p = key + *pos, *e = key + keylen, *start = p;
	int escaped = 0;
	while (p + 1 < e && !(p[0] == 0 && p[1] == 0)) {
		if (p[0] == 0) {
			escaped = 1;
			p += 2;
		} else {
			p++;
		}
	}
	size_t end = (size_t)(p - key);
	*pos = end + 2 <= keylen ? end + 2 : keylen;
	if (!escaped)
		return (sk_str){ start, (size_t)(p - start) };
	sk_buf_clear(tmp);
	for (const char *q = start; q < p; q++) {
		sk_buf_putc(tmp, *q);
		if (*q == 0)
			q++; /* NUL 0x01 is one NUL */
	}
	return (sk_str){ tmp->p, tmp->len };
}
