/* replay: runs files through a harness's LLVMFuzzerTestOneInput without
 * libFuzzer, each in its own process, and prints one TAP line per file.
 * make check builds it against the normal build and replays
 * tests/fuzz/regress/HARNESS/; check-san does the same on the sanitizer
 * build. A file passes if the harness returns (or the library exits
 * through its hook) with no signal, sanitizer report or timeout.
 *
 * Usage: replay NAME FILE... */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fuzz.h"

#define TIMEOUT 60 /* seconds per input */

static int run(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return 1;
	}
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);
	size_t k;
	while (buf && (k = fread(buf + n, 1, cap - n, fp)) > 0) {
		n += k;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(fp);
	if (!buf)
		return 1;
	/* A copy of exactly n bytes, as libFuzzer passes it, so that a read
	 * past the end is caught. */
	uint8_t *in = malloc(n ? n : 1);
	memcpy(in, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(in, n);
	free(in);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: replay NAME FILE...\n");
		return 2;
	}
	const char *name = argv[1];
	int fail = 0;
	for (int i = 2; i < argc; i++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0) {
			perror("replay: fork");
			return 2;
		}
		if (pid == 0) {
			alarm(TIMEOUT);
			int r = run(argv[i]);
			fflush(NULL);
			/* After a library exit the jumped-over frames' memory
			 * is unreachable: that is the exit, not a leak. */
			if (sk_fuzz_exited)
				_exit(r);
			exit(r);
		}
		int st;
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		const char *base = strrchr(argv[i], '/');
		base = base ? base + 1 : argv[i];
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
			printf("ok %d - fuzz/%s: %s\n", i - 1, name, base);
		} else {
			fail = 1;
			if (WIFSIGNALED(st))
				printf("not ok %d - fuzz/%s: %s: signal %d%s\n", i - 1, name,
				       base, WTERMSIG(st),
				       WTERMSIG(st) == SIGALRM ? " (timeout)" : "");
			else
				printf("not ok %d - fuzz/%s: %s: exit %d\n", i - 1, name,
				       base, WEXITSTATUS(st));
		}
	}
	return fail;
}
