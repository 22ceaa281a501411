/* fuzz_time: the timestamp, duration and strptime parsers and their
 * formatters, with the round trips their header promises checked.
 *
 * Input: one option byte, then text. The option byte's low 2 bits: 0
 * sk_time_parse (then its own kind's form must read back to the same
 * instant), 1 sk_duration_parse (with a minus sign in front, a duration
 * is its negation), 2 sk_time_parse_fmt with "FORMAT\nVALUE", 3 sk_time_fmt with
 * 8 bytes of instant then a strftime format. */
#include <string.h>
#include "fuzz.h"
#include "sk_time.h"

static const int64_t now = INT64_C(1715941230) * SK_NS_PER_SEC;

static int64_t floor_sec(int64_t ns)
{
	int64_t s = ns / SK_NS_PER_SEC;
	if (ns % SK_NS_PER_SEC < 0)
		s--;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned opt = data[0];
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	char buf[512];
	int64_t ns, back;
	int kind, kind2;
	sk_fuzz_setup();
	switch (opt & 3) {
	case 0:
		if (!sk_time_parse(s, n, now, &ns, &kind))
			return 0;
		/* ISO and CLF read back from any instant; an epoch number
		 * only in its own unit's range (its magnitude tells it), and
		 * syslog has no year. */
		static const int kinds[] = { SK_TK_NONE, SK_TK_ISO, SK_TK_CLF };
		for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
			int k = kinds[i];
			size_t len = sk_time_fmt_kind(buf, sizeof buf, k, ns);
			if (len == 0)
				continue;
			SK_FUZZ_ASSERT(strlen(buf) == len);
			if (!sk_time_parse(buf, len, now, &back, &kind2)) {
				/* Only CLF's whole second can fall before
				 * the range (it floors). */
				SK_FUZZ_ASSERT(k == SK_TK_CLF &&
					       floor_sec(ns) < INT64_MIN / SK_NS_PER_SEC);
				continue;
			}
			if (k == SK_TK_CLF)
				SK_FUZZ_ASSERT(floor_sec(back) == floor_sec(ns));
			else if (k == SK_TK_NONE || k == SK_TK_ISO)
				SK_FUZZ_ASSERT(back == ns);
		}
		/* Its own kind reads back as that kind. */
		if (sk_time_fmt_kind(buf, sizeof buf, kind, ns) &&
		    kind != SK_TK_SYSLOG) {
			SK_FUZZ_ASSERT(sk_time_parse(buf, strlen(buf), now, &back, &kind2));
			SK_FUZZ_ASSERT(kind2 == kind);
		}
		break;
	case 1:
		if (!sk_duration_parse(s, n, &ns))
			return 0;
		/* With a minus sign in front, the same text is its negation. */
		if (n < sizeof buf - 1 && s[0] >= '0' && s[0] <= '9') {
			buf[0] = '-';
			memcpy(buf + 1, s, n);
			SK_FUZZ_ASSERT(sk_duration_parse(buf, n + 1, &back));
			SK_FUZZ_ASSERT(back == -ns);
		}
		break;
	case 2: {
		const char *nl = memchr(s, '\n', n);
		if (!nl || (size_t)(nl - s) >= 256)
			return 0;
		char fmt[256];
		memcpy(fmt, s, (size_t)(nl - s));
		fmt[nl - s] = 0;
		const char *v = nl + 1;
		size_t vn = n - (size_t)(nl - s) - 1;
		if (sk_time_parse_fmt(v, vn, fmt, &ns))
			sk_time_fmt_kind(buf, sizeof buf, SK_TK_ISO, ns);
		break;
	}
	case 3: {
		if (n < 8 || n - 8 >= 256)
			return 0;
		memcpy(&ns, s, 8);
		char fmt[256];
		memcpy(fmt, s + 8, n - 8);
		fmt[n - 8] = 0;
		size_t len = sk_time_fmt(buf, sizeof buf, fmt, ns);
		SK_FUZZ_ASSERT(len < sizeof buf);
		for (int k = SK_TK_NONE; k <= SK_TK_SYSLOG; k++)
			sk_time_fmt_kind(buf, sizeof buf, k, ns);
		break;
	}
	}
	return 0;
}
