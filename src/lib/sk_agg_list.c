/* sk_agg_list: aggregate lists from source text, on the expression
 * language: names, arities and constants checked, arguments evaluated. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_agg_list.h"
#include "sk_err.h"
#include "sk_tool.h"

/* "sum" + "_" + the argument text with runs of other bytes made '_'. */
static char *default_name(const sk_agg *a, const sk_agg_item *it)
{
	sk_buf b = { 0 };
	if (a->def->colname)
		a->def->colname(a, it->name, &b);
	else
		sk_buf_puts(&b, it->name);
	if (it->nargs) {
		sk_buf_putc(&b, '_');
		size_t start = b.len;
		const char *s = it->argsrc[0];
		if (s[0] == '$' && s[1] == '{') /* ${name with spaces} */
			s += 2;
		int gap = 0;
		for (; *s; s++) {
			int c = (unsigned char)*s;
			int word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				(c >= '0' && c <= '9') || c == '_' || c == '.' ||
				c >= 0x80;
			if (!word) {
				gap = 1;
				continue;
			}
			if (gap && b.len > start)
				sk_buf_putc(&b, '_');
			gap = 0;
			sk_buf_putc(&b, c);
		}
		if (b.len == start) /* nothing readable: "sum_1" */
			sk_buf_putc(&b, '1');
	}
	return b.p;
}

static char *call_text(const sk_agg_item *it)
{
	sk_buf b = { 0 };
	sk_buf_puts(&b, it->name);
	sk_buf_putc(&b, '(');
	for (size_t j = 0; j < it->nargs; j++) {
		if (j)
			sk_buf_puts(&b, ", ");
		sk_buf_puts(&b, it->argsrc[j]);
	}
	sk_buf_putc(&b, ')');
	return b.p;
}

void sk_agg_list_compile(sk_agg_list *l, const char *src, sk_schema *schema,
			 int flags)
{
	memset(l, 0, sizeof *l);
	sk_agg_list_parse(src, schema, flags, &l->items, &l->nitems);
	if (l->nitems == 0)
		sk_die_at(src, 0, strlen(src), "no aggregate");
	sk_record empty;
	sk_rec_init(&empty);
	for (size_t i = 0; i < l->nitems; i++) {
		sk_agg_item *it = &l->items[i];
		sk_num *c = sk_xcalloc(it->nargs + 1, sizeof *c);
		for (size_t j = 1; j < it->nargs; j++) {
			sk_value v = sk_expr_eval(it->args[j], &empty);
			int isnum = v.t == SK_V_NUM;
			if (isnum)
				c[j] = (sk_num){ v.isint, v.i, v.d };
			else if (v.t == SK_V_STR)
				isnum = sk_num_parse(v.s, v.n, &c[j]);
			if (!isnum)
				sk_die_at(src, it->start, it->end,
					  "%s: argument %zu must be a constant number",
					  it->name, j + 1);
		}
		sk_agg a;
		const char *err = sk_agg_config(&a, it->name, it->nargs, c);
		free(c);
		if (err)
			sk_die_at(src, it->start, it->end, "%s", err);
		a.name = it->alias ? sk_xstrndup(it->alias, strlen(it->alias)) :
			default_name(&a, it);
		a.call = call_text(it);
		sk_aggs_push(&l->aggs, &a);
	}
	sk_rec_free(&empty);
	l->in = sk_xcalloc(l->nitems, sizeof *l->in);
	/* 'sum(bytes), share(bytes)': one evaluation and one parse of bytes */
	l->same = sk_xcalloc(l->nitems, sizeof *l->same);
	l->field = sk_xcalloc(l->nitems, sizeof *l->field);
	for (size_t i = 0; i < l->nitems; i++) {
		uint32_t slot;
		if (l->items[i].nargs && sk_expr_is_field(l->items[i].args[0], &slot))
			l->field[i] = (int64_t)slot + 1;
	}
	for (size_t i = 0; i < l->nitems; i++)
		for (size_t j = 0; j < i && l->items[i].nargs; j++)
			if (l->items[j].nargs &&
			    l->aggs.a[j].def->input == l->aggs.a[i].def->input &&
			    strcmp(l->items[j].argsrc[0], l->items[i].argsrc[0]) == 0) {
				l->same[i] = j + 1;
				break;
			}
}

long sk_agg_list_eval(sk_agg_list *l, sk_record *rec)
{
	l->err = NULL;
	for (size_t i = 0; i < l->nitems; i++) {
		if (l->same[i]) {
			l->in[i] = l->in[l->same[i] - 1];
			continue;
		}
		sk_value v, *vp = NULL;
		if (l->field[i]) {
			const sk_field *f = sk_rec_get(rec, (uint32_t)(l->field[i] - 1));
			v = sk_v_null();
			if (f)
				v = sk_field_value(f);
			vp = &v;
		} else if (l->items[i].nargs) {
			v = sk_expr_eval(l->items[i].args[0], rec);
			vp = &v;
			if (__builtin_expect(sk_expr_error(l->items[i].args[0]) != NULL, 0)) {
				l->err = sk_expr_error(l->items[i].args[0]);
				return (long)i;
			}
		}
		if (sk_agg_check(&l->aggs.a[i], vp, &l->in[i]) == SK_AGG_NAN)
			return (long)i;
	}
	return -1;
}

void sk_agg_list_unique(const sk_agg_list *l, const char *src,
			const sk_schema *schema, const uint32_t *slots,
			size_t n, const char *opt)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (slots[i] == slots[j]) {
				sk_str s = sk_schema_name(schema, slots[i]);
				sk_usage_error("%s: duplicate output column '%.*s'", opt,
					       (int)s.n, s.p);
			}
	for (size_t i = 0; i < l->nitems; i++) {
		const char *name = l->aggs.a[i].name;
		size_t len = strlen(name);
		int dup = 0;
		for (size_t j = 0; j < n && !dup; j++)
			dup = sk_str_eq(sk_schema_name(schema, slots[j]), name, len);
		for (size_t j = 0; j < i && !dup; j++)
			dup = strcmp(l->aggs.a[j].name, name) == 0;
		if (dup)
			sk_die_at(src, l->items[i].start, l->items[i].end,
				  "duplicate output column '%s'%s", name,
				  l->items[i].alias ? "" : " (name it with 'as')");
	}
}

void sk_agg_list_add(sk_agg_list *l, void *block)
{
	uint64_t seq = ++l->seq;
	for (size_t i = 0; i < l->nitems; i++) {
		l->in[i].seq = seq;
		sk_agg_add(&l->aggs.a[i], (char *)block + l->aggs.a[i].off,
			   &l->in[i]);
	}
}

void sk_agg_list_free(sk_agg_list *l)
{
	sk_aggs_free(&l->aggs);
	sk_agg_items_free(l->items, l->nitems);
	free(l->in);
	free(l->same);
	free(l->field);
	memset(l, 0, sizeof *l);
}
