/* fuzz.h: what the libFuzzer harnesses share. Each harness defines
 * LLVMFuzzerTestOneInput; the library's fatal errors (sk_die, sk_diex,
 * sk_die_at: a program error, a bad header) come back here through
 * sk_exit_hook and a longjmp, so an input that makes a tool exit cleanly
 * is a clean run, and only a crash, a leak or a sanitizer report is a
 * finding. */
#ifndef SK_FUZZ_H
#define SK_FUZZ_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "sk_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Set while an input runs; sk_exit_hook jumps back to it. */
extern jmp_buf sk_fuzz_jmp;
/* How many inputs ended in a library exit (the replay driver uses it). */
extern int sk_fuzz_exited;
/* Where harnesses put what they read, so it is not optimised away. */
extern volatile size_t sk_fuzz_sink;

/* Installs the hook (once). The library's messages go to stderr as they
 * would from a tool: make fuzz runs libFuzzer with -close_fd_mask=2. */
void sk_fuzz_setup(void);

/* Allocation tracking (common.c; the harnesses link with the --wrap
 * flags of tests/fuzz/ldflags): sk_fuzz_track starts keeping every block
 * made; sk_fuzz_untrack(0) stops and forgets them (the input ended and its
 * owners freed what they had), sk_fuzz_untrack(1) frees what is left (the
 * input ended in a library exit: nothing else will). */
void sk_fuzz_track(void);
void sk_fuzz_untrack(int release);

/*
 * Runs what follows with tracking on, as the if of an if/else:
 *
 *	SK_FUZZ_TRY {
 *		...the input...; ...the normal frees...;
 *		sk_fuzz_untrack(0);
 *	} else {
 *		...free what the library holds outside malloc's sight (libcsv's
 *		buffer) through its own free functions...;
 *		sk_fuzz_untrack(1);
 *		...forget every pointer the input made, without freeing...;
 *	}
 *
 * The else runs when a library exit left the input. Variables the input
 * changes must be static (setjmp).
 */
#define SK_FUZZ_TRY                                                        \
	sk_fuzz_setup();                                                   \
	sk_fuzz_track();                                                   \
	if (setjmp(sk_fuzz_jmp) == 0)

/* A check a harness makes on what the library returned: a wrong answer
 * is a finding as much as a crash. */
#define SK_FUZZ_ASSERT(c)                                                  \
	do {                                                               \
		if (!(c)) {                                                \
			fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", \
				__FILE__, __LINE__, #c);                   \
			abort();                                           \
		}                                                          \
	} while (0)

#endif
