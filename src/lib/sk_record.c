/* sk_record: interned field names (schema) and records of borrowed fields. */
#include <stdlib.h>
#include <xxhash.h>
#include "sk_record.h"

void sk_schema_init(sk_schema *s)
{
	memset(s, 0, sizeof *s);
	s->tabmask = 63;
	s->tab = sk_xcalloc(s->tabmask + 1, sizeof *s->tab);
}

void sk_schema_free(sk_schema *s)
{
	for (size_t i = 0; i < s->n; i++)
		free((char *)s->names[i].p);
	free(s->names);
	free(s->tab);
	memset(s, 0, sizeof *s);
}

long sk_schema_find(const sk_schema *s, const char *name, size_t n)
{
	size_t h = (size_t)XXH3_64bits(name, n) & s->tabmask;
	for (;;) {
		uint32_t e = s->tab[h];
		if (!e)
			return -1;
		if (sk_str_eq(s->names[e - 1], name, n))
			return (long)(e - 1);
		h = (h + 1) & s->tabmask;
	}
}

static void rehash(sk_schema *s)
{
	free(s->tab);
	s->tabmask = s->tabmask * 2 + 1;
	s->tab = sk_xcalloc(s->tabmask + 1, sizeof *s->tab);
	for (size_t i = 0; i < s->n; i++) {
		size_t h = (size_t)XXH3_64bits(s->names[i].p, s->names[i].n) & s->tabmask;
		while (s->tab[h])
			h = (h + 1) & s->tabmask;
		s->tab[h] = (uint32_t)i + 1;
	}
}

uint32_t sk_schema_intern(sk_schema *s, const char *name, size_t n)
{
	long f = sk_schema_find(s, name, n);
	if (f >= 0)
		return (uint32_t)f;
	SK_GROW(s->names, s->cap, s->n + 1);
	s->names[s->n].p = sk_xstrndup(name, n);
	s->names[s->n].n = n;
	s->n++;
	if (s->n * 2 > s->tabmask)
		rehash(s);
	else {
		size_t h = (size_t)XXH3_64bits(name, n) & s->tabmask;
		while (s->tab[h])
			h = (h + 1) & s->tabmask;
		s->tab[h] = (uint32_t)s->n;
	}
	return (uint32_t)s->n - 1;
}

void sk_rec_init(sk_record *r)
{
	memset(r, 0, sizeof *r);
}

void sk_rec_free(sk_record *r)
{
	free(r->f);
	free(r->pos);
	free(r->lf);
	sk_arena_free(&r->arena);
	memset(r, 0, sizeof *r);
}

/* Makes pos cover slot, the new entries absent. */
static __attribute__((noinline)) void grow_pos(sk_record *r, uint32_t slot)
{
	size_t old = r->npos;
	r->pos = sk_grow(r->pos, &r->npos, (size_t)slot + 1, sizeof *r->pos);
	memset(r->pos + old, 0, (r->npos - old) * sizeof *r->pos);
}

void sk_rec_set_unsplit(sk_record *r, sk_str line, const uint32_t *dpos,
			size_t ncol, const uint32_t *colslot,
			const uint32_t *slotcol, size_t nslotcol)
{
	SK_GROW(r->lf, r->lcap, ncol);
	r->partial = 1;
	r->unsplit = line;
	r->dpos = dpos;
	r->ncol = ncol;
	r->colslot = colslot;
	r->slotcol = slotcol;
	r->nslotcol = nslotcol;
}

void sk_rec_split(const sk_record *cr)
{
	sk_record *r = (sk_record *)cr; /* materialising fields is not a change */
	r->partial = 0;
	for (size_t c = 0; c < r->ncol; c++) {
		const sk_field *f = sk_rec_column(r, c);
		sk_rec_push(r, f->slot, f->p, f->n, SK_FK_TEXT);
	}
}

void sk_rec_clear(sk_record *r)
{
	for (size_t i = 0; i < r->nf; i++)
		r->pos[r->f[i].slot] = 0;
	r->nf = 0;
	r->partial = 0;
	r->modified = 0;
	r->raw.p = NULL;
	r->raw.n = 0;
	if (r->arena.head)
		sk_arena_reset(&r->arena);
}


