/*
 * Minimal JSON writing for the -oJ and --match outputs.  Strings are
 * written as pure ASCII: bytes >= 0x80 (captures from binary protocols are
 * not always UTF-8) become \u00XX, i.e. are read as Latin-1, so every line
 * is valid JSON whatever a server sent.
 */
#ifndef SVD_JSON_H
#define SVD_JSON_H

#include <stddef.h>
#include <stdio.h>

void json_string(FILE *out, const void *s, size_t len);
/* The same without the quotes, to build a string from parts. */
void json_string_body(FILE *out, const void *s, size_t len);
void json_cstring(FILE *out, const char *s);
/* ,"key":"value" (leading comma unless first), skipped when value is "". */
void json_field(FILE *out, const char *key, const char *value, int *first);

#endif
