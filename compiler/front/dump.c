#include "dump.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"

static const char *const proto_name[] = { "TCP", "UDP" };

/* The first of the preferred delimiters absent from text, else fallback
 * (the field's own delimiter, which the text cannot contain). */
static char pick_delim(const struct bytes *text, const char *preferred,
		       char fallback)
{
	for (; *preferred; preferred++)
		if (!memchr(text->p, *preferred, text->len))
			return *preferred;
	return fallback;
}

static void put_delimited(FILE *out, const char *tag, const struct bytes *text,
			  char delim)
{
	fprintf(out, " %s%c", tag, delim);
	fwrite(text->p, 1, text->len, out);
	fputc(delim, out);
}

static void dump_ports(FILE *out, const char *directive, const struct port_list *l)
{
	size_t i;

	fprintf(out, "%s ", directive);
	for (i = 0; i < l->n; i++) {
		fprintf(out, i ? ",%u" : "%u", l->v[i].lo);
		if (l->v[i].hi != l->v[i].lo)
			fprintf(out, "-%u", l->v[i].hi);
	}
	fputc('\n', out);
}

static void dump_exclude(FILE *out, const struct probe_db *db)
{
	unsigned protos = EXCLUDE_TCP | EXCLUDE_UDP;
	size_t i;

	fputs("Exclude ", out);
	for (i = 0; i < db->nexclude; i++) {
		const struct exclude_range *r = &db->exclude[i];

		if (i)
			fputc(',', out);
		if (r->protos != protos) {
			protos = r->protos;
			fputs(protos == EXCLUDE_TCP ? "T:" : "U:", out);
		}
		fprintf(out, "%u", r->lo);
		if (r->hi != r->lo)
			fprintf(out, "-%u", r->hi);
	}
	fputs("\n\n", out);
}

static void dump_match(FILE *out, const struct match *m)
{
	size_t i;

	fprintf(out, "%s %s", m->soft ? "softmatch" : "match", m->service);
	put_delimited(out, "m", &m->regex, pick_delim(&m->regex, "|", m->regex_delim));
	if (m->regex_flags & REGEX_CASELESS)
		fputc('i', out);
	if (m->regex_flags & REGEX_DOTALL)
		fputc('s', out);
	for (i = 0; i < FIELD_COUNT; i++) {
		const struct template *t = &m->field[i];
		char tag[2] = { field_letter[i], '\0' };

		if (t->text.p)
			put_delimited(out, tag, &t->text, pick_delim(&t->text, "/|", t->delim));
	}
	for (i = 0; i < m->ncpe; i++) {
		const struct cpe_template *c = &m->cpe[i];

		put_delimited(out, "cpe:", &c->text, pick_delim(&c->text, "/|", c->delim));
		if (c->auto_flag)
			fputc('a', out);
	}
	fputc('\n', out);
}

static void dump_probe(FILE *out, const struct probe *p)
{
	char *payload = malloc(p->payload.len * 4 + 1);
	size_t i;

	if (!payload) {
		fprintf(stderr, "svdc: out of memory\n");
		abort();
	}
	escape_encode(payload, p->payload.p, p->payload.len, '|');
	fprintf(out, "Probe %s %s q|%s|%s\n", proto_name[p->proto], p->name, payload,
		p->no_payload ? " no-payload" : "");
	free(payload);
	if (p->directive_line[DIRECTIVE_RARITY])
		fprintf(out, "rarity %d\n", p->rarity);
	if (p->directive_line[DIRECTIVE_PORTS])
		dump_ports(out, "ports", &p->ports);
	if (p->directive_line[DIRECTIVE_SSLPORTS])
		dump_ports(out, "sslports", &p->sslports);
	if (p->directive_line[DIRECTIVE_TOTALWAITMS])
		fprintf(out, "totalwaitms %d\n", p->totalwaitms);
	if (p->directive_line[DIRECTIVE_TCPWRAPPEDMS])
		fprintf(out, "tcpwrappedms %d\n", p->tcpwrappedms);
	if (p->directive_line[DIRECTIVE_FALLBACK]) {
		fputs("fallback ", out);
		for (i = 0; i < p->nfallback; i++)
			fprintf(out, i ? ",%s" : "%s", p->fallback[i].name);
		fputc('\n', out);
	}
	for (i = 0; i < p->nmatches; i++)
		dump_match(out, &p->matches[i]);
}

void probe_db_dump(const struct probe_db *db, FILE *out)
{
	size_t i;

	fputs("# Canonical form written by svdc --dump\n", out);
	if (db->exclude_line)
		dump_exclude(out, db);
	for (i = 0; i < db->nprobes; i++) {
		if (i)
			fputc('\n', out);
		dump_probe(out, &db->probes[i]);
	}
}
