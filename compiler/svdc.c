/*
 * svdc: the signature compiler.  Reads probe files in the
 * nmap-service-probes grammar, several of them as one set (merge.h);
 * --check validates the set, --dump writes it back in canonical form,
 * --compile writes its matchers as C, --scanner and --shared compile
 * that C into a scanner or a loadable set (compiler/driver/), --test
 * loads such a set and runs signature examples on it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "build_set.h"
#include "c_escape.h"
#include "codegen_bt.h"
#include "diag.h"
#include "dump.h"
#include "examples_check.h"
#include "merge.h"
#include "parse.h"
#include "sema.h"
#include "sigdb_build.h"
#include "sigdb_emit.h"
#include "sigdb_load.h"

enum { EXIT_INPUT_ERROR = 1, EXIT_USAGE = 2 };

/* Error messages printed per file unless --max-errors says otherwise. */
enum { MAX_ERRORS_DEFAULT = 50 };

static void usage(FILE *out)
{
	fprintf(out,
		"usage: svdc [OPTION...] --check FILE...\n"
		"                              parse and validate the set, print a summary\n"
		"       svdc [OPTION...] --dump FILE...\n"
		"                              print the set in canonical form\n"
		"       svdc [OPTION...] --compile [--name NAME] [--chunks N] -o DIR FILE...\n"
		"                              write the set's matchers as C into DIR:\n"
		"                              NAME_sigdb.c and NAME_rx_00.c .. NAME_rx_<N-1>.c\n"
		"       svdc [OPTION...] --scanner [--static] [--name NAME] [--chunks N] -o OUT FILE...\n"
		"                              compile the set and link it with the runtime\n"
		"                              (pkg-config svdetect) into the scanner OUT;\n"
		"                              --static: a fully static one\n"
		"       svdc [OPTION...] --shared [--name NAME] [--chunks N] -o OUT.so FILE...\n"
		"                              compile the set into a shared object that\n"
		"                              svdetect --signatures ./OUT.so loads\n"
		"       svdc [OPTION...] --test FILE... EXAMPLES\n"
		"                              build the set as --shared does, load it and\n"
		"                              run the signature examples of EXAMPLES on it\n"
		"                              (svdetect-examples(5)); 1 if any fails\n"
		"       svdc --version | --help\n"
		"OPTIONs: --max-errors N, --diagnostics=human|json.\n"
		"--scanner, --shared and --test run $CC (else %s) with $CFLAGS (else -O2)\n"
		"and $LDFLAGS; the runtime's flags come from the build tree when this\n"
		"svdc is the build tree's, else from the installed svdetect.pc.\n"
		"Several FILEs are one set: later files may add probes and restate\n"
		"earlier ones to add match lines (docs/probe-files.md).  FILE may be -\n"
		"for standard input.  Errors go to stderr as file:line:col: error: message\n"
		"(--diagnostics=json: one JSON object a line), at most N per file and for\n"
		"the set (default %d, 0: all), then a line with the count; the exit\n"
		"status is 1 if there was any, or if the compiler failed.\n", SVD_CC,
		MAX_ERRORS_DEFAULT);
}

/* The options every command takes. */
struct options {
	unsigned max_errors;
	enum diag_format format;
};

static void diag_open(struct diag *d, const struct options *o)
{
	diag_init(d, stderr);
	d->max_shown = o->max_errors;
	d->format = o->format;
}

/* A set read from its files, and its diagnostics. */
struct set {
	char *name; /* the files joined with " + " */
	struct probe_db db;
	struct diag d;
	bool files_ok; /* every file passed the checks of a file alone */
};

static char *join_names(char **files, int n)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < n; i++)
		len += strlen(files[i]) + 3;
	s = malloc(len);
	if (!s) {
		perror("svdc");
		exit(EXIT_INPUT_ERROR);
	}
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			strcat(s, " + ");
		strcat(s, files[i]);
	}
	return s;
}

static void print_stats(const char *name, const struct probe_db *db)
{
	struct probe_db_stats s = probe_db_stats(db);

	printf("%s: %zu probes (%zu TCP, %zu UDP), %zu match + %zu softmatch lines\n",
	       name, s.probes[PROTO_TCP] + s.probes[PROTO_UDP], s.probes[PROTO_TCP],
	       s.probes[PROTO_UDP], s.matches, s.softmatches);
}

