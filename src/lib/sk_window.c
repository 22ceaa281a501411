/* sk_window: the window engine of stream-window: panes, sessions, count
 * rings, the watermark, lateness and ordered firing. */
#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include "sk_hash.h"
#include "sk_state.h"
#include "sk_time.h"
#include "sk_window.h"

/*
 * Time windows (tumbling, sliding) keep one state per key and pane, a pane
 * being gcd(size, slide) wide, so a window is the merge of its panes and a
 * pane is freed as soon as the last window holding it is purged. Panes of
 * all keys that start at the same time are listed in a pane group (sorted
 * by start), which is how firing finds the keys of a window without
 * looking at idle keys.
 *
 * Sessions sit in a heap by deadline (end while open, end + update_late
 * once fired). A session that grows is not pushed again: when its entry
 * comes up, it goes back in with its new deadline, so the heap holds about
 * one entry per session, never one per record.
 *
 * Count windows keep a ring of count/gcd(count, cslide) panes per key.
 */

enum {
	/* a state block of an empty aggregate list still gets this many
	 * bytes, so no block is malloc(0) */
	BLOCK_MIN = 16,
	/* the key table is built anew once at least this many keys are
	 * forgotten (and they outnumber the live ones) */
	COMPACT_MIN = 256,
	/* sessions are allocated this many at a time */
	SESS_CHUNK = 256,
	/* a key's first panes or sessions: most keys have one or two */
	KEY_ARRAY_MIN = 4,
};

typedef struct pane {
	int64_t start;
	void *blk;
} pane;

typedef struct sess {
	int64_t start, end;  /* end = last record + gap */
	int64_t heap_dl;     /* deadline of its live heap entry */
	uint64_t id;         /* 0: free */
	void *blk;
	struct wkey *key;
	int fired;
	struct sess *next;   /* free list */
} sess;

typedef struct cpane {
	int64_t first, last;
	void *blk;
} cpane;

typedef struct wkey {
	const char *k;
	uint32_t n;
	uint64_t pfx;        /* key_prefix(k, n) */
	pane *p;             /* time panes, sorted by start */
	size_t np, pcap;
	sess **s;            /* sessions, sorted by start, never touching */
	size_t ns, scap;
	cpane *c;            /* count: ring of panes */
	size_t chead, cn;
	uint64_t nrec;       /* count: records so far */
	uint64_t unext;      /* count, --emit update: the window (the record
			      * number it fires at) of the last row, and */
	int64_t ustart, uend; /* its bounds */
	uint64_t stamp;      /* firing: already listed in this window */
	struct wkey *fwd;    /* compaction: where the key moved */
} wkey;

typedef struct pgroup {
	int64_t start;
	wkey **k;
	size_t n, cap;
	void **blk;          /* blk[j]: key k[j]'s pane here (NULL: not kept) */
	size_t bcap;
} pgroup;

typedef struct hent {
	int64_t dl;
	uint64_t id;
	sess *s;
} hent;

typedef struct row {
	int64_t start, end;
	uint64_t pfx;        /* the key's: most rows sort without its bytes */
	wkey *k;
	void *blk;           /* NULL: merge the key's panes in [start, end) */
} row;

struct sk_win {
	sk_win_conf c;
	const sk_aggs *L;
	sk_win_emit_fn emit;
	void *ctx;
	int needs_total;
	int64_t pane;        /* time: pane width */
	int64_t end_off;     /* time: (offset + size) mod slide, window ends' alignment */
	size_t ring;         /* count: panes per key */
	uint64_t cpane;      /* count: records per pane */
	int64_t wm, maxt;
	int64_t fired_end;   /* time: windows ending at or before have fired */
	int has_fired;
	/* sk_win_drain: the windows ending at or before drain_mark were all
	 * written and dropped, so a record for them only is late, whatever
	 * update_late keeps (their states are gone) */
	int64_t drain_mark;
	int drained;
	sk_hash keys;
	size_t ndead;        /* keys forgotten since the table was built */
	pgroup *pg;
	size_t npg, pgcap;
	hent *heap;
	size_t nheap, heapcap;
	sess *sfree;
	sess **schunks;
	size_t nschunks, schunkcap;
	uint64_t next_id;
	void **bfree;        /* free state blocks */
	size_t nbfree, bfcap;
	size_t nblocks;      /* live state blocks */
	void *acc;           /* scratch block for merges */
	row *rows;
	size_t nrows, rowcap;
	double *totals;
	uint64_t serial;
};

/* Greatest common divisor of two positive numbers (the pane width). */
static int64_t gcd(int64_t a, int64_t b)
{
	while (b) {
		int64_t r = a % b;
		a = b;
		b = r;
	}
	return a;
}

/* State blocks come from a free list, so a steady stream allocates none. */
static void *blk_new(sk_win *w)
{
	void *b = w->nbfree ? w->bfree[--w->nbfree]
			    : sk_xmalloc(w->L->size ? w->L->size : BLOCK_MIN);
	sk_aggs_init_block(w->L, b);
	w->nblocks++;
	return b;
}

static void blk_free(sk_win *w, void *b)
{
	sk_aggs_free_block(w->L, b);
	SK_GROW(w->bfree, w->bfcap, w->nbfree + 1);
	w->bfree[w->nbfree++] = b;
	w->nblocks--;
}

static void key_destroy(void *val, void *ctx)
{
	sk_win *w = ctx;
	wkey *k = val;
	for (size_t i = 0; i < k->np; i++)
		blk_free(w, k->p[i].blk);
	free(k->p);
	for (size_t i = 0; i < k->ns; i++) {
		blk_free(w, k->s[i]->blk);
		k->s[i]->id = 0;
	}
	free(k->s);
	for (size_t i = 0; i < k->cn; i++)
		blk_free(w, k->c[(k->chead + i) % w->ring].blk);
	free(k->c);
}

static const sk_hash_type key_type = { sizeof(wkey), key_destroy, 0 };
/* The old table after compaction: its values moved, nothing to destroy. */
static const sk_hash_type moved_type = { sizeof(wkey), NULL, 0 };

/*
 * A key with no window left (no pane, no session, open or kept for
 * --update-late) is forgotten: a stream of ever new keys (clients, user
 * ids) keeps only the keys of the open windows. Count windows never end,
 * so their keys stay.
 */
