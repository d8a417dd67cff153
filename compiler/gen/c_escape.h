/*
 * The one way text that svdc did not write itself -- bytes of a probe file
 * (names, probe strings, templates, regex literals) and of its command line
 * (the file's path) -- reaches generated C: escaped as the body of a string
 * literal or of a block comment.  Whatever the bytes, the escaped text
 * cannot end the literal or the comment, splice lines, form a trigraph or
 * hold a byte outside printable ASCII, so it cannot become code.
 */
#ifndef SVD_C_ESCAPE_H
#define SVD_C_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum c_context {
	C_STRING,  /* between the quotes of "..." */
	C_COMMENT, /* between the slash-star and star-slash of a block comment */
};

/*
 * Writes p[0..len) for that context: printable ASCII as itself, except
 * '"', '\\' and '?' (trigraphs) after a backslash; every other byte, and in
 * a comment also '*', as a three-digit octal escape.
 */
void c_escape(FILE *out, enum c_context where, const void *p, size_t len);

/* A name svdc may paste into generated identifiers (svd_sigdb_NAME, ...):
 * letters, digits and '_', not starting with a digit, at most 32 bytes. */
enum { C_NAME_MAX = 32 };
bool c_name_ok(const char *s);

#endif
