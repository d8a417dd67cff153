#include "match.h"

#include <stdlib.h>
#include <string.h>

bool svd_matcher_init(struct svd_matcher *mt, const struct svd_sigdb *db)
{
	size_t nlit = db->nliterals ? db->nliterals : 1, most = 1;
	uint32_t i;

	for (i = 0; i < db->nprobes; i++)
		if (db->probes[i].nmatches > most)
			most = db->probes[i].nmatches;
	memset(mt, 0, sizeof *mt);
	mt->db = db;
	mt->lit_stamp = calloc(nlit, sizeof *mt->lit_stamp);
	mt->found = calloc(nlit, sizeof *mt->found);
	mt->cand = calloc((most + 63) / 64, sizeof *mt->cand);
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
		unsigned char c = (l->caseless >> k) & 1 ? svd_fold(p[k]) : p[k];

		if (c != l->bytes[k])
			return false;
	}
	return true;
}

/*
 * One pass over the response: which of probe p's literals occur in it.
 * Each position's folded 4-gram selects a bucket of literals to verify
 * around it.
 */
static void find_literals(struct svd_matcher *mt, const struct svd_probe *p,
			  const unsigned char *s, size_t n)
{
	const struct svd_sigdb *db = mt->db;
	uint32_t gram = 0;
	size_t i;

	mt->nfound = 0;
	if (++mt->stamp == 0) {
		memset(mt->lit_stamp, 0, db->nliterals * sizeof *mt->lit_stamp);
		mt->stamp = 1;
	}
	if (n < 4 || p->gram[1u << p->gram_bits] == 0)
		return;
	for (i = 0; i < 3; i++)
		gram = gram << 8 | svd_fold(s[i]);
	for (i = 0; i + 4 <= n; i++) {
		uint32_t h, k;

		gram = gram << 8 | svd_fold(s[i + 3]);
		h = svd_gram_hash(gram, p->gram_bits + SVD_GRAM_FILTER_BITS);
		if (!(p->gram_filter[h / 64] >> (h % 64) & 1))
			continue;
		h >>= SVD_GRAM_FILTER_BITS;
		for (k = p->gram[h]; k < p->gram[h + 1]; k++) {
			uint32_t lit = p->gram_ents[2 * k] >> 5, off = p->gram_ents[2 * k] & 31;
			const struct svd_literal *l = &db->literals[lit];

			if (p->gram_ents[2 * k + 1] != gram ||
			    mt->lit_stamp[lit] == mt->stamp || i < off ||
			    i - off + l->len > n || !literal_at(l, s + i - off))
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

/*
 * Marks the candidate lines of one probe in mt->cand, one bit per line of
 * the probe: those whose literal was found, and its literal-less lines
 * that can start with `first`.  Reading the bits back gives them in file
 * order without sorting.  Returns the number of 64-bit words to read.
 */
static size_t gather(struct svd_matcher *mt, const struct svd_probe *p,
		     unsigned char first)
{
	const struct svd_sigdb *db = mt->db;
	uint32_t lo = p->first_match, hi = p->first_match + p->nmatches;
	uint32_t f, k;
	size_t words = (p->nmatches + 63) / 64;

	memset(mt->cand, 0, words * sizeof *mt->cand);
	for (k = p->bucket[first]; k < p->bucket[first + 1]; k++)
		mt->cand[(p->bucket_ids[k] - lo) / 64] |= 1ull << ((p->bucket_ids[k] - lo) % 64);
	for (f = 0; f < mt->nfound; f++) {
		const struct svd_literal *l = &db->literals[mt->found[f]];

		for (k = lower_bound(l->matches, l->nmatches, lo);
		     k < l->nmatches && l->matches[k] < hi; k++)
			mt->cand[(l->matches[k] - lo) / 64] |= 1ull << ((l->matches[k] - lo) % 64);
	}
	return words;
}

/* The cheap tests before a line's function: length, fixed-offset bytes,
 * and every literal it needs found by this probe's scan. */
static bool filters_pass(const struct svd_matcher *mt, const struct svd_gate *m,
			 const unsigned char *s, size_t n)
{
	unsigned k;

	if (n < m->min_len)
		return false;
	for (k = 0; k < m->nprefix; k++)
		if (!svd_class_has(mt->db->classes[m->prefix[k]], s[k]))
			return false;
	for (k = 0; k < m->nneeds; k++)
		if (mt->lit_stamp[m->needs[k]] != mt->stamp)
			return false;
	return true;
}

/* The first candidate line of probe q that its generated function confirms. */
static const struct svd_match *confirm_first(struct svd_matcher *mt,
					     const struct svd_probe *q,
					     const unsigned char *s, size_t n,
					     struct svd_result *r,
					     svd_trace_fn *trace, void *arg)
{
	size_t words = gather(mt, q, s[0]), w;

	for (w = 0; w < words; w++) {
		uint64_t bits;

		for (bits = mt->cand[w]; bits; bits &= bits - 1) {
			uint32_t i = q->first_match + 64 * (uint32_t)w + (unsigned)__builtin_ctzll(bits);
			const struct svd_gate *g = &mt->db->gates[i];
			const struct svd_match *m = &mt->db->matches[i];
			int rc;

			if (!filters_pass(mt, g, s, n))
				continue;
			rc = g->confirm(m, s, n, r->ovec);
			if (trace)
				trace(arg, m, rc > 0);
			if (rc > 0) {
				r->nmatch = rc;
				return m;
			}
		}
	}
	return NULL;
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
	for (c = 0; c < p->nchain && !r->match; c++) {
		const struct svd_probe *q = &db->probes[p->chain[c]];

		/* Lazily: a match in an earlier probe of the chain ends it. */
		find_literals(mt, q, s, n);
		r->match = confirm_first(mt, q, s, n, r, trace, arg);
	}
	return r->match;
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
