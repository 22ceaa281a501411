/* sk_buf: length-carrying byte buffers and a per-record arena. */
#ifndef SK_BUF_H
#define SK_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A borrowed byte string: not NUL-terminated, may hold NUL bytes. */
typedef struct sk_str {
	const char *p;
	size_t n;
} sk_str;

#define SK_STR(lit) ((sk_str){ (lit), sizeof(lit) - 1 })

static inline int sk_str_eq(sk_str a, const char *b, size_t n)
{
	return a.n == n && (n == 0 || memcmp(a.p, b, n) == 0);
}

/*
 * A growable byte buffer that owns its bytes. p is always NUL-terminated
 * past len once anything was put in it (so it can go to libc), but the
 * content itself may hold NUL bytes. Growth may move p: never keep a
 * pointer into it across a put. A zeroed sk_buf is a valid empty buffer.
 */
typedef struct sk_buf {
	char *p;
	size_t len, cap;
} sk_buf;

/* Makes room for at least extra more bytes (plus the NUL). Dies on ENOMEM. */
void sk_buf_reserve(sk_buf *b, size_t extra);

static inline void sk_buf_put(sk_buf *b, const void *s, size_t n)
{
	if (b->cap - b->len <= n)
		sk_buf_reserve(b, n);
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static inline void sk_buf_putc(sk_buf *b, int c)
{
	if (b->cap - b->len <= 1)
		sk_buf_reserve(b, 1);
	b->p[b->len++] = (char)c;
	b->p[b->len] = 0;
}

static inline void sk_buf_puts(sk_buf *b, const char *s)
{
	sk_buf_put(b, s, strlen(s));
}

static inline void sk_buf_clear(sk_buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = 0;
}

/* printf-style append. */
void sk_buf_printf(sk_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sk_buf_vprintf(sk_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Frees the bytes and zeroes the buffer; accepts a zeroed buffer. */
void sk_buf_free(sk_buf *b);

/*
 * sk_arena: bump allocation in chunks that never move, so pointers stay
 * valid until sk_arena_reset(). Used for the bytes of one record (unescaped
 * fields, computed values): reset once per record, so steady state
 * allocates nothing.
 */
typedef struct sk_arena_chunk sk_arena_chunk;
typedef struct sk_arena {
	sk_arena_chunk *head; /* chunk being filled; older ones follow */
	size_t used;          /* bytes used in head */
} sk_arena;

void *sk_arena_alloc(sk_arena *a, size_t n);            /* 16-byte aligned */
char *sk_arena_dup(sk_arena *a, const void *s, size_t n); /* NUL-terminated copy */
/* Keeps the largest chunk for reuse, frees the rest. */
void sk_arena_reset(sk_arena *a);
void sk_arena_free(sk_arena *a);

/* malloc/realloc/calloc that die with a message on ENOMEM. */
void *sk_xmalloc(size_t n);
void *sk_xrealloc(void *p, size_t n);
void *sk_xcalloc(size_t n, size_t size);
char *sk_xstrndup(const char *s, size_t n);

/*
 * Makes the array p of elements of size bytes hold at least need of them:
 * its capacity *cap doubles (from min, or SK_GROW_MIN) until it does, so n
 * appends cost O(n). A size that overflows dies as out of memory does.
 * Returns the array, which may have moved. SK_GROW(p, cap, need) is the
 * usual call; SK_GROW_FROM(p, cap, need, min) for arrays that are many and
 * mostly small (a state per group), where 8 elements would waste memory.
 */
void *sk_grow_from(void *p, size_t *cap, size_t need, size_t size, size_t min);
#define SK_GROW_MIN 8
#define sk_grow(p, cap, need, size) sk_grow_from((p), (cap), (need), (size), SK_GROW_MIN)
#define SK_GROW_FROM(p, cap, need, min) do { \
	if ((need) > (cap)) \
		(p) = sk_grow_from((p), &(cap), (need), sizeof *(p), (min)); \
} while (0)
#define SK_GROW(p, cap, need) SK_GROW_FROM(p, cap, need, SK_GROW_MIN)

#endif
