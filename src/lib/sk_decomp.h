/* sk_decomp: gzip, zstd, bzip2 and xz input, recognised by their magic
 * bytes and decompressed as a stream in constant memory. */
#ifndef SK_DECOMP_H
#define SK_DECOMP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum sk_zkind { SK_Z_NONE, SK_Z_GZIP, SK_Z_ZSTD, SK_Z_BZIP2, SK_Z_XZ };

/* The longest prefix sk_decomp_sniff may need to decide. */
#define SK_Z_SNIFF 10

/*
 * The kind of data that starts with [p, p+n): SK_Z_NONE when it is not
 * compressed, -1 when n is too short to tell (the caller reads more, or
 * at the end of input takes SK_Z_NONE).
 */
int sk_decomp_sniff(const unsigned char *p, size_t n);

/*
 * Reads compressed bytes into buf (at most n); returns how many, 0 at the
 * end of the input. Errors are the callback's to report.
 */
typedef size_t (*sk_raw_read_fn)(void *ctx, void *buf, size_t n);

typedef struct sk_decomp sk_decomp;

/*
 * A decoder of the given kind over a raw input: head[0..nhead) are bytes
 * already read from it (the sniffed prefix), read gives the rest. name is
 * for messages.
 */
sk_decomp *sk_decomp_new(int kind, const char *name, const void *head,
			 size_t nhead, sk_raw_read_fn read, void *ctx);

/*
 * Decompresses into out (at most cap bytes): returns how many, 0 at the
 * end of the data. Concatenated streams (multi-member gzip, several zstd
 * frames, pbzip2 output, concatenated xz) read as one. Corrupt or
 * truncated data sets *bad to a message ("truncated gzip data") and
 * returns 0; what was decoded before it has been returned already.
 */
size_t sk_decomp_read(sk_decomp *z, void *out, size_t cap, const char **bad);

void sk_decomp_free(sk_decomp *z);

/* "zlib 1.2.13, libzstd 1.5.4, libbz2 1.0.8, liblzma 5.4.1", for --version. */
const char *sk_decomp_versions(void);

#endif
