/* sk_group: groups with their aggregate states, and the output rows of a
 * group table (see sk_group.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sk_err.h"
#include "sk_group.h"
#include "sk_state.h"
#include "sk_time.h"
#include "sk_tool.h"

/* A kept row (--sort): its fields in rs->buf [off, end), and the sort
 * column's value, parsed once. */
struct sk_row {
	size_t off, end;
	size_t seq;             /* the order it came in: ties keep it */
	union {
		size_t soff;    /* the sort field's bytes in rs->buf, */
		const char *sp; /* and there once the buffer stops moving */
	} s;
	size_t slen;
	double num;
	uint8_t has;            /* 0: the sort field is empty (goes last) */
	uint8_t isnum;
};

/* A field's header in rs->buf, before its bytes. */
typedef struct rowfield {
	uint32_t slot, kind, n;
} rowfield;

void sk_rows_init(sk_rows *rs, sk_schema *schema, const char *const *lead,
		  size_t nlead, const sk_fref *keys, size_t nkeys,
		  const sk_aggs *aggs, sk_writer *wr, int flags)
{
	memset(rs, 0, sizeof *rs);
	rs->aggs = aggs;
	rs->nlead = nlead;
	rs->nkeys = nkeys;
	rs->ncol = nlead + nkeys + aggs->n;
	rs->slot = sk_xcalloc(rs->ncol + 1, sizeof *rs->slot);
	rs->flags = flags;
	rs->sortcol = -1;
	rs->wr = wr;
	/* interned in the order each tool always did: stream-window's
	 * columns first, stream-agg's time column after the aggregates */
	uint32_t *slot = rs->slot;
	int lead_first = flags & SK_ROWS_WINDOW;
	for (size_t i = 0; lead_first && i < nlead; i++)
		slot[i] = sk_schema_intern(schema, lead[i], strlen(lead[i]));
	for (size_t i = 0; i < aggs->n; i++)
		slot[nlead + nkeys + i] = sk_schema_intern(schema,
			aggs->a[i].name, strlen(aggs->a[i].name));
	for (size_t i = 0; !lead_first && i < nlead; i++)
		slot[i] = sk_schema_intern(schema, lead[i], strlen(lead[i]));
	for (size_t i = 0; i < nkeys; i++)
		slot[nlead + i] = keys[i].slot;
	sk_rec_init(&rs->out);
}

void sk_rows_order(sk_rows *rs, const sk_schema *schema, const char *sortarg,
		   uint64_t top)
{
	rs->top = top;
	if (!sortarg)
		return;
	const char *name = sortarg;
	if (*name == '-' || *name == '+')
		rs->desc = *name++ == '-';
	size_t from = rs->flags & SK_ROWS_WINDOW ? 0 : rs->nlead;
	for (size_t c = from; c < rs->ncol; c++)
		if (sk_str_eq(sk_schema_name(schema, rs->slot[c]), name,
			      strlen(name))) {
			rs->sortcol = (long)c;
			return;
		}
	sk_usage_error("--sort: no output column '%s'", name);
}

/* The sort column's value of the row being put: n bytes at off in
 * rs->buf; has: 0 when it holds no value. */
static void note_sort(sk_rows *rs, size_t off, size_t n, int has)
{
	sk_row *r = &rs->row[rs->nrow];
	sk_num v;
	r->s.soff = off;
	r->slen = n;
	r->has = rs->flags & SK_ROWS_WINDOW ? n > 0 : has != 0;
	r->isnum = (uint8_t)sk_num_parse(rs->buf.p + off, n, &v);
	r->num = r->isnum ? v.d : 0;
}

/* One field of the row being put: into the output record, or kept with
 * its row for --sort. has: 0 when it holds no value. */
static void put_field(sk_rows *rs, size_t c, const char *p, size_t n,
		      int kind, int has)
{
	if (!p)
		p = "";
	if (rs->sortcol < 0) {
		sk_record *o = &rs->out;
		sk_rec_push(o, rs->slot[c], sk_arena_dup(&o->arena, p, n), n,
			    kind);
		return;
	}
	rowfield h = { rs->slot[c], (uint32_t)kind, (uint32_t)n };
	sk_buf_put(&rs->buf, (const char *)&h, sizeof h);
	size_t off = rs->buf.len;
	sk_buf_put(&rs->buf, p, n);
	if ((long)c == rs->sortcol)
		note_sort(rs, off, n, has);
}

