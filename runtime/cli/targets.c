#include "targets.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/* Longer specs are not addresses or host names (a DNS name is <= 253). */
enum { SPEC_MAX = 1024 };

/* -iL: a longer line is not a list of targets (a few specs at most). */
enum { FILE_LINE_MAX = 4096 };

struct octet_set {
	bool has[256];
	unsigned n;
};

/* The spec is shown escaped: it may come from a file. */
__attribute__((format(printf, 4, 5)))
static int fail(char *err, size_t errlen, const char *spec, const char *fmt, ...)
{
	char why[256], shown[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "bad target '%s': %s", escape_for_log(shown, sizeof shown, spec), why);
	return -1;
}

void svd_targets_init(struct svd_targets *t, int family, bool no_dns)
{
	memset(t, 0, sizeof *t);
	t->family = family;
	t->no_dns = no_dns;
	t->max = SVD_TARGETS_MAX;
}

void svd_targets_free(struct svd_targets *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].name);
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

/* Makes room for count more targets, within t->max. */
static int reserve(struct svd_targets *t, uint64_t count, const char *spec,
		   char *err, size_t errlen)
{
	size_t cap = t->cap ? t->cap : 16;
	struct svd_target *v;

	if (count > t->max || t->n + count > t->max)
		return fail(err, errlen, spec, "more than %zu targets in all", t->max);
	while (cap < t->n + count)
		cap *= 2;
	if (cap == t->cap)
		return 0;
	v = realloc(t->v, cap * sizeof *v);
	if (!v)
		return fail(err, errlen, spec, "out of memory");
	t->v = v;
	t->cap = cap;
	return 0;
}

/* Appends one address; room was reserved. */
static int push(struct svd_targets *t, const void *sa, socklen_t len, const char *name)
{
	struct svd_target *tg = &t->v[t->n];

	memset(tg, 0, sizeof *tg);
	memcpy(&tg->addr, sa, len);
	tg->addrlen = len;
	if (name && !(tg->name = strdup(name)))
		return -1;
	t->n++;
	return 0;
}

/*
 * The 2^bits addresses of the block around sa (host bits cleared),
 * ascending; bits < 32, so only the last 32 bits of the address change.
 * The name goes with sa's own address, as Nmap prints it.
 */
static int add_block(struct svd_targets *t, const struct sockaddr *sa, socklen_t len,
		     unsigned bits, const char *name, const char *spec,
		     char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	unsigned char *tail;
	uint32_t base, own, mask = (uint32_t)(((uint64_t)1 << bits) - 1);
	uint64_t i, count = (uint64_t)1 << bits;

	if (reserve(t, count, spec, err, errlen))
		return -1;
	memcpy(&ss, sa, len);
	if (sa->sa_family == AF_INET)
		tail = (unsigned char *)&((struct sockaddr_in *)&ss)->sin_addr;
	else
		tail = ((struct sockaddr_in6 *)&ss)->sin6_addr.s6_addr + 12;
	memcpy(&own, tail, 4);
	own = ntohl(own);
	base = own & ~mask;
	for (i = 0; i < count; i++) {
		uint32_t a = htonl(base + (uint32_t)i);

		memcpy(tail, &a, 4);
		if (push(t, &ss, len, base + i == own ? name : NULL))
			return fail(err, errlen, spec, "out of memory");
	}
	return 0;
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
static int parse_octet(struct octet_set *o, const char *f, size_t flen, const char **why)
{
	const char *end = f + flen;

	memset(o, 0, sizeof *o);
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
		for (v = lo; v <= hi; v++) {
			o->n += !o->has[v];
			o->has[v] = true;
		}
		if (f == end)
			return 0;
		f++;
	}
}

