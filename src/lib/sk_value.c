/* sk_value: numeric view, text and truth of expression values (awk strnums). */
#include <string.h>
#include "sk_value.h"

int sk_value_num(sk_value *v, sk_num *out)
{
	switch (v->t) {
	case SK_V_NUM:
	case SK_V_BOOL:
		out->isint = v->isint;
		out->i = v->i;
		out->d = v->d;
		return 1;
	case SK_V_STR:
		if (v->numchk == 0) {
			sk_num x;
			if (v->n && sk_num_parse(v->s, v->n, &x)) {
				v->numchk = 1;
				v->isint = (uint8_t)x.isint;
				v->i = x.i;
				v->d = x.d;
			} else {
				v->numchk = 2;
			}
		}
		if (v->numchk != 1)
			return 0;
		out->isint = v->isint;
		out->i = v->i;
		out->d = v->d;
		return 1;
	default:
		return 0;
	}
}

int sk_value_truthy(const sk_value *v)
{
	switch (v->t) {
	case SK_V_BOOL:
		return v->i != 0;
	case SK_V_NUM:
		return v->isint ? v->i != 0 : v->d != 0;
	case SK_V_STR: {
		if (v->n == 0)
			return 0;
		if (!v->fromfield)
			return 1;
		/* a boolean in a field: JSON false, or false as text */
		if (v->n == 5 && memcmp(v->s, "false", 5) == 0)
			return 0;
		/* awk: a field that looks like zero ("0", "0.0") is false */
		sk_value c = *v;
		sk_num x;
		if (sk_value_num(&c, &x))
			return x.isint ? x.i != 0 : x.d != 0;
		return 1;
	}
	default:
		return 0;
	}
}

sk_str sk_value_text(const sk_value *v, char *buf)
{
	sk_str s = { "", 0 };
	switch (v->t) {
	case SK_V_STR:
		s.p = v->s ? v->s : "";
		s.n = v->n;
		break;
	case SK_V_NUM:
		s.p = buf;
		s.n = v->isint ? sk_num_fmt_int(buf, v->i) : sk_num_fmt(buf, v->d);
		break;
	case SK_V_BOOL:
		s = v->i ? SK_STR("true") : SK_STR("false");
		break;
	}
	return s;
}
