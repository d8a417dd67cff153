/*
 * Checks that need the whole file: probe names are unique per protocol,
 * there is at most one NULL probe (empty probe string, TCP), fallback
 * names exist; then fills every probe's fallback chain.
 */
#ifndef SVD_SEMA_H
#define SVD_SEMA_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"

bool probe_db_validate(struct probe_db *db, struct diag *d);

#endif
