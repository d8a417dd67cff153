#include "parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend.h"
#include "probe_parse.h"
#include "sema.h"

bool probe_db_parse(struct probe_db *db, const unsigned char *buf, size_t len,
		    struct diag *d)
{
	struct parse_ctx ctx;
	unsigned errors = d->errors;

	memset(&ctx, 0, sizeof ctx);
	lexer_init(&ctx.lx, buf, len, db->file, d);
	ctx.db = db;
	ctx.diag = d;
	if (probe_yyparse(&ctx) != 0 && d->errors == errors) {
		/* Bison gives up only on memory exhaustion. */
		struct loc whole_file = { db->file, 0, 0 };

		diag_error(d, whole_file, "parser ran out of memory");
	}
	return d->errors == errors;
}

/* Reads the whole file with a NUL after its last byte. */
static unsigned char *read_file(const char *path, size_t *len, struct diag *d)
{
	struct loc whole_file = { path, 0, 0 };
	unsigned errors = d->errors;
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");

	if (!f) {
		diag_error(d, whole_file, "cannot open: %s", strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got;

		if (cap - n < 65536 + 1) {
			unsigned char *bigger;

			cap = cap ? cap * 2 : 1 << 20;
			bigger = realloc(buf, cap);
			if (!bigger) {
				diag_error(d, whole_file, "out of memory reading the file");
				break;
			}
			buf = bigger;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		diag_error(d, whole_file, "read error: %s", strerror(errno));
	}
	if (f != stdin)
		fclose(f);
	if (d->errors != errors) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Reads and parses the file at path; false on any error. */
static bool read_and_parse(struct probe_db *db, const char *path, struct diag *d)
{
	size_t len;
	unsigned char *buf = read_file(path, &len, d);
	bool ok;

	if (!buf)
		return false;
	ok = probe_db_parse(db, buf, len, d);
	free(buf);
	return ok;
}

/* Whole-file checks on a file with broken lines would only report the
 * consequences of those lines: both loaders stop after a failed parse. */
bool probe_db_load_file(struct probe_db *db, const char *path, struct diag *d)
{
	return read_and_parse(db, path, d) && probe_db_check_file(db, d);
}

bool probe_db_load(struct probe_db *db, const char *path, struct diag *d)
{
	return read_and_parse(db, path, d) && probe_db_validate(db, d);
}