/* Appends aggregate a's text on state st (NULL: none) to out: its result
 * (with total, for share) or its --partial state. Returns SK_AGG_R_KIND of
 * its kind, or 0 for no value. */
static int agg_text(const sk_rows *rs, const sk_agg *a, void *st,
		    double total, sk_buf *out)
{
	if (!st)
		return 0;
	if (rs->flags & SK_ROWS_PARTIAL) {
		sk_agg_state_write(a, st, out);
		return SK_AGG_R_TEXT;
	}
	return sk_agg_result(a, st, total, out);
}

/* An aggregate's field of a row kept for --sort: its text straight into
 * rs->buf, after a header filled in once its length is known. */
static void keep_agg(sk_rows *rs, size_t c, const sk_agg *a, void *st,
		     double total)
{
	rowfield h = { rs->slot[c], 0, 0 };
	size_t at = rs->buf.len;
	sk_buf_put(&rs->buf, (const char *)&h, sizeof h);
	size_t off = rs->buf.len;
	int r = agg_text(rs, a, st, total, &rs->buf);
	if (!r) {
		rs->buf.len = off; /* no value: no bytes */
		rs->buf.p[off] = 0;
	}
	h.kind = r ? (uint32_t)SK_AGG_R_FIELD_KIND(r) : SK_FK_TEXT;
	h.n = (uint32_t)(rs->buf.len - off);
	memcpy(rs->buf.p + at, &h, sizeof h);
	if ((long)c == rs->sortcol)
		note_sort(rs, off, h.n, r);
}

void sk_rows_put(sk_rows *rs, const sk_str *lead, const char *key,
		 size_t keylen, const uint8_t *kinds, void *block,
		 const double *totals)
{
	if (sk_rows_full(rs))
		return;
	if (rs->sortcol < 0) {
		sk_rec_clear(&rs->out);
	} else {
		SK_GROW(rs->row, rs->rowcap, rs->nrow + 1);
		sk_row *r = &rs->row[rs->nrow];
		memset(r, 0, sizeof *r);
		r->off = rs->buf.len;
		r->seq = rs->nrow;
	}
	size_t c = 0;
	for (size_t i = 0; i < rs->nlead; i++, c++)
		put_field(rs, c, lead[i].p, lead[i].n, SK_FK_TEXT, 1);
	size_t pos = 0;
	for (size_t i = 0; i < rs->nkeys; i++, c++) {
		sk_str k = sk_key_field(key, keylen, rs->nkeys, &pos, &rs->key);
		put_field(rs, c, k.p, k.n, kinds ? kinds[i] : SK_FK_TEXT, 1);
	}
	for (size_t i = 0; i < rs->aggs->n; i++, c++) {
		const sk_agg *a = &rs->aggs->a[i];
		void *st = block ? (char *)block + a->off : NULL;
		double total = block ? totals[i] : 0;
		if (rs->sortcol >= 0) {
			keep_agg(rs, c, a, st, total);
			continue;
		}
		sk_buf_clear(&rs->text);
		int r = agg_text(rs, a, st, total, &rs->text);
		put_field(rs, c, rs->text.p, r ? rs->text.len : 0,
			  r ? SK_AGG_R_FIELD_KIND(r) : SK_FK_TEXT, r);
	}
	if (rs->sortcol >= 0) {
		rs->row[rs->nrow++].end = rs->buf.len;
		return;
	}
	rs->out.modified = 1;
	sk_write(rs->wr, &rs->out);
	rs->nout++;
}

/* Fields with no value go last either way; NaN after every number either
 * way (but before the empty fields); numbers by value, else bytes; ties in
 * the order the rows came. */
static inline int row_cmp(const sk_row *a, const sk_row *b, int desc)
{
	if (!a->has != !b->has)
		return a->has ? -1 : 1;
	int r;
	if (a->isnum && b->isnum && isnan(a->num) != isnan(b->num))
		return isnan(a->num) ? 1 : -1;
	if (a->isnum && b->isnum) {
		r = (a->num > b->num) - (a->num < b->num);
	} else {
		size_t n = a->slen < b->slen ? a->slen : b->slen;
		r = n ? memcmp(a->s.sp, b->s.sp, n) : 0;
		if (!r)
			r = (a->slen > b->slen) - (a->slen < b->slen);
	}
	if (desc)
		r = -r;
	return r ? r : (a->seq > b->seq) - (a->seq < b->seq);
}

static int row_cmp_asc(const void *a, const void *b)
{
	return row_cmp(a, b, 0);
}

