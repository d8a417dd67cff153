/*
 * The front end: probe file -> validated AST (struct probe_db).
 */
#ifndef SVD_PARSE_H
#define SVD_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "diag.h"

/*
 * Parses len bytes (buf[len] must be '\0') named name into db, which the
 * caller initialised with probe_db_init().  Reports every error to d and
 * returns false if there was any.  Only the checks of single lines and
 * probes are done; probe_db_load() adds the whole-file ones.
 */
bool probe_db_parse(struct probe_db *db, const unsigned char *buf, size_t len,
		    struct diag *d);

/* Reads, parses and validates the probe file at path into db: a set of
 * one file. */
bool probe_db_load(struct probe_db *db, const char *path, struct diag *d);

/*
 * Reads and parses the file at path and does the checks of a file alone
 * (probe_db_check_file()), for a file that is to be merged into a set
 * (merge.h), whose checks come after the merge.
 */
bool probe_db_load_file(struct probe_db *db, const char *path, struct diag *d);

#endif
