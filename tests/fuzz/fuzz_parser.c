/*
 * libFuzzer target for the probe-file front end.  Besides "no crash, no
 * sanitizer report", it checks a property: whatever parses and validates
 * dumps to text that parses to a dump of the same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "parse.h"
#include "sema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *dump_text(const struct probe_db *db, size_t *len)
{
	char *text;
	FILE *out = open_memstream(&text, len);

	if (!out)
		abort();
	probe_db_dump(db, out);
	fclose(out);
	return text;
}

static bool load(struct probe_db *db, const void *text, size_t len)
{
	unsigned char *buf = malloc(len + 1);
	struct diag d;
	bool ok;

	if (!buf)
		abort();
	memcpy(buf, text, len);
	buf[len] = '\0';
	diag_init(&d, NULL);
	probe_db_init(db, "fuzz");
	ok = probe_db_parse(db, buf, len, &d) && probe_db_validate(db, &d);
	free(buf);
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct probe_db a, b;
	char *d1, *d2;
	size_t len1, len2;

	if (!load(&a, data, size)) {
		probe_db_free(&a);
		return 0;
	}
	d1 = dump_text(&a, &len1);
	if (!load(&b, d1, len1)) {
		fprintf(stderr, "dump does not re-parse:\n%s", d1);
		abort();
	}
	d2 = dump_text(&b, &len2);
	if (len1 != len2 || memcmp(d1, d2, len1) != 0) {
		fprintf(stderr, "dump is not stable:\n%s\n----\n%s", d1, d2);
		abort();
	}
	free(d1);
	free(d2);
	probe_db_free(&a);
	probe_db_free(&b);
	return 0;
}