static void key_forget(sk_win *w, wkey *k)
{
	if (k->np || k->ns || w->c.type == SK_WIN_COUNT)
		return;
	sk_hash_del(&w->keys, (sk_hash_ent *)(void *)(k->k - offsetof(sk_hash_ent, key)));
	w->ndead++;
}

/*
 * The table keeps a deleted entry's storage until it is freed, so when the
 * forgotten keys outnumber the live ones it is built anew with the live
 * keys only, and the pane groups and sessions pointing at them follow.
 * Called between records, when no row is pending.
 */
static void keys_compact(sk_win *w)
{
	if (w->ndead < COMPACT_MIN || w->ndead < sk_hash_count(&w->keys))
		return;
	sk_hash nk;
	sk_hash_init(&nk, &key_type, w);
	sk_hash_iter it;
	sk_hash_ent *e;
	for (sk_hash_iter_init(&w->keys, &it); (e = sk_hash_next(&w->keys, &it)); ) {
		wkey *o = sk_hash_val(&w->keys, e);
		int isnew;
		sk_hash_ent *ne = sk_hash_put(&nk, e->key, e->n, sk_hash_bytes(e->key, e->n),
					      &isnew);
		wkey *k = sk_hash_val(&nk, ne);
		*k = *o;
		k->k = ne->key;
		o->fwd = k;
		for (size_t i = 0; i < k->ns; i++)
			k->s[i]->key = k;
	}
	for (size_t g = 0; g < w->npg; g++)
		for (size_t j = 0; j < w->pg[g].n; j++)
			w->pg[g].k[j] = w->pg[g].k[j]->fwd;
	w->keys.type = &moved_type;
	sk_hash_free(&w->keys);
	w->keys = nk;
	w->ndead = 0;
}

sk_win *sk_win_new(const sk_win_conf *c, const sk_aggs *L,
		   sk_win_emit_fn emit, void *ctx)
{
	sk_win *w = sk_xcalloc(1, sizeof *w);
	w->c = *c;
	if (w->c.type == SK_WIN_TUMBLING)
		w->c.slide = w->c.size;
	if (w->c.type == SK_WIN_COUNT && w->c.cslide == 0)
		w->c.cslide = w->c.count;
	w->L = L;
	w->emit = emit;
	w->ctx = ctx;
	for (size_t i = 0; i < L->n; i++)
		if (L->a[i].needs_total)
			w->needs_total = 1;
	if (w->c.type == SK_WIN_TUMBLING || w->c.type == SK_WIN_SLIDING) {
		w->pane = gcd(w->c.size, w->c.slide);
		/* only offset mod slide matters: in [0, slide), and the ends'
		 * alignment the same way, so no sum can overflow */
		int64_t sl = w->c.slide, a = w->c.offset % sl, b = w->c.size % sl;
		if (a < 0)
			a += sl;
		w->c.offset = a;
		w->end_off = a >= sl - b ? a - (sl - b) : a + b;
	}
	if (w->c.type == SK_WIN_COUNT) {
		w->cpane = w->c.count;
		uint64_t a = w->c.count, b = w->c.cslide;
		while (b) {
			uint64_t r = a % b;
			a = b;
			b = r;
		}
		w->cpane = a;
		w->ring = (size_t)(w->c.count / a);
	}
	w->wm = INT64_MIN;
	w->maxt = INT64_MIN;
	w->next_id = 1;
	sk_hash_init(&w->keys, &key_type, w);
	w->acc = sk_xmalloc(L->size ? L->size : BLOCK_MIN);
	w->totals = sk_xcalloc(L->n ? L->n : 1, sizeof *w->totals);
	return w;
}

/* The first 8 bytes of a key, big-endian, zero-padded: as numbers they
 * order as the bytes do, so two keys whose prefixes differ compare without
 * reaching their bytes (a cache miss each, log n times per row sorted). */
static uint64_t key_prefix(const char *k, size_t n)
{
	unsigned char b[8] = { 0 };
	memcpy(b, k, n < 8 ? n : 8);
	uint64_t v;
	memcpy(&v, b, 8);
	return be64toh(v);
}

static wkey *key_get(sk_win *w, const char *k, size_t n)
{
	int isnew;
	sk_hash_ent *e = sk_hash_put(&w->keys, k, n, sk_hash_bytes(k, n), &isnew);
	wkey *key = sk_hash_val(&w->keys, e);
	if (isnew) {
		key->k = e->key;
		key->n = e->n;
		key->pfx = key_prefix(key->k, key->n);
		if (w->c.type == SK_WIN_COUNT)
			key->c = sk_xcalloc(w->ring, sizeof *key->c);
	}
	return key;
}

/* ---- rows: collected, sorted by end, start, key, then emitted ---- */

static void row_push(sk_win *w, int64_t start, int64_t end, wkey *k, void *blk)
{
	SK_GROW(w->rows, w->rowcap, w->nrows + 1);
	w->rows[w->nrows++] = (row){ start, end, k->pfx, k, blk };
}

static int key_cmp(const wkey *a, const wkey *b)
{
	size_t n = a->n < b->n ? a->n : b->n;
	int c = n ? memcmp(a->k, b->k, n) : 0;
	if (c)
		return c;
	return (a->n > b->n) - (a->n < b->n);
}

static int row_cmp(const void *pa, const void *pb)
{
	const row *a = pa, *b = pb;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->pfx != b->pfx)
		return a->pfx < b->pfx ? -1 : 1;
	return key_cmp(a->k, b->k);
}

/* The state of key k over the time window [ws, we): its one pane as is,
 * or its panes merged into the scratch block. */
static void *key_window(sk_win *w, wkey *k, int64_t ws, int64_t we, int *merged)
{
	size_t i = 0, first = SIZE_MAX, cnt = 0;
	for (; i < k->np; i++) {
		if (k->p[i].start >= we)
			break;
		if (k->p[i].start >= ws) {
			if (first == SIZE_MAX)
				first = i;
			cnt++;
		}
	}
	*merged = 0;
	if (cnt == 1)
		return k->p[first].blk;
	sk_aggs_init_block(w->L, w->acc);
	for (i = first; cnt > 0; i++, cnt--)
		sk_aggs_merge_block(w->L, w->acc, k->p[i].blk);
	*merged = 1;
	return w->acc;
}

static void add_parts(sk_win *w, const void *blk)
{
	for (size_t i = 0; i < w->L->n; i++)
		if (w->L->a[i].needs_total)
			w->totals[i] += sk_agg_share_part(&w->L->a[i],
							  (const char *)blk + w->L->a[i].off);
}