static int row_cmp_desc(const void *a, const void *b)
{
	return row_cmp(a, b, 1);
}

void sk_rows_flush_kept(sk_rows *rs)
{
	for (size_t i = 0; i < rs->nrow; i++)
		rs->row[i].s.sp = rs->buf.p + rs->row[i].s.soff;
	qsort(rs->row, rs->nrow, sizeof *rs->row,
	      rs->desc ? row_cmp_desc : row_cmp_asc);
	size_t n = rs->top && rs->top < rs->nrow ? (size_t)rs->top : rs->nrow;
	sk_record *o = &rs->out;
	for (size_t i = 0; i < n; i++) {
		sk_rec_clear(o);
		for (size_t at = rs->row[i].off; at < rs->row[i].end;) {
			rowfield h;
			memcpy(&h, rs->buf.p + at, sizeof h);
			at += sizeof h;
			sk_rec_push(o, h.slot, sk_arena_dup(&o->arena,
				    rs->buf.p + at, h.n), h.n, (int)h.kind);
			at += h.n;
		}
		o->modified = 1;
		sk_write(rs->wr, o);
	}
	rs->nrow = 0;
	sk_buf_clear(&rs->buf);
}

void sk_rows_write_header(sk_rows *rs)
{
	sk_record *o = &rs->out;
	sk_rec_clear(o);
	for (size_t c = 0; c < rs->ncol; c++)
		sk_rec_push(o, rs->slot[c], "", 0, SK_FK_TEXT);
	sk_write_header(rs->wr, o);
}

void sk_rows_free(sk_rows *rs)
{
	sk_rec_free(&rs->out);
	sk_buf_free(&rs->key);
	sk_buf_free(&rs->text);
	sk_buf_free(&rs->buf);
	free(rs->row);
	free(rs->slot);
	memset(rs, 0, sizeof *rs);
}

/* Group blocks are aligned for the states: 8 bytes when every state is
 * (saves up to 8 bytes a group), else 16 (long double). */
enum { GROUP_ALIGN_SMALL = 8, GROUP_ALIGN = 16 };

static void free_block(void *val, void *ctx)
{
	sk_aggs_free_block(ctx, val);
}

void sk_group_init(sk_group *g, const sk_aggs *aggs, const sk_fref *keys,
		   size_t nkeys)
{
	memset(g, 0, sizeof *g);
	g->aggs = aggs;
	g->keys = keys;
	g->nkeys = nkeys;
	g->kindoff = aggs->size;
	size_t align = !aggs->n || aggs->align == GROUP_ALIGN_SMALL ?
		GROUP_ALIGN_SMALL : GROUP_ALIGN;
	g->ty.val_destroy = aggs->n ? free_block : NULL;
	g->ty.val_align = align;
	g->ty.val_size = (g->kindoff + nkeys + align - 1) & ~(align - 1);
	if (!g->ty.val_size)
		g->ty.val_size = GROUP_ALIGN;
	/* the callbacks get the aggregate list: aggs outlives the table */
	sk_hash_init(&g->h, &g->ty, (void *)aggs);
}

void sk_group_new_block(sk_group *g, void *block, const sk_record *r)
{
	if (g->aggs->n)
		sk_aggs_init_block(g->aggs, block);
	uint8_t *kind = (uint8_t *)block + g->kindoff;
	for (size_t i = 0; i < g->nkeys; i++) {
		sk_field f;
		kind[i] = sk_rec_ref(r, &g->keys[i], &f) ? f.kind : SK_FK_TEXT;
	}
}

void *sk_group_find(const sk_group *g, const char *key, size_t n)
{
	sk_hash_ent *e = sk_hash_find(&g->h, key, n, sk_hash_bytes(key, n));
	return e ? sk_hash_val(&g->h, e) : NULL;
}

/* A group in the running for --top: its sort value as a kept row has it
 * (row_cmp reads has, isnum, num and seq; a value-less one has no bytes),
 * and its hash entry. */
typedef struct cand {
	sk_row r;
	sk_hash_ent *e;
} cand;

/* Whether candidate a sorts after b: the heap's root is the one that
 * would be cut first. */
static inline int cand_after(const cand *a, const cand *b, int desc)
{
	return row_cmp(&a->r, &b->r, desc) > 0;
}

static void cand_down(cand *h, size_t n, size_t i, int desc)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < n && cand_after(&h[l], &h[m], desc))
			m = l;
		if (l + 1 < n && cand_after(&h[l + 1], &h[m], desc))
			m = l + 1;
		if (m == i)
			return;
		cand t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static int cand_seq(const void *a, const void *b)
{
	size_t x = ((const cand *)a)->r.seq, y = ((const cand *)b)->r.seq;
	return (x > y) - (x < y);
}

