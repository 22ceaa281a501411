/* sk_join: the lookup table of stream-join and the join of one record. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
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

/* A row's values as read: the column and cell of each, row after row. */
typedef struct sparse {
	size_t *col;
	sk_join_cell *cell;
	size_t n, cap, ccap;
	size_t *start;  /* row -> its first value; start[nrow] = n */
	size_t scap;
} sparse;

/* One load of the table file into tab. On a reload old is the table
 * loaded, whose columns the new one must have: the output's header is
 * written. */
typedef struct loader {
	sk_join *j;
	sk_tool *t;
	sk_join_table *tab;
	const sk_join_table *old; /* NULL on the first load */
	sparse sp;
	uint32_t *next;           /* row -> the next row of its key + 1 */
	size_t nextcap;
	sk_buf bytes;             /* the values' bytes */
	sk_buf names;             /* reload: the columns' names, comma list */
	int other_cols;           /* reload: a column is not old's */
	sk_buf why;               /* why the load failed (empty: the reader
				   * said it) */
} loader;

static void loader_free(loader *ld)
{
	free(ld->sp.col);
	free(ld->sp.cell);
	free(ld->sp.start);
	free(ld->next);
	sk_buf_free(&ld->bytes);
	sk_buf_free(&ld->names);
	sk_buf_free(&ld->why);
}

static void table_free(sk_join_table *tab)
{
	sk_hash_free(&tab->h);
	sk_cidr_table_free(&tab->ct);
	free(tab->outslot);
	free(tab->colof);
	sk_buf_free(&tab->rows);
	memset(tab, 0, sizeof *tab);
}

/* The column of table slot s, made (named prefix + its name) if new. The
 * first load names it in the stream's schema; a reload names nothing
 * there: each of its columns is the loaded table's of the same place,
 * or the reload fails. */
static size_t column(loader *ld, uint32_t s)
{
	sk_join_table *tab = ld->tab;
	if (s >= tab->ncolof) {
		size_t old = tab->ncolof;
		tab->colof = sk_grow(tab->colof, &tab->ncolof, (size_t)s + 1,
				     sizeof *tab->colof);
		memset(tab->colof + old, 0,
		       (tab->ncolof - old) * sizeof *tab->colof);
	}
	if (tab->colof[s])
		return tab->colof[s] - 1;
	SK_GROW(tab->outslot, tab->colcap, tab->ncol + 1);
	sk_str name = sk_schema_name(&ld->j->tschema, s);
	sk_buf b = { 0 };
	sk_buf_puts(&b, ld->j->prefix);
	sk_buf_put(&b, name.p, name.n);
	size_t c = tab->ncol;
	if (!ld->old) {
		tab->outslot[c] = sk_schema_intern(&ld->t->schema, b.p, b.len);
	} else {
		tab->outslot[c] = 0; /* unused: the reload fails */
		if (c < ld->old->ncol &&
		    sk_str_eq(sk_schema_name(&ld->t->schema, ld->old->outslot[c]),
			      b.p, b.len))
			tab->outslot[c] = ld->old->outslot[c];
		else
			ld->other_cols = 1;
		if (ld->names.len)
			sk_buf_putc(&ld->names, ',');
		sk_buf_put(&ld->names, b.p, b.len);
	}
	sk_buf_free(&b);
	tab->colof[s] = (uint32_t)++tab->ncol;
	return c;
}

/* 1 if slot s is one of the n key slots ks. */
static int is_key(const uint32_t *ks, size_t n, uint32_t s)
{
	for (size_t i = 0; i < n; i++)
		if (ks[i] == s)
			return 1;
	return 0;
}

/* The table of the keys: by prefix under --cidr, else by value. */
static sk_hash *keys_hash(const sk_join *j, sk_join_table *tab)
{
	return j->cidr ? &tab->ct.h : &tab->h;
}

/* Adds the table row rec (its key fields at slots ks; under --cidr its
 * prefix *net). Returns 0, or -1 with why (a field of 1 GiB or more). */
