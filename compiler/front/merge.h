/*
 * Several probe files as one set, e.g. Nmap's database and a site's own
 * file.  The rules (docs/probe-files.md, "Several files as one set"):
 *   - a probe of a later file whose protocol and name are new comes after
 *     every probe of the earlier files, in file order;
 *   - a later file restates an earlier probe with the same Probe line
 *     (protocol, name, probe string, no-payload); its match and softmatch
 *     lines run after the earlier ones.  A restatement may repeat the
 *     probe's directives only exactly as they are: one that differs, or
 *     that the earlier definition does not have, is an error;
 *   - a name of an earlier probe with another protocol, another probe
 *     string or no-payload flag, a second NULL probe: errors;
 *   - Exclude directives add up (the union of their ports);
 *   - fallback names are looked up in the whole set (sema.h).
 * Errors are at the later file's line and name the earlier definition's
 * file:line.
 */
#ifndef SVD_MERGE_H
#define SVD_MERGE_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"

/*
 * Merges file, which passed probe_db_check_file(), into set (made with
 * probe_db_init(), named for the set).  Takes file's memory: file is left
 * empty, set holds its AST.  Returns false after reporting clashes; the
 * clashing probes are left out of the set.  probe_db_resolve(set) comes
 * after the last file.
 */
bool probe_db_merge(struct probe_db *set, struct probe_db *file, struct diag *d);

#endif
