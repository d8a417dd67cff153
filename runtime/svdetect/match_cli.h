/*
 * svdetect --match / --match-trace: runs the compiled matchers on the raw
 * bytes of files and prints one JSON object per file.
 */
#ifndef SVD_MATCH_CLI_H
#define SVD_MATCH_CLI_H

#include <stdbool.h>

#include "sigdb.h"

/* argv: PROBE FILE...  Returns the exit status. */
int match_cli(const struct svd_sigdb *db, int argc, char **argv, bool trace);

#endif
