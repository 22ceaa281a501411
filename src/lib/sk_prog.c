/* sk_prog: stream-map programs: assignments, del, filter, and the per-key
 * state of the stateful functions. */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include "sk_compile.h"
#include "sk_err.h"
#include "sk_func.h"
#include "sk_hash.h"
#include "sk_key.h"
#include "sk_state.h"

/* The kinds of statement are the parser's: SK_PS_ASSIGN and the rest. */

typedef struct sk_stmt {
	int kind;
	uint32_t slot;      /* SK_PS_ASSIGN */
	sk_node *e;         /* SK_PS_ASSIGN, SK_PS_FILTER, SK_PS_EXPR */
	uint32_t *del;      /* SK_PS_DEL */
	size_t ndel;
} sk_stmt;

struct sk_prog {
	sk_expr x;          /* shared by all statements: nodes, scratch, state */
	sk_stmt *st;
	size_t nst;
	sk_fref *group;
	size_t ngroup;
	sk_hash keys;       /* key bytes -> nstate cells */
	sk_hash_type keytype;
	sk_state_cell *one; /* no -g: one state for the stream */
	sk_key key;
};

static void cells_destroy(void *val, void *ctx)
{
	sk_prog *p = ctx;
	sk_state_cell *c = val;
	for (uint32_t i = 0; i < p->x.nstate; i++)
		sk_state_cell_free(&c[i]);
}

/*
 * Compiles src into a new program: it, or NULL with the program error in
 * *err (nothing printed, nothing left allocated).
 */
static sk_prog *compile(const char *src, sk_schema *schema, int flags,
			const sk_fref *group_slots, size_t ngroup, sk_src_err *err)
{
	sk_prog *p = sk_xcalloc(1, sizeof *p);
	sk_expr_setup(&p->x, src, schema, flags);
	p->x.in_prog = 1;
	sk_parser ps;
	int parsed = sk_parse_prog(&ps, p->x.src, &p->x.mem);
	jmp_buf jb;
	p->x.fail = &jb;
	p->x.fail_err = err;
	if (setjmp(jb)) {
		sk_parser_free(&ps);
		sk_prog_free(p);
		return NULL;
	}
	sk_compile_calls(&p->x, &ps, parsed);
	/* the fields assigned and deleted first, in order, then the
	 * expressions' fields as they are compiled */
	p->st = sk_xcalloc(ps.nst + 1, sizeof *p->st);
	for (size_t i = 0; i < ps.nst; i++) {
		const sk_pstmt *q = &ps.st[i];
		sk_stmt *s = &p->st[p->nst++];
		s->kind = q->kind;
		s->e = q->e;
		if (q->kind == SK_PS_ASSIGN) {
			s->slot = sk_schema_intern(schema, q->name.p, q->name.n);
			sk_expr_exempt(&p->x, s->slot);
		} else if (q->kind == SK_PS_DEL) {
			s->del = sk_xmalloc(q->ndel * sizeof *s->del);
			for (size_t j = 0; j < q->ndel; j++)
				s->del[j] = sk_schema_intern(schema, q->del[j].p, q->del[j].n);
			s->ndel = q->ndel;
		}
	}
	for (size_t i = 0; i < p->nst; i++)
		if (p->st[i].e)
			p->st[i].e = sk_compile_node(&p->x, p->st[i].e);
	p->x.fail = NULL;
	sk_parser_free(&ps);
	if (ngroup) {
		p->group = sk_xmalloc(ngroup * sizeof *p->group);
		memcpy(p->group, group_slots, ngroup * sizeof *p->group);
		p->ngroup = ngroup;
	}
	p->keytype.val_size = p->x.nstate * sizeof(sk_state_cell);
	p->keytype.val_destroy = cells_destroy;
	sk_hash_init(&p->keys, &p->keytype, p);
	if (p->x.nstate)
		p->one = sk_xcalloc(p->x.nstate, sizeof *p->one);
	return p;
}

sk_prog *sk_prog_compile(const char *src, sk_schema *schema, int flags,
			 const sk_fref *group_slots, size_t ngroup)
{
	sk_src_err err = { 0 };
	sk_prog *p = compile(src, schema, flags, group_slots, ngroup, &err);
	if (!p)
		sk_src_err_die(&err, src);
	return p;
}

