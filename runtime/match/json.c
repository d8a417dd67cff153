#include "json.h"

#include <string.h>

void json_string(FILE *out, const void *s, size_t len)
{
	fputc('"', out);
	json_string_body(out, s, len);
	fputc('"', out);
}

void json_string_body(FILE *out, const void *s, size_t len)
{
	const unsigned char *p = s;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = p[i];

		switch (c) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (c < 0x20 || c >= 0x7f)
				fprintf(out, "\\u%04x", c);
			else
				fputc(c, out);
		}
	}
}

void json_cstring(FILE *out, const char *s)
{
	json_string(out, s, strlen(s));
}

void json_field(FILE *out, const char *key, const char *value, int *first)
{
	if (!*value)
		return;
	fprintf(out, "%s\"%s\":", *first ? "" : ",", key);
	json_cstring(out, value);
	*first = 0;
}
