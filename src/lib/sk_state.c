/* sk_state: the --state container: writer, atomic save, checked reader. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include "sk_state.h"

#define MAGIC_LEN (sizeof SK_STATE_MAGIC - 1)

void sk_state_u32(sk_buf *b, uint32_t v)
{
	unsigned char x[4];
	for (int i = 0; i < 4; i++)
		x[i] = (unsigned char)(v >> (8 * i));
	sk_buf_put(b, x, 4);
}

void sk_state_u64(sk_buf *b, uint64_t v)
{
	unsigned char x[8];
	for (int i = 0; i < 8; i++)
		x[i] = (unsigned char)(v >> (8 * i));
	sk_buf_put(b, x, 8);
}

void sk_state_str(sk_buf *b, const char *p, size_t n)
{
	sk_state_u32(b, (uint32_t)n);
	if (n)
		sk_buf_put(b, p, n);
}

void sk_state_begin(sk_buf *b, const char *tool, const char *made)
{
	sk_buf_clear(b);
	sk_buf_put(b, SK_STATE_MAGIC, MAGIC_LEN);
	sk_state_u32(b, SK_STATE_VERSION);
	sk_state_str(b, tool, strlen(tool));
	sk_state_str(b, made, strlen(made));
}

void sk_state_section(sk_buf *b, uint32_t tag, const sk_buf *body)
{
	sk_state_u32(b, tag);
	sk_state_u64(b, body->len);
	if (body->len)
		sk_buf_put(b, body->p, body->len);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Removes, once a run, the temporary files FILE.tmp.PID of path (in dir)
 * that runs killed while writing left: those whose PID no longer runs. A
 * PID in use again keeps its file until a later run.
 */
static void sweep(const char *dir, const char *path)
{
	static int done;
	if (done)
		return;
	done = 1;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t bn = strlen(base);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	sk_buf f = { 0 };
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name;
		if (strncmp(n, base, bn) != 0 || strncmp(n + bn, ".tmp.", 5) != 0)
			continue;
		char *end;
		errno = 0;
		long pid = strtol(n + bn + 5, &end, 10);
		if (*end || end == n + bn + 5 || errno || pid <= 0 ||
		    pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		sk_buf_clear(&f);
		sk_buf_printf(&f, "%s/%s", dir, n);
		unlink(f.p);
	}
	sk_buf_free(&f);
	closedir(d);
}

int sk_state_save(const char *path, sk_buf *b, sk_buf *err)
{
	sk_state_u64(b, XXH64(b->p, b->len, 0));
	sk_buf tmp = { 0 }, dir = { 0 };
	const char *slash = strrchr(path, '/');
	if (slash)
		sk_buf_put(&dir, path, slash == path ? 1 : (size_t)(slash - path));
	else
		sk_buf_puts(&dir, ".");
	sk_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	int ok = 0, fd = open(tmp.p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		sk_buf_printf(err, "cannot write %s: %s", tmp.p, strerror(errno));
		goto out;
	}
	if (write_all(fd, b->p, b->len) < 0 || fsync(fd) < 0) {
		sk_buf_printf(err, "cannot write %s: %s", tmp.p, strerror(errno));
		close(fd);
		unlink(tmp.p);
		goto out;
	}
	if (close(fd) < 0 || rename(tmp.p, path) < 0) {
		sk_buf_printf(err, "cannot replace it: %s", strerror(errno));
		unlink(tmp.p);
		goto out;
	}
	int dfd = open(dir.p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) < 0) {
		sk_buf_printf(err, "cannot sync its directory %s: %s", dir.p,
			      strerror(errno));
		if (dfd >= 0)
			close(dfd);
		goto out;
	}
	close(dfd);
	ok = 1;
	sweep(dir.p, path);
out:
	sk_buf_free(&tmp);
	sk_buf_free(&dir);
	return ok;
}

const unsigned char *sk_cur_bytes(sk_cur *c, size_t n)
{
	if (c->bad || (size_t)(c->end - c->p) < n) {
		c->bad = 1;
		c->p = c->end;
		return NULL;
	}
	const unsigned char *q = c->p;
	c->p += n;
	return q;
}

/* The next n bytes as a little-endian number (0 past the end). */
static uint64_t cur_le(sk_cur *c, int n)
{
	const unsigned char *q = sk_cur_bytes(c, (size_t)n);
	uint64_t v = 0;
	for (int i = 0; q && i < n; i++)
		v |= (uint64_t)q[i] << (8 * i);
	return v;
}

