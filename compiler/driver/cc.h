/*
 * svdc's C compiler driver: compiles generated C and links it with the
 * runtime library into a scanner or a loadable set.  The compiler is $CC
 * (words split at blanks, no shell), else configure's; its flags $CFLAGS
 * (else -O2) and $LDFLAGS; the runtime's flags come from
 * `pkg-config --cflags --libs svdetect`: from the build tree's
 * svdetect-uninstalled.pc when this svdc is the build tree's, else from
 * the installed svdetect.pc (configure's pkgconfigdir is searched after
 * $PKG_CONFIG_PATH).  Every program runs with an argv, through
 * posix_spawnp.
 */
#ifndef SVD_CC_H
#define SVD_CC_H

#include <stdbool.h>
#include <stddef.h>

enum cc_link {
	CC_EXECUTABLE, /* dynamic; exports the bt_* functions loaded sets call */
	CC_STATIC,     /* -static, with pkg-config --static */
	CC_SHARED      /* -shared -fPIC, no libraries: the loading program has them */
};

/*
 * Compiles sources[0..n) and links them as `link` into out.  The
 * compiler's messages go to stderr as it writes them; on failure svdc
 * says which program failed and how, and returns false.
 */
bool cc_build(enum cc_link link, const char *out, char *const *sources, size_t n);

#endif
