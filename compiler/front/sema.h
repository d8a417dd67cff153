/*
 * Checks that need a whole file or a whole set of files (merge.h).
 */
#ifndef SVD_SEMA_H
#define SVD_SEMA_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"

/*
 * The checks of one file alone: it has a probe, probe names are unique
 * per protocol, there is at most one NULL probe (empty probe string,
 * TCP), which it records in db->null_probe.
 */
bool probe_db_check_file(struct probe_db *db, struct diag *d);

/*
 * The checks of a set: fallback names exist (anywhere in the set, so a
 * site's file may fall back on Nmap's probes and the other way round) and
 * are not too many; then fills every probe's fallback chain.
 */
bool probe_db_resolve(struct probe_db *db, struct diag *d);

/* Both, for a set of one file. */
bool probe_db_validate(struct probe_db *db, struct diag *d);

#endif
