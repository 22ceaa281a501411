/* gen: deterministic synthetic network-traffic records for make bench. */

/*
 * gen --rows N --format csv|tsv|jsonl [--groups N] [--seed S]
 *
 * Writes N records of ts,src_ip,dst_ip,port,proto,bytes,status to stdout.
 * The output depends only on the arguments (own PRNG, no clock, no locale);
 * the byte sizes come from exp() and log(), so a libm that rounds those
 * differently may change a few of them, never the row count or the keys.
 *
 *   ts      epoch seconds with a millisecond fraction (1700000000.123),
 *           about 1000 records a second from 2023-11-14T22:13:20Z; in order
 *           except that one record in five is up to 2 s late (jitter), so
 *           an event-time window needs --max-delay 2s or more.
 *   src_ip  Zipf (s = 1) over 50 000 distinct IPv4 addresses; with
 *           --groups N, uniform over N distinct addresses 10.x.y.z, each
 *           of them present when rows >= N (the first N rows are a
 *           permutation of them).
 *   dst_ip  uniform over 512 internal servers 10.0.x.y.
 *   port    443 80 53 8080 22 25 123 3306 or ephemeral; proto follows
 *           (udp for 53 and 123, icmp with port 0, else tcp).
 *   bytes   log-normal (median about 1100, heavy tail), at least 40.
 *   status  200 mostly; 301 403 404 500 503 0.
 *
 * gen --prefixes N --groups G [--seed S]
 *
 * Writes instead a table net,customer,site of N distinct IPv4 prefixes
 * (host bits clear) for stream-join --cidr against the records of
 * --groups G (the addresses 10.0.0.0 + k, k < G):
 *
 *   half of them (at most what there is room for) inside the stream's
 *   /24 blocks, /24 to /32, nested, in seven blocks of ten (the block
 *   chosen by a hash; block 0 always), so that about 70% of the
 *   stream's addresses have a prefix, most of them several;
 *   the others anywhere else in the public space, /8 to /32, so that
 *   every length from 8 to 32 is in the table (shorter ones hold longer
 *   ones there too).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSRC	50000
#define ZIPF_S	1.0

static uint64_t rng_state;

/* splitmix64: tiny, fast, and good enough for synthetic data. */
static uint64_t
rnd(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* Uniform in [0, 1) with 53 random bits. */
static double
rndu(void)
{
	return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0);
}

static uint32_t
rndn(uint32_t n)
{
	return (uint32_t)(((rnd() >> 32) * n) >> 32);
}

static double zcdf[NSRC];
static uint32_t srcip[NSRC];

/* The Zipf CDF over ranks, sampled by binary search (inverse CDF). */
static void
zipf_init(void)
{
	double sum = 0;
	int i;

	for (i = 0; i < NSRC; i++)
		sum += 1.0 / pow(i + 1, ZIPF_S);
	double acc = 0;
	for (i = 0; i < NSRC; i++) {
		acc += 1.0 / pow(i + 1, ZIPF_S) / sum;
		zcdf[i] = acc;
	}
	zcdf[NSRC - 1] = 1.0;
}

