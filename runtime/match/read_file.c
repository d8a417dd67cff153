#include "read_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned char *svd_read_file(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	/* Bounded: each turn reads more bytes or stops, and the buffer
	 * doubles, so a file of n bytes takes O(log n) allocations. */
	do {
		if (n == cap) {
			unsigned char *bigger = realloc(buf, cap = cap ? 2 * cap : 65536);

			if (!bigger) {
				free(buf);
				buf = NULL;
				errno = ENOMEM;
				break;
			}
			buf = bigger;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	if (buf && ferror(f)) {
		free(buf);
		buf = NULL;
		errno = EIO;
	}
	if (f != stdin)
		fclose(f);
	*len = n;
	return buf;
}