/* The state cells of rec's key (the group fields as read). */
static sk_state_cell *state_for(sk_prog *p, sk_record *rec)
{
	if (!p->ngroup)
		return p->one;
	/* the key every tool makes (sk_key.h: a missing field is empty) */
	sk_key_make(&p->key, rec, p->group, p->ngroup);
	uint64_t hv = sk_hash_bytes(p->key.p, p->key.n);
	sk_hash_ent *e = sk_hash_find(&p->keys, p->key.p, p->key.n, hv);
	if (!e) {
		int isnew;
		e = sk_hash_put(&p->keys, p->key.p, p->key.n, hv, &isnew);
	}
	return sk_hash_val(&p->keys, e);
}

/* Sets a field to v; the bytes are copied into the record's arena since
 * scratch is reused by the next statement. */
static void set_field(sk_record *rec, uint32_t slot, const sk_value *v)
{
	char *p;
	size_t n;
	switch (v->t) {
	case SK_V_NULL:
		sk_rec_set(rec, slot, "", 0, SK_FK_TEXT);
		return;
	case SK_V_BOOL:
		sk_rec_set(rec, slot, v->i ? "true" : "false", v->i ? 4 : 5, SK_FK_JSON);
		return;
	case SK_V_NUM:
		p = sk_arena_alloc(&rec->arena, SK_NUM_BUFSZ);
		n = v->isint ? sk_num_fmt_int(p, v->i) : sk_num_fmt(p, v->d);
		sk_rec_set(rec, slot, p, n, SK_FK_TEXT);
		return;
	default:
		p = sk_arena_dup(&rec->arena, v->s ? v->s : "", v->n);
		sk_rec_set(rec, slot, p, v->n, sk_value_kind(v));
		return;
	}
}

static int run(sk_prog *p, sk_record *rec, int stop);

int sk_prog_run(sk_prog *p, sk_record *rec)
{
	return run(p, rec, 1);
}

void sk_prog_run_all(sk_prog *p, sk_record *rec)
{
	(void)run(p, rec, 0);
}

static int run(sk_prog *p, sk_record *rec, int stop)
{
	sk_expr *x = &p->x;
	sk_eval_begin(x, rec);
	if (x->nstate)
		x->state = state_for(p, rec);
	for (size_t i = 0; i < p->nst; i++) {
		sk_stmt *s = &p->st[i];
		sk_value v;
		switch (s->kind) {
		case SK_PS_ASSIGN:
			v = sk_eval(x, s->e);
			set_field(rec, s->slot, &v);
			break;
		case SK_PS_DEL:
			for (size_t j = 0; j < s->ndel; j++)
				sk_rec_del(rec, s->del[j]);
			break;
		case SK_PS_FILTER:
			v = sk_eval(x, s->e);
			if (!sk_value_truthy(&v) && stop)
				return 0;
			break;
		default:
			(void)sk_eval(x, s->e);
			break;
		}
		if (__builtin_expect(x->err != NULL, 0) && stop)
			return 0;
	}
	return 1;
}

const char *sk_prog_error(const sk_prog *p)
{
	return p->x.err;
}

void sk_prog_free(sk_prog *p)
{
	if (!p)
		return;
	sk_hash_free(&p->keys);
	if (p->one)
		cells_destroy(p->one, p);
	free(p->one);
	for (size_t i = 0; i < p->nst; i++)
		free(p->st[i].del);
	free(p->st);
	free(p->group);
	sk_key_free(&p->key);
	sk_expr_teardown(&p->x);
	free(p);
}

uint32_t sk_prog_nstate(const sk_prog *p)
{
	return p->x.nstate;
}

/* One cell: its flags in a u32 (has, type, kind, isint a byte each),
 * the number (i, the bits of d), count and prev's text. */
static void cell_save(const sk_state_cell *c, sk_buf *out)
{
	sk_state_u32(out, (uint32_t)(c->has != 0) | (uint32_t)c->t << 8 |
		     (uint32_t)c->fk << 16 | (uint32_t)(c->num.isint != 0) << 24);
	uint64_t d;
	memcpy(&d, &c->num.d, sizeof d);
	sk_state_u64(out, (uint64_t)c->num.i);
	sk_state_u64(out, d);
	sk_state_u64(out, (uint64_t)c->count);
	sk_state_str(out, c->t == SK_V_STR ? c->s : NULL,
		     c->t == SK_V_STR ? c->n : 0);
}

