/* sk_follow: where each FILE of a --state run starts, rotation, and the
 * inputs section of the state. */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include "sk_decomp.h"
#include "sk_err.h"
#include "sk_follow.h"

#define NONE ((size_t)-1)

void sk_follow_save(const sk_follow *f, sk_buf *out)
{
	sk_state_str(out, f->fmt.p, f->fmt.len);
	sk_state_u64(out, f->nent);
	for (size_t i = 0; i < f->nent; i++) {
		const sk_follow_ent *e = &f->ent[i];
		sk_state_str(out, e->path, strlen(e->path));
		sk_state_u64(out, e->dev);
		sk_state_u64(out, e->ino);
		sk_state_u64(out, e->offset);
		sk_state_u64(out, e->lines);
		sk_state_u64(out, e->headlen);
		sk_state_u64(out, e->headhash);
		sk_state_str(out, e->hdr.p, e->hdr.len);
	}
	/* none: the section as before there were compressed inputs */
	if (!f->nfin)
		return;
	sk_state_u64(out, f->nfin);
	for (size_t i = 0; i < f->nfin; i++) {
		const sk_follow_fin *z = &f->fin[i];
		sk_state_str(out, z->path, strlen(z->path));
		sk_state_u64(out, z->dev);
		sk_state_u64(out, z->ino);
		sk_state_u64(out, z->size);
		sk_state_u64(out, z->headlen);
		sk_state_u64(out, z->headhash);
	}
}

/* Adds a finished compressed file (its path copied). */
static void add_fin(sk_follow *f, const sk_follow_fin *z, const char *p,
		    size_t n)
{
	SK_GROW(f->fin, f->fincap, f->nfin + 1);
	sk_follow_fin *d = &f->fin[f->nfin++];
	*d = *z;
	d->path = sk_xstrndup(p, n);
}

static sk_follow_ent *add_ent(sk_follow *f, const char *p, size_t n)
{
	SK_GROW(f->ent, f->entcap, f->nent + 1);
	sk_follow_ent *e = &f->ent[f->nent++];
	memset(e, 0, sizeof *e);
	e->path = sk_xstrndup(p, n);
	return e;
}

static sk_follow_ent *find_ent(sk_follow *f, const char *path)
{
	for (size_t i = 0; i < f->nent; i++)
		if (strcmp(f->ent[i].path, path) == 0)
			return &f->ent[i];
	return NULL;
}

int sk_follow_load(sk_follow *f, sk_cur *c, sk_buf *err)
{
	sk_str fmt = sk_cur_str(c);
	sk_buf_clear(&f->fmt);
	if (fmt.n)
		sk_buf_put(&f->fmt, fmt.p, fmt.n);
	if (!c->bad && fmt.n && (memchr(fmt.p, 0, fmt.n) ||
				 !sk_format_reads(sk_format_find(f->fmt.p)))) {
		sk_buf_puts(err, "damaged: a bad input format");
		return 0;
	}
	uint64_t n = sk_cur_count(c, 4 + 6 * 8 + 4);
	for (uint64_t i = 0; !c->bad && i < n; i++) {
		sk_str p = sk_cur_str(c);
		uint64_t v[6];
		for (int k = 0; k < 6; k++)
			v[k] = sk_cur_u64(c);
		sk_str h = sk_cur_str(c);
		if (c->bad)
			break;
		if (!p.n || memchr(p.p, 0, p.n) || v[4] > SK_SPAN_HEAD ||
		    v[4] > v[2]) {
			sk_buf_puts(err, "damaged: a bad input entry");
			return 0;
		}
		sk_follow_ent *e = add_ent(f, p.p, p.n);
		if (find_ent(f, e->path) != e) {
			sk_buf_puts(err, "damaged: an input twice");
			return 0;
		}
		e->dev = v[0], e->ino = v[1], e->offset = v[2], e->lines = v[3];
		e->headlen = v[4], e->headhash = v[5];
		if (h.n)
			sk_buf_put(&e->hdr, h.p, h.n);
	}
	uint64_t nz = !c->bad && c->p != c->end ? sk_cur_count(c, 4 + 5 * 8) : 0;
	for (uint64_t i = 0; !c->bad && i < nz; i++) {
		sk_str p = sk_cur_str(c);
		sk_follow_fin z = { 0 };
		z.dev = sk_cur_u64(c);
		z.ino = sk_cur_u64(c);
		z.size = sk_cur_u64(c);
		z.headlen = sk_cur_u64(c);
		z.headhash = sk_cur_u64(c);
		if (c->bad)
			break;
		if (!p.n || memchr(p.p, 0, p.n) || z.headlen > SK_SPAN_HEAD ||
		    z.headlen > z.size || !z.headlen) {
			sk_buf_puts(err, "damaged: a bad compressed input");
			return 0;
		}
		add_fin(f, &z, p.p, p.n);
	}
	if (c->bad || c->p != c->end) {
		sk_buf_puts(err, c->bad ? "damaged: the inputs run past the end" :
			    "damaged: bytes after the inputs");
		return 0;
	}
	return 1;
}

