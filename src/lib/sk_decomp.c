/* sk_decomp: gzip (zlib), zstd (libzstd), bzip2 (libbz2) and xz (liblzma)
 * decoders behind one pull interface, so sk_in can read a compressed file
 * as if it were the plain one. */
#include <bzlib.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>
#include "sk_buf.h"
#include "sk_decomp.h"
#include "sk_err.h"

#define IBUF (256u << 10)

struct sk_decomp {
	int kind;
	const char *name;
	sk_raw_read_fn read;
	void *ctx;
	unsigned char *ibuf;
	size_t ipos, ilen;
	int eof;      /* the raw input has ended */
	int full;     /* the last step filled the output: more may be due */
	int at_end;   /* the last step ended a stream and nothing came since */
	int done;
	char msg[128];
	union {
		z_stream gz;
		ZSTD_DStream *zs;
		bz_stream bz;
		lzma_stream xz;
	} u;
};

int sk_decomp_sniff(const unsigned char *p, size_t n)
{
	static const struct { int kind; const char *magic; size_t n; } m[] = {
		{ SK_Z_GZIP, "\x1f\x8b\x08", 3 },
		{ SK_Z_ZSTD, "\x28\xb5\x2f\xfd", 4 },
		{ SK_Z_XZ, "\xfd" "7zXZ\0", 6 },
		{ SK_Z_BZIP2, "BZh", 3 },
	};
	int undecided = 0;
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
		size_t k = n < m[i].n ? n : m[i].n;
		if (memcmp(p, m[i].magic, k) != 0)
			continue;
		if (k < m[i].n) {
			undecided = 1;
			continue;
		}
		if (m[i].kind != SK_Z_BZIP2)
			return m[i].kind;
		/* "BZh" could open a text line: also want the block size digit
		 * and the magic of a first block or of an empty stream. */
		if (n < 10) {
			undecided = 1;
			continue;
		}
		if (p[3] >= '1' && p[3] <= '9' &&
		    (memcmp(p + 4, "1AY&SY", 6) == 0 ||
		     memcmp(p + 4, "\x17\x72\x45\x38\x50\x90", 6) == 0))
			return SK_Z_BZIP2;
	}
	return undecided ? -1 : SK_Z_NONE;
}

/* "gzip", "zstd", "bzip2", "xz". */
static const char *decomp_name(int kind)
{
	switch (kind) {
	case SK_Z_GZIP: return "gzip";
	case SK_Z_ZSTD: return "zstd";
	case SK_Z_BZIP2: return "bzip2";
	case SK_Z_XZ: return "xz";
	}
	return "plain";
}

static void nomem(sk_decomp *z)
{
	sk_diex(SK_EXIT_DATA, "%s: out of memory for the %s decoder", z->name,
		decomp_name(z->kind));
}

