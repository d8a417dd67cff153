/*
 * Runs signature examples (examples.h) against a compiled set: each
 * response goes through the set's generated matchers and templates exactly
 * as the scanner runs them (svd_match_response, svd_render_version, then
 * the printable form every output shows), and every field is compared
 * with the example's.  Works on any struct svd_sigdb: a compiled-in set
 * (svdetect --test-examples) or one loaded from a shared object
 * (svdc --test).
 */
#ifndef SVD_EXAMPLES_CHECK_H
#define SVD_EXAMPLES_CHECK_H

#include <stdio.h>

#include "examples.h"
#include "sigdb.h"

/*
 * Checks the examples of ex against db.  For each that fails, writes to
 * out "file:line: ..." and one line per differing field, expected against
 * got.  hit (db->nmatches entries, or NULL) gets a 1 for every match line
 * that an example which passed ended on.  Returns the number of failed
 * examples, or -1 when out of memory.
 */
long svd_examples_check(const struct svd_sigdb *db, const struct svd_examples *ex,
			FILE *out, unsigned char *hit);

/*
 * The whole run, as a command does it: loads files[0..nfiles), checks
 * them all against db, then writes to out one "SOURCE:LINE: no example
 * ends on this match line" note per line of db no passing example
 * reached, and a summary line.  Parse errors go to err.  Returns the exit
 * status: 0 when every file parsed and every example passed, 1 otherwise.
 */
int svd_examples_run(const struct svd_sigdb *db, char *const *files, int nfiles,
		     FILE *out, FILE *err);

#endif
