/* stream-agg's --state file against damage: a small state (two groups,
 * two inputs, a compressed file finished) with every byte flipped (xor 0xff, then its low bit) and cut
 * at every length is refused with a reason; then the same damage with the
 * checksum made right again, so the reader behind it (sections, inputs,
 * groups, aggregate states) meets it: refused with a reason or read into
 * a table that writes back, never a crash (run under check-san too). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sk_aggstate.h"
#include "damage.h"
#include "tap.h"

static sk_schema schema;
static sk_aggs L;
static sk_fref key;
static const char *made = "max(v) as m, count() as count; -g ${k}; -i auto";

/* The state's bytes into data, as sk_aggstate_save writes them. */
static void make_state(sk_buf *data, const char *path)
{
	sk_group g;
	sk_group_init(&g, &L, &key, 1);
	sk_record rec;
	sk_rec_init(&rec);
	const char *vals[][2] = { { "a", "3" }, { "b", "7" }, { "a", "9" } };
	for (size_t i = 0; i < 3; i++) {
		sk_rec_clear(&rec);
		sk_rec_push(&rec, key.slot, vals[i][0], 1, SK_FK_TEXT);
		sk_key k = { .p = vals[i][0], .n = 1 };
		char *blk = sk_group_get(&g, &k, &rec);
		sk_value v = sk_v_str(vals[i][1], 1);
		v.fromfield = 1;
		sk_agg_in in;
		sk_agg_check(&L.a[0], &v, &in);
		sk_agg_add(&L.a[0], blk + L.a[0].off, &in);
		sk_agg_check(&L.a[1], NULL, &in);
		sk_agg_add(&L.a[1], blk + L.a[1].off, &in);
	}
	sk_follow fw = { 0 };
	sk_buf_puts(&fw.fmt, "csv");
	char *files[] = { "/nonexistent/a.log", "/nonexistent/b.log" };
	sk_follow_plan(&fw, files, 2);
	fw.spans[0].opened = 1;
	fw.spans[0].end = 40;
	fw.spans[0].lines = 3;
	fw.spans[0].headlen = 40;
	sk_buf_puts(&fw.spans[0].hdr_out, "k,v");
	sk_follow_done(&fw);
	/* a compressed file finished, as a run that read one keeps it */
	fw.fin = sk_xcalloc(1, sizeof *fw.fin);
	fw.fin[0] = (sk_follow_fin){ strdup("/nonexistent/c.log.1.gz"), 1, 2,
				     300, 300, 77, 0 };
	fw.nfin = fw.fincap = 1;
	sk_buf b = { 0 }, sec = { 0 }, err = { 0 };
	sk_state_begin(&b, "stream-agg", made);
	sk_follow_save(&fw, &sec);
	sk_state_section(&b, SK_AGGSTATE_INPUTS, &sec);
	sk_buf_clear(&sec);
	sk_group_save(&g, &sec);
	sk_state_section(&b, SK_AGGSTATE_GROUPS, &sec);
	if (!sk_state_save(path, &b, &err) || sk_state_load(path, data, &err) != 1) {
		printf("# %s\n", err.p);
		exit(1);
	}
	sk_buf_free(&b);
	sk_buf_free(&sec);
	sk_buf_free(&err);
	sk_follow_free(&fw);
	sk_group_free(&g);
	sk_rec_free(&rec);
}

/* Reads [p, p+n): 1 taken (and the table writes back), -1 refused with
 * a reason, 0 refused without one. */
static int try_read(const char *p, size_t n, size_t *groups)
{
	sk_group g;
	sk_group_init(&g, &L, &key, 1);
	sk_follow fw = { 0 };
	sk_buf err = { 0 };
	int r = sk_aggstate_read(p, n, made, &g, &fw, &err);
	if (r) {
		sk_buf back = { 0 };
		sk_group_save(&g, &back);
		sk_follow_save(&fw, &back);
		*groups = sk_group_count(&g);
		sk_buf_free(&back);
	}
	int res = r ? 1 : err.len ? -1 : 0;
	sk_buf_free(&err);
	sk_follow_free(&fw);
	sk_group_free(&g);
	return res;
}

