/* sk_join: the lookup table of stream-join and the join of one record. */
#include <stdlib.h>
#include <string.h>
#include "sk_err.h"
#include "sk_fmt.h"
#include "sk_join.h"
#include "sk_tool.h"

/* The value of a key in the table: its first and last rows while the
 * table loads; then first is the offset of the first row's block. */
typedef struct join_rows {
	uint64_t first;
	uint32_t last;
} join_rows;

/* A value of a table row as read: its bytes in sk_join.bytes. */
typedef struct sk_join_cell {
	size_t off;
	uint32_t len;
	uint8_t kind;
} sk_join_cell;

static const sk_hash_type join_type = {
	.val_size = sizeof(join_rows),
	.val_align = 8,
};

/* Where the '=' of KEY=TABLEKEY is: the first one outside a ${...}. */
static const char *key_split(const char *s)
{
	for (; *s; s++) {
		if (s[0] == '$' && s[1] == '{') {
			const char *e = strchr(s, '}');
			if (!e)
				return NULL; /* sk_tool_fields says what is wrong */
			s = e;
		} else if (*s == '=') {
			return s;
		}
	}
	return NULL;
}

void sk_join_keys(sk_join *j, sk_schema *schema, const char *arg)
{
	sk_schema_init(&j->tschema);
	const char *eq = key_split(arg);
	char *left = sk_xstrndup(arg, eq ? (size_t)(eq - arg) : strlen(arg));
	j->nkeys = sk_tool_fields(schema, "-k", left, &j->skeys);
	size_t nt = sk_tool_fields(&j->tschema, "-k", eq ? eq + 1 : left,
				   &j->tkeys);
	free(left);
	if (nt != j->nkeys)
		sk_usage_error("-k %s: %zu stream key fields but %zu table ones",
			       arg, j->nkeys, nt);
	j->keyarg = arg;
}

/* The column of table slot s, made (named prefix + its name in schema)
 * if new. */
static size_t column(sk_join *j, sk_schema *schema, const char *prefix,
		     uint32_t s)
{
	if (s >= j->ncolof) {
		size_t old = j->ncolof;
		j->colof = sk_grow(j->colof, &j->ncolof, (size_t)s + 1,
				   sizeof *j->colof);
		memset(j->colof + old, 0, (j->ncolof - old) * sizeof *j->colof);
	}
	if (j->colof[s])
		return j->colof[s] - 1;
	SK_GROW(j->outslot, j->colcap, j->ncol + 1);
	sk_str name = sk_schema_name(&j->tschema, s);
	sk_buf b = { 0 };
	sk_buf_puts(&b, prefix);
	sk_buf_put(&b, name.p, name.n);
	j->outslot[j->ncol] = sk_schema_intern(schema, b.p, b.len);
	sk_buf_free(&b);
	j->colof[s] = (uint32_t)++j->ncol;
	return j->ncol - 1;
}

/* 1 if slot s is one of the n key slots ks. */
static int is_key(const uint32_t *ks, size_t n, uint32_t s)
{
	for (size_t i = 0; i < n; i++)
		if (ks[i] == s)
			return 1;
	return 0;
}

/* A row's values as read: the column and cell of each, row after row. */
typedef struct sparse {
	size_t *col;
	sk_join_cell *cell;
	size_t n, cap, ccap;
	size_t *start;  /* row -> its first value; start[nrow] = n */
	size_t scap;
} sparse;

/* The table of the keys: by prefix under --cidr, else by value. */
static sk_hash *keys_hash(sk_join *j)
{
	return j->cidr ? &j->ct.h : &j->h;
}

/* Adds the table row rec to j (its key fields at slots ks; under --cidr
 * its prefix *net). */
static void add_row(sk_join *j, sparse *sp, sk_schema *schema,
		    const char *prefix, sk_record *rec, const uint32_t *ks,
		    const sk_cidr *net)
{
	int isnew;
	join_rows *v;
	if (j->cidr) {
		v = sk_cidr_table_put(&j->ct, net, &isnew);
	} else {
		sk_key_make(&j->key, rec, j->tkeys, j->nkeys);
		sk_hash_ent *e = sk_hash_put(&j->h, j->key.p, j->key.n,
					     sk_hash_bytes(j->key.p, j->key.n),
					     &isnew);
		v = sk_hash_val(&j->h, e);
	}
	uint32_t row = (uint32_t)j->nrow++;
	SK_GROW(j->next, j->nextcap, j->nrow);
	j->next[row] = 0;
	if (isnew)
		v->first = row;
	else
		j->next[v->last] = row + 1;
	v->last = row;
	SK_GROW(sp->start, sp->scap, j->nrow + 1);
	sp->start[row] = sp->n;
	sk_rec_finish(rec);
	for (size_t i = 0; i < rec->nf; i++) {
		const sk_field *f = &rec->f[i];
		if (is_key(ks, j->nkeys, f->slot))
			continue;
		if (__builtin_expect(f->n >= (size_t)1 << 30, 0))
			sk_diex(SK_EXIT_DATA, "%s:%llu: a table field of 1 GiB or more",
				rec->src, (unsigned long long)rec->line);
		SK_GROW(sp->col, sp->cap, sp->n + 1);
		SK_GROW(sp->cell, sp->ccap, sp->n + 1);
		sp->col[sp->n] = column(j, schema, prefix, f->slot);
		sp->cell[sp->n++] = (sk_join_cell){
			.off = j->bytes.len, .len = (uint32_t)f->n, .kind = f->kind };
		sk_buf_put(&j->bytes, f->p, f->n);
	}
	sp->start[j->nrow] = sp->n;
}

