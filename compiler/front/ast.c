#include "ast.h"

#include <stdint.h>
#include <string.h>

const char field_letter[FIELD_COUNT + 1] = "pvihod";

const char *const directive_name[DIRECTIVE_COUNT] = {
	[DIRECTIVE_PORTS] = "ports",
	[DIRECTIVE_SSLPORTS] = "sslports",
	[DIRECTIVE_RARITY] = "rarity",
	[DIRECTIVE_TOTALWAITMS] = "totalwaitms",
	[DIRECTIVE_TCPWRAPPEDMS] = "tcpwrappedms",
	[DIRECTIVE_FALLBACK] = "fallback",
};

void probe_db_init(struct probe_db *db, const char *file)
{
	memset(db, 0, sizeof *db);
	arena_init(&db->arena);
	db->file = arena_memdup(&db->arena, file, strlen(file));
	db->null_probe = SIZE_MAX;
}

void probe_db_free(struct probe_db *db)
{
	arena_free(&db->arena);
	memset(db, 0, sizeof *db);
}

/* Appends one zeroed element to an arena-grown array. */
#define APPEND(db, array, n, cap)                                            \
	((array) = arena_grow(&(db)->arena, (array), sizeof *(array), &(cap), \
			      (n) + 1),                                       \
	 memset(&(array)[(n)], 0, sizeof *(array)), &(array)[(n)++])

struct probe *probe_db_add_probe(struct probe_db *db)
{
	return APPEND(db, db->probes, db->nprobes, db->probe_cap);
}

struct match *probe_add_match(struct probe_db *db, struct probe *p)
{
	return APPEND(db, p->matches, p->nmatches, p->match_cap);
}

struct cpe_template *match_add_cpe(struct probe_db *db, struct match *m)
{
	return APPEND(db, m->cpe, m->ncpe, m->cpe_cap);
}

void port_list_add(struct probe_db *db, struct port_list *l, uint16_t lo,
		   uint16_t hi)
{
	struct port_range *r = APPEND(db, l->v, l->n, l->cap);

	r->lo = lo;
	r->hi = hi;
}

void probe_add_fallback(struct probe_db *db, struct probe *p, const char *name,
			struct loc at)
{
	struct fallback *f =
		APPEND(db, p->fallback, p->nfallback, p->fallback_cap);

	f->name = name;
	f->at = at;
}

void probe_db_add_exclude(struct probe_db *db, unsigned protos, uint16_t lo,
			  uint16_t hi)
{
	struct exclude_range *r =
		APPEND(db, db->exclude, db->nexclude, db->exclude_cap);

	r->protos = protos;
	r->lo = lo;
	r->hi = hi;
}

struct bytes bytes_dup(struct probe_db *db, const void *p, size_t len)
{
	struct bytes b;

	b.p = (const unsigned char *)arena_memdup(&db->arena, p, len);
	b.len = len;
	return b;
}

struct probe_db_stats probe_db_stats(const struct probe_db *db)
{
	struct probe_db_stats s;
	size_t i, j;

	memset(&s, 0, sizeof s);
	for (i = 0; i < db->nprobes; i++) {
		const struct probe *p = &db->probes[i];

		s.probes[p->proto]++;
		for (j = 0; j < p->nmatches; j++) {
			if (p->matches[j].soft)
				s.softmatches++;
			else
				s.matches++;
		}
	}
	return s;
}
