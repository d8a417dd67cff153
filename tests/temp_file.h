/*
 * A temporary file holding text, for the unit tests of what reads files
 * (target lists, payload files, nmap-rpc).  Returns its name, malloc'd:
 * the caller unlinks the file and frees the name.
 */
#ifndef SVD_TEMP_FILE_H
#define SVD_TEMP_FILE_H

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline char *temp_file(const char *text)
{
	char *name = strdup("/tmp/svdetect-check.XXXXXX");
	int fd;

	ck_assert_ptr_nonnull(name);
	fd = mkstemp(name);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return name;
}

#endif
