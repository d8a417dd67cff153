/*
 * check_generated PROBEFILE NAME FILE...: are the C files that
 * `svdc --compile --name NAME PROBEFILE` wrote inert (tests/c_inert.h)?
 * Prints one line per file; exit 0 when all are, 1 when one is not.
 */
#include <stdio.h>
#include <stdlib.h>

#include "c_inert.h"
#include "parse.h"

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)size + 1)) && fread(buf, 1, (size_t)size, f) == (size_t)size) {
		*len = (size_t)size;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	struct probe_db db;
	struct diag d;
	int i, status = 0;

	if (argc < 4) {
		fprintf(stderr, "usage: check_generated PROBEFILE NAME FILE...\n");
		return 2;
	}
	diag_init(&d, stderr);
	probe_db_init(&db, argv[1]);
	if (!probe_db_load(&db, argv[1], &d))
		return 2;
	for (i = 3; i < argc; i++) {
		char why[256];
		size_t len;
		char *text = read_all(argv[i], &len);

		if (!text) {
			perror(argv[i]);
			return 2;
		}
		if (c_inert_check(text, len, argv[2], &db, why, sizeof why)) {
			printf("%s: inert\n", argv[i]);
		} else {
			printf("%s: NOT INERT: %s\n", argv[i], why);
			status = 1;
		}
		free(text);
	}
	probe_db_free(&db);
	return status;
}
