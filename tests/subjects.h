/*
 * Response corpus for differential tests and benchmarks: every example of
 * the recog corpus as is, as a CRLF line, and as the Server header of an
 * HTTP response; plus raw response files captured from real daemons.
 * Each subject is followed by one readable NUL, as the scanner's buffers.
 */
#ifndef SVD_SUBJECTS_H
#define SVD_SUBJECTS_H

#include <stdbool.h>
#include <stddef.h>

struct subject {
	unsigned char *p;
	size_t n;
};

struct subjects {
	struct subject *v;
	size_t n, cap;
};

/* Both return false (with a message on stderr) when a file cannot be read. */
bool subjects_add_recog(struct subjects *s, const char *tsv_path);
bool subjects_add_file(struct subjects *s, const char *path);
void subjects_add(struct subjects *s, const void *p, size_t n);
void subjects_free(struct subjects *s);

#endif
