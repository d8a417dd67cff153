#include "escape.h"

#include <ctype.h>
#include <string.h>

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long escape_decode(unsigned char *dst, const unsigned char *src, size_t len,
		   size_t *bad_at)
{
	size_t i = 0, o = 0;

	while (i < len) {
		unsigned char c = src[i];

		if (c != '\\') {
			dst[o++] = c;
			i++;
			continue;
		}
		if (i + 1 >= len)
			goto bad;
		switch (c = src[i + 1]) {
		case '0': dst[o++] = '\0'; break;
		case 'a': dst[o++] = '\a'; break;
		case 'b': dst[o++] = '\b'; break;
		case 'f': dst[o++] = '\f'; break;
		case 'n': dst[o++] = '\n'; break;
		case 'r': dst[o++] = '\r'; break;
		case 't': dst[o++] = '\t'; break;
		case 'v': dst[o++] = '\v'; break;
		case 'x':
			if (i + 3 >= len || hexval(src[i + 2]) < 0 ||
			    hexval(src[i + 3]) < 0)
				goto bad;
			dst[o++] = (unsigned char)(hexval(src[i + 2]) << 4 |
						   hexval(src[i + 3]));
			i += 2;
			break;
		default:
			if (isalnum(c))
				goto bad;
			dst[o++] = c;
		}
		i += 2;
	}
	return (long)o;
bad:
	*bad_at = i;
	return -1;
}

size_t escape_encode(char *dst, const unsigned char *src, size_t len,
		     char delim)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = src[i];
		char shorthand = 0;

		switch (c) {
		case '\r': shorthand = 'r'; break;
		case '\n': shorthand = 'n'; break;
		case '\t': shorthand = 't'; break;
		case '\\': shorthand = '\\'; break;
		case '\0':
			/* \0 followed by a digit would still decode fine, but
			 * \x00 reads unambiguously next to digits. */
			if (i + 1 < len && isdigit(src[i + 1]))
				break;
			shorthand = '0';
			break;
		}
		if (shorthand) {
			dst[o++] = '\\';
			dst[o++] = shorthand;
		} else if (c >= 0x20 && c < 0x7f && c != (unsigned char)delim) {
			dst[o++] = (char)c;
		} else {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
		}
	}
	dst[o] = '\0';
	return o;
}

const char *escape_bytes_for_log(char *buf, size_t size, const void *s, size_t len)
{
	const unsigned char *p = s;
	size_t used = 0, i;
	char one[5];

	if (size == 0)
		return buf;
	for (i = 0; i < len; i++) {
		size_t n = escape_encode(one, p + i, 1, '\0');

		if (used + n >= size) {
			while (used > 0 && used + 4 > size)
				used--;
			if (used + 4 <= size) {
				memcpy(buf + used, "...", 3);
				used += 3;
			}
			break;
		}
		memcpy(buf + used, one, n);
		used += n;
	}
	buf[used] = '\0';
	return buf;
}

const char *escape_for_log(char *buf, size_t size, const char *s)
{
	return escape_bytes_for_log(buf, size, s, strlen(s));
}