/* The first up to SK_SPAN_HEAD bytes of path into head: how many, or -1. */
static ssize_t read_head(const char *path, char *head)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t got = pread(fd, head, SK_SPAN_HEAD, 0);
	close(fd);
	return got;
}

/* 1 if path's first e->headlen bytes are those the state hashed. */
static int same_head(const char *path, const sk_follow_ent *e)
{
	char head[SK_SPAN_HEAD];
	ssize_t got = read_head(path, head);
	return got >= 0 && (uint64_t)got >= e->headlen &&
	       XXH64(head, (size_t)e->headlen, 0) == e->headhash;
}

static void push(sk_follow *f, const char *path, size_t ent)
{
	if (f->nfiles == f->filecap) {
		size_t cap = f->filecap;
		f->files = sk_grow(f->files, &cap, f->nfiles + 1, sizeof *f->files);
		f->spans = sk_xrealloc(f->spans, cap * sizeof *f->spans);
		f->spanent = sk_xrealloc(f->spanent, cap * sizeof *f->spanent);
		f->was = sk_xrealloc(f->was, cap * sizeof *f->was);
		f->zs = sk_xrealloc(f->zs, cap * sizeof *f->zs);
		f->filecap = cap;
	}
	f->files[f->nfiles] = sk_xstrndup(path, strlen(path));
	memset(&f->spans[f->nfiles], 0, sizeof f->spans[f->nfiles]);
	f->spans[f->nfiles].hold_last = ent != NONE;
	f->spanent[f->nfiles] = ent;
	memset(&f->was[f->nfiles], 0, sizeof f->was[f->nfiles]);
	memset(&f->zs[f->nfiles], 0, sizeof f->zs[f->nfiles]);
	f->nfiles++;
}

/* Starts the span just pushed where entry e left off. */
static void resume(sk_follow *f, const sk_follow_ent *e)
{
	sk_span *sp = &f->spans[f->nfiles - 1];
	sp->start = e->offset;
	sp->line0 = e->lines;
	/* a copy: the entry itself starts over when its file rotated */
	sk_buf_clear(&sp->hdr_out);
	if (e->hdr.len)
		sk_buf_put(&sp->hdr_out, e->hdr.p, e->hdr.len);
	sp->hdr = e->hdr.len ? sp->hdr_out.p : NULL;
	sp->nhdr = e->hdr.len;
}

/* The identity of path (st its stat) as a compressed file into *z (its
 * path NULL): 1, or 0 if path is not compressed. */
static int z_ident(const char *path, const struct stat *st, sk_follow_fin *z)
{
	char head[SK_SPAN_HEAD];
	ssize_t got = read_head(path, head);
	if (got <= 0 || sk_decomp_sniff((unsigned char *)head, (size_t)got) <= SK_Z_NONE)
		return 0;
	*z = (sk_follow_fin){ NULL, (uint64_t)st->st_dev, (uint64_t)st->st_ino,
			      (uint64_t)st->st_size, (uint64_t)got,
			      XXH64(head, (size_t)got, 0), 0 };
	return 1;
}

static int same_fin(const sk_follow_fin *a, const sk_follow_fin *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->headlen == b->headlen && a->headhash == b->headhash;
}

/* The finished file of identity z, or NONE. */
static size_t find_fin(const sk_follow *f, const sk_follow_fin *z)
{
	for (size_t i = 0; i < f->nfin; i++)
		if (same_fin(&f->fin[i], z))
			return i;
	return NONE;
}

static size_t fd_read(void *ctx, void *buf, size_t n)
{
	int fd = *(int *)ctx;
	for (;;) {
		ssize_t r = read(fd, buf, n);
		if (r >= 0)
			return (size_t)r;
		if (errno != EINTR)
			return 0;
	}
}

/* 1 if compressed file path, decompressed, starts with the first bytes
 * entry e hashed and has at least e->offset bytes (it is decompressed
 * that far: once a rotation). */
