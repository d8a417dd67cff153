/*
 * libFuzzer target for svdc's emitter: every probe file that validates
 * and builds is compiled to C (the tables and one chunk of confirm
 * functions, in a temporary directory), and both files must be inert as
 * tests/c_inert.h defines it: no byte of the input can act as code.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "c_inert.h"
#include "codegen_bt.h"
#include "parse.h"
#include "sema.h"
#include "sigdb_build.h"
#include "sigdb_emit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/svd-fuzz-emit-XXXXXX";
static const char *const files[] = { "fz_sigdb.c", "fz_rx_00.c" };

static void remove_dir(void)
{
	char path[sizeof dir + 32];
	size_t i;

	for (i = 0; i < sizeof files / sizeof *files; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void check_file(const char *file, const struct probe_db *db)
{
	char path[sizeof dir + 32], why[256], *text;
	FILE *f;
	long len;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || !(text = malloc((size_t)len + 1)) ||
	    fread(text, 1, (size_t)len, f) != (size_t)len)
		abort();
	fclose(f);
	if (!c_inert_check(text, (size_t)len, "fz", db, why, sizeof why)) {
		fprintf(stderr, "%s is not inert: %s\n", file, why);
		abort();
	}
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct emit_options o = { dir, "fz", 1, "svdc --compile fuzz", codegen_bt_line };
	unsigned char *buf = malloc(size + 1);
	struct probe_db db;
	struct arena a;
	struct sigdb_build b;
	struct diag d;
	size_t i;

	if (!buf)
		abort();
	if (dir[sizeof dir - 2] == 'X') {
		if (!mkdtemp(dir))
			abort();
		atexit(remove_dir);
	}
	memcpy(buf, data, size);
	buf[size] = '\0';
	diag_init(&d, NULL);
	/* A path that needs escaping too: it is written into comments. */
	probe_db_init(&db, "fuzz */ #include \"x\" ?\?/\n");
	arena_init(&a);
	if (probe_db_parse(&db, buf, size, &d) && probe_db_validate(&db, &d) &&
	    sigdb_build(&a, &db, "fz", &d, &b)) {
		if (!sigdb_emit(&b, &o, &d))
			abort();
		for (i = 0; i < sizeof files / sizeof *files; i++)
			check_file(files[i], &db);
	}
	arena_free(&a);
	probe_db_free(&db);
	free(buf);
	return 0;
}
