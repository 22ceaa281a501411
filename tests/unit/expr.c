/* Unit tests of the sk_expr API: compile/eval on hand-made records,
 * truth, strnum numbers, aggregate lists. Prints TAP. */
#include <stdio.h>
#include <string.h>
#include "sk_expr.h"
#include "sk_err.h"
#include "tap.h"

static int streq(sk_value v, const char *s)
{
	return v.t == SK_V_STR && v.n == strlen(s) && memcmp(v.s, s, v.n) == 0;
}

int main(void)
{
	sk_err_init("expr");
	sk_schema sc;
	sk_schema_init(&sc);
	sk_record r;
	sk_rec_init(&r);
	uint32_t a = sk_schema_intern(&sc, "a", 1), s = sk_schema_intern(&sc, "s", 1);
	sk_rec_push(&r, a, "42", 2, SK_FK_TEXT);
	sk_rec_push(&r, s, "hello", 5, SK_FK_TEXT);
	r.raw = (sk_str){ "42,hello", 8 };

	sk_expr *e = sk_expr_compile("a + 1", &sc, 0);
	sk_value v = sk_expr_eval(e, &r);
	ok(v.t == SK_V_NUM && v.isint && v.i == 43, "a + 1 is the exact integer 43");
	sk_expr_free(e);

	e = sk_expr_compile("upper(s) .. \"!\"", &sc, 0);
	for (int i = 0; i < 100000; i++)
		v = sk_expr_eval(e, &r);
	ok(streq(v, "HELLO!"), "string functions use scratch, reused per eval");
	sk_expr_free(e);

	e = sk_expr_compile("b", &sc, 0);
	v = sk_expr_eval(e, &r);
	ok(v.t == SK_V_NULL, "a field the record lacks is null");
	ok(sk_schema_find(&sc, "b", 1) >= 0, "field names are interned at compile time");
	sk_expr_free(e);

	e = sk_expr_compile("$0", &sc, 0);
	v = sk_expr_eval(e, &r);
	ok(streq(v, "42,hello") && v.fromfield, "$0 is the raw record, a strnum");
	sk_expr_free(e);

	e = sk_expr_compile("1 + 2 * 3 .. 4", &sc, 0);
	v = sk_expr_eval(e, NULL);
	ok(v.t == SK_V_NUM && v.i == 69, "constants fold at compile time (no record needed)");
	sk_expr_free(e);

	sk_value f = sk_v_str("0.0", 3);
	f.fromfield = 1;
	ok(!sk_value_truthy(&f), "a field that looks like zero is false");
	f.fromfield = 0;
	ok(sk_value_truthy(&f), "a string literal \"0.0\" is true");
	sk_value nul = sk_v_null();
	ok(!sk_value_truthy(&nul), "null is false");
	sk_value w = sk_v_str(" 12 ", 4);
	sk_num n;
	ok(sk_value_num(&w, &n) && n.isint && n.i == 12 && w.numchk == 1,
	   "sk_value_num caches its check");
	sk_value x = sk_v_str("12x", 3);
	ok(!sk_value_num(&x, &n) && x.numchk == 2, "12x is not a number");

	sk_agg_item *it;
	size_t ni;
	sk_agg_list_parse("count, sum(bytes), p99.9(lat) as slow, approx_p(x, 0.9), count_if(a > 1)",
			  &sc, 0, &it, &ni);
	ok(ni == 5, "five aggregates");
	ok(ni == 5 && !strcmp(it[0].name, "count") && it[0].nargs == 0, "count takes no parens");
	ok(ni == 5 && !strcmp(it[1].name, "sum") && it[1].nargs == 1 &&
	   !strcmp(it[1].argsrc[0], "bytes"), "sum(bytes) with its source text");
	ok(ni == 5 && !strcmp(it[2].name, "p99.9") && it[2].alias &&
	   !strcmp(it[2].alias, "slow"), "p99.9 is one name; 'as' gives the alias");
	ok(ni == 5 && it[3].nargs == 2 && !strcmp(it[3].argsrc[1], "0.9"), "approx_p has 2 args");
	ok(ni == 5 && !strcmp(it[4].argsrc[0], "a > 1") && it[4].start == 57 && it[4].end == 72,
	   "spans of an item");
	if (ni == 5) {
		v = sk_expr_eval(it[4].args[0], &r);
		ok(v.t == SK_V_BOOL && v.i == 1, "an argument evaluates");
	}
	sk_agg_items_free(it, ni);

	sk_prog *p = sk_prog_compile("c = a * 2; filter c > 80; del s", &sc, 0, NULL, 0);
	ok(sk_prog_run(p, &r) == 1, "a program keeps the record");
	const sk_field *c = sk_rec_get(&r, (uint32_t)sk_schema_find(&sc, "c", 1));
	ok(c && c->n == 2 && !memcmp(c->p, "84", 2) && !sk_rec_get(&r, s) && r.modified,
	   "assigns and deletes");
	sk_prog_free(p);

	sk_rec_free(&r);
	sk_schema_free(&sc);
	return tap_done();
}
