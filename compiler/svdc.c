/*
 * svdc: the signature compiler.  Reads probe files in the
 * nmap-service-probes grammar; --check validates them, --dump writes them
 * back in canonical form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diag.h"
#include "dump.h"
#include "parse.h"

enum { EXIT_INPUT_ERROR = 1, EXIT_USAGE = 2 };

static void usage(FILE *out)
{
	fprintf(out,
		"usage: svdc --check FILE...   parse and validate probe files, print a summary\n"
		"       svdc --dump FILE       print the parsed file in canonical form\n"
		"       svdc --version | --help\n"
		"FILE may be - for standard input.  Errors go to stderr as\n"
		"file:line:col: error: message; the exit status is 1 if there was any.\n");
}

static int check(char **files, int n)
{
	struct diag d;
	int i, status = 0;

	diag_init(&d, stderr);
	for (i = 0; i < n; i++) {
		struct probe_db db;
		unsigned before = d.errors;

		probe_db_init(&db, files[i]);
		if (probe_db_load(&db, files[i], &d)) {
			struct probe_db_stats s = probe_db_stats(&db);

			printf("%s: %zu probes (%zu TCP, %zu UDP), %zu match + %zu softmatch lines\n",
			       files[i], s.probes[PROTO_TCP] + s.probes[PROTO_UDP],
			       s.probes[PROTO_TCP], s.probes[PROTO_UDP], s.matches,
			       s.softmatches);
		} else {
			fprintf(stderr, "%s: %u error%s\n", files[i], d.errors - before,
				d.errors - before == 1 ? "" : "s");
			status = EXIT_INPUT_ERROR;
		}
		probe_db_free(&db);
	}
	return status;
}

static int dump(const char *file)
{
	struct probe_db db;
	struct diag d;
	int status = 0;

	diag_init(&d, stderr);
	probe_db_init(&db, file);
	if (probe_db_load(&db, file, &d))
		probe_db_dump(&db, stdout);
	else
		status = EXIT_INPUT_ERROR;
	probe_db_free(&db);
	if (fflush(stdout) != 0) {
		perror("svdc: stdout");
		status = EXIT_INPUT_ERROR;
	}
	return status;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("svdc (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return 0;
	}
	if (argc >= 3 && strcmp(argv[1], "--check") == 0)
		return check(argv + 2, argc - 2);
	if (argc == 3 && strcmp(argv[1], "--dump") == 0)
		return dump(argv[2]);
	usage(stderr);
	return EXIT_USAGE;
}
