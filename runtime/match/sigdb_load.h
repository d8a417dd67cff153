/*
 * Signature sets loaded at run time: a shared object that svdc --shared
 * made from a probe file, opened with dlopen.  The object holds the set's
 * constant tables and generated confirm functions, nothing that parses a
 * regex; its confirm functions call confirm_gen.h's bt_* functions of the
 * program that loads it, which must export them (svdetect is linked so).
 */
#ifndef SVD_SIGDB_LOAD_H
#define SVD_SIGDB_LOAD_H

#include <stddef.h>

#include "sigdb.h"

/*
 * The set in the shared object at path, whose `svd_sigdb_module` must
 * carry this runtime's SVD_SIGDB_ABI and structure sizes.  On failure
 * (cannot open, no module, another ABI) returns NULL with a message in
 * err[0..errlen) and leaves nothing of the object mapped.  A loaded set
 * stays loaded for the life of the process.
 */
const struct svd_sigdb *svd_sigdb_load(const char *path, char *err, size_t errlen);

#endif
