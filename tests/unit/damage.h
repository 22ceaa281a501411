/* damage.h: the damage each --state reader's unit test makes to a good
 * state: every byte flipped (xor 0xff, then its low bit), a cut at every
 * length, and the same flips and cuts with the checksum made right again,
 * so that the reader behind it (sections, inputs, the tool's own state)
 * meets them. The test says what it expects of the counts. */
#ifndef DAMAGE_H
#define DAMAGE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* Reads [p, p+n) as the test's tool would: 1 taken, -1 refused with a
 * reason, 0 refused without one. */
typedef int (*damage_try)(const char *p, size_t n, void *ctx);

typedef struct damage_counts {
	size_t flip_refused, flip_silent; /* two flips of each byte */
	size_t cut_refused, cut_silent;   /* each length below the whole */
	/* behind a good checksum: the flips past the magic and version,
	 * then the cuts there (cut_taken: those not refused with a reason) */
	size_t deep_taken, deep_refused, deep_silent;
	size_t deep_cut_taken;
} damage_counts;

/* The magic line and the version: a flip there fails before the body. */
#define DAMAGE_HEAD (16 + 4)

/* Writes the checksum of d[0..len) after it, as a save does. */
static inline void damage_sum(char *d, size_t len)
{
	uint64_t h = XXH64(d, len, 0);
	for (int k = 0; k < 8; k++)
		d[len + k] = (char)(h >> (8 * k));
}

static inline damage_counts damage_run(const char *data, size_t n,
				       damage_try try, void *ctx)
{
	damage_counts c = { 0 };
	size_t body = n - 8;
	char *d = malloc(n);
	for (size_t i = 0; i < n; i++)
		for (int m = 0; m < 2; m++) {
			memcpy(d, data, n);
			d[i] ^= m ? 0x01 : 0xff;
			int r = try(d, n, ctx);
			c.flip_refused += r == -1;
			c.flip_silent += r == 0;
		}
	for (size_t len = 0; len < n; len++) {
		int r = try(data, len, ctx);
		c.cut_refused += r == -1;
		c.cut_silent += r == 0;
	}
	for (size_t i = DAMAGE_HEAD; i < body; i++)
		for (int m = 0; m < 2; m++) {
			memcpy(d, data, n);
			d[i] ^= m ? 0x01 : 0xff;
			damage_sum(d, body);
			int r = try(d, n, ctx);
			c.deep_taken += r == 1;
			c.deep_refused += r == -1;
			c.deep_silent += r == 0;
		}
	for (size_t len = DAMAGE_HEAD; len < body; len++) {
		memcpy(d, data, len);
		damage_sum(d, len);
		c.deep_cut_taken += try(d, len + 8, ctx) != -1;
	}
	free(d);
	return c;
}

#endif
