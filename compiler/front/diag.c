#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

void diag_init(struct diag *d, FILE *out)
{
	d->out = out;
	d->format = DIAG_HUMAN;
	d->errors = d->warnings = 0;
	d->max_shown = d->shown = 0;
}

static void put_json(FILE *out, const char *file, unsigned line, unsigned col,
		     const char *severity, const char *message)
{
	fputs("{\"file\":", out);
	json_cstring(out, file);
	fprintf(out, ",\"line\":%u,\"column\":%u,\"severity\":\"%s\",\"message\":",
		line, col, severity);
	json_cstring(out, message);
	fputs("}\n", out);
}

/* The message as a string, for the JSON form, which escapes it whole. */
static char *format_message(const char *fmt, va_list ap)
{
	va_list again;
	int n;
	char *s;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	s = n < 0 ? NULL : malloc((size_t)n + 1);
	if (!s) {
		fprintf(stderr, "svdetect: out of memory formatting a message\n");
		abort();
	}
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static void report(struct diag *d, struct loc at, const char *kind,
		   const char *fmt, va_list ap)
{
	if (!d->out || (d->max_shown && d->shown >= d->max_shown))
		return;
	d->shown++;
	if (d->format == DIAG_JSON) {
		char *message = format_message(fmt, ap);

		put_json(d->out, at.file, at.line, at.col, kind, message);
		free(message);
		return;
	}
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

void diag_summary(const struct diag *d, const char *name)
{
	char text[160];
	int n;

	if (!d->out)
		return;
	n = snprintf(text, sizeof text, "%u error%s", d->errors, d->errors == 1 ? "" : "s");
	if (diag_hidden(d))
		snprintf(text + n, sizeof text - (size_t)n,
			 "; %u not shown (limit %u per file, see --max-errors)",
			 diag_hidden(d), d->max_shown);
	if (d->format == DIAG_JSON)
		put_json(d->out, name, 0, 0, "note", text);
	else
		fprintf(d->out, "%s: %s\n", name, text);
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
