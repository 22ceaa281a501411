/* sk_value: the typed values of the expression language and aggregates. */
#ifndef SK_VALUE_H
#define SK_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include "sk_buf.h"
#include "sk_num.h"
#include "sk_record.h"

typedef enum sk_vtype {
	SK_V_NULL = 0, /* empty or missing field, undefined result */
	SK_V_BOOL,
	SK_V_NUM,      /* d always set; isint: exact in i */
	SK_V_STR,      /* bytes [s, s+n), borrowed (record or arena) */
} sk_vtype;

/*
 * Strings that came from input fields are "strnum"s as in awk: they compare
 * as numbers when they look like one. numchk caches the check:
 * 0 = not checked yet, 1 = is a number (d/i/isint hold it), 2 = is not.
 */
typedef struct sk_value {
	uint8_t t;
	uint8_t isint;
	uint8_t numchk;
	uint8_t fromfield; /* a field's text (strnum), not a string literal */
	uint8_t fk;        /* fromfield: the field's enum sk_field_kind, so a
			    * copy keeps its JSON type ("200", true, 200) */
	int64_t i;
	double d;
	const char *s;
	size_t n;
} sk_value;

static inline sk_value sk_v_null(void) { sk_value v = { 0 }; return v; }
static inline sk_value sk_v_num(double d)
{
	sk_value v = { 0 };
	v.t = SK_V_NUM;
	v.d = d;
	return v;
}
static inline sk_value sk_v_int(int64_t i)
{
	sk_value v = { 0 };
	v.t = SK_V_NUM;
	v.isint = 1;
	v.i = i;
	v.d = (double)i;
	return v;
}
static inline sk_value sk_v_str(const char *s, size_t n)
{
	sk_value v = { 0 };
	v.t = SK_V_STR;
	v.s = s;
	v.n = n;
	return v;
}
static inline sk_value sk_v_bool(int b)
{
	sk_value v = { 0 };
	v.t = SK_V_BOOL;
	v.i = b != 0;
	v.d = b != 0;
	v.isint = 1;
	return v;
}

/*
 * The numeric value of v: 1 and *out if v is a number, a bool, or a string
 * that is all a number (cached in v); 0 otherwise (null, other strings).
 */
int sk_value_num(sk_value *v, sk_num *out);

/* A number as a value: an exact integer when it is one. */
static inline sk_value sk_num_value(const sk_num *a)
{
	return a->isint ? sk_v_int(a->i) : sk_v_num(a->d);
}

/*
 * Truth: null, false, 0 and "" are false; all else true. A field is false
 * when it is empty, reads as zero ("0", "0.0") or is the word false (a JSON
 * false, or the text false as any format writes a boolean); a string
 * literal is false only when empty ("0" and "false" are true, as in awk).
 */
int sk_value_truthy(const sk_value *v);

/*
 * The text of v: strings as they are, numbers formatted (into buf, which
 * needs SK_NUM_BUFSZ bytes), booleans "true"/"false", null "".
 */
sk_str sk_value_text(const sk_value *v, char *buf);

/* A field's value: its bytes as a strnum, with the field's kind. */
static inline sk_value sk_field_value(const sk_field *f)
{
	sk_value v = { 0 };
	v.t = SK_V_STR;
	v.s = f->p;
	v.n = f->n;
	v.fromfield = 1;
	v.fk = f->kind;
	return v;
}

/* The sk_field_kind a value is written with when stored in a field: a
 * field's own kind, SK_FK_STR for other strings, SK_FK_JSON for booleans
 * and SK_FK_TEXT for numbers. */
static inline int sk_value_kind(const sk_value *v)
{
	switch (v->t) {
	case SK_V_BOOL: return SK_FK_JSON;
	case SK_V_STR: return v->fromfield ? v->fk : SK_FK_STR;
	default: return SK_FK_TEXT;
	}
}

#endif