static int z_is_old(const char *path, const sk_follow_ent *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	unsigned char raw[SK_Z_SNIFF];
	size_t nraw = fd_read(&fd, raw, sizeof raw);
	int kind = sk_decomp_sniff(raw, nraw), ok = 0;
	if (kind > SK_Z_NONE) {
		sk_decomp *z = sk_decomp_new(kind, path, raw, nraw, fd_read, &fd);
		size_t cap = 1 << 16;
		char *buf = sk_xmalloc(cap), head[SK_SPAN_HEAD];
		const char *bad = NULL;
		uint64_t got = 0;
		int headok = 0;
		while (got < e->offset || !headok) {
			size_t r = sk_decomp_read(z, buf, cap, &bad);
			if (!r)
				break;
			if (got < e->headlen)
				memcpy(head + got, buf, (size_t)(e->headlen - got) < r ?
				       (size_t)(e->headlen - got) : r);
			got += r;
			if (!headok && got >= e->headlen) {
				if (XXH64(head, (size_t)e->headlen, 0) != e->headhash)
					break;
				headok = 1;
			}
		}
		ok = headok && got >= e->offset;
		free(buf);
		sk_decomp_free(z);
	}
	close(fd);
	return ok;
}

/* The old files this plan finishes (compressed ones, by identity), so
 * that no two entries take one and a compressed FILE operand that is
 * one is not read whole too. */
typedef struct claims {
	sk_follow_fin *z;
	size_t n, cap;
} claims;

static int claimed(const claims *cl, const sk_follow_fin *z)
{
	for (size_t i = 0; i < cl->n; i++)
		if (same_fin(&cl->z[i], z))
			return 1;
	return 0;
}

/* 1 if cand is the old file of entry e: the same device and inode, or
 * (byhash) the same first bytes; and as long as what was read of it. A
 * compressed cand is it (2, its identity in *z) by its data's first bytes
 * and length, unless it is finished or taken. The file now at the path
 * (cur) is never it. */
