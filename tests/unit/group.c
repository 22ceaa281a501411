/* sk_group: the group table and its rows without a tool: groups in
 * first-seen order, --sort (stable, empty last, both flag sets), --top
 * alone and after --sort, the snapshot schedule of --every. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sk_group.h"
#include "tap.h"

static sk_schema schema;
static sk_aggs L;
static sk_fref key;
static sk_record rec;

/* The rows of the groups "k:v k:v ..." (max(v) by k; v may be empty)
 * through rows of flags, sorted by sortarg (NULL: none), cut at top, as
 * CSV. */
static const char *run(const char *recs, int flags, const char *sortarg,
		       uint64_t top)
{
	static char got[1024];
	FILE *f = tmpfile();
	sk_out out;
	sk_out_init(&out, fileno(f));
	sk_fmt_opts fo = { .delim = ',', .out_header = 1 };
	sk_writer wr;
	sk_writer_init(&wr, "csv", &out, &schema, &fo, NULL);
	sk_rows rs;
	sk_rows_init(&rs, &schema, NULL, 0, &key, 1, &L, &wr, flags);
	sk_rows_order(&rs, &schema, sortarg, top);
	sk_group g;
	sk_group_init(&g, &L, &key, 1);
	char *s = strdup(recs), *save = NULL;
	for (char *tok = strtok_r(s, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		char *v = strchr(tok, ':');
		*v++ = 0;
		sk_rec_clear(&rec);
		sk_rec_push(&rec, key.slot, tok, strlen(tok), SK_FK_TEXT);
		sk_key k = { .p = tok, .n = strlen(tok) };
		void *blk = sk_group_get(&g, &k, &rec);
		sk_value val = sk_v_str(v, strlen(v));
		val.fromfield = 1;
		sk_agg_in in;
		sk_agg_check(&L.a[0], &val, &in);
		sk_agg_add(&L.a[0], (char *)blk + L.a[0].off, &in);
	}
	free(s);
	sk_group_emit(&g, &rs, NULL);
	sk_writer_finish(&wr);
	sk_out_flush(&out);
	size_t n = (size_t)ftell(f);
	rewind(f);
	n = fread(got, 1, n < sizeof got - 1 ? n : sizeof got - 1, f);
	got[n] = 0;
	fclose(f);
	free(out.buf); /* sk_out has no free: the tools' lives as long as they */
	sk_group_free(&g);
	sk_rows_free(&rs);
	sk_writer_free(&wr);
	return got;
}

static void expect(const char *desc, const char *recs, int flags,
		   const char *sortarg, uint64_t top, const char *want)
{
	const char *got = run(recs, flags, sortarg, top);
	ok(strcmp(got, want) == 0, "%s", desc);
	if (strcmp(got, want) != 0)
		printf("#   got '%s'\n", got);
}

int main(void)
{
	sk_schema_init(&schema);
	sk_rec_init(&rec);
	sk_agg a;
	sk_agg_config(&a, "max", 1, NULL);
	a.name = strdup("m");
	sk_aggs_push(&L, &a);
	key.slot = sk_schema_intern(&schema, "k", 1);

	const char *in = "b:3 a:1 :2 c: b:5 d:1";
	expect("groups come in first-seen order, one row each", in, 0, NULL, 0,
	       "k,m\nb,5\na,1\n,2\nc,\nd,1\n");
	expect("--top alone: the first N groups", in, 0, NULL, 2,
	       "k,m\nb,5\na,1\n");
	expect("--sort: numbers by value, ties first-seen, no value last", in,
	       0, "m", 0, "k,m\na,1\nd,1\n,2\nb,5\nc,\n");
	expect("--sort -: reversed, ties still first-seen, no value still last",
	       in, 0, "-m", 0, "k,m\nb,5\n,2\na,1\nd,1\nc,\n");
	expect("--sort then --top", in, 0, "-m", 2, "k,m\nb,5\n,2\n");
	expect("--sort on a key: an empty key is a value", in, 0, "k", 0,
	       "k,m\n,2\na,1\nb,5\nc,\nd,1\n");
	expect("SK_ROWS_WINDOW: an empty key goes last", in, SK_ROWS_WINDOW,
	       "k", 0, "k,m\na,1\nb,5\nc,\nd,1\n,2\n");
	expect("--sort: NaN after every number", "nan:1 2:1 -1:1", 0, "k", 0,
	       "k,m\n-1,1\n2,1\nnan,1\n");
	expect("--sort -: NaN still after every number", "nan:1 2:1 -1:1", 0,
	       "-k", 0, "k,m\n2,1\n-1,1\nnan,1\n");

	sk_snaps sn = { .every = 3 };
	sk_snaps_start(&sn);
	int due[7];
	for (int i = 1; i <= 6; i++)
		due[i] = sk_snaps_record(&sn);
	ok(due[1] == SK_SNAP_NONE && due[2] == SK_SNAP_NONE &&
	   due[3] == SK_SNAP_EVERY && due[6] == SK_SNAP_EVERY,
	   "--every 3: due after records 3 and 6");
	int wait;
	ok(!sk_snaps_tick(&sn, &wait) && wait == -1,
	   "no --interval: the clock never ticks, the reader waits forever");
	sk_snaps_taken(&sn);
	ok(!sk_snaps_final(&sn), "the last snapshot is the final table");
	sk_snaps_record(&sn);
	ok(sk_snaps_final(&sn), "a record after it: the final table is written");

	sk_aggs_free(&L);
	sk_rec_free(&rec);
	return tap_done();
}
