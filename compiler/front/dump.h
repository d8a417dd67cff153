/*
 * Writes a probe database back in canonical nmap-service-probes form:
 * comments dropped, directives of a probe in a fixed order, one blank
 * between fields, probe strings re-escaped, delimiters chosen by a fixed
 * rule.  Dumping what a dump parses to gives the same bytes.
 */
#ifndef SVD_DUMP_H
#define SVD_DUMP_H

#include <stdio.h>

#include "ast.h"

void probe_db_dump(const struct probe_db *db, FILE *out);

#endif
