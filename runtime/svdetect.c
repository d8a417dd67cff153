/*
 * svdetect: network service and version detection with compiled matchers.
 * This file parses the command line and hands over to the mode asked for.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "match_cli.h"
#include "sigdb.h"

extern const struct svd_sigdb svd_sigdb_own;
#ifdef HAVE_NMAP_SIGDB
extern const struct svd_sigdb svd_sigdb_nmap;
#endif

/* The signature sets linked in; the first is the default. */
static const struct svd_sigdb *const sets[] = {
#ifdef HAVE_NMAP_SIGDB
	&svd_sigdb_nmap,
#endif
	&svd_sigdb_own,
};

enum { EXIT_USAGE = 2 };

static void usage(FILE *out)
{
	fprintf(out,
		"usage: svdetect [--signatures NAME] --match PROBE FILE...\n"
		"       svdetect [--signatures NAME] --match-trace PROBE FILE...\n"
		"       svdetect --version | --help\n"
		"--match runs the compiled matchers on the raw bytes of each FILE (- for\n"
		"stdin) as the response to PROBE (TCP:Name, UDP:Name, or Name for TCP) and\n"
		"prints one JSON object per file.  Scanning is not implemented yet.\n");
}

static void version(void)
{
	size_t i;

	printf("svdetect %s\n", PACKAGE_VERSION);
	for (i = 0; i < sizeof sets / sizeof *sets; i++)
		printf("signatures %s%s: %s, %u probes, %u match + %u softmatch lines\n",
		       sets[i]->name, i == 0 ? " (default)" : "", sets[i]->source,
		       sets[i]->nprobes, sets[i]->nmatches - sets[i]->nsoft, sets[i]->nsoft);
}

static const struct svd_sigdb *find_set(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof sets / sizeof *sets; i++)
		if (strcmp(sets[i]->name, name) == 0)
			return sets[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct svd_sigdb *db = sets[0];
	int i = 1;

	if (argc > 2 && strcmp(argv[1], "--signatures") == 0) {
		db = find_set(argv[2]);
		if (!db) {
			fprintf(stderr, "svdetect: no signature set '%s' is compiled in\n", argv[2]);
			return EXIT_USAGE;
		}
		i = 3;
	}
	if (i < argc && strcmp(argv[i], "--version") == 0) {
		version();
		return 0;
	}
	if (i < argc && strcmp(argv[i], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (i < argc && strcmp(argv[i], "--match") == 0)
		return match_cli(db, argc - i - 1, argv + i + 1, false);
	if (i < argc && strcmp(argv[i], "--match-trace") == 0)
		return match_cli(db, argc - i - 1, argv + i + 1, true);
	usage(stderr);
	return EXIT_USAGE;
}
