/*
 * Builds the runtime form of a signature set (runtime/match/sigdb.h) from a
 * validated probe database: parses every regex (reporting errors as Nmap's
 * pcre_compile would reject them), computes the prefilter tables, and
 * keeps each regex's IR for the code generators.  Everything lives in the
 * caller's arena.  Confirm functions are left NULL for the caller: the
 * emitter names generated ones, tests plug in the reference matcher.
 */
#ifndef SVD_SIGDB_BUILD_H
#define SVD_SIGDB_BUILD_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"
#include "filter.h"
#include "regex.h"
#include "sigdb.h"

struct sigdb_build {
	struct svd_sigdb db;
	struct svd_match *matches;      /* db.matches, writable */
	struct svd_gate *gates;         /* db.gates, writable */
	int32_t *picked;                /* per line: the literal that makes it
					   a candidate, or -1 */
	const struct match **ast;       /* per match line: its AST node */
	struct regex *regexes;          /* per match line */
	struct rx_filter *filters;      /* per match line */
};

bool sigdb_build(struct arena *a, const struct probe_db *pdb, const char *name,
		 struct diag *d, struct sigdb_build *out);

#endif
