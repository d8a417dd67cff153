#include "targets.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "target_spec.h"

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

/* Makes room for count more targets, within t->max (which counts the
 * excluded ones too: the list's size does not depend on them). */
static int reserve(struct svd_targets *t, uint64_t count, const char *spec,
		   char *err, size_t errlen)
{
	size_t cap = t->cap ? t->cap : 16;
	struct svd_target *v;

	if (count > t->max || t->n + t->excluded + count > t->max)
		return svd_spec_fail(err, errlen, spec, "more than %zu targets in all", t->max);
	while (cap < t->n + count)
		cap *= 2;
	if (cap == t->cap)
		return 0;
	v = realloc(t->v, cap * sizeof *v);
	if (!v)
		return svd_spec_fail(err, errlen, spec, "out of memory");
	t->v = v;
	t->cap = cap;
	return 0;
}

/* Appends one address unless it is excluded; room was reserved. */
static int push(struct svd_targets *t, const void *sa, socklen_t len, const char *name)
{
	struct svd_target *tg = &t->v[t->n];

	if (t->exclude && svd_exclude_has(t->exclude, sa)) {
		t->excluded++;
		return 0;
	}
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
static int add_block(struct svd_targets *t, const struct sockaddr_storage *sa,
		     unsigned bits, const char *name, const char *spec,
		     char *err, size_t errlen)
{
	struct sockaddr_storage ss = *sa;
	socklen_t len = sa->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
						  : sizeof(struct sockaddr_in);
	unsigned char *tail;
	uint32_t base, own, mask;
	uint64_t i, count;

	if (bits >= 32)
		return svd_spec_fail(err, errlen, spec, "more than %zu targets in all", t->max);
	mask = (uint32_t)(((uint64_t)1 << bits) - 1);
	count = (uint64_t)1 << bits;
	if (reserve(t, count, spec, err, errlen))
		return -1;
	if (sa->ss_family == AF_INET)
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
			return svd_spec_fail(err, errlen, spec, "out of memory");
	}
	return 0;
}

/* Every address of an octet spec, in Nmap's order (the last octet fastest). */
static int add_octets(struct svd_targets *t, const struct svd_spec *s, const char *spec,
		      char *err, size_t errlen)
{
	struct sockaddr_in sin;
	unsigned a, b, c, d;

	if (reserve(t, (uint64_t)svd_spec_octet_count(s, 0) * svd_spec_octet_count(s, 1) *
		    svd_spec_octet_count(s, 2) * svd_spec_octet_count(s, 3), spec, err, errlen))
		return -1;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	for (a = 0; a < 256; a++)
		for (b = 0; svd_spec_octet_has(s, 0, a) && b < 256; b++)
			for (c = 0; svd_spec_octet_has(s, 1, b) && c < 256; c++)
				for (d = 0; svd_spec_octet_has(s, 2, c) && d < 256; d++) {
					if (!svd_spec_octet_has(s, 3, d))
						continue;
					sin.sin_addr.s_addr = htonl(a << 24 | b << 16 | c << 8 | d);
					push(t, &sin, sizeof sin, NULL);
				}
	return 0;
}

int svd_targets_add(struct svd_targets *t, const char *spec, char *err, size_t errlen)
{
	struct svd_spec s;
	int rc;

	if (svd_spec_parse(&s, spec, t->family, err, errlen))
		return -1;
	/* A host name stands for its first address. */
	rc = s.kind == SVD_SPEC_OCTETS ? add_octets(t, &s, spec, err, errlen)
		: add_block(t, &s.addrs[0], s.host_bits, s.name, spec, err, errlen);
	svd_spec_free(&s);
	return rc;
}

static int add_one(void *arg, const char *spec, char *err, size_t errlen)
{
	return svd_targets_add(arg, spec, err, errlen);
}

int svd_targets_add_file(struct svd_targets *t, FILE *f, const char *fname,
			 char *err, size_t errlen)
{
	return svd_spec_file_each(f, fname, add_one, t, err, errlen);
}