static int add_octets(struct svd_targets *t, const char *spec, char *err, size_t errlen)
{
	struct octet_set o[4];
	struct sockaddr_in sin;
	const char *f = spec, *why = NULL;
	unsigned a, b, c, d, i;

	if (t->family != AF_INET)
		return fail(err, errlen, spec, "an IPv4 address, but -6 scans IPv6 only");
	for (i = 0; i < 4; i++) {
		size_t len = strcspn(f, ".");

		if (parse_octet(&o[i], f, len, &why))
			return fail(err, errlen, spec, "%s", why);
		f += len + 1;
	}
	if (reserve(t, (uint64_t)o[0].n * o[1].n * o[2].n * o[3].n, spec, err, errlen))
		return -1;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	for (a = 0; a < 256; a++)
		for (b = 0; o[0].has[a] && b < 256; b++)
			for (c = 0; o[1].has[b] && c < 256; c++)
				for (d = 0; o[2].has[c] && d < 256; d++) {
					if (!o[3].has[d])
						continue;
					sin.sin_addr.s_addr = htonl(a << 24 | b << 16 | c << 8 | d);
					push(t, &sin, sizeof sin, NULL);
				}
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

/* The first address of host in t's family; literal: no name lookups. */
static int resolve(struct svd_targets *t, const char *host, bool literal,
		   struct sockaddr_storage *ss, socklen_t *len,
		   const char *spec, char *err, size_t errlen)
{
	const char *fam = t->family == AF_INET ? "IPv4" : "IPv6";
	struct addrinfo *res;
	int rc = lookup(host, t->family, literal, &res);

	if (rc && literal)
		return fail(err, errlen, spec, "not a valid %s address", fam);
	/* Say so when the name has addresses, only of the other family. */
	if (rc && lookup(host, AF_UNSPEC, false, &res) == 0) {
		freeaddrinfo(res);
		return fail(err, errlen, spec, "the name has no %s address", fam);
	}
	if (rc)
		return fail(err, errlen, spec, "%s", gai_strerror(rc));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
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
static int add_host(struct svd_targets *t, const char *spec, char *err, size_t errlen)
{
	char host[SPEC_MAX + 1];
	const char *slash = strrchr(spec, '/');
	size_t hostlen = slash ? (size_t)(slash - spec) : strlen(spec);
	int maxbits = t->family == AF_INET6 ? 128 : 32;
	int prefix = prefix_length(slash, maxbits);
	bool v4, v6;
	struct sockaddr_storage ss;
	socklen_t len = 0;

	memcpy(host, spec, hostlen);
	host[hostlen] = '\0';
	v6 = strchr(host, ':') != NULL;
	v4 = looks_like_octets(host);
	if (hostlen == 0)
		return fail(err, errlen, spec, "no address before '/'");
	if (v6 && t->family != AF_INET6)
		return fail(err, errlen, spec, "an IPv6 address needs -6");
	if (v4 && t->family != AF_INET)
		return fail(err, errlen, spec, "an IPv4 address, but -6 scans IPv6 only");
	if (v4 && strpbrk(host, ",-*"))
		return fail(err, errlen, spec, "octet ranges take no /prefix");
	if (prefix == -2)
		return fail(err, errlen, spec, "prefix length must be 0-%d", maxbits);
	/* A name reaches every output as given: no byte a terminal or an XML
	 * reader would take for something else. */
	if (!v4 && !v6 && !printable_word(host))
		return fail(err, errlen, spec, "not a host name (a byte that is not printable ASCII, or a blank)");
	if (resolve(t, host, v4 || v6, &ss, &len, spec, err, errlen))
		return -1;
	if (prefix < 0)
		prefix = maxbits;
	if (maxbits - prefix >= 32)
		return fail(err, errlen, spec, "more than %zu targets in all", t->max);
	return add_block(t, (struct sockaddr *)&ss, len, (unsigned)(maxbits - prefix),
			 v4 || v6 ? NULL : host, spec, err, errlen);
}

int svd_targets_add(struct svd_targets *t, const char *spec, char *err, size_t errlen)
{
	size_t len = strlen(spec);

	if (len == 0)
		return fail(err, errlen, spec, "empty");
	if (len > SPEC_MAX)
		return fail(err, errlen, "...", "longer than %d characters", SPEC_MAX);
	if (looks_like_octets(spec))
		return add_octets(t, spec, err, errlen);
	return add_host(t, spec, err, errlen);
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

int svd_targets_add_file(struct svd_targets *t, FILE *f, const char *fname,
			 char *err, size_t errlen)
{
	char line[FILE_LINE_MAX + 1], *save, *spec, why[512], name[256];
	unsigned long lineno = 0;
	enum line_read got;
	int rc = 0;

	escape_for_log(name, sizeof name, fname);
	while (rc == 0 && (got = read_line(f, line)) != LINE_END) {
		if (++lineno > SVD_TARGETS_LINES_MAX) {
			snprintf(err, errlen, "%s: more than %lu lines", name,
				 (unsigned long)SVD_TARGETS_LINES_MAX);
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
			rc = svd_targets_add(t, spec, why, sizeof why);
			if (rc)
				snprintf(err, errlen, "%s:%lu: %s", name, lineno, why);
		}
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "%s: read error", name);
		rc = -1;
	}
	return rc;
}