/* Reads a cell into c (zeroed); 0 if it cannot be one a run makes. */
static int cell_load(sk_state_cell *c, sk_cur *cur)
{
	uint32_t f = sk_cur_u32(cur);
	uint64_t i = sk_cur_u64(cur), d = sk_cur_u64(cur), n = sk_cur_u64(cur);
	sk_str s = sk_cur_str(cur);
	if (cur->bad || (f & 0xff) > 1 || (f >> 8 & 0xff) > SK_V_STR ||
	    (f >> 16 & 0xff) > SK_FK_JSON || f >> 24 > 1 ||
	    (s.n && (f >> 8 & 0xff) != SK_V_STR))
		return 0;
	c->has = (int)(f & 1);
	c->t = (uint8_t)(f >> 8);
	c->fk = (uint8_t)(f >> 16);
	c->num.isint = (int)(f >> 24);
	c->num.i = (int64_t)i;
	memcpy(&c->num.d, &d, sizeof d);
	c->count = (int64_t)n;
	if (c->t == SK_V_STR) {
		c->cap = s.n + 1;
		c->s = sk_xmalloc(c->cap);
		if (s.n)
			memcpy(c->s, s.p, s.n);
		c->n = s.n;
	}
	return 1;
}

void sk_prog_state_save(const sk_prog *p, sk_buf *out)
{
	uint32_t ns = p->x.nstate;
	sk_state_u32(out, ns);
	sk_state_u32(out, p->ngroup ? 1 : 0);
	if (!p->ngroup) {
		sk_state_u64(out, ns ? 1 : 0);
		if (ns) {
			sk_state_str(out, NULL, 0);
			for (uint32_t k = 0; k < ns; k++)
				cell_save(&p->one[k], out);
		}
		return;
	}
	sk_state_u64(out, sk_hash_count(&p->keys));
	sk_hash_iter it;
	sk_hash_ent *e;
	for (sk_hash_iter_init(&p->keys, &it); (e = sk_hash_next(&p->keys, &it)); ) {
		const sk_state_cell *c = sk_hash_val(&p->keys, e);
		sk_state_str(out, e->key, e->n);
		for (uint32_t k = 0; k < ns; k++)
			cell_save(&c[k], out);
	}
}

int sk_prog_state_load(sk_prog *p, sk_cur *c, sk_buf *err)
{
	uint32_t ns = sk_cur_u32(c), grouped = sk_cur_u32(c);
	if (!c->bad && (ns != p->x.nstate || grouped != (p->ngroup ? 1u : 0u))) {
		sk_buf_puts(err, "damaged: not this program's functions");
		return 0;
	}
	/* a key is at least its length; its cells 32 bytes each */
	uint64_t n = sk_cur_count(c, 4 + (size_t)ns * 32);
	if (!c->bad && !p->ngroup && n > (ns ? 1u : 0u)) {
		sk_buf_puts(err, "damaged: keys without -g");
		return 0;
	}
	for (uint64_t i = 0; !c->bad && i < n; i++) {
		sk_str k = sk_cur_str(c);
		if (c->bad)
			break;
		sk_state_cell *cells;
		if (!p->ngroup) {
			if (k.n) {
				sk_buf_puts(err, "damaged: a key without -g");
				return 0;
			}
			cells = p->one;
		} else {
			uint64_t hv = sk_hash_bytes(k.p, k.n);
			int isnew;
			sk_hash_ent *e = sk_hash_put(&p->keys, k.p, k.n, hv, &isnew);
			if (!isnew) {
				sk_buf_puts(err, "damaged: a key twice");
				return 0;
			}
			cells = sk_hash_val(&p->keys, e);
		}
		for (uint32_t j = 0; j < ns; j++)
			if (!cell_load(&cells[j], c)) {
				if (!c->bad) {
					sk_buf_puts(err, "damaged: a bad function state");
					return 0;
				}
				break;
			}
	}
	if (c->bad || c->p != c->end) {
		sk_buf_puts(err, c->bad ? "damaged: the function states run "
			    "past the end" : "damaged: bytes after the function "
			    "states");
		return 0;
	}
	return 1;
}

int sk_prog_is_program(const char *src)
{
	/* compiled against a schema of its own: the tool's stays as it was */
	sk_schema schema;
	sk_schema_init(&schema);
	sk_src_err err = { 0 };
	sk_prog *p = compile(src, &schema, 0, NULL, 0, &err);
	int acts = 0;
	for (size_t i = 0; p && i < p->nst; i++)
		acts |= p->st[i].kind != SK_PS_EXPR;
	sk_prog_free(p);
	sk_src_err_clear(&err);
	sk_schema_free(&schema);
	return acts;
}
