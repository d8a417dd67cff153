/*
 * svdc: the signature compiler.  Reads probe files in the
 * nmap-service-probes grammar; --check validates them, --dump writes them
 * back in canonical form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "c_escape.h"
#include "codegen_bt.h"
#include "diag.h"
#include "dump.h"
#include "parse.h"
#include "sigdb_build.h"
#include "sigdb_emit.h"

enum { EXIT_INPUT_ERROR = 1, EXIT_USAGE = 2 };

/* Error messages printed per file unless --max-errors says otherwise. */
enum { MAX_ERRORS_DEFAULT = 50 };

static void usage(FILE *out)
{
	fprintf(out,
		"usage: svdc [--max-errors N] --check FILE...\n"
		"                              parse and validate probe files, print a summary\n"
		"       svdc [--max-errors N] --dump FILE\n"
		"                              print the parsed file in canonical form\n"
		"       svdc [--max-errors N] --compile [--name NAME] [--chunks N] -o DIR FILE\n"
		"                              write FILE's matchers as C into DIR:\n"
		"                              NAME_sigdb.c and NAME_rx_00.c .. NAME_rx_<N-1>.c\n"
		"       svdc --version | --help\n"
		"FILE may be - for standard input.  Errors go to stderr as\n"
		"file:line:col: error: message, at most N per file (default %d, 0: all),\n"
		"then a line with the file's error count; the exit status is 1 if there\n"
		"was any.\n", MAX_ERRORS_DEFAULT);
}

static void diag_open(struct diag *d, unsigned max_errors)
{
	diag_init(d, stderr);
	d->max_shown = max_errors;
}

/* The last line about a file with errors: how many, and how many of them
 * the limit kept from being printed. */
static void report_errors(const char *file, const struct diag *d)
{
	fprintf(stderr, "%s: %u error%s", file, d->errors, d->errors == 1 ? "" : "s");
	if (diag_hidden(d))
		fprintf(stderr, "; %u not shown (limit %u per file, see --max-errors)",
			diag_hidden(d), d->max_shown);
	fputc('\n', stderr);
}

/* Loads, validates and builds path; the caller frees the arena and db. */
static bool build(const char *path, const char *name, struct probe_db *db,
		  struct arena *a, struct sigdb_build *b, struct diag *d)
{
	probe_db_init(db, path);
	arena_init(a);
	return probe_db_load(db, path, d) && sigdb_build(a, db, name, d, b);
}

static int check(char **files, int n, unsigned max_errors)
{
	int i, status = 0;

	for (i = 0; i < n; i++) {
		struct probe_db db;
		struct diag d;
		struct arena a;
		struct sigdb_build b;

		diag_open(&d, max_errors);
		if (build(files[i], "check", &db, &a, &b, &d)) {
			struct probe_db_stats s = probe_db_stats(&db);

			printf("%s: %zu probes (%zu TCP, %zu UDP), %zu match + %zu softmatch lines\n",
			       files[i], s.probes[PROTO_TCP] + s.probes[PROTO_UDP],
			       s.probes[PROTO_TCP], s.probes[PROTO_UDP], s.matches,
			       s.softmatches);
		} else {
			report_errors(files[i], &d);
			status = EXIT_INPUT_ERROR;
		}
		arena_free(&a);
		probe_db_free(&db);
	}
	return status;
}

static int compile(int argc, char **argv, const char *command, unsigned max_errors)
{
	struct emit_options o = { NULL, "sig", 16, command, codegen_bt_line };
	const char *file = NULL;
	struct probe_db db;
	struct arena a;
	struct sigdb_build b;
	struct diag d;
	int i, status = 0;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			o.dir = argv[++i];
		else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			o.name = argv[++i];
		else if (strcmp(argv[i], "--chunks") == 0 && i + 1 < argc)
			o.chunks = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (!file && argv[i][0] != '-')
			file = argv[i];
		else
			file = o.dir = NULL, i = argc;
	}
	if (!file || !o.dir || !c_name_ok(o.name) || o.chunks < 1 || o.chunks > 1000) {
		usage(stderr);
		return EXIT_USAGE;
	}
	diag_open(&d, max_errors);
	if (!build(file, o.name, &db, &a, &b, &d) || !sigdb_emit(&b, &o, &d)) {
		report_errors(file, &d);
		status = EXIT_INPUT_ERROR;
	}
	arena_free(&a);
	probe_db_free(&db);
	return status;
}

/*
 * The command line for the header of generated files, without "-o DIR":
 * the files must not depend on where they were written.
 */
static char *command_line(int argc, char **argv)
{
	size_t len = 8;
	char *s;
	int i;

	for (i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	if (!s)
		return NULL;
	strcpy(s, "svdc");
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			i++;
			continue;
		}
		strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static int dump(const char *file, unsigned max_errors)
{
	struct probe_db db;
	struct diag d;
	int status = 0;

	diag_open(&d, max_errors);
	probe_db_init(&db, file);
	if (probe_db_load(&db, file, &d)) {
		probe_db_dump(&db, stdout);
	} else {
		report_errors(file, &d);
		status = EXIT_INPUT_ERROR;
	}
	probe_db_free(&db);
	if (fflush(stdout) != 0) {
		perror("svdc: stdout");
		status = EXIT_INPUT_ERROR;
	}
	return status;
}

/* A decimal count for --max-errors: digits only, at most a million. */
static bool parse_count(const char *s, unsigned *out)
{
	unsigned long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || (v = v * 10 + (unsigned long)(*s - '0')) > 1000000)
			return false;
	}
	*out = (unsigned)v;
	return true;
}

int main(int argc, char **argv)
{
	unsigned max_errors = MAX_ERRORS_DEFAULT;

	/* The option comes first; the rest is read as if it were not there. */
	if (argc >= 3 && strcmp(argv[1], "--max-errors") == 0) {
		if (!parse_count(argv[2], &max_errors)) {
			usage(stderr);
			return EXIT_USAGE;
		}
		argv += 2;
		argc -= 2;
	}
	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("svdc (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return 0;
	}
	if (argc >= 3 && strcmp(argv[1], "--check") == 0)
		return check(argv + 2, argc - 2, max_errors);
	if (argc == 3 && strcmp(argv[1], "--dump") == 0)
		return dump(argv[2], max_errors);
	if (argc >= 2 && strcmp(argv[1], "--compile") == 0) {
		char *command = command_line(argc, argv);
		int status = command ? compile(argc - 2, argv + 2, command, max_errors) : EXIT_INPUT_ERROR;

		free(command);
		return status;
	}
	usage(stderr);
	return EXIT_USAGE;
}
