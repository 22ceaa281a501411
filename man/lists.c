/* sk-lists: the lists the man pages, the completion and their test take
 * from the library's own tables, so that none of them is written twice.
 * Built and run at build time only; never installed.
 *
 *   sk-lists functions       the expression functions, one a line
 *   sk-lists aggregates      the aggregates as written (pNN for the
 *                            percentiles), one a line
 *   sk-lists formats r|w     the formats that read (auto first) or write
 *   sk-lists man             a man page fragment from standard input to
 *                            standard output: a line @INPUT_FORMATS@ or
 *                            @OUTPUT_FORMATS@ becomes the list of formats,
 *                            each followed by its note, from the lines
 *                            '.\" note NAME TEXT' after it; the other
 *                            comments (the --help text for sk_tool.c
 *                            among them) are left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sk_agg.h"
#include "sk_fmt.h"
#include "sk_func.h"

#define LINE_MAX_LEN 4096 /* of the man page fragment */
#define NOTES_MAX 32      /* of one list */
#define NAME_MAX_LEN 32   /* of a format, with its NUL */

static const char *prog = "sk-lists";

static _Noreturn void fail(const char *what, const char *arg)
{
	/* arg may be a line read: without its newline */
	fprintf(stderr, "%s: %s%s%.*s\n", prog, what, arg ? ": " : "",
		arg ? (int)strcspn(arg, "\n") : 0, arg ? arg : "");
	exit(1);
}

/* One note: what the page says of a format beside its name. */
typedef struct note {
	char name[NAME_MAX_LEN];
	char text[LINE_MAX_LEN];
	int used;
} note;

static const char NOTE[] = ".\\\" note ";
static const char COMMENT[] = ".\\\"";

static void put_name(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '-')
			putchar('\\');
		putchar(p[i]);
	}
}

/*
 * Writes the names of list (separated by spaces) as one roff sentence:
 * bold names, ", " between them, ", or " before the last, "." after it.
 * A name with a note ends its .BR line; the note follows on a line of its
 * own, with the separator.
 */
static void put_list(const char *list, note *notes, size_t nnotes)
{
	size_t count = 0;
	for (const char *p = list; *p; p++)
		count += (p == list || p[-1] == ' ') && *p != ' ';
	const char *p = list;
	size_t ingroup = 0;
	for (size_t i = 0; i < count; i++) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		const char *sep = i + 1 == count ? "." : i + 2 == count ? ", or " : ", ";
		const note *nt = NULL;
		for (size_t k = 0; k < nnotes; k++)
			if (strlen(notes[k].name) == n && memcmp(notes[k].name, p, n) == 0) {
				notes[k].used = 1;
				nt = &notes[k];
			}
		if (ingroup == 0) {
			/* a lone name with a note is all bold: .B */
			int lone = nt != NULL;
			fputs(lone ? ".B " : ".BR ", stdout);
		} else {
			putchar(' ');
		}
		put_name(p, n);
		ingroup++;
		if (nt) {
			size_t sl = strlen(sep);
			while (sl && sep[sl - 1] == ' ')
				sl--;
			printf("\n%s%.*s\n", nt->text, (int)sl, sep);
			ingroup = 0;
		} else if (i + 1 == count) {
			printf(" %s\n", sep);
		} else {
			printf(" \"%s\"", sep);
		}
		p += n;
	}
}

/* The man filter: see the top of the file. */
static void man(void)
{
	static char line[LINE_MAX_LEN], next[LINE_MAX_LEN];
	static note notes[NOTES_MAX];
	int have_next = 0;
	for (;;) {
		if (have_next) {
			memcpy(line, next, sizeof line);
			have_next = 0;
		} else if (!fgets(line, sizeof line, stdin)) {
			break;
		}
		if (!strchr(line, '\n'))
			fail("a line too long or without its newline", line);
		int writable = strcmp(line, "@OUTPUT_FORMATS@\n") == 0;
		if (!writable && strcmp(line, "@INPUT_FORMATS@\n") != 0) {
			if (strncmp(line, NOTE, sizeof NOTE - 1) == 0)
				fail("a note away from its list", line);
			if (strncmp(line, COMMENT, sizeof COMMENT - 1) != 0)
				fputs(line, stdout);
			continue;
		}
		size_t nnotes = 0;
		while (fgets(next, sizeof next, stdin)) {
			if (strncmp(next, NOTE, sizeof NOTE - 1) != 0) {
				have_next = 1;
				break;
			}
			if (nnotes == NOTES_MAX)
				fail("too many notes", next);
			note *nt = &notes[nnotes++];
			const char *s = next + sizeof NOTE - 1;
			size_t n = strcspn(s, " \n");
			if (n == 0 || n >= sizeof nt->name || s[n] != ' ')
				fail("a note without its format and text", next);
			memcpy(nt->name, s, n);
			nt->name[n] = '\0';
			snprintf(nt->text, sizeof nt->text, "%.*s", (int)strcspn(s + n + 1, "\n"),
				 s + n + 1);
			nt->used = 0;
		}
		put_list(sk_format_names(writable), notes, nnotes);
		for (size_t k = 0; k < nnotes; k++)
			if (!notes[k].used)
				fail("a note for a format the table does not have",
				     notes[k].name);
	}
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	if (strcmp(what, "functions") == 0 && argc == 2) {
		for (const sk_func *f = sk_funcs; f->name; f++)
			puts(f->name);
	} else if (strcmp(what, "aggregates") == 0 && argc == 2) {
		for (const sk_agg_def *d = sk_agg_defs; d->name; d++)
			puts(d->name);
	} else if (strcmp(what, "formats") == 0 && argc == 3 &&
		   (strcmp(argv[2], "r") == 0 || strcmp(argv[2], "w") == 0)) {
		const char *s = sk_format_names(argv[2][0] == 'w');
		for (size_t n; *s; s += n + (s[n] == ' ')) {
			n = strcspn(s, " ");
			printf("%.*s\n", (int)n, s);
		}
	} else if (strcmp(what, "man") == 0 && argc == 2) {
		man();
	} else {
		fail("usage: sk-lists functions | aggregates | formats r|w | man", NULL);
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		fail("write error", NULL);
	return 0;
}
