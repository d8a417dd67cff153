#include "target_spec.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/* A longer line of a file is not a list of targets (a few specs at most). */
enum { FILE_LINE_MAX = 4096 };

/* The spec is shown escaped: it may come from a file. */
int svd_spec_fail(char *err, size_t errlen, const char *spec, const char *fmt, ...)
{
	char why[256], shown[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "bad target '%s': %s", escape_for_log(shown, sizeof shown, spec), why);
	return -1;
}

void svd_spec_free(struct svd_spec *s)
{
	free(s->addrs);
	free(s->name);
	s->addrs = NULL;
	s->name = NULL;
	s->naddrs = 0;
}

unsigned svd_spec_octet_count(const struct svd_spec *s, unsigned i)
{
	unsigned n = 0, w;

	for (w = 0; w < 4; w++)
		n += (unsigned)__builtin_popcountll(s->octet[i][w]);
	return n;
}

const unsigned char *svd_spec_addr_bytes(const struct sockaddr *sa, size_t *len)
{
	if (sa->sa_family == AF_INET6) {
		*len = 16;
		return ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr;
	}
	*len = 4;
	return (const unsigned char *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr;
}

/* Is c one of the characters of a dotted octet spec (127.0.0-1.1,3)? */
static bool octet_char(char c)
{
	return (c >= '0' && c <= '9') || c == '.' || c == ',' || c == '-' || c == '*';
}

/* Four dot-separated fields of octet characters: not a host name. */
static bool looks_like_octets(const char *s)
{
	unsigned dots = 0;

	for (; *s; s++) {
		if (!octet_char(*s))
			return false;
		dots += *s == '.';
	}
	return dots == 3;
}

/* A decimal 0-255 at *s (advanced past it), or -1. */
static int octet_number(const char **s)
{
	int v = 0, ndigits = 0;

	while (**s >= '0' && **s <= '9' && ndigits < 4) {
		v = v * 10 + (*(*s)++ - '0');
		ndigits++;
	}
	return ndigits && v <= 255 ? v : -1;
}

/*
 * One octet field: items N, N-M, -M, N-, - and * separated by commas.
 * [f, f + flen) ends at a '.' or the end of the spec, which no digit
 * reading goes past.  Returns 0, or -1 with why set.
 */
static int parse_octet(uint64_t bits[4], const char *f, size_t flen, const char **why)
{
	const char *end = f + flen;

	memset(bits, 0, 4 * sizeof *bits);
	if (flen == 0)
		return *why = "empty octet", -1;
	for (;;) {
		int lo = 0, hi = 255, v;

		if (f == end || *f == ',')
			return *why = "empty item in octet list", -1;
		if (*f == '*') {
			f++;
		} else {
			if (*f != '-' && (lo = octet_number(&f)) < 0)
				return *why = "octet must be 0-255", -1;
			hi = lo;
			if (f < end && *f == '-') {
				f++;
				hi = 255;
				if (f < end && *f != ',' && (hi = octet_number(&f)) < 0)
					return *why = "octet must be 0-255", -1;
			}
		}
		if (f < end && *f != ',')
			return *why = "octet must be 0-255", -1;
		if (lo > hi)
			return *why = "octet range is reversed", -1;
		for (v = lo; v <= hi; v++)
			bits[v / 64] |= (uint64_t)1 << (v % 64);
		if (f == end)
			return 0;
		f++;
	}
}

static int parse_octets(struct svd_spec *s, const char *spec, int family,
			char *err, size_t errlen)
{
	const char *f = spec, *why = NULL;
	unsigned i;

	if (family != AF_INET)
		return svd_spec_fail(err, errlen, spec, "an IPv4 address, but -6 scans IPv6 only");
	for (i = 0; i < 4; i++) {
		size_t len = strcspn(f, ".");

		if (parse_octet(s->octet[i], f, len, &why))
			return svd_spec_fail(err, errlen, spec, "%s", why);
		f += len + 1;
	}
	s->kind = SVD_SPEC_OCTETS;
	return 0;
}

static int lookup(const char *host, int family, bool literal, struct addrinfo **res)
{
	struct addrinfo hints;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = literal ? AI_NUMERICHOST : 0;
	return getaddrinfo(host, NULL, &hints, res);
}

/* Every address of host in family, in the resolver's order, into s;
 * literal: no name lookups. */
static int resolve(struct svd_spec *s, const char *host, int family, bool literal,
		   const char *spec, char *err, size_t errlen)
{
	const char *fam = family == AF_INET ? "IPv4" : "IPv6";
	struct addrinfo *res, *ai;
	int rc = lookup(host, family, literal, &res);
	size_t n = 0;

	if (rc && literal)
		return svd_spec_fail(err, errlen, spec, "not a valid %s address", fam);
	/* Say so when the name has addresses, only of the other family. */
	if (rc && lookup(host, AF_UNSPEC, false, &res) == 0) {
		freeaddrinfo(res);
		return svd_spec_fail(err, errlen, spec, "the name has no %s address", fam);
	}
	if (rc)
		return svd_spec_fail(err, errlen, spec, "%s", gai_strerror(rc));
	for (ai = res; ai; ai = ai->ai_next)
		n++;
	s->addrs = calloc(n, sizeof *s->addrs);
	if (!s->addrs) {
		freeaddrinfo(res);
		return svd_spec_fail(err, errlen, spec, "out of memory");
	}
	for (ai = res; ai; ai = ai->ai_next) {
		/* getaddrinfo() may list an address once per protocol. */
		size_t i, len = ai->ai_addrlen;

		for (i = 0; i < s->naddrs && memcmp(&s->addrs[i], ai->ai_addr, len) != 0; i++)
			;
		if (i == s->naddrs)
			memcpy(&s->addrs[s->naddrs++], ai->ai_addr, len);
	}
	freeaddrinfo(res);
	return 0;
}

/* The N of a "/N" suffix (slash points at '/'), -1 if slash is NULL, -2 if bad. */
static int prefix_length(const char *slash, int maxbits)
{
	int v = 0;
	const char *p;

	if (!slash)
		return -1;
	if (!slash[1] || strlen(slash + 1) > 3)
		return -2;
	for (p = slash + 1; *p; p++) {
		if (*p < '0' || *p > '9')
			return -2;
		v = v * 10 + (*p - '0');
	}
	return v <= maxbits ? v : -2;
}

static bool printable_word(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return false;
	return true;
}

/* An address or a host name, either with an optional /prefix. */
static int parse_host(struct svd_spec *s, const char *spec, int family, char *err, size_t errlen)
{
	char host[SVD_SPEC_MAX + 1];
	const char *slash = strrchr(spec, '/');
	size_t hostlen = slash ? (size_t)(slash - spec) : strlen(spec);
	int maxbits = family == AF_INET6 ? 128 : 32;
	int prefix = prefix_length(slash, maxbits);
	bool v4, v6;

	memcpy(host, spec, hostlen);
	host[hostlen] = '\0';
	v6 = strchr(host, ':') != NULL;
	v4 = looks_like_octets(host);
	if (hostlen == 0)
		return svd_spec_fail(err, errlen, spec, "no address before '/'");
	if (v6 && family != AF_INET6)
		return svd_spec_fail(err, errlen, spec, "an IPv6 address needs -6");
	if (v4 && family != AF_INET)
		return svd_spec_fail(err, errlen, spec, "an IPv4 address, but -6 scans IPv6 only");
	if (v4 && strpbrk(host, ",-*"))
		return svd_spec_fail(err, errlen, spec, "octet ranges take no /prefix");
	if (prefix == -2)
		return svd_spec_fail(err, errlen, spec, "prefix length must be 0-%d", maxbits);
	/* A name reaches every output as given: no byte a terminal or an XML
	 * reader would take for something else. */
	if (!v4 && !v6 && !printable_word(host))
		return svd_spec_fail(err, errlen, spec, "not a host name (a byte that is not printable ASCII, or a blank)");
	if (resolve(s, host, family, v4 || v6, spec, err, errlen))
		return -1;
	if (!v4 && !v6 && !(s->name = strdup(host))) {
		svd_spec_free(s);
		return svd_spec_fail(err, errlen, spec, "out of memory");
	}
	s->kind = SVD_SPEC_BLOCK;
	s->host_bits = (unsigned)(maxbits - (prefix < 0 ? maxbits : prefix));
	return 0;
}

int svd_spec_parse(struct svd_spec *s, const char *spec, int family, char *err, size_t errlen)
{
	size_t len = strlen(spec);

	memset(s, 0, sizeof *s);
	if (len == 0)
		return svd_spec_fail(err, errlen, spec, "empty");
	if (len > SVD_SPEC_MAX)
		return svd_spec_fail(err, errlen, "...", "longer than %d characters", SVD_SPEC_MAX);
	if (looks_like_octets(spec))
		return parse_octets(s, spec, family, err, errlen);
	return parse_host(s, spec, family, err, errlen);
}

enum line_read { LINE_OK, LINE_END, LINE_TOO_LONG, LINE_NUL };

/* Reads one line of f into buf (FILE_LINE_MAX + 1 bytes; NUL-ended,
 * without its newline). */
static enum line_read read_line(FILE *f, char *buf)
{
	size_t n = 0;
	int c;

	while ((c = getc(f)) != EOF && c != '\n') {
		if (c == '\0')
			return LINE_NUL;
		if (n == FILE_LINE_MAX)
			return LINE_TOO_LONG;
		buf[n++] = (char)c;
	}
	buf[n] = '\0';
	return c == EOF && n == 0 ? LINE_END : LINE_OK;
}

int svd_spec_file_each(FILE *f, const char *fname,
		       int (*each)(void *arg, const char *spec, char *why, size_t whylen),
		       void *arg, char *err, size_t errlen)
{
	char line[FILE_LINE_MAX + 1], *save, *spec, why[512], name[256];
	unsigned long lineno = 0;
	enum line_read got;
	int rc = 0;

	escape_for_log(name, sizeof name, fname);
	while (rc == 0 && (got = read_line(f, line)) != LINE_END) {
		if (++lineno > SVD_SPEC_FILE_LINES_MAX) {
			snprintf(err, errlen, "%s: more than %lu lines", name,
				 (unsigned long)SVD_SPEC_FILE_LINES_MAX);
			return -1;
		}
		if (got == LINE_TOO_LONG) {
			snprintf(err, errlen, "%s:%lu: line longer than %d bytes", name, lineno,
				 FILE_LINE_MAX);
			return -1;
		}
		if (got == LINE_NUL) {
			snprintf(err, errlen, "%s:%lu: a NUL byte: not a text file", name, lineno);
			return -1;
		}
		line[strcspn(line, "#")] = '\0';
		for (spec = strtok_r(line, " \t\r\f\v", &save); spec && rc == 0;
		     spec = strtok_r(NULL, " \t\r\f\v", &save)) {
			rc = each(arg, spec, why, sizeof why);
			if (rc)
				snprintf(err, errlen, "%s:%lu: %s", name, lineno, why);
		}
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "%s: read error", name);
		rc = -1;
	}
	return rc ? -1 : 0;
}
