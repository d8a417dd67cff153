#include "sema.h"

#include <stdint.h>
#include <string.h>

static const char *const proto_name[] = { "TCP", "UDP" };

static size_t find_probe_of(const struct probe_db *db, enum proto proto,
			    const char *name)
{
	size_t i;

	for (i = 0; i < db->nprobes; i++) {
		if (db->probes[i].proto == proto &&
		    strcmp(db->probes[i].name, name) == 0)
			return i;
	}
	return SIZE_MAX;
}

/*
 * Nmap's lookup of a fallback name: the NULL probe for TCP probes, then a
 * probe of the same protocol, then one of the other protocol (TCP DNS
 * probes fall back to the UDP DNS probes' match lines).  Returns an index
 * or SIZE_MAX.
 */
static size_t find_probe(const struct probe_db *db, enum proto proto,
			 const char *name)
{
	size_t i;

	if (proto == PROTO_TCP && db->null_probe != SIZE_MAX &&
	    strcmp(db->probes[db->null_probe].name, name) == 0)
		return db->null_probe;
	i = find_probe_of(db, proto, name);
	if (i == SIZE_MAX)
		i = find_probe_of(db, proto == PROTO_TCP ? PROTO_UDP : PROTO_TCP, name);
	return i;
}

static void check_probes(struct probe_db *db, struct diag *d)
{
	size_t i, j;

	for (i = 0; i < db->nprobes; i++) {
		struct probe *p = &db->probes[i];

		for (j = 0; j < i; j++) {
			if (db->probes[j].proto == p->proto &&
			    strcmp(db->probes[j].name, p->name) == 0) {
				diag_error(d, p->at, "duplicate probe %s %s (first at line %u)",
					   proto_name[p->proto], p->name,
					   db->probes[j].at.line);
				break;
			}
		}
		if (p->payload.len != 0)
			continue;
		if (p->proto != PROTO_TCP)
			diag_error(d, p->at,
				   "UDP probe %s has an empty probe string (only the TCP NULL probe may)",
				   p->name);
		else if (db->null_probe != SIZE_MAX)
			diag_error(d, p->at,
				   "probe %s has an empty probe string, but %s at line %u is already the NULL probe",
				   p->name, db->probes[db->null_probe].name,
				   db->probes[db->null_probe].at.line);
		else
			db->null_probe = i;
	}
}

static bool chain_has(const struct probe *p, size_t idx)
{
	size_t i;

	for (i = 0; i < p->nchain; i++)
		if (p->chain[i] == idx)
			return true;
	return false;
}

static void chain_append(struct probe *p, size_t idx)
{
	if (!chain_has(p, idx))
		p->chain[p->nchain++] = idx;
}

/*
 * The order Nmap tries match lines for a response to probe i: the probe,
 * its fallbacks, then the NULL probe for TCP.  Repeats are dropped: a
 * probe that did not match the first time does not match the second.
 */
static void build_chain(struct probe_db *db, size_t i, struct diag *d)
{
	struct probe *p = &db->probes[i];
	size_t k;

	p->chain = arena_alloc(&db->arena, (p->nfallback + 2) * sizeof *p->chain);
	chain_append(p, i);
	if (p->nfallback > FALLBACK_MAX)
		diag_error(d, p->fallback[FALLBACK_MAX].at,
			   "probe %s has %zu fallbacks; Nmap allows %d",
			   p->name, p->nfallback, FALLBACK_MAX);
	for (k = 0; k < p->nfallback; k++) {
		size_t f = find_probe(db, p->proto, p->fallback[k].name);

		if (f == SIZE_MAX)
			diag_error(d, p->fallback[k].at,
				   "unknown fallback probe '%s'", p->fallback[k].name);
		else
			chain_append(p, f);
	}
	if (p->proto == PROTO_TCP && db->null_probe != SIZE_MAX)
		chain_append(p, db->null_probe);
}

bool probe_db_check_file(struct probe_db *db, struct diag *d)
{
	unsigned errors = d->errors;

	if (db->nprobes == 0) {
		struct loc whole_file = { db->file, 0, 0 };

		diag_error(d, whole_file, "no Probe directive in the file");
	}
	check_probes(db, d);
	return d->errors == errors;
}

bool probe_db_resolve(struct probe_db *db, struct diag *d)
{
	unsigned errors = d->errors;
	size_t i;

	for (i = 0; i < db->nprobes; i++)
		build_chain(db, i, d);
	return d->errors == errors;
}

bool probe_db_validate(struct probe_db *db, struct diag *d)
{
	bool alone = probe_db_check_file(db, d);

	return probe_db_resolve(db, d) && alone;
}