/*
 * Reads files into one set.  Each file is parsed and checked alone, with
 * its own error count (and, if print_files, its own summary line); those
 * that pass are merged in order; when all did with no clash, the set's
 * checks follow.  A set of one file shares that file's diagnostics and
 * summary, so it reads as before sets existed.  Returns whether the set
 * is valid; the caller frees set->name and set->db (set_free()).
 */
static bool load_set(struct set *set, char **files, int n, const struct options *o,
		     bool print_files)
{
	int i;

	set->name = join_names(files, n);
	probe_db_init(&set->db, set->name);
	diag_open(&set->d, o);
	set->files_ok = true;
	for (i = 0; i < n; i++) {
		struct probe_db file;
		struct diag own, *d = n == 1 ? &set->d : &own;

		if (n > 1)
			diag_open(&own, o);
		probe_db_init(&file, files[i]);
		if (!probe_db_load_file(&file, files[i], d)) {
			if (n > 1)
				diag_summary(d, files[i]);
			set->files_ok = false;
		} else {
			if (print_files && n > 1)
				print_stats(files[i], &file);
			probe_db_merge(&set->db, &file, &set->d);
		}
		probe_db_free(&file);
	}
	/* Fallbacks of a set with clashes could name a probe left out. */
	return set->files_ok && !diag_failed(&set->d) &&
	       probe_db_resolve(&set->db, &set->d);
}

/* The set's last line when it failed, unless only its files' lines have
 * something to say (a set of one file has no line of its own). */
static void set_failed(const struct set *set)
{
	if (set->files_ok || diag_failed(&set->d))
		diag_summary(&set->d, set->name);
}

static void set_free(struct set *set)
{
	probe_db_free(&set->db);
	free(set->name);
}

/*
 * --check: a line for each file, then for the set (one line in all for a
 * single file); the matchers are built too, as their errors (regexes a
 * matcher cannot take) are errors of the file.
 */
static int check(char **files, int n, const struct options *o)
{
	struct set set;
	struct arena a;
	struct sigdb_build b;
	int status = 0;

	arena_init(&a);
	if (load_set(&set, files, n, o, true) &&
	    sigdb_build(&a, &set.db, "check", &set.d, &b)) {
		print_stats(set.name, &set.db);
	} else {
		set_failed(&set);
		status = EXIT_INPUT_ERROR;
	}
	arena_free(&a);
	set_free(&set);
	return status;
}

/*
 * A program or loadable set of --scanner/--shared names its probe files
 * in --version, from wherever it runs: by their absolute paths (a
 * committed set's relative path is read against svdetect's own tree).
 * The files' diagnostics keep the names as given, and so do --test's
 * reports, read where svdc ran.
 */
static bool name_set_by_paths(struct set *set, char **files, int n)
{
	char **abs = calloc((size_t)n, sizeof *abs);
	char *joined;
	bool ok = abs != NULL;
	int i;

	for (i = 0; ok && i < n; i++)
		ok = (abs[i] = strcmp(files[i], "-") == 0 ? strdup("-") : realpath(files[i], NULL)) != NULL;
	if (ok) {
		joined = join_names(abs, n);
		set->db.file = arena_memdup(&set->db.arena, joined, strlen(joined));
		free(joined);
	} else {
		perror("svdc");
	}
	for (i = 0; abs && i < n; i++)
		free(abs[i]);
	free(abs);
	return ok;
}

/* What --compile's C becomes: C only, a scanner, a loadable set, a
 * loadable set that runs examples and is thrown away. */
enum target { TARGET_C, TARGET_SCANNER, TARGET_SHARED, TARGET_TEST };

/*
 * --test: the loadable set built at so, loaded into svdc itself, so that
 * the examples run on the code a scanner would run (the generated
 * matchers, and the runtime's match.c and templates linked into svdc).
 */
static int run_examples(const char *so, char *examples)
{
	char err[512];
	const struct svd_sigdb *db = svd_sigdb_load(so, err, sizeof err);

	if (!db) {
		fprintf(stderr, "svdc: %s\n", err);
		return EXIT_INPUT_ERROR;
	}
	return svd_examples_run(db, &examples, 1, stdout, stderr);
}

/*
 * --compile, --scanner, --shared and --test: the set's C into -o DIR,
 * or into a temporary directory (removed afterwards) that build_set()
 * turns into the program or shared object -o OUT, or for --test into a
 * shared object there that runs the examples, the last FILE.
 */
