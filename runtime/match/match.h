/*
 * Nmap's answer for one response: the first match line, in fallback-chain
 * order, whose regex matches the response (see docs/matcher-design.md for
 * how candidates are found without trying every line).
 */
#ifndef SVD_MATCH_H
#define SVD_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sigdb.h"

/* Per-thread scratch space for matching against one signature set. */
struct svd_matcher {
	const struct svd_sigdb *db;
	uint32_t *lit_stamp; /* per literal: the response it was last found in */
	uint32_t stamp;
	uint32_t *found;     /* literals found in the current response */
	uint32_t nfound;
	uint64_t *cand;      /* candidate lines of one probe, one bit each */
};

/* Returns false when out of memory. */
bool svd_matcher_init(struct svd_matcher *mt, const struct svd_sigdb *db);
void svd_matcher_free(struct svd_matcher *mt);

struct svd_result {
	const struct svd_match *match; /* NULL: no line matched */
	int nmatch;                    /* valid ovec pairs */
	int ovec[SVD_OVEC_INTS];
};

/* Called for every candidate line confirmed or rejected, in order. */
typedef void svd_trace_fn(void *arg, const struct svd_match *m, bool matched);

/*
 * Matches the response s[0..n) to probe `probe` of mt->db, as Nmap does
 * after each read.  Nmap never matches an empty response, and neither does
 * this.  Returns r->match.  trace may be NULL.
 */
const struct svd_match *svd_match_response(struct svd_matcher *mt,
					   unsigned probe,
					   const unsigned char *s, size_t n,
					   struct svd_result *r,
					   svd_trace_fn *trace, void *arg);

/* Index of the probe of that protocol and name, or -1. */
int svd_find_probe(const struct svd_sigdb *db, enum svd_proto proto,
		   const char *name);

#endif
