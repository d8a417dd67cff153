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

static uint64_t load64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

static uint32_t load32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

/* Whether literal l stands at p: a word at a time, the last word ending
 * at the literal's end (overlapping the one before). */
static bool literal_at(const struct svd_literal *l, const unsigned char *p)
{
	unsigned k, len = l->len;

	if (len < 8)
		return (load32(p) | load32(l->fold)) == load32(l->bytes) &&
		       (load32(p + len - 4) | load32(l->fold + len - 4)) == load32(l->bytes + len - 4);
	for (k = 0; k + 8 < len; k += 8)
		if ((load64(p + k) | load64(l->fold + k)) != load64(l->bytes + k))
			return false;
	return (load64(p + len - 8) | load64(l->fold + len - 8)) == load64(l->bytes + len - 8);
}

/* The 8 bytes at p as a little-endian number: byte 0 lowest. */
static uint64_t load_le64(const unsigned char *p)
{
	uint64_t v = load64(p);

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* svd_fold of each byte of w, eight at a time. */
static uint64_t fold8(uint64_t w)
{
	uint64_t low7 = w & 0x7f7f7f7f7f7f7f7full;
	uint64_t above_z = low7 + 0x2525252525252525ull; /* bit 7: byte > 'Z' */
	uint64_t from_a = low7 + 0x3f3f3f3f3f3f3f3full;  /* bit 7: byte >= 'A' */
	uint64_t upper = (from_a ^ above_z) & ~w & 0x8080808080808080ull;

	return w | upper >> 2;
}

/* The literals of bucket h of index x, under the folded 4-gram at s + i,
 * that occur there, added to mt->found. */
static void find_in_bucket(struct svd_matcher *mt, const struct svd_gram_index *x,
			   const unsigned char *s, size_t n, size_t i, uint32_t gram,
			   uint32_t h)
{
	const struct svd_sigdb *db = mt->db;
	uint32_t k;

	for (k = x->gram[h]; k < x->gram[h + 1]; k++) {
		uint32_t lit = x->ents[2 * k] >> 5, off = x->ents[2 * k] & 31;
		const struct svd_literal *l = &db->literals[lit];

		if (x->ents[2 * k + 1] != gram || mt->lit_stamp[lit] == mt->stamp ||
		    i < off || i - off + l->len > n || !literal_at(l, s + i - off))
			continue;
		mt->lit_stamp[lit] = mt->stamp;
		mt->found[mt->nfound++] = lit;
	}
}

/* The filter bit of gram: most positions stop here.  The index's fields
 * are in locals (fbits, filter) because find_in_bucket's stores could
 * alias them. */
#define FIND_AT(i, gram)                                                         \
	do {                                                                     \
		uint32_t g_ = (gram), h_ = svd_gram_hash(g_, fbits);             \
		if (filter[h_ / 64] >> (h_ % 64) & 1)                            \
			find_in_bucket(mt, x, s, n, (i), g_, h_ >> SVD_GRAM_FILTER_BITS); \
	} while (0)

/* A new response for mt: nothing found in it yet. */
static void new_response(struct svd_matcher *mt)
{
	mt->nfound = 0;
	if (++mt->stamp == 0) {
		memset(mt->lit_stamp, 0, mt->db->nliterals * sizeof *mt->lit_stamp);
		mt->stamp = 1;
	}
}

/*
 * The positions of s[0..n) that index x tests, a multiple of stride apart
 * (a constant where it is called): the grams of those within five bytes
 * come from one folded 8-byte load, each by a constant shift.
 */
static inline __attribute__((always_inline)) void
scan_grams(struct svd_matcher *mt, const struct svd_gram_index *x, const unsigned char *s,
	   size_t n, const unsigned stride)
{
	const uint32_t fbits = x->bits + SVD_GRAM_FILTER_BITS;
	const uint64_t *filter = x->filter;
	unsigned char tail[8] = { 0 };
	uint64_t w;
	size_t i;
	unsigned k;

	for (i = 0; i + 8 <= n; i += stride * (4 / stride + 1)) {
		w = fold8(load_le64(s + i));
#pragma GCC unroll 5
		for (k = 0; k <= 4; k += stride)
			FIND_AT(i + k, (uint32_t)(w >> 8 * k));
	}
	/* The last positions, fewer than 8 bytes from the end. */
	memcpy(tail, s + i, n - i);
	w = fold8(load_le64(tail));
	for (k = 0; i + k + 4 <= n; k += stride)
		FIND_AT(i + k, (uint32_t)(w >> 8 * k));
}

/* One pass over the response: which literals of index x occur in it
 * (folded 4-grams, svd_gram_at, select the buckets to verify). */
static void find_literals(struct svd_matcher *mt, const struct svd_gram_index *x,
			  const unsigned char *s, size_t n)
{
	if (n < 4 || x->gram[1u << x->bits] == 0)
		return;
	/* Any index may be scanned at every offset (a literal filed under
	 * more grams is found more often, once); the stride is a shortcut. */
	if (x->stride == 2)
		scan_grams(mt, x, s, n, 2);
	else
		scan_grams(mt, x, s, n, 1);
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

static void mark(struct svd_matcher *mt, uint32_t line, uint32_t lo)
{
	mt->cand[(line - lo) / 64] |= 1ull << ((line - lo) % 64);
}

static void mark_leaf(struct svd_matcher *mt, const struct svd_tree_node *leaf, uint32_t lo)
{
	uint32_t k;

	for (k = leaf->first; k < leaf->first + leaf->count; k++)
		mark(mt, mt->db->tree_lines[k], lo);
}

static const struct svd_tree_node *leaf_of(const struct svd_sigdb *db, uint32_t root,
					   const unsigned char *s, size_t n)
{
	return svd_tree_leaf(db->tree_nodes, db->tree_maps, root, s, n);
}

/*
 * Marks the candidate lines of probe p in mt->cand, one bit per line of
 * the probe, so that reading the bits back gives them in file order
 * without sorting: the lines without a key that its tree leaves for the
 * response's first bytes and those that test no byte; the keyed lines its
 * keyed tree lists (their keys are looked for one by one, filters_pass),
 * or where it lists none, those whose key the scan of all keys finds; and
 * those whose key the scan of the other keys finds.  Returns the number
 * of 64-bit words to read.
 */
static size_t gather(struct svd_matcher *mt, const struct svd_probe *p,
		     const unsigned char *s, size_t n)
{
	const struct svd_sigdb *db = mt->db;
	const struct svd_tree_node *keyed = leaf_of(db, p->keyed_root, s, n);
	uint32_t lo = p->first_match, hi = p->first_match + p->nmatches;
	uint32_t f, k;
	size_t words = (p->nmatches + 63) / 64;

	memset(mt->cand, 0, words * sizeof *mt->cand);
	new_response(mt);
	mark_leaf(mt, leaf_of(db, p->tree_root, s, n), lo);
	mark_leaf(mt, &db->tree_nodes[p->tree_any], lo);
	if (keyed->count == SVD_TREE_SCAN) {
		find_literals(mt, &p->keys, s, n);
	} else {
		mark_leaf(mt, keyed, lo);
		find_literals(mt, &p->loose_keys, s, n);
	}
	for (f = 0; f < mt->nfound; f++) {
		const struct svd_literal *l = &db->literals[mt->found[f]];

		for (k = lower_bound(l->matches, l->nmatches, lo);
		     k < l->nmatches && l->matches[k] < hi; k++)
			mark(mt, l->matches[k], lo);
	}
	return words;
}

/*
 * Whether literal l occurs in s[0..n): for the few candidates that pass
 * every other test.  memchr finds the byte of it that responses have
 * least often; a literal of letters in either case only is searched byte
 * by byte.
 */
static bool literal_in(const struct svd_literal *l, const unsigned char *s, size_t n)
{
	const unsigned char *p, *end;
	unsigned k = l->search_at;
	size_t i;

	if (n < l->len)
		return false;
	if (k == l->len) {
		for (i = 0; i + l->len <= n; i++)
			if ((s[i] | l->fold[0]) == l->bytes[0] && literal_at(l, s + i))
				return true;
		return false;
	}
	end = s + n - (l->len - k);
	for (p = s + k; p <= end && (p = memchr(p, l->bytes[k], (size_t)(end - p) + 1)); p++)
		if (literal_at(l, p - k))
			return true;
	return false;
}

/* The cheap tests before a line's function: length, fixed-offset bytes,
 * a byte it needs, its key unless the scan found it, the other literals. */
static bool filters_pass(const struct svd_matcher *mt, const struct svd_gate *m,
			 const unsigned char *s, size_t n)
{
	unsigned k;

	if (n < m->min_len || n > m->max_subject)
		return false;
	for (k = 0; k < m->nprefix; k++)
		if (!svd_class_has(mt->db->classes[m->prefix[k]], s[k]))
			return false;
	if (m->need_byte != SVD_NO_BYTE && !memchr(s, m->need_byte, n))
		return false;
	if (m->key != SVD_NO_KEY && mt->lit_stamp[m->key] != mt->stamp &&
	    !literal_in(&mt->db->literals[m->key], s, n))
		return false;
	for (k = 0; k < m->nneeds; k++)
		if (!literal_in(&mt->db->literals[m->needs[k]], s, n))
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
	size_t words = gather(mt, q, s, n), w;

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
