/* sk_buf: growable byte buffers, chunked arenas and checked allocation. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "sk_buf.h"
#include "sk_err.h"

void *sk_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		sk_diex(SK_EXIT_DATA, "out of memory");
	return p;
}

void *sk_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		sk_diex(SK_EXIT_DATA, "out of memory");
	return p;
}

void *sk_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		sk_diex(SK_EXIT_DATA, "out of memory");
	return p;
}

char *sk_xstrndup(const char *s, size_t n)
{
	char *p = sk_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void *sk_grow_from(void *p, size_t *cap, size_t need, size_t size, size_t min)
{
	if (need <= *cap)
		return p;
	size_t n = *cap ? *cap : min ? min : 1;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			sk_diex(SK_EXIT_DATA, "out of memory");
		n *= 2;
	}
	if (size && n > SIZE_MAX / size)
		sk_diex(SK_EXIT_DATA, "out of memory");
	p = sk_xrealloc(p, n * size);
	*cap = n;
	return p;
}

void sk_buf_reserve(sk_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->p = sk_xrealloc(b->p, cap);
	b->cap = cap;
}

void sk_buf_vprintf(sk_buf *b, const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	if (n >= 0) {
		sk_buf_reserve(b, (size_t)n);
		vsnprintf(b->p + b->len, (size_t)n + 1, fmt, again);
		b->len += (size_t)n;
	}
	va_end(again);
}

void sk_buf_printf(sk_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sk_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void sk_buf_free(sk_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

struct sk_arena_chunk {
	sk_arena_chunk *next;
	size_t size;
	_Alignas(16) char data[];
};

#define SK_ARENA_MIN 4096

void *sk_arena_alloc(sk_arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (!a->head || a->head->size - a->used < n) {
		size_t size = a->head ? a->head->size * 2 : SK_ARENA_MIN;
		while (size < n)
			size *= 2;
		sk_arena_chunk *c = sk_xmalloc(sizeof *c + size);
		c->size = size;
		c->next = a->head;
		a->head = c;
		a->used = 0;
	}
	void *p = a->head->data + a->used;
	a->used += n;
	return p;
}

char *sk_arena_dup(sk_arena *a, const void *s, size_t n)
{
	char *p = sk_arena_alloc(a, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void sk_arena_reset(sk_arena *a)
{
	/* The head is always the largest chunk: keep it, free the older ones. */
	if (!a->head)
		return;
	sk_arena_chunk *c = a->head->next;
	while (c) {
		sk_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head->next = NULL;
	a->used = 0;
}

void sk_arena_free(sk_arena *a)
{
	sk_arena_chunk *c = a->head;
	while (c) {
		sk_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->used = 0;
}