void sk_rec_push(sk_record *r, uint32_t slot, const char *p, size_t n, int kind)
{
	if (slot >= r->npos)
		grow_pos(r, slot);
	if (r->pos[slot]) {
		sk_field *f = &r->f[r->pos[slot] - 1];
		f->p = p;
		f->n = n;
		f->kind = (uint8_t)kind;
		return;
	}
	SK_GROW(r->f, r->cap, r->nf + 1);
	sk_field *f = &r->f[r->nf++];
	f->p = p;
	f->n = n;
	f->slot = slot;
	f->kind = (uint8_t)kind;
	r->pos[slot] = (uint32_t)r->nf;
}

void sk_rec_set(sk_record *r, uint32_t slot, const char *p, size_t n, int kind)
{
	sk_rec_finish(r);
	sk_rec_push(r, slot, p, n, kind);
	r->modified = 1;
}

void sk_rec_del(sk_record *r, uint32_t slot)
{
	sk_rec_finish(r);
	if (slot >= r->npos || !r->pos[slot])
		return;
	size_t i = r->pos[slot] - 1;
	r->pos[slot] = 0;
	memmove(r->f + i, r->f + i + 1, (r->nf - i - 1) * sizeof *r->f);
	r->nf--;
	for (; i < r->nf; i++)
		r->pos[r->f[i].slot] = (uint32_t)i + 1;
	r->modified = 1;
}

void sk_rec_select(sk_record *r, const uint32_t *slots, size_t n)
{
	sk_rec_finish(r);
	/* Build the new order in the spare space past the fields. */
	SK_GROW(r->f, r->cap, r->nf + n);
	sk_field *out = r->f + r->nf;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const sk_field *f = sk_rec_get(r, slots[i]);
		if (f) {
			out[k++] = *f;
			r->pos[slots[i]] = 0; /* a slot named twice is kept once */
		}
	}
	for (size_t i = 0; i < r->nf; i++)
		r->pos[r->f[i].slot] = 0;
	memmove(r->f, out, k * sizeof *r->f);
	r->nf = k;
	for (size_t i = 0; i < k; i++)
		r->pos[r->f[i].slot] = (uint32_t)i + 1;
	r->modified = 1;
}

int sk_rec_positional(const sk_record *r, size_t i, sk_str *out)
{
	if (i == 0)
		return 0;
	if (!r->words) {
		if (i > r->nf)
			sk_rec_finish(r);
		if (i > r->nf)
			return 0;
		out->p = r->f[i - 1].p;
		out->n = r->f[i - 1].n;
		return 1;
	}
	const char *p = r->raw.p, *e = p + r->raw.n;
	if (e > p && e[-1] == '\r')
		e--;
	for (;;) {
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (p == e)
			return 0;
		const char *w = p;
		while (p < e && *p != ' ' && *p != '\t')
			p++;
		if (--i == 0) {
			out->p = w;
			out->n = (size_t)(p - w);
			return 1;
		}
	}
}

void sk_rec_rename(sk_record *r, uint32_t from, uint32_t to)
{
	sk_rec_finish(r);
	if (from == to || from >= r->npos || !r->pos[from])
		return;
	sk_rec_del(r, to);
	if (to >= r->npos)
		grow_pos(r, to);
	size_t i = r->pos[from] - 1;
	r->pos[from] = 0;
	r->f[i].slot = to;
	r->pos[to] = (uint32_t)i + 1;
	r->modified = 1;
}

int sk_rec_ref_pos(const sk_record *r, const sk_fref *ref, sk_field *out)
{
	const sk_field *f;
	if (r->words) {
		sk_str w;
		if (!sk_rec_positional(r, ref->pos, &w))
			return 0;
		out->p = w.p;
		out->n = w.n;
		out->slot = ref->slot;
		out->kind = SK_FK_TEXT;
		return 1;
	} else {
		f = sk_rec_at(r, ref->pos - 1);
	}
	if (!f)
		return 0;
	*out = *f;
	return 1;
}
