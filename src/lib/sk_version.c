/* sk_version: what --version says: the tool, streamkit's version, and the
 * libraries it runs with (their versions as loaded, not as compiled, where
 * the library can say). */
#include <csv.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <xxhash.h>
#include "sk_decomp.h"
#include "sk_err.h"
#include "sk_tool.h"

#ifndef SK_VERSION
#define SK_VERSION "0"
#endif

void sk_print_version(FILE *fp)
{
	char pcre[64] = "";
	pcre2_config(PCRE2_CONFIG_VERSION, pcre);
	pcre[strcspn(pcre, " ")] = 0; /* "10.42 2022-12-11": the number */
	unsigned xx = XXH_versionNumber();
	fprintf(fp, "%s (streamkit) %s\n", sk_progname, SK_VERSION);
	fprintf(fp, "libraries: libcsv %d.%d.%d, PCRE2 %s, xxHash %u.%u.%u, %s\n",
		CSV_MAJOR, CSV_MINOR, CSV_RELEASE, pcre, xx / 10000, xx / 100 % 100,
		xx % 100, sk_decomp_versions());
}
