/*
 * One target specification as Nmap reads it, parsed but not expanded:
 * the syntax shared by the target list (targets.h) and the exclusion
 * list (exclude.h).  IPv4/IPv6 addresses and host names, each with an
 * optional /prefix; IPv4 octet ranges and lists (127.0.0.1-5,
 * 127.0.0-1.1,3, 127.0.0.*).  Also the reader of files of specs
 * (-iL, --excludefile).
 */
#ifndef SVD_TARGET_SPEC_H
#define SVD_TARGET_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

/* Longer specs are not addresses or host names (a DNS name is <= 253). */
enum { SVD_SPEC_MAX = 1024 };

struct svd_spec {
	enum svd_spec_kind { SVD_SPEC_OCTETS, SVD_SPEC_BLOCK } kind;
	/* OCTETS (IPv4): bit v of octet[i] is set when field i takes value v. */
	uint64_t octet[4][4];
	/* BLOCK: the 2^host_bits addresses around each of addrs (host bits
	 * cleared): a literal's one address, a name's every address of the
	 * family in the resolver's order. */
	struct sockaddr_storage *addrs;
	size_t naddrs;
	unsigned host_bits;           /* 0 to 32 (IPv4) or 128 (IPv6) */
	char *name;                   /* the host name as given, or NULL */
};

/*
 * Parses spec for family (AF_INET or AF_INET6), resolving a host name.
 * Returns 0, or -1 with a one-line message (no trailing newline) in err,
 * e.g. "bad target '10.0.0.0/33': prefix length must be 0-32".
 */
int svd_spec_parse(struct svd_spec *s, const char *spec, int family, char *err, size_t errlen);
void svd_spec_free(struct svd_spec *s);

/* Writes "bad target 'SPEC': WHY" to err (the spec escaped); returns -1. */
__attribute__((format(printf, 4, 5)))
int svd_spec_fail(char *err, size_t errlen, const char *spec, const char *fmt, ...);

/* Whether field i (0-3) of an OCTETS spec takes value v. */
static inline bool svd_spec_octet_has(const struct svd_spec *s, unsigned i, unsigned v)
{
	return s->octet[i][v / 64] >> (v % 64) & 1;
}

/* Whether the IPv4 address a (4 bytes) is one of an OCTETS spec's. */
static inline bool svd_spec_octets_have(const struct svd_spec *s, const unsigned char a[4])
{
	return svd_spec_octet_has(s, 0, a[0]) && svd_spec_octet_has(s, 1, a[1]) &&
	       svd_spec_octet_has(s, 2, a[2]) && svd_spec_octet_has(s, 3, a[3]);
}

/* How many values field i of an OCTETS spec takes. */
unsigned svd_spec_octet_count(const struct svd_spec *s, unsigned i);

/* The address bytes of sa (IPv4 or IPv6) and their count. */
const unsigned char *svd_spec_addr_bytes(const struct sockaddr *sa, size_t *len);

/* Files of specs hold at most this many lines, each at most 4096 bytes:
 * a long list of hosts, not a runaway input. */
#define SVD_SPEC_FILE_LINES_MAX (1u << 21)

/*
 * Calls each(arg, spec, why, whylen) for every whitespace-separated spec
 * of f in order ('#' starts a comment that ends with the line) until one
 * returns nonzero; its message (why) then goes to err after fname and
 * the line.  No NUL byte, no line of more than 4096 bytes, no more than
 * SVD_SPEC_FILE_LINES_MAX lines: input such as /dev/zero fails at once.
 * Returns 0 or -1.
 */
int svd_spec_file_each(FILE *f, const char *fname,
		       int (*each)(void *arg, const char *spec, char *why, size_t whylen),
		       void *arg, char *err, size_t errlen);

#endif
