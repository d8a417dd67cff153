/*
 * Writes a built signature set as C: one file of constant tables
 * (NAME_sigdb.c) and the match lines' confirm functions spread over a
 * fixed number of files (NAME_rx_00.c ...), so that make knows the file
 * names in advance and compiles them in parallel.  The output depends only
 * on the input: same probe file, byte-identical files.  Functions are named
 * and placed by their content, not by their line's position, so that an
 * edited or inserted match line changes the tables file and at most two
 * chunk files; a file whose bytes would not change is not rewritten (its
 * time stays, so make leaves its object alone).
 */
#ifndef SVD_SIGDB_EMIT_H
#define SVD_SIGDB_EMIT_H

#include <stdbool.h>
#include <stdio.h>

#include "sigdb_build.h"

/*
 * Writes the definition of the confirm function `fname` for match line i
 * (static linkage is not possible: the tables file refers to it).
 */
typedef bool emit_confirm_fn(FILE *out, const struct sigdb_build *b, uint32_t i,
			     const char *fname, struct diag *d);

struct emit_options {
	const char *dir;       /* output directory */
	const char *name;      /* C identifier part: svd_sigdb_<name> (c_name_ok) */
	unsigned chunks;       /* number of NAME_rx_NN.c files */
	const char *command;   /* the svdc command line, for the header */
	emit_confirm_fn *confirm;
};

bool sigdb_emit(const struct sigdb_build *b, const struct emit_options *o,
		struct diag *d);

#endif
