#include "c_escape.h"

#include <string.h>

void c_escape(FILE *out, enum c_context where, const void *p, size_t len)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		/* Octal escapes have exactly three digits, so a digit after one
		 * cannot extend it; a backslash is never followed by a newline. */
		if (c == '"' || c == '\\' || c == '?')
			fprintf(out, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f && !(where == C_COMMENT && c == '*'))
			fputc(c, out);
		else
			fprintf(out, "\\%03o", c);
	}
}

bool c_name_ok(const char *s)
{
	size_t len = strlen(s), i;

	if (len == 0 || len > C_NAME_MAX || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') &&
		    !(s[i] >= '0' && s[i] <= '9') && s[i] != '_')
			return false;
	return true;
}