static int compile(int argc, char **argv, const char *command, enum target target,
		   const struct options *opt)
{
	struct emit_options o = { NULL, "sig", 16, command, codegen_bt_line };
	int i, nfiles = 0, status = 0;
	char **files = calloc((size_t)argc + 1, sizeof *files);
	const char *out = NULL;
	char *examples = NULL, *test_so = NULL;
	bool is_static = false;
	char *workdir = NULL;
	struct set set;
	struct arena a;
	struct sigdb_build b;

	if (!files) {
		perror("svdc");
		return EXIT_INPUT_ERROR;
	}
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			o.name = argv[++i];
		else if (strcmp(argv[i], "--chunks") == 0 && i + 1 < argc)
			o.chunks = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--static") == 0 && target == TARGET_SCANNER)
			is_static = true;
		else if (argv[i][0] != '-' || strcmp(argv[i], "-") == 0)
			files[nfiles++] = argv[i];
		else
			nfiles = 0, i = argc;
	}
	if (target == TARGET_TEST && nfiles >= 2 && !out)
		examples = files[--nfiles];
	if (!nfiles || !(out || examples) || !c_name_ok(o.name) || o.chunks < 1 || o.chunks > 1000) {
		free(files);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (target != TARGET_C && !(workdir = workdir_make())) {
		free(files);
		return EXIT_INPUT_ERROR;
	}
	o.dir = workdir ? workdir : out;
	if (examples && !(out = test_so = workdir_path(workdir, o.name, "test.so"))) {
		perror("svdc");
		free(files);
		workdir_remove(workdir);
		return EXIT_INPUT_ERROR;
	}
	arena_init(&a);
	if (!load_set(&set, files, nfiles, opt, false) ||
	    (workdir && !examples && !name_set_by_paths(&set, files, nfiles)) ||
	    !sigdb_build(&a, &set.db, o.name, &set.d, &b) || !sigdb_emit(&b, &o, &set.d)) {
		set_failed(&set);
		status = EXIT_INPUT_ERROR;
	} else if (workdir &&
		   !build_set(workdir, o.name, o.chunks,
			      target == TARGET_SCANNER ? (is_static ? CC_STATIC : CC_EXECUTABLE) : CC_SHARED,
			      out)) {
		status = EXIT_INPUT_ERROR;
	} else if (examples) {
		status = run_examples(test_so, examples);
	}
	arena_free(&a);
	set_free(&set);
	free(files);
	free(test_so);
	if (workdir)
		workdir_remove(workdir);
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

static int dump(char **files, int n, const struct options *o)
{
	struct set set;
	int status = 0;

	if (load_set(&set, files, n, o, false)) {
		probe_db_dump(&set.db, stdout);
	} else {
		set_failed(&set);
		status = EXIT_INPUT_ERROR;
	}
	set_free(&set);
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

/* The options before the command, in any order; false on a bad one. */
static bool parse_options(int *argc, char ***argv, struct options *o)
{
	while (*argc >= 2) {
		const char *arg = (*argv)[1];

		if (strcmp(arg, "--max-errors") == 0 && *argc >= 3) {
			if (!parse_count((*argv)[2], &o->max_errors))
				return false;
			*argv += 2;
			*argc -= 2;
			continue;
		}
		if (strcmp(arg, "--diagnostics=json") == 0)
			o->format = DIAG_JSON;
		else if (strcmp(arg, "--diagnostics=human") == 0)
			o->format = DIAG_HUMAN;
		else
			return true;
		*argv += 1;
		*argc -= 1;
	}
	return true;
}

/* The enum target of a command, or -1. */
static int target_of(const char *command)
{
	if (strcmp(command, "--compile") == 0)
		return TARGET_C;
	if (strcmp(command, "--scanner") == 0)
		return TARGET_SCANNER;
	if (strcmp(command, "--shared") == 0)
		return TARGET_SHARED;
	if (strcmp(command, "--test") == 0)
		return TARGET_TEST;
	return -1;
}

int main(int argc, char **argv)
{
	struct options o = { MAX_ERRORS_DEFAULT, DIAG_HUMAN };
	int target;

	/* The rest is read as if the options were not there. */
	if (!parse_options(&argc, &argv, &o)) {
		usage(stderr);
		return EXIT_USAGE;
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
		return check(argv + 2, argc - 2, &o);
	if (argc >= 3 && strcmp(argv[1], "--dump") == 0)
		return dump(argv + 2, argc - 2, &o);
	if (argc >= 2 && (target = target_of(argv[1])) >= 0) {
		char *command = command_line(argc, argv);
		int status = command ? compile(argc - 2, argv + 2, command, (enum target)target, &o)
				     : EXIT_INPUT_ERROR;

		free(command);
		return status;
	}
	usage(stderr);
	return EXIT_USAGE;
}
