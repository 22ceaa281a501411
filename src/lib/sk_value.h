/* sk_value: the typed values of the expression language and aggregates. */
#ifndef SK_VALUE_H
#define SK_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include "sk_num.h"

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

#endif