/* Sums of the share parts of every key's panes in [ws, we). */
static void window_totals(sk_win *w, int64_t ws, int64_t we)
{
	memset(w->totals, 0, w->L->n * sizeof *w->totals);
	if (!w->needs_total)
		return;
	for (size_t g = 0; g < w->npg; g++) {
		pgroup *pg = &w->pg[g];
		if (pg->start < ws || pg->start >= we)
			continue;
		for (size_t j = 0; j < pg->n; j++) {
			wkey *k = pg->k[j];
			for (size_t i = 0; i < k->np; i++)
				if (k->p[i].start == pg->start)
					add_parts(w, k->p[i].blk);
		}
	}
}

static void emit_one(sk_win *w, const row *r)
{
	int merged = 0;
	void *blk = r->blk ? r->blk : key_window(w, r->k, r->start, r->end, &merged);
	w->emit(w->ctx, r->start, r->end, r->k->k, r->k->n, blk, w->totals);
	if (merged)
		sk_aggs_free_block(w->L, w->acc);
}

/* Emits the collected rows in order; totals are per window. */
static void emit_rows(sk_win *w)
{
	if (w->nrows > 1)
		qsort(w->rows, w->nrows, sizeof *w->rows, row_cmp);
	for (size_t i = 0; i < w->nrows;) {
		size_t j = i;
		while (j < w->nrows && w->rows[j].start == w->rows[i].start &&
		       w->rows[j].end == w->rows[i].end)
			j++;
		if (w->needs_total) {
			if (w->rows[i].blk) {
				memset(w->totals, 0, w->L->n * sizeof *w->totals);
				for (size_t r = i; r < j; r++)
					add_parts(w, w->rows[r].blk);
			} else {
				window_totals(w, w->rows[i].start, w->rows[i].end);
			}
		}
		for (size_t r = i; r < j; r++)
			emit_one(w, &w->rows[r]);
		i = j;
	}
	w->nrows = 0;
}

/* One row now, for a single key (update and late re-emissions). */
static void emit_single(sk_win *w, int64_t start, int64_t end, wkey *k, void *blk)
{
	row r = { start, end, k->pfx, k, blk };
	if (w->needs_total) {
		if (blk) {
			memset(w->totals, 0, w->L->n * sizeof *w->totals);
			add_parts(w, blk);
		} else {
			window_totals(w, start, end);
		}
	}
	emit_one(w, &r);
}

/* Under --emit update, a row that retracts the window [start, end) of key
 * k, which a session merge or a count window's new bounds replaced. */
static void emit_retract(sk_win *w, int64_t start, int64_t end, wkey *k)
{
	memset(w->totals, 0, w->L->n * sizeof *w->totals);
	w->emit(w->ctx, start, end, k->k, k->n, NULL, w->totals);
}

/* ---- time windows ---- */

/* The smallest window end greater than x, into *end; 0 if it is past
 * the int64 range. */
static int next_end(const sk_win *w, int64_t x, int64_t *end)
{
	return !__builtin_add_overflow(x, w->c.slide - sk_time_mod(x, w->c.slide, w->end_off),
				       end);
}

/* The end of the last window holding the pane starting at ps. */
static int64_t last_end(const sk_win *w, int64_t ps)
{
	return sk_time_floor(ps, w->c.slide, w->c.offset) + w->c.size;
}