/*
 * --sort on an aggregate with a numeric value and --top N of more groups:
 * ranks every group by that value alone (a heap of the best N, by the
 * order of sk_rows_flush_kept), then puts only those N rows, in the order
 * the groups came, so the output is what sorting all of them gives
 * without the text of every group's fields. 0 when it does not apply.
 */
static int top_groups(sk_group *g, sk_rows *rs, const sk_str *lead,
		      const double *totals)
{
	size_t first = rs->nlead + rs->nkeys, live = g->h.live;
	if (rs->sortcol < (long)first || !rs->top || rs->top >= live ||
	    rs->nrow || rs->flags & SK_ROWS_PARTIAL)
		return 0;
	size_t ai = (size_t)rs->sortcol - first;
	const sk_agg *a = &g->aggs->a[ai];
	if (!a->def->value)
		return 0;
	size_t k = (size_t)rs->top, n = 0, seq = 0;
	cand *h = sk_xcalloc(k, sizeof *h);
	sk_hash_iter it;
	sk_hash_ent *e;
	for (sk_hash_iter_init(&g->h, &it); (e = sk_hash_next(&g->h, &it));
	     seq++) {
		cand c = { .e = e };
		c.r.seq = seq;
		c.r.has = (uint8_t)sk_agg_value(a, (char *)sk_hash_val(&g->h, e) +
						a->off, totals[ai], &c.r.num);
		c.r.isnum = c.r.has;
		if (!c.r.has)
			c.r.num = 0;
		if (n < k) {
			h[n++] = c;
			if (n == k)
				for (size_t i = k / 2; i-- > 0; )
					cand_down(h, k, i, rs->desc);
		} else if (cand_after(&h[0], &c, rs->desc)) {
			h[0] = c;
			cand_down(h, k, 0, rs->desc);
		}
	}
	qsort(h, n, sizeof *h, cand_seq);
	for (size_t i = 0; i < n; i++) {
		void *blk = sk_hash_val(&g->h, h[i].e);
		sk_rows_put(rs, lead, h[i].e->key, h[i].e->n,
			    sk_group_kinds(g, blk), blk, totals);
	}
	free(h);
	sk_rows_flush(rs);
	return 1;
}

void sk_group_emit(sk_group *g, sk_rows *rs, const sk_str *lead)
{
	const sk_aggs *L = g->aggs;
	double *totals = sk_xcalloc(L->n + 1, sizeof *totals);
	sk_hash_iter it;
	sk_hash_ent *e;
	for (size_t i = 0; i < L->n; i++)
		if (L->a[i].needs_total)
			for (sk_hash_iter_init(&g->h, &it);
			     (e = sk_hash_next(&g->h, &it)); )
				totals[i] += sk_agg_share_part(&L->a[i],
					(char *)sk_hash_val(&g->h, e) + L->a[i].off);
	if (!g->nkeys && !g->h.live) {
		sk_key none = { .p = "", .n = 0 };
		(void)sk_group_get(g, &none, &rs->out);
	}
	if (top_groups(g, rs, lead, totals)) {
		free(totals);
		return;
	}
	if (rs->sortcol >= 0) {
		/* every group is a kept row: room for them at once, and for
		 * their fields' headers and about 8 bytes each */
		SK_GROW(rs->row, rs->rowcap, rs->nrow + g->h.live);
		sk_buf_reserve(&rs->buf, g->h.live * rs->ncol *
			       (sizeof(rowfield) + sizeof(double)));
	}
	for (sk_hash_iter_init(&g->h, &it);
	     !sk_rows_full(rs) && (e = sk_hash_next(&g->h, &it)); ) {
		void *blk = sk_hash_val(&g->h, e);
		sk_rows_put(rs, lead, e->key, e->n, sk_group_kinds(g, blk), blk,
			    totals);
	}
	sk_rows_flush(rs);
	free(totals);
}

