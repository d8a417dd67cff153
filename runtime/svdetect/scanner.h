/*
 * The scanner's program as a library call: a scanner is a main that lists
 * the compiled signature sets linked with it (svdc --compile writes each
 * as `const struct svd_sigdb svd_sigdb_NAME`) and hands over to this.
 * Installed as <svdetect/scanner.h>, with sigdb.h, template.h and
 * confirm_gen.h for the generated C, and nothing else of the runtime: the
 * whole interface of libsvdetect.a.
 */
#ifndef SVD_SCANNER_H
#define SVD_SCANNER_H

#include <stddef.h>

struct svd_sigdb;

/*
 * Runs svdetect's command line (argv as main's) with the sets[0..nsets)
 * to choose from by --signatures NAME; sets[0] is the default.  Returns
 * the exit status.  Meant to be the whole of main: it ignores SIGPIPE and
 * handles SIGINT, SIGTERM and SIGHUP itself (a stop writes the outputs'
 * ends), and leaves them so.
 */
int svd_scanner_main(int argc, char **argv, const struct svd_sigdb *const *sets, size_t nsets);

/* Opens the set in the shared object at path, or returns NULL with a
 * message in err (svd_sigdb_load is one). */
typedef const struct svd_sigdb *svd_sigdb_loader(const char *path, char *err, size_t errlen);

/*
 * svd_scanner_main, but --signatures with a slash in its argument names
 * a shared object of svdc --shared, which load opens.  Given
 * svd_sigdb_load, a scanner links the dynamic loader: a dynamic program
 * that exports confirm_gen.h's bt_* functions (svdetect, svdc --scanner
 * without --static).  svd_scanner_main loads nothing, and a static
 * scanner links no dlopen.
 */
int svd_scanner_main_loading(int argc, char **argv, const struct svd_sigdb *const *sets,
			     size_t nsets, svd_sigdb_loader *load);

/* The loader of sets of this runtime's ABI (sigdb.h's SVD_SIGDB_ABI). */
const struct svd_sigdb *svd_sigdb_load(const char *path, char *err, size_t errlen);

#endif
