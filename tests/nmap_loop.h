/*
 * The matching loop Nmap 7.93 runs, on PCRE2: for a response to a probe,
 * every regex of the probe's fallback chain in file order, compiled with
 * only CASELESS and DOTALL, no JIT, Nmap's match limit; the first match
 * wins.  The oracle of tests/chain_diff.c and the baseline of
 * bench/match_bench.c.  Test-only: PCRE2 is never linked into svdetect.
 */
#ifndef SVD_NMAP_LOOP_H
#define SVD_NMAP_LOOP_H

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>

#include "sigdb.h"

struct nmap_loop {
	const struct svd_sigdb *db; /* compiled from the same file */
	pcre2_code **code;          /* per match line, in db order */
	pcre2_match_data *md;
	pcre2_match_context *mc;
};

/* Compiles every regex of probes_path; false if it is not db's file. */
bool nmap_loop_init(struct nmap_loop *l, const struct svd_sigdb *db, const char *probes_path);
void nmap_loop_free(struct nmap_loop *l);

/*
 * The first matching line for s[0..n) as a response to probe: its index
 * in db->matches, or -1.  On a match, ovec gets PCRE's offsets (-1 for
 * unset groups) and *nmatch pcre's count.
 */
long nmap_loop_match(struct nmap_loop *l, unsigned probe, const unsigned char *s, size_t n,
		     int *ovec, int *nmatch);

#endif
