#include "merge.h"

#include <stdint.h>
#include <string.h>

static const char *const proto_name[] = { "TCP", "UDP" };

/* Why a restated directive must be the same: a site's file must not
 * change how Nmap's probes are sent, only what their answers match. */
static const char *const repeat_only =
	"a restatement may only repeat a directive as it is";

/*
 * The probe named name among the first n probes of set (those of the
 * earlier files): of protocol proto if there is one, else of the other
 * protocol, else NULL.
 */
static struct probe *find_earlier(struct probe_db *set, size_t n,
				  enum proto proto, const char *name)
{
	struct probe *other = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		struct probe *q = &set->probes[i];

		if (strcmp(q->name, name) != 0)
			continue;
		if (q->proto == proto)
			return q;
		other = q;
	}
	return other;
}

static bool bytes_same(struct bytes a, struct bytes b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static bool ports_same(const struct port_list *a, const struct port_list *b)
{
	return a->n == b->n &&
	       (a->n == 0 || memcmp(a->v, b->v, a->n * sizeof *a->v) == 0);
}

static bool fallbacks_same(const struct probe *a, const struct probe *b)
{
	size_t i;

	if (a->nfallback != b->nfallback)
		return false;
	for (i = 0; i < a->nfallback; i++)
		if (strcmp(a->fallback[i].name, b->fallback[i].name) != 0)
			return false;
	return true;
}

/* Whether directive dir, present in both probes, has the same value. */
static bool directive_same(const struct probe *a, const struct probe *b,
			   enum directive dir)
{
	switch (dir) {
	case DIRECTIVE_PORTS:
		return ports_same(&a->ports, &b->ports);
	case DIRECTIVE_SSLPORTS:
		return ports_same(&a->sslports, &b->sslports);
	case DIRECTIVE_RARITY:
		return a->rarity == b->rarity;
	case DIRECTIVE_TOTALWAITMS:
		return a->totalwaitms == b->totalwaitms;
	case DIRECTIVE_TCPWRAPPEDMS:
		return a->tcpwrappedms == b->tcpwrappedms;
	case DIRECTIVE_FALLBACK:
		return fallbacks_same(a, b);
	case DIRECTIVE_COUNT:
		break;
	}
	return false;
}

/* Whether p (a later file's) may restate q (an earlier file's) of the
 * same protocol and name; reports why not. */
static bool restatement_ok(const struct probe *q, const struct probe *p,
			   struct diag *d)
{
	unsigned errors = d->errors;
	int dir;

	if (!bytes_same(q->payload, p->payload))
		diag_error(d, p->at,
			   "probe %s %s restates %s:%u with another probe string (a restatement repeats the Probe line as it is)",
			   proto_name[p->proto], p->name, q->at.file, q->at.line);
	else if (q->no_payload != p->no_payload)
		diag_error(d, p->at, "probe %s %s restates %s:%u %s no-payload",
			   proto_name[p->proto], p->name, q->at.file, q->at.line,
			   p->no_payload ? "adding" : "dropping");
	for (dir = 0; dir < DIRECTIVE_COUNT; dir++) {
		/* Directive keywords start their line (the grammar allows no
		 * leading blank). */
		struct loc at = { p->at.file, p->directive_line[dir], 1 };

		if (!p->directive_line[dir])
			continue;
		if (!q->directive_line[dir])
			diag_error(d, at, "'%s' in probe %s %s, which %s:%u defines without it (%s)",
				   directive_name[dir], proto_name[p->proto], p->name,
				   q->at.file, q->at.line, repeat_only);
		else if (!directive_same(q, p, (enum directive)dir))
			diag_error(d, at, "'%s' of probe %s %s differs from %s:%u (%s)",
				   directive_name[dir], proto_name[p->proto], p->name,
				   q->at.file, q->directive_line[dir], repeat_only);
	}
	return d->errors == errors;
}

/* Whether p, whose protocol and name are not an earlier probe's, may
 * join the set; reports why not. */
static bool new_probe_ok(const struct probe_db *set, const struct probe *other,
			 const struct probe *p, struct diag *d)
{
	if (other) {
		/* Fallback lookups fall through to the other protocol's probe
		 * of a name: a new one would change an earlier file's chains. */
		diag_error(d, p->at,
			   "probe %s %s: %s:%u has a %s probe of that name (across files, a name is one protocol's)",
			   proto_name[p->proto], p->name, other->at.file, other->at.line,
			   proto_name[other->proto]);
		return false;
	}
	if (p->proto == PROTO_TCP && p->payload.len == 0 && set->null_probe != SIZE_MAX) {
		const struct probe *null = &set->probes[set->null_probe];

		diag_error(d, p->at,
			   "probe %s has an empty probe string, but %s at %s:%u is already the NULL probe",
			   p->name, null->name, null->at.file, null->at.line);
		return false;
	}
	return true;
}

/*
 * Adds file's Exclude ranges to the set's.  Those without a T:/U: prefix
 * go first, as the set is written back (svdc --dump) as one Exclude line,
 * in which a prefix holds to the end of the list (Nmap's -p syntax).
 */
static void merge_exclude(struct probe_db *set, const struct probe_db *file)
{
	const unsigned both = EXCLUDE_TCP | EXCLUDE_UDP;
	struct exclude_range *sorted;
	size_t i, k = 0;

	if (!file->exclude_line)
		return;
	if (!set->exclude_line)
		set->exclude_line = file->exclude_line;
	for (i = 0; i < file->nexclude; i++)
		probe_db_add_exclude(set, file->exclude[i].protos, file->exclude[i].lo,
				     file->exclude[i].hi);
	sorted = arena_alloc(&set->arena, set->nexclude * sizeof *sorted);
	for (i = 0; i < set->nexclude; i++)
		if (set->exclude[i].protos == both)
			sorted[k++] = set->exclude[i];
	for (i = 0; i < set->nexclude; i++)
		if (set->exclude[i].protos != both)
			sorted[k++] = set->exclude[i];
	memcpy(set->exclude, sorted, set->nexclude * sizeof *sorted);
}

bool probe_db_merge(struct probe_db *set, struct probe_db *file, struct diag *d)
{
	unsigned errors = d->errors;
	size_t earlier = set->nprobes, i, k;

	merge_exclude(set, file);
	for (i = 0; i < file->nprobes; i++) {
		const struct probe *p = &file->probes[i];
		struct probe *q = find_earlier(set, earlier, p->proto, p->name);

		if (q && q->proto == p->proto) {
			if (restatement_ok(q, p, d))
				for (k = 0; k < p->nmatches; k++)
					*probe_add_match(set, q) = p->matches[k];
		} else if (new_probe_ok(set, q, p, d)) {
			struct probe *n = probe_db_add_probe(set);

			*n = *p;
			n->chain = NULL; /* indices into the set: probe_db_resolve() */
			n->nchain = 0;
			if (n->proto == PROTO_TCP && n->payload.len == 0)
				set->null_probe = set->nprobes - 1;
		}
	}
	/* The set's probes point into the file's strings and arrays. */
	arena_adopt(&set->arena, &file->arena);
	memset(file, 0, sizeof *file);
	file->null_probe = SIZE_MAX;
	return d->errors == errors;
}