/* Index of the first pane group starting at or after t. */
static size_t pg_find(const sk_win *w, int64_t t)
{
	size_t lo = 0, hi = w->npg;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w->pg[mid].start < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The next window to fire: its end, and the index of its first pane
 * group; 0 if no window holds data. */
static int next_window(const sk_win *w, int64_t *end, size_t *idx)
{
	int64_t from = INT64_MIN; /* the first start of a window not fired */
	if (w->has_fired) {
		int64_t e;
		if (!next_end(w, w->fired_end, &e))
			return 0; /* the last window that fits has fired */
		if (__builtin_sub_overflow(e, w->c.size, &from))
			from = INT64_MIN;
	}
	size_t i = pg_find(w, from);
	if (i >= w->npg)
		return 0;
	int64_t x = w->pg[i].start;
	if (w->has_fired && x < w->fired_end)
		x = w->fired_end;
	*idx = i;
	return next_end(w, x, end);
}

static void pane_group_purge(sk_win *w, pgroup *pg)
{
	for (size_t j = 0; j < pg->n; j++) {
		wkey *k = pg->k[j];
		for (size_t i = 0; i < k->np; i++) {
			if (k->p[i].start == pg->start) {
				blk_free(w, k->p[i].blk);
				memmove(k->p + i, k->p + i + 1, (k->np - i - 1) * sizeof *k->p);
				k->np--;
				break;
			}
		}
		key_forget(w, k);
	}
	free(pg->k);
	free(pg->blk);
}

/* Emits the time window ending at end for every key with data in it
 * (its panes start at pane group idx), each key once. */
static void emit_window(sk_win *w, int64_t end, size_t idx)
{
	int64_t start = end - w->c.size;
	/* one pane group in the window (every tumbling window): each key's
	 * state is its one pane there, its rows need not reach the key's
	 * panes to find it */
	if (idx < w->npg && w->pg[idx].blk &&
	    (idx + 1 == w->npg || w->pg[idx + 1].start >= end)) {
		pgroup *pg = &w->pg[idx];
		for (size_t j = 0; j < pg->n; j++)
			row_push(w, start, end, pg->k[j], pg->blk[j]);
		emit_rows(w);
		return;
	}
	w->serial++;
	for (size_t g = idx; g < w->npg && w->pg[g].start < end; g++)
		for (size_t j = 0; j < w->pg[g].n; j++) {
			wkey *k = w->pg[g].k[j];
			if (k->stamp != w->serial) {
				k->stamp = w->serial;
				row_push(w, start, end, k, NULL);
			}
		}
	emit_rows(w);
}

static void fire_time(sk_win *w)
{
	int64_t end;
	size_t idx;
	while (next_window(w, &end, &idx) && end <= w->wm) {
		if (w->c.emit == SK_WIN_EMIT_CLOSE)
			emit_window(w, end, idx);
		w->fired_end = end;
		w->has_fired = 1;
	}
	/* windows that closed without data count as fired too: a record for
	 * them is late (none has closed while the last end at or before the
	 * watermark is before the time range) */
	int64_t fe;
	if (sk_time_floor_chk(w->wm, w->c.slide, w->end_off, &fe)) {
		w->fired_end = fe;
		w->has_fired = 1;
	}
	size_t n = 0;
	while (n < w->npg && last_end(w, w->pg[n].start) + w->c.update_late <= w->wm)
		pane_group_purge(w, &w->pg[n++]);
	if (n) {
		memmove(w->pg, w->pg + n, (w->npg - n) * sizeof *w->pg);
		w->npg -= n;
	}
}

/* The key's state for the pane starting at ps, created if new. */
static void *pane_get(sk_win *w, wkey *k, int64_t ps)
{
	size_t i = k->np;
	while (i > 0 && k->p[i - 1].start > ps)
		i--;
	if (i > 0 && k->p[i - 1].start == ps)
		return k->p[i - 1].blk;
	/* from KEY_ARRAY_MIN: SK_GROW's first 8 would double a key's memory */
	SK_GROW_FROM(k->p, k->pcap, k->np + 1, KEY_ARRAY_MIN);
	memmove(k->p + i + 1, k->p + i, (k->np - i) * sizeof *k->p);
	k->np++;
	k->p[i].start = ps;
	k->p[i].blk = blk_new(w);
	size_t g = w->npg;
	while (g > 0 && w->pg[g - 1].start > ps)
		g--;
	if (!(g > 0 && w->pg[g - 1].start == ps)) {
		SK_GROW(w->pg, w->pgcap, w->npg + 1);
		memmove(w->pg + g + 1, w->pg + g, (w->npg - g) * sizeof *w->pg);
		w->npg++;
		memset(&w->pg[g], 0, sizeof w->pg[g]);
		w->pg[g].start = ps;
		g++;
	}
	pgroup *pg = &w->pg[g - 1];
	SK_GROW(pg->k, pg->cap, pg->n + 1);
	SK_GROW(pg->blk, pg->bcap, pg->n + 1);
	pg->blk[pg->n] = k->p[i].blk;
	pg->k[pg->n++] = k;
	return k->p[i].blk;
}

static int add_time(sk_win *w, int64_t t, const char *key, size_t n,
		    sk_win_add_fn add, void *actx)
{
	/* every window of t, from its start to its end plus --update-late,
	 * must fit in int64 ns (below INT64_MAX, the "nothing pending" mark) */
	int64_t ws_last, ws_first, last_dl;
	if (!sk_time_floor_chk(t, w->c.slide, w->c.offset, &ws_last) ||
	    __builtin_sub_overflow(ws_last, (w->c.size - 1 - (t - ws_last)) /
				   w->c.slide * w->c.slide, &ws_first) ||
	    __builtin_add_overflow(ws_last, w->c.size, &last_dl) ||
	    __builtin_add_overflow(last_dl, w->c.update_late, &last_dl) ||
	    last_dl == INT64_MAX)
		return SK_WIN_RANGE;
	if (w->wm != INT64_MIN && last_dl <= w->wm)
		return SK_WIN_LATE;
	if (w->drained && ws_last + w->c.size <= w->drain_mark)
		return SK_WIN_LATE;
	wkey *k = key_get(w, key, n);
	add(actx, pane_get(w, k, sk_time_floor(t, w->pane, w->c.offset)));
	/* the windows holding t, oldest first: re-emit the fired ones that
	 * are kept, and under --emit update the open ones too */
	for (int64_t ws = ws_first;; ws += w->c.slide) {
		int64_t we = ws + w->c.size;
		int fired = w->wm != INT64_MIN && we <= w->wm;
		if (w->drained && we <= w->drain_mark)
			; /* drained: written whole, its state gone */
		else if (fired ? we + w->c.update_late > w->wm :
			 w->c.emit == SK_WIN_EMIT_UPDATE)
			emit_single(w, ws, we, k, NULL);
		if (ws == ws_last)
			break;
	}
	return SK_WIN_OK;
}

/* ---- sessions ---- */

static int64_t sess_deadline(const sk_win *w, const sess *s)
{
	return s->fired ? s->end + w->c.update_late : s->end;
}

static void heap_push(sk_win *w, sess *s)
{
	SK_GROW(w->heap, w->heapcap, w->nheap + 1);
	s->heap_dl = sess_deadline(w, s);
	hent e = { s->heap_dl, s->id, s };
	size_t i = w->nheap++;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (w->heap[p].dl <= e.dl)
			break;
		w->heap[i] = w->heap[p];
		i = p;
	}
	w->heap[i] = e;
}

static hent heap_pop(sk_win *w)
{
	hent top = w->heap[0], last = w->heap[--w->nheap];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= w->nheap)
			break;
		if (c + 1 < w->nheap && w->heap[c + 1].dl < w->heap[c].dl)
			c++;
		if (last.dl <= w->heap[c].dl)
			break;
		w->heap[i] = w->heap[c];
		i = c;
	}
	if (w->nheap)
		w->heap[i] = last;
	return top;
}

/* Sessions live in chunks that are never freed before the engine, so a
 * stale heap entry can always look at its session's id. */
static sess *sess_new(sk_win *w)
{
	if (!w->sfree) {
		size_t n = SESS_CHUNK;
		sess *c = sk_xcalloc(n, sizeof *c);
		SK_GROW(w->schunks, w->schunkcap, w->nschunks + 1);
		w->schunks[w->nschunks++] = c;
		for (size_t i = 0; i < n; i++) {
			c[i].next = w->sfree;
			w->sfree = &c[i];
		}
	}
	sess *s = w->sfree;
	w->sfree = s->next;
	s->id = w->next_id++;
	s->fired = 0;
	s->blk = blk_new(w);
	return s;
}

/* Takes session i off its key's list and frees it. */
static void sess_drop(sk_win *w, wkey *k, size_t i)
{
	sess *s = k->s[i];
	memmove(k->s + i, k->s + i + 1, (k->ns - i - 1) * sizeof *k->s);
	k->ns--;
	blk_free(w, s->blk);
	s->id = 0;
	s->next = w->sfree;
	w->sfree = s;
}

/* A session's deadline went down (it was reopened): a new heap entry, the
 * old one becomes stale. */
static void sess_requeue(sk_win *w, sess *s)
{
	if (sess_deadline(w, s) < s->heap_dl) {
		s->id = w->next_id++;
		heap_push(w, s);
	}
}

