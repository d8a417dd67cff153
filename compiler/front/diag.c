#include "diag.h"

#include <stdarg.h>

void diag_init(struct diag *d, FILE *out)
{
	d->out = out;
	d->errors = d->warnings = 0;
	d->max_shown = d->shown = 0;
}

static void report(struct diag *d, struct loc at, const char *kind,
		   const char *fmt, va_list ap)
{
	if (!d->out || (d->max_shown && d->shown >= d->max_shown))
		return;
	d->shown++;
	if (at.line)
		fprintf(d->out, "%s:%u:%u: %s: ", at.file, at.line, at.col, kind);
	else
		fprintf(d->out, "%s: %s: ", at.file, kind);
	vfprintf(d->out, fmt, ap);
	fputc('\n', d->out);
}

void diag_error(struct diag *d, struct loc at, const char *fmt, ...)
{
	va_list ap;

	d->errors++;
	va_start(ap, fmt);
	report(d, at, "error", fmt, ap);
	va_end(ap);
}

void diag_warning(struct diag *d, struct loc at, const char *fmt, ...)
{
	va_list ap;

	d->warnings++;
	va_start(ap, fmt);
	report(d, at, "warning", fmt, ap);
	va_end(ap);
}

char *diag_quote(char buf[DIAG_QUOTE_MAX * 4 + 8], const void *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = p;
	char *o = buf;
	size_t i, n = len > DIAG_QUOTE_MAX ? DIAG_QUOTE_MAX : len;

	for (i = 0; i < n; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f) {
			*o++ = (char)s[i];
		} else {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[s[i] >> 4];
			*o++ = hex[s[i] & 15];
		}
	}
	if (n < len)
		o += sprintf(o, "...");
	*o = '\0';
	return buf;
}