/* Reads fw's plan through a reader: the number of records. */
static int try_groups(const char *p, size_t n, void *groups)
{
	return try_read(p, n, groups);
}

static size_t read_plan(sk_follow *fw)
{
	sk_fmt_opts fo = { .delim = ',' };
	sk_reader rd;
	sk_record rec;
	sk_rec_init(&rec);
	sk_reader_init(&rd, "logfmt", &schema, &fo, fw->files, fw->nfiles);
	rd.spans = fw->spans;
	size_t n = 0;
	while (sk_read(&rd, &rec) == SK_REC_OK)
		n++;
	sk_reader_free(&rd);
	sk_rec_free(&rec);
	sk_follow_done(fw);
	return n;
}

/* A file replaced between the plan and its opening is not read from the
 * old offset: it is left, and its entry kept, for the next run. */
static void replaced_at_open(void)
{
	char dir[] = "/tmp/aggstate-unit-XXXXXX", path[64], other[64];
	if (!mkdtemp(dir))
		exit(1);
	snprintf(path, sizeof path, "%s/x.log", dir);
	snprintf(other, sizeof other, "%s/y.log", dir);
	FILE *f = fopen(path, "w");
	fputs("k=a\n", f);
	fclose(f);
	sk_follow fw = { 0 };
	char *files[] = { path };
	sk_follow_plan(&fw, files, 1);
	size_t n1 = read_plan(&fw);
	uint64_t ino = fw.ent[0].ino;
	f = fopen(path, "a");
	fputs("k=b\n", f);
	fclose(f);
	sk_follow_plan(&fw, files, 1);
	f = fopen(other, "w");
	fputs("k=c\nk=d\nk=e\n", f);
	fclose(f);
	rename(other, path);
	size_t n2 = read_plan(&fw);
	ok(n1 == 1 && n2 == 0 && fw.ent[0].offset == 4 && fw.ent[0].ino == ino,
	   "a file replaced as it is opened is left for the next run "
	   "(%zu, %zu records; offset %llu)", n1, n2,
	   (unsigned long long)fw.ent[0].offset);
	sk_follow_free(&fw);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	sk_err_init("aggstate");
	sk_schema_init(&schema);
	const char *names[] = { "max", "count" }, *as[] = { "m", "count" },
		   *calls[] = { "max(v)", "count()" };
	for (int i = 0; i < 2; i++) {
		sk_agg a;
		sk_agg_config(&a, names[i], i == 0, NULL);
		a.name = strdup(as[i]);
		a.call = strdup(calls[i]);
		sk_aggs_push(&L, &a);
	}
	key.slot = sk_schema_intern(&schema, "k", 1);
	char path[] = "/tmp/aggstate-unit-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	sk_buf data = { 0 };
	make_state(&data, path);
	unlink(path);
	size_t n = data.len, groups = 0;
	int whole = try_read(data.p, n, &groups);
	ok(whole == 1 && groups == 2,
	   "the state reads back: %zu bytes, %zu groups", n, groups);

	damage_counts c = damage_run(data.p, n, try_groups, &groups);
	ok(c.flip_refused == 2 * n, "every flipped byte refused with a reason "
	   "(%zu of %zu, %zu without one)", c.flip_refused, 2 * n, c.flip_silent);
	ok(c.cut_refused == n, "every truncation refused with a reason (%zu of %zu)",
	   c.cut_refused, n);
	ok(c.deep_silent == 0, "damage behind a good checksum: refused with a reason "
	   "or read whole (%zu refused, %zu taken, %zu without a reason)",
	   c.deep_refused, c.deep_taken, c.deep_silent);
	ok(c.deep_cut_taken == 0,
	   "every cut with a good checksum refused with a reason");
	replaced_at_open();
	sk_buf_free(&data);
	sk_aggs_free(&L);
	sk_schema_free(&schema);
	return tap_done();
}