static void fire_sessions(sk_win *w)
{
	sess **purge = NULL;
	size_t npurge = 0, purgecap = 0;
	while (w->nheap && w->heap[0].dl < w->wm) {
		hent e = heap_pop(w);
		sess *s = e.s;
		if (s->id != e.id)
			continue;
		if (sess_deadline(w, s) > e.dl) {
			heap_push(w, s);
			continue;
		}
		if (!s->fired) {
			if (w->c.emit == SK_WIN_EMIT_CLOSE)
				row_push(w, s->start, s->end, s->key, s->blk);
			s->fired = 1;
			heap_push(w, s);
		} else {
			SK_GROW(purge, purgecap, npurge + 1);
			purge[npurge++] = s;
		}
	}
	emit_rows(w);
	for (size_t i = 0; i < npurge; i++) {
		wkey *k = purge[i]->key;
		for (size_t j = 0; j < k->ns; j++)
			if (k->s[j] == purge[i]) {
				sess_drop(w, k, j);
				key_forget(w, k);
				break;
			}
	}
	free(purge);
}

static int add_session(sk_win *w, int64_t t, const char *key, size_t n,
		       sk_win_add_fn add, void *actx)
{
	int64_t gap = w->c.gap, dl;
	/* the session's end plus --update-late must fit, below INT64_MAX */
	if (__builtin_add_overflow(t, gap, &dl) ||
	    __builtin_add_overflow(dl, w->c.update_late, &dl) || dl == INT64_MAX)
		return SK_WIN_RANGE;
	/* at or before the end of a drained session: it would have joined
	 * one, written whole and gone */
	if (w->drained && t <= w->drain_mark)
		return SK_WIN_LATE;
	wkey *k = key_get(w, key, n);
	size_t i = 0;
	while (i < k->ns && k->s[i]->end < t)
		i++;
	size_t j = i;
	while (j < k->ns && k->s[j]->start <= t + gap)
		j++;
	sess *s;
	if (i == j) {
		/* a session of its own: late only if it would already be
		 * purged; within --update-late it is kept, fired */
		if (w->wm != INT64_MIN && w->wm > dl)
			return SK_WIN_LATE;
		s = sess_new(w);
		s->key = k;
		s->start = t;
		s->end = t + gap;
		s->fired = w->wm != INT64_MIN && w->wm > s->end;
		SK_GROW_FROM(k->s, k->scap, k->ns + 1, KEY_ARRAY_MIN);
		memmove(k->s + i + 1, k->s + i, (k->ns - i) * sizeof *k->s);
		k->s[i] = s;
		k->ns++;
		heap_push(w, s);
	} else {
		/* the record touches sessions i..j-1: they become one */
		s = k->s[i];
		int anyfired = s->fired;
		int64_t ns = t < s->start ? t : s->start;
		int64_t ne = t + gap > k->s[j - 1]->end ? t + gap : k->s[j - 1]->end;
		if (w->c.emit == SK_WIN_EMIT_UPDATE)
			for (size_t x = i; x < j; x++)
				if (k->s[x]->start != ns || k->s[x]->end != ne)
					emit_retract(w, k->s[x]->start, k->s[x]->end, k);
		if (t < s->start)
			s->start = t;
		if (t + gap > s->end)
			s->end = t + gap;
		while (j - 1 > i) {
			sess *o = k->s[i + 1];
			sk_aggs_merge_block(w->L, s->blk, o->blk);
			anyfired |= o->fired;
			if (o->end > s->end)
				s->end = o->end;
			sess_drop(w, k, i + 1);
			j--;
		}
		s->fired = anyfired && s->end < w->wm;
		sess_requeue(w, s);
	}
	add(actx, s->blk);
	if (s->fired || w->c.emit == SK_WIN_EMIT_UPDATE)
		emit_single(w, s->start, s->end, k, s->blk);
	return SK_WIN_OK;
}

/* ---- count windows ---- */

/* The count window of key k that ends with record k' (the next multiple
 * of cslide at or after the last record), as far as it has come. */
static void count_row(sk_win *w, wkey *k, int single)
{
	uint64_t kk = k->nrec;
	uint64_t next = (kk + w->c.cslide - 1) / w->c.cslide * w->c.cslide;
	uint64_t from = next > w->c.count ? next - w->c.count : 0; /* records after */
	uint64_t firstpane = from / w->cpane, lastpane = (kk - 1) / w->cpane;
	size_t cnt = (size_t)(lastpane - firstpane + 1);
	size_t skip = k->cn - cnt;
	cpane *a = &k->c[(k->chead + skip) % w->ring];
	cpane *b = &k->c[(k->chead + k->cn - 1) % w->ring];
	void *blk = a->blk;
	if (cnt > 1) {
		blk = w->acc;
		sk_aggs_init_block(w->L, blk);
		for (size_t i = 0; i < cnt; i++)
			sk_aggs_merge_block(w->L, blk, k->c[(k->chead + skip + i) % w->ring].blk);
	}
	if (single) {
		if (w->c.emit == SK_WIN_EMIT_UPDATE) {
			/* the window's last row had other bounds: retract it */
			if (k->unext == next &&
			    (k->ustart != a->first || k->uend != b->last))
				emit_retract(w, k->ustart, k->uend, k);
			k->unext = next;
			k->ustart = a->first;
			k->uend = b->last;
		}
		emit_single(w, a->first, b->last, k, blk);
		if (cnt > 1)
			sk_aggs_free_block(w->L, blk);
	} else {
		/* flush: the merged state must outlive this call */
		if (cnt > 1) {
			void *own = blk_new(w);
			sk_aggs_merge_block(w->L, own, blk);
			sk_aggs_free_block(w->L, blk);
			blk = own;
		}
		row_push(w, a->first, b->last, k, blk);
	}
}

static int add_count(sk_win *w, int64_t t, const char *key, size_t n,
		     sk_win_add_fn add, void *actx)
{
	wkey *k = key_get(w, key, n);
	if (k->nrec % w->cpane == 0) {
		if (k->cn == w->ring) {
			blk_free(w, k->c[k->chead].blk);
			k->chead = (k->chead + 1) % w->ring;
			k->cn--;
		}
		cpane *p = &k->c[(k->chead + k->cn) % w->ring];
		p->first = t;
		p->blk = blk_new(w);
		k->cn++;
	}
	cpane *p = &k->c[(k->chead + k->cn - 1) % w->ring];
	p->last = t;
	k->nrec++;
	add(actx, p->blk);
	if (w->c.emit == SK_WIN_EMIT_UPDATE || k->nrec % w->c.cslide == 0)
		count_row(w, k, 1);
	return SK_WIN_OK;
}

