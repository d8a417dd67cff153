/*
 * Nmap's C-style string escapes, used by probe payloads (q|...|) and by
 * $SUBST() arguments: \0 \a \b \f \n \r \t \v \xHH; a backslash before any
 * other letter or digit is an error (Nmap has no octal escapes); before
 * any other character it stands for that character.  Also how a log or
 * error line shows text that came from a file, a target or the network.
 */
#ifndef SVD_ESCAPE_H
#define SVD_ESCAPE_H

#include <stddef.h>

/*
 * Decodes len bytes of src into dst (which holds at least len bytes).
 * Returns the decoded length, or -1 with *bad_at set to the offset of the
 * faulty escape's backslash.
 */
long escape_decode(unsigned char *dst, const unsigned char *src, size_t len,
		   size_t *bad_at);

/*
 * Encodes bytes so that escape_decode() gives them back and the result
 * contains neither delim nor a byte outside printable ASCII.  dst must
 * hold 4 * len + 1 bytes; returns the encoded length (dst is NUL-ended).
 */
size_t escape_encode(char *dst, const unsigned char *src, size_t len,
		     char delim);

/*
 * s as a terminal, log or error line may show it: encoded as by
 * escape_encode() (printable ASCII only), cut to fit size bytes with
 * "..." at the end.  Returns buf.
 */
const char *escape_for_log(char *buf, size_t size, const char *s);

/* The same for len bytes that may hold NULs. */
const char *escape_bytes_for_log(char *buf, size_t size, const void *s, size_t len);

#endif
