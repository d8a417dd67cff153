/*
 * What every match of a regex must look like, cheaply testable before the
 * regex itself runs: the scan-time prefilter of the generated matchers.
 * Nearly all of Nmap's regexes are anchored (4000 of the NULL probe's 4029,
 * 4825 of GetRequest's 4831), so the byte sets of the first positions of a
 * match select a few candidates; a literal that any match must contain
 * (e.g. "\r\nServer: Apache" after a shared "HTTP/1.") narrows further.
 * The filter is a superset test: a regex it rejects cannot match.
 */
#ifndef SVD_FILTER_H
#define SVD_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "regex.h"

enum { FILTER_PREFIX_MAX = 63, FILTER_LITERAL_MAX = 32, FILTER_RUNS_MAX = 8, FILTER_NO_BYTE = 256 };

/* A byte string every match contains; where caseless[i], byte i matches
 * either case of an ASCII letter (and is stored in lower case). */
struct rx_literal {
	unsigned len;
	unsigned char bytes[FILTER_LITERAL_MAX];
	bool caseless[FILTER_LITERAL_MAX];
};

struct rx_filter {
	bool anchored;       /* every match starts at offset 0 */
	unsigned min_len;    /* no match is shorter */
	/* Anchored at both ends and bounded: no longer subject can match
	 * (UINT32_MAX otherwise). */
	uint32_t max_subject;
	/* A byte every match contains, the one responses have least often
	 * by filter_commonness; FILTER_NO_BYTE when there is none. */
	unsigned need_byte;
	/* Anchored only: byte i of a match is in prefix[i], i < nprefix
	 * (nprefix <= min_len: past a match's end any byte may follow). */
	unsigned nprefix;
	struct rx_set prefix[FILTER_PREFIX_MAX];
	/* The longest runs of literal bytes every match contains, longest
	 * first; the builder picks the one to search for. */
	unsigned nruns;
	struct rx_literal runs[FILTER_RUNS_MAX];
};

void filter_analyze(const struct regex *re, struct rx_filter *f);

/*
 * How often byte c is in responses, by a rough rank from text protocols:
 * 4 (space, frequent lower-case letters, CR, LF) down to 0 (control and
 * 8-bit bytes).  What the matcher looks for first in a response.
 */
unsigned filter_commonness(unsigned c);

#endif