static void codec_init(sk_decomp *z)
{
	switch (z->kind) {
	case SK_Z_GZIP:
		memset(&z->u.gz, 0, sizeof z->u.gz);
		if (inflateInit2(&z->u.gz, 15 + 16) != Z_OK) /* gzip wrapper only */
			nomem(z);
		break;
	case SK_Z_ZSTD:
		z->u.zs = ZSTD_createDStream();
		if (!z->u.zs || ZSTD_isError(ZSTD_initDStream(z->u.zs)))
			nomem(z);
		break;
	case SK_Z_BZIP2:
		memset(&z->u.bz, 0, sizeof z->u.bz);
		if (BZ2_bzDecompressInit(&z->u.bz, 0, 0) != BZ_OK)
			nomem(z);
		break;
	case SK_Z_XZ: {
		lzma_stream init = LZMA_STREAM_INIT;
		z->u.xz = init;
		if (lzma_stream_decoder(&z->u.xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
			nomem(z);
		break;
	}
	}
}

static void codec_end(sk_decomp *z)
{
	switch (z->kind) {
	case SK_Z_GZIP: inflateEnd(&z->u.gz); break;
	case SK_Z_ZSTD: ZSTD_freeDStream(z->u.zs); break;
	case SK_Z_BZIP2: BZ2_bzDecompressEnd(&z->u.bz); break;
	case SK_Z_XZ: lzma_end(&z->u.xz); break;
	}
}

sk_decomp *sk_decomp_new(int kind, const char *name, const void *head,
			 size_t nhead, sk_raw_read_fn read, void *ctx)
{
	sk_decomp *z = sk_xcalloc(1, sizeof *z);
	z->kind = kind;
	z->name = name;
	z->read = read;
	z->ctx = ctx;
	z->ibuf = sk_xmalloc(nhead > IBUF ? nhead : IBUF);
	memcpy(z->ibuf, head, nhead);
	z->ilen = nhead;
	codec_init(z);
	return z;
}

enum { STEP_OK, STEP_END, STEP_BAD };

/* One call of the codec on the input held and out[*got..cap). */
static int step(sk_decomp *z, unsigned char *out, size_t cap, size_t *got)
{
	size_t ia = z->ilen - z->ipos, oa = cap - *got;
	switch (z->kind) {
	case SK_Z_GZIP: {
		z_stream *s = &z->u.gz;
		s->next_in = z->ibuf + z->ipos;
		s->avail_in = (uInt)ia;
		s->next_out = out + *got;
		s->avail_out = oa > UINT32_MAX ? UINT32_MAX : (uInt)oa;
		uInt oa0 = s->avail_out;
		int r = inflate(s, Z_NO_FLUSH);
		z->ipos += ia - s->avail_in;
		*got += oa0 - s->avail_out;
		if (r == Z_STREAM_END)
			return STEP_END;
		if (r == Z_OK || r == Z_BUF_ERROR)
			return STEP_OK;
		if (r == Z_MEM_ERROR)
			nomem(z);
		snprintf(z->msg, sizeof z->msg, "corrupt gzip data (%s)",
			 s->msg ? s->msg : "bad stream");
		return STEP_BAD;
	}
	case SK_Z_ZSTD: {
		ZSTD_inBuffer in = { z->ibuf, z->ilen, z->ipos };
		ZSTD_outBuffer o = { out, cap, *got };
		size_t r = ZSTD_decompressStream(z->u.zs, &o, &in);
		z->ipos = in.pos;
		*got = o.pos;
		if (ZSTD_isError(r)) {
			snprintf(z->msg, sizeof z->msg, "corrupt zstd data (%s)",
				 ZSTD_getErrorName(r));
			return STEP_BAD;
		}
		/* 0: a frame is complete; the next byte may start another. */
		return r == 0 ? STEP_END : STEP_OK;
	}
	case SK_Z_BZIP2: {
		bz_stream *s = &z->u.bz;
		s->next_in = (char *)z->ibuf + z->ipos;
		s->avail_in = (unsigned)ia;
		s->next_out = (char *)out + *got;
		s->avail_out = oa > UINT32_MAX ? UINT32_MAX : (unsigned)oa;
		unsigned oa0 = s->avail_out;
		int r = BZ2_bzDecompress(s);
		z->ipos += ia - s->avail_in;
		*got += oa0 - s->avail_out;
		if (r == BZ_STREAM_END)
			return STEP_END;
		if (r == BZ_OK)
			return STEP_OK;
		if (r == BZ_MEM_ERROR)
			nomem(z);
		snprintf(z->msg, sizeof z->msg, "corrupt bzip2 data");
		return STEP_BAD;
	}
	case SK_Z_XZ: {
		lzma_stream *s = &z->u.xz;
		s->next_in = z->ibuf + z->ipos;
		s->avail_in = ia;
		s->next_out = out + *got;
		s->avail_out = oa;
		lzma_ret r = lzma_code(s, z->eof ? LZMA_FINISH : LZMA_RUN);
		z->ipos += ia - s->avail_in;
		*got += oa - s->avail_out;
		if (r == LZMA_STREAM_END)
			return STEP_END;
		if (r == LZMA_OK)
			return STEP_OK;
		if (r == LZMA_BUF_ERROR) {
			snprintf(z->msg, sizeof z->msg, "truncated xz data");
			return STEP_BAD;
		}
		if (r == LZMA_MEM_ERROR)
			nomem(z);
		snprintf(z->msg, sizeof z->msg, "corrupt xz data");
		return STEP_BAD;
	}
	}
	return STEP_BAD;
}

size_t sk_decomp_read(sk_decomp *z, void *outp, size_t cap, const char **bad)
{
	unsigned char *out = outp;
	size_t got = 0;
	*bad = NULL;
	while (got < cap && !z->done) {
		if (z->ipos == z->ilen && !z->full && !z->eof) {
			if (got)
				break; /* hand over what there is before blocking */
			z->ipos = 0;
			z->ilen = z->read(z->ctx, z->ibuf, IBUF);
			if (z->ilen == 0)
				z->eof = 1;
		}
		if (z->ipos == z->ilen && z->eof && !z->full && z->kind != SK_Z_XZ) {
			/* Nothing more will come: it must have ended cleanly. */
			if (z->at_end) {
				z->done = 1;
				break;
			}
			snprintf(z->msg, sizeof z->msg, "truncated %s data",
				 decomp_name(z->kind));
			goto bad;
		}
		if (z->at_end && z->ipos < z->ilen) {
			/* Another stream follows (multi-member gzip, pbzip2);
			 * zstd goes on to the next frame by itself. */
			if (z->kind == SK_Z_GZIP)
				inflateReset(&z->u.gz);
			else if (z->kind == SK_Z_BZIP2) {
				BZ2_bzDecompressEnd(&z->u.bz);
				codec_init(z);
			}
			z->at_end = 0;
		}
		size_t before = got, ipos = z->ipos;
		int r = step(z, out, cap, &got);
		if (r == STEP_BAD)
			goto bad;
		z->full = got == cap;
		if (r == STEP_END) {
			z->at_end = 1;
			if (z->kind == SK_Z_XZ) /* concatenated: only at the very end */
				z->done = 1;
		} else if (got > before || z->ipos > ipos) {
			z->at_end = 0;
		}
	}
	return got;
bad:
	z->done = 1;
	*bad = z->msg;
	return got;
}

void sk_decomp_free(sk_decomp *z)
{
	if (!z)
		return;
	codec_end(z);
	free(z->ibuf);
	free(z);
}

const char *sk_decomp_versions(void)
{
	static char v[160];
	if (!v[0]) {
		const char *bz = BZ2_bzlibVersion();
		snprintf(v, sizeof v, "zlib %s, libzstd %s, libbz2 %.*s, liblzma %s",
			 zlibVersion(), ZSTD_versionString(), (int)strcspn(bz, ","), bz,
			 lzma_version_string());
	}
	return v;
}
