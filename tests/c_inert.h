/*
 * Checks that C written by svdc is inert: that no byte of the probe file
 * it came from can act as code.  Used by tests/check_generated (on files
 * svdc wrote) and by the emitter fuzz target (on every input).
 */
#ifndef SVD_C_INERT_H
#define SVD_C_INERT_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"

/*
 * Tokenizes text (one generated file) and checks that:
 * - comments and string literals are closed, and hold only printable ASCII
 *   (comments also newlines), no "??" and no backslash before a newline;
 *   a comment no slash-star, a string only the escapes the emitter writes;
 * - preprocessor lines are the few the emitter writes;
 * - every identifier outside literals and comments is one of the
 *   emitter's words (its stem, before trailing digits), or svd_NAME_rx,
 *   svd_sigdb_NAME;
 * - no text field of db (templates, probe strings, regexes, names) that
 *   holds a byte needing an escape appears unescaped anywhere (8 bytes or
 *   longer, so that short fields cannot match svdc's own text by chance).
 * Returns true, or false with a message in why.
 */
bool c_inert_check(const char *text, size_t len, const char *name,
		   const struct probe_db *db, char *why, size_t why_size);

#endif