void sk_group_merge(sk_group *g, const sk_rows *rs, struct sk_tool *t,
		    sk_record *r, const sk_key *k, const char *keyarg)
{
	const sk_aggs *L = g->aggs;
	const uint32_t *aggslot = rs->slot + rs->nlead + rs->nkeys;
	const sk_field *f0 = sk_rec_get(r, aggslot[0]);
	const char *name0 = L->a[0].name;
	size_t ncol = g->nkeys + L->n;
	if (f0 && sk_str_eq((sk_str){ f0->p, f0->n }, name0, strlen(name0)))
		return;
	sk_rec_finish(r);
	if (r->nf != ncol) {
		sk_tool_bad(t, r, SK_BAD_PARTIAL, "%zu column%s, not %zu: "
			    "not --partial output of these keys and aggregates",
			    r->nf, r->nf == 1 ? "" : "s", ncol);
		return;
	}
	/* keys by name: a partial made with another -g has other columns */
	for (size_t i = 0; i < g->nkeys; i++) {
		sk_field f;
		if (!sk_rec_ref(r, &g->keys[i], &f)) {
			sk_str kn = sk_schema_name(&t->schema, g->keys[i].slot);
			sk_tool_bad(t, r, SK_BAD_PARTIAL, "no key column '%.*s': "
				    "not --partial output of -g %s", (int)kn.n,
				    kn.p, keyarg);
			return;
		}
	}
	/* every state read before any is merged: a bad row merges nothing */
	if (!g->scratch)
		g->scratch = sk_xcalloc(1, g->ty.val_size);
	for (size_t i = 0; i < L->n; i++) {
		const sk_agg *a = &L->a[i];
		const sk_field *f = sk_rec_get(r, aggslot[i]);
		void *st = (char *)g->scratch + a->off;
		sk_buf_clear(&g->err);
		if (f)
			sk_agg_init(a, st);
		if (!f || !sk_agg_state_read(a, st, f->p, f->n, &g->err)) {
			for (size_t j = 0; j < i + (f != NULL); j++)
				sk_agg_free(&L->a[j], (char *)g->scratch + L->a[j].off);
			if (!f)
				sk_tool_bad(t, r, SK_BAD_PARTIAL, "no column '%s' "
					    "(not --partial output of these aggregates?)",
					    a->name);
			else
				sk_tool_bad(t, r, SK_BAD_PARTIAL, "%s: %s", a->name,
					    g->err.p);
			return;
		}
	}
	void *dst = sk_group_get(g, k, r);
	for (size_t i = 0; i < L->n; i++) {
		const sk_agg *a = &L->a[i];
		void *st = (char *)g->scratch + a->off;
		sk_agg_merge(a, (char *)dst + a->off, st);
		sk_agg_free(a, st);
	}
}

void sk_group_save(sk_group *g, sk_buf *out)
{
	const sk_aggs *L = g->aggs;
	sk_buf txt = { 0 };
	sk_state_u64(out, sk_hash_count(&g->h));
	sk_hash_iter it;
	sk_hash_ent *e;
	for (sk_hash_iter_init(&g->h, &it); (e = sk_hash_next(&g->h, &it)); ) {
		char *blk = sk_hash_val(&g->h, e);
		sk_state_str(out, e->key, e->n);
		sk_buf_put(out, blk + g->kindoff, g->nkeys);
		for (size_t i = 0; i < L->n; i++) {
			sk_buf_clear(&txt);
			sk_agg_state_write(&L->a[i], blk + L->a[i].off, &txt);
			sk_state_str(out, txt.p, txt.len);
		}
	}
	sk_buf_free(&txt);
}

int sk_group_load(sk_group *g, sk_cur *c, sk_buf *err)
{
	const sk_aggs *L = g->aggs;
	/* a group is at least its key's length and each state's */
	uint64_t n = sk_cur_count(c, 4 + g->nkeys + 4 * L->n);
	if (c->bad) {
		sk_buf_puts(err, "damaged: bad count of groups");
		return 0;
	}
	for (uint64_t k = 0; k < n; k++) {
		sk_str key = sk_cur_str(c);
		const unsigned char *kinds = sk_cur_bytes(c, g->nkeys);
		if (c->bad) {
			sk_buf_puts(err, "damaged: a group runs past the end");
			return 0;
		}
		for (size_t i = 0; i < g->nkeys; i++)
			if (kinds[i] > SK_FK_JSON) {
				sk_buf_puts(err, "damaged: bad key kind");
				return 0;
			}
		int isnew;
		sk_hash_ent *e = sk_hash_put(&g->h, key.p, key.n,
					     sk_hash_bytes(key.p, key.n), &isnew);
		if (!isnew) {
			sk_buf_puts(err, "damaged: a group twice");
			return 0;
		}
		char *blk = sk_hash_val(&g->h, e);
		if (L->n)
			sk_aggs_init_block(L, blk);
		memcpy(blk + g->kindoff, kinds, g->nkeys);
		for (size_t i = 0; i < L->n; i++) {
			sk_str t = sk_cur_str(c);
			if (c->bad) {
				sk_buf_puts(err, "damaged: a group runs past the end");
				return 0;
			}
			/* the block was initialised whole: a state that does
			 * not read leaves one fit to be freed */
			if (!sk_agg_state_read(&L->a[i], blk + L->a[i].off,
					       t.p, t.n, err))
				return 0;
		}
	}
	if (c->p != c->end) {
		sk_buf_puts(err, "damaged: bytes after the groups");
		return 0;
	}
	return 1;
}

