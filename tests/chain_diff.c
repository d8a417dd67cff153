/*
 * Whole-chain exactness: for every response of the corpus and a set of
 * probes, svdetect's compiled matchers must pick the same match line as
 * Nmap's loop on PCRE2 (tests/nmap_loop.c) and give the same capture
 * offsets, so the rendered versions are the same too.
 *
 * Usage: chain_diff PROBES RECOG_TSV [RESPONSE.bin...]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "nmap_loop.h"
#include "subjects.h"

extern const struct svd_sigdb svd_sigdb_nmap;

static const char *const probes[] = { "NULL", "GenericLines", "GetRequest", "HTTPOptions" };

/*
 * Inputs at the edges: empty, and over a megabyte of random bytes, of one
 * byte, and of HTTP header lines (long searches for unanchored regexes).
 */
static void add_edge_subjects(struct subjects *subj)
{
	enum { BIG = (1 << 20) + 77 };
	static const char line[] = "X-Filler: abcdefghijklmnopqrstuvwxyz0123456789\r\n";
	unsigned char *buf = malloc(BIG);
	uint32_t seed = 12345;
	size_t i;

	if (!buf)
		abort();
	subjects_add(subj, buf, 0);
	for (i = 0; i < BIG; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (unsigned char)(seed >> 16);
	}
	subjects_add(subj, buf, BIG);
	memset(buf, 'A', BIG);
	subjects_add(subj, buf, BIG);
	memcpy(buf, "HTTP/1.1 200 OK\r\n", 17);
	for (i = 17; i + sizeof line - 1 < BIG; i += sizeof line - 1)
		memcpy(buf + i, line, sizeof line - 1);
	subjects_add(subj, buf, i);
	free(buf);
}

static bool same_captures(const int *a, const int *b, int n)
{
	return memcmp(a, b, 2 * (size_t)n * sizeof *a) == 0;
}

int main(int argc, char **argv)
{
	const struct svd_sigdb *db = &svd_sigdb_nmap;
	struct subjects subj = { 0 };
	struct nmap_loop loop;
	struct svd_matcher mt;
	unsigned long checks = 0, matched = 0, differ = 0;
	size_t i, p;
	int a;

	if (argc < 3) {
		fprintf(stderr, "usage: chain_diff PROBES RECOG_TSV [RESPONSE...]\n");
		return 2;
	}
	if (!nmap_loop_init(&loop, db, argv[1]) || !subjects_add_recog(&subj, argv[2]) ||
	    !svd_matcher_init(&mt, db))
		return 2;
	for (a = 3; a < argc; a++)
		if (!subjects_add_file(&subj, argv[a]))
			return 2;
	add_edge_subjects(&subj);
	for (p = 0; p < sizeof probes / sizeof *probes; p++) {
		int probe = svd_find_probe(db, SVD_TCP, probes[p]);

		if (probe < 0) {
			fprintf(stderr, "no probe %s\n", probes[p]);
			return 2;
		}
		for (i = 0; i < subj.n; i++) {
			const struct subject *s = &subj.v[i];
			int want_ovec[SVD_OVEC_INTS], want_n = 0;
			struct svd_result r;
			/* Nmap matches only responses that have data. */
			long want = s->n ? nmap_loop_match(&loop, (unsigned)probe, s->p, s->n,
							   want_ovec, &want_n) : -1;
			long got;

			svd_match_response(&mt, (unsigned)probe, s->p, s->n, &r, NULL, NULL);
			got = r.match ? r.match - db->matches : -1;
			checks++;
			matched += want >= 0;
			if (want == got &&
			    (want < 0 || (want_n == r.nmatch && same_captures(want_ovec, r.ovec, want_n))))
				continue;
			if (differ++ < 10)
				fprintf(stderr, "DIFFER probe %s, %zu-byte response %zu: PCRE2 line %u (%d pairs), svdetect line %u (%d pairs)\n",
					probes[p], s->n, i, want >= 0 ? db->matches[want].line : 0, want_n,
					got >= 0 ? db->matches[got].line : 0, r.nmatch);
		}
	}
	printf("chain_diff: %zu responses x %zu probes: %lu checks, %lu matched, %lu disagreements\n",
	       subj.n, sizeof probes / sizeof *probes, checks, matched, differ);
	printf("%lu passed, %lu failed\n", checks - differ, differ);
	svd_matcher_free(&mt);
	nmap_loop_free(&loop);
	subjects_free(&subj);
	return differ ? 1 : 0;
}
