/*
 * What svdc --scanner and --shared add to --compile: a temporary
 * directory for the set's C, the glue file that makes it a program (a
 * main, as docs' README shows) or a loadable set (svd_sigdb_module,
 * sigdb.h), and the compiler run over them (cc.h).
 */
#ifndef SVD_BUILD_SET_H
#define SVD_BUILD_SET_H

#include <stdbool.h>

#include "cc.h"

/*
 * A new private directory under $TMPDIR (else /tmp), or NULL after
 * saying why; free it with workdir_remove.  Until then SIGINT, SIGTERM
 * and SIGHUP are held, so that svdc removes the directory before one of
 * them ends it; the programs svdc runs get them at once (cc.c), so a
 * Ctrl-C stops the compiler, and svdc after it.
 */
char *workdir_make(void);

/* Removes dir, the files svdc wrote in it, frees the string, and lets a
 * signal held meanwhile take effect. */
void workdir_remove(char *dir);

/* dir/NAME_SUFFIX, to free; NULL when out of memory. */
char *workdir_path(const char *dir, const char *name, const char *suffix);

/*
 * With the set svd_sigdb_NAME written into dir by --compile in `chunks`
 * files, writes the glue for link (CC_SHARED: the module; else a main,
 * which loads sets with --signatures PATH.so unless static) and builds
 * out from them.  Returns whether out was made.
 */
bool build_set(const char *dir, const char *name, unsigned chunks, enum cc_link link,
	       const char *out);

#endif
