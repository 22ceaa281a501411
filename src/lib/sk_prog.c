/* sk_prog: stream-map programs: assignments, del, filter, and the per-key
 * state of the stateful functions. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sk_err.h"
#include "sk_func.h"
#include "sk_hash.h"

enum { ST_ASSIGN, ST_DEL, ST_FILTER, ST_EXPR };

typedef struct sk_stmt {
	int kind;
	uint32_t slot;      /* ST_ASSIGN */
	sk_node *e;         /* ST_ASSIGN, ST_FILTER, ST_EXPR */
	uint32_t *del;      /* ST_DEL */
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
	sk_buf key;
};

static void cells_destroy(void *val, void *ctx)
{
	sk_prog *p = ctx;
	sk_state_cell *c = val;
	for (uint32_t i = 0; i < p->x.nstate; i++)
		sk_state_cell_free(&c[i]);
}

static int is_word(const sk_tok *t, const char *w)
{
	return t->t == SK_T_IDENT && t->n == strlen(w) && memcmp(t->s, w, t->n) == 0;
}

/* A field name token (bare name, $name, ${...}) as a slot. */
static uint32_t name_slot(sk_prog *p, sk_parser *ps)
{
	const sk_tok *t = sk_parse_peek(ps);
	if (t->t == SK_T_POS)
		sk_die_at(ps->src, t->start, t->end,
			  "cannot assign to or delete a positional field; use a name");
	if (t->t != SK_T_IDENT && t->t != SK_T_FIELD)
		sk_parse_error(ps, t, "a field name");
	ps->i++;
	return sk_schema_intern(p->x.schema, t->s, t->n);
}

static void exempt(sk_expr *x, uint32_t slot)
{
	x->exempt = sk_xrealloc(x->exempt, (x->nexempt + 1) * sizeof *x->exempt);
	x->exempt[x->nexempt++] = slot;
}

sk_prog *sk_prog_compile(const char *src, sk_schema *schema, int flags,
			 const sk_fref *group_slots, size_t ngroup)
{
	sk_prog *p = sk_xcalloc(1, sizeof *p);
	sk_expr_setup(&p->x, src, schema, flags);
	p->x.in_prog = 1;
	sk_arena lexmem = { 0 };
	sk_parser ps;
	sk_parser_init(&ps, p->x.src, &lexmem);
	ps.mem = &p->x.mem;
	ps.in_prog = 1;
	for (;;) {
		while (sk_parse_peek(&ps)->t == SK_T_SEMI)
			ps.i++;
		const sk_tok *t = sk_parse_peek(&ps);
		if (t->t == SK_T_EOF)
			break;
		p->st = sk_xrealloc(p->st, (p->nst + 1) * sizeof *p->st);
		sk_stmt *s = &p->st[p->nst++];
		memset(s, 0, sizeof *s);
		const sk_tok *t2 = &ps.tok[ps.i + 1];
		if (is_word(t, "del") && (t2->t == SK_T_IDENT || t2->t == SK_T_FIELD ||
					  t2->t == SK_T_POS)) {
			ps.i++;
			s->kind = ST_DEL;
			do {
				s->del = sk_xrealloc(s->del, (s->ndel + 1) * sizeof *s->del);
				s->del[s->ndel++] = name_slot(p, &ps);
			} while (sk_parse_peek(&ps)->t == SK_T_COMMA && ++ps.i);
		} else if (is_word(t, "filter") && t2->t != SK_T_ASSIGN) {
			ps.i++;
			s->kind = ST_FILTER;
			s->e = sk_parse_expr(&ps);
		} else if ((t->t == SK_T_IDENT || t->t == SK_T_FIELD || t->t == SK_T_POS) &&
			   t2->t == SK_T_ASSIGN) {
			s->kind = ST_ASSIGN;
			s->slot = name_slot(p, &ps);
			ps.i++; /* '=' */
			s->e = sk_parse_expr(&ps);
			exempt(&p->x, s->slot);
		} else {
			s->kind = ST_EXPR;
			s->e = sk_parse_expr(&ps);
		}
		const sk_tok *e = sk_parse_peek(&ps);
		if (e->t != SK_T_SEMI && e->t != SK_T_EOF && !e->nl)
			sk_parse_error(&ps, e, "';' or a newline");
	}
	for (size_t i = 0; i < p->nst; i++)
		if (p->st[i].e)
			p->st[i].e = sk_compile_node(&p->x, p->st[i].e);
	sk_parser_free(&ps);
	sk_arena_free(&lexmem);
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

/* The state cells of rec's key (the group fields as read). */
static sk_state_cell *state_for(sk_prog *p, sk_record *rec)
{
	if (!p->ngroup)
		return p->one;
	sk_buf_clear(&p->key);
	for (size_t i = 0; i < p->ngroup; i++) {
		sk_field fv;
		const sk_field *f = sk_rec_ref(rec, &p->group[i], &fv) ? &fv : NULL;
		/* length-prefixed, so ("a,b", "c") and ("a", "b,c") differ;
		 * a missing field is not the same key as an empty one */
		uint32_t n = f ? (uint32_t)f->n : UINT32_MAX;
		sk_buf_put(&p->key, &n, sizeof n);
		if (f && f->n)
			sk_buf_put(&p->key, f->p, f->n);
	}
	uint64_t hv = sk_hash_bytes(p->key.p, p->key.len);
	sk_hash_ent *e = sk_hash_find(&p->keys, p->key.p, p->key.len, hv);
	if (!e) {
		int isnew;
		e = sk_hash_put(&p->keys, p->key.p, p->key.len, hv, &isnew);
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
		case ST_ASSIGN:
			v = sk_eval(x, s->e);
			set_field(rec, s->slot, &v);
			break;
		case ST_DEL:
			for (size_t j = 0; j < s->ndel; j++)
				sk_rec_del(rec, s->del[j]);
			break;
		case ST_FILTER:
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
	sk_buf_free(&p->key);
	sk_expr_teardown(&p->x);
	free(p);
}

int sk_prog_is_program(const char *src)
{
	/* Compiling can only fail by exiting: try it in a child, which
	 * leaves the tool's memory and schema as they were. */
	pid_t pid = fork();
	if (pid < 0)
		return 0;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0)
			dup2(fd, 2);
		sk_schema schema;
		sk_schema_init(&schema);
		sk_prog *p = sk_prog_compile(src, &schema, 0, NULL, 0);
		int acts = 0;
		for (size_t i = 0; i < p->nst; i++)
			acts |= p->st[i].kind != ST_EXPR;
		_exit(acts ? 0 : 1);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}
