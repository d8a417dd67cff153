#include "examples_check.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "template.h"

/*
 * The fields compared, by name and place in struct svd_version: first
 * those of enum svd_field, in its order, then the CPEs.
 */
static const struct {
	const char *name;
	size_t off;
} fields[] = {
	{ "product", offsetof(struct svd_version, product) },
	{ "version", offsetof(struct svd_version, version) },
	{ "info", offsetof(struct svd_version, info) },
	{ "hostname", offsetof(struct svd_version, hostname) },
	{ "ostype", offsetof(struct svd_version, ostype) },
	{ "devicetype", offsetof(struct svd_version, devtype) },
	{ "cpe (a)", offsetof(struct svd_version, cpe_a) },
	{ "cpe (h)", offsetof(struct svd_version, cpe_h) },
	{ "cpe (o)", offsetof(struct svd_version, cpe_o) },
};

static const char *field_of(const struct svd_version *v, size_t k)
{
	return (const char *)v + fields[k].off;
}

/* What a scan of one response gives: the line it ends on and the fields. */
struct outcome {
	const struct svd_match *m;
	struct svd_version v;
	unsigned failed;
};

static void run(struct svd_matcher *mt, int probe, const struct svd_example *x,
		struct outcome *o)
{
	struct svd_result r;

	memset(o, 0, sizeof *o);
	o->m = svd_match_response(mt, (unsigned)probe, x->response, x->len, &r, NULL, NULL);
	if (o->m) {
		struct svd_subject subj = { x->response, x->len, r.ovec, r.nmatch };

		o->failed = svd_render_version(&o->v, &o->m->tmpl, &subj);
		svd_version_make_printable(&o->v);
	}
}

static void put_result(FILE *out, enum svd_expect kind, const char *service)
{
	if (kind == SVD_EXPECT_NOMATCH)
		fputs("nomatch", out);
	else
		fprintf(out, "%s %s", kind == SVD_EXPECT_MATCH ? "match" : "softmatch", service);
}

/* Writes the failure's heading once, before its first difference. */
static void heading(FILE *out, const char *file, const struct svd_example *x,
		    const struct svd_sigdb *db, const struct outcome *o, bool *said)
{
	if (*said)
		return;
	*said = true;
	fprintf(out, "%s:%u: example for probe %s:%s fails: ", file, x->line,
		x->proto == SVD_TCP ? "TCP" : "UDP", x->probe);
	if (o->m)
		fprintf(out, "the response ends on the %s line %u of %s\n",
			o->m->soft ? "softmatch" : "match", o->m->line, db->source);
	else
		fprintf(out, "no line of the %s signatures matches the response\n", db->name);
}

/* Compares; writes the differences.  Returns whether the example passed. */
static bool compare(FILE *out, const char *file, const struct svd_example *x,
		    const struct svd_sigdb *db, const struct outcome *o)
{
	enum svd_expect got = !o->m ? SVD_EXPECT_NOMATCH :
			      o->m->soft ? SVD_EXPECT_SOFTMATCH : SVD_EXPECT_MATCH;
	bool said = false;
	size_t k;

	if (got != x->expect || (o->m && strcmp(o->m->service, x->service) != 0)) {
		heading(out, file, x, db, o, &said);
		fputs("  result      expected ", out);
		put_result(out, x->expect, x->service);
		fputs("\n              got      ", out);
		put_result(out, got, o->m ? o->m->service : NULL);
		fputc('\n', out);
	}
	/* With no line on one side, the result line says all there is. */
	if (got == SVD_EXPECT_NOMATCH || x->expect == SVD_EXPECT_NOMATCH)
		return !said;
	for (k = 0; k < sizeof fields / sizeof *fields; k++) {
		const char *want = field_of(&x->want, k), *have = field_of(&o->v, k);

		if (strcmp(want, have) != 0) {
			heading(out, file, x, db, o, &said);
			fprintf(out, "  %-11s expected \"%s\"\n              got      \"%s\"\n",
				fields[k].name, want, have);
		}
	}
	/* A template that fails empties its field in Nmap too, but an
	 * example that passes only because of that hides a broken line. */
	for (k = 0; k <= SVD_F_COUNT; k++)
		if (o->failed & 1u << k) {
			heading(out, file, x, db, o, &said);
			fprintf(out, "  %-11s its template fails on this response (the field is left empty)\n",
				k == SVD_F_COUNT ? "cpe" : fields[k].name);
		}
	return !said;
}

long svd_examples_check(const struct svd_sigdb *db, const struct svd_examples *ex,
			FILE *out, unsigned char *hit)
{
	struct svd_matcher mt;
	long failed = 0;
	size_t i;

	if (!svd_matcher_init(&mt, db))
		return -1;
	for (i = 0; i < ex->n; i++) {
		const struct svd_example *x = &ex->v[i];
		int probe = svd_find_probe(db, (enum svd_proto)x->proto, x->probe);
		struct outcome o;

		if (probe < 0) {
			fprintf(out, "%s:%u: example for probe %s:%s fails: the %s signatures have no such probe\n",
				ex->file, x->line, x->proto == SVD_TCP ? "TCP" : "UDP", x->probe, db->name);
			failed++;
			continue;
		}
		run(&mt, probe, x, &o);
		if (!compare(out, ex->file, x, db, &o))
			failed++;
		else if (o.m && hit)
			hit[o.m - db->matches] = 1;
	}
	svd_matcher_free(&mt);
	return failed;
}

int svd_examples_run(const struct svd_sigdb *db, char *const *files, int nfiles,
		     FILE *out, FILE *err)
{
	/* One more than needed: calloc(0) may be NULL. */
	unsigned char *hit = calloc((size_t)db->nmatches + 1, 1);
	unsigned long examples = 0, failed = 0, errors = 0;
	uint32_t i, reached = 0;
	int f;

	if (!hit) {
		fputs("out of memory\n", err);
		return 1;
	}
	for (f = 0; f < nfiles; f++) {
		struct svd_examples ex = { 0 };
		long bad;

		errors += svd_examples_load(&ex, files[f], err);
		bad = svd_examples_check(db, &ex, out, hit);
		examples += ex.n;
		svd_examples_free(&ex);
		if (bad < 0) {
			fputs("out of memory\n", err);
			free(hit);
			return 1;
		}
		failed += (unsigned long)bad;
	}
	for (i = 0; i < db->nmatches; i++)
		if (hit[i])
			reached++;
		else
			fprintf(out, "%s:%u: note: no example ends on this %s line\n", db->source,
				db->matches[i].line, db->matches[i].soft ? "softmatch" : "match");
	free(hit);
	fprintf(out, "%lu examples against the %s signatures: %lu passed, %lu failed; "
		"%lu errors in the example files; %u of %u match lines reached\n",
		examples, db->name, examples - failed, failed, errors, reached, db->nmatches);
	return failed || errors ? 1 : 0;
}