/* The key slots of rec into ks: 1, or 0 if it lacks key field *miss. */
static int key_slots(const sk_fref *keys, size_t n, const sk_record *rec,
		     uint32_t *ks, size_t *miss)
{
	sk_field f;
	for (size_t i = 0; i < n; i++) {
		if (!sk_rec_ref(rec, &keys[i], &f)) {
			*miss = i;
			return 0;
		}
		ks[i] = f.slot;
	}
	return 1;
}

/* A key field as a message names it: its name, or $N. */
static void key_name(sk_buf *b, const sk_schema *s, const sk_fref *k)
{
	if (k->pos)
		sk_buf_printf(b, "$%u", k->pos);
	else
		sk_buf_put(b, sk_schema_name(s, k->slot).p,
			   sk_schema_name(s, k->slot).n);
}

static void missing(sk_tool *t, const sk_schema *s, const sk_fref *k,
		    const sk_record *rec)
{
	sk_buf b = { 0 };
	key_name(&b, s, k);
	sk_tool_bad(t, rec, SK_BAD_KEY, "missing key field '%s'", b.p);
	sk_buf_free(&b);
}

/* Key field f of rec is not what it must be ("an IP address"); its
 * first 64 bytes said, a JSON null (read as empty) as null. */
static void not_addr(sk_tool *t, const sk_record *rec, const char *what,
		     const sk_field *f)
{
	if (f->kind == SK_FK_JSON && f->n == 0) {
		sk_tool_bad(t, rec, SK_BAD_ADDR, "not %s: null", what);
		return;
	}
	int n = f->n > 64 ? 64 : (int)f->n;
	sk_tool_bad(t, rec, SK_BAD_ADDR, "not %s: '%.*s%s'", what, n, f->p,
		    f->n > 64 ? "..." : "");
}

/* Lays the rows out as blocks (sk_join.h) and makes each key's value the
 * offset of its first row's block. */
static void pack(sk_join *j, const sparse *sp)
{
	uint64_t *off = sk_xcalloc(j->nrow + 1, sizeof *off);
	sk_join_cell *cell = sk_xcalloc(j->ncol + 1, sizeof *cell);
	for (size_t row = 0; row < j->nrow; row++) {
		memset(cell, 0, j->ncol * sizeof *cell);
		for (size_t i = sp->start[row]; i < sp->start[row + 1]; i++)
			cell[sp->col[i]] = sp->cell[i];
		off[row] = j->rows.len;
		uint64_t next = 0; /* patched below */
		sk_buf_put(&j->rows, &next, sizeof next);
		for (size_t c = 0; c < j->ncol; c++) {
			uint32_t lk = cell[c].len << 2 | cell[c].kind;
			sk_buf_put(&j->rows, &lk, sizeof lk);
		}
		for (size_t c = 0; c < j->ncol; c++)
			sk_buf_put(&j->rows, j->bytes.p + cell[c].off, cell[c].len);
		while (j->rows.len % 8)
			sk_buf_putc(&j->rows, 0);
	}
	for (size_t row = 0; row < j->nrow; row++) {
		uint64_t next = j->next[row] ? off[j->next[row] - 1] + 1 : 0;
		memcpy(j->rows.p + off[row], &next, sizeof next);
	}
	sk_hash_iter it;
	sk_hash_ent *e;
	sk_hash *h = keys_hash(j);
	for (sk_hash_iter_init(h, &it); (e = sk_hash_next(h, &it)); ) {
		join_rows *v = sk_hash_val(h, e);
		v->first = off[v->first];
	}
	free(off);
	free(cell);
	free(j->next);
	j->next = NULL;
	sk_buf_free(&j->bytes);
}

