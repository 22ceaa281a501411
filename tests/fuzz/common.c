/* common: what every harness shares (see fuzz.h): the exit hook, and the
 * allocation tracking that lets an input which ends in a library exit
 * give back what the jumped-over frames held. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>
#include "fuzz.h"

jmp_buf sk_fuzz_jmp;
int sk_fuzz_exited;
volatile size_t sk_fuzz_sink;

static _Noreturn void on_exit_hook(int status)
{
	(void)status;
	sk_fuzz_exited++;
	longjmp(sk_fuzz_jmp, 1);
}

void sk_fuzz_setup(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	sk_exit_hook = on_exit_hook;
	sk_progname = "fuzz";
}

/*
 * The harnesses are linked with ld's --wrap for malloc, calloc, realloc,
 * free, aligned_alloc and PCRE2's compile and match-data calls
 * (tests/fuzz/ldflags). While tracking is on, every block made is kept in
 * a set (open addressing on the pointer) until it is freed, so
 * sk_fuzz_release can free what an input left when it exited.
 */
enum { T_MEM = 1, T_CODE, T_MD };
typedef struct { void *p; int kind; } slot;
static slot *set;
static size_t setcap, setn;
static int tracking;

void *__real_malloc(size_t);
void *__real_calloc(size_t, size_t);
void *__real_realloc(void *, size_t);
void __real_free(void *);
void *__real_aligned_alloc(size_t, size_t);
pcre2_code *__real_pcre2_compile_8(PCRE2_SPTR, PCRE2_SIZE, uint32_t, int *,
				   PCRE2_SIZE *, pcre2_compile_context *);
void __real_pcre2_code_free_8(pcre2_code *);
pcre2_match_data *__real_pcre2_match_data_create_from_pattern_8(
	const pcre2_code *, pcre2_general_context *);
void __real_pcre2_match_data_free_8(pcre2_match_data *);

static size_t hash(const void *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p;
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	return (size_t)x;
}

static void set_add(void *p, int kind);

static void grow(void)
{
	slot *old = set;
	size_t oldcap = setcap;
	setcap = setcap ? setcap * 2 : 4096;
	set = __real_calloc(setcap, sizeof *set);
	if (!set)
		abort();
	setn = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].p)
			set_add(old[i].p, old[i].kind);
	__real_free(old);
}

static void set_add(void *p, int kind)
{
	if (!p)
		return;
	if ((setn + 1) * 2 > setcap)
		grow();
	size_t m = setcap - 1, h = hash(p) & m;
	while (set[h].p)
		h = (h + 1) & m;
	set[h].p = p;
	set[h].kind = kind;
	setn++;
}

/* Removes p; 1 if it was there. */
static int set_del(void *p)
{
	if (!p || !setn)
		return 0;
	size_t m = setcap - 1, h = hash(p) & m;
	while (set[h].p && set[h].p != p)
		h = (h + 1) & m;
	if (!set[h].p)
		return 0;
	set[h].p = NULL;
	setn--;
	/* Put back the rest of the cluster. */
	for (h = (h + 1) & m; set[h].p; h = (h + 1) & m) {
		slot s = set[h];
		set[h].p = NULL;
		setn--;
		set_add(s.p, s.kind);
	}
	return 1;
}

void *__wrap_malloc(size_t n)
{
	void *p = __real_malloc(n);
	if (tracking)
		set_add(p, T_MEM);
	return p;
}

void *__wrap_calloc(size_t n, size_t k)
{
	void *p = __real_calloc(n, k);
	if (tracking)
		set_add(p, T_MEM);
	return p;
}

void *__wrap_aligned_alloc(size_t a, size_t n)
{
	void *p = __real_aligned_alloc(a, n);
	if (tracking)
		set_add(p, T_MEM);
	return p;
}

void *__wrap_realloc(void *old, size_t n)
{
	/* A block made before tracking began belongs to something that
	 * outlives the input: so does what it becomes. */
	int mine = tracking && (!old || set_del(old));
	void *p = __real_realloc(old, n);
	if (mine)
		set_add(p ? p : old, T_MEM);
	return p;
}

void __wrap_free(void *p)
{
	set_del(p);
	__real_free(p);
}

pcre2_code *__wrap_pcre2_compile_8(PCRE2_SPTR pat, PCRE2_SIZE n, uint32_t o,
				   int *ec, PCRE2_SIZE *eo,
				   pcre2_compile_context *cc)
{
	pcre2_code *c = __real_pcre2_compile_8(pat, n, o, ec, eo, cc);
	if (tracking)
		set_add(c, T_CODE);
	return c;
}

void __wrap_pcre2_code_free_8(pcre2_code *c)
{
	set_del(c);
	__real_pcre2_code_free_8(c);
}

pcre2_match_data *__wrap_pcre2_match_data_create_from_pattern_8(
	const pcre2_code *c, pcre2_general_context *g)
{
	pcre2_match_data *md = __real_pcre2_match_data_create_from_pattern_8(c, g);
	if (tracking)
		set_add(md, T_MD);
	return md;
}

void __wrap_pcre2_match_data_free_8(pcre2_match_data *md)
{
	set_del(md);
	__real_pcre2_match_data_free_8(md);
}

void sk_fuzz_track(void)
{
	tracking = 1;
}

void sk_fuzz_untrack(int release)
{
	tracking = 0;
	for (size_t i = 0; i < setcap; i++) {
		slot s = set[i];
		if (!s.p)
			continue;
		set[i].p = NULL;
		if (!release)
			continue;
		if (s.kind == T_CODE)
			__real_pcre2_code_free_8(s.p);
		else if (s.kind == T_MD)
			__real_pcre2_match_data_free_8(s.p);
		else
			__real_free(s.p);
	}
	setn = 0;
}