static int is_old(const sk_follow *f, const claims *cl, const char *cand,
		  const sk_follow_ent *e, const struct stat *cur, int byhash,
		  sk_follow_fin *z)
{
	struct stat st;
	if (stat(cand, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	if (cur && st.st_dev == cur->st_dev && st.st_ino == cur->st_ino)
		return 0;
	if (z_ident(cand, &st, z))
		return byhash && e->headlen && find_fin(f, z) == NONE &&
		       !claimed(cl, z) && z_is_old(cand, e) ? 2 : 0;
	if ((uint64_t)st.st_size < e->offset)
		return 0;
	if (!byhash)
		return (uint64_t)st.st_dev == e->dev && (uint64_t)st.st_ino == e->ino;
	return e->headlen && same_head(cand, e);
}

/* The suffixes of logrotate's compress (and its compresscmd choices). */
static const char *const zsuffix[] = { "", ".gz", ".zst", ".bz2", ".xz" };

/* Where logrotate may have put the old file of entry e: path.1 and its
 * compressed forms, path-*, then each --rotated GLOB; the first that is
 * it (in *buf; *kind 2 for a compressed one, its identity in *z), or
 * NULL. */
static const char *find_old(const sk_follow *f, const claims *cl,
			    const sk_follow_ent *e, const struct stat *cur,
			    sk_buf *buf, int *kind, sk_follow_fin *z)
{
	for (int byhash = 0; byhash < 2; byhash++) {
		for (size_t k = 0; k < sizeof zsuffix / sizeof *zsuffix; k++) {
			sk_buf_clear(buf);
			sk_buf_printf(buf, "%s.1%s", e->path, zsuffix[k]);
			if ((*kind = is_old(f, cl, buf->p, e, cur, byhash, z)))
				return buf->p;
		}
		for (size_t g = 0; g <= f->nglobs; g++) {
			sk_buf pat = { 0 };
			if (g == 0)
				sk_buf_printf(&pat, "%s-*", e->path);
			else
				sk_buf_puts(&pat, f->globs[g - 1]);
			glob_t gl;
			int found = 0;
			if (glob(pat.p, 0, NULL, &gl) == 0) {
				for (size_t i = 0; !found && i < gl.gl_pathc; i++)
					if (strcmp(gl.gl_pathv[i], e->path) != 0 &&
					    (*kind = is_old(f, cl, gl.gl_pathv[i], e,
							    cur, byhash, z))) {
						sk_buf_clear(buf);
						sk_buf_puts(buf, gl.gl_pathv[i]);
						found = 1;
					}
				globfree(&gl);
			}
			sk_buf_free(&pat);
			if (found)
				return buf->p;
		}
	}
	return NULL;
}

/* Checks that path is a file --state can follow: a regular one. */
static void check_file(const char *path, const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		sk_diex(SK_EXIT_USAGE, "%s: not a regular file (--state follows "
			"regular files only)", path);
}

/* How the plan takes operand i: read on, a rotated old file first, or
 * a compressed file (z) read whole or skipped. */
typedef struct opplan {
	struct stat st;
	int have;
	int compressed;         /* z is its identity */
	sk_follow_fin z;
	int rotated;            /* its entry is not where it was */
	char *old;              /* the rotated old file to finish, or NULL */
	int oldkind;            /* 2: compressed, its identity in oldz */
	sk_follow_fin oldz;
} opplan;

/* A plain operand whose entry e is not where it was: its old file, said
 * on stderr, into op (none found: said, f->lost set). */
static void plan_rotated(sk_follow *f, claims *cl, const sk_follow_ent *e,
			 opplan *op)
{
	sk_buf old = { 0 };
	const struct stat *st = &op->st;
	int same = op->have && (uint64_t)st->st_dev == e->dev &&
		   (uint64_t)st->st_ino == e->ino;
	const char *what = !op->have ? "gone" : !same ? "rotated" :
		(uint64_t)st->st_size < e->offset ? "truncated in place" :
		"rewritten in place";
	const char *o = find_old(f, cl, e, op->have ? st : NULL, &old,
				 &op->oldkind, &op->oldz);
	if (o) {
		sk_warn("%s: %s; finished %s from byte %llu", e->path, what, o,
			(unsigned long long)e->offset);
		op->old = sk_xstrndup(o, strlen(o));
		if (op->oldkind == 2) {
			SK_GROW(cl->z, cl->cap, cl->n + 1);
			cl->z[cl->n++] = op->oldz;
		}
	} else {
		f->lost = 1;
		sk_warn("%s: %s, and the old file is not among %s.1, %s-*%s: "
			"its lines after byte %llu are not read", e->path, what,
			e->path, e->path, f->nglobs ? ", --rotated" : "",
			(unsigned long long)e->offset);
	}
	if (op->have)
		sk_warn("%s: reading it from the start", e->path);
	sk_buf_free(&old);
}

/* A compressed operand: read whole, unless it is finished (under any
 * name: skipped), changed in place since (said, skipped) or an old file
 * this plan finishes. */
static void plan_whole(sk_follow *f, const claims *cl, const char *path,
		       opplan *op)
{
	if (claimed(cl, &op->z))
		return;
	size_t k = find_fin(f, &op->z);
	if (k != NONE) {
		/* renamed by logrotate (.1.gz to .2.gz): seen where it is */
		free(f->fin[k].path);
		f->fin[k].path = sk_xstrndup(path, strlen(path));
		f->fin[k].seen = 1;
		return;
	}
	for (k = 0; k < f->nfin; k++) {
		sk_follow_fin *z = &f->fin[k];
		if (strcmp(z->path, path) != 0 || z->dev != op->z.dev ||
		    z->ino != op->z.ino)
			continue;
		sk_warn("%s: compressed, read whole by an earlier run and "
			"changed in place since: not read again", path);
		char *p = z->path;
		*z = op->z;
		z->path = p;
		z->seen = 1;
		return;
	}
	push(f, path, NONE);
	f->zs[f->nfiles - 1] = (sk_follow_zspan){ SK_FOLLOW_Z_WHOLE, op->z };
}

/* Forgets the finished files not seen by this plan and no longer where
 * they were seen (a file removed, or another one at its path). */
static void drop_fins(sk_follow *f)
{
	size_t k = 0;
	for (size_t i = 0; i < f->nfin; i++) {
		sk_follow_fin *z = &f->fin[i], now;
		struct stat st;
		int keep = z->seen || (stat(z->path, &st) == 0 &&
				       S_ISREG(st.st_mode) &&
				       z_ident(z->path, &st, &now) &&
				       same_fin(z, &now));
		if (!keep) {
			free(z->path);
			continue;
		}
		z->seen = 0;
		f->fin[k++] = *z;
	}
	f->nfin = k;
}

void sk_follow_plan(sk_follow *f, char *const *paths, size_t n)
{
	for (size_t i = 0; i < f->nfiles; i++) {
		free(f->files[i]);
		sk_buf_free(&f->spans[i].hdr_out);
	}
	f->nfiles = 0;
	opplan *ops = sk_xcalloc(n ? n : 1, sizeof *ops);
	claims cl = { 0 };
	/* first where each rotated file went, so that a compressed operand
	 * before its followed file is known as its old file */
	for (size_t i = 0; i < n; i++) {
		const char *path = paths[i];
		opplan *op = &ops[i];
		for (size_t j = 0; j < i; j++)
			if (strcmp(paths[j], path) == 0)
				sk_diex(SK_EXIT_USAGE, "%s: given twice (--state "
					"keeps one offset a file)", path);
		op->have = stat(path, &op->st) == 0;
		if (op->have)
			check_file(path, &op->st);
		op->compressed = op->have && z_ident(path, &op->st, &op->z);
		if (op->compressed)
			continue;
		sk_follow_ent *e = find_ent(f, path);
		if (!e)
			e = add_ent(f, path, strlen(path));
		int same = op->have && (uint64_t)op->st.st_dev == e->dev &&
			   (uint64_t)op->st.st_ino == e->ino;
		op->rotated = e->offset && !(same && (uint64_t)op->st.st_size >=
					     e->offset && same_head(path, e));
		if (op->rotated)
			plan_rotated(f, &cl, e, op);
	}
	for (size_t i = 0; i < n; i++) {
		const char *path = paths[i];
		opplan *op = &ops[i];
		if (op->compressed) {
			plan_whole(f, &cl, path, op);
			continue;
		}
		sk_follow_ent *e = find_ent(f, path);
		size_t ei = (size_t)(e - f->ent);
		if (!op->rotated) {
			push(f, path, ei);
			if (e->offset) {
				resume(f, e);
				f->spans[f->nfiles - 1].check_id = 1;
				f->spans[f->nfiles - 1].want_dev = e->dev;
				f->spans[f->nfiles - 1].want_ino = e->ino;
			}
			continue;
		}
		if (op->old) {
			push(f, op->old, NONE);
			resume(f, e);
			f->was[f->nfiles - 1] = (sk_follow_was){ e->dev, e->ino,
				e->offset, e->lines, e->headlen, e->headhash };
			if (op->oldkind == 2) {
				f->spans[f->nfiles - 1].start_data = 1;
				f->zs[f->nfiles - 1] = (sk_follow_zspan){
					SK_FOLLOW_Z_ROTATED, op->oldz };
			}
		}
		e->dev = e->ino = e->offset = e->lines = 0;
		e->headlen = 0;
		e->headhash = XXH64("", 0, 0);
		sk_buf_clear(&e->hdr);
		push(f, path, ei);
	}
	drop_fins(f);
	for (size_t i = 0; i < n; i++)
		free(ops[i].old);
	free(ops);
	free(cl.z);
}

void sk_follow_glob(sk_follow *f, char *glob)
{
	f->globs = sk_xrealloc(f->globs, (f->nglobs + 1) * sizeof *f->globs);
	f->globs[f->nglobs++] = glob;
}

void sk_follow_done(sk_follow *f)
{
	for (size_t i = 0; i < f->nfiles; i++) {
		const sk_span *sp = &f->spans[i];
		/* read, or read as far as it could be (said): its lines are
		 * counted, never again */
		if (f->zs[i].kind != SK_FOLLOW_PLAIN && sp->opened)
			add_fin(f, &f->zs[i].fin, f->files[i], strlen(f->files[i]));
		if (f->spanent[i] == NONE || !sp->opened)
			continue;
		sk_follow_ent *e = &f->ent[f->spanent[i]];
		e->dev = sp->dev;
		e->ino = sp->ino;
		e->offset = sp->end;
		e->lines = sp->lines;
		e->headlen = sp->headlen;
		e->headhash = sp->headhash;
		sk_buf_clear(&e->hdr);
		if (sp->hdr_out.len)
			sk_buf_put(&e->hdr, sp->hdr_out.p, sp->hdr_out.len);
	}
}

/* The entry span i stands for: its own, or for a rotated file finished
 * first, that of the file planned right after it. */
static size_t span_ent(const sk_follow *f, size_t i)
{
	if (f->spanent[i] != NONE)
		return f->spanent[i];
	return i + 1 < f->nfiles ? f->spanent[i + 1] : NONE;
}

int sk_follow_save_now(const sk_follow *f, const sk_reader *rd, sk_buf *out)
{
	if (rd->has_pending)
		return 0;
	for (size_t i = 0; i < f->nfiles; i++)
		if (f->zs[i].kind != SK_FOLLOW_PLAIN && rd->open && rd->file == i + 1)
			return 0;
	sk_follow v = *f;
	/* the finished files, and those of this plan read (paths borrowed) */
	v.fin = sk_xcalloc(f->nfin + f->nfiles + 1, sizeof *v.fin);
	if (f->nfin)
		memcpy(v.fin, f->fin, f->nfin * sizeof *v.fin);
	for (size_t i = 0; i < f->nfiles; i++)
		if (f->zs[i].kind != SK_FOLLOW_PLAIN && f->spans[i].opened) {
			v.fin[v.nfin] = f->zs[i].fin;
			v.fin[v.nfin++].path = f->files[i];
		}
	v.ent = sk_xcalloc(f->nent ? f->nent : 1, sizeof *v.ent);
	for (size_t i = 0; i < f->nent; i++) {
		v.ent[i] = f->ent[i];
		memset(&v.ent[i].hdr, 0, sizeof v.ent[i].hdr);
		if (f->ent[i].hdr.len)
			sk_buf_put(&v.ent[i].hdr, f->ent[i].hdr.p, f->ent[i].hdr.len);
	}
	for (size_t i = 0; i < f->nfiles; i++) {
		size_t ei = span_ent(f, i);
		const sk_span *sp = &f->spans[i];
		/* a compressed file read whole has no entry; a compressed
		 * rotated one read leaves its entry to the new file, from 0 */
		if (ei == NONE || f->zs[i].kind == SK_FOLLOW_Z_WHOLE ||
		    (f->zs[i].kind == SK_FOLLOW_Z_ROTATED && sp->opened))
			continue;
		sk_follow_ent *e = &v.ent[ei];
		if (!sp->opened) {
			/* not read yet: a rotated file is still to be
			 * finished from where its entry stood */
			if (f->spanent[i] == NONE) {
				const sk_follow_was *w = &f->was[i];
				e->dev = w->dev, e->ino = w->ino;
				e->offset = w->offset, e->lines = w->lines;
				e->headlen = w->headlen, e->headhash = w->headhash;
				sk_buf_clear(&e->hdr);
				if (sp->nhdr)
					sk_buf_put(&e->hdr, sp->hdr, sp->nhdr);
			}
			continue;
		}
		e->dev = sp->dev;
		e->ino = sp->ino;
		sk_buf_clear(&e->hdr);
		if (!(rd->open && rd->file == i + 1)) {
			/* read to its end */
			e->offset = sp->end;
			e->lines = sp->lines;
			e->headlen = sp->headlen;
			e->headhash = sp->headhash;
			if (sp->hdr_out.len)
				sk_buf_put(&e->hdr, sp->hdr_out.p, sp->hdr_out.len);
			continue;
		}
		/* being read: the end of the last line returned */
		const sk_in *in = &rd->in;
		e->offset = in->offset + in->pos;
		if (e->offset < sp->start)
			e->offset = sp->start;
		e->lines = in->line;
		char head[SK_SPAN_HEAD];
		size_t want = e->offset < sizeof head ? (size_t)e->offset : sizeof head;
		ssize_t got = want ? pread(in->fd, head, want, 0) : 0;
		e->headlen = got > 0 ? (uint64_t)got : 0;
		e->headhash = XXH64(head, (size_t)e->headlen, 0);
		if (rd->fmt && sk_format_has_header(rd->fmt) &&
		    !rd->opt->no_header && !rd->need_header)
			sk_buf_put(&e->hdr, rd->hdr_raw.p, rd->hdr_raw.len);
	}
	sk_follow_save(&v, out);
	for (size_t i = 0; i < f->nent; i++)
		sk_buf_free(&v.ent[i].hdr);
	free(v.ent);
	free(v.fin);
	return 1;
}

void sk_follow_free(sk_follow *f)
{
	for (size_t i = 0; i < f->nent; i++) {
		free(f->ent[i].path);
		sk_buf_free(&f->ent[i].hdr);
	}
	for (size_t i = 0; i < f->nfiles; i++) {
		free(f->files[i]);
		sk_buf_free(&f->spans[i].hdr_out);
	}
	free(f->ent);
	free(f->globs);
	sk_buf_free(&f->fmt);
	free(f->files);
	free(f->spans);
	free(f->spanent);
	free(f->was);
	free(f->zs);
	for (size_t i = 0; i < f->nfin; i++)
		free(f->fin[i].path);
	free(f->fin);
	memset(f, 0, sizeof *f);
}