void sk_group_absorb(sk_group *g, sk_group *src)
{
	const sk_aggs *L = g->aggs;
	sk_hash_iter it;
	sk_hash_ent *e;
	if (!sk_hash_count(&g->h) && g->ty.val_size == src->ty.val_size &&
	    g->ty.val_align == src->ty.val_align) {
		sk_hash_free(&g->h);
		g->h = src->h;
		g->h.type = &g->ty;
		g->h.ctx = (void *)g->aggs;
		memset(&src->h, 0, sizeof src->h);
		sk_hash_init(&src->h, &src->ty, (void *)src->aggs);
		return;
	}
	for (sk_hash_iter_init(&src->h, &it); (e = sk_hash_next(&src->h, &it)); ) {
		int isnew;
		sk_hash_ent *d = sk_hash_put(&g->h, e->key, e->n,
					     sk_hash_bytes(e->key, e->n), &isnew);
		void *dst = sk_hash_val(&g->h, d);
		const void *blk = sk_hash_val(&src->h, e);
		if (isnew) {
			if (L->n)
				sk_aggs_init_block(L, dst);
			memcpy((char *)dst + g->kindoff,
			       (const char *)blk + src->kindoff, g->nkeys);
		}
		if (L->n)
			sk_aggs_merge_block(L, dst, blk);
	}
	sk_hash_free(&src->h);
	sk_hash_init(&src->h, &src->ty, (void *)src->aggs);
}

void sk_group_free(sk_group *g)
{
	sk_hash_free(&g->h);
	free(g->scratch);
	sk_buf_free(&g->err);
	memset(g, 0, sizeof *g);
}

void sk_group_bad(const sk_agg_list *l, struct sk_tool *t, sk_record *r,
		  long bad)
{
	if (l->err) {
		sk_tool_bad(t, r, SK_BAD_REGEX, "%s: %s", l->items[bad].argsrc[0],
			    l->err);
	} else {
		const sk_agg_in *in = &l->in[bad];
		sk_tool_bad(t, r, SK_BAD_NUMBER, "%s: not a number: \"%.*s\"",
			    l->items[bad].argsrc[0], (int)in->n, in->s);
	}
}

void sk_snaps_start(sk_snaps *s)
{
	s->next = sk_now();
	if (s->interval)
		s->next = sk_tick_after(s->next, s->interval, s->next);
}

int sk_snaps_record(sk_snaps *s)
{
	s->nrec++;
	if (s->every && s->nrec % s->every == 0)
		return SK_SNAP_EVERY;
	if (s->interval && s->nrec % SK_SNAP_CLOCK_EVERY == 0 &&
	    sk_now() >= s->next)
		return SK_SNAP_CLOCK;
	return SK_SNAP_NONE;
}

int sk_snaps_tick(sk_snaps *s, int *wait_ms)
{
	*wait_ms = -1;
	if (!s->interval)
		return 0;
	int64_t now = sk_now();
	int due = now >= s->next;
	if (due)
		s->next = sk_tick_after(s->next, s->interval, now);
	*wait_ms = sk_wait_ms(s->next - now);
	return due;
}

size_t sk_snaps_time(const sk_snaps *s, char *buf, size_t cap)
{
	int64_t unit = s->interval % SK_NS_PER_SEC ? SK_NS_PER_MS : SK_NS_PER_SEC;
	return sk_time_fmt_kind(buf, cap, SK_TK_ISO,
				sk_time_floor(sk_now(), unit, 0));
}

void sk_group_write(sk_group *g, sk_rows *rs, const sk_snaps *s)
{
	char tm[SK_TIME_BUFSZ] = "";
	sk_str lead = { tm, rs->nlead ? sk_snaps_time(s, tm, sizeof tm) : 0 };
	sk_group_emit(g, rs, &lead);
}
