/* sk_fedit: stream-map's field edits (see sk_fedit.h). */
#include <stdlib.h>
#include <string.h>
#include "sk_buf.h"
#include "sk_err.h"
#include "sk_fedit.h"
#include "sk_tool.h"

void sk_fedit_select(sk_fedit *fe, sk_schema *schema, const char *list)
{
	free(fe->sel);
	fe->sel = NULL;
	fe->nsel = sk_tool_fields(schema, "-s", list, &fe->sel);
	fe->has_sel = 1;
}

void sk_fedit_exclude(sk_fedit *fe, sk_schema *schema, const char *list)
{
	sk_fref *x = NULL;
	size_t n = sk_tool_fields(schema, "-x", list, &x);
	SK_GROW(fe->exc, fe->exccap, fe->nexc + n);
	if (n)
		memcpy(fe->exc + fe->nexc, x, n * sizeof *x);
	fe->nexc += n;
	free(x);
}

void sk_fedit_rename(sk_fedit *fe, sk_schema *schema, const char *arg)
{
	const char *p = arg;
	for (;;) {
		const char *q = strchr(p, ',');
		size_t len = q ? (size_t)(q - p) : strlen(p);
		const char *colon = memchr(p, ':', len);
		if (!colon || colon == p || colon == p + len - 1)
			sk_usage_error("--rename takes OLD:NEW, not '%.*s'", (int)len, p);
		SK_GROW(fe->ren, fe->rencap, fe->nren + 2);
		fe->ren[fe->nren++] = sk_tool_field(schema, "--rename", p,
						    (size_t)(colon - p));
		fe->ren[fe->nren].pos = 0;
		fe->ren[fe->nren++].slot = sk_schema_intern(schema, colon + 1,
					len - (size_t)(colon - p) - 1);
		if (!q)
			break;
		p = q + 1;
	}
}

/* Field i of the edits: of sel, exc, then ren. */
static const sk_fref *fref(const sk_fedit *fe, size_t i)
{
	return i < fe->nsel ? &fe->sel[i] : i < fe->nsel + fe->nexc ?
		&fe->exc[i - fe->nsel] : &fe->ren[i - fe->nsel - fe->nexc];
}

void sk_fedit_ready(sk_fedit *fe)
{
	fe->nslot = fe->nsel + fe->nexc + fe->nren;
	fe->slot = sk_xcalloc(fe->nslot + 1, sizeof *fe->slot);
	for (size_t i = 0; i < fe->nslot; i++) {
		fe->slot[i] = fref(fe, i)->slot;
		fe->has_pos |= fref(fe, i)->pos != 0;
	}
}

/*
 * The slot a position names in r as it is now: the field there, or for a
 * lines record its word, made a field named by the number when make is
 * set (so -s 1 keeps the first word); UINT32_MAX if there is none.
 */
static uint32_t resolve(sk_record *r, const sk_fref *ref, int make)
{
	sk_field f;
	if (!sk_rec_ref(r, ref, &f))
		return UINT32_MAX;
	if (r->words) {
		if (!make)
			return UINT32_MAX;
		sk_rec_set(r, ref->slot, f.p, f.n, SK_FK_TEXT);
		return ref->slot;
	}
	return f.slot;
}

void sk_fedit_apply_all(sk_fedit *fe, sk_record *r)
{
	size_t nsel = fe->nsel, nexc = fe->nexc;
	if (fe->has_pos)
		for (size_t i = 0; i < fe->nslot; i++) {
			const sk_fref *f = fref(fe, i);
			if (f->pos)
				fe->slot[i] = resolve(r, f, i < nsel || i >= nsel + nexc);
		}
	if (fe->has_sel)
		sk_rec_select(r, fe->slot, nsel);
	for (size_t i = 0; i < nexc; i++)
		sk_rec_del(r, fe->slot[nsel + i]);
	for (size_t i = 0; i < fe->nren; i += 2)
		sk_rec_rename(r, fe->slot[nsel + nexc + i],
			      fe->slot[nsel + nexc + i + 1]);
}

void sk_fedit_free(sk_fedit *fe)
{
	free(fe->sel);
	free(fe->exc);
	free(fe->ren);
	free(fe->slot);
	memset(fe, 0, sizeof *fe);
}