/* ---- the API ---- */

int sk_win_add(sk_win *w, int64_t t, const char *key, size_t n,
	       sk_win_add_fn add, void *actx)
{
	int r;
	int64_t wm;
	if (__builtin_sub_overflow(t, w->c.max_delay, &wm) || wm == INT64_MIN)
		return SK_WIN_RANGE;
	keys_compact(w);
	switch (w->c.type) {
	case SK_WIN_SESSION:
		r = add_session(w, t, key, n, add, actx);
		break;
	case SK_WIN_COUNT:
		r = add_count(w, t, key, n, add, actx);
		break;
	default:
		r = add_time(w, t, key, n, add, actx);
		break;
	}
	if (r != SK_WIN_OK)
		return r;
	if (t > w->maxt)
		w->maxt = t;
	sk_win_advance(w, wm);
	return SK_WIN_OK;
}

void sk_win_advance(sk_win *w, int64_t wm)
{
	if (w->c.hold || wm <= w->wm)
		return;
	w->wm = wm;
	if (w->c.type == SK_WIN_SESSION)
		fire_sessions(w);
	else if (w->c.type != SK_WIN_COUNT)
		fire_time(w);
}

int64_t sk_win_watermark(const sk_win *w)
{
	return w->wm;
}

int64_t sk_win_next_deadline(const sk_win *w)
{
	int64_t d = INT64_MAX;
	if (w->c.type == SK_WIN_SESSION) {
		if (w->nheap)
			d = w->heap[0].dl + 1; /* fires when wm > deadline */
	} else if (w->c.type != SK_WIN_COUNT) {
		int64_t end;
		size_t idx;
		if (next_window(w, &end, &idx))
			d = end;
		if (w->npg) {
			int64_t p = last_end(w, w->pg[0].start) + w->c.update_late;
			if (p < d)
				d = p;
		}
	}
	return d;
}

int sk_win_tick(sk_win *w, int64_t wm)
{
	sk_win_advance(w, wm);
	int64_t d = sk_win_next_deadline(w);
	return d == INT64_MAX ? -1 : sk_wait_ms(d - wm);
}

int64_t sk_win_idle_mark(const sk_win *w, int64_t quiet)
{
	int64_t wm;
	if (w->maxt == INT64_MIN)
		return w->wm; /* no record time yet: nothing to move on from */
	/* sk_win_add took maxt only where maxt - max_delay fits */
	if (__builtin_add_overflow(w->maxt - w->c.max_delay, quiet, &wm))
		wm = INT64_MAX - 1; /* past every window */
	return wm;
}

size_t sk_win_open_states(const sk_win *w)
{
	return w->nblocks;
}

void sk_win_flush(sk_win *w)
{
	sk_hash_iter it;
	sk_hash_ent *e;
	switch (w->c.type) {
	case SK_WIN_SESSION:
		for (sk_hash_iter_init(&w->keys, &it);
		     (e = sk_hash_next(&w->keys, &it)); ) {
			wkey *k = sk_hash_val(&w->keys, e);
			for (size_t j = 0; j < k->ns; j++)
				if (!k->s[j]->fired && w->c.emit == SK_WIN_EMIT_CLOSE)
					row_push(w, k->s[j]->start, k->s[j]->end, k, k->s[j]->blk);
		}
		emit_rows(w);
		break;
	case SK_WIN_COUNT: {
		size_t nr0 = w->nrows;
		for (sk_hash_iter_init(&w->keys, &it);
		     (e = sk_hash_next(&w->keys, &it)); ) {
			wkey *k = sk_hash_val(&w->keys, e);
			if (k->nrec % w->c.cslide && w->c.emit == SK_WIN_EMIT_CLOSE)
				count_row(w, k, 0);
		}
		/* the rows own merged blocks when they merged several panes */
		size_t nr = w->nrows;
		void **own = sk_xcalloc(nr ? nr : 1, sizeof *own);
		for (size_t i = nr0; i < nr; i++) {
			wkey *k = w->rows[i].k;
			int shared = 0;
			for (size_t j = 0; j < k->cn; j++)
				if (k->c[(k->chead + j) % w->ring].blk == w->rows[i].blk)
					shared = 1;
			if (!shared)
				own[i] = w->rows[i].blk;
		}
		emit_rows(w);
		for (size_t i = 0; i < nr; i++)
			if (own[i])
				blk_free(w, own[i]);
		free(own);
		break;
	}
	default:
		if (w->c.emit == SK_WIN_EMIT_CLOSE) {
			/* fire every window with data, without purging first */
			int64_t end;
			size_t idx;
			while (next_window(w, &end, &idx)) {
				emit_window(w, end, idx);
				w->fired_end = end;
				w->has_fired = 1;
			}
		}
		break;
	}
	/* drop all state: later records start afresh */
	for (size_t g = 0; g < w->npg; g++)
		pane_group_purge(w, &w->pg[g]);
	w->npg = 0;
	sk_hash_free(&w->keys);
	w->ndead = 0;
	w->nheap = 0;
}

void sk_win_drain(sk_win *w)
{
	int64_t mark = INT64_MIN;
	sk_hash_iter it;
	sk_hash_ent *e;
	if (w->c.type == SK_WIN_SESSION)
		for (sk_hash_iter_init(&w->keys, &it); (e = sk_hash_next(&w->keys, &it)); ) {
			wkey *k = sk_hash_val(&w->keys, e);
			for (size_t j = 0; j < k->ns; j++)
				if (k->s[j]->end > mark)
					mark = k->s[j]->end;
		}
	sk_win_flush(w);
	if (w->c.type == SK_WIN_TUMBLING || w->c.type == SK_WIN_SLIDING)
		mark = w->has_fired ? w->fired_end : INT64_MIN;
	if (w->c.type == SK_WIN_COUNT || mark == INT64_MIN)
		return;
	if (!w->drained || mark > w->drain_mark)
		w->drain_mark = mark;
	w->drained = 1;
	if (mark > w->wm && w->wm != INT64_MIN)
		w->wm = mark;
}

