/* sk_grow: capacity doubles from SK_GROW_MIN (or a given minimum), old elements are kept, and
 * a size that overflows is "out of memory" (exit 1), never a short array. */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include "sk_buf.h"
#include "sk_err.h"
#include "tap.h"

static jmp_buf back;
static int died;
static void on_exit_status(int status)
{
	died = status;
	longjmp(back, 1);
}

int main(void)
{
	sk_err_init("unit-buf");
	int *a = NULL;
	size_t cap = 0;
	SK_GROW(a, cap, 1);
	ok(cap == SK_GROW_MIN, "first growth gives the minimum (%zu)", cap);
	for (int i = 0; i < 1000; i++) {
		SK_GROW(a, cap, (size_t)i + 1);
		a[i] = i;
	}
	int same = 1;
	for (int i = 0; i < 1000; i++)
		same &= a[i] == i;
	ok(same, "elements survive each move");
	ok(cap == 1024, "capacity doubles to the next power of two (%zu)", cap);
	int *before = a;
	SK_GROW(a, cap, 1000);
	ok(a == before && cap == 1024, "no growth when the capacity suffices");

	double *v = NULL;
	size_t vcap = 0;
	SK_GROW_FROM(v, vcap, 1, 4);
	ok(vcap == 4, "SK_GROW_FROM starts at its minimum (%zu)", vcap);
	SK_GROW_FROM(v, vcap, 5, 4);
	ok(vcap == 8, "and doubles from there (%zu)", vcap);
	free(v);

	sk_exit_hook = on_exit_status;
	size_t big = cap;
	if (!setjmp(back))
		a = sk_grow(a, &big, SIZE_MAX / 2, sizeof *a);
	ok(died == SK_EXIT_DATA && big == cap, "count * size past SIZE_MAX dies, exit 1");
	died = 0;
	big = cap;
	if (!setjmp(back))
		a = sk_grow(a, &big, SIZE_MAX, 1);
	ok(died == SK_EXIT_DATA && big == cap, "a count past SIZE_MAX / 2 dies, exit 1");
	free(a);
	return tap_done();
}
