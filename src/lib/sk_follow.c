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
		f->filecap = cap;
	}
	f->files[f->nfiles] = sk_xstrndup(path, strlen(path));
	memset(&f->spans[f->nfiles], 0, sizeof f->spans[f->nfiles]);
	f->spans[f->nfiles].hold_last = ent != NONE;
	f->spanent[f->nfiles] = ent;
	memset(&f->was[f->nfiles], 0, sizeof f->was[f->nfiles]);
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

/* 1 if cand is the old file of entry e: the same device and inode, or
 * (byhash) the same first bytes; and as long as what was read of it. The
 * file now at the path (cur) is never it. */
static int is_old(const char *cand, const sk_follow_ent *e,
		  const struct stat *cur, int byhash)
{
	struct stat st;
	if (stat(cand, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size < e->offset)
		return 0;
	if (cur && st.st_dev == cur->st_dev && st.st_ino == cur->st_ino)
		return 0;
	if (!byhash)
		return (uint64_t)st.st_dev == e->dev && (uint64_t)st.st_ino == e->ino;
	return e->headlen && same_head(cand, e);
}

/* Where logrotate may have put the old file of entry e: path.1, path-*,
 * then each --rotated GLOB; the first that is it, or NULL (in *buf). */
static const char *find_old(sk_follow *f, const sk_follow_ent *e,
			    const struct stat *cur, sk_buf *buf)
{
	for (int byhash = 0; byhash < 2; byhash++) {
		sk_buf_clear(buf);
		sk_buf_printf(buf, "%s.1", e->path);
		if (is_old(buf->p, e, cur, byhash))
			return buf->p;
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
					    is_old(gl.gl_pathv[i], e, cur, byhash)) {
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

/* Checks that path is a file --state can follow: regular, not compressed. */
static void check_file(const char *path, const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		sk_diex(SK_EXIT_USAGE, "%s: not a regular file (--state follows "
			"regular files only)", path);
	char head[SK_SPAN_HEAD];
	ssize_t got = read_head(path, head);
	if (got > 0 && sk_decomp_sniff((unsigned char *)head, (size_t)got) > SK_Z_NONE)
		sk_diex(SK_EXIT_USAGE, "%s: compressed (--state follows plain "
			"files only: their offsets)", path);
}

void sk_follow_plan(sk_follow *f, char *const *paths, size_t n)
{
	sk_buf old = { 0 };
	for (size_t i = 0; i < f->nfiles; i++) {
		free(f->files[i]);
		sk_buf_free(&f->spans[i].hdr_out);
	}
	f->nfiles = 0;
	for (size_t i = 0; i < n; i++) {
		const char *path = paths[i];
		for (size_t j = 0; j < i; j++)
			if (strcmp(paths[j], path) == 0)
				sk_diex(SK_EXIT_USAGE, "%s: given twice (--state "
					"keeps one offset a file)", path);
		struct stat st;
		int have = stat(path, &st) == 0;
		if (have)
			check_file(path, &st);
		sk_follow_ent *e = find_ent(f, path);
		if (!e)
			e = add_ent(f, path, strlen(path));
		size_t ei = (size_t)(e - f->ent);
		int same = have && (uint64_t)st.st_dev == e->dev &&
			   (uint64_t)st.st_ino == e->ino;
		if (!e->offset || (same && (uint64_t)st.st_size >= e->offset &&
				   same_head(path, e))) {
			push(f, path, ei);
			if (e->offset) {
				resume(f, e);
				f->spans[f->nfiles - 1].check_id = 1;
				f->spans[f->nfiles - 1].want_dev = e->dev;
				f->spans[f->nfiles - 1].want_ino = e->ino;
			}
			continue;
		}
		const char *what = !have ? "gone" : !same ? "rotated" :
			(uint64_t)st.st_size < e->offset ? "truncated in place" :
			"rewritten in place";
		const char *o = find_old(f, e, have ? &st : NULL, &old);
		if (o) {
			sk_warn("%s: %s; finished %s from byte %llu", path, what,
				o, (unsigned long long)e->offset);
			push(f, o, NONE);
			resume(f, e);
			f->was[f->nfiles - 1] = (sk_follow_was){ e->dev, e->ino,
				e->offset, e->lines, e->headlen, e->headhash };
		} else {
			f->lost = 1;
			sk_warn("%s: %s, and the old file is not among %s.1, "
				"%s-*%s: its lines after byte %llu are not read",
				path, what, path, path, f->nglobs ? ", --rotated" : "",
				(unsigned long long)e->offset);
		}
		if (have)
			sk_warn("%s: reading it from the start", path);
		e->dev = e->ino = e->offset = e->lines = 0;
		e->headlen = 0;
		e->headhash = XXH64("", 0, 0);
		sk_buf_clear(&e->hdr);
		push(f, path, ei);
	}
	sk_buf_free(&old);
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
	sk_follow v = *f;
	v.ent = sk_xcalloc(f->nent ? f->nent : 1, sizeof *v.ent);
	for (size_t i = 0; i < f->nent; i++) {
		v.ent[i] = f->ent[i];
		memset(&v.ent[i].hdr, 0, sizeof v.ent[i].hdr);
		if (f->ent[i].hdr.len)
			sk_buf_put(&v.ent[i].hdr, f->ent[i].hdr.p, f->ent[i].hdr.len);
	}
	for (size_t i = 0; i < f->nfiles; i++) {
		size_t ei = span_ent(f, i);
		if (ei == NONE)
			continue;
		const sk_span *sp = &f->spans[i];
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
	memset(f, 0, sizeof *f);
}