void sk_win_free(sk_win *w)
{
	if (!w)
		return;
	for (size_t g = 0; g < w->npg; g++)
		pane_group_purge(w, &w->pg[g]);
	free(w->pg);
	sk_hash_free(&w->keys);
	free(w->heap);
	for (size_t i = 0; i < w->nschunks; i++)
		free(w->schunks[i]);
	free(w->schunks);
	for (size_t i = 0; i < w->nbfree; i++)
		free(w->bfree[i]);
	free(w->bfree);
	free(w->acc);
	free(w->rows);
	free(w->totals);
	free(w);
}

/* ---- --state: the engine saved and loaded ---- */

/* A state block: each aggregate's --partial text and its arrival number. */
static void blk_save(const sk_win *w, const void *blk, sk_buf *out, sk_buf *txt)
{
	for (size_t i = 0; i < w->L->n; i++) {
		const sk_agg *a = &w->L->a[i];
		const char *st = (const char *)blk + a->off;
		sk_buf_clear(txt);
		sk_agg_state_write(a, st, txt);
		sk_state_str(out, txt->p, txt->len);
		sk_state_u64(out, sk_agg_seq(a, st));
	}
}

/* Reads a block saved by blk_save into blk (initialised, so that it can
 * be freed whatever is read). */
static int blk_load(sk_win *w, void *blk, sk_cur *c, sk_buf *err)
{
	for (size_t i = 0; i < w->L->n; i++) {
		const sk_agg *a = &w->L->a[i];
		sk_str t = sk_cur_str(c);
		uint64_t seq = sk_cur_u64(c);
		if (c->bad) {
			sk_buf_puts(err, "damaged: a window runs past the end");
			return 0;
		}
		char *st = (char *)blk + a->off;
		if (!sk_agg_state_read(a, st, t.p, t.n, err))
			return 0;
		sk_agg_seq_set(a, st, seq);
	}
	return 1;
}

/* The least bytes a saved block takes: each state's length and seq. */
static size_t blk_min(const sk_win *w)
{
	return w->L->n * 12;
}

void sk_win_save(const sk_win *w, sk_buf *out)
{
	sk_buf txt = { 0 };
	sk_state_u64(out, (uint64_t)w->wm);
	sk_state_u64(out, (uint64_t)w->maxt);
	sk_state_u64(out, (uint64_t)w->fired_end);
	sk_state_u32(out, (uint32_t)w->has_fired);
	sk_state_u64(out, (uint64_t)w->drain_mark);
	sk_state_u32(out, (uint32_t)w->drained);
	sk_hash_iter it;
	sk_hash_ent *e;
	switch (w->c.type) {
	case SK_WIN_TUMBLING:
	case SK_WIN_SLIDING:
		/* by pane group, keys in their order there: firing and the
		 * totals of share() go through them in this order */
		sk_state_u64(out, w->npg);
		for (size_t g = 0; g < w->npg; g++) {
			const pgroup *pg = &w->pg[g];
			sk_state_u64(out, (uint64_t)pg->start);
			sk_state_u64(out, pg->n);
			for (size_t j = 0; j < pg->n; j++) {
				const wkey *k = pg->k[j];
				sk_state_str(out, k->k, k->n);
				for (size_t i = 0; i < k->np; i++)
					if (k->p[i].start == pg->start)
						blk_save(w, k->p[i].blk, out, &txt);
			}
		}
		break;
	case SK_WIN_SESSION: {
		/* a key whose one record was late holds no session */
		uint64_t n = 0;
		for (sk_hash_iter_init((sk_hash *)&w->keys, &it);
		     (e = sk_hash_next((sk_hash *)&w->keys, &it)); )
			n += ((const wkey *)sk_hash_val((sk_hash *)&w->keys, e))->ns != 0;
		sk_state_u64(out, n);
		for (sk_hash_iter_init((sk_hash *)&w->keys, &it);
		     (e = sk_hash_next((sk_hash *)&w->keys, &it)); ) {
			const wkey *k = sk_hash_val((sk_hash *)&w->keys, e);
			if (!k->ns)
				continue;
			sk_state_str(out, k->k, k->n);
			sk_state_u64(out, k->ns);
			for (size_t i = 0; i < k->ns; i++) {
				const sess *s = k->s[i];
				sk_state_u64(out, (uint64_t)s->start);
				sk_state_u64(out, (uint64_t)s->end);
				sk_state_u32(out, (uint32_t)s->fired);
				blk_save(w, s->blk, out, &txt);
			}
		}
		break;
	}
	case SK_WIN_COUNT:
		sk_state_u64(out, sk_hash_count(&w->keys));
		for (sk_hash_iter_init((sk_hash *)&w->keys, &it);
		     (e = sk_hash_next((sk_hash *)&w->keys, &it)); ) {
			const wkey *k = sk_hash_val((sk_hash *)&w->keys, e);
			sk_state_str(out, k->k, k->n);
			sk_state_u64(out, k->nrec);
			sk_state_u64(out, k->unext);
			sk_state_u64(out, (uint64_t)k->ustart);
			sk_state_u64(out, (uint64_t)k->uend);
			sk_state_u64(out, k->cn);
			for (size_t i = 0; i < k->cn; i++) {
				const cpane *p = &k->c[(k->chead + i) % w->ring];
				sk_state_u64(out, (uint64_t)p->first);
				sk_state_u64(out, (uint64_t)p->last);
				blk_save(w, p->blk, out, &txt);
			}
		}
		break;
	}
	sk_buf_free(&txt);
}

/* A key read from the state: new, or 0 ("a key twice"). */
static wkey *key_load(sk_win *w, sk_cur *c, sk_buf *err)
{
	sk_str key = sk_cur_str(c);
	if (c->bad) {
		sk_buf_puts(err, "damaged: a key runs past the end");
		return NULL;
	}
	size_t before = sk_hash_count(&w->keys);
	wkey *k = key_get(w, key.p, key.n);
	if (sk_hash_count(&w->keys) == before) {
		sk_buf_puts(err, "damaged: a key twice");
		return NULL;
	}
	return k;
}

/* Whether every window of the pane starting at ps fits in int64 ns, as
 * add_time requires of a record's. */
