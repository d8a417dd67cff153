#include "match.h"

#include <stdlib.h>
#include <string.h>

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

bool svd_matcher_init(struct svd_matcher *mt, const struct svd_sigdb *db)
{
	size_t nlit = db->nliterals ? db->nliterals : 1, most = 1;
	uint32_t i;

	/* A line is a candidate at most once per probe: through its literal,
	 * or through the first-byte bucket when it has none. */
	for (i = 0; i < db->nprobes; i++)
		if (db->probes[i].nmatches > most)
			most = db->probes[i].nmatches;
	memset(mt, 0, sizeof *mt);
	mt->db = db;
	mt->lit_stamp = calloc(nlit, sizeof *mt->lit_stamp);
	mt->found = calloc(nlit, sizeof *mt->found);
	mt->cand = calloc(most, sizeof *mt->cand);
	if (!mt->lit_stamp || !mt->found || !mt->cand) {
		svd_matcher_free(mt);
		return false;
	}
	return true;
}

void svd_matcher_free(struct svd_matcher *mt)
{
	free(mt->lit_stamp);
	free(mt->found);
	free(mt->cand);
	memset(mt, 0, sizeof *mt);
}

static bool literal_at(const struct svd_literal *l, const unsigned char *p)
{
	unsigned k;

	for (k = 0; k < l->len; k++) {
		unsigned char c = (l->caseless >> k) & 1 ? fold(p[k]) : p[k];

		if (c != l->bytes[k])
			return false;
	}
	return true;
}

/*
 * One pass over the response: which literals of the database occur in it.
 * Each position's folded 4-gram selects a bucket of literals to verify.
 */
static void find_literals(struct svd_matcher *mt, const unsigned char *s,
			  size_t n)
{
	const struct svd_sigdb *db = mt->db;
	uint32_t gram = 0;
	size_t i;

	mt->nfound = 0;
	if (++mt->stamp == 0) {
		memset(mt->lit_stamp, 0, db->nliterals * sizeof *mt->lit_stamp);
		mt->stamp = 1;
	}
	if (n < 4 || db->nliterals == 0)
		return;
	for (i = 0; i < 3; i++)
		gram = gram << 8 | fold(s[i]);
	for (i = 0; i + 4 <= n; i++) {
		uint32_t h, k;

		gram = gram << 8 | fold(s[i + 3]);
		h = svd_gram_hash(gram, db->gram_bits);
		for (k = db->gram[h]; k < db->gram[h + 1]; k++) {
			uint32_t lit = db->gram_lits[k];
			const struct svd_literal *l = &db->literals[lit];

			if (mt->lit_stamp[lit] == mt->stamp || i + l->len > n ||
			    !literal_at(l, s + i))
				continue;
			mt->lit_stamp[lit] = mt->stamp;
			mt->found[mt->nfound++] = lit;
		}
	}
}

/* First index in a[0..n) that is >= key. */
static uint32_t lower_bound(const uint32_t *a, uint32_t n, uint32_t key)
{
	uint32_t lo = 0, hi = n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (a[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/*
 * The candidate lines of one probe, ascending: those whose literal was
 * found, and its literal-less lines that can start with s[0].
 */
static size_t gather(struct svd_matcher *mt, const struct svd_probe *p,
		   unsigned char first)
{
	const struct svd_sigdb *db = mt->db;
	uint32_t lo = p->first_match, hi = p->first_match + p->nmatches;
	uint32_t from = p->bucket[first], to = p->bucket[first + 1];
	size_t n = 0;
	uint32_t f, k;

	for (k = from; k < to; k++)
		mt->cand[n++] = p->bucket_ids[k];
	for (f = 0; f < mt->nfound; f++) {
		const struct svd_literal *l = &db->literals[mt->found[f]];

		for (k = lower_bound(l->matches, l->nmatches, lo);
		     k < l->nmatches && l->matches[k] < hi; k++) {
			mt->cand[n++] = l->matches[k];
		}
	}
	qsort(mt->cand, n, sizeof *mt->cand, cmp_u32);
	return n;
}

static bool prefix_ok(const struct svd_sigdb *db, const struct svd_match *m,
		      const unsigned char *s, size_t n)
{
	unsigned k;

	if (n < m->min_len)
		return false;
	for (k = 0; k < m->nprefix; k++)
		if (!svd_class_has(db->classes[m->prefix[k]], s[k]))
			return false;
	return true;
}

const struct svd_match *svd_match_response(struct svd_matcher *mt,
					   unsigned probe,
					   const unsigned char *s, size_t n,
					   struct svd_result *r,
					   svd_trace_fn *trace, void *arg)
{
	const struct svd_sigdb *db = mt->db;
	const struct svd_probe *p = &db->probes[probe];
	unsigned c;

	r->match = NULL;
	r->nmatch = 0;
	if (n == 0)
		return NULL;
	find_literals(mt, s, n);
	for (c = 0; c < p->nchain; c++) {
		size_t ncand = gather(mt, &db->probes[p->chain[c]], s[0]), k;

		for (k = 0; k < ncand; k++) {
			const struct svd_match *m = &db->matches[mt->cand[k]];
			int rc;

			if (!prefix_ok(db, m, s, n))
				continue;
			rc = m->confirm(m, s, n, r->ovec);
			if (trace)
				trace(arg, m, rc > 0);
			if (rc > 0) {
				r->match = m;
				r->nmatch = rc;
				return m;
			}
		}
	}
	return NULL;
}

int svd_find_probe(const struct svd_sigdb *db, enum svd_proto proto,
		   const char *name)
{
	uint32_t i;

	for (i = 0; i < db->nprobes; i++)
		if (db->probes[i].proto == proto && strcmp(db->probes[i].name, name) == 0)
			return (int)i;
	return -1;
}
