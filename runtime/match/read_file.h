/*
 * A whole file in memory: what --match reads responses from and what the
 * examples parser reads example files from.
 */
#ifndef SVD_READ_FILE_H
#define SVD_READ_FILE_H

#include <stddef.h>

/*
 * The bytes of path ("-": standard input) in a malloc'd buffer, their
 * count in *len; NULL with errno set on failure.  An empty file gives a
 * non-NULL buffer and *len == 0.
 */
unsigned char *svd_read_file(const char *path, size_t *len);

#endif
