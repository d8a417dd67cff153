/*
 * Matching speed: svdetect's generated matchers against the loop Nmap
 * runs (PCRE2, no JIT, every regex of the fallback chain in file order,
 * CASELESS/DOTALL only), in one process, on the same responses, each
 * response timed by each side in alternating rounds (see bench_chain),
 * after one untimed pass.  Prints median and p99 time per
 * response for the NULL and GetRequest chains, and the ratios.  Also
 * counts responses where the two answer differently (must be 0).
 *
 * Usage: match_bench PROBES RECOG_TSV [RESPONSE.bin...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "match.h"
#include "nmap_loop.h"
#include "subjects.h"

extern const struct svd_sigdb svd_sigdb_nmap;

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double pct(double *v, size_t n, double p)
{
	qsort(v, n, sizeof *v, cmp_double);
	return v[(size_t)(p * (n - 1))];
}


/*
 * Rounds of timing: each round times every response once with each side,
 * in a pass of its own (so neither runs with the other's tables in the
 * caches; a pass over all responses leaves each one as cold as a scan
 * would), the side going first alternating.  Other processes only add
 * time, so each response's cost is its fastest round, on both sides.
 */
enum { ROUNDS = 5 };

static void keep_min(double *t, size_t i, double us, int round)
{
	if (round == 0 || us < t[i])
		t[i] = us;
}

static void time_pcre(struct nmap_loop *loop, unsigned probe, const struct subjects *subj,
		      double *t, long *want, int round)
{
	int ovec[SVD_OVEC_INTS], nmatch;
	size_t i;

	for (i = 0; i < subj->n; i++) {
		double t0 = now_ns();

		want[i] = nmap_loop_match(loop, probe, subj->v[i].p, subj->v[i].n, ovec, &nmatch);
		keep_min(t, i, (now_ns() - t0) / 1000, round);
	}
}

static void time_svd(struct svd_matcher *mt, unsigned probe, const struct subjects *subj,
		     double *t, long *got, int round)
{
	size_t i;

	for (i = 0; i < subj->n; i++) {
		struct svd_result res;
		double t0 = now_ns();

		svd_match_response(mt, probe, subj->v[i].p, subj->v[i].n, &res, NULL, NULL);
		keep_min(t, i, (now_ns() - t0) / 1000, round);
		got[i] = res.match ? res.match - svd_sigdb_nmap.matches : -1;
	}
}

static void bench_chain(const char *name, unsigned probe, struct nmap_loop *loop,
			const struct subjects *subj)
{
	struct svd_matcher mt;
	double *tp = malloc(subj->n * sizeof *tp), *to = malloc(subj->n * sizeof *to);
	long *want = malloc(subj->n * sizeof *want), *got = malloc(subj->n * sizeof *got);
	unsigned long differ = 0, matched = 0;
	double mp, mo, pp, po;
	size_t i;
	int round;

	if (!tp || !to || !want || !got || !svd_matcher_init(&mt, &svd_sigdb_nmap)) {
		perror("match_bench");
		exit(1);
	}
	/* A first pass untimed: the first call of each generated function
	 * pays a page fault (12 MB of code), which a scan pays once. */
	time_pcre(loop, probe, subj, tp, want, 0);
	time_svd(&mt, probe, subj, to, got, 0);
	for (round = 0; round < ROUNDS; round++) {
		if (round % 2) {
			time_svd(&mt, probe, subj, to, got, round);
			time_pcre(loop, probe, subj, tp, want, round);
		} else {
			time_pcre(loop, probe, subj, tp, want, round);
			time_svd(&mt, probe, subj, to, got, round);
		}
	}
	for (i = 0; i < subj->n; i++) {
		matched += want[i] >= 0;
		if (want[i] != got[i] && differ++ < 5)
			fprintf(stderr, "%s: answers differ on a %zu-byte response\n", name,
				subj->v[i].n);
	}
	mp = pct(tp, subj->n, 0.5);
	pp = pct(tp, subj->n, 0.99);
	mo = pct(to, subj->n, 0.5);
	po = pct(to, subj->n, 0.99);
	printf("%-10s %6zu responses (%lu matched): PCRE2 loop median %8.2f us p99 %8.2f us | "
	       "svdetect median %6.3f us p99 %6.3f us | speedup median %5.0fx p99 %5.0fx | answers differ: %lu\n",
	       name, subj->n, matched, mp, pp, mo, po, mp / mo, pp / po, differ);
	svd_matcher_free(&mt);
	free(tp);
	free(to);
	free(want);
	free(got);
}

int main(int argc, char **argv)
{
	const struct svd_sigdb *db = &svd_sigdb_nmap;
	struct subjects subj = { 0 };
	struct nmap_loop loop;
	int a;

	if (argc < 3) {
		fprintf(stderr, "usage: match_bench PROBES RECOG_TSV [RESPONSE...]\n");
		return 2;
	}
	if (!nmap_loop_init(&loop, db, argv[1]) || !subjects_add_recog(&subj, argv[2]))
		return 1;
	for (a = 3; a < argc; a++)
		if (!subjects_add_file(&subj, argv[a]))
			return 1;
	bench_chain("NULL", (unsigned)svd_find_probe(db, SVD_TCP, "NULL"), &loop, &subj);
	bench_chain("GetRequest", (unsigned)svd_find_probe(db, SVD_TCP, "GetRequest"), &loop, &subj);
	nmap_loop_free(&loop);
	subjects_free(&subj);
	return 0;
}
