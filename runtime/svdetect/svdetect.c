/*
 * svdetect: network service and version detection with compiled matchers.
 * The program is the installed library's scanner (scanner.c) with the
 * sets this build compiled: Nmap's when configure found its database,
 * and svdetect's own; --signatures PATH.so loads a set of svdc --shared
 * (the program exports the bt_* functions such a set calls, Makefile.am).
 * A scanner of other sets is this file with another list.
 */
#include "scanner.h"
#include "sigdb.h"

extern const struct svd_sigdb svd_sigdb_own;
#ifdef HAVE_NMAP_SIGDB
extern const struct svd_sigdb svd_sigdb_nmap;
#endif

/* The first is the default. */
static const struct svd_sigdb *const sets[] = {
#ifdef HAVE_NMAP_SIGDB
	&svd_sigdb_nmap,
#endif
	&svd_sigdb_own,
};

int main(int argc, char **argv)
{
	return svd_scanner_main_loading(argc, argv, sets, sizeof sets / sizeof *sets,
					svd_sigdb_load);
}
