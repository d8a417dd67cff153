/*
 * The one diagnostics sink of the compiler.  Every message is a line
 *     file:line:col: error: message
 * on the sink's stream, or in the JSON form (for CI annotations) an object
 *     {"file":F,"line":L,"column":C,"severity":"error","message":M}
 * (line and column 0: the whole file), whose strings are ASCII whatever
 * the bytes of file names and probe files (runtime/match/json.h).  Policy: report every error and keep going (the
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

enum diag_format { DIAG_HUMAN, DIAG_JSON };

struct diag {
	FILE *out; /* NULL: count only (fuzzing, tests) */
	enum diag_format format;
	unsigned errors, warnings;
	unsigned max_shown; /* messages printed at most; 0: no limit */
	unsigned shown;
};

/* A sink without a limit, in the human form. */
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

/*
 * The last line about a file (or set) with errors, on the sink's stream:
 * how many, and how many of them max_shown kept from being printed.  In
 * the JSON form an object of severity "note" at line 0 of name.
 */
void diag_summary(const struct diag *d, const char *name);

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
