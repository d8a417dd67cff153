#include "targets.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "target_spec.h"

void svd_targets_init(struct svd_targets *t, int family, bool no_dns)
{
	memset(t, 0, sizeof *t);
	t->family = family;
	t->no_dns = no_dns;
}

void svd_targets_free(struct svd_targets *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].octets);
		free(t->v[i].name);
	}
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
	t->count = 0;
}

/* The last 4 bytes of sa's address: a block's host bits (fewer than 32). */
static unsigned char *low32(struct sockaddr_storage *sa)
{
	return sa->ss_family == AF_INET6 ? ((struct sockaddr_in6 *)sa)->sin6_addr.s6_addr + 12
		: (unsigned char *)&((struct sockaddr_in *)sa)->sin_addr;
}

/* The range of a parsed spec, or -1 with why in err. */
static int range_of(struct svd_target_range *r, const struct svd_spec *s, const char *spec,
		    char *err, size_t errlen)
{
	uint64_t count = 1;
	uint32_t own;
	unsigned i;

	memset(r, 0, sizeof *r);
	if (s->kind == SVD_SPEC_OCTETS) {
		for (i = 0; i < 4; i++)
			count *= svd_spec_octet_count(s, i);
	} else {
		count = s->host_bits < 32 ? (uint64_t)1 << s->host_bits : UINT64_MAX;
	}
	if (count > SVD_SPEC_ADDRS_MAX)
		return svd_spec_fail(err, errlen, spec, "more than %u addresses (a /8) in one spec",
				     SVD_SPEC_ADDRS_MAX);
	r->count = (uint32_t)count;
	if (s->kind == SVD_SPEC_OCTETS) {
		r->octets = malloc(sizeof s->octet);
		if (!r->octets)
			return svd_spec_fail(err, errlen, spec, "out of memory");
		memcpy(r->octets, s->octet, sizeof s->octet);
		return 0;
	}
	r->first = s->addrs[0];
	memcpy(&own, low32(&r->first), 4);
	own = ntohl(own);
	r->named = own & (r->count - 1);
	own = htonl(own & ~(r->count - 1));
	memcpy(low32(&r->first), &own, 4);
	if (s->name && !(r->name = strdup(s->name))) {
		free(r->octets);
		return svd_spec_fail(err, errlen, spec, "out of memory");
	}
	return 0;
}

int svd_targets_add(struct svd_targets *t, const char *spec, char *err, size_t errlen)
{
	struct svd_spec s;
	int rc;

	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct svd_target_range *v = realloc(t->v, cap * sizeof *v);

		if (!v)
			return svd_spec_fail(err, errlen, spec, "out of memory");
		t->v = v;
		t->cap = cap;
	}
	if (svd_spec_parse(&s, spec, t->family, err, errlen))
		return -1;
	rc = range_of(&t->v[t->n], &s, spec, err, errlen);
	svd_spec_free(&s);
	if (rc)
		return -1;
	t->count += t->v[t->n++].count;
	return 0;
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

void svd_targets_begin(struct svd_targets_cursor *c, const struct svd_targets *t)
{
	memset(c, 0, sizeof *c);
	c->t = t;
}

/* The least value of field f of octets at least v, or 256. */
static unsigned octet_from(const uint64_t (*octets)[4], unsigned f, unsigned v)
{
	for (; v < 256; v++)
		if (octets[f][v / 64] >> (v % 64) & 1)
			return v;
	return 256;
}

/* Steps c->octet to the octet spec's next address, the last field
 * fastest (the first call: its first); there is one, as i < count. */
static void next_octets(struct svd_targets_cursor *c, const uint64_t (*octets)[4])
{
	int f = 3;

	if (c->i == 0) {
		for (f = 0; f < 4; f++)
			c->octet[f] = octet_from(octets, (unsigned)f, 0);
		return;
	}
	while ((c->octet[f] = octet_from(octets, (unsigned)f, c->octet[f] + 1)) == 256)
		f--;
	for (f++; f < 4; f++)
		c->octet[f] = octet_from(octets, (unsigned)f, 0);
}

/* The cursor's next address, excluded or not, into *out. */
static void produce(struct svd_targets_cursor *c, const struct svd_target_range *r,
		    struct svd_target *out)
{
	memset(out, 0, sizeof *out);
	if (r->octets) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&out->addr;

		next_octets(c, r->octets);
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(c->octet[0] << 24 | c->octet[1] << 16 |
					     c->octet[2] << 8 | c->octet[3]);
		out->addrlen = sizeof *sin;
	} else {
		uint32_t a;

		out->addr = r->first;
		out->addrlen = r->first.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
							      : sizeof(struct sockaddr_in);
		memcpy(&a, low32(&out->addr), 4);
		a = htonl(ntohl(a) + c->i);
		memcpy(low32(&out->addr), &a, 4);
		/* The name goes with its own address, as Nmap prints it. */
		if (c->i == r->named)
			out->name = r->name;
	}
	c->i++;
}

bool svd_targets_next(struct svd_targets_cursor *c, struct svd_target *out)
{
	const struct svd_targets *t = c->t;

	while (c->range < t->n) {
		const struct svd_target_range *r = &t->v[c->range];

		if (c->i == r->count) {
			c->range++;
			c->i = 0;
			continue;
		}
		produce(c, r, out);
		if (!t->exclude || !svd_exclude_has(t->exclude, (const struct sockaddr *)&out->addr))
			return true;
	}
	return false;
}

uint64_t svd_targets_count(const struct svd_targets *t)
{
	struct svd_targets_cursor c;
	struct svd_target tg;
	uint64_t n = 0;

	if (!t->exclude || (t->exclude->nranges == 0 && t->exclude->noctets == 0))
		return t->count;
	svd_targets_begin(&c, t);
	while (svd_targets_next(&c, &tg))
		n++;
	return n;
}
