#include "exclude.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "target_spec.h"

void svd_exclude_init(struct svd_exclude *x, int family)
{
	memset(x, 0, sizeof *x);
	x->family = family;
}

void svd_exclude_free(struct svd_exclude *x)
{
	free(x->ranges);
	free(x->octets);
	svd_exclude_init(x, x->family);
}

static int push_range(struct svd_exclude *x, const struct svd_addr_range *r)
{
	if (x->nranges == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 16;
		struct svd_addr_range *v = realloc(x->ranges, cap * sizeof *v);

		if (!v)
			return -1;
		x->ranges = v;
		x->cap = cap;
	}
	x->ranges[x->nranges++] = *r;
	return 0;
}

/* The range of the 2^host_bits addresses around sa. */
static void block_range(struct svd_addr_range *r, const struct sockaddr *sa, unsigned host_bits)
{
	size_t len, i;
	const unsigned char *a = svd_spec_addr_bytes(sa, &len);

	memset(r, 0, sizeof *r);
	memcpy(r->lo, a, len);
	memcpy(r->hi, a, len);
	for (i = len; i-- > 0 && host_bits > 0;) {
		unsigned bits = host_bits < 8 ? host_bits : 8;
		unsigned char mask = (unsigned char)((1u << bits) - 1);

		r->lo[i] &= (unsigned char)~mask;
		r->hi[i] |= mask;
		host_bits -= bits;
	}
}

/*
 * The range an octet spec is, if it is one: single values up to a field,
 * a run of values there, every value after (127.0.0.1, 127.0.0.1-5,
 * 127.0.0-3.*).  Other octet specs are kept and asked one by one.
 */
static bool octets_as_range(const struct svd_spec *s, struct svd_addr_range *r)
{
	unsigned i = 0, v, n;

	memset(r, 0, sizeof *r);
	for (i = 0; i < 4 && svd_spec_octet_count(s, i) == 1; i++)
		for (v = 0; v < 256; v++)
			if (svd_spec_octet_has(s, i, v))
				r->lo[i] = r->hi[i] = (unsigned char)v;
	if (i == 4)
		return true;
	for (v = 0; !svd_spec_octet_has(s, i, v); v++)
		;
	n = svd_spec_octet_count(s, i);
	if (v + n > 256 || !svd_spec_octet_has(s, i, v + n - 1))
		return false;  /* not one run of values */
	r->lo[i] = (unsigned char)v;
	r->hi[i] = (unsigned char)(v + n - 1);
	while (++i < 4) {
		if (svd_spec_octet_count(s, i) != 256)
			return false;
		r->hi[i] = 255;
	}
	return true;
}

static int add_spec(struct svd_exclude *x, const struct svd_spec *s)
{
	struct svd_addr_range r;
	size_t i;

	if (s->kind == SVD_SPEC_OCTETS && octets_as_range(s, &r))
		return push_range(x, &r);
	if (s->kind == SVD_SPEC_OCTETS) {
		struct svd_spec *v = realloc(x->octets, (x->noctets + 1) * sizeof *v);

		if (!v)
			return -1;
		x->octets = v;
		v[x->noctets++] = *s;  /* owns nothing: an octet spec has no addrs */
		return 0;
	}
	for (i = 0; i < s->naddrs; i++) {
		block_range(&r, (const struct sockaddr *)&s->addrs[i], s->host_bits);
		if (push_range(x, &r))
			return -1;
	}
	return 0;
}

/* One spec: parsed, kept, freed. */
static int add_one(void *arg, const char *spec, char *err, size_t errlen)
{
	struct svd_exclude *x = arg;
	struct svd_spec s;
	int rc;

	assert(!x->sealed);
	if (svd_spec_parse(&s, spec, x->family, err, errlen))
		return -1;
	rc = add_spec(x, &s);
	svd_spec_free(&s);
	if (rc)
		snprintf(err, errlen, "out of memory");
	return rc;
}

int svd_exclude_add_list(struct svd_exclude *x, const char *list, char *err, size_t errlen)
{
	char spec[SVD_SPEC_MAX + 2];

	for (;;) {
		size_t len = strcspn(list, ",");

		if (len > SVD_SPEC_MAX)
			len = SVD_SPEC_MAX + 1;  /* too long: the parser says so */
		memcpy(spec, list, len);
		spec[len] = '\0';
		if (add_one(x, spec, err, errlen))
			return -1;
		list += strcspn(list, ",");
		/* A comma at the end is no empty spec, as in Nmap. */
		if (!*list || !*++list)
			return 0;
	}
}

int svd_exclude_add_file(struct svd_exclude *x, FILE *f, const char *fname,
			 char *err, size_t errlen)
{
	return svd_spec_file_each(f, fname, add_one, x, err, errlen);
}

static int range_cmp(const void *a, const void *b)
{
	return memcmp(((const struct svd_addr_range *)a)->lo,
		      ((const struct svd_addr_range *)b)->lo, 16);
}

/* Sorted by lo, then overlapping ranges merged: disjoint and ascending,
 * so a binary search finds the one range that may hold an address. */
void svd_exclude_seal(struct svd_exclude *x)
{
	size_t i, n = 0;

	if (x->nranges)
		qsort(x->ranges, x->nranges, sizeof *x->ranges, range_cmp);
	for (i = 0; i < x->nranges; i++) {
		struct svd_addr_range *last = n ? &x->ranges[n - 1] : NULL;

		if (last && memcmp(x->ranges[i].lo, last->hi, 16) <= 0) {
			if (memcmp(x->ranges[i].hi, last->hi, 16) > 0)
				memcpy(last->hi, x->ranges[i].hi, 16);
		} else {
			x->ranges[n++] = x->ranges[i];
		}
	}
	x->nranges = n;
	x->sealed = true;
}

bool svd_exclude_has(const struct svd_exclude *x, const struct sockaddr *sa)
{
	unsigned char key[16] = { 0 };
	size_t len, lo = 0, hi = x->nranges, i;
	const unsigned char *a = svd_spec_addr_bytes(sa, &len);

	assert(x->sealed && sa->sa_family == x->family);
	memcpy(key, a, len);
	/* The last range whose lo is at most key. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (memcmp(x->ranges[mid].lo, key, 16) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && memcmp(key, x->ranges[lo - 1].hi, 16) <= 0)
		return true;
	for (i = 0; len == 4 && i < x->noctets; i++)
		if (svd_spec_octets_have(&x->octets[i], a))
			return true;
	return false;
}
