/* glibc_compat: the few glibc-only entry points that Debian's static
 * libraries (built with _FORTIFY_SOURCE against glibc) call, for linking
 * them into musl binaries (make static). Each checks what the fortified
 * call checks, then does what the plain call does. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen);
int __vsnprintf_chk(char *s, size_t n, int flag, size_t slen, const char *fmt,
		    va_list ap);
int __snprintf_chk(char *s, size_t n, int flag, size_t slen, const char *fmt, ...);
int __fprintf_chk(FILE *fp, int flag, const char *fmt, ...);

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen)
{
	if (n > dstlen)
		abort(); /* a buffer overflow: what glibc does, less the message */
	return memcpy(dst, src, n);
}

int __vsnprintf_chk(char *s, size_t n, int flag, size_t slen, const char *fmt,
		    va_list ap)
{
	(void)flag;
	if (n > slen)
		abort();
	return vsnprintf(s, n, fmt, ap);
}

int __snprintf_chk(char *s, size_t n, int flag, size_t slen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = __vsnprintf_chk(s, n, flag, slen, fmt, ap);
	va_end(ap);
	return r;
}

int __fprintf_chk(FILE *fp, int flag, const char *fmt, ...)
{
	(void)flag;
	va_list ap;
	va_start(ap, fmt);
	int r = vfprintf(fp, fmt, ap);
	va_end(ap);
	return r;
}