uint32_t sk_cur_u32(sk_cur *c)
{
	return (uint32_t)cur_le(c, 4);
}

uint64_t sk_cur_u64(sk_cur *c)
{
	return cur_le(c, 8);
}

sk_str sk_cur_str(sk_cur *c)
{
	uint32_t n = sk_cur_u32(c);
	const unsigned char *q = sk_cur_bytes(c, n);
	return q ? (sk_str){ (const char *)q, n } : (sk_str){ "", 0 };
}

uint64_t sk_cur_count(sk_cur *c, size_t min)
{
	uint64_t n = sk_cur_u64(c);
	if (!c->bad && min && n > (uint64_t)(c->end - c->p) / min)
		c->bad = 1;
	return c->bad ? 0 : n;
}

int sk_state_load(const char *path, sk_buf *data, sk_buf *err)
{
	sk_buf_clear(data);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		sk_buf_printf(err, "%s", strerror(errno));
		return -1;
	}
	struct stat st = { .st_mode = S_IFREG };
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		sk_buf_puts(err, S_ISREG(st.st_mode) ? strerror(errno) :
			    "not a regular file");
		close(fd);
		return -1;
	}
	for (;;) {
		sk_buf_reserve(data, 1 << 16);
		ssize_t r = read(fd, data->p + data->len, data->cap - data->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			sk_buf_printf(err, "%s", strerror(errno));
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		data->len += (size_t)r;
	}
	close(fd);
	return 1;
}

int sk_state_parse(const char *p, size_t n, const char *tool, const char *made,
		   const uint32_t *tags, sk_cur *secs, size_t nsec, sk_buf *err)
{
	if (n < MAGIC_LEN || memcmp(p, SK_STATE_MAGIC, MAGIC_LEN) != 0) {
		sk_buf_puts(err, "not a streamkit state file");
		return 0;
	}
	sk_cur c = { (const unsigned char *)p + MAGIC_LEN,
		     (const unsigned char *)p + n, 0 };
	uint32_t version = sk_cur_u32(&c);
	if (c.bad || (size_t)(c.end - c.p) < 8) {
		sk_buf_puts(err, "damaged: truncated");
		return 0;
	}
	if (version != SK_STATE_VERSION) {
		sk_buf_printf(err, "state format version %u, not %u (made by "
			      "another streamkit?)", version, SK_STATE_VERSION);
		return 0;
	}
	sk_cur sum = { (const unsigned char *)p + n - 8,
		       (const unsigned char *)p + n, 0 };
	if (sk_cur_u64(&sum) != XXH64(p, n - 8, 0)) {
		sk_buf_puts(err, "damaged: checksum mismatch (truncated or "
			    "changed)");
		return 0;
	}
	c.end -= 8;
	sk_str t = sk_cur_str(&c), m = sk_cur_str(&c);
	if (c.bad) {
		sk_buf_puts(err, "damaged: truncated header");
		return 0;
	}
	if (!sk_str_eq(t, tool, strlen(tool))) {
		sk_buf_printf(err, "made by %.*s, not %s", (int)t.n, t.p, tool);
		return 0;
	}
	if (!sk_str_eq(m, made, strlen(made))) {
		sk_buf_printf(err, "made for '%.*s', not '%s'", (int)m.n, m.p,
			      made);
		return 0;
	}
	for (size_t i = 0; i < nsec; i++)
		secs[i].p = NULL;
	while (c.p < c.end) {
		uint32_t tag = sk_cur_u32(&c);
		uint64_t len = sk_cur_u64(&c);
		const unsigned char *body = c.bad || len > (uint64_t)(c.end - c.p) ?
			NULL : sk_cur_bytes(&c, (size_t)len);
		if (!body) {
			sk_buf_puts(err, "damaged: a section runs past the end");
			return 0;
		}
		size_t i = 0;
		while (i < nsec && tags[i] != tag)
			i++;
		if (i == nsec || secs[i].p) {
			sk_buf_printf(err, "damaged: %s section %u",
				      i == nsec ? "unknown" : "repeated", tag);
			return 0;
		}
		secs[i] = (sk_cur){ body, body + len, 0 };
	}
	for (size_t i = 0; i < nsec; i++)
		if (!secs[i].p) {
			sk_buf_printf(err, "damaged: no section %u", tags[i]);
			return 0;
		}
	return 1;
}
