/*
 * svdc: the signature compiler.  Reads probe files in the
 * nmap-service-probes grammar; --check validates them, --dump writes them
 * back in canonical form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "codegen_bt.h"
#include "diag.h"
#include "dump.h"
#include "parse.h"
#include "sigdb_build.h"
#include "sigdb_emit.h"

enum { EXIT_INPUT_ERROR = 1, EXIT_USAGE = 2 };

static void usage(FILE *out)
{
	fprintf(out,
		"usage: svdc --check FILE...   parse and validate probe files, print a summary\n"
		"       svdc --dump FILE       print the parsed file in canonical form\n"
		"       svdc --compile [--name NAME] [--chunks N] -o DIR FILE\n"
		"                              write FILE's matchers as C into DIR:\n"
		"                              NAME_sigdb.c and NAME_rx_00.c .. NAME_rx_<N-1>.c\n"
		"       svdc --version | --help\n"
		"FILE may be - for standard input.  Errors go to stderr as\n"
		"file:line:col: error: message; the exit status is 1 if there was any.\n");
}

/* Loads, validates and builds path; the caller frees the arena and db. */
static bool build(const char *path, const char *name, struct probe_db *db,
		  struct arena *a, struct sigdb_build *b, struct diag *d)
{
	probe_db_init(db, path);
	arena_init(a);
	return probe_db_load(db, path, d) && sigdb_build(a, db, name, d, b);
}

static int check(char **files, int n)
{
	struct diag d;
	int i, status = 0;

	diag_init(&d, stderr);
	for (i = 0; i < n; i++) {
		struct probe_db db;
		unsigned before = d.errors;

		struct arena a;
		struct sigdb_build b;

		if (build(files[i], "check", &db, &a, &b, &d)) {
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
		arena_free(&a);
		probe_db_free(&db);
	}
	return status;
}

/* emit_confirm_fn: the regex's backtracking program as specialised C. */
static bool emit_confirm(FILE *out, const struct sigdb_build *b, uint32_t i,
			 const char *fname, struct diag *d)
{
	struct arena a;
	struct rx_prog prog;

	(void)d;
	arena_init(&a);
	regex_compile(&a, &b->regexes[i], &prog);
	codegen_bt(out, &prog, fname);
	arena_free(&a);
	return true;
}

/* A C identifier made of letters, digits and '_'. */
static bool identifier(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z') && !(*s >= '0' && *s <= '9') &&
		    *s != '_')
			return false;
	return true;
}

static int compile(int argc, char **argv, const char *command)
{
	struct emit_options o = { NULL, "sig", 16, command, emit_confirm };
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
	if (!file || !o.dir || !identifier(o.name) || o.chunks < 1 || o.chunks > 1000) {
		usage(stderr);
		return EXIT_USAGE;
	}
	diag_init(&d, stderr);
	if (!build(file, o.name, &db, &a, &b, &d) || !sigdb_emit(&b, &o, &d))
		status = EXIT_INPUT_ERROR;
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
	if (argc >= 2 && strcmp(argv[1], "--compile") == 0) {
		char *command = command_line(argc, argv);
		int status = command ? compile(argc - 2, argv + 2, command) : EXIT_INPUT_ERROR;

		free(command);
		return status;
	}
	usage(stderr);
	return EXIT_USAGE;
}
