/*
 * The one diagnostics sink of the compiler.  Every message is a line
 *     file:line:col: error: message
 * on the sink's stream.  Policy: report every error and keep going (the
 * probe-file format is line oriented, so one bad line cannot cascade into
 * the next); callers stop between phases when diag_failed().  A sink may
 * print only the first max_shown messages, as compilers' -fmax-errors do:
 * a file of junk would otherwise give a line of output per line of input.
 * The rest are still counted.
 */
#ifndef SVD_DIAG_H
#define SVD_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct loc {
	const char *file;
	unsigned line, col; /* 1-based; col counts bytes */
};

struct diag {
	FILE *out; /* NULL: count only (fuzzing, tests) */
	unsigned errors, warnings;
	unsigned max_shown; /* messages printed at most; 0: no limit */
	unsigned shown;
};

/* A sink without a limit. */
void diag_init(struct diag *d, FILE *out);

/* Messages counted but not printed because of max_shown. */
static inline unsigned diag_hidden(const struct diag *d)
{
	return d->out ? d->errors + d->warnings - d->shown : 0;
}

void diag_error(struct diag *d, struct loc at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warning(struct diag *d, struct loc at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline bool diag_failed(const struct diag *d)
{
	return d->errors != 0;
}

/*
 * Quotes up to len bytes for a message: printable ASCII as is, the rest as
 * \xHH, cut at a fixed width with "...".  Returns buf.
 */
enum { DIAG_QUOTE_MAX = 48 };
char *diag_quote(char buf[DIAG_QUOTE_MAX * 4 + 8], const void *p, size_t len);

#endif
