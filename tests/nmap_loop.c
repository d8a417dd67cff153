#include "nmap_loop.h"

#include <stdio.h>
#include <stdlib.h>

#include "parse.h"

/* Nmap 7.93 sets this match limit on its PCRE searches. */
enum { NMAP_MATCH_LIMIT = 100000 };

bool nmap_loop_init(struct nmap_loop *l, const struct svd_sigdb *db, const char *probes_path)
{
	struct probe_db pdb;
	struct diag d;
	size_t i, j, k = 0;
	bool ok;

	l->db = db;
	l->code = calloc(db->nmatches + 1, sizeof *l->code);
	l->md = pcre2_match_data_create(SVD_MAX_GROUPS + 1, NULL);
	l->mc = pcre2_match_context_create(NULL);
	if (!l->code || !l->md || !l->mc)
		return false;
	pcre2_set_match_limit(l->mc, NMAP_MATCH_LIMIT);
	diag_init(&d, stderr);
	probe_db_init(&pdb, probes_path);
	ok = probe_db_load(&pdb, probes_path, &d);
	for (i = 0; ok && i < pdb.nprobes; i++) {
		for (j = 0; ok && j < pdb.probes[i].nmatches; j++, k++) {
			const struct match *m = &pdb.probes[i].matches[j];
			uint32_t opt = (m->regex_flags & REGEX_CASELESS ? PCRE2_CASELESS : 0) |
				       (m->regex_flags & REGEX_DOTALL ? PCRE2_DOTALL : 0);
			int err;
			PCRE2_SIZE off;

			ok = k < db->nmatches && db->matches[k].line == m->at.line;
			if (ok)
				l->code[k] = pcre2_compile(m->regex.p, m->regex.len, opt, &err, &off, NULL);
			ok = ok && l->code[k];
		}
	}
	if (!ok || k != db->nmatches)
		fprintf(stderr, "%s: not the file the %s signatures were compiled from\n",
			probes_path, db->name);
	probe_db_free(&pdb);
	return ok && k == db->nmatches;
}

void nmap_loop_free(struct nmap_loop *l)
{
	uint32_t i;

	for (i = 0; l->code && i < l->db->nmatches; i++)
		pcre2_code_free(l->code[i]);
	free(l->code);
	pcre2_match_data_free(l->md);
	pcre2_match_context_free(l->mc);
}

long nmap_loop_match(struct nmap_loop *l, unsigned probe, const unsigned char *s, size_t n,
		     int *ovec, int *nmatch)
{
	const struct svd_probe *p = &l->db->probes[probe];
	unsigned c;
	uint32_t m;
	int rc, k;

	for (c = 0; c < p->nchain; c++) {
		const struct svd_probe *q = &l->db->probes[p->chain[c]];

		for (m = q->first_match; m < q->first_match + q->nmatches; m++) {
			PCRE2_SIZE *ov;

			rc = pcre2_match(l->code[m], s, n, 0, 0, l->md, l->mc);
			if (rc < 0)
				continue;
			ov = pcre2_get_ovector_pointer(l->md);
			for (k = 0; k < 2 * rc; k++)
				ovec[k] = ov[k] == PCRE2_UNSET ? -1 : (int)ov[k];
			*nmatch = rc;
			return (long)m;
		}
	}
	return -1;
}