static int add_row(loader *ld, sk_record *rec, const uint32_t *ks,
		   const sk_cidr *net)
{
	sk_join *j = ld->j;
	sk_join_table *tab = ld->tab;
	sparse *sp = &ld->sp;
	int isnew;
	join_rows *v;
	if (j->cidr) {
		v = sk_cidr_table_put(&tab->ct, net, &isnew);
	} else {
		sk_key_make(&j->key, rec, j->tkeys, j->nkeys);
		sk_hash_ent *e = sk_hash_put(&tab->h, j->key.p, j->key.n,
					     sk_hash_bytes(j->key.p, j->key.n),
					     &isnew);
		v = sk_hash_val(&tab->h, e);
	}
	uint32_t row = (uint32_t)tab->nrow++;
	SK_GROW(ld->next, ld->nextcap, tab->nrow);
	ld->next[row] = 0;
	if (isnew)
		v->first = row;
	else
		ld->next[v->last] = row + 1;
	v->last = row;
	SK_GROW(sp->start, sp->scap, tab->nrow + 1);
	sp->start[row] = sp->n;
	sk_rec_finish(rec);
	for (size_t i = 0; i < rec->nf; i++) {
		const sk_field *f = &rec->f[i];
		if (is_key(ks, j->nkeys, f->slot))
			continue;
		if (__builtin_expect(f->n >= (size_t)1 << 30, 0)) {
			sk_buf_printf(&ld->why, "%s:%llu: a table field of 1 GiB or more",
				      rec->src, (unsigned long long)rec->line);
			return -1; /* the load fails: its half row goes with it */
		}
		SK_GROW(sp->col, sp->cap, sp->n + 1);
		SK_GROW(sp->cell, sp->ccap, sp->n + 1);
		sp->col[sp->n] = column(ld, f->slot);
		sp->cell[sp->n++] = (sk_join_cell){
			.off = ld->bytes.len, .len = (uint32_t)f->n, .kind = f->kind };
		sk_buf_put(&ld->bytes, f->p, f->n);
	}
	sp->start[tab->nrow] = sp->n;
	return 0;
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

/* "missing key field 'NAME'" (or '$N') into b. */
static void missing_msg(sk_buf *b, const sk_schema *s, const sk_fref *k)
{
	sk_buf_puts(b, "missing key field '");
	if (k->pos)
		sk_buf_printf(b, "$%u", k->pos);
	else
		sk_buf_put(b, sk_schema_name(s, k->slot).p,
			   sk_schema_name(s, k->slot).n);
	sk_buf_putc(b, '\'');
}

/* Key field f is not what it must be ("an IP address"): said into b with
 * its first 64 bytes, a JSON null (read as empty) as null. */
static void not_addr_msg(sk_buf *b, const char *what, const sk_field *f)
{
	if (f->kind == SK_FK_JSON && f->n == 0) {
		sk_buf_printf(b, "not %s: null", what);
		return;
	}
	int n = f->n > 64 ? 64 : (int)f->n;
	sk_buf_printf(b, "not %s: '%.*s%s'", what, n, f->p,
		      f->n > 64 ? "..." : "");
}

/* A bad record of the stream, as msg says. */
static void stream_bad(sk_tool *t, const sk_record *rec, enum sk_bad kind,
		       sk_buf *msg)
{
	sk_tool_bad(t, rec, kind, "%s", msg->p);
	sk_buf_free(msg);
}

/* A bad table row, as msg says: a bad record of t's, except under
 * --on-error fail on a reload, where it is why the reload fails rather
 * than the end of the run. Returns 0 to go on, -1 to stop. */
static int bad_row(loader *ld, const sk_record *rec, enum sk_bad kind,
		   const char *msg)
{
	if (ld->old && ld->t->on_error == SK_ONERR_FAIL) {
		sk_buf_printf(&ld->why, "%s:%llu: %s",
			      rec->src ? rec->src : ld->j->files[0],
			      (unsigned long long)rec->line, msg);
		return -1;
	}
	sk_tool_bad(ld->t, rec, kind, "%s", msg);
	return 0;
}

/* Lays the rows out as blocks (sk_join.h) and makes each key's value the
 * offset of its first row's block. */
static void pack(loader *ld)
{
	sk_join_table *tab = ld->tab;
	const sparse *sp = &ld->sp;
	uint64_t *off = sk_xcalloc(tab->nrow + 1, sizeof *off);
	sk_join_cell *cell = sk_xcalloc(tab->ncol + 1, sizeof *cell);
	for (size_t row = 0; row < tab->nrow; row++) {
		memset(cell, 0, tab->ncol * sizeof *cell);
		for (size_t i = sp->start[row]; i < sp->start[row + 1]; i++)
			cell[sp->col[i]] = sp->cell[i];
		off[row] = tab->rows.len;
		uint64_t next = 0; /* patched below */
		sk_buf_put(&tab->rows, &next, sizeof next);
		for (size_t c = 0; c < tab->ncol; c++) {
			uint32_t lk = cell[c].len << 2 | cell[c].kind;
			sk_buf_put(&tab->rows, &lk, sizeof lk);
		}
		for (size_t c = 0; c < tab->ncol; c++)
			sk_buf_put(&tab->rows, ld->bytes.p + cell[c].off,
				   cell[c].len);
		while (tab->rows.len % 8)
			sk_buf_putc(&tab->rows, 0);
	}
	for (size_t row = 0; row < tab->nrow; row++) {
		uint64_t next = ld->next[row] ? off[ld->next[row] - 1] + 1 : 0;
		memcpy(tab->rows.p + off[row], &next, sizeof next);
	}
	sk_hash_iter it;
	sk_hash_ent *e;
	sk_hash *h = keys_hash(ld->j, tab);
	for (sk_hash_iter_init(h, &it); (e = sk_hash_next(h, &it)); ) {
		join_rows *v = sk_hash_val(h, e);
		v->first = off[v->first];
	}
	free(off);
	free(cell);
}

/* Reads j's table file into ld->tab (made here). Returns 0, or -1 with
 * ld->tab freed and why in ld->why (empty: the reader said it). */
static int load(loader *ld)
{
	sk_join *j = ld->j;
	sk_tool *t = ld->t;
	sk_join_table *tab = ld->tab;
	sk_reader rd;
	sk_record rec;
	sk_buf msg = { 0 };
	uint32_t *ks = sk_xcalloc(j->nkeys, sizeof *ks);
	size_t miss;
	int r, ret = 0;
	sk_cidr net;
	sk_field kf;
	memset(tab, 0, sizeof *tab);
	sk_hash_init(&tab->h, &join_type, NULL);
	sk_cidr_table_init(&tab->ct, &join_type);
	sk_rec_init(&rec);
	sk_reader_init(&rd, j->fmt ? j->fmt : "auto", &j->tschema, &t->fo,
		       j->files, 1);
	while (!ret && (r = sk_read(&rd, &rec)) != SK_REC_EOF) {
		sk_buf_clear(&msg);
		if (r == SK_REC_FATAL) {
			sk_buf_printf(&ld->why, "%s:%llu: %s",
				      rec.src ? rec.src : j->files[0],
				      (unsigned long long)rec.line, rd.err.p);
			ret = -1;
		} else if (r == SK_REC_BAD) {
			ret = bad_row(ld, &rec, rd.bad, rd.err.p);
		} else if (!key_slots(j->tkeys, j->nkeys, &rec, ks, &miss)) {
			missing_msg(&msg, &j->tschema, &j->tkeys[miss]);
			ret = bad_row(ld, &rec, SK_BAD_KEY, msg.p);
		} else if (j->cidr && sk_rec_ref(&rec, &j->tkeys[0], &kf) &&
			   !sk_cidr_parse(kf.p, kf.n, &net)) {
			not_addr_msg(&msg, "an IP address or prefix", &kf);
			ret = bad_row(ld, &rec, SK_BAD_ADDR, msg.p);
		} else {
			ret = add_row(ld, &rec, ks, &net);
		}
	}
	if (!ret && rd.nfailed)
		ret = -1;
	if (!ret && sk_stop_flag) {
		/* a signal ended the read early: the rows are not all there */
		sk_buf_puts(&ld->why, "cut short by a signal");
		ret = -1;
	}
	/* the columns of a header with no row under it */
	if (!ret && !tab->nrow && sk_reader_header_record(&rd, &rec) &&
	    key_slots(j->tkeys, j->nkeys, &rec, ks, &miss))
		for (size_t i = 0; i < rec.nf; i++)
			if (!is_key(ks, j->nkeys, rec.f[i].slot))
				column(ld, rec.f[i].slot);
	if (!ret && ld->old && (ld->other_cols || tab->ncol != ld->old->ncol)) {
		sk_buf_printf(&ld->why, "its columns are %s, not ",
			      ld->names.len ? ld->names.p : "none");
		for (size_t c = 0; c < ld->old->ncol; c++) {
			sk_str n = sk_schema_name(&t->schema, ld->old->outslot[c]);
			if (c)
				sk_buf_putc(&ld->why, ',');
			sk_buf_put(&ld->why, n.p, n.n);
		}
		if (!ld->old->ncol)
			sk_buf_puts(&ld->why, "none");
		sk_buf_puts(&ld->why, " (the output's header is written)");
		ret = -1;
	}
	if (!ret)
		pack(ld);
	else
		table_free(tab);
	sk_buf_free(&msg);
	free(ks);
	sk_rec_free(&rec);
	sk_reader_free(&rd);
	return ret;
}

/* Now on CLOCK_MONOTONIC_COARSE (a clock read costs next to nothing, and
 * a second is all --reload needs), in ns. */
static int64_t now_ns(void)
{
	struct timespec ts;
#ifdef CLOCK_MONOTONIC_COARSE
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
#else
	clock_gettime(CLOCK_MONOTONIC, &ts);
#endif
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void ident_take(sk_join_ident *id, const char *path)
{
	struct stat st;
	memset(id, 0, sizeof *id);
	if (stat(path, &st) != 0) {
		id->err = errno;
		return;
	}
	id->dev = (uint64_t)st.st_dev;
	id->ino = (uint64_t)st.st_ino;
	id->size = (uint64_t)st.st_size;
	id->mtime_s = (int64_t)st.st_mtim.tv_sec;
	id->mtime_ns = (int64_t)st.st_mtim.tv_nsec;
	id->regular = S_ISREG(st.st_mode);
}

static int ident_same(const sk_join_ident *a, const sk_join_ident *b)
{
	return a->err == b->err && a->dev == b->dev && a->ino == b->ino &&
	       a->size == b->size && a->mtime_s == b->mtime_s &&
	       a->mtime_ns == b->mtime_ns && a->regular == b->regular;
}

void sk_join_load(sk_join *j, sk_tool *t, const char *path, const char *fmt,
		  const char *prefix)
{
	j->files[0] = (char *)path;
	j->fmt = fmt;
	j->prefix = prefix;
	if (j->reload) {
		/* taken before the file is opened: a change while it loads
		 * is another version, loaded at the next look */
		ident_take(&j->seen, path);
		if (!j->seen.err && !j->seen.regular)
			sk_usage_error("--reload: %s: not a regular file (it could not be read again)",
				       path);
	}
	loader ld = { .j = j, .t = t, .tab = &j->tab };
	if (load(&ld) != 0) {
		if (ld.why.len)
			sk_diex(SK_EXIT_DATA, "%s", ld.why.p);
		exit(SK_EXIT_DATA); /* the reader said why */
	}
	loader_free(&ld);
	if (j->reload)
		j->check_at = now_ns() + 1000000000;
}

void sk_join_check(sk_join *j, sk_tool *t)
{
	int64_t now = now_ns();
	if (now < j->check_at)
		return;
	j->check_at = now + 1000000000;
	sk_join_ident id;
	const char *path = j->files[0];
	ident_take(&id, path);
	if (ident_same(&id, &j->seen))
		return;
	j->seen = id;
	sk_buf why = { 0 };
	if (id.err) {
		sk_buf_puts(&why, strerror(id.err));
	} else if (!id.regular) {
		sk_buf_puts(&why, "not a regular file");
	} else {
		sk_join_table nt;
		loader ld = { .j = j, .t = t, .tab = &nt, .old = &j->tab };
		if (load(&ld) == 0) {
			table_free(&j->tab);
			j->tab = nt;
			sk_out_flush(&sk_stdout);
			sk_warn("%s: reloaded (%zu row%s)", path, nt.nrow,
				nt.nrow == 1 ? "" : "s");
		} else {
			sk_buf_puts(&why, ld.why.len ? ld.why.p : "it could not be read");
		}
		loader_free(&ld);
		/* a long load: the next look a second after it */
		j->check_at = now_ns() + 1000000000;
	}
	if (why.len) {
		sk_out_flush(&sk_stdout);
		sk_warn("%s: reload failed, keeping the previous table: %s",
			path, why.p);
	}
	sk_buf_free(&why);
}

/* A column r already has: the names clash. */
static void check_clash(const sk_join *j, const sk_schema *schema,
			const sk_record *r)
{
	for (size_t c = 0; c < j->tab.ncol; c++)
		if (__builtin_expect(sk_rec_get(r, j->tab.outslot[c]) != NULL, 0))
			sk_diex(SK_EXIT_USAGE,
				"field '%s' is in both the stream and the table "
				"(--prefix STR renames the table's)",
				sk_schema_name(schema, j->tab.outslot[c]).p);
}

/* Writes r with the columns of the row block at blk (NULL: empty ones).
 * Returns the offset + 1 of the next row of the key, 0 if none. */
static uint64_t put_row(sk_join *j, sk_tool *t, sk_record *r, const char *blk)
{
	uint64_t next = 0;
	if (!blk) {
		for (size_t c = 0; c < j->tab.ncol; c++)
			sk_rec_set(r, j->tab.outslot[c], "", 0, SK_FK_TEXT);
	} else {
		memcpy(&next, blk, sizeof next);
		const char *lk = blk + sizeof next;
		const char *p = lk + j->tab.ncol * sizeof(uint32_t);
		for (size_t c = 0; c < j->tab.ncol; c++) {
			uint32_t v;
			memcpy(&v, lk + c * sizeof v, sizeof v);
			sk_rec_set(r, j->tab.outslot[c], p, v >> 2, (int)(v & 3));
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
			sk_buf msg = { 0 };
			missing_msg(&msg, &t->schema, &j->skeys[i]);
			stream_bad(t, r, SK_BAD_KEY, &msg);
			return;
		}
		goto unmatched;
	}
	const join_rows *v;
	if (j->cidr) {
		int bad;
		v = sk_cidr_table_find(&j->tab.ct, f.p, f.n, &bad);
		if (bad && j->mode == SK_JOIN_INNER) {
			sk_buf msg = { 0 };
			not_addr_msg(&msg, "an IP address", &f);
			stream_bad(t, r, SK_BAD_ADDR, &msg);
			return;
		}
	} else {
		sk_key_make(&j->key, r, j->skeys, j->nkeys);
		e = sk_hash_find(&j->tab.h, j->key.p, j->key.n,
				 sk_hash_bytes(j->key.p, j->key.n));
		v = e ? sk_hash_val(&j->tab.h, e) : NULL;
	}
	if (v) {
		if (j->mode == SK_JOIN_ANTI)
			return;
		check_clash(j, &t->schema, r);
		for (uint64_t at = v->first + 1; at; )
			at = put_row(j, t, r, j->tab.rows.p + at - 1);
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
	for (size_t c = 0; c < j->tab.ncol; c++)
		sk_rec_push(r, j->tab.outslot[c], "", 0, SK_FK_TEXT);
}

void sk_join_free(sk_join *j)
{
	free(j->skeys);
	free(j->tkeys);
	sk_schema_free(&j->tschema);
	table_free(&j->tab);
	sk_key_free(&j->key);
	memset(j, 0, sizeof *j);
}