static int pane_fits(const sk_win *w, int64_t ps)
{
	int64_t ws_last, dl;
	return sk_time_mod(ps, w->pane, w->c.offset) == 0 &&
	       sk_time_floor_chk(ps, w->c.slide, w->c.offset, &ws_last) &&
	       !__builtin_add_overflow(ws_last, w->c.size, &dl) &&
	       !__builtin_add_overflow(dl, w->c.update_late, &dl) &&
	       dl != INT64_MAX;
}

static int load_time(sk_win *w, sk_cur *c, sk_buf *err)
{
	uint64_t npg = sk_cur_count(c, 16);
	for (uint64_t g = 0; g < npg && !c->bad; g++) {
		int64_t ps = (int64_t)sk_cur_u64(c);
		uint64_t n = sk_cur_count(c, 4 + blk_min(w));
		if (c->bad)
			break;
		if (!n || !pane_fits(w, ps) || (w->npg && w->pg[w->npg - 1].start >= ps)) {
			sk_buf_puts(err, "damaged: a pane out of place");
			return 0;
		}
		for (uint64_t j = 0; j < n; j++) {
			sk_str key = sk_cur_str(c);
			if (c->bad)
				break;
			wkey *k = key_get(w, key.p, key.n);
			if (k->np && k->p[k->np - 1].start == ps) {
				sk_buf_puts(err, "damaged: a key twice in a pane");
				return 0;
			}
			if (!blk_load(w, pane_get(w, k, ps), c, err))
				return 0;
		}
	}
	if (c->bad) {
		sk_buf_puts(err, "damaged: the panes run past the end");
		return 0;
	}
	return 1;
}

static int load_sessions(sk_win *w, sk_cur *c, sk_buf *err)
{
	uint64_t nk = sk_cur_count(c, 12);
	for (uint64_t x = 0; x < nk && !c->bad; x++) {
		wkey *k = key_load(w, c, err);
		if (!k)
			return 0;
		uint64_t ns = sk_cur_count(c, 20 + blk_min(w));
		if (!c->bad && !ns) {
			sk_buf_puts(err, "damaged: a key without a session");
			return 0;
		}
		for (uint64_t i = 0; i < ns && !c->bad; i++) {
			int64_t start = (int64_t)sk_cur_u64(c);
			int64_t end = (int64_t)sk_cur_u64(c);
			uint32_t fired = sk_cur_u32(c);
			int64_t len, dl;
			if (c->bad)
				break;
			if (fired > 1 || __builtin_sub_overflow(end, start, &len) ||
			    len < w->c.gap ||
			    __builtin_add_overflow(end, w->c.update_late, &dl) ||
			    dl == INT64_MAX || (k->ns && k->s[k->ns - 1]->end >= start)) {
				sk_buf_puts(err, "damaged: a session out of place");
				return 0;
			}
			sess *s = sess_new(w);
			s->key = k;
			s->start = start;
			s->end = end;
			s->fired = (int)fired;
			SK_GROW_FROM(k->s, k->scap, k->ns + 1, KEY_ARRAY_MIN);
			k->s[k->ns++] = s;
			heap_push(w, s);
			if (!blk_load(w, s->blk, c, err))
				return 0;
		}
	}
	if (c->bad) {
		sk_buf_puts(err, "damaged: the sessions run past the end");
		return 0;
	}
	return 1;
}

static int load_counts(sk_win *w, sk_cur *c, sk_buf *err)
{
	uint64_t nk = sk_cur_count(c, 44);
	for (uint64_t x = 0; x < nk && !c->bad; x++) {
		wkey *k = key_load(w, c, err);
		if (!k)
			return 0;
		uint64_t nrec = sk_cur_u64(c);
		k->unext = sk_cur_u64(c);
		k->ustart = (int64_t)sk_cur_u64(c);
		k->uend = (int64_t)sk_cur_u64(c);
		uint64_t cn = sk_cur_u64(c);
		if (c->bad)
			break;
		/* the panes a key's records so far fill, the last ring's */
		uint64_t made = nrec / w->cpane + (nrec % w->cpane != 0);
		if (!nrec || cn != (made < w->ring ? made : w->ring)) {
			sk_buf_puts(err, "damaged: a count window out of place");
			return 0;
		}
		k->nrec = nrec;
		for (uint64_t i = 0; i < cn; i++) {
			cpane *p = &k->c[k->cn];
			p->first = (int64_t)sk_cur_u64(c);
			p->last = (int64_t)sk_cur_u64(c);
			p->blk = blk_new(w);
			k->cn++;
			if (c->bad || !blk_load(w, p->blk, c, err)) {
				if (c->bad)
					sk_buf_puts(err, "damaged: the count windows run past the end");
				return 0;
			}
		}
	}
	if (c->bad) {
		sk_buf_puts(err, "damaged: the count windows run past the end");
		return 0;
	}
	return 1;
}

int sk_win_load(sk_win *w, sk_cur *c, sk_buf *err)
{
	int64_t wm = (int64_t)sk_cur_u64(c);
	int64_t maxt = (int64_t)sk_cur_u64(c);
	int64_t fe = (int64_t)sk_cur_u64(c);
	uint32_t hf = sk_cur_u32(c);
	int64_t dm = (int64_t)sk_cur_u64(c);
	uint32_t dr = sk_cur_u32(c);
	if (c->bad) {
		sk_buf_puts(err, "damaged: the watermark runs past the end");
		return 0;
	}
	int time = w->c.type == SK_WIN_TUMBLING || w->c.type == SK_WIN_SLIDING;
	/* as the engine leaves them: the watermark from a record's time, a
	 * fired end on the windows' ends, nothing fired before a record */
	if (hf > 1 || (wm == INT64_MIN && hf) ||
	    (wm == INT64_MIN) != (maxt == INT64_MIN) ||
	    (wm > maxt && !(dr && wm == dm)) ||
	    (hf && (!time || sk_time_mod(fe, w->c.slide, w->end_off) != 0)) ||
	    (!hf && fe != 0) || dr > 1 || (!dr && dm != 0) ||
	    (dr && (w->c.type == SK_WIN_COUNT || wm < dm))) {
		sk_buf_puts(err, "damaged: bad watermark");
		return 0;
	}
	w->drain_mark = dm;
	w->drained = (int)dr;
	w->wm = wm;
	w->maxt = maxt;
	w->fired_end = fe;
	w->has_fired = (int)hf;
	return time ? load_time(w, c, err) :
	       w->c.type == SK_WIN_SESSION ? load_sessions(w, c, err) :
	       load_counts(w, c, err);
}