static int
zipf_draw(void)
{
	double u = rndu();
	int lo = 0, hi = NSRC - 1;

	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (zcdf[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Distinct public-looking addresses for the Zipf ranks. */
static void
srcip_init(void)
{
	static uint32_t seen[1 << 17];
	int n = 0;

	while (n < NSRC) {
		uint32_t a = rnd() >> 32;
		uint32_t o1 = a >> 24;
		if (o1 == 0 || o1 == 10 || o1 == 127 || o1 >= 224 ||
		    (a & 0xff) == 0 || (a & 0xff) == 255)
			continue;
		uint32_t h = (a * 2654435761u) >> 15, mask = (1 << 17) - 1;
		int dup = 0;
		while (seen[h]) {
			if (seen[h] == a) {
				dup = 1;
				break;
			}
			h = (h + 1) & mask;
		}
		if (dup)
			continue;
		seen[h] = a;
		srcip[n++] = a;
	}
}

static int
fmt_ip(char *p, uint32_t a)
{
	return sprintf(p, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
	    (a >> 8) & 255, a & 255);
}

static void
usage(void)
{
	fputs("usage: gen --rows N --format csv|tsv|jsonl [--groups N] "
	    "[--seed S]\n"
	    "       gen --prefixes N --groups N [--seed S]\n", stderr);
	exit(2);
}

/* 1 if /24 block b of the join stream's addresses holds prefixes. */
static int
block_covered(uint32_t b)
{
	return b == 0 || (b * 2654435761u >> 16) % 10 < 7;
}

/* The prefix table of --prefixes (see the top of the file). */
static int
prefixes(long long n, long long groups)
{
	size_t cap = 1;
	while (cap < (size_t)n * 2 + 2)
		cap *= 2;
	/* a set of prefixes: address << 6 | length, + 1 (0: empty slot) */
	uint64_t *set = calloc(cap, sizeof *set);
	if (!set) {
		perror("gen");
		return 1;
	}
	uint32_t nblocks = (uint32_t)((groups + 255) / 256), ncov = 0;
	for (uint32_t b = 0; b < nblocks; b++)
		ncov += block_covered(b);
	/* a covered block holds 511 prefixes /24../32; take at most half,
	 * so that drawing stays quick */
	long long inside = n / 2, room = (long long)ncov * 511 / 2;
	if (inside > room)
		inside = room;
	printf("net,customer,site\n");
	for (long long i = 0, nin = 0; i < n; ) {
		uint32_t a, len;
		/* the inside ones spread over the table's order */
		int in = (uint64_t)rndn((uint32_t)(n - i)) < (uint64_t)(inside - nin);
		if (in) {
			a = (uint32_t)rndn((uint32_t)groups);
			if (!block_covered(a >> 8))
				continue;
			a |= 10u << 24;
			len = 24 + rndn(9);
		} else {
			a = rnd() >> 32;
			uint32_t o1 = a >> 24;
			if (o1 == 0 || o1 == 10 || o1 == 127 || o1 >= 224)
				continue;
			len = 8 + rndn(25);
		}
		if (len < 32)
			a &= ~(UINT32_MAX >> len);
		uint64_t k = ((uint64_t)a << 6 | len) + 1;
		size_t h = (size_t)(k * UINT64_C(0x9E3779B97F4A7C15) >> 20) & (cap - 1);
		while (set[h] && set[h] != k)
			h = (h + 1) & (cap - 1);
		if (set[h])
			continue;	/* drawn before */
		set[h] = k;
		nin += in;
		char ip[16];
		fmt_ip(ip, a);
		printf("%s/%u,cust%lld,site-%lld\n", ip, len, i % 1000, i % 37);
		i++;
	}
	free(set);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gen: stdout");
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	long long rows = -1, groups = 0, nprefix = -1, i;
	unsigned long long seed = 42;
	const char *format = "csv";
	int i_arg;

	for (i_arg = 1; i_arg < argc; i_arg++) {
		const char *a = argv[i_arg];
		if (i_arg + 1 >= argc)
			usage();
		if (strcmp(a, "--rows") == 0)
			rows = atoll(argv[++i_arg]);
		else if (strcmp(a, "--format") == 0)
			format = argv[++i_arg];
		else if (strcmp(a, "--groups") == 0)
			groups = atoll(argv[++i_arg]);
		else if (strcmp(a, "--prefixes") == 0)
			nprefix = atoll(argv[++i_arg]);
		else if (strcmp(a, "--seed") == 0)
			seed = strtoull(argv[++i_arg], NULL, 10);
		else
			usage();
	}
	if (nprefix >= 0) {
		if (groups <= 0 || groups > (1 << 24) || rows >= 0)
			usage();
		rng_state = seed;
		return prefixes(nprefix, groups);
	}
	int fmt = strcmp(format, "csv") == 0 ? 0 :
	    strcmp(format, "tsv") == 0 ? 1 :
	    strcmp(format, "jsonl") == 0 ? 2 : -1;
	if (rows < 0 || fmt < 0 || groups < 0 || groups > (1 << 24))
		usage();

	static char obuf[1 << 20];
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	rng_state = seed;
	zipf_init();
	srcip_init();

	/* A prime stride makes the first `groups` keys a permutation. */
	const long long stride = 1000003;
	int64_t t = INT64_C(1700000000000);	/* ms */
	char sep = fmt == 1 ? '\t' : ',';

	if (fmt != 2)
		printf("ts%csrc_ip%cdst_ip%cport%cproto%cbytes%cstatus\n",
		    sep, sep, sep, sep, sep, sep);
	for (i = 0; i < rows; i++) {
		char src[16], dst[16];
		uint32_t a;

		t += rndn(3);	/* 0..2 ms: about 1000 records a second */
		int64_t ts = t;
		if (rndn(5) == 0)
			ts -= rndn(2000);	/* late by up to 2 s */
		if (groups > 0) {
			long long k = i < groups ? (i * stride) % groups :
			    (long long)(rndu() * groups);
			a = (10u << 24) | (uint32_t)k;
		} else
			a = srcip[zipf_draw()];
		fmt_ip(src, a);
		uint32_t d = rndn(512);
		fmt_ip(dst, (10u << 24) | ((1 + (d >> 8)) << 8) | (d & 255));

		uint32_t r = rndn(1000);
		int port;
		const char *proto = "tcp";
		if (r < 550)
			port = 443;
		else if (r < 750)
			port = 80;
		else if (r < 850)
			port = 53, proto = "udp";
		else if (r < 890)
			port = 8080;
		else if (r < 920)
			port = 22;
		else if (r < 930)
			port = 25;
		else if (r < 945)
			port = 123, proto = "udp";
		else if (r < 955)
			port = 3306;
		else if (r < 965)
			port = 0, proto = "icmp";
		else
			port = 1024 + (int)rndn(64512);

		/* Box-Muller: log-normal sizes. */
		double u1 = rndu(), u2 = rndu();
		double z = sqrt(-2.0 * log(1.0 - u1)) * cos(6.283185307179586 * u2);
		long long bytes = (long long)exp(7.0 + 1.5 * z);
		if (bytes < 40)
			bytes = 40;
		if (bytes > 1000000000LL)
			bytes = 1000000000LL;

		uint32_t s = rndn(1000);
		int status = s < 850 ? 200 : s < 880 ? 301 : s < 900 ? 403 :
		    s < 950 ? 404 : s < 970 ? 500 : s < 990 ? 503 : 0;

		long long sec = ts / 1000, ms = ts % 1000;
		if (fmt == 2)
			printf("{\"ts\":%lld.%03lld,\"src_ip\":\"%s\","
			    "\"dst_ip\":\"%s\",\"port\":%d,\"proto\":\"%s\","
			    "\"bytes\":%lld,\"status\":%d}\n", sec, ms, src,
			    dst, port, proto, bytes, status);
		else
			printf("%lld.%03lld%c%s%c%s%c%d%c%s%c%lld%c%d\n", sec,
			    ms, sep, src, sep, dst, sep, port, sep, proto, sep,
			    bytes, sep, status);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gen: stdout");
		return 1;
	}
	return 0;
}