void sk_join_load(sk_join *j, sk_tool *t, const char *path, const char *fmt,
		  const char *prefix)
{
	sk_reader rd;
	sk_record rec;
	sparse sp = { 0 };
	uint32_t *ks = sk_xcalloc(j->nkeys, sizeof *ks);
	size_t miss;
	int r;
	sk_cidr net;
	sk_field kf;
	j->files[0] = (char *)path;
	sk_hash_init(&j->h, &join_type, NULL);
	sk_cidr_table_init(&j->ct, &join_type);
	sk_rec_init(&rec);
	sk_reader_init(&rd, fmt ? fmt : "auto", &j->tschema, &t->fo, j->files, 1);
	while ((r = sk_read(&rd, &rec)) != SK_REC_EOF) {
		if (r == SK_REC_FATAL)
			sk_diex(SK_EXIT_DATA, "%s:%llu: %s", rec.src ? rec.src : path,
				(unsigned long long)rec.line, rd.err.p);
		if (r == SK_REC_BAD)
			sk_tool_bad(t, &rec, rd.bad, "%s", rd.err.p);
		else if (!key_slots(j->tkeys, j->nkeys, &rec, ks, &miss))
			missing(t, &j->tschema, &j->tkeys[miss], &rec);
		else if (j->cidr && sk_rec_ref(&rec, &j->tkeys[0], &kf) &&
			 !sk_cidr_parse(kf.p, kf.n, &net))
			not_addr(t, &rec, "an IP address or prefix", &kf);
		else
			add_row(j, &sp, &t->schema, prefix, &rec, ks, &net);
	}
	if (rd.nfailed)
		exit(SK_EXIT_DATA); /* the reader said why */
	/* the columns of a header with no row under it */
	if (!j->nrow && sk_reader_header_record(&rd, &rec) &&
	    key_slots(j->tkeys, j->nkeys, &rec, ks, &miss))
		for (size_t i = 0; i < rec.nf; i++)
			if (!is_key(ks, j->nkeys, rec.f[i].slot))
				column(j, &t->schema, prefix, rec.f[i].slot);
	pack(j, &sp);
	free(sp.col);
	free(sp.cell);
	free(sp.start);
	free(ks);
	sk_rec_free(&rec);
	sk_reader_free(&rd);
}

/* A column r already has: the names clash. */
static void check_clash(const sk_join *j, const sk_schema *schema,
			const sk_record *r)
{
	for (size_t c = 0; c < j->ncol; c++)
		if (__builtin_expect(sk_rec_get(r, j->outslot[c]) != NULL, 0))
			sk_diex(SK_EXIT_USAGE,
				"field '%s' is in both the stream and the table "
				"(--prefix STR renames the table's)",
				sk_schema_name(schema, j->outslot[c]).p);
}

/* Writes r with the columns of the row block at blk (NULL: empty ones).
 * Returns the offset + 1 of the next row of the key, 0 if none. */
static uint64_t put_row(sk_join *j, sk_tool *t, sk_record *r, const char *blk)
{
	uint64_t next = 0;
	if (!blk) {
		for (size_t c = 0; c < j->ncol; c++)
			sk_rec_set(r, j->outslot[c], "", 0, SK_FK_TEXT);
	} else {
		memcpy(&next, blk, sizeof next);
		const char *lk = blk + sizeof next;
		const char *p = lk + j->ncol * sizeof(uint32_t);
		for (size_t c = 0; c < j->ncol; c++) {
			uint32_t v;
			memcpy(&v, lk + c * sizeof v, sizeof v);
			sk_rec_set(r, j->outslot[c], p, v >> 2, (int)(v & 3));
			p += v >> 2;
		}
	}
	sk_write(&t->wr, r);
	return next;
}

void sk_join_record(sk_join *j, sk_tool *t, sk_record *r)
{
	sk_field f;
	const sk_hash_ent *e = NULL;
	for (size_t i = 0; i < j->nkeys; i++) {
		if (sk_rec_ref(r, &j->skeys[i], &f))
			continue;
		if (j->mode != SK_JOIN_LEFT) {
			missing(t, &t->schema, &j->skeys[i], r);
			return;
		}
		goto unmatched;
	}
	const join_rows *v;
	if (j->cidr) {
		int bad;
		v = sk_cidr_table_find(&j->ct, f.p, f.n, &bad);
		if (bad && j->mode == SK_JOIN_INNER) {
			not_addr(t, r, "an IP address", &f);
			return;
		}
	} else {
		sk_key_make(&j->key, r, j->skeys, j->nkeys);
		e = sk_hash_find(&j->h, j->key.p, j->key.n,
				 sk_hash_bytes(j->key.p, j->key.n));
		v = e ? sk_hash_val(&j->h, e) : NULL;
	}
	if (v) {
		if (j->mode == SK_JOIN_ANTI)
			return;
		check_clash(j, &t->schema, r);
		for (uint64_t at = v->first + 1; at; )
			at = put_row(j, t, r, j->rows.p + at - 1);
		return;
	}
unmatched:
	if (j->mode == SK_JOIN_ANTI) {
		sk_write(&t->wr, r);
	} else if (j->mode == SK_JOIN_LEFT) {
		check_clash(j, &t->schema, r);
		put_row(j, t, r, NULL);
	}
}

void sk_join_header(sk_join *j, sk_record *r)
{
	if (j->mode == SK_JOIN_ANTI)
		return;
	for (size_t c = 0; c < j->ncol; c++)
		sk_rec_push(r, j->outslot[c], "", 0, SK_FK_TEXT);
}

void sk_join_free(sk_join *j)
{
	free(j->skeys);
	free(j->tkeys);
	sk_schema_free(&j->tschema);
	sk_hash_free(&j->h);
	sk_cidr_table_free(&j->ct);
	free(j->outslot);
	free(j->colof);
	sk_buf_free(&j->rows);
	free(j->next);
	sk_buf_free(&j->bytes);
	sk_key_free(&j->key);
	memset(j, 0, sizeof *j);
}
